// Business calendars. Expected values are worked out by hand in the comments (weekdays,
// UTC offsets and transition instants as published in the IANA tz database), or are
// properties every calendar must satisfy.
#include <gtest/gtest.h>

#include <date/tz.h>

#include <random>
#include <string_view>
#include <thread>

#include "cxkit/core/calendar.hpp"
// Internal: the POSIX footer rule that continues a zone past its last explicit transition.
#include "../../src/core/calendar_zone.hpp"

using namespace cxkit;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

Timestamp ts(std::string_view s) {
  Timestamp t{};
  EXPECT_TRUE(parse_iso8601(s, t)) << s;
  return t;
}

WorkingInterval iv(int begin_h, int begin_m, int end_h, int end_m) {
  return WorkingInterval{minutes{begin_h * 60 + begin_m}, minutes{end_h * 60 + end_m}};
}

/// Monday to Friday with the given intervals, weekend free.
Calendar::Week weekdays(std::vector<WorkingInterval> day) {
  Calendar::Week w;
  for (std::size_t d = 0; d < 5; ++d) w[d] = day;
  return w;
}

/// Only Sundays, with the given intervals.
Calendar::Week sundays(std::vector<WorkingInterval> day) {
  Calendar::Week w;
  w[6] = std::move(day);
  return w;
}

boost::gregorian::date ymd(int y, int m, int d) {
  return boost::gregorian::date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
                                static_cast<unsigned short>(d));
}

// 400 Gregorian years are exactly 146097 days (20871 weeks): weekdays and dates repeat.
constexpr Duration k400Years = std::chrono::duration_cast<Duration>(date::days{146097});

Timestamp random_instant(std::mt19937_64& rng, Timestamp lo, Timestamp hi) {
  std::uniform_int_distribution<std::int64_t> dist(to_micros(lo), to_micros(hi));
  return from_micros(dist(rng));
}

Duration random_duration(std::mt19937_64& rng, Duration max) {
  std::uniform_int_distribution<std::int64_t> dist(0, max.count());
  return Duration{dist(rng)};
}

}  // namespace

// ---- the 24/7 calendar ----

TEST(Calendar, AlwaysIsElapsedTime) {
  const Calendar c = Calendar::always();
  EXPECT_TRUE(c.is_always());
  EXPECT_EQ(c.timezone(), "UTC");
  EXPECT_EQ(c.weekly_working_time(), hours{168});
  EXPECT_LT(c.memory_bytes(), 1024u);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) {
    const Timestamp a = random_instant(rng, ts("1700-01-01"), ts("2500-01-01"));
    const Timestamp b = random_instant(rng, ts("1700-01-01"), ts("2500-01-01"));
    EXPECT_EQ(c.business_duration(a, b), b - a);
    EXPECT_EQ(c.add_business_time(a, b - a), b);
    EXPECT_TRUE(c.is_working_time(a));
    EXPECT_EQ(c.next_working_time(a), a);
  }
}

TEST(Calendar, FullWeekInAnyZoneIsAlways) {
  Calendar::Week full;
  for (auto& d : full) d = {iv(0, 0, 24, 0)};
  const Calendar ams("Europe/Amsterdam", full);
  EXPECT_TRUE(ams.is_always());
  // Local days tile the time line, so even the 23-hour day counts fully.
  EXPECT_EQ(ams.business_duration(ts("2024-03-30T00:00Z"), ts("2024-04-01T00:00Z")), hours{48});
  EXPECT_EQ(Calendar("UTC", full), Calendar::always());
  EXPECT_FALSE(Calendar("UTC", full, {ymd(2024, 1, 1)}).is_always());
}

TEST(Calendar, FullWeekWithAHolidayLosesThatDay) {
  Calendar::Week full;
  for (auto& d : full) d = {iv(0, 0, 24, 0)};
  const Calendar c("UTC", full, {ymd(2024, 1, 1)});
  EXPECT_EQ(c.business_duration(ts("2023-12-31T12:00Z"), ts("2024-01-02T12:00Z")), hours{24});
  EXPECT_EQ(c.add_business_time(ts("2023-12-31T23:00Z"), hours{2}), ts("2024-01-02T01:00Z"));
}

// ---- weekly hours ----

TEST(Calendar, BusinessHoursAcrossAWeekend) {
  const Calendar c = Calendar::business_hours("UTC");
  EXPECT_FALSE(c.is_always());
  EXPECT_EQ(c.weekly_working_time(), hours{40});
  // 2024-03-01 is a Friday: 16:00-17:00 Friday plus 09:00-10:00 Monday.
  EXPECT_EQ(c.business_duration(ts("2024-03-01T16:00Z"), ts("2024-03-04T10:00Z")), hours{2});
  EXPECT_EQ(c.business_duration(ts("2024-03-04T10:00Z"), ts("2024-03-01T16:00Z")), -hours{2});
  EXPECT_EQ(c.add_business_time(ts("2024-03-01T16:00Z"), hours{2}), ts("2024-03-04T10:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-04T10:00Z"), -hours{2}), ts("2024-03-01T16:00Z"));
}

