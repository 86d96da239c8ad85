#include "cxkit/io/timestamp_format.hpp"

#include <array>

#include "cxkit/core/error.hpp"

namespace cxkit::io {
namespace {

// Which field a directive sets; each may be set once per pattern.
enum Field : unsigned { kYear, kMonth, kDay, kDayOfYear, kHour, kAmPm, kMinute, kSecond, kFraction, kOffset, kFields };

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// Reads 1..max_digits digits greedily.
bool read_up_to(std::string_view s, std::size_t& i, int max_digits, int& out) noexcept {
  int v = 0, n = 0;
  while (n < max_digits && i < s.size() && detail::is_digit(s[i])) {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  if (n == 0) return false;
  out = v;
  return true;
}

/// True when s[i..] starts with `word`, compared case-insensitively.
bool starts_with_nocase(std::string_view s, std::size_t i, std::string_view word) noexcept {
  if (s.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (lower(s[i + k]) != word[k]) return false;
  return true;
}

/// An English month name, full or its first three letters; the full name wins when both fit.
bool read_month_name(std::string_view s, std::size_t& i, int& month) noexcept {
  for (std::size_t m = 0; m < kMonthNames.size(); ++m) {
    const std::string_view full = kMonthNames[m];
    if (starts_with_nocase(s, i, full)) {
      i += full.size();
      month = static_cast<int>(m) + 1;
      return true;
    }
  }
  for (std::size_t m = 0; m < kMonthNames.size(); ++m) {
    const std::string_view abbr = kMonthNames[m].substr(0, 3);
    if (starts_with_nocase(s, i, abbr)) {
      i += 3;
      month = static_cast<int>(m) + 1;
      return true;
    }
  }
  return false;
}

/// Z, +hh:mm, +hhmm or +hh; offset in microseconds to add to local time to get UTC.
bool read_offset(std::string_view s, std::size_t& i, std::int64_t& to_utc) noexcept {
  if (i >= s.size()) return false;
  const char z = s[i];
  if (z == 'Z' || z == 'z') {
    ++i;
    to_utc = 0;
    return true;
  }
  if (z != '+' && z != '-') return false;
  ++i;
  int oh = 0, om = 0;
  if (!detail::read_digits(s, i, 2, oh) || oh > 23) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!detail::read_digits(s, i, 2, om)) return false;
  } else if (i < s.size() && detail::is_digit(s[i])) {
    if (!detail::read_digits(s, i, 2, om)) return false;
  }
  if (om > 59) return false;
  const std::int64_t off = (static_cast<std::int64_t>(oh) * 3600 + std::int64_t{om} * 60) * 1000000LL;
  to_utc = (z == '+') ? -off : off;
  return true;
}

}  // namespace

TimestampFormat::TimestampFormat(std::string_view pattern) : pattern_(pattern) {
  if (pattern.empty()) throw InputError("empty timestamp format");
  std::array<bool, kFields> seen{};
  const auto bad = [&](const std::string& why) {
    return InputError("timestamp format '" + pattern_ + "': " + why);
  };
  const auto add = [&](Op op, Field field) {
    if (seen[field]) throw bad("a field is given twice");
    seen[field] = true;
    steps_.push_back(Step{op});
  };
  const auto add_literal = [&](char c) {
    // Consecutive literal characters share one step.
    if (!steps_.empty() && steps_.back().op == Op::literal &&
        steps_.back().offset + steps_.back().length == literals_.size()) {
      ++steps_.back().length;
    } else {
      steps_.push_back(Step{Op::literal, static_cast<std::uint32_t>(literals_.size()), 1});
    }
    literals_.push_back(c);
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c != '%') {
      add_literal(c);
      continue;
    }
    if (++i == pattern.size()) throw bad("'%' at the end");
    switch (pattern[i]) {
      case 'Y': add(Op::year4, kYear); break;
      case 'y': add(Op::year2, kYear); break;
      case 'm': add(Op::month, kMonth); break;
      case 'b':
      case 'B': add(Op::month_name, kMonth); break;
      case 'd': add(Op::day, kDay); break;
      case 'e': add(Op::day_space, kDay); break;
      case 'j': add(Op::day_of_year, kDayOfYear); break;
      case 'H': add(Op::hour24, kHour); break;
      case 'I': add(Op::hour12, kHour); break;
      case 'p': add(Op::ampm, kAmPm); break;
      case 'M': add(Op::minute, kMinute); break;
      case 'S': add(Op::second, kSecond); break;
      case 'f': add(Op::fraction, kFraction); break;
      case 'z': add(Op::offset, kOffset); break;
      case 'T':
        add(Op::hour24, kHour);
        add_literal(':');
        add(Op::minute, kMinute);
        add_literal(':');
        add(Op::second, kSecond);
        break;
      case 'F':
        add(Op::year4, kYear);
        add_literal('-');
        add(Op::month, kMonth);
        add_literal('-');
        add(Op::day, kDay);
        break;
      case '%': add_literal('%'); break;
      default: throw bad(std::string("unknown directive '%") + pattern[i] + "'");
    }
  }
  if (seen[kDayOfYear] && (seen[kMonth] || seen[kDay])) throw bad("%j cannot be combined with a month or day");
}

