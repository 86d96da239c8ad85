// The working time of a business calendar as UTC intervals: computed day by day from the
// rule (Schedule), and precomputed for 1900-2200 into flat tables (DayTables) that answer
// "working time before t" in O(1).
//
// All instants and durations here are int64 microseconds since the Unix epoch.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "calendar_zone.hpp"

namespace cxkit::detail {

inline constexpr std::int64_t kMicrosPerSecond = 1'000'000;
inline constexpr std::int64_t kDayMicros = 86'400 * kMicrosPerSecond;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// Half-open UTC interval [begin, end).
struct UtcInterval {
  std::int64_t begin;
  std::int64_t end;
};

/// The calendar's rule: weekly local working intervals in a zone, minus holiday dates.
class Schedule {
 public:
  /// A local working interval in seconds after local midnight.
  using LocalInterval = std::pair<std::int32_t, std::int32_t>;
  /// `week` indexed Monday = 0; intervals sorted, disjoint and not touching.
  /// `holidays`: days since 1970-01-01, sorted and unique.
  Schedule(ZoneRules zone, std::array<std::vector<LocalInterval>, 7> week, std::vector<std::int64_t> holidays);

  const ZoneRules& zone() const noexcept { return zone_; }
  /// Heap bytes of the rule (intervals and holidays).
  std::size_t memory_bytes() const noexcept;

  /// The local day (days since 1970-01-01) whose wall clock shows at `t`. In the repeated
  /// hour of an overlap at midnight the day that the earlier-instant rule assigns `t` to may
  /// be a later one; callers walking days start two days early (late) to cover that.
  std::int64_t local_day_of(std::int64_t t) const;
  /// UTC instant at which local day `day` begins (its 00:00, or the end of a gap over it).
  std::int64_t day_start(std::int64_t day, ZoneSpan& hint) const;
  /// The non-empty UTC working intervals of local day `day`, in order, into `out`.
  void day_intervals(std::int64_t day, ZoneSpan& hint, std::vector<UtcInterval>& out) const;

  /// Calls f(begin, end) for each working interval clipped to [from, to), in increasing
  /// order, until f returns false. O(days spanned).
  template <class F>
  void walk_forward(std::int64_t from, std::int64_t to, F&& f) const;
  /// The same in decreasing order.
  template <class F>
  void walk_backward(std::int64_t from, std::int64_t to, F&& f) const;

 private:
  bool is_holiday(std::int64_t day) const;

  ZoneRules zone_;
  std::array<std::vector<LocalInterval>, 7> week_;
  std::vector<std::int64_t> holidays_;
};

/// Working time of a Schedule in [begin, end) = whole UTC days, as flat arrays.
///
/// Indexed by UTC day (not local day) so that finding the day of an instant is a single
/// division. Per UTC day: the working time before the day's start (prefix sum) and where
/// its pieces of working intervals start in one shared array; a working interval crossing a
/// UTC midnight is split there. 16 bytes per day plus 8 bytes per piece.
class DayTables {
 public:
  /// Tables for UTC days [first_day, end_day) (days since 1970-01-01). `weekly` is the
  /// nominal weekly working time, used only to guess how far a search must jump.
  DayTables(const Schedule& schedule, std::int64_t first_day, std::int64_t end_day, std::int64_t weekly);

  std::int64_t begin() const noexcept { return begin_; }
  std::int64_t end() const noexcept { return end_; }
  /// Working time in [begin(), end()).
  std::int64_t total() const noexcept { return days_.back().prefix; }
  std::size_t memory_bytes() const noexcept;

  /// Working time in [begin(), t), for t in [begin(), end()]. O(pieces in t's day).
  std::int64_t work_before(std::int64_t t) const noexcept;
  /// The earliest t' > t with work_before(t') == target, for target in (work_before(t), total()].
  std::int64_t forward(std::int64_t t, std::int64_t target) const noexcept;
  /// The latest t' < t with work_before(t') == target, for target in [0, work_before(t)).
  std::int64_t backward(std::int64_t t, std::int64_t target) const noexcept;
  /// Whether t, in [begin(), end()), lies in a working interval.
  bool is_working(std::int64_t t) const noexcept;
  /// For t in [begin(), end()): t when working, else the start of the next working interval
  /// before end(); nullopt when there is none.
  std::optional<std::int64_t> next_working(std::int64_t t) const noexcept;

 private:
  struct Day {
    std::int64_t prefix;  // working microseconds in [begin_, this day's start)
    std::uint32_t first;  // index of the day's first piece
    std::uint32_t count;  // number of pieces
  };
  struct Piece {  // seconds after the UTC day's midnight: UTC offsets are whole seconds
    std::uint32_t begin;
    std::uint32_t end;
  };
  std::int64_t day_index(std::int64_t t) const noexcept { return floor_div(t - begin_, kDayMicros); }
  std::int64_t day_begin(std::int64_t k) const noexcept { return begin_ + k * kDayMicros; }
  /// How many days `work` of working time usually spans, for a search's first jump.
  std::int64_t estimate_days(std::int64_t work) const noexcept;

  std::int64_t begin_ = 0;
  std::int64_t end_ = 0;
  std::int64_t weekly_ = 0;
  std::vector<Day> days_;  // one per day, plus a sentinel holding the total
  std::vector<Piece> pieces_;
};

// ---- template definitions ----

template <class F>
void Schedule::walk_forward(std::int64_t from, std::int64_t to, F&& f) const {
  ZoneSpan hint = zone_.span_at(floor_div(from, kMicrosPerSecond));
  std::vector<UtcInterval> buf;
  for (std::int64_t day = local_day_of(from) - 2;; ++day) {
    if (day_start(day, hint) >= to) return;
    day_intervals(day, hint, buf);
    for (const UtcInterval& iv : buf) {
      const std::int64_t b = iv.begin < from ? from : iv.begin;
      const std::int64_t e = iv.end > to ? to : iv.end;
      if (b < e && !f(b, e)) return;
    }
  }
}

template <class F>
void Schedule::walk_backward(std::int64_t from, std::int64_t to, F&& f) const {
  ZoneSpan hint = zone_.span_at(floor_div(to, kMicrosPerSecond));
  std::vector<UtcInterval> buf;
  for (std::int64_t day = local_day_of(to) + 2;; --day) {
    if (day_start(day + 1, hint) <= from) return;
    day_intervals(day, hint, buf);
    for (auto it = buf.rbegin(); it != buf.rend(); ++it) {
      const std::int64_t b = it->begin < from ? from : it->begin;
      const std::int64_t e = it->end > to ? to : it->end;
      if (b < e && !f(b, e)) return;
    }
  }
}

}  // namespace cxkit::detail
