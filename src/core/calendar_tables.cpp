#include "calendar_tables.hpp"

#include <algorithm>

namespace cxkit::detail {
namespace {

constexpr std::int64_t kDaySeconds = 86400;

/// The smallest k in (lo, hi] with pred(k), for pred false at lo (or below the range),
/// true at hi and monotone. Gallops out from `guess`, then bisects: O(log |answer - guess|).
template <class Pred>
std::int64_t first_true(std::int64_t lo, std::int64_t hi, std::int64_t guess, Pred pred) noexcept {
  guess = std::clamp(guess, lo + 1, hi);
  if (guess < hi) {
    std::int64_t step = 1;
    if (pred(guess)) {
      hi = guess;
      while (hi - step > lo) {
        if (!pred(hi - step)) {
          lo = hi - step;
          break;
        }
        hi -= step;
        step *= 2;
      }
    } else {
      lo = guess;
      while (lo + step < hi) {
        if (pred(lo + step)) {
          hi = lo + step;
          break;
        }
        lo += step;
        step *= 2;
      }
    }
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (pred(mid)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

}  // namespace

// ---- Schedule ----

Schedule::Schedule(ZoneRules zone, std::array<std::vector<LocalInterval>, 7> week,
                   std::vector<std::int64_t> holidays)
    : zone_(std::move(zone)), week_(std::move(week)), holidays_(std::move(holidays)) {}

std::size_t Schedule::memory_bytes() const noexcept {
  std::size_t bytes = holidays_.capacity() * sizeof(std::int64_t);
  for (const auto& day : week_) bytes += day.capacity() * sizeof(LocalInterval);
  return bytes;
}

bool Schedule::is_holiday(std::int64_t day) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), day);
}

std::int64_t Schedule::local_day_of(std::int64_t t) const {
  const std::int64_t s = floor_div(t, kMicrosPerSecond);
  return floor_div(s + zone_.span_at(s).offset, kDaySeconds);
}

std::int64_t Schedule::day_start(std::int64_t day, ZoneSpan& hint) const {
  return zone_.local_to_utc(day * kDaySeconds, hint) * kMicrosPerSecond;
}

void Schedule::day_intervals(std::int64_t day, ZoneSpan& hint, std::vector<UtcInterval>& out) const {
  out.clear();
  if (is_holiday(day)) return;
  // 1970-01-01 was a Thursday: Monday-based weekday 3.
  const auto weekday = static_cast<std::size_t>(day + 3 - floor_div(day + 3, 7) * 7);
  const std::int64_t midnight = day * kDaySeconds;
  for (const auto& [b, e] : week_[weekday]) {
    // Boundaries map one by one (earlier instant in an overlap, gap end in a gap); the
    // mapping never decreases, so an interval inside a gap collapses to nothing.
    const std::int64_t ub = zone_.local_to_utc(midnight + b, hint) * kMicrosPerSecond;
    const std::int64_t ue = zone_.local_to_utc(midnight + e, hint) * kMicrosPerSecond;
    if (ub < ue) out.push_back({ub, ue});
  }
}

// ---- DayTables ----

DayTables::DayTables(const Schedule& schedule, std::int64_t first_day, std::int64_t end_day, std::int64_t weekly)
    : begin_(first_day * kDayMicros), end_(end_day * kDayMicros), weekly_(weekly) {
  const std::int64_t n = end_day - first_day;
  days_.assign(static_cast<std::size_t>(n + 1), Day{0, 0, 0});
  ZoneSpan hint = schedule.zone().span_at(first_day * kDaySeconds);
  std::vector<UtcInterval> buf;
  // Local days reach up to a day (plus any offset) beyond the UTC range on either side.
  for (std::int64_t day = first_day - 2; day <= end_day + 2; ++day) {
    schedule.day_intervals(day, hint, buf);
    for (const UtcInterval& iv : buf) {
      std::int64_t b = std::max(iv.begin, begin_);
      const std::int64_t e = std::min(iv.end, end_);
      while (b < e) {  // split at UTC midnights
        const std::int64_t k = day_index(b);
        const std::int64_t base = day_begin(k);
        const std::int64_t piece_end = std::min(e, base + kDayMicros);
        const Piece p{static_cast<std::uint32_t>((b - base) / kMicrosPerSecond),
                      static_cast<std::uint32_t>((piece_end - base) / kMicrosPerSecond)};
        Day& d = days_[static_cast<std::size_t>(k)];
        if (d.count > 0 && pieces_.back().end == p.begin) {
          pieces_.back().end = p.end;  // touching intervals of consecutive local days
        } else {
          if (d.count == 0) d.first = static_cast<std::uint32_t>(pieces_.size());
          pieces_.push_back(p);
          ++d.count;
        }
        b = piece_end;
      }
    }
  }
  pieces_.shrink_to_fit();
  std::int64_t prefix = 0;
  std::uint32_t next = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) {
    Day& d = days_[k];
    if (d.count == 0) d.first = next;
    d.prefix = prefix;
    for (std::uint32_t i = d.first; i < d.first + d.count; ++i)
      prefix += std::int64_t{pieces_[i].end - pieces_[i].begin} * kMicrosPerSecond;
    next = d.first + d.count;
  }
  days_.back() = Day{prefix, next, 0};
}

