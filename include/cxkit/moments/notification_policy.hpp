// A notification policy: who hears about which moment-of-truth item, when, and how loudly.
//
// Items are the moments of truth's clock events (a clock triggered, about to breach, breached;
// notification_replay.hpp derives them from occurrences). The policy:
// - routes each item to recipients by rules matching its labels (moment, urgency, kind, the
//   account's columns such as tier or owner, the trigger event's attributes such as priority);
//   the first matching route wins unless it says `continue` or the policy routes to all
//   matches (Alertmanager's route tree, flattened to one level);
// - notifies urgent items (urgency high/critical, or a route that says immediate) at once,
//   grouped with Alertmanager's group_by / group_wait / group_interval / repeat_interval;
// - batches the rest into a digest delivered at each recipient's local digest time;
// - mutes items while an inhibiting item is firing (Alertmanager inhibit_rules);
// - escalates breaches PagerDuty-style: level after level, each after a timeout, until the
//   breach is acknowledged (by the clock's fulfilment or an acknowledging event).
// docs/moments_notifications.md states every rule and the JSON schema.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/core/time.hpp"

namespace cxkit::moments {

/// What happened to a clock. The label `kind` takes these names.
enum class ItemKind : std::uint8_t { triggered, about_to_breach, breached };
/// "triggered", "about_to_breach", "breached".
const char* to_string(ItemKind k) noexcept;

/// A local wall-clock time of day, minutes after midnight (0..1439).
using LocalTime = std::uint16_t;

/// A person or team inbox that receives notifications.
struct Recipient {
  std::string id;                      ///< unique; what routes and managers name
  std::string role;                    ///< optional ("" = none); routes may target a role
  std::string manager;                 ///< optional recipient id escalations go to next
  std::string timezone = "UTC";        ///< IANA zone of the digest and quiet hours
  std::vector<LocalTime> digest_at{9 * 60};  ///< local digest times, sorted, distinct, >= 1
  /// Weekdays digests are delivered on (bit 0 = Monday .. bit 6 = Sunday); default all.
  std::uint8_t digest_days = 0x7F;
  /// Quiet hours [from, to) local, wrapping midnight when from > to; absent = none.
  std::optional<std::pair<LocalTime, LocalTime>> quiet_hours;
  friend bool operator==(const Recipient&, const Recipient&) = default;
};

/// `label` has one of `values` (a string in JSON means one value). A missing label never
/// matches.
struct LabelMatcher {
  std::string label;
  std::vector<std::string> values;
  friend bool operator==(const LabelMatcher&, const LabelMatcher&) = default;
};

/// A routing rule. Exactly one of recipient / recipient_from / role / drop.
struct Route {
  enum class Target : std::uint8_t { recipient, recipient_from, role, drop };
  std::string name;                    ///< for display; defaults to "routes[i]"
  std::vector<LabelMatcher> match;     ///< all must hold; empty matches every item
  Target target = Target::recipient;
  /// recipient: a recipient id; recipient_from: a label whose value is a recipient id (an
  /// account column such as `owner` or `csm`); role: every recipient with that role.
  std::string value;
  /// true: notify at once; false: digest; absent: by urgency (high/critical at once).
  std::optional<bool> immediate;
  bool continue_matching = false;      ///< JSON "continue": keep matching later routes
  friend bool operator==(const Route&, const Route&) = default;
};

/// Alertmanager's grouping of immediate notifications (same defaults as Alertmanager).
struct Grouping {
  std::vector<std::string> group_by;   ///< labels; empty = one group per (route, recipient)
  Duration group_wait = std::chrono::seconds(30);
  Duration group_interval = std::chrono::minutes(5);
  Duration repeat_interval = std::chrono::hours(4);
  friend bool operator==(const Grouping&, const Grouping&) = default;
};

/// Alertmanager inhibit rule: while an item matching `source` fires, items matching
/// `target` with the same values of every `equal` label are muted. An item never inhibits
/// itself.
struct InhibitRule {
  std::vector<LabelMatcher> source;
  std::vector<LabelMatcher> target;
  std::vector<std::string> equal;
  friend bool operator==(const InhibitRule&, const InhibitRule&) = default;
};

/// One level of an escalation policy.
struct EscalationLevel {
  enum class Target : std::uint8_t { owner, manager, recipient };
  Target target = Target::owner;  ///< owner: the route's recipients; manager: the previous level's managers
  std::string recipient;          ///< for Target::recipient
  /// Time this level has to acknowledge before the next level is notified (unused on the
  /// last level).
  Duration timeout = std::chrono::hours(2);
  friend bool operator==(const EscalationLevel&, const EscalationLevel&) = default;
};

/// PagerDuty-like escalation of breaches. Level 0 is notified at the breach instant, level k
/// at breach + the timeouts of levels 0..k-1, unless acknowledged before.
struct EscalationPolicy {
  std::vector<LabelMatcher> match;     ///< breached items it applies to; empty = every breach
  std::vector<std::string> acknowledge_on;  ///< activities that acknowledge (same case and key)
  std::vector<EscalationLevel> levels;      ///< at least one
  friend bool operator==(const EscalationPolicy&, const EscalationPolicy&) = default;
};

struct NotificationPolicy {
  enum class Routing : std::uint8_t { first_match, all_matches };

  std::vector<Recipient> recipients;
  std::vector<Route> routes;
  Routing routing = Routing::first_match;
  std::string default_recipient;       ///< gets items no route matched ("" = they stay unrouted)
  /// Item kinds the replay creates; default about-to-breach and breached.
  std::vector<ItemKind> notify_on{ItemKind::about_to_breach, ItemKind::breached};
  Duration warn_before = std::chrono::hours(1);  ///< about_to_breach fires at deadline - warn_before
  Grouping grouping;
  std::vector<InhibitRule> inhibit;
  std::optional<EscalationPolicy> escalation;

  /// Checks the policy on its own. Throws InputError whose location has source
  /// "NotificationPolicy", the bad field as column ("recipients[1].timezone",
  /// "routes[0].match.urgency", "grouping.group_interval", ...) and the bad value: duplicate
  /// or empty recipient ids, unknown managers / route recipients / default recipient /
  /// escalation recipients, unknown time zones, digest times not HH:MM, empty matcher value
  /// lists, unknown urgency or kind values in matchers, non-positive group_interval or
  /// repeat_interval, negative group_wait / warn_before / timeouts, an escalation without
  /// levels. O(recipients * log recipients + routes * matchers).
  void validate() const;

  /// The JSON form (docs/moments_notifications.md): durations as "30s" / "5m" / "4h",
  /// local times as "HH:MM", absent fields omitted. from_json(to_json()) == *this.
  nlohmann::json to_json() const;
  /// Reads what to_json() writes; unknown fields are rejected. Throws InputError naming the
  /// field, then validate()s.
  static NotificationPolicy from_json(const nlohmann::json& j);
  static NotificationPolicy from_json_text(std::string_view text);

  /// Index of the recipient with this id, or -1. O(recipients).
  std::int64_t find_recipient(std::string_view id) const noexcept;

  friend bool operator==(const NotificationPolicy&, const NotificationPolicy&) = default;
};

}  // namespace cxkit::moments
