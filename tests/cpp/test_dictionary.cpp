#include <gtest/gtest.h>

#include <string>

#include "cxkit/core/dictionary.hpp"

using cxkit::Dictionary;

TEST(Dictionary, GivesDenseIdsInOrderOfFirstSight) {
  Dictionary d;
  EXPECT_EQ(d.intern("signed"), 0u);
  EXPECT_EQ(d.intern("kickoff"), 1u);
  EXPECT_EQ(d.intern("signed"), 0u);
  EXPECT_EQ(d.intern(""), 2u);  // the empty string is a value like any other
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.name(1), "kickoff");
  EXPECT_EQ(d.find("kickoff"), 1u);
  EXPECT_FALSE(d.find("churned").has_value());
}

TEST(Dictionary, AtThrowsNotFoundNamingTheValue) {
  Dictionary d;
  d.intern("a");
  try {
    d.at("welcome sent", "activity");
    FAIL();
  } catch (const cxkit::NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("activity 'welcome sent'"), std::string::npos);
  }
}

TEST(Dictionary, SurvivesGrowthAndKeepsViewsValid) {
  Dictionary d;
  const auto first = d.intern("case-0");
  const std::string_view view = d.name(first);
  for (int i = 0; i < 200000; ++i) ASSERT_EQ(d.intern("case-" + std::to_string(i)), static_cast<std::uint32_t>(i));
  EXPECT_EQ(view, "case-0");  // stored strings never move
  for (int i = 0; i < 200000; i += 997) EXPECT_EQ(d.find("case-" + std::to_string(i)), static_cast<std::uint32_t>(i));
  EXPECT_EQ(d.size(), 200000u);
}

TEST(Dictionary, HandlesLongStringsAndEmbeddedNul) {
  Dictionary d;
  const std::string big(200000, 'x');
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(d.intern(big), 0u);
  EXPECT_EQ(d.intern(with_nul), 1u);
  EXPECT_EQ(d.intern("a"), 2u);
  EXPECT_EQ(d.name(0).size(), big.size());
  EXPECT_EQ(d.name(1), with_nul);
}

TEST(Dictionary, CopiesAreIndependent) {
  Dictionary a;
  a.intern("x");
  Dictionary b = a;
  b.intern("y");
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.name(0), "x");
  a = b;
  EXPECT_EQ(a.find("y"), 1u);
}
