#include <gtest/gtest.h>

#include "cxkit/core/time.hpp"

using namespace cxkit;

namespace {
std::int64_t parse(std::string_view s) {
  Timestamp t{};
  EXPECT_TRUE(parse_iso8601(s, t)) << s;
  return to_micros(t);
}
bool rejects(std::string_view s) {
  Timestamp t{};
  return !parse_iso8601(s, t);
}
}  // namespace

TEST(Time, ParsesDatesAndTimesAsUtc) {
  EXPECT_EQ(parse("1970-01-01"), 0);
  EXPECT_EQ(parse("1970-01-02"), 86400LL * 1000000);
  // 2010-12-30 is 14973 days after the epoch (hand-computed: 40 years with 10 leap days
  // = 14610, plus 363 days into 2010).
  EXPECT_EQ(parse("2010-12-30T14:32:00"), (14973LL * 86400 + 14 * 3600 + 32 * 60) * 1000000);
  EXPECT_EQ(parse("2010-12-30 14:32:00"), parse("2010-12-30T14:32:00"));
}

TEST(Time, AppliesOffsets) {
  const auto utc = parse("2010-12-30T13:32:00Z");
  EXPECT_EQ(parse("2010-12-30 14:32:00+01:00"), utc);
  EXPECT_EQ(parse("2010-12-30T14:32:00+0100"), utc);
  EXPECT_EQ(parse("2010-12-30T14:32:00+01"), utc);
  EXPECT_EQ(parse("2010-12-30T08:32:00-05:00"), utc);
  EXPECT_EQ(parse("2010-12-30 14:32:00 +01:00"), utc);
}

TEST(Time, ReadsFractionsToTheMicrosecond) {
  const auto base = parse("2014-10-22T11:15:41");
  EXPECT_EQ(parse("2014-10-22T11:15:41.5"), base + 500000);
  EXPECT_EQ(parse("2014-10-22T11:15:41.123456"), base + 123456);
  EXPECT_EQ(parse("2014-10-22T11:15:41.1234569"), base + 123456);  // truncated, not rounded
  EXPECT_EQ(parse("2014/10/22 11:15:41.000"), base);               // sepsis export style
}

TEST(Time, RejectsWhatIsNotATimestamp) {
  EXPECT_TRUE(rejects(""));
  EXPECT_TRUE(rejects("yesterday"));
  EXPECT_TRUE(rejects("2021-02-29"));   // not a leap year
  EXPECT_TRUE(rejects("2021-13-01"));
  EXPECT_TRUE(rejects("2021-01-01T24:00:00"));
  EXPECT_TRUE(rejects("2021-01-01T10:60"));
  EXPECT_TRUE(rejects("2021-01-01T10:00:00+25:00"));
  EXPECT_TRUE(rejects("2021-01-01T10:00:00X"));
  EXPECT_TRUE(rejects("2021-01/01"));
  EXPECT_TRUE(rejects("0000-01-01"));
  EXPECT_FALSE(rejects("2020-02-29"));
}

TEST(Time, HandlesDatesBeforeTheEpoch) {
  EXPECT_EQ(parse("1969-12-31T23:59:59"), -1000000);
  EXPECT_EQ(parse("0001-01-01T00:00:00"), kMinTimestampMicros);
  EXPECT_EQ(parse("9999-12-31T23:59:59.999999"), kMaxTimestampMicros);
}

TEST(Time, FormatsRoundTrip) {
  for (const char* s : {"2010-12-30T14:32:00Z", "1969-07-20T20:17:40.5Z", "2262-04-11T23:47:16.854775Z"}) {
    Timestamp t{};
    ASSERT_TRUE(parse_iso8601(s, t));
    Timestamp back{};
    ASSERT_TRUE(parse_iso8601(format_iso8601(t), back)) << format_iso8601(t);
    EXPECT_EQ(back, t);
  }
  EXPECT_EQ(format_iso8601(from_micros(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(from_micros(-500000)), "1969-12-31T23:59:59.500000Z");
}
