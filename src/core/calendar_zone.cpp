#include "calendar_zone.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <date/date.h>
#include <date/tz.h>

#include "cxkit/core/error.hpp"

namespace cxkit::detail {
namespace {

constexpr std::int64_t kDaySeconds = 86400;
// Far enough from any real offset (|offset| <= 15 h, changes <= 25 h) to bound searches.
constexpr std::int64_t kMargin = 72 * 3600;
// Open ends of a span that never changes; small enough that adding offsets cannot overflow.
constexpr std::int64_t kNever = std::int64_t{1} << 60;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

// ---- POSIX TZ string parsing -------------------------------------------------------------

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  /// A zone abbreviation: three or more letters, or anything between '<' and '>'.
  bool name() {
    if (eat('<')) {
      const auto close = s_.find('>', i_);
      if (close == std::string_view::npos || close == i_) return false;
      i_ = close + 1;
      return true;
    }
    std::size_t n = 0;
    while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z'))) {
      ++i_;
      ++n;
    }
    return n >= 3;
  }
  bool number(int max, int& out) {
    int v = 0, n = 0;
    while (!done() && peek() >= '0' && peek() <= '9' && n < 4) {
      v = v * 10 + (peek() - '0');
      ++i_;
      ++n;
    }
    if (n == 0 || v > max) return false;
    out = v;
    return true;
  }
  /// [+-]hh[:mm[:ss]] in seconds.
  bool hms(int max_hours, std::int64_t& out) {
    const bool negative = eat('-');
    if (!negative) eat('+');
    int h = 0, m = 0, s = 0;
    if (!number(max_hours, h)) return false;
    if (eat(':')) {
      if (!number(59, m)) return false;
      if (eat(':') && !number(59, s)) return false;
    }
    const std::int64_t v = std::int64_t{h} * 3600 + m * 60 + s;
    out = negative ? -v : v;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<PosixTzRule> PosixTzRule::parse(std::string_view s) {
  Cursor c(s);
  PosixTzRule r;
  std::int64_t posix_offset = 0;  // POSIX counts west of Greenwich as positive
  if (!c.name() || !c.hms(24, posix_offset)) return std::nullopt;
  r.std_offset_ = -posix_offset;
  if (c.done()) return r;
  if (!c.name()) return std::nullopt;
  r.has_dst_ = true;
  r.dst_offset_ = r.std_offset_ + 3600;
  if (c.peek() != ',') {
    if (!c.hms(24, posix_offset)) return std::nullopt;
    r.dst_offset_ = -posix_offset;
  }
  auto when = [&c](When& w) {
    if (!c.eat(',')) return false;
    if (c.eat('M')) {
      w.form = 'M';
      if (!c.number(12, w.month) || w.month < 1 || !c.eat('.') || !c.number(5, w.week) || w.week < 1 ||
          !c.eat('.') || !c.number(6, w.weekday))
        return false;
    } else if (c.eat('J')) {
      w.form = 'J';
      if (!c.number(365, w.day) || w.day < 1) return false;
    } else {
      w.form = 'n';
      if (!c.number(365, w.day)) return false;
    }
    if (c.eat('/') && !c.hms(167, w.time)) return false;
    return true;
  };
  if (!when(r.start_) || !when(r.end_) || !c.done()) return std::nullopt;
  return r;
}

std::int64_t PosixTzRule::transition(int year, const When& w, std::int64_t offset_before) {
  std::int64_t day = 0;
  if (w.form == 'M') {
    const auto month = static_cast<unsigned>(w.month);
    const std::int64_t first = days_from_civil(year, month, 1);
    // 1970-01-01 was a Thursday (weekday 4 with Sunday = 0).
    const std::int64_t first_weekday = first + 4 - floor_div(first + 4, 7) * 7;
    std::int64_t d = 1 + (w.weekday - first_weekday + 7) % 7 + std::int64_t{w.week - 1} * 7;
    const auto last = static_cast<std::int64_t>(
        unsigned((date::year{year} / date::month{month} / date::last).day()));
    while (d > last) d -= 7;  // week 5 means "the last one"
    day = first + d - 1;
  } else if (w.form == 'J') {
    const bool leap = date::year{year}.is_leap();
    day = days_from_civil(year, 1, 1) + w.day - 1 + ((leap && w.day >= 60) ? 1 : 0);
  } else {
    day = days_from_civil(year, 1, 1) + w.day;
  }
  return day * kDaySeconds + w.time - offset_before;
}

ZoneSpan PosixTzRule::span_at(std::int64_t utc) const {
  if (!has_dst_) return {-kNever, kNever, std_offset_};
  const auto local_day = date::sys_days{date::days{floor_div(utc + std_offset_, kDaySeconds)}};
  const int year = int(date::year_month_day{local_day}.year());
  struct Event {
    std::int64_t at;
    std::int64_t offset;
  };
  // Five years around `utc`: transition times may lie days outside their own year (hours
  // up to 167), so two years on each side surely bracket it.
  std::array<Event, 10> ev{};
  for (int k = 0; k < 5; ++k) {
    ev[2 * k] = {transition(year - 2 + k, start_, std_offset_), dst_offset_};
    ev[2 * k + 1] = {transition(year - 2 + k, end_, dst_offset_), std_offset_};
  }
  std::sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  std::size_t i = 0;
  while (i + 1 < ev.size() && ev[i + 1].at <= utc) ++i;
  return {ev[i].at, ev[i + 1].at, ev[i].offset};
}

// ---- ZoneRules ------------------------------------------------------------------------

namespace {

/// The POSIX TZ string at the end of a TZif file (version 2 or later), or "".
std::string read_footer(const std::string& zone_name) {
  static constexpr std::array<const char*, 4> kDirs = {"/usr/share/zoneinfo/", "/usr/lib/zoneinfo/",
                                                       "/usr/share/lib/zoneinfo/", "/etc/zoneinfo/"};
  for (const char* dir : kDirs) {
    std::ifstream in(std::string(dir) + zone_name, std::ios::binary);
    if (!in) continue;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 2 || bytes.compare(0, 4, "TZif") != 0 || bytes.back() != '\n') return {};
    const auto open = bytes.rfind('\n', bytes.size() - 2);
    if (open == std::string::npos) return {};
    return bytes.substr(open + 1, bytes.size() - open - 2);
  }
  return {};
}

}  // namespace

ZoneRules::ZoneRules(const std::string& name) {
  try {
    tz_ = date::locate_zone(name);
  } catch (const std::runtime_error&) {
    throw NotFoundError("unknown time zone '" + name + "' (not in the IANA time zone database)");
  }
  const auto last = tz_->get_info(date::sys_days{date::year{9999} / 1 / 1});
  if (auto footer = PosixTzRule::parse(read_footer(tz_->name()))) {
    const std::int64_t cutover = last.begin.time_since_epoch().count();
    // Only continue the history with a rule that agrees with where the history ends.
    if (footer->span_at(cutover).offset == last.offset.count()) {
      footer_ = std::move(footer);
      cutover_ = cutover;
    }
  }
}

ZoneSpan ZoneRules::span_at(std::int64_t utc) const {
  if (footer_ && utc >= cutover_) {
    ZoneSpan s = footer_->span_at(utc);
    s.begin = std::max(s.begin, cutover_);
    return s;
  }
  const auto info = tz_->get_info(date::sys_seconds{std::chrono::seconds{utc}});
  return {info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(), info.offset.count()};
}

std::int64_t ZoneRules::local_to_utc(std::int64_t local, ZoneSpan& hint) const {
  const std::int64_t guess = local - hint.offset;
  // Deep inside the hint's span no other span can claim `local`: their offsets differ by
  // less than the margin.
  if (guess - kMargin >= hint.begin && guess + kMargin < hint.end) return guess;
  // Every UTC instant that can show `local` lies within the margin of it; visit the spans
  // there in order. The first that shows `local` gives the earliest instant; a span whose
  // clock already starts past `local` means `local` was skipped, and its start ends the gap.
  ZoneSpan s = span_at(local - kMargin);
  for (int guard = 0; guard < 64; ++guard) {
    const std::int64_t candidate = local - s.offset;
    if (candidate >= s.begin && candidate < s.end) {
      hint = s;
      return candidate;
    }
    if (candidate < s.begin) {
      hint = s;
      return s.begin;
    }
    s = span_at(s.end);
  }
  hint = s;
  return local - s.offset;
}

}  // namespace cxkit::detail