TEST(Calendar, EndpointsOutsideWorkingTime) {
  const Calendar c = Calendar::business_hours("UTC");
  // Saturday noon to Sunday noon: nothing.
  EXPECT_EQ(c.business_duration(ts("2024-03-02T12:00Z"), ts("2024-03-03T12:00Z")), Duration{0});
  // Thursday 20:00 to Friday 08:00: nothing; to Friday 10:00: one hour.
  EXPECT_EQ(c.business_duration(ts("2024-02-29T20:00Z"), ts("2024-03-01T08:00Z")), Duration{0});
  EXPECT_EQ(c.business_duration(ts("2024-02-29T20:00Z"), ts("2024-03-01T10:00Z")), hours{1});
  // Friday 17:00 to Monday 09:00: nothing.
  EXPECT_EQ(c.business_duration(ts("2024-03-01T17:00Z"), ts("2024-03-04T09:00Z")), Duration{0});
  // Saturday + 1 h: Monday 10:00. Saturday - 1 h: Friday 16:00.
  EXPECT_EQ(c.add_business_time(ts("2024-03-02T12:00Z"), hours{1}), ts("2024-03-04T10:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-02T12:00Z"), -hours{1}), ts("2024-03-01T16:00Z"));
}

TEST(Calendar, MultiWeekSpans) {
  const Calendar c = Calendar::business_hours("UTC");
  // Three whole weeks from Monday 2024-03-04: 3 x 5 x 8 h.
  EXPECT_EQ(c.business_duration(ts("2024-03-04T00:00Z"), ts("2024-03-25T00:00Z")), hours{120});
  EXPECT_EQ(c.add_business_time(ts("2024-03-04T09:00Z"), hours{120}), ts("2024-03-22T17:00Z"));
  // 52 weeks of 2024 from Monday 2024-01-01 to Monday 2024-12-30: 52 x 40 h.
  EXPECT_EQ(c.business_duration(ts("2024-01-01T00:00Z"), ts("2024-12-30T00:00Z")), hours{52 * 40});
}

TEST(Calendar, LandingOnAnIntervalBoundary) {
  const Calendar c = Calendar::business_hours("UTC");
  // Forwards: exactly at the end of Monday's interval is Monday 17:00, not Tuesday 09:00.
  EXPECT_EQ(c.add_business_time(ts("2024-03-04T09:00Z"), hours{8}), ts("2024-03-04T17:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-01T09:00Z"), hours{8}), ts("2024-03-01T17:00Z"));
  // Backwards: exactly at the start of Tuesday's interval is Tuesday 09:00.
  EXPECT_EQ(c.add_business_time(ts("2024-03-05T17:00Z"), -hours{8}), ts("2024-03-05T09:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-04T17:00Z"), -hours{8}), ts("2024-03-04T09:00Z"));
  // One microsecond past Friday 17:00.
  EXPECT_EQ(c.add_business_time(ts("2024-03-01T17:00Z"), Duration{1}), ts("2024-03-04T09:00:00.000001Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-04T09:00Z"), -Duration{1}), ts("2024-03-01T16:59:59.999999Z"));
  // Zero is the identity, also outside working time.
  EXPECT_EQ(c.add_business_time(ts("2024-03-02T12:00Z"), Duration{0}), ts("2024-03-02T12:00Z"));
}

TEST(Calendar, LandingOnABoundaryOutsideTheTables) {
  // The same rules on the day-by-day path: 1500-01-01 and 2300-01-01 are Mondays, like
  // 1900-01-01, 400 years away.
  const Calendar c = Calendar::business_hours("UTC");
  for (const char* monday : {"1500-01-01", "2300-01-01"}) {
    const Timestamp m = ts(monday);
    EXPECT_EQ(c.add_business_time(m + hours{9}, hours{8}), m + hours{17}) << monday;
    EXPECT_EQ(c.add_business_time(m + hours{24 + 17}, -hours{8}), m + hours{24 + 9}) << monday;
    EXPECT_EQ(c.add_business_time(m + hours{4 * 24 + 16}, hours{2}), m + hours{7 * 24 + 10}) << monday;
    EXPECT_EQ(c.add_business_time(m + hours{7 * 24 + 10}, -hours{2}), m + hours{4 * 24 + 16}) << monday;
    EXPECT_EQ(c.business_duration(m, m + hours{21 * 24}), hours{120}) << monday;
    EXPECT_FALSE(c.is_working_time(m + hours{17})) << monday;
    EXPECT_TRUE(c.is_working_time(m + hours{9})) << monday;
    EXPECT_EQ(c.next_working_time(m + hours{4 * 24 + 17}), m + hours{7 * 24 + 9}) << monday;
  }
}

TEST(Calendar, HolidaysAreRemoved) {
  // Monday 2024-05-20 (Whit Monday) is a holiday: that week has 32 h, not 40 h.
  const Calendar c("UTC", weekdays({iv(9, 0, 17, 0)}), {ymd(2024, 5, 20)});
  EXPECT_EQ(c.business_duration(ts("2024-05-20T00:00Z"), ts("2024-05-27T00:00Z")), hours{32});
  EXPECT_EQ(c.business_duration(ts("2024-05-13T00:00Z"), ts("2024-05-20T00:00Z")), hours{40});
  EXPECT_EQ(c.add_business_time(ts("2024-05-17T16:00Z"), hours{2}), ts("2024-05-21T10:00Z"));
  EXPECT_FALSE(c.is_working_time(ts("2024-05-20T12:00Z")));
  EXPECT_EQ(c.next_working_time(ts("2024-05-17T17:00Z")), ts("2024-05-21T09:00Z"));
  // Repeats are dropped and the list sorted.
  const Calendar d("UTC", weekdays({iv(9, 0, 17, 0)}), {ymd(2024, 12, 25), ymd(2024, 5, 20), ymd(2024, 12, 25)});
  EXPECT_EQ(d.holidays(), (std::vector<boost::gregorian::date>{ymd(2024, 5, 20), ymd(2024, 12, 25)}));
}

