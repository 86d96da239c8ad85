// Progress and cancellation (cxkit/core/progress.hpp) in the long feedback operations:
// detect_themes (texts and embeddings), find_duplicates, TextIndex and vectorize. Checked: the
// callback contract (owner thread only, done non-decreasing, last call done == total, the
// documented totals), calls while the clustering rounds run, Cancelled with no result, and
// results identical with and without a callback and for 1, 2 and 4 threads.
#include <cxkit/core/progress.hpp>
#include <cxkit/feedback/duplicates.hpp>
#include <cxkit/feedback/text_index.hpp>
#include <cxkit/feedback/themes.hpp>
#include <cxkit/feedback/vectorize.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "progress_recorder.hpp"

using namespace cxkit::feedback;
using cxkit_test::expect_contract;
using cxkit_test::Recorder;

namespace {

// Topic texts (three topic words of which two or three appear, plus a rare filler) and noise.
std::vector<std::string> corpus(std::size_t n, std::size_t topics, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = rng() % (topics + 1);
    std::string s;
    if (t < topics) {
      const auto skip = rng() % 4;
      for (unsigned k = 0; k < 3; ++k)
        if (k != skip) s += "topic" + std::to_string(t) + "word" + std::to_string(k) + " ";
      s += "filler" + std::to_string(rng() % 3000);
    } else {
      for (int k = 0; k < 3; ++k) s += "filler" + std::to_string(rng() % 3000) + " ";
    }
    out.push_back(std::move(s));
  }
  return out;
}

ThemeOptions theme_options(unsigned threads) {
  ThemeOptions o;
  o.language = Language::en;
  o.sample_size = 1500;  // several rounds on 8,000 items
  o.threads = threads;
  return o;
}

bool same_result(const ThemeResult& a, const ThemeResult& b) {
  if (a.assignment != b.assignment || a.similarity != b.similarity || a.rounds != b.rounds ||
      a.themes.size() != b.themes.size() || a.vocabulary != b.vocabulary)
    return false;
  for (std::size_t c = 0; c < a.themes.size(); ++c)
    if (a.themes[c].label != b.themes[c].label || a.themes[c].representative != b.themes[c].representative ||
        a.themes[c].items != b.themes[c].items)
      return false;
  return true;
}

}  // namespace

TEST(FeedbackProgress, ThemesContractTotalAndCallsDuringTheRounds) {
  const auto texts = corpus(8000, 6, 3);
  const std::size_t n = texts.size();
  for (unsigned threads : {1u, 2u, 4u}) {
    Recorder r;
    ThemeOptions o = theme_options(threads);
    o.progress = r.progress();
    const ThemeResult res = detect_themes(texts, o);
    ASSERT_GE(res.rounds, 2u);
    const std::uint64_t round_units = 2 * o.sample_size + n;
    const std::uint64_t total = 3 * n + o.max_rounds * round_units;  // documented in themes.hpp
    expect_contract(r, total);
    // The callback ran while the rounds worked, not only around them: some report lies
    // strictly inside the rounds' span [2n, 2n + max_rounds * round_units).
    bool inside = false;
    for (const auto& [done, t] : r.calls) inside |= done > 2 * n && done < 2 * n + o.max_rounds * round_units;
    EXPECT_TRUE(inside) << threads << " threads";
  }
}

TEST(FeedbackProgress, ThemesIdenticalWithAndWithoutProgressForAnyThreadCount) {
  const auto texts = corpus(5000, 5, 11);
  const ThemeResult plain = detect_themes(texts, theme_options(1));
  ASSERT_GE(plain.themes.size(), 5u);
  for (unsigned threads : {1u, 2u, 4u}) {
    Recorder r;
    ThemeOptions o = theme_options(threads);
    o.progress = r.progress();
    EXPECT_TRUE(same_result(plain, detect_themes(texts, o))) << threads << " threads";
    EXPECT_TRUE(same_result(plain, detect_themes(texts, theme_options(threads)))) << threads << " threads";
  }
}

TEST(FeedbackProgress, ThemesCancelWhenTheCallbackReturnsFalse) {
  const auto texts = corpus(6000, 4, 5);
  for (unsigned threads : {1u, 2u}) {
    std::uint64_t last = 0, total = 0;
    ThemeOptions o = theme_options(threads);
    o.progress.callback = [&](std::uint64_t done, std::uint64_t t) {
      last = done, total = t;
      return done < 3 * texts.size();  // stop during the first round
    };
    EXPECT_THROW(detect_themes(texts, o), cxkit::Cancelled);
    EXPECT_GE(last, 3 * texts.size());
    EXPECT_LT(last, total) << "cancelled before the end";
  }
}

