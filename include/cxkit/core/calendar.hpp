// Business calendars: weekly working hours in a local IANA time zone, minus holidays.
//
// Every "within N hours" in cxkit is measured on a Calendar; Calendar::always() (24/7 UTC)
// is the default. Working intervals are local wall-clock times, so a 09:00-17:00 day stays
// 09:00-17:00 across daylight-saving changes (that day may then hold 7 or 9 real hours if
// the change falls inside working time). Dates, weekdays and holidays use Boost.Date_Time's
// gregorian calendar; time zones (with their full DST history) use Howard Hinnant's date/tz
// reading the system's zoneinfo.
//
// A Calendar is immutable and cheap to copy (the tables are shared); every method is const
// and safe to call from many threads at once. docs/calendars.md states the semantics in full:
// a working-interval boundary that falls in a daylight-saving gap moves to the instant the
// gap ends, one in an overlap takes the earlier instant, and holidays are local dates.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "cxkit/core/error.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit {

/// A working interval within one local day: [begin, end) as time since local midnight.
/// 0 <= begin < end <= 24h.
struct WorkingInterval {
  std::chrono::minutes begin{0};
  std::chrono::minutes end{0};
  friend bool operator==(const WorkingInterval&, const WorkingInterval&) = default;
};

class Calendar {
 public:
  /// Working intervals per weekday; index 0 is Monday, 6 is Sunday.
  using Week = std::array<std::vector<WorkingInterval>, 7>;

  /// Every instant is working time, in UTC: business time equals elapsed time.
  static Calendar always();
  /// Monday to Friday 09:00-17:00 in `timezone`, no holidays.
  static Calendar business_hours(const std::string& timezone = "UTC");

  /// Throws NotFoundError for an unknown time zone; InputError for an interval outside
  /// 00:00-24:00, empty or overlapping another on the same day, or a week with no working
  /// time at all (business-time arithmetic would never finish), or a holiday that is not a
  /// date (not_a_date_time, infinities). Intervals that touch are merged.
  /// Complexity: builds the tables for 1900-2200, a few tens of milliseconds, unless the
  /// calendar is 24/7 (then O(1)).
  Calendar(std::string timezone, Week week, std::vector<boost::gregorian::date> holidays = {});

  // Copies share the tables; a move copies too, so a moved-from Calendar stays usable.
  Calendar(const Calendar&) = default;
  Calendar& operator=(const Calendar&) = default;

  const std::string& timezone() const noexcept;
  /// The intervals per weekday, sorted by begin, touching ones merged.
  const Week& week() const noexcept;
  /// Sorted, without repeats.
  const std::vector<boost::gregorian::date>& holidays() const noexcept;
  /// True for the 24/7 calendar (no holidays, every day 00:00-24:00), in any time zone:
  /// business time is then elapsed time, computed without tables.
  bool is_always() const noexcept;
  /// Working time in a week without holidays (wall-clock sum of the intervals).
  Duration weekly_working_time() const noexcept;

  /// Working time in [a, b); negative when b < a. O(1) amortised per call for instants in
  /// the years 1900-2200 (precomputed day tables), O(days) outside.
  /// Instants outside 0001-9999 (kMin/kMaxTimestampMicros) that need the day-by-day path
  /// throw InputError; for the 24/7 calendar the result must fit in a Duration.
  Duration business_duration(Timestamp a, Timestamp b) const;
  /// The instant at which `d` of working time has passed since `t` (d >= 0), or the
  /// instant `-d` of working time before `t` (d < 0). add_business_time(t, 0) is t.
  /// Forwards it is the earliest such instant: landing exactly where a working interval
  /// ends gives that end, not the start of the next interval. Backwards it is the latest:
  /// landing exactly on an interval's start gives that start. O(1) plus O(log) of the span
  /// for the years 1900-2200, O(days) outside. Throws InputError when the answer (or an
  /// instant on the day-by-day path) lies outside 0001-9999.
  Timestamp add_business_time(Timestamp t, Duration d) const;
  /// Whether `t` falls inside a working interval ([begin, end): the end is not working
  /// time) on a non-holiday.
  bool is_working_time(Timestamp t) const;
  /// `t` when it is working time, else the start of the next working interval.
  Timestamp next_working_time(Timestamp t) const;
  /// Bytes held by this calendar's shared state, tables included (about 2.4 MB for
  /// business_hours(); a few hundred bytes for a 24/7 calendar).
  std::size_t memory_bytes() const noexcept;

  friend bool operator==(const Calendar& a, const Calendar& b) noexcept;

  struct Impl;

 private:
  explicit Calendar(std::shared_ptr<const Impl> impl) noexcept;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace cxkit
