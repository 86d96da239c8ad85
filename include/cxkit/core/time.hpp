// Instants and durations.
//
// cxkit keeps every instant as UTC microseconds since the Unix epoch. Microseconds cover
// the years 0001-9999 in an int64 with room to spare, are exact for every timestamp format
// event logs use in practice, and keep a timestamp column at 8 bytes per event.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <date/date.h>

namespace cxkit {

using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Duration>;

/// The instant `us` microseconds after 1970-01-01T00:00:00Z.
constexpr Timestamp from_micros(std::int64_t us) noexcept { return Timestamp{Duration{us}}; }
/// Microseconds since the Unix epoch.
constexpr std::int64_t to_micros(Timestamp t) noexcept { return t.time_since_epoch().count(); }

/// Earliest and latest instants the parsers accept (0001-01-01 and 9999-12-31T23:59:59.999999).
inline constexpr std::int64_t kMinTimestampMicros = -62135596800000000LL;
inline constexpr std::int64_t kMaxTimestampMicros = 253402300799999999LL;

namespace detail {
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Reads exactly n digits at s[i..]; advances i. False when a non-digit is met.
constexpr bool read_digits(std::string_view s, std::size_t& i, int n, int& out) noexcept {
  if (i + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[i + static_cast<std::size_t>(k)];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  i += static_cast<std::size_t>(n);
  return true;
}

/// Days since 1970-01-01 of a proleptic Gregorian date; false when the date does not exist.
inline bool civil_days(int y, int m, int d, std::int64_t& days) noexcept {
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return false;
  days = date::sys_days{ymd}.time_since_epoch().count();
  return true;
}
}  // namespace detail

/// Parses an ISO 8601 / RFC 3339 timestamp:
/// `YYYY-MM-DD`, optionally followed by `T` or a space and `hh:mm[:ss[.fraction]]`, optionally
/// followed by `Z` or an offset `+hh:mm`, `+hhmm` or `+hh` (a space before the offset is
/// allowed). `/` is accepted in place of `-` in the date (as in `2014/10/22 11:15:41.000`).
/// Timestamps without an offset are read as UTC. Fractions beyond microseconds are truncated.
/// Returns false (and leaves `out` untouched) for anything else, including impossible dates.
/// Complexity: O(length); no allocation.
inline bool parse_iso8601(std::string_view s, Timestamp& out) noexcept {
  using detail::read_digits;
  // Trim surrounding blanks, which spreadsheet exports leave behind.
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, i, 4, y)) return false;
  if (i >= s.size() || (s[i] != '-' && s[i] != '/')) return false;
  const char date_sep = s[i++];
  if (!read_digits(s, i, 2, mo)) return false;
  if (i >= s.size() || s[i] != date_sep) return false;
  ++i;
  if (!read_digits(s, i, 2, d)) return false;
  std::int64_t days = 0;
  if (y < 1 || !detail::civil_days(y, mo, d, days)) return false;
  std::int64_t micros = 0;
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    ++i;
    if (!read_digits(s, i, 2, h) || h > 23) return false;
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    if (!read_digits(s, i, 2, mi) || mi > 59) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, i, 2, sec) || sec > 59) return false;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        int digits = 0;
        std::int64_t frac = 0;
        while (i < s.size() && detail::is_digit(s[i])) {
          if (digits < 6) {
            frac = frac * 10 + (s[i] - '0');
          }
          ++digits;
          ++i;
        }
        if (digits == 0) return false;
        for (int k = digits; k < 6; ++k) frac *= 10;
        micros = frac;
      }
    }
    micros += (static_cast<std::int64_t>(h) * 3600 + static_cast<std::int64_t>(mi) * 60 + sec) * 1000000LL;
    if (i < s.size() && s[i] == ' ') ++i;  // "2010-12-30 14:32:00 +01:00"
    if (i < s.size()) {
      const char z = s[i];
      if (z == 'Z' || z == 'z') {
        ++i;
      } else if (z == '+' || z == '-') {
        ++i;
        int oh = 0, om = 0;
        if (!read_digits(s, i, 2, oh) || oh > 23) return false;
        if (i < s.size() && s[i] == ':') ++i;
        if (i < s.size()) {
          if (!read_digits(s, i, 2, om) || om > 59) return false;
        }
        const std::int64_t off = (static_cast<std::int64_t>(oh) * 3600 + static_cast<std::int64_t>(om) * 60) * 1000000LL;
        micros += (z == '+') ? -off : off;  // local = UTC + offset, so UTC = local - offset
      } else {
        return false;
      }
    }
  }
  if (i != s.size()) return false;
  const std::int64_t total = days * 86400000000LL + micros;
  if (total < kMinTimestampMicros || total > kMaxTimestampMicros) return false;
  out = from_micros(total);
  return true;
}

/// Formats as ISO 8601 in UTC: `YYYY-MM-DDThh:mm:ss[.ffffff]Z` (fraction only when non-zero).
inline std::string format_iso8601(Timestamp t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const std::int64_t in_day = to_micros(t) - to_micros(Timestamp{day});
  const std::int64_t secs = in_day / 1000000, frac = in_day % 1000000;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()),
                        static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                        static_cast<long long>(secs % 60));
  if (frac != 0) n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%06lld",
                                    static_cast<long long>(frac));
  buf[n++] = 'Z';
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace cxkit