TEST(FeedbackProgress, ThemesOnEmbeddingsReportTheSameTotal) {
  std::mt19937_64 rng(2);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  const std::size_t n = 3000, dims = 8;
  std::vector<float> emb(n * dims);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t d = 0; d < dims; ++d) emb[i * dims + d] = (d == i % 4 ? 1.0f : 0.0f) + noise(rng);
  Recorder r;
  ThemeOptions o = theme_options(2);
  o.sample_size = 1000;
  o.progress = r.progress();
  const ThemeResult with = detect_themes(emb, n, dims, {}, o);
  expect_contract(r, 3 * n + o.max_rounds * (2 * o.sample_size + n));
  o.progress = {};
  EXPECT_TRUE(same_result(with, detect_themes(emb, n, dims, {}, o)));
  EXPECT_EQ(with.themes.size(), 4u);
}

TEST(FeedbackProgress, DuplicatesContractSameResultAndCancel) {
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i)  // pairs of near-duplicates (one word differs) and singles
    texts.push_back("case" + std::to_string(i / 2) + " alpha" + std::to_string(i / 2) + " beta" + std::to_string(i / 2) +
                    " gamma" + std::to_string(i / 2) + " delta" + std::to_string(i / 2) + " x" + std::to_string(i % 2));
  DuplicateOptions plain_opts;
  plain_opts.language = Language::en;
  const DuplicateGroups plain = find_duplicates(texts, 0.6, plain_opts);
  EXPECT_GT(plain.groups.size(), 8000u);  // J = 5/7 per pair; LSH finds most of them
  for (unsigned threads : {1u, 3u}) {
    Recorder r;
    DuplicateOptions o = plain_opts;
    o.threads = threads;
    o.progress = r.progress();
    const DuplicateGroups g = find_duplicates(texts, 0.6, o);
    expect_contract(r, 4 * texts.size());
    EXPECT_GE(r.calls.size(), 5u);  // per chunk, not only at the end
    EXPECT_EQ(g.group, plain.group);
    EXPECT_EQ(g.candidate_pairs, plain.candidate_pairs);
  }
  DuplicateOptions o = plain_opts;
  o.progress.callback = [](std::uint64_t, std::uint64_t) { return false; };
  EXPECT_THROW(find_duplicates(texts, 0.6, o), cxkit::Cancelled);
}

TEST(FeedbackProgress, TextIndexContractSameHitsCancelAndNoKeptCallback) {
  const auto texts = corpus(10000, 6, 9);
  TextIndexOptions base;
  base.language = Language::en;
  const TextIndex plain(texts, base);
  Recorder r;
  TextIndexOptions o = base;
  o.progress = r.progress();
  const TextIndex watched(texts, o);
  expect_contract(r, 2 * texts.size());
  EXPECT_EQ(r.calls.size(), 7u);  // each pass: at 4096, 8192 and its end; then finish()
  for (const char* q : {"topic1word0 topic1word2", "filler17 topic3word1", "topic5word1"}) {
    const auto a = plain.similar(q, 20), b = watched.similar(q, 20);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_TRUE(a[k].index == b[k].index && a[k].score == b[k].score);
  }
  TextIndexOptions stop = base;
  stop.progress.callback = [](std::uint64_t done, std::uint64_t) { return done < 5000; };
  EXPECT_THROW(TextIndex(texts, stop), cxkit::Cancelled);
}

TEST(FeedbackProgress, VectorizeContractAndSameRows) {
  const auto texts = corpus(9000, 4, 1);
  const TfidfResult plain = vectorize(texts, {}, Language::en, {}, 1);
  for (unsigned threads : {1u, 2u}) {
    Recorder r;
    const TfidfResult v = vectorize(texts, {}, Language::en, {}, threads, r.progress());
    expect_contract(r, 2 * texts.size());
    EXPECT_EQ(v.terms, plain.terms);
    EXPECT_TRUE(v.rows.isApprox(plain.rows, 0.0f));
  }
  const cxkit::Progress stop{[](std::uint64_t, std::uint64_t) { return false; }};
  EXPECT_THROW(vectorize(texts, {}, Language::en, {}, 2, stop), cxkit::Cancelled);
}
