// TextIndex retrieval ranked by TF-IDF cosine, checked by hand.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/text_index.hpp>

#include <gtest/gtest.h>

using namespace cxkit::feedback;

namespace {
TextIndexOptions english() {
  TextIndexOptions o;
  o.language = Language::en;
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