std::size_t DayTables::memory_bytes() const noexcept {
  return sizeof(*this) + days_.capacity() * sizeof(Day) + pieces_.capacity() * sizeof(Piece);
}

std::int64_t DayTables::estimate_days(std::int64_t work) const noexcept {
  return work / weekly_ * 7 + (work % weekly_) * 7 / weekly_;
}

std::int64_t DayTables::work_before(std::int64_t t) const noexcept {
  const std::int64_t k = day_index(t);
  const Day& d = days_[static_cast<std::size_t>(k)];
  const std::int64_t x = t - day_begin(k);
  std::int64_t sum = d.prefix;
  const Piece* p = pieces_.data() + d.first;
  for (const Piece* last = p + d.count; p != last; ++p) {
    const std::int64_t b = std::int64_t{p->begin} * kMicrosPerSecond;
    if (x <= b) break;
    const std::int64_t e = std::int64_t{p->end} * kMicrosPerSecond;
    sum += (x < e ? x : e) - b;
  }
  return sum;
}

std::int64_t DayTables::forward(std::int64_t t, std::int64_t target) const noexcept {
  const std::int64_t k0 = day_index(t);
  const std::int64_t n = static_cast<std::int64_t>(days_.size()) - 1;
  // The first day whose end has reached `target`.
  const std::int64_t k = first_true(k0 - 1, n - 1, k0 + estimate_days(target - days_[static_cast<std::size_t>(k0)].prefix),
                                    [this, target](std::int64_t j) {
                                      return days_[static_cast<std::size_t>(j + 1)].prefix >= target;
                                    });
  const Day& d = days_[static_cast<std::size_t>(k)];
  const std::int64_t base = day_begin(k);
  std::int64_t c = d.prefix;
  for (std::uint32_t i = d.first; i < d.first + d.count; ++i) {
    const std::int64_t len = std::int64_t{pieces_[i].end - pieces_[i].begin} * kMicrosPerSecond;
    // `<=`: landing exactly on a piece's end returns that end, not the next piece's start.
    if (target - c <= len) return base + std::int64_t{pieces_[i].begin} * kMicrosPerSecond + (target - c);
    c += len;
  }
  return base + kDayMicros;  // not reached: day k's pieces reach `target`
}

std::int64_t DayTables::backward(std::int64_t t, std::int64_t target) const noexcept {
  const std::int64_t n = static_cast<std::int64_t>(days_.size()) - 1;
  const std::int64_t hi = std::min(day_index(t) + 1, n);
  // The first day starting after `target`; the day before it holds the answer.
  const std::int64_t after = first_true(0, hi, hi - estimate_days(days_[static_cast<std::size_t>(hi)].prefix - target),
                                        [this, target](std::int64_t j) {
                                          return days_[static_cast<std::size_t>(j)].prefix > target;
                                        });
  const std::int64_t k = after - 1;
  const Day& d = days_[static_cast<std::size_t>(k)];
  const std::int64_t base = day_begin(k);
  std::int64_t c = d.prefix;
  std::int64_t found = base;
  // The last piece starting at or before `target`: landing exactly on a piece's start
  // returns that start, not the previous piece's end.
  for (std::uint32_t i = d.first; i < d.first + d.count && c <= target; ++i) {
    found = base + std::int64_t{pieces_[i].begin} * kMicrosPerSecond + (target - c);
    c += std::int64_t{pieces_[i].end - pieces_[i].begin} * kMicrosPerSecond;
  }
  return found;
}

bool DayTables::is_working(std::int64_t t) const noexcept {
  const std::int64_t k = day_index(t);
  const Day& d = days_[static_cast<std::size_t>(k)];
  const std::int64_t x = t - day_begin(k);
  for (std::uint32_t i = d.first; i < d.first + d.count; ++i) {
    if (x < std::int64_t{pieces_[i].begin} * kMicrosPerSecond) return false;
    if (x < std::int64_t{pieces_[i].end} * kMicrosPerSecond) return true;
  }
  return false;
}

std::optional<std::int64_t> DayTables::next_working(std::int64_t t) const noexcept {
  const std::int64_t k = day_index(t);
  const Day& d = days_[static_cast<std::size_t>(k)];
  const std::int64_t base = day_begin(k);
  const std::int64_t x = t - base;
  for (std::uint32_t i = d.first; i < d.first + d.count; ++i) {
    if (x < std::int64_t{pieces_[i].end} * kMicrosPerSecond)
      return base + std::max(x, std::int64_t{pieces_[i].begin} * kMicrosPerSecond);
  }
  const std::int64_t n = static_cast<std::int64_t>(days_.size()) - 1;
  const std::int64_t done = days_[static_cast<std::size_t>(k + 1)].prefix;
  if (days_.back().prefix == done) return std::nullopt;
  // The first later day with any working time.
  const std::int64_t j = first_true(k, n - 1, k + 1, [this, done](std::int64_t i) {
    return days_[static_cast<std::size_t>(i + 1)].prefix > done;
  });
  return day_begin(j) + std::int64_t{pieces_[days_[static_cast<std::size_t>(j)].first].begin} * kMicrosPerSecond;
}

}  // namespace cxkit::detail
