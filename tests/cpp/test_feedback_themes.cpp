// Theme detection: hand-made groups, average-linkage decisions computed by hand, c-TF-IDF by
// hand, determinism for any thread count, and the ThemeCounts merge property.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/theme_counts.hpp>
#include <cxkit/feedback/theme_labels.hpp>
#include <cxkit/feedback/themes.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <set>

using namespace cxkit::feedback;

namespace {

// Texts about `themes` topics (two or three of the topic's three words, one rare filler word)
// and pure-filler noise items (three words from a 4,000-word pool, so noise rarely repeats).
std::vector<std::string> themed_texts(std::size_t n, std::size_t themes, std::vector<int>& truth, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  truth.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const int t = static_cast<int>(rng() % (themes + 1)) - 1;  // -1 = noise
    std::string s;
    if (t >= 0) {
      const auto skip = rng() % 4;  // 3 = keep all three topic words
      for (unsigned k = 0; k < 3; ++k)
        if (k != skip) s += "topic" + std::to_string(t) + "word" + std::to_string(k) + " ";
      s += "filler" + std::to_string(rng() % 4000);
    } else {
      for (int k = 0; k < 3; ++k) s += "filler" + std::to_string(rng() % 4000) + " ";
    }
    out.push_back(s);
    truth.push_back(t);
  }
  return out;
}

}  // namespace

TEST(FeedbackThemes, TwoHandMadeGroupsAndNoise) {
  const std::vector<std::string> texts = {
      "Please add a dark mode", "dark mode please!", "We really need a dark mode for the app",
      "Export to Excel fails", "the excel export is broken", "excel export does not work",
      "my cat likes the weather"};
  ThemeOptions o;
  o.min_size = 2;
  const ThemeResult r = detect_themes(texts, o);
  ASSERT_EQ(r.themes.size(), 2u);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, 0, 1, 1, 1, -1}));
  EXPECT_NE(r.themes[0].label.find("dark mode"), std::string::npos) << r.themes[0].label;
  EXPECT_NE(r.themes[1].label.find("export"), std::string::npos) << r.themes[1].label;
  EXPECT_LT(r.themes[0].representative, 3u);
  EXPECT_EQ(r.themes[0].items, 3u);
  EXPECT_EQ(r.similarity[6], 0.0f);
  EXPECT_GT(r.similarity[0], 0.5f);
  EXPECT_EQ(r.themes[0].language, Language::en);
}

TEST(FeedbackThemes, LabelsUseTheItemsSurfaceFormInTheirLanguage) {
  const std::vector<std::string> texts = {"Добавьте тёмную тему", "нужна тёмная тема", "хочу тёмную тему",
                                          "тёмная тема в приложении"};
  ThemeOptions o;
  o.min_size = 2;
  o.max_df = 1.0;
  const ThemeResult r = detect_themes(texts, o);
  ASSERT_EQ(r.themes.size(), 1u);
  EXPECT_EQ(r.themes[0].language, Language::ru);
  // Stems are "темн" and "тем"; the label shows words the customers wrote.
  EXPECT_NE(r.themes[0].label.find("тём"), std::string::npos) << r.themes[0].label;
  EXPECT_EQ(r.themes[0].label.find("темн "), std::string::npos) << r.themes[0].label;
}

// Cosines A.B = 0.9, A.C = 0.5, B.C = 0.1: after A+B merge, linkage(AB, C) = (0.5 + 0.1) / 2 = 0.3.
TEST(FeedbackThemes, AverageLinkageDecisionsByHandOnEmbeddings) {
  const float c2 = static_cast<float>((0.1 - 0.45) / std::sqrt(0.19));
  const float c3 = std::sqrt(1.0f - 0.25f - c2 * c2);
  const std::vector<float> e = {1, 0, 0, 0.9f, std::sqrt(0.19f), 0, 0.5f, c2, c3, 0, 0, 0};
  ThemeOptions o;
  o.min_size = 1;
  o.edge_floor = 0.0;
  o.assign_threshold = 1.0;
  o.link_threshold = 0.35;
  ThemeResult r = detect_themes(e, 4, 3, {}, o);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, 1, -1}));  // all-zero row never joins
  o.link_threshold = 0.25;
  r = detect_themes(e, 4, 3, {}, o);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, 0, -1}));
  o.link_threshold = 0.35;
  o.min_size = 2;
  r = detect_themes(e, 4, 3, {}, o);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, -1, -1}));
  // C's cosine to the A+B centroid is (0.5 + 0.1) / |A + B| = 0.6 / sqrt(3.8) = 0.3078, so it
  // joins at 0.30 but not at 0.31. Reported similarities are to the final centroid A+B+C:
  // |A+B+C|^2 = 3 + 2 (0.9 + 0.5 + 0.1) = 6, cos(C, .) = (0.5 + 0.1 + 1) / sqrt(6).
  o.assign_threshold = 0.31;
  r = detect_themes(e, 4, 3, {}, o);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, -1, -1}));
  o.assign_threshold = 0.30;
  r = detect_themes(e, 4, 3, {}, o);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, 0, -1}));
  EXPECT_NEAR(r.similarity[2], 1.6 / std::sqrt(6.0), 1e-5);
  EXPECT_NEAR(r.similarity[0], (1 + 0.9 + 0.5) / std::sqrt(6.0), 1e-5);
}