TEST(Calendar, HolidaysAreLocalDates) {
  // Tokyo (UTC+9): the holiday 2024-05-06 (a Monday) covers 2024-05-05T15:00Z to
  // 2024-05-06T15:00Z; 09:00-17:00 JST that day would be 00:00Z-08:00Z.
  const Calendar c("Asia/Tokyo", weekdays({iv(9, 0, 17, 0)}), {ymd(2024, 5, 6)});
  EXPECT_EQ(c.business_duration(ts("2024-05-06T00:00Z"), ts("2024-05-06T08:00Z")), Duration{0});
  EXPECT_EQ(c.business_duration(ts("2024-05-07T00:00Z"), ts("2024-05-07T08:00Z")), hours{8});
}

TEST(Calendar, LunchBreaks) {
  const Calendar c("UTC", weekdays({iv(9, 0, 12, 30), iv(13, 30, 17, 0)}));
  EXPECT_EQ(c.weekly_working_time(), hours{35});
  // Tuesday 12:00 to 14:00: 30 min before lunch, 30 min after.
  EXPECT_EQ(c.business_duration(ts("2024-03-05T12:00Z"), ts("2024-03-05T14:00Z")), hours{1});
  EXPECT_EQ(c.add_business_time(ts("2024-03-05T12:00Z"), minutes{30}), ts("2024-03-05T12:30Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-05T12:00Z"), minutes{31}), ts("2024-03-05T13:31Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-03-05T14:00Z"), -minutes{30}), ts("2024-03-05T13:30Z"));
  EXPECT_FALSE(c.is_working_time(ts("2024-03-05T13:00Z")));
  EXPECT_EQ(c.next_working_time(ts("2024-03-05T12:30Z")), ts("2024-03-05T13:30Z"));
}

TEST(Calendar, WorkingTimeAndNextWorkingTime) {
  const Calendar c = Calendar::business_hours("UTC");
  EXPECT_TRUE(c.is_working_time(ts("2024-03-04T09:00Z")));
  EXPECT_TRUE(c.is_working_time(ts("2024-03-04T16:59:59.999999Z")));
  EXPECT_FALSE(c.is_working_time(ts("2024-03-04T08:59:59.999999Z")));
  EXPECT_FALSE(c.is_working_time(ts("2024-03-04T17:00Z")));  // intervals are half-open
  EXPECT_FALSE(c.is_working_time(ts("2024-03-02T12:00Z")));
  EXPECT_EQ(c.next_working_time(ts("2024-03-06T12:00Z")), ts("2024-03-06T12:00Z"));
  EXPECT_EQ(c.next_working_time(ts("2024-03-01T17:00Z")), ts("2024-03-04T09:00Z"));
  EXPECT_EQ(c.next_working_time(ts("2024-03-04T08:00Z")), ts("2024-03-04T09:00Z"));
}

TEST(Calendar, NextWorkingTimeAcrossAYearOfHolidays) {
  // Only Sundays work, and every Sunday of 2024 is a holiday (the first is 2024-01-07).
  std::vector<boost::gregorian::date> all_sundays;
  for (auto d = ymd(2024, 1, 7); d.year() == 2024; d += boost::gregorian::days(7)) all_sundays.push_back(d);
  const Calendar c("UTC", sundays({iv(0, 0, 24, 0)}), all_sundays);
  // 2025-01-01 is a Wednesday: the next Sunday is 2025-01-05.
  EXPECT_EQ(c.next_working_time(ts("2024-01-01T00:00Z")), ts("2025-01-05T00:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2024-01-01T00:00Z"), hours{1}), ts("2025-01-05T01:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2025-01-05T01:00Z"), -hours{2}), ts("2023-12-31T23:00Z"));
}

// ---- daylight-saving time ----

TEST(Calendar, AmsterdamDaylightSaving) {
  // 2024-03-31: 02:00 CET jumps to 03:00 CEST, the day has 23 h.
  // 2024-10-27: 03:00 CEST falls back to 02:00 CET, the day has 25 h.
  const Calendar whole_sunday("Europe/Amsterdam", sundays({iv(0, 0, 24, 0)}));
  EXPECT_EQ(whole_sunday.business_duration(ts("2024-03-25T00:00Z"), ts("2024-04-02T00:00Z")), hours{23});
  EXPECT_EQ(whole_sunday.business_duration(ts("2024-10-21T00:00Z"), ts("2024-10-29T00:00Z")), hours{25});
  // Sunday starts at 00:00 CET = 2024-03-30T23:00Z; 23 h later it ends.
  EXPECT_EQ(whole_sunday.next_working_time(ts("2024-03-30T12:00Z")), ts("2024-03-30T23:00Z"));
  EXPECT_EQ(whole_sunday.add_business_time(ts("2024-03-30T23:00Z"), hours{23}), ts("2024-03-31T22:00Z"));
  EXPECT_EQ(whole_sunday.add_business_time(ts("2024-03-30T23:00Z"), hours{24}), ts("2024-04-06T23:00Z"));

  // 09:00-17:00 stays 8 h on both days: the changes happen at night.
  const Calendar sunday_hours("Europe/Amsterdam", sundays({iv(9, 0, 17, 0)}));
  EXPECT_EQ(sunday_hours.business_duration(ts("2024-03-25T00:00Z"), ts("2024-04-02T00:00Z")), hours{8});
  EXPECT_EQ(sunday_hours.business_duration(ts("2024-10-21T00:00Z"), ts("2024-10-29T00:00Z")), hours{8});
  // 09:00 CEST = 07:00Z on 2024-03-31, 09:00 CET = 08:00Z on 2024-10-27.
  EXPECT_EQ(sunday_hours.next_working_time(ts("2024-03-31T00:00Z")), ts("2024-03-31T07:00Z"));
  EXPECT_EQ(sunday_hours.next_working_time(ts("2024-10-27T00:00Z")), ts("2024-10-27T08:00Z"));

  // Friday 16:00 CET to Monday 10:00 CEST across the change: 2 h.
  const Calendar office = Calendar::business_hours("Europe/Amsterdam");
  EXPECT_EQ(office.business_duration(ts("2024-03-29T16:00+01:00"), ts("2024-04-01T10:00+02:00")), hours{2});
  EXPECT_EQ(office.add_business_time(ts("2024-03-29T16:00+01:00"), hours{2}), ts("2024-04-01T10:00+02:00"));
}

