// TextIndex retrieval ranked by TF-IDF cosine, checked by hand.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/text_index.hpp>

#include <gtest/gtest.h>

using namespace cxkit::feedback;

namespace {
TextIndexOptions english() {
  TextIndexOptions o;
  o.language = Language::en;
  o.char_ngrams = false;  // the hand computation below is word TF-IDF cosine alone
  return o;
}
}  // namespace

TEST(FeedbackTextIndex, RankingByHand) {
  const TextIndex index({"dark mode for the dashboard", "export dashboard to csv", "dark theme",
                         "billing invoice missing", "dark mode for the dashboard"},
                        english());
  ASSERT_EQ(index.size(), 5u);
  // n = 5; idf(df=1) = ln(6/2)+1, idf(df=2) = ln(6/3)+1, idf(df=3) = ln(6/4)+1.
  const double i1 = std::log(3.0) + 1, i2 = std::log(2.0) + 1, i3 = std::log(1.5) + 1;
  // dark: df 3; mode: df 2; dashboard: df 3; theme: df 1.
  const double q_norm = std::sqrt(i3 * i3 + i2 * i2);
  const double d0_norm = std::sqrt(i3 * i3 + i2 * i2 + i3 * i3);
  const double d2_norm = std::sqrt(i3 * i3 + i1 * i1);
  const double s0 = (i3 * i3 + i2 * i2) / (q_norm * d0_norm);
  const double s2 = (i3 * i3) / (q_norm * d2_norm);
  const auto hits = index.similar("Dark mode?", 10);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].index, 0u);  // tie with 4, lower index first
  EXPECT_EQ(hits[1].index, 4u);
  EXPECT_EQ(hits[2].index, 2u);
  EXPECT_NEAR(hits[0].score, s0, 1e-5);
  EXPECT_NEAR(hits[1].score, s0, 1e-5);
  EXPECT_NEAR(hits[2].score, s2, 1e-5);
  const auto top1 = index.similar("Dark mode?", 1);
  ASSERT_EQ(top1.size(), 1u);
  EXPECT_EQ(top1[0].index, 0u);
  EXPECT_TRUE(index.similar("completely unrelated words", 5).empty());
  EXPECT_TRUE(index.similar("dark", 0).empty());
  // A text identical to a document has cosine 1 with it.
  EXPECT_NEAR(index.similar("billing invoice missing", 1)[0].score, 1.0, 1e-6);
}

TEST(FeedbackTextIndex, EmptyVocabularyThrows) {
  EXPECT_THROW(TextIndex({"the", "a"}, english()), cxkit::InputError);
}

// With character n-grams the score is the mean of the word cosine and the char_wb 3-5-gram
// cosine, recomputed here from the public tokenize/char_ngrams/TfidfVectorizer pieces.
TEST(FeedbackTextIndex, CharacterNgramsAverageWithWords) {
  const std::vector<std::string> texts = {"resource manager crashes", "resourcemanager crash on restart",
                                          "the manager of billing", "export fails"};
  TextIndexOptions o;
  o.language = Language::en;
  const TextIndex index(texts, o);
  TokenizedCorpus words, chars;
  for (const auto& t : texts) words.push_back(tokenize(t, Language::en));
  auto grams = [](const std::vector<std::string>& w) {
    std::vector<std::string> g;
    for (std::size_t n = 3; n <= 5; ++n) {
      auto x = char_ngrams(w, n);
      g.insert(g.end(), x.begin(), x.end());
    }
    return g;
  };
  for (const auto& w : words) chars.push_back(grams(w));
  TfidfVectorizer wv, cv;
  const SparseMatrix W = wv.fit_transform(words), C = cv.fit_transform(chars);
  const std::vector<std::string> q = tokenize("Resource manager crash", Language::en);
  const SparseMatrix qw = wv.transform({q}), qc = cv.transform({grams(q)});
  const auto hits = index.similar("Resource manager crash", 10);
  ASSERT_EQ(hits.size(), 3u);  // documents sharing no word are not candidates
  for (const auto& h : hits) {
    const auto r = static_cast<Eigen::Index>(h.index);
    const double ws = qw.row(0).dot(W.row(r)), cs = qc.row(0).dot(C.row(r));
    EXPECT_NEAR(h.score, 0.5 * (ws + cs), 1e-5) << h.index;
  }
  EXPECT_EQ(hits[0].index, 0u);
  EXPECT_EQ(hits[1].index, 1u);  // "resourcemanager" shares "crash" and many character n-grams
}
