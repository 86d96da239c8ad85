// Timestamps in a strftime-like pattern, compiled once and applied to millions of values.
//
// Exports that do not write ISO 8601 still use one fixed layout per column ("2014/10/22
// 11:15:41.000", "22-Oct-2014 11:15 AM"). Compiling the pattern up front turns parsing into a
// walk over a short list of steps: no allocation, no locale, no regex.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/time.hpp"

namespace cxkit::io {

/// A compiled timestamp pattern. Directives:
///   %Y  4-digit year            %y  2-digit year (69-99 -> 1969-1999, 00-68 -> 2000-2068)
///   %m  month, 1-2 digits       %b %B  English month name, full or 3-letter, any case
///   %d  day, 1-2 digits         %e  day, 1-2 digits, may be preceded by one space
///   %j  day of the year, 1-3 digits (not together with a month or day directive)
///   %H  hour 0-23, 1-2 digits   %I  hour 1-12, 1-2 digits; %p  AM/PM, any case
///   %M  minute, 1-2 digits      %S  second, 1-2 digits
///   %f  fraction of a second, 1-9 digits, truncated to microseconds
///   %z  UTC offset: Z, +hh:mm, +hhmm or +hh (no %z, or nothing matched by it: UTC)
///   %T  = %H:%M:%S              %F  = %Y-%m-%d            %%  a literal '%'
/// Every other character must appear literally. Numeric directives read greedily up to their
/// width, so "%Y%m%d" reads "20240105". Fields not in the pattern default to 1900-01-01
/// 00:00:00 UTC, as strptime does; %I without %p reads 12 as midnight (Python's rule).
class TimestampFormat {
 public:
  /// Compiles `pattern`. Throws InputError for an empty pattern, a '%' at the end, an unknown
  /// directive, a field given twice (%Y and %y, %H and %I, ...), or %j with %m, %d, %e or %b.
  /// Complexity: O(|pattern|).
  explicit TimestampFormat(std::string_view pattern);

  const std::string& pattern() const noexcept { return pattern_; }

 private:
  friend bool parse_timestamp(std::string_view s, const TimestampFormat& f, Timestamp& out) noexcept;

  enum class Op : std::uint8_t {
    literal, year4, year2, month, month_name, day, day_space, day_of_year,
    hour24, hour12, ampm, minute, second, fraction, offset
  };
  struct Step {
    Op op;
    std::uint32_t offset = 0;  ///< literal: start in literals_
    std::uint32_t length = 0;  ///< literal: byte count
  };

  std::string pattern_;
  std::string literals_;
  std::vector<Step> steps_;
};

/// Parses `s` with `f`. Blanks (space, tab) around `s` are ignored, like parse_iso8601 does;
/// the rest must match the whole pattern. Returns false, leaving `out` untouched, when it
/// does not match, names an impossible date or time, or lies outside the years 0001-9999.
/// Complexity: O(|s|); no allocation.
bool parse_timestamp(std::string_view s, const TimestampFormat& f, Timestamp& out) noexcept;

}  // namespace cxkit::io
