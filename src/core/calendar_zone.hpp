// A time zone's UTC offsets over all of time, for the business calendar.
//
// Howard Hinnant's date/tz reads the system zoneinfo files, whose explicit transitions end
// at some year (2037 in "fat" files, the last rule change in "slim" ones); it does not apply
// the POSIX TZ rule stored in each file's footer (RFC 8536, section 3.3) to later years, so
// on its own Europe/Amsterdam would have no summer time after 2037. ZoneRules takes date/tz's
// history up to the last explicit transition and the footer's rule after it, which keeps the
// precomputed calendar tables (1900-2200) right on every system.
//
// Everything here works in whole seconds since the Unix epoch: UTC offsets are whole seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace cxkit::detail {

/// A stretch of UTC time [begin, end) with one offset: local wall clock = UTC + offset.
struct ZoneSpan {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t offset = 0;
};

/// The yearly rule of a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "<-03>3",
/// with the RFC 8536 extensions tzdata uses (quoted names, transition hours from -167 to
/// 167). Transition dates in the M (month.week.weekday), J (1-365, no Feb 29) and plain
/// (0-365) forms.
class PosixTzRule {
 public:
  /// Nullopt when `s` is not such a string, or names a daylight-saving time without rules
  /// (the default rule is implementation-defined, and tzdata never relies on it).
  static std::optional<PosixTzRule> parse(std::string_view s);
  /// The span holding `utc`. O(1): the transitions of three years around it.
  ZoneSpan span_at(std::int64_t utc) const;

 private:
  struct When {
    char form = 'M';      // 'M', 'J' or 'n'
    int month = 0, week = 0, weekday = 0;  // M form; weekday 0 = Sunday
    int day = 0;          // J and n forms
    std::int64_t time = 7200;  // local seconds after midnight, default 02:00
  };
  static std::int64_t transition(int year, const When& w, std::int64_t offset_before);

  std::int64_t std_offset_ = 0;
  std::int64_t dst_offset_ = 0;
  bool has_dst_ = false;
  When start_{};
  When end_{};
};

/// One IANA zone: date/tz's history, continued by the zoneinfo footer's rule when the
/// footer can be read, parsed and agrees with the last explicit offset.
class ZoneRules {
 public:
  /// Throws NotFoundError naming `name` when the zone database does not know it.
  explicit ZoneRules(const std::string& name);

  /// The span holding `utc`.
  ZoneSpan span_at(std::int64_t utc) const;
  /// The UTC instant of local wall-clock time `local`: in an overlap the earlier instant, in
  /// a gap the instant the gap ends. `hint` is any span (start with span_at of a nearby
  /// instant); when `local` maps far inside it no look-up is needed, else it is replaced by
  /// the span found, so converting nearby times in order is O(1) each.
  std::int64_t local_to_utc(std::int64_t local, ZoneSpan& hint) const;
  /// Whether years after the last explicit transition follow the footer's rule.
  bool extended() const noexcept { return footer_.has_value(); }

 private:
  const date::time_zone* tz_ = nullptr;
  std::optional<PosixTzRule> footer_;
  std::int64_t cutover_ = 0;  // start of date/tz's last, open-ended span
};

}  // namespace cxkit::detail