bool parse_timestamp(std::string_view s, const TimestampFormat& f, Timestamp& out) noexcept {
  using Op = TimestampFormat::Op;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);

  int year = 1900, month = 1, day = 1, day_of_year = 0, hour = 0, minute = 0, second = 0;
  bool twelve_hour = false, pm = false;
  std::int64_t frac_us = 0, to_utc = 0;
  std::size_t i = 0;
  for (const auto& step : f.steps_) {
    switch (step.op) {
      case Op::literal: {
        const std::string_view lit(f.literals_.data() + step.offset, step.length);
        if (s.substr(i, lit.size()) != lit) return false;
        i += lit.size();
        break;
      }
      case Op::year4:
        if (!detail::read_digits(s, i, 4, year)) return false;
        break;
      case Op::year2:
        if (!detail::read_digits(s, i, 2, year)) return false;
        year += year < 69 ? 2000 : 1900;
        break;
      case Op::month:
        if (!read_up_to(s, i, 2, month)) return false;
        break;
      case Op::month_name:
        if (!read_month_name(s, i, month)) return false;
        break;
      case Op::day_space:
        if (i < s.size() && s[i] == ' ') ++i;
        [[fallthrough]];
      case Op::day:
        if (!read_up_to(s, i, 2, day)) return false;
        break;
      case Op::day_of_year:
        if (!read_up_to(s, i, 3, day_of_year) || day_of_year < 1) return false;
        break;
      case Op::hour24:
        if (!read_up_to(s, i, 2, hour) || hour > 23) return false;
        break;
      case Op::hour12:
        if (!read_up_to(s, i, 2, hour) || hour < 1 || hour > 12) return false;
        twelve_hour = true;
        break;
      case Op::ampm:
        if (starts_with_nocase(s, i, "am")) {
          pm = false;
        } else if (starts_with_nocase(s, i, "pm")) {
          pm = true;
        } else {
          return false;
        }
        i += 2;
        break;
      case Op::minute:
        if (!read_up_to(s, i, 2, minute) || minute > 59) return false;
        break;
      case Op::second:
        if (!read_up_to(s, i, 2, second) || second > 59) return false;
        break;
      case Op::fraction: {
        int digits = 0;
        std::int64_t v = 0;
        while (digits < 9 && i < s.size() && detail::is_digit(s[i])) {
          if (digits < 6) v = v * 10 + (s[i] - '0');
          ++digits;
          ++i;
        }
        if (digits == 0) return false;
        for (int k = digits; k < 6; ++k) v *= 10;
        frac_us = v;
        break;
      }
      case Op::offset:
        if (!read_offset(s, i, to_utc)) return false;
        break;
    }
  }
  if (i != s.size()) return false;
  // Python's rule: with %I, 12 AM is midnight and 12 PM noon; %p is ignored with %H.
  if (twelve_hour) hour = (hour % 12) + (pm ? 12 : 0);

  std::int64_t days = 0;
  if (year < 1) return false;
  if (day_of_year > 0) {
    if (!detail::civil_days(year, 1, 1, days)) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day_of_year > (leap ? 366 : 365)) return false;
    days += day_of_year - 1;
  } else if (month < 1 || month > 12 || !detail::civil_days(year, month, day, days)) {
    return false;
  }
  const std::int64_t total = days * 86400000000LL +
                             (static_cast<std::int64_t>(hour) * 3600 + std::int64_t{minute} * 60 + second) * 1000000LL +
                             frac_us + to_utc;
  if (total < kMinTimestampMicros || total > kMaxTimestampMicros) return false;
  out = from_micros(total);
  return true;
}

}  // namespace cxkit::io
