// Local wall-clock schedules of one recipient: digest times and quiet hours in an IANA zone.
// Internal to the notification replay. Conversions use the same zone rules as Calendar
// (src/core/calendar_zone.hpp): a local time in a daylight-saving gap maps to the instant
// the gap ends, one in an overlap to the earlier instant.
#pragma once

#include "../core/calendar_zone.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/moments/notification_policy.hpp"

namespace cxkit::moments::detail {

class RecipientClock {
 public:
  /// Throws NotFoundError for an unknown zone.
  explicit RecipientClock(const Recipient& r);
  /// The earliest digest instant >= t (a digest time on an allowed weekday). O(1).
  Timestamp next_digest(Timestamp t) const;
  /// Whether t falls in the quiet hours (false without quiet hours).
  bool in_quiet_hours(Timestamp t) const;
  /// The first instant after t at which the quiet hours end (t itself without quiet hours).
  Timestamp quiet_end(Timestamp t) const;

 private:
  /// Local midnight of the day holding t, as days since 1970-01-01 (local calendar).
  std::int64_t local_day(std::int64_t utc_seconds) const;
  std::int64_t local_seconds_of_day(std::int64_t utc_seconds) const;
  std::int64_t to_utc(std::int64_t local_seconds) const;

  cxkit::detail::ZoneRules zone_;
  std::vector<LocalTime> digest_at_;
  std::uint8_t digest_days_;
  std::optional<std::pair<LocalTime, LocalTime>> quiet_;
};

}  // namespace cxkit::moments::detail
