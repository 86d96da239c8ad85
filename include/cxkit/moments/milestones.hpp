// Milestone triggers ("surprise and delight"): which accounts reached a moment worth
// celebrating or acknowledging within a time window.
//
// Rules (MilestoneRule::kind):
//   days_after_signup  N days (of 24 h) after the account's signup instant
//   anniversary        every calendar year after signup (same UTC date and time; 29 February
//                      falls on 28 February in common years)
//   nth_activity       the count-th event matching `event` in the case (one time)
//   cumulative         the event at which the running sum of numeric `attribute` over events
//                      matching `event` (any activity when event.activity is empty) first
//                      reaches `threshold` (missing values add nothing; one time)
//   activity           the first event matching `event` (a success milestone reached)
//   recovered          a clock of `moment` that missed its target and was then made good:
//                      without `then`, the late fulfilment itself (a breached clock's stop);
//                      with `then`, the first event matching `then` (and, when
//                      `then_attribute` is set, whose numeric value is at least `at_least`: a
//                      positive survey) at or after the breach was certain (the deadline) and
//                      after the fulfilment when there was one. One item per such event.
// due() returns every item whose due instant lies in [start, end), ordered by (due,
// account, rule). Signup-based rules read the accounts Table (every row, whether or not the
// log has events for it); event-based rules read the log's cases and see only events before
// `end` (point in time).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/moments/moment.hpp"

namespace cxkit::moments {

enum class MilestoneKind : std::uint8_t { days_after_signup, anniversary, nth_activity, cumulative, activity, recovered };
/// "days_after_signup", "anniversary", "nth_activity", "cumulative", "activity", "recovered".
const char* to_string(MilestoneKind k) noexcept;

struct MilestoneRule {
  std::string name;
  MilestoneKind kind = MilestoneKind::activity;
  std::int64_t days = 0;          ///< days_after_signup: >= 0
  EventCondition event;           ///< nth_activity, cumulative (activity may be empty), activity
  std::uint64_t count = 1;        ///< nth_activity: >= 1
  std::string attribute;          ///< cumulative: a numeric event attribute
  double threshold = 0;           ///< cumulative: finite
  std::optional<Moment> moment;   ///< recovered
  std::optional<EventCondition> then;      ///< recovered: the making-good event
  std::optional<std::string> then_attribute;  ///< recovered: numeric attribute of `then`
  double at_least = 0;            ///< recovered: then_attribute >= at_least

  /// Checks the fields the kind needs; throws InputError with source "MilestoneRule 'name'"
  /// and the bad field as column. O(1) (plus the moment's validate()).
  void validate() const;
  /// {"name", "kind", and the kind's fields}: "days", "event" (an activity name or
  /// {"activity", "where"}), "count", "attribute", "threshold", "moment" (Moment JSON),
  /// "then", "then_attribute", "at_least". Unknown fields are rejected.
  nlohmann::json to_json() const;
  static MilestoneRule from_json(const nlohmann::json& j);
  static MilestoneRule from_json_text(std::string_view text);
  friend bool operator==(const MilestoneRule&, const MilestoneRule&) = default;
};

struct DueItem {
  std::string account;
  std::uint32_t rule = 0;  ///< index into the rules passed to due()
  Timestamp due{};
  std::string reason;      ///< human-readable: "30 days since signup on 2024-01-02", ...
  friend bool operator==(const DueItem&, const DueItem&) = default;
};

struct DueOptions {
  Timestamp start{};
  Timestamp end{};
  std::string signup_column = "signup";  ///< timestamp column of the accounts table
};

/// Every milestone due in [start, end). Throws InputError when start > end or a rule is
/// invalid, NotFoundError when a signup-based rule is given and the table lacks the signup
/// column (TypeMismatchError when it is not a timestamp column), when a cumulative rule's
/// attribute is not in the log (TypeMismatchError when not numeric). Activities the log
/// lacks never match. Complexity: O(events x rules matching the event's activity + accounts
/// x anniversaries in the window + the recovered rules' clock evaluation).
std::vector<DueItem> due(const EventLog& log, const Table& accounts, std::span<const MilestoneRule> rules,
                         const DueOptions& options);

}  // namespace cxkit::moments
