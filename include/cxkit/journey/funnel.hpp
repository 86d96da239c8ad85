// Conversion funnels: how many customers reach each of a list of steps, how fast, and what
// the ones who stop do instead.
//
// Semantics (docs/journey_funnels_conformance_playbooks.md compares them with Mixpanel and
// Amplitude in full). Counting is by unique customer (case), like both tools' default:
// - Entry. A customer enters at an occurrence of step 1 (the entry event). FunnelEntry::first
//   takes the case's first occurrence of step 1 (Mixpanel "uniques": the conversion window
//   starts at the first step-1 event and is not reset by later ones). FunnelEntry::best tries
//   every occurrence of step 1 and keeps the attempt that reaches the most steps, the earliest
//   such attempt on a tie (Amplitude's "earliest-longest" path).
// - Window. A later step counts only when its event's time minus the entry time is <= `within`
//   (inclusive; measured in business time when a calendar is set). Unset: no limit.
// - strict order ("this order" / Mixpanel's default loose order): steps are matched in list
//   order, each by the first event of its activity after the event that matched the previous
//   step; other events may come in between. Each event matches at most one step, so a
//   repeated step ("A, A, B") needs two A events. Events at the same timestamp count in log
//   order (the EventLog's stable order).
// - any order: step 1 is still the entry; a customer reaches step j when, after the entry
//   event and within the window, they have done every one of steps 2..j in any order (a step
//   listed twice needs two occurrences). Events before the entry event never count.
// - Completion time of step j: the time of the event that matched it (strict), or the
//   latest of the events that matched steps 1..j (any order). Times to convert are
//   completion(j) - entry and completion(j) - completion(j-1), both >= 0.
// - Dropped customers at step j are those who reached step j but not j+1; "what they did
//   next" is the activity of the event right after the one that completed step j, or
//   `end_name` when the case has no later event.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/journey/duration_stats.hpp"

namespace cxkit::journey {

enum class FunnelOrder : std::uint8_t { strict, any };
enum class FunnelEntry : std::uint8_t { first, best };

const char* to_string(FunnelOrder o) noexcept;
const char* to_string(FunnelEntry e) noexcept;

struct FunnelOptions {
  /// Activity names, in order; at least one. Names may repeat.
  std::vector<std::string> steps;
  /// Conversion window from the entry event (inclusive); unset = no limit. Must be >= 0.
  std::optional<Duration> within;
  FunnelOrder order = FunnelOrder::strict;
  FunnelEntry entry = FunnelEntry::first;
  /// Set: the window and the times to convert are business time on this calendar.
  std::optional<Calendar> calendar;
  /// What to keep of the times to convert (exact: every duration, exact quantiles).
  DurationMode durations = DurationMode::exact;
  /// Quantile probabilities reported besides the median, each in [0, 1].
  std::vector<double> quantiles = {0.25, 0.75, 0.9};
  /// Throw NotFoundError for a step that is not an activity of the log. Set false when
  /// running per partition (one partition may lack an activity): such a step is then simply
  /// never reached. Not compared by merge().
  bool require_activities = true;
  /// Keep one FunnelCustomer row per entered customer.
  bool customers = false;
  /// Name used for "the case ended" among what dropped customers did next (must not be an
  /// activity of the log).
  std::string end_name = "(end)";
};

/// How many dropped customers did `activity` next.
struct NextActivityCount {
  std::string activity;
  std::uint64_t customers = 0;
  friend bool operator==(const NextActivityCount&, const NextActivityCount&) = default;
};

struct FunnelStep {
  std::string activity;
  /// Customers who reached this step (step 0: customers who entered).
  std::uint64_t customers = 0;
  /// Reached this step but not the next (0 for the last step).
  std::uint64_t dropped = 0;
  /// customers / previous step's customers, and / first step's customers; 1 for the first
  /// step when anyone entered; NaN when the denominator is 0.
  double conversion_from_previous = std::numeric_limits<double>::quiet_NaN();
  double conversion_from_first = std::numeric_limits<double>::quiet_NaN();
  /// Times to convert (µs inside, seconds in the summaries), over the customers reaching
  /// this step; empty for step 0.
  DurationStats time_from_entry;
  DurationStats time_from_previous;
  DurationSummary from_entry;
  DurationSummary from_previous;
  /// What the dropped customers did next: every activity with its count, most frequent
  /// first (ties by name); empty for the last step.
  std::vector<NextActivityCount> next_after_drop;
};

/// The funnel of one group of customers (everyone, or one segment).
struct FunnelGroup {
  std::string segment;  ///< "" for the overall funnel
  /// Customers (cases) considered, entered or not.
  std::uint64_t n_customers = 0;
  std::vector<FunnelStep> steps;
};

/// One entered customer (FunnelOptions::customers).
struct FunnelCustomer {
  std::string customer;
  std::string segment;  ///< "" without segments or when the case has no segment
  /// Steps reached, 1..steps.size().
  std::uint32_t steps_reached = 0;
  /// Completion time of each step reached (reached_at[0] is the entry time).
  std::vector<Timestamp> reached_at;
};

struct FunnelResult {
  FunnelOptions options;
  FunnelGroup overall;
  /// One group per segment label with at least one case, in label-id order.
  std::vector<FunnelGroup> segments;
  /// In case order (per partition, then in merge order).
  std::vector<FunnelCustomer> customers;

  /// The top `n` next activities of dropped customers at `step` (all when n == 0).
  /// Throws InputError for step >= steps.
  std::vector<NextActivityCount> top_next(std::size_t step, std::size_t n = 5) const;

  /// Adds the funnel of another, disjoint set of customers (another partition) computed with
  /// the same steps, order, entry rule, window, calendar, duration mode and quantiles
  /// (InputError otherwise). Counts, next-activity counts (by name) and duration statistics
  /// add exactly; segments are matched by label name (new ones appended); customers are
  /// appended. Rates and summaries are recomputed, so the result equals the funnel of all
  /// customers at once (per-customer rows and exact durations in partition order).
  /// An empty FunnelResult{} adopts the other's options.
  void merge(const FunnelResult& other);
};

/// The funnel of every case of `log`.
/// Throws InputError for no steps, a negative window, a quantile outside [0, 1], or an
/// end_name that is an activity; NotFoundError for a step that is not an activity of the log
/// (the message lists the known activities) unless require_activities is false. Complexity: O(events) with the first entry
/// (one forward scan per case); FunnelEntry::best scans the window once per occurrence of
/// step 1, so O(events x step-1 occurrences per case) in the worst case. Business time adds
/// a Calendar::business_duration per matched step.
FunnelResult funnel(const EventLog& log, const FunnelOptions& options);

/// The same, with one segment label per case (`segment_of_case[c]`, an id into `labels`, or
/// kNoId: in the overall funnel, in no segment). Throws InputError when the sizes differ or a
/// label id is >= labels.size().
FunnelResult funnel(const EventLog& log, const FunnelOptions& options, std::span<const std::uint32_t> segment_of_case,
                    const Dictionary& labels);

/// Segments from a categorical column of a per-account Table keyed by case name (cases
/// missing from the table or with a missing value are in no segment). Throws NotFoundError
/// for an unknown column, TypeMismatchError for a non-categorical one.
FunnelResult funnel(const EventLog& log, const FunnelOptions& options, const Table& accounts,
                    std::string_view column);

}  // namespace cxkit::journey