TEST(Calendar, NightShiftOverTheChange) {
  // Sunday 01:00-04:00 local. 2024-03-31: 02:00-03:00 does not exist, so 2 h.
  // 2024-10-27: 02:00-03:00 happens twice; 01:00 CEST (23:00Z) to 04:00 CET (03:00Z) is 4 h.
  const Calendar c("Europe/Amsterdam", sundays({iv(1, 0, 4, 0)}));
  EXPECT_EQ(c.business_duration(ts("2024-03-30T00:00Z"), ts("2024-04-01T00:00Z")), hours{2});
  EXPECT_EQ(c.business_duration(ts("2024-10-26T00:00Z"), ts("2024-10-28T00:00Z")), hours{4});
  // A boundary inside the overlap takes the earlier instant: 02:30 CEST = 00:30Z.
  const Calendar overlap("Europe/Amsterdam", sundays({iv(2, 30, 5, 0)}));
  EXPECT_EQ(overlap.next_working_time(ts("2024-10-26T12:00Z")), ts("2024-10-27T00:30Z"));
  EXPECT_EQ(overlap.business_duration(ts("2024-10-26T00:00Z"), ts("2024-10-28T00:00Z")), hours{3} + minutes{30});
  // A boundary inside the gap moves to the gap's end: 02:30 -> 03:00 CEST = 01:00Z.
  EXPECT_EQ(overlap.next_working_time(ts("2024-03-30T12:00Z")), ts("2024-03-31T01:00Z"));
  EXPECT_EQ(overlap.business_duration(ts("2024-03-30T00:00Z"), ts("2024-04-01T00:00Z")), hours{2});
}

TEST(Calendar, NewYorkDaylightSaving) {
  // 2024-03-10: 02:00 EST -> 03:00 EDT (23 h day); 2024-11-03: 02:00 EDT -> 01:00 EST (25 h).
  const Calendar whole_sunday("America/New_York", sundays({iv(0, 0, 24, 0)}));
  EXPECT_EQ(whole_sunday.business_duration(ts("2024-03-09T00:00Z"), ts("2024-03-12T00:00Z")), hours{23});
  EXPECT_EQ(whole_sunday.business_duration(ts("2024-11-02T00:00Z"), ts("2024-11-05T00:00Z")), hours{25});
  const Calendar sunday_hours("America/New_York", sundays({iv(9, 0, 17, 0)}));
  EXPECT_EQ(sunday_hours.business_duration(ts("2024-03-09T00:00Z"), ts("2024-03-12T00:00Z")), hours{8});
  EXPECT_EQ(sunday_hours.business_duration(ts("2024-11-02T00:00Z"), ts("2024-11-05T00:00Z")), hours{8});
  // 09:00 EDT = 13:00Z on 2024-03-10.
  EXPECT_EQ(sunday_hours.next_working_time(ts("2024-03-10T00:00Z")), ts("2024-03-10T13:00Z"));
}

TEST(Calendar, SantiagoChangesAtMidnight) {
  // America/Santiago 2024-09-08: at 04:00Z Sunday 00:00 (-04) became 01:00 (-03): local
  // Sunday starts at 01:00, and lasts 23 h (to Monday 00:00 -03 = 2024-09-09T03:00Z).
  const Calendar whole_sunday("America/Santiago", sundays({iv(0, 0, 24, 0)}));
  EXPECT_EQ(whole_sunday.next_working_time(ts("2024-09-07T12:00Z")), ts("2024-09-08T04:00Z"));
  EXPECT_EQ(whole_sunday.business_duration(ts("2024-09-07T00:00Z"), ts("2024-09-10T00:00Z")), hours{23});
  // 00:00-02:00 keeps only 01:00-02:00 that day: the boundary in the gap moves to its end.
  const Calendar early("America/Santiago", sundays({iv(0, 0, 2, 0)}));
  EXPECT_EQ(early.business_duration(ts("2024-09-07T00:00Z"), ts("2024-09-10T00:00Z")), hours{1});
  EXPECT_EQ(early.business_duration(ts("2024-08-31T00:00Z"), ts("2024-09-03T00:00Z")), hours{2});
  // 2024-04-07 at 03:00Z Sunday 00:00 (-03) fell back to Saturday 23:00 (-04): Saturday
  // 2024-04-06 has 25 h, and its 23:00-24:00 starts at the earlier 23:00 (-03) = 02:00Z.
  Calendar::Week saturday;
  saturday[5] = {iv(0, 0, 24, 0)};
  EXPECT_EQ(Calendar("America/Santiago", saturday).business_duration(ts("2024-04-05T00:00Z"), ts("2024-04-09T00:00Z")),
            hours{25});
  saturday[5] = {iv(23, 0, 24, 0)};
  const Calendar late("America/Santiago", saturday);
  EXPECT_EQ(late.next_working_time(ts("2024-04-06T12:00Z")), ts("2024-04-07T02:00Z"));
  EXPECT_EQ(late.business_duration(ts("2024-04-05T00:00Z"), ts("2024-04-09T00:00Z")), hours{2});
}

