// Durations written in definitions ("3D", "4h", "30m") and counted in business time.
//
// Designed-journey stage targets and playbook task durations are written by people as a
// number of business days or hours. They are kept as written (amount and unit) and turned
// into a Duration only against a Calendar, so one definition serves calendars with
// different working hours:
//   "3D"  three business days  = 3 x business_day(calendar)
//   "4h"  four business hours  = 4 h of working time on the calendar
//   "30m" thirty business minutes
// business_day(calendar) is the calendar's average working day: its weekly working time
// divided by the number of weekdays that have working time (8 h for Monday-Friday
// 09:00-17:00, 24 h for the 24/7 calendar). On a calendar whose working days all have the
// same hours, "3D" started at the beginning of a working day therefore ends at the end of
// the third working day, holidays skipped (Calendar::add_business_time does the walking).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit::journey {

/// The average working day of `calendar`: weekly_working_time() / weekdays with working
/// time. O(1).
Duration business_day(const Calendar& calendar) noexcept;

struct BusinessDuration {
  enum class Unit : std::uint8_t { days, hours, minutes };

  double amount = 0.0;  ///< >= 0, finite, at most kMaxAmount
  Unit unit = Unit::hours;

  static constexpr double kMaxAmount = 1e6;

  static BusinessDuration days(double n) { return {n, Unit::days}; }
  static BusinessDuration hours(double n) { return {n, Unit::hours}; }
  static BusinessDuration minutes(double n) { return {n, Unit::minutes}; }

  /// Reads `<number><unit>`: a non-negative decimal number (digits, optionally a '.' and
  /// more digits) immediately followed by a unit: 'D' or 'd' (business days), 'h' or 'H'
  /// (business hours), 'm' (business minutes). Examples: "3D", "4h", "1.5D", "0h", "90m".
  /// Returns std::nullopt for anything else (blanks, signs, exponents, other units, an
  /// amount above kMaxAmount). O(length).
  static std::optional<BusinessDuration> parse(std::string_view text) noexcept;

  /// The canonical text: the shortest decimal that reads back to `amount`, then "D", "h" or
  /// "m" ("3D", "4h", "1.5D"); parse(to_string()) == *this.
  std::string to_string() const;

  /// The business time on `calendar`: amount x business_day(calendar), x 1 h or x 1 min,
  /// rounded to the nearest microsecond. O(1).
  Duration resolve(const Calendar& calendar) const noexcept;

  friend bool operator==(const BusinessDuration&, const BusinessDuration&) = default;
};

}  // namespace cxkit::journey
