// Parsing, printing and resolving "3D" / "4h" business durations.
#include "cxkit/journey/business_duration.hpp"

#include <charconv>
#include <cmath>

namespace cxkit::journey {

Duration business_day(const Calendar& calendar) noexcept {
  int working_days = 0;
  for (const auto& day : calendar.week())
    if (!day.empty()) ++working_days;
  // A Calendar refuses a week without working time, so working_days >= 1.
  return Duration{calendar.weekly_working_time().count() / (working_days == 0 ? 1 : working_days)};
}

std::optional<BusinessDuration> BusinessDuration::parse(std::string_view text) noexcept {
  if (text.size() < 2) return std::nullopt;
  Unit unit;
  switch (text.back()) {
    case 'D': case 'd': unit = Unit::days; break;
    case 'h': case 'H': unit = Unit::hours; break;
    case 'm': unit = Unit::minutes; break;
    default: return std::nullopt;
  }
  const std::string_view number = text.substr(0, text.size() - 1);
  // Only plain decimals: from_chars would also accept exponents, "inf" and "nan".
  std::size_t digits = 0, dots = 0;
  for (char c : number) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '.') ++dots;
    else return std::nullopt;
  }
  if (digits == 0 || dots > 1 || number.front() == '.' || number.back() == '.') return std::nullopt;
  double amount = 0;
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), amount,
                                         std::chars_format::fixed);
  if (ec != std::errc() || ptr != number.data() + number.size()) return std::nullopt;
  if (!(amount >= 0 && amount <= kMaxAmount)) return std::nullopt;
  return BusinessDuration{amount, unit};
}

std::string BusinessDuration::to_string() const {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, amount, std::chars_format::fixed);
  std::string out = ec == std::errc() ? std::string(buf, ptr) : std::string("0");
  switch (unit) {
    case Unit::days: out += 'D'; break;
    case Unit::hours: out += 'h'; break;
    case Unit::minutes: out += 'm'; break;
  }
  return out;
}

Duration BusinessDuration::resolve(const Calendar& calendar) const noexcept {
  long double unit_us = 0;
  switch (unit) {
    case Unit::days: unit_us = static_cast<long double>(business_day(calendar).count()); break;
    case Unit::hours: unit_us = 3600.0L * 1e6L; break;
    case Unit::minutes: unit_us = 60.0L * 1e6L; break;
  }
  return Duration{std::llround(static_cast<long double>(amount) * unit_us)};
}

}  // namespace cxkit::journey