TEST(Calendar, BeirutChangesAtMidnight) {
  // Asia/Beirut 2024-03-31: Sunday 00:00 EET jumped to 01:00 EEST at 2024-03-30T22:00Z.
  const Calendar whole_sunday("Asia/Beirut", sundays({iv(0, 0, 24, 0)}));
  EXPECT_EQ(whole_sunday.business_duration(ts("2024-03-29T00:00Z"), ts("2024-04-02T00:00Z")), hours{23});
  EXPECT_EQ(whole_sunday.next_working_time(ts("2024-03-30T12:00Z")), ts("2024-03-30T22:00Z"));
  // An interval wholly inside the gap has no working time that day, and the week after
  // (2024-04-07, EEST) it is the full hour 21:00Z-22:00Z Saturday.
  const Calendar in_gap("Asia/Beirut", sundays({iv(0, 0, 1, 0)}));
  EXPECT_EQ(in_gap.business_duration(ts("2024-03-29T00:00Z"), ts("2024-04-02T00:00Z")), Duration{0});
  EXPECT_EQ(in_gap.next_working_time(ts("2024-03-29T00:00Z")), ts("2024-04-06T21:00Z"));
}

TEST(Calendar, ASkippedDay) {
  // Pacific/Apia skipped Friday 2011-12-30 (at 10:00Z, Thursday 24:00 -10 became Saturday
  // 00:00 +14). Monday 2011-12-26 to Sunday: four working days, 32 h.
  const Calendar c = Calendar::business_hours("Pacific/Apia");
  EXPECT_EQ(c.business_duration(ts("2011-12-26T00:00-10:00"), ts("2012-01-02T00:00+14:00")), hours{32});
  EXPECT_EQ(c.add_business_time(ts("2011-12-29T16:00-10:00"), hours{2}), ts("2012-01-02T10:00+14:00"));
}

TEST(Calendar, DaylightSavingAfterTheZoneinfoTransitionsEnd) {
  // Fat zoneinfo files list transitions through 2037; later years follow the file's POSIX
  // rule. 2050-03-27 and 2050-10-30 are the last Sundays of March and October 2050.
  const Calendar c("Europe/Amsterdam", sundays({iv(0, 0, 24, 0)}));
  EXPECT_EQ(c.business_duration(ts("2050-03-21T00:00Z"), ts("2050-03-29T00:00Z")), hours{23});
  EXPECT_EQ(c.business_duration(ts("2050-10-24T00:00Z"), ts("2050-11-01T00:00Z")), hours{25});
  // 2150-03-29 is the last Sunday of March 2150 (2150-03-31 is a Tuesday).
  EXPECT_EQ(c.business_duration(ts("2150-03-23T00:00Z"), ts("2150-03-31T00:00Z")), hours{23});
}

