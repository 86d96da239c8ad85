// A moment of truth: a touchpoint with a trigger, what fulfils it and a time target.
//
// A Moment defines an SLA-style clock (the semantics of Zendesk, Jira Service Management and
// ServiceNow SLA clocks, docs/moments.md): the clock starts at an event matching `trigger`,
// stops at one matching `fulfil`, is paused and resumed by `pause_on` / `resume_on`, is
// removed by `cancel_on`, and is measured in business time on `calendar` (24/7 when absent).
// The target is `within`, or a per-value target chosen by an attribute in force when the
// clock starts (priority P0 -> 1h, P1 -> 4h). `key` pairs triggers and fulfilments inside a
// case (one account has many tickets open at once). evaluate.hpp runs the clocks.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit::moments {

/// `attribute == value` on the event. `value` is compared with the event's value as text for
/// categorical and text attributes, and as a number (value parsed as a decimal) for numeric
/// attributes. An event whose attribute is missing does not match.
struct AttributeCondition {
  std::string attribute;
  std::string value;
  friend bool operator==(const AttributeCondition&, const AttributeCondition&) = default;
};

/// An activity, optionally narrowed by attribute conditions that must all hold.
struct EventCondition {
  std::string activity;
  std::vector<AttributeCondition> where;
  /// Order of `where` does not matter (JSON objects have none).
  friend bool operator==(const EventCondition& a, const EventCondition& b) {
    if (a.activity != b.activity || a.where.size() != b.where.size()) return false;
    for (const auto& c : a.where)
      if (std::find(b.where.begin(), b.where.end(), c) == b.where.end()) return false;
    return true;
  }
};

/// Targets chosen by the value of attribute `by` in force when the clock starts (the value on
/// the trigger event, else the case's latest earlier event carrying it). A value without an
/// entry falls back to Moment::within; with no `within` either, no clock starts.
struct TargetsBy {
  std::string by;
  std::vector<std::pair<std::string, Duration>> values;  ///< value -> target; values distinct
  /// Order of `values` does not matter (JSON objects have none).
  friend bool operator==(const TargetsBy& a, const TargetsBy& b) {
    if (a.by != b.by || a.values.size() != b.values.size()) return false;
    for (const auto& v : a.values)
      if (std::find(b.values.begin(), b.values.end(), v) == b.values.end()) return false;
    return true;
  }
};

enum class Urgency : std::uint8_t { low, normal, high, critical };
const char* to_string(Urgency u) noexcept;

struct Moment {
  std::string name;
  EventCondition trigger;
  EventCondition fulfil;
  std::optional<Duration> within;      ///< default target (business time)
  std::optional<TargetsBy> targets;    ///< per-value targets
  std::optional<Calendar> calendar;    ///< absent: Calendar::always() (24/7 UTC)
  std::vector<EventCondition> pause_on;
  std::vector<EventCondition> resume_on;
  std::vector<EventCondition> cancel_on;
  bool repeat = false;                 ///< a trigger after fulfilment starts a new cycle
  std::optional<std::string> key;      ///< attribute pairing triggers with fulfilments
  std::optional<std::string> owner;
  std::optional<std::string> stage;
  Urgency urgency = Urgency::normal;
  std::optional<std::string> desired_emotion;

  /// The calendar the clock runs on (calendar, or Calendar::always()).
  Calendar effective_calendar() const { return calendar ? *calendar : Calendar::always(); }

  /// Checks the definition on its own. Throws InputError whose location names the moment
  /// (source "Moment 'name'") and the bad field (column "trigger.activity", "within",
  /// "targets.values.P0", ...): empty names, no target at all, negative targets, targets
  /// without `by` or with a value listed twice, pause_on without resume_on or the reverse.
  /// O(size^2) in the number of target values.
  void validate() const;

  /// validate(), then checks every name against `log`: activities of trigger, fulfil,
  /// pause_on, resume_on and cancel_on; attributes of `where`, `key` and `targets.by`.
  /// Throws NotFoundError naming the moment, the field and the missing name;
  /// TypeMismatchError for a key or condition attribute of timestamp type, or a key of
  /// text type (keys must be categorical or numeric); InputError for a `where` value that is
  /// not a number on a numeric attribute.
  void validate_against(const EventLog& log) const;

  /// JSON object with the fields above. Durations are written as "<n>h", "<n>m" or "<n>s"
  /// (business hours, minutes, seconds; the largest exact unit), a condition with no `where`
  /// as a bare activity string, the calendar as {"timezone", "week": 7 lists of
  /// ["HH:MM","HH:MM"] pairs (Monday first), "holidays": ["YYYY-MM-DD"...]}, absent fields
  /// omitted. from_json(to_json()) == *this.
  nlohmann::json to_json() const;
  /// Reads what to_json() writes; unknown fields are rejected. Durations also accept a
  /// decimal amount ("1.5h"). Throws InputError naming the field, then validate()s.
  static Moment from_json(const nlohmann::json& j);
  static Moment from_json_text(std::string_view text);

  friend bool operator==(const Moment&, const Moment&) = default;
};

/// Parses "<decimal><unit>" with unit h, m or s (e.g. "4h", "30m", "1.5h", "90s") into a
/// Duration rounded to the microsecond; std::nullopt for anything else (negative, blank,
/// other units, above 10^7 hours). O(length).
std::optional<Duration> parse_target(std::string_view text) noexcept;
/// The canonical text of a target ("1h", "90m", "45s", "0.5s"), readable by parse_target.
std::string format_target(Duration d);

}  // namespace cxkit::moments
