#include "notification_clock.hpp"

namespace cxkit::moments::detail {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kMicros = 1000000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::int64_t seconds_of(Timestamp t) { return floor_div(to_micros(t), kMicros); }

// Monday = 0: 1970-01-01 was a Thursday.
int weekday_of(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

}  // namespace

RecipientClock::RecipientClock(const Recipient& r)
    : zone_(r.timezone), digest_at_(r.digest_at), digest_days_(r.digest_days), quiet_(r.quiet_hours) {}

std::int64_t RecipientClock::local_day(std::int64_t s) const { return floor_div(s + zone_.span_at(s).offset, kDay); }

std::int64_t RecipientClock::local_seconds_of_day(std::int64_t s) const {
  const std::int64_t local = s + zone_.span_at(s).offset;
  return local - floor_div(local, kDay) * kDay;
}

std::int64_t RecipientClock::to_utc(std::int64_t local) const {
  cxkit::detail::ZoneSpan hint = zone_.span_at(local);
  return zone_.local_to_utc(local, hint);
}

Timestamp RecipientClock::next_digest(Timestamp t) const {
  const std::int64_t s = seconds_of(t);
  const std::int64_t t_us = to_micros(t);
  // Start a day early: the local day of t and the digest's local day may differ near midnight.
  for (std::int64_t day = local_day(s) - 1;; ++day) {
    if (!(digest_days_ & (1u << weekday_of(day)))) continue;
    for (LocalTime m : digest_at_) {
      const std::int64_t utc = to_utc(day * kDay + std::int64_t{m} * 60);
      if (utc * kMicros >= t_us) return from_micros(utc * kMicros);
    }
  }
}

bool RecipientClock::in_quiet_hours(Timestamp t) const {
  if (!quiet_) return false;
  const std::int64_t sod = local_seconds_of_day(seconds_of(t));
  const std::int64_t from = std::int64_t{quiet_->first} * 60, to = std::int64_t{quiet_->second} * 60;
  return from < to ? (sod >= from && sod < to) : (sod >= from || sod < to);
}

Timestamp RecipientClock::quiet_end(Timestamp t) const {
  if (!quiet_) return t;
  const std::int64_t s = seconds_of(t);
  for (std::int64_t day = local_day(s) - 1;; ++day) {
    const std::int64_t utc = to_utc(day * kDay + std::int64_t{quiet_->second} * 60);
    if (utc * kMicros > to_micros(t)) return from_micros(utc * kMicros);
  }
}

}  // namespace cxkit::moments::detail
