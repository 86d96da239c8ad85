#include <gtest/gtest.h>

#include <string>

#include "cxkit/core/error.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/io/timestamp_format.hpp"

using namespace cxkit;
using cxkit::io::parse_timestamp;
using cxkit::io::TimestampFormat;

namespace {
// The reference: the ISO 8601 parser, tested on its own in test_time.cpp.
std::int64_t iso(std::string_view s) {
  Timestamp t{};
  EXPECT_TRUE(parse_iso8601(s, t)) << s;
  return to_micros(t);
}
std::int64_t parse(std::string_view pattern, std::string_view s) {
  const TimestampFormat f(pattern);
  Timestamp t{};
  EXPECT_TRUE(parse_timestamp(s, f, t)) << pattern << " on '" << s << "'";
  return to_micros(t);
}
bool rejects(std::string_view pattern, std::string_view s) {
  const TimestampFormat f(pattern);
  Timestamp t = from_micros(42);
  const bool ok = parse_timestamp(s, f, t);
  EXPECT_EQ(to_micros(t), 42) << "out must stay untouched on failure";
  return !ok;
}
}  // namespace

TEST(TimestampFormat, ReadsTheSepsisLayout) {
  EXPECT_EQ(parse("%Y/%m/%d %H:%M:%S.%f", "2014/10/22 11:15:41.000"), iso("2014-10-22T11:15:41Z"));
  EXPECT_EQ(parse("%Y/%m/%d %H:%M:%S.%f", "2014/10/22 11:15:41.250"), iso("2014-10-22T11:15:41.25Z"));
}

TEST(TimestampFormat, ShorthandsExpand) {
  EXPECT_EQ(parse("%F %T", "2010-12-30 14:32:00"), iso("2010-12-30T14:32:00Z"));
  EXPECT_EQ(parse("%FT%T%z", "2010-12-30T14:32:00+01:00"), iso("2010-12-30T13:32:00Z"));
}

TEST(TimestampFormat, ReadsOffsets) {
  const std::int64_t utc = iso("2010-12-30T13:32:00Z");
  EXPECT_EQ(parse("%F %T%z", "2010-12-30 14:32:00+01:00"), utc);
  EXPECT_EQ(parse("%F %T%z", "2010-12-30 14:32:00+0100"), utc);
  EXPECT_EQ(parse("%F %T%z", "2010-12-30 14:32:00+01"), utc);
  EXPECT_EQ(parse("%F %T%z", "2010-12-30 13:32:00Z"), utc);
  EXPECT_EQ(parse("%F %T%z", "2010-12-30 08:02:00-05:30"), utc);
  EXPECT_EQ(parse("%F %T", "2010-12-30 13:32:00"), utc);  // no %z: UTC
  EXPECT_TRUE(rejects("%F %T%z", "2010-12-30 14:32:00+24:00"));
  EXPECT_TRUE(rejects("%F %T%z", "2010-12-30 14:32:00+01:60"));
  EXPECT_TRUE(rejects("%F %T%z", "2010-12-30 14:32:00"));  // %z requires an offset
}

TEST(TimestampFormat, FractionsTruncateToMicroseconds) {
  const std::int64_t base = iso("2014-10-22T11:15:41Z");
  EXPECT_EQ(parse("%F %T.%f", "2014-10-22 11:15:41.5"), base + 500000);
  EXPECT_EQ(parse("%F %T.%f", "2014-10-22 11:15:41.000001"), base + 1);
  EXPECT_EQ(parse("%F %T.%f", "2014-10-22 11:15:41.123456789"), base + 123456);
  EXPECT_TRUE(rejects("%F %T.%f", "2014-10-22 11:15:41.1234567890"));  // 10 digits
  EXPECT_TRUE(rejects("%F %T.%f", "2014-10-22 11:15:41."));
}

TEST(TimestampFormat, TwoDigitYearsPivotAt69) {
  EXPECT_EQ(parse("%d/%m/%y", "01/02/69"), iso("1969-02-01"));
  EXPECT_EQ(parse("%d/%m/%y", "01/02/99"), iso("1999-02-01"));
  EXPECT_EQ(parse("%d/%m/%y", "01/02/00"), iso("2000-02-01"));
  EXPECT_EQ(parse("%d/%m/%y", "01/02/68"), iso("2068-02-01"));
}

TEST(TimestampFormat, MonthNamesInEnglishAnyCase) {
  const std::int64_t oct22 = iso("2014-10-22");
  EXPECT_EQ(parse("%d-%b-%Y", "22-Oct-2014"), oct22);
  EXPECT_EQ(parse("%d-%b-%Y", "22-OCT-2014"), oct22);
  EXPECT_EQ(parse("%d %B %Y", "22 october 2014"), oct22);
  EXPECT_EQ(parse("%d %B %Y", "22 Oct 2014"), oct22);
  EXPECT_EQ(parse("%B %d, %Y", "May 3, 2021"), iso("2021-05-03"));
  EXPECT_EQ(parse("%B %d, %Y", "September 3, 2021"), iso("2021-09-03"));
  EXPECT_TRUE(rejects("%d %b %Y", "22 Okt 2014"));
  EXPECT_TRUE(rejects("%d %b %Y", "22 Sept 2014"));  // "Sep" then a stray 't'
}

