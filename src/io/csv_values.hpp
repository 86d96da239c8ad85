// Fast paths for the two value parsers the CSV reader runs on every row.
//
// Each handles the shape that exports write almost always and hands anything else to the
// general parser, so results are always exactly the general parser's:
//   numbers     plain decimals with at most 15 significant digits, converted by Clinger's
//               fast path (an exact integer divided by an exact power of ten is one correctly
//               rounded IEEE operation, the same double std::from_chars returns);
//   timestamps  "YYYY-MM-DD[T ]hh:mm:ss[.f...][Z|+hh:mm]", with the day number of the last
//               date seen cached (rows of one log share few dates, and consecutive rows
//               usually the same one).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "cxkit/core/time.hpp"

namespace cxkit::io::detail {

/// std::from_chars over the whole of `s`, accepting only finite results.
inline bool parse_number(std::string_view s, double& out) noexcept {
  const char* p = s.data();
  const char* end = p + s.size();
  // Fast path: -?d+(.d+)? with <= 15 digits in all.
  {
    const char* q = p;
    const bool negative = q < end && *q == '-';
    q += negative;
    std::uint64_t mantissa = 0;
    int digits = 0, decimals = 0;
    const char* int_start = q;
    while (q < end && static_cast<unsigned>(*q - '0') <= 9) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*q - '0');
      ++q;
      ++digits;
    }
    bool ok = q > int_start;
    if (ok && q < end && *q == '.') {
      const char* frac_start = ++q;
      while (q < end && static_cast<unsigned>(*q - '0') <= 9) {
        mantissa = mantissa * 10 + static_cast<unsigned>(*q - '0');
        ++q;
        ++digits;
      }
      decimals = static_cast<int>(q - frac_start);
      ok = decimals > 0;
    }
    if (ok && q == end && digits <= 15) {
      static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                          1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
      const double v = static_cast<double>(mantissa) / kPow10[decimals];
      out = negative ? -v : v;
      return true;
    }
  }
  double v = 0;
  const auto [ptr, ec] = std::from_chars(p, end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return false;
  out = v;
  return true;
}

/// parse_iso8601 with a fast path and a one-date cache. Not thread-safe (holds the cache).
class IsoTimestampParser {
 public:
  bool parse(std::string_view s, std::int64_t& micros) noexcept {
    if (parse_common(s, micros)) return true;
    Timestamp t{};
    if (!parse_iso8601(s, t)) return false;
    micros = to_micros(t);
    return true;
  }

 private:
  static bool two_digits(const char* p, int& v) noexcept {
    const unsigned a = static_cast<unsigned>(p[0] - '0'), b = static_cast<unsigned>(p[1] - '0');
    if (a > 9 || b > 9) return false;
    v = static_cast<int>(a * 10 + b);
    return true;
  }

  /// True (with the same result parse_iso8601 gives) for the common shape; false for
  /// anything else, valid or not.
  bool parse_common(std::string_view s, std::int64_t& micros) noexcept {
    const std::size_t n = s.size();
    const char* p = s.data();
    if (n < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || p[13] != ':' || p[16] != ':')
      return false;
    std::int64_t days = 0;
    if (have_date_ && std::memcmp(p, date_, 10) == 0) {
      days = days_;
    } else {
      int y1 = 0, y2 = 0, month = 0, day = 0;
      if (!two_digits(p, y1) || !two_digits(p + 2, y2) || !two_digits(p + 5, month) || !two_digits(p + 8, day))
        return false;
      const int year = y1 * 100 + y2;
      if (year < 1 || !cxkit::detail::civil_days(year, month, day, days)) return false;
      std::memcpy(date_, p, 10);
      days_ = days;
      have_date_ = true;
    }
    int hour = 0, minute = 0, second = 0;
    if (!two_digits(p + 11, hour) || !two_digits(p + 14, minute) || !two_digits(p + 17, second) || hour > 23 ||
        minute > 59 || second > 59)
      return false;
    std::size_t i = 19;
    std::int64_t frac = 0;
    if (i < n && p[i] == '.') {
      ++i;
      int digits = 0;
      while (i < n && static_cast<unsigned>(p[i] - '0') <= 9) {
        if (digits < 6) frac = frac * 10 + (p[i] - '0');
        ++digits;
        ++i;
      }
      if (digits == 0) return false;
      for (int k = digits; k < 6; ++k) frac *= 10;
    }
    std::int64_t to_utc = 0;
    if (i < n) {
      if (p[i] == 'Z') {
        ++i;
      } else if ((p[i] == '+' || p[i] == '-') && n - i == 6 && p[i + 3] == ':') {
        int oh = 0, om = 0;
        if (!two_digits(p + i + 1, oh) || !two_digits(p + i + 4, om) || oh > 23 || om > 59) return false;
        const std::int64_t off = (static_cast<std::int64_t>(oh) * 3600 + std::int64_t{om} * 60) * 1000000LL;
        to_utc = p[i] == '+' ? -off : off;
        i += 6;
      } else {
        return false;
      }
    }
    if (i != n) return false;
    const std::int64_t total = days * 86400000000LL +
                               (static_cast<std::int64_t>(hour) * 3600 + std::int64_t{minute} * 60 + second) * 1000000LL + frac +
                               to_utc;
    if (total < kMinTimestampMicros || total > kMaxTimestampMicros) return false;
    micros = total;
    return true;
  }

  char date_[10] = {};
  std::int64_t days_ = 0;
  bool have_date_ = false;
};

}  // namespace cxkit::io::detail
