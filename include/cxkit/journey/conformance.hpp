// Conformance of customers' journeys to a JourneyDesign (design.hpp): per customer and in
// aggregate, mergeable across partitions of customers.
//
// Rules (worked examples in docs/journey_funnels_conformance_playbooks.md). Only events
// strictly before `as_of` are used. For each customer (case):
// - observed stages: the design stages the customer reached, each counted once (its first
//   occurrence; later occurrences are revisits, not deviations).
// - skipped: mandatory stages never reached although the customer reached a stage the
//   design places after them (a descendant in the DAG). A mandatory stage with no reached
//   descendant is not skipped, just not reached yet. Optional stages gone past this way are
//   "bypassed", which is no deviation.
// - out of order: reached stages whose first occurrence comes before the first occurrence of
//   one of their ancestors (a stage the design places before them): the customer did it too
//   early. A skipped ancestor (never reached) does not make a stage out of order.
// - unexpected: events of activities that are neither stages nor ignored. By default every
//   non-stage activity is ignored (product usage, e-mails) except the design's
//   relevant_activities; CheckOptions::all_activities_relevant counts every non-stage event.
// - fitness = 1 - (skipped + out_of_order + unexpected_events)
//                 / (observed + skipped + unexpected_events),
//   in [0, 1] because out_of_order <= observed; 1 when the denominator is 0. Each stage
//   counts once, each unexpected event once.
// - current stage: the stage of the last stage event; entered at the first event of the final
//   run of that stage (repeats of the current stage do not re-enter it). time_in_current =
//   business time from entering it to the reference time (as_of, or without as_of the latest
//   timestamp of the log); overdue when the stage has a target and time_in_current > target.
// - stay in a stage: from its first occurrence to the next event of a different stage (the
//   first visit only); the current stage's open first visit runs to the reference time.
//   over_target lists the stages whose stay exceeded their target, or the current stage
//   when overdue.
// - first deviation: the earliest (in log order) of: a skip (dated at the first reached
//   descendant of the skipped stage), an out-of-order stage (its first occurrence), an
//   unexpected event. Ties: skipped before out_of_order before unexpected, lower stage index
//   first. from_stage is the stage of the last stage event before it ("where the customer
//   left the design").
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/duration_stats.hpp"

