#include "cxkit/core/calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include "calendar_tables.hpp"
#include "calendar_zone.hpp"

namespace cxkit {
namespace {

using detail::kMicrosPerSecond;
using std::chrono::minutes;

constexpr minutes kDay{24 * 60};
constexpr std::array<const char*, 7> kWeekdays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};

// The precomputed years: [1900-01-01, 2201-01-01) UTC, as days since 1970-01-01.
constexpr std::int64_t kTableFirstDay =
    date::sys_days{date::year{1900} / 1 / 1}.time_since_epoch().count();
constexpr std::int64_t kTableEndDay = date::sys_days{date::year{2201} / 1 / 1}.time_since_epoch().count();
static_assert(kTableFirstDay == -25567);

std::string hh_mm(minutes m) {
  const auto v = m.count();
  const auto a = v < 0 ? -v : v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%02lld:%02lld", v < 0 ? "-" : "", static_cast<long long>(a / 60),
                static_cast<long long>(a % 60));
  return buf;
}

std::string describe(const WorkingInterval& iv) { return hh_mm(iv.begin) + "-" + hh_mm(iv.end); }

/// Checks every interval, sorts each day and merges intervals that touch.
Calendar::Week normalise(Calendar::Week week) {
  for (std::size_t d = 0; d < week.size(); ++d) {
    auto& day = week[d];
    for (const WorkingInterval& iv : day) {
      if (iv.begin < minutes{0} || iv.end > kDay || iv.begin >= iv.end)
        throw InputError("working interval must satisfy 00:00 <= begin < end <= 24:00",
                         InputLocation{"Calendar", -1, kWeekdays[d], describe(iv)});
    }
    std::sort(day.begin(), day.end(),
              [](const WorkingInterval& a, const WorkingInterval& b) { return a.begin < b.begin; });
    std::vector<WorkingInterval> merged;
    for (const WorkingInterval& iv : day) {
      if (!merged.empty() && iv.begin < merged.back().end)
        throw InputError("working intervals " + describe(merged.back()) + " and " + describe(iv) + " overlap",
                         InputLocation{"Calendar", -1, kWeekdays[d], describe(iv)});
      if (!merged.empty() && iv.begin == merged.back().end) {
        merged.back().end = iv.end;
      } else {
        merged.push_back(iv);
      }
    }
    day = std::move(merged);
  }
  return week;
}

std::vector<boost::gregorian::date> normalise(std::vector<boost::gregorian::date> holidays) {
  for (const auto& h : holidays)
    if (h.is_special())
      throw InputError("holiday is not a calendar date",
                       InputLocation{"Calendar", -1, "holidays",
                                     h.is_not_a_date() ? "not-a-date-time"
                                     : h.is_pos_infinity() ? "+infinity"
                                                           : "-infinity"});
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  return holidays;
}

bool full_days(const Calendar::Week& week) {
  return std::all_of(week.begin(), week.end(), [](const std::vector<WorkingInterval>& day) {
    return day.size() == 1 && day[0].begin == minutes{0} && day[0].end == kDay;
  });
}

void require_in_range(std::int64_t t) {
  if (t < kMinTimestampMicros || t > kMaxTimestampMicros)
    throw InputError("instant outside the years 0001-9999 supported by business-time arithmetic",
                     InputLocation{"Calendar", -1, "", std::to_string(t) + " us since 1970"});
}

[[noreturn]] void beyond_range() {
  throw InputError("business-time arithmetic left the years 0001-9999", InputLocation{"Calendar", -1, "", ""});
}

}  // namespace

struct Calendar::Impl {
  std::string timezone;
  Week week;
  std::vector<boost::gregorian::date> holidays;
  bool always = false;
  std::int64_t weekly = 0;  // microseconds
  // Only for calendars that are not 24/7.
  std::optional<detail::Schedule> schedule;
  std::optional<detail::DayTables> tables;

  // ---- the day-by-day path, for instants outside the tables ----

  std::int64_t slow_work(std::int64_t a, std::int64_t b) const {
    std::int64_t sum = 0;
    schedule->walk_forward(a, b, [&sum](std::int64_t x, std::int64_t y) {
      sum += y - x;
      return true;
    });
    return sum;
  }

  /// Consumes `need` of working time forwards from t, before `limit`; the instant when done.
  std::optional<std::int64_t> slow_forward(std::int64_t t, std::int64_t limit, std::int64_t& need) const {
    std::optional<std::int64_t> out;
    schedule->walk_forward(t, limit, [&](std::int64_t x, std::int64_t y) {
      if (need <= y - x) {
        out = x + need;
        return false;
      }
      need -= y - x;
      return true;
    });
    return out;
  }