TEST(TimestampFormat, TwelveHourClock) {
  EXPECT_EQ(parse("%F %I:%M %p", "2021-03-04 12:30 AM"), iso("2021-03-04T00:30Z"));
  EXPECT_EQ(parse("%F %I:%M %p", "2021-03-04 12:30 PM"), iso("2021-03-04T12:30Z"));
  EXPECT_EQ(parse("%F %I:%M %p", "2021-03-04 01:15 pm"), iso("2021-03-04T13:15Z"));
  EXPECT_EQ(parse("%F %I:%M %p", "2021-03-04 11:59 am"), iso("2021-03-04T11:59Z"));
  EXPECT_EQ(parse("%F %I:%M", "2021-03-04 12:10"), iso("2021-03-04T00:10Z"));  // Python's rule
  EXPECT_TRUE(rejects("%F %I:%M %p", "2021-03-04 13:15 PM"));
  EXPECT_TRUE(rejects("%F %I:%M %p", "2021-03-04 00:15 AM"));
  EXPECT_TRUE(rejects("%F %I:%M %p", "2021-03-04 01:15 XM"));
}

TEST(TimestampFormat, DayOfYear) {
  EXPECT_EQ(parse("%Y-%j", "2020-060"), iso("2020-02-29"));
  EXPECT_EQ(parse("%Y-%j", "2020-366"), iso("2020-12-31"));
  EXPECT_EQ(parse("%Y-%j", "2021-1"), iso("2021-01-01"));
  EXPECT_TRUE(rejects("%Y-%j", "2021-366"));
  EXPECT_TRUE(rejects("%Y-%j", "2021-000"));
}

TEST(TimestampFormat, NumbersReadGreedilyUpToTheirWidth) {
  EXPECT_EQ(parse("%Y%m%d", "20240105"), iso("2024-01-05"));
  EXPECT_EQ(parse("%Y%m%d%H%M%S", "20240105093007"), iso("2024-01-05T09:30:07Z"));
  EXPECT_EQ(parse("%d.%m.%Y %H:%M", "5.1.2024 9:07"), iso("2024-01-05T09:07Z"));
  EXPECT_EQ(parse("%e/%m/%Y", " 5/01/2024"), iso("2024-01-05"));
  EXPECT_EQ(parse("%e/%m/%Y", "15/01/2024"), iso("2024-01-15"));
  EXPECT_TRUE(rejects("%Y-%m-%d", "24-01-05"));  // %Y takes exactly four digits
}

TEST(TimestampFormat, MissingFieldsDefaultLikeStrptime) {
  EXPECT_EQ(parse("%H:%M", "10:30"), iso("1900-01-01T10:30Z"));
  EXPECT_EQ(parse("%Y", "2021"), iso("2021-01-01"));
}

TEST(TimestampFormat, LiteralsAndPercent) {
  EXPECT_EQ(parse("%Y-%m-%d%%", "2020-01-01%"), iso("2020-01-01"));
  EXPECT_EQ(parse("on %Y-%m-%d at %H h", "on 2020-01-01 at 07 h"), iso("2020-01-01T07:00Z"));
  EXPECT_TRUE(rejects("on %Y-%m-%d", "at 2020-01-01"));
  EXPECT_TRUE(rejects("%Y-%m-%d", "2020/01/01"));
}

TEST(TimestampFormat, SurroundingBlanksAreIgnoredTrailingTextIsNot) {
  EXPECT_EQ(parse("%F", "  2020-01-01\t"), iso("2020-01-01"));
  EXPECT_TRUE(rejects("%F", "2020-01-01x"));
  EXPECT_TRUE(rejects("%F", ""));
}

TEST(TimestampFormat, RejectsImpossibleDatesAndTimes) {
  EXPECT_TRUE(rejects("%F", "2021-02-29"));
  EXPECT_TRUE(rejects("%F", "2021-13-01"));
  EXPECT_TRUE(rejects("%F", "2021-00-10"));
  EXPECT_TRUE(rejects("%F", "2021-04-31"));
  EXPECT_TRUE(rejects("%F", "0000-01-01"));
  EXPECT_TRUE(rejects("%F %T", "2021-01-01 24:00:00"));
  EXPECT_TRUE(rejects("%F %T", "2021-01-01 23:60:00"));
  EXPECT_TRUE(rejects("%F %T", "2021-01-01 23:59:60"));
  EXPECT_EQ(parse("%F", "2020-02-29"), iso("2020-02-29"));
}

TEST(TimestampFormat, RangeIsYears1To9999) {
  EXPECT_EQ(parse("%F %T.%f", "0001-01-01 00:00:00.0"), kMinTimestampMicros);
  EXPECT_EQ(parse("%F %T.%f", "9999-12-31 23:59:59.999999"), kMaxTimestampMicros);
  // An offset that pushes the instant out of range.
  EXPECT_TRUE(rejects("%F %T%z", "0001-01-01 00:30:00+01:00"));
  EXPECT_TRUE(rejects("%F %T%z", "9999-12-31 23:30:00-01:00"));
}

TEST(TimestampFormat, BadPatternsThrowInputError) {
  EXPECT_THROW(TimestampFormat(""), InputError);
  EXPECT_THROW(TimestampFormat("%Y-%"), InputError);
  EXPECT_THROW(TimestampFormat("%Y-%Q"), InputError);
  EXPECT_THROW(TimestampFormat("%Y %Y"), InputError);
  EXPECT_THROW(TimestampFormat("%Y %y"), InputError);
  EXPECT_THROW(TimestampFormat("%H %I"), InputError);
  EXPECT_THROW(TimestampFormat("%F %d"), InputError);
  EXPECT_THROW(TimestampFormat("%Y %j %m"), InputError);
  try {
    TimestampFormat f("%Y-%q");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("%q"), std::string::npos) << e.what();
  }
  EXPECT_EQ(TimestampFormat("%d/%m/%Y").pattern(), "%d/%m/%Y");
}