TEST(Calendar, PosixRulesMatchTheExplicitTransitions) {
  // Each footer string (as in the zone's TZif file) must reproduce the transitions the
  // database lists explicitly for 2025-2037.
  const std::pair<const char*, const char*> zones[] = {
      {"Europe/Amsterdam", "CET-1CEST,M3.5.0,M10.5.0/3"},
      {"America/New_York", "EST5EDT,M3.2.0,M11.1.0"},
      {"America/Santiago", "<-04>4<-03>,M9.1.6/24,M4.1.6/24"},
      {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"},
      {"Europe/Dublin", "IST-1GMT0,M10.5.0,M3.5.0/1"},
      {"America/Nuuk", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"},
      {"Asia/Beirut", "EET-2EEST,M3.5.0/0,M10.5.0/0"},
      {"Pacific/Chatham", "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45"},
  };
  for (const auto& [name, rule_text] : zones) {
    const auto rule = detail::PosixTzRule::parse(rule_text);
    ASSERT_TRUE(rule) << rule_text;
    const auto* tz = date::locate_zone(name);
    date::sys_seconds t = date::sys_days{date::year{2025} / 1 / 1};
    int checked = 0;
    while (t < date::sys_days{date::year{2037} / 6 / 1}) {
      const auto info = tz->get_info(t);
      const auto span = rule->span_at(t.time_since_epoch().count());
      EXPECT_EQ(span.offset, info.offset.count()) << name << " at " << date::format("%F %T", t);
      EXPECT_EQ(span.end, info.end.time_since_epoch().count()) << name << " at " << date::format("%F %T", t);
      t = info.end;
      ++checked;
    }
    EXPECT_GE(checked, 24) << name;
    EXPECT_TRUE(detail::ZoneRules(name).extended()) << name;
  }
  EXPECT_FALSE(detail::PosixTzRule::parse(""));
  EXPECT_FALSE(detail::PosixTzRule::parse("CET-1CEST"));  // summer time without rules
  EXPECT_FALSE(detail::PosixTzRule::parse("CET-1CEST,M13.1.0,M10.5.0"));
  EXPECT_FALSE(detail::PosixTzRule::parse("C-1"));
  const auto fixed = detail::PosixTzRule::parse("<+0530>-5:30");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->span_at(0).offset, 5 * 3600 + 30 * 60);
}

// ---- the table boundaries (1900-01-01 and 2201-01-01 UTC) ----

TEST(Calendar, AgreesAcrossTheTableBoundaries) {
  // Amsterdam kept local mean time +00:19:32 around 1900 and CET in 2200-2201; both sides of
  // each boundary hold ten weekdays of 8 h. 1899-12-25 and 2200-12-22 are Mondays.
  const Calendar c = Calendar::business_hours("Europe/Amsterdam");
  EXPECT_EQ(c.business_duration(ts("1899-12-25T00:00Z"), ts("1900-01-08T00:00Z")), hours{80});
  EXPECT_EQ(c.business_duration(ts("2200-12-22T00:00Z"), ts("2201-01-05T00:00Z")), hours{80});
  EXPECT_EQ(c.business_duration(ts("1899-12-25T00:00Z"), ts("1900-01-01T00:00Z")), hours{40});
  EXPECT_EQ(c.business_duration(ts("2201-01-01T00:00Z"), ts("2201-01-05T00:00Z")), hours{16});
  // Friday 1899-12-29 16:00 local = 15:40:28Z; one hour to 17:00, one more Monday.
  EXPECT_EQ(c.add_business_time(ts("1899-12-29T15:40:28Z"), hours{2}), ts("1900-01-01T09:40:28Z"));
  EXPECT_EQ(c.add_business_time(ts("1900-01-01T09:40:28Z"), -hours{2}), ts("1899-12-29T15:40:28Z"));
  EXPECT_EQ(c.next_working_time(ts("1899-12-30T00:00Z")), ts("1900-01-01T08:40:28Z"));
  // Wednesday 2200-12-31 16:00 CET = 15:00Z; + 2 h = Thursday 2201-01-01 10:00 CET.
  EXPECT_EQ(c.add_business_time(ts("2200-12-31T15:00Z"), hours{2}), ts("2201-01-01T09:00Z"));
  EXPECT_EQ(c.add_business_time(ts("2201-01-01T09:00Z"), -hours{2}), ts("2200-12-31T15:00Z"));
}

TEST(Calendar, IntervalsStraddlingTheTableBoundaries) {
  // Tokyo (JST, +9 since 1888): Monday 1900-01-01 00:00-24:00 local is 1899-12-31T15:00Z to
  // 1900-01-01T15:00Z, across the first boundary; Thursday 2201-01-01 is
  // 2200-12-31T15:00Z to 2201-01-01T15:00Z, across the last.
  Calendar::Week w;
  w[0] = {iv(0, 0, 24, 0)};
  w[3] = {iv(0, 0, 24, 0)};
  const Calendar c("Asia/Tokyo", w);
  for (const char* start : {"1899-12-31T15:00Z", "2200-12-31T15:00Z"}) {
    const Timestamp s = ts(start);
    const Timestamp boundary = s + hours{9};
    EXPECT_EQ(c.business_duration(s - hours{10}, s + hours{30}), hours{24}) << start;
    EXPECT_EQ(c.business_duration(s, boundary), hours{9}) << start;
    EXPECT_EQ(c.business_duration(boundary, s + hours{24}), hours{15}) << start;
    EXPECT_EQ(c.add_business_time(s, hours{9}), boundary) << start;
    EXPECT_EQ(c.add_business_time(s, hours{24}), s + hours{24}) << start;
    EXPECT_EQ(c.add_business_time(s + hours{24}, -hours{15}), boundary) << start;
    EXPECT_EQ(c.add_business_time(s + hours{24}, -hours{24}), s) << start;
    EXPECT_EQ(c.add_business_time(boundary, -hours{9}), s) << start;
    EXPECT_TRUE(c.is_working_time(boundary)) << start;
    EXPECT_TRUE(c.is_working_time(boundary - Duration{1})) << start;
    EXPECT_EQ(c.next_working_time(s - hours{10}), s) << start;
  }
}

TEST(Calendar, DayByDayPathMatchesTheTables) {
  // Weekdays and dates repeat every 400 years, and so do UTC calendars and the POSIX rules
  // that zones follow after their explicit transitions: instants 400 years away from the
  // tables (computed day by day) must give the same answers as the tables.
  // Each holiday with its twins 400 years away.
  const std::vector<boost::gregorian::date> holidays = {ymd(1560, 12, 26), ymd(1960, 12, 26), ymd(2360, 12, 26),
                                                        ymd(2060, 12, 25), ymd(2460, 12, 25)};
  struct Case {
    Calendar cal;
    Timestamp lo, hi;
  };
  const Case cases[] = {
      {Calendar("UTC", weekdays({iv(9, 0, 12, 30), iv(13, 30, 17, 0)}), holidays), ts("1950-01-01"), ts("2000-01-01")},
      {Calendar("Europe/Amsterdam", weekdays({iv(8, 0, 18, 0)}), holidays), ts("2040-01-01"), ts("2090-01-01")},
      {Calendar("America/Santiago", sundays({iv(0, 0, 2, 0), iv(23, 0, 24, 0)})), ts("2040-01-01"), ts("2090-01-01")},
  };
  std::mt19937_64 rng(7);
  for (const Case& k : cases) {
    for (int i = 0; i < 300; ++i) {
      const Timestamp a = random_instant(rng, k.lo, k.hi);
      const Timestamp b = a + random_duration(rng, hours{24 * 60});
      const Duration d = random_duration(rng, hours{300});
      // The UTC calendar is also checked 400 years before the tables.
      const Duration shift = (k.lo < ts("2000-01-01") && i % 2 == 1) ? -k400Years : k400Years;
      EXPECT_EQ(k.cal.business_duration(a + shift, b + shift), k.cal.business_duration(a, b));
      EXPECT_EQ(k.cal.add_business_time(a + shift, d), k.cal.add_business_time(a, d) + shift);
      EXPECT_EQ(k.cal.add_business_time(b + shift, -d), k.cal.add_business_time(b, -d) + shift);
      EXPECT_EQ(k.cal.is_working_time(a + shift), k.cal.is_working_time(a));
      EXPECT_EQ(k.cal.next_working_time(a + shift), k.cal.next_working_time(a) + shift);
    }
  }
}

// ---- properties on random instants ----

namespace {
std::vector<Calendar> property_calendars() {
  return {
      Calendar("Europe/Amsterdam", weekdays({iv(9, 0, 12, 30), iv(13, 30, 17, 0)}),
               {ymd(2024, 4, 1), ymd(2024, 12, 25), ymd(2024, 12, 26), ymd(2025, 1, 1)}),
      Calendar::business_hours("America/New_York"),
      Calendar("America/Santiago", sundays({iv(0, 0, 2, 0), iv(23, 0, 24, 0)})),
      Calendar("Asia/Tokyo", weekdays({iv(0, 0, 24, 0)})),
  };
}
}  // namespace

TEST(Calendar, AddBusinessTimeInvertsBusinessDuration) {
  std::mt19937_64 rng(42);
  for (const Calendar& c : property_calendars()) {
    for (int i = 0; i < 2000; ++i) {
      // Mostly inside the tables, sometimes across or outside their ends.
      const bool edge = i % 10 == 0;
      const Timestamp lo = edge ? ts("1899-11-01") : ts("1995-01-01");
      const Timestamp hi = edge ? ts("1900-03-01") : ts("2035-01-01");
      const Timestamp t = random_instant(rng, (i % 20 == 10) ? ts("2200-11-01") : lo,
                                         (i % 20 == 10) ? ts("2201-03-01") : hi);
      const Duration d = random_duration(rng, hours{400});
      const Timestamp fwd = c.add_business_time(t, d);
      const Timestamp back = c.add_business_time(t, -d);
      ASSERT_EQ(c.business_duration(t, fwd), d) << c.timezone() << " " << format_iso8601(t);
      ASSERT_EQ(c.business_duration(back, t), d) << c.timezone() << " " << format_iso8601(t);
      ASSERT_GE(fwd, t);
      ASSERT_LE(back, t);
      // Going back the same amount returns to t, or, from outside working time, to the
      // start of the next working interval (the latest instant with the same work before).
      if (d > Duration{0}) {
        ASSERT_EQ(c.add_business_time(fwd, -d), c.next_working_time(t)) << c.timezone() << " " << format_iso8601(t);
        if (c.is_working_time(t)) ASSERT_EQ(c.next_working_time(t), t);
        ASSERT_EQ(c.business_duration(c.add_business_time(back, d), t), Duration{0});
      }
    }
  }
}

TEST(Calendar, DurationIsAntisymmetricAndAdditive) {
  std::mt19937_64 rng(3);
  for (const Calendar& c : property_calendars()) {
    for (int i = 0; i < 2000; ++i) {
      const Timestamp lo = (i % 10 == 0) ? ts("1899-06-01") : ts("1995-01-01");
      const Timestamp hi = (i % 10 == 0) ? ts("1900-06-01") : ts("2035-01-01");
      const Timestamp a = random_instant(rng, lo, hi), b = random_instant(rng, lo, hi),
                      x = random_instant(rng, lo, hi);
      ASSERT_EQ(c.business_duration(a, b), -c.business_duration(b, a));
      ASSERT_EQ(c.business_duration(a, x), c.business_duration(a, b) + c.business_duration(b, x));
      ASSERT_EQ(c.business_duration(a, a), Duration{0});
    }
  }
}

TEST(Calendar, WorkingTimeAgreesWithDurations) {
  std::mt19937_64 rng(5);
  for (const Calendar& c : property_calendars()) {
    for (int i = 0; i < 2000; ++i) {
      const Timestamp t = random_instant(rng, ts("2000-01-01"), ts("2030-01-01"));
      const bool working = c.is_working_time(t);
      // Working exactly when the next microsecond is working time.
      EXPECT_EQ(working, c.business_duration(t, t + Duration{1}) == Duration{1});
      const Timestamp n = c.next_working_time(t);
      EXPECT_EQ(working, n == t);
      EXPECT_TRUE(c.is_working_time(n));
      EXPECT_EQ(c.business_duration(t, n), Duration{0});
    }
  }
}

// ---- construction, equality, errors ----

TEST(Calendar, NormalisesAndCompares) {
  Calendar::Week split = weekdays({iv(13, 0, 17, 0), iv(9, 0, 13, 0)});  // touching, unsorted
  const Calendar a("Europe/Amsterdam", split);
  const Calendar b = Calendar::business_hours("Europe/Amsterdam");
  EXPECT_EQ(a.week()[0], (std::vector<WorkingInterval>{iv(9, 0, 17, 0)}));
  EXPECT_EQ(a, b);
  const Calendar copy = b;  // shares the tables
  EXPECT_EQ(copy, b);
  EXPECT_EQ(copy.business_duration(ts("2024-03-01T00:00Z"), ts("2024-03-08T00:00Z")), hours{40});
  EXPECT_FALSE(a == Calendar::business_hours("UTC"));
  EXPECT_FALSE(a == Calendar("Europe/Amsterdam", split, {ymd(2024, 1, 1)}));
  EXPECT_FALSE(a == Calendar("Europe/Amsterdam", weekdays({iv(9, 0, 16, 0)})));
  Calendar moved_from = Calendar::business_hours("UTC");
  const Calendar target = std::move(moved_from);
  EXPECT_EQ(moved_from, target);  // moves copy: the source stays usable
  // Tables of a business-hours calendar: ~110k days x 16 B + ~79k pieces x 8 B.
  EXPECT_GT(b.memory_bytes(), 2'000'000u);
  EXPECT_LT(b.memory_bytes(), 3'000'000u);
}

TEST(Calendar, RejectsBadDefinitions) {
  EXPECT_THROW(Calendar::business_hours("Mars/Olympus_Mons"), NotFoundError);
  try {
    Calendar::business_hours("Mars/Olympus_Mons");
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("Mars/Olympus_Mons"), std::string::npos) << e.what();
  }
  auto message = [](Calendar::Week w) -> std::string {
    try {
      Calendar("UTC", std::move(w));
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  Calendar::Week reversed;
  reversed[1] = {iv(17, 0, 9, 0)};
  EXPECT_NE(message(reversed).find("Tuesday"), std::string::npos) << message(reversed);
  EXPECT_NE(message(reversed).find("17:00-09:00"), std::string::npos) << message(reversed);
  Calendar::Week empty_interval;
  empty_interval[0] = {iv(9, 0, 9, 0)};
  EXPECT_NE(message(empty_interval).find("09:00-09:00"), std::string::npos);
  Calendar::Week too_late;
  too_late[4] = {iv(23, 0, 24, 30)};
  EXPECT_NE(message(too_late).find("Friday"), std::string::npos);
  EXPECT_NE(message(too_late).find("23:00-24:30"), std::string::npos);
  Calendar::Week negative;
  negative[6] = {WorkingInterval{minutes{-30}, minutes{60}}};
  EXPECT_NE(message(negative).find("Sunday"), std::string::npos);
  EXPECT_NE(message(negative).find("-00:30-01:00"), std::string::npos) << message(negative);
  Calendar::Week overlapping;
  overlapping[2] = {iv(11, 0, 13, 0), iv(9, 0, 12, 0)};
  const std::string overlap = message(overlapping);
  EXPECT_NE(overlap.find("Wednesday"), std::string::npos) << overlap;
  EXPECT_NE(overlap.find("09:00-12:00"), std::string::npos) << overlap;
  EXPECT_NE(overlap.find("11:00-13:00"), std::string::npos) << overlap;
  EXPECT_NE(message(Calendar::Week{}).find("no working time"), std::string::npos);
  EXPECT_THROW(Calendar("UTC", weekdays({iv(9, 0, 17, 0)}), {boost::gregorian::date(boost::gregorian::not_a_date_time)}),
               InputError);
  // The zone is checked even for a 24/7 week.
  Calendar::Week full;
  for (auto& d : full) d = {iv(0, 0, 24, 0)};
  EXPECT_THROW(Calendar("Nowhere/Special", full), NotFoundError);
}

TEST(Calendar, InstantsBeyondTheYear9999) {
  const Calendar c = Calendar::business_hours("UTC");
  const Timestamp last = from_micros(kMaxTimestampMicros);
  EXPECT_THROW(c.business_duration(ts("2024-01-01"), last + hours{1}), InputError);
  EXPECT_THROW(c.add_business_time(ts("9999-12-30T12:00Z"), hours{100}), InputError);
  EXPECT_THROW(c.add_business_time(ts("0001-01-02T12:00Z"), -hours{100}), InputError);
  EXPECT_THROW(c.add_business_time(ts("2024-01-01"), Duration::max()), InputError);
  EXPECT_THROW(c.add_business_time(ts("2024-01-01"), Duration::min()), InputError);
  // 9999-12-31 is a Friday: working until 17:00.
  EXPECT_EQ(c.add_business_time(ts("9999-12-31T16:00Z"), hours{1}), ts("9999-12-31T17:00Z"));
}

TEST(Calendar, SafeToShareBetweenThreads) {
  const Calendar c = Calendar::business_hours("Europe/Amsterdam");
  std::mt19937_64 rng(11);
  std::vector<Timestamp> a(2000), b(2000);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = random_instant(rng, ts("1890-01-01"), ts("2030-01-01"));
    b[i] = a[i] + random_duration(rng, hours{24 * 30});
  }
  std::vector<Duration> expected(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) expected[i] = c.business_duration(a[i], b[i]);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      const Calendar mine = c;  // copies share the tables
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (mine.business_duration(a[i], b[i]) != expected[i]) ++mismatches[static_cast<std::size_t>(k)];
        if (mine.business_duration(a[i], mine.add_business_time(a[i], expected[i])) != expected[i])
          ++mismatches[static_cast<std::size_t>(k)];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}