  std::optional<std::int64_t> slow_backward(std::int64_t limit, std::int64_t t, std::int64_t& need) const {
    std::optional<std::int64_t> out;
    schedule->walk_backward(limit, t, [&](std::int64_t x, std::int64_t y) {
      if (need <= y - x) {
        out = y - need;
        return false;
      }
      need -= y - x;
      return true;
    });
    return out;
  }

  std::optional<std::int64_t> slow_next(std::int64_t t, std::int64_t limit) const {
    std::optional<std::int64_t> out;
    schedule->walk_forward(t, limit, [&out](std::int64_t x, std::int64_t) {
      out = x;
      return false;
    });
    return out;
  }

  // ---- the public operations on microseconds ----

  std::int64_t work(std::int64_t a, std::int64_t b) const {  // a <= b
    const detail::DayTables& tb = *tables;
    if (a >= tb.begin() && b <= tb.end()) return tb.work_before(b) - tb.work_before(a);
    require_in_range(a);
    require_in_range(b);
    std::int64_t sum = 0;
    if (a < tb.begin()) sum += slow_work(a, std::min(b, tb.begin()));
    const std::int64_t lo = std::max(a, tb.begin()), hi = std::min(b, tb.end());
    if (lo < hi) sum += tb.work_before(hi) - tb.work_before(lo);
    if (b > tb.end()) sum += slow_work(std::max(a, tb.end()), b);
    return sum;
  }

  std::int64_t add_forward(std::int64_t t, std::int64_t need) const {  // need > 0
    const detail::DayTables& tb = *tables;
    std::int64_t cur = t;
    if (cur < tb.begin()) {
      require_in_range(cur);
      if (auto out = slow_forward(cur, tb.begin(), need)) return *out;
      cur = tb.begin();
    }
    if (cur < tb.end()) {
      const std::int64_t done = tb.work_before(cur);
      if (need <= tb.total() - done) return tb.forward(cur, done + need);
      need -= tb.total() - done;
      cur = tb.end();
    }
    require_in_range(cur);
    if (auto out = slow_forward(cur, kMaxTimestampMicros + 1, need)) return *out;
    beyond_range();
  }

  std::int64_t add_backward(std::int64_t t, std::int64_t need) const {  // need > 0
    const detail::DayTables& tb = *tables;
    std::int64_t cur = t;
    if (cur > tb.end()) {
      require_in_range(cur);
      if (auto out = slow_backward(tb.end(), cur, need)) return *out;
      cur = tb.end();
    }
    if (cur > tb.begin()) {
      const std::int64_t done = tb.work_before(cur);
      if (need <= done) return tb.backward(cur, done - need);
      need -= done;
      cur = tb.begin();
    }
    require_in_range(cur);
    if (auto out = slow_backward(kMinTimestampMicros, cur, need)) return *out;
    beyond_range();
  }

  bool working(std::int64_t t) const {
    const detail::DayTables& tb = *tables;
    if (t >= tb.begin() && t < tb.end()) return tb.is_working(t);
    require_in_range(t);
    bool found = false;
    schedule->walk_forward(t, t + 1, [&found](std::int64_t, std::int64_t) {
      found = true;
      return false;
    });
    return found;
  }

  std::int64_t next(std::int64_t t) const {
    const detail::DayTables& tb = *tables;
    std::int64_t cur = t;
    if (cur < tb.begin()) {
      require_in_range(cur);
      if (auto out = slow_next(cur, tb.begin())) return *out;
      cur = tb.begin();
    }
    if (cur < tb.end()) {
      if (auto out = tb.next_working(cur)) return *out;
      cur = tb.end();
    }
    require_in_range(cur);
    if (auto out = slow_next(cur, kMaxTimestampMicros + 1)) return *out;
    beyond_range();
  }
};

Calendar::Calendar(std::shared_ptr<const Impl> impl) noexcept : impl_(std::move(impl)) {}

Calendar Calendar::always() {
  // One shared instance: the default calendar costs nothing to create or copy.
  static const std::shared_ptr<const Impl> instance = [] {
    auto impl = std::make_shared<Impl>();
    impl->timezone = "UTC";
    for (auto& day : impl->week) day = {WorkingInterval{minutes{0}, kDay}};
    impl->always = true;
    impl->weekly = std::chrono::duration_cast<Duration>(7 * kDay).count();
    return impl;
  }();
  return Calendar(instance);
}