// Items [x y], [x z] in theme 0, [w] unassigned: A = 5 tokens / 2 classes = 2.5.
// W(x) = 2/4 ln(1 + 2.5/2) = 0.405465; W(y) = W(z) = W(x y) = W(x z) = 1/4 ln(3.5) = 0.313190.
TEST(FeedbackThemes, ClassTfidfByHand) {
  LabelCorpus c;
  c.offset = {0, 2, 4, 5};
  c.stem = {0, 1, 0, 2, 3};
  c.surface = {0, 1, 0, 2, 3};
  c.stem_text = {"x", "y", "z", "w"};
  c.surface_text = {"ex", "why", "zed", "w"};
  const auto labels = ctfidf_labels(c, {0, 0, -1}, 1, {}, 1);
  ASSERT_EQ(labels[0].size(), 1u);
  EXPECT_EQ(labels[0][0].text, "ex");
  EXPECT_NEAR(labels[0][0].score, 0.5 * std::log(2.25), 1e-12);
  // With three terms: the phrases "ex why" and "ex zed" (ties by text) replace the word "ex".
  const auto three = ctfidf_labels(c, {0, 0, -1}, 1, {}, 3);
  ASSERT_EQ(three[0].size(), 2u);
  EXPECT_EQ(three[0][0].text, "ex why");
  EXPECT_EQ(three[0][1].text, "ex zed");
  EXPECT_NEAR(three[0][0].score, 0.25 * std::log(3.5), 1e-12);
  EXPECT_THROW(ctfidf_labels(c, {0, 0}, 1, {}, 3), cxkit::InputError);
}

TEST(FeedbackThemes, RecoversSyntheticTopicsAcrossSampledRounds) {
  std::vector<int> truth;
  const auto texts = themed_texts(6000, 8, truth, 7);
  ThemeOptions o;
  o.sample_size = 1500;  // several rounds: most items join by centroid
  const ThemeResult r = detect_themes(texts, o);
  EXPECT_GE(r.rounds, 1u);
  // Purity: each theme's items come from one planted topic; recall: most topic items assigned.
  std::map<std::int64_t, std::map<int, int>> table;
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (r.assignment[i] >= 0) ++table[r.assignment[i]][truth[i]];
  std::size_t pure = 0, assigned = 0;
  for (const auto& [theme, row] : table) {
    int best = 0, sum = 0;
    for (const auto& [t, k] : row) best = std::max(best, k), sum += k;
    pure += static_cast<std::size_t>(best);
    assigned += static_cast<std::size_t>(sum);
  }
  std::size_t topical = 0, topical_assigned = 0, noise_assigned = 0, noise = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (truth[i] >= 0) ++topical, topical_assigned += r.assignment[i] >= 0;
    else ++noise, noise_assigned += r.assignment[i] >= 0;
  }
  EXPECT_GT(static_cast<double>(pure) / static_cast<double>(assigned), 0.95);
  EXPECT_GT(static_cast<double>(topical_assigned) / static_cast<double>(topical), 0.9);
  // Noise items sharing a rare filler word do form small groups; most stay out.
  EXPECT_LT(static_cast<double>(noise_assigned) / static_cast<double>(noise), 0.2);
}

TEST(FeedbackThemes, BitIdenticalForAnyThreadCount) {
  std::vector<int> truth;
  const auto texts = themed_texts(5000, 6, truth, 11);
  ThemeOptions o;
  o.sample_size = 1200;
  o.threads = 1;
  const ThemeResult one = detect_themes(texts, o);
  for (unsigned threads : {2u, 3u, 8u}) {
    o.threads = threads;
    const ThemeResult many = detect_themes(texts, o);
    EXPECT_EQ(many.assignment, one.assignment);
    ASSERT_EQ(many.similarity.size(), one.similarity.size());
    EXPECT_EQ(std::memcmp(many.similarity.data(), one.similarity.data(), one.similarity.size() * sizeof(float)), 0);
    ASSERT_EQ(many.themes.size(), one.themes.size());
    for (std::size_t c = 0; c < one.themes.size(); ++c) {
      EXPECT_EQ(many.themes[c].label, one.themes[c].label);
      EXPECT_EQ(many.themes[c].representative, one.themes[c].representative);
      EXPECT_EQ(many.themes[c].cohesion, one.themes[c].cohesion);
    }
  }
}