namespace cxkit::journey {

enum class DeviationKind : std::uint8_t { none, skipped, out_of_order, unexpected, over_target, any };
const char* to_string(DeviationKind k) noexcept;

struct CheckOptions {
  /// Only events strictly before as_of are used; time in stage runs to as_of. Unset: every
  /// event, time in stage runs to the log's latest timestamp.
  std::optional<Timestamp> as_of;
  /// Business time for time in stage and targets; unset: Calendar::always().
  std::optional<Calendar> calendar;
  /// Count every non-stage activity as unexpected (default: only relevant_activities).
  bool all_activities_relevant = false;
  /// Optional outcome per case (e.g. churned): 0, 1, or NaN for unknown; empty for none. Must
  /// have one value per case of the log. Feeds ConformanceSummary::outcome_effects.
  std::span<const double> outcome;
  /// Quantiles reported for time in stage besides the median.
  std::vector<double> quantiles = {0.25, 0.75, 0.9};
  /// Keep per-customer rows (ConformanceResult::customers); the summary is always computed.
  bool customers = true;
};

struct CustomerConformance {
  std::string customer;
  /// Reached at least one stage.
  bool entered = false;
  double fitness = 1.0;
  std::uint32_t observed_stages = 0;
  std::uint32_t unexpected_events = 0;
  /// Stage indices (into JourneyDesign::stages()), ascending.
  std::vector<std::uint32_t> skipped;
  std::vector<std::uint32_t> out_of_order;
  std::vector<std::uint32_t> over_target;
  /// Distinct unexpected activities, in order of first occurrence.
  std::vector<std::string> unexpected;
  /// kNoId when no stage was reached.
  std::uint32_t current_stage = kNoId;
  Timestamp entered_current{};
  Duration time_in_current{0};
  bool overdue = false;
  DeviationKind first_deviation = DeviationKind::none;
  /// The skipped / out-of-order stage's name, or the unexpected activity.
  std::string first_deviation_name;
  /// Stage index of the last stage event before the first deviation, kNoId when none.
  std::uint32_t first_deviation_from = kNoId;
  Timestamp first_deviation_at{};
};

struct StageConformance {
  std::string stage;
  std::uint64_t reached = 0;      ///< customers who reached it
  std::uint64_t skipped = 0;      ///< mandatory, gone past
  std::uint64_t bypassed = 0;     ///< optional, gone past
  std::uint64_t not_reached = 0;  ///< entered customers neither reaching nor past it
  std::uint64_t out_of_order = 0;
  std::uint64_t current = 0;      ///< customers whose current stage it is
  std::uint64_t overdue = 0;      ///< ... and overdue in it
  std::uint64_t over_target = 0;  ///< customers whose stay exceeded the target
  /// Closed first-visit stays (business time), and their summary in seconds.
  DurationStats stay{DurationMode::exact};
  DurationSummary stay_summary;
};

/// Customers whose first deviation was (kind, name) after `from_stage` ("" = before any stage).
struct DeviationCount {
  DeviationKind kind = DeviationKind::none;
  std::string name;
  std::string from_stage;
  std::uint64_t customers = 0;
  friend bool operator==(const DeviationCount&, const DeviationCount&) = default;
};

struct UnexpectedCount {
  std::string activity;
  std::uint64_t customers = 0;
  std::uint64_t events = 0;
  friend bool operator==(const UnexpectedCount&, const UnexpectedCount&) = default;
};

/// Outcome rate of entered customers with a known outcome, with vs without a deviation.
/// kind any = at least one skip, out-of-order stage or unexpected event.
struct DeviationEffect {
  DeviationKind kind = DeviationKind::none;
  std::string name;  ///< stage or activity; "" for kind any
  std::uint64_t n_with = 0, positive_with = 0;
  std::uint64_t n_without = 0, positive_without = 0;
  /// positive / n (NaN when n = 0); difference = rate_with - rate_without.
  double rate_with = std::numeric_limits<double>::quiet_NaN();
  double rate_without = std::numeric_limits<double>::quiet_NaN();
  double difference = std::numeric_limits<double>::quiet_NaN();
};

struct ConformanceSummary {
  std::uint64_t n_customers = 0;  ///< cases checked
  std::uint64_t n_entered = 0;    ///< reached at least one stage
  std::uint64_t n_conforming = 0; ///< entered with fitness 1
  std::uint64_t n_overdue = 0;    ///< entered and overdue in their current stage
  /// Mean fitness of entered customers (NaN when none); kept as an exact-enough sum.
  double fitness_sum = 0.0;
  double mean_fitness = std::numeric_limits<double>::quiet_NaN();
  std::vector<StageConformance> stages;  ///< in design order
  /// Sorted by customers (descending), then kind, name, from_stage.
  std::vector<DeviationCount> first_deviations;
  /// Sorted by customers (descending), then activity.
  std::vector<UnexpectedCount> unexpected;
  /// Entered customers with a known outcome, and how many had outcome 1.
  std::uint64_t n_with_outcome = 0, n_positive = 0;
  /// Every deviation seen at least once among them (and kind any), sorted by difference
  /// (descending, NaN last), then kind and name. Empty without an outcome.
  std::vector<DeviationEffect> outcome_effects;
  std::vector<double> quantiles;

  /// Adds the summary of another, disjoint set of customers checked against the same design
  /// stages with the same quantiles (InputError otherwise). Counts add exactly; stays merge
  /// as DurationStats; the mean fitness is recomputed from the sums (floating-point sums, so
  /// equal to the all-at-once mean up to rounding). An empty summary adopts the other.
  void merge(const ConformanceSummary& other);
};

struct ConformanceResult {
  std::vector<std::string> stage_names;
  /// The reference time of time in stage (as_of, or the log's latest timestamp).
  Timestamp reference{};
  /// One per case, in case order (empty when CheckOptions::customers is false).
  std::vector<CustomerConformance> customers;
  ConformanceSummary summary;
};

/// JourneyDesign::check(log, options): see the rules above.
/// Throws InputError when options.outcome is not empty and its size differs from the number
/// of cases, or holds a value other than 0, 1 or NaN (naming the case); for a quantile outside
/// [0, 1]. Complexity: O(events + cases x stages^2 / 64) plus a Calendar::business_duration
/// per stage change; memory O(cases) for the per-customer rows.
ConformanceResult check(const JourneyDesign& design, const EventLog& log, const CheckOptions& options = {});

}  // namespace cxkit::journey