Calendar Calendar::business_hours(const std::string& timezone) {
  Week week;
  for (std::size_t d = 0; d < 5; ++d) week[d] = {WorkingInterval{std::chrono::hours{9}, std::chrono::hours{17}}};
  return Calendar(timezone, std::move(week));
}

Calendar::Calendar(std::string timezone, Week week, std::vector<boost::gregorian::date> holidays) {
  auto impl = std::make_shared<Impl>();
  impl->week = normalise(std::move(week));
  impl->holidays = normalise(std::move(holidays));
  minutes weekly{0};
  for (const auto& day : impl->week)
    for (const WorkingInterval& iv : day) weekly += iv.end - iv.begin;
  if (weekly == minutes{0})
    throw InputError("the week has no working time, so business time would never pass",
                     InputLocation{"Calendar", -1, "week", ""});
  impl->weekly = std::chrono::duration_cast<Duration>(weekly).count();
  detail::ZoneRules zone(timezone);  // throws NotFoundError
  impl->timezone = std::move(timezone);
  impl->always = impl->holidays.empty() && full_days(impl->week);
  if (!impl->always) {
    std::array<std::vector<detail::Schedule::LocalInterval>, 7> local;
    for (std::size_t d = 0; d < 7; ++d)
      for (const WorkingInterval& iv : impl->week[d])
        local[d].emplace_back(static_cast<std::int32_t>(iv.begin.count() * 60),
                              static_cast<std::int32_t>(iv.end.count() * 60));
    const boost::gregorian::date epoch(1970, 1, 1);
    std::vector<std::int64_t> days;
    days.reserve(impl->holidays.size());
    for (const auto& h : impl->holidays) days.push_back((h - epoch).days());
    impl->schedule.emplace(std::move(zone), std::move(local), std::move(days));
    impl->tables.emplace(*impl->schedule, kTableFirstDay, kTableEndDay, impl->weekly);
  }
  impl_ = std::move(impl);
}

const std::string& Calendar::timezone() const noexcept { return impl_->timezone; }
const Calendar::Week& Calendar::week() const noexcept { return impl_->week; }
const std::vector<boost::gregorian::date>& Calendar::holidays() const noexcept { return impl_->holidays; }
bool Calendar::is_always() const noexcept { return impl_->always; }
Duration Calendar::weekly_working_time() const noexcept { return Duration{impl_->weekly}; }

std::size_t Calendar::memory_bytes() const noexcept {
  std::size_t bytes = sizeof(Impl) + impl_->timezone.capacity() +
                      impl_->holidays.capacity() * sizeof(boost::gregorian::date);
  for (const auto& day : impl_->week) bytes += day.capacity() * sizeof(WorkingInterval);
  if (impl_->schedule) bytes += impl_->schedule->memory_bytes();
  if (impl_->tables) bytes += impl_->tables->memory_bytes();
  return bytes;
}

Duration Calendar::business_duration(Timestamp a, Timestamp b) const {
  if (impl_->always) return b - a;
  const std::int64_t x = to_micros(a), y = to_micros(b);
  return Duration{x <= y ? impl_->work(x, y) : -impl_->work(y, x)};
}

Timestamp Calendar::add_business_time(Timestamp t, Duration d) const {
  if (impl_->always) return t + d;
  if (d.count() == 0) return t;
  // No answer lies in 0001-9999 then; this also keeps -d from overflowing.
  constexpr std::int64_t kSpan = kMaxTimestampMicros - kMinTimestampMicros;
  if (d.count() > kSpan || d.count() < -kSpan) beyond_range();
  const std::int64_t x = to_micros(t);
  return from_micros(d.count() > 0 ? impl_->add_forward(x, d.count()) : impl_->add_backward(x, -d.count()));
}

bool Calendar::is_working_time(Timestamp t) const {
  if (impl_->always) return true;
  return impl_->working(to_micros(t));
}

Timestamp Calendar::next_working_time(Timestamp t) const {
  if (impl_->always) return t;
  return from_micros(impl_->next(to_micros(t)));
}

bool operator==(const Calendar& a, const Calendar& b) noexcept {
  if (a.impl_ == b.impl_) return true;
  return a.impl_->timezone == b.impl_->timezone && a.impl_->week == b.impl_->week &&
         a.impl_->holidays == b.impl_->holidays;
}

}  // namespace cxkit