TEST(FeedbackThemes, InvalidOptionsAndInputsThrow) {
  ThemeOptions o;
  o.link_threshold = 1.5;
  EXPECT_THROW(detect_themes(std::vector<std::string>{"a"}, o), cxkit::InputError);
  o = {};
  o.min_size = 0;
  EXPECT_THROW(detect_themes(std::vector<std::string>{"a"}, o), cxkit::InputError);
  EXPECT_THROW(detect_themes(std::vector<float>{1, 2, 3}, 2, 2, {}, {}), cxkit::InputError);
  EXPECT_THROW(detect_themes(std::vector<float>{1, 2}, 1, 2, {"a", "b"}, {}), cxkit::InputError);
  EXPECT_THROW(detect_themes(std::vector<float>{1, NAN}, 1, 2, {}, {}), cxkit::InputError);
  // Empty input and items without terms are fine: nothing to group.
  const ThemeResult r = detect_themes(std::vector<std::string>{"", "!!!"});
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{-1, -1}));
  EXPECT_TRUE(r.themes.empty());
}

TEST(FeedbackThemeCounts, DistinctCustomersAndMaxWeightByHand) {
  const auto day = std::chrono::duration_cast<cxkit::Duration>(std::chrono::hours(24));
  ThemeCounts c(day * 30);
  const cxkit::Timestamp t0{};
  c.add(0, t0 + day, 7, 100.0);
  c.add(0, t0 + day * 2, 7, 120.0);  // same customer: counted once, with its largest weight
  c.add(0, t0 + day * 3, 8, 50.0);
  c.add(0, t0 + day * 31, 8, 50.0);  // next bucket
  c.add(-1, t0, 9, 1.0);             // unassigned: ignored
  const auto cells = c.cells();
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].items, 3u);
  EXPECT_EQ(cells[0].customers, 2u);
  EXPECT_DOUBLE_EQ(cells[0].weight, 170.0);
  EXPECT_EQ(cells[1].bucket, 1);
  const auto total = c.total(0, 0, 1);
  EXPECT_EQ(total.items, 4u);
  EXPECT_EQ(total.customers, 2u);
  EXPECT_DOUBLE_EQ(total.weight, 170.0);
  EXPECT_EQ(c.customers(0, 0, 1), (std::vector<std::uint64_t>{7, 8}));
  EXPECT_EQ(c.bucket_of(t0 - day), -1);  // floor division before the origin
  EXPECT_THROW(c.add(0, t0, 1, -1.0), cxkit::InputError);
  EXPECT_THROW(c.merge(ThemeCounts(day)), cxkit::InputError);
  EXPECT_THROW(ThemeCounts(cxkit::Duration{0}), cxkit::InputError);
}

TEST(FeedbackThemeCounts, MergeIsTheSameForAnyPartitioning) {
  const auto hour = std::chrono::duration_cast<cxkit::Duration>(std::chrono::hours(1));
  std::mt19937_64 rng(3);
  struct Item { std::int64_t theme; cxkit::Timestamp t; std::uint64_t customer; double w; };
  std::vector<Item> items;
  for (int i = 0; i < 3000; ++i)
    items.push_back({static_cast<std::int64_t>(rng() % 5) - 1, cxkit::Timestamp{} + hour * static_cast<int>(rng() % 2000),
                     rng() % 60, static_cast<double>(rng() % 1000)});
  ThemeCounts all(hour * 24);
  for (const auto& it : items) all.add(it.theme, it.t, it.customer, it.w);
  for (std::size_t parts : {2u, 3u, 7u}) {
    std::vector<ThemeCounts> p(parts, ThemeCounts(hour * 24));
    for (const auto& it : items) p[rng() % parts].add(it.theme, it.t, it.customer, it.w);
    ThemeCounts left = p[0];  // ((p0 + p1) + p2) ...
    for (std::size_t k = 1; k < parts; ++k) left.merge(p[k]);
    ThemeCounts right = p[parts - 1];  // reversed order, grouped differently
    for (std::size_t k = parts - 1; k-- > 0;) {
      ThemeCounts tmp = p[k];
      tmp.merge(right);
      right = tmp;
    }
    EXPECT_TRUE(left == all);
    EXPECT_TRUE(right == all);
  }
}
