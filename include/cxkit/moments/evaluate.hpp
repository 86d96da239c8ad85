// Evaluating moments of truth on an event log: one row per SLA clock cycle.
//
// Clock semantics (docs/moments.md states them in full, with the Zendesk / Jira Service
// Management / ServiceNow behaviour each rule follows):
// - A clock is identified by (case, moment, key value). It starts at an event matching the
//   trigger when no clock for that identity is running or paused; a trigger while one is
//   running or paused is ignored (it does not reset the clock).
// - An event matching fulfil stops it; cancel_on removes it (reported with status
//   `cancelled`); pause_on pauses a running clock and resume_on resumes a paused one. One
//   event that matches several roles is applied as cancel, else fulfil, else pause/resume;
//   then, if the clock is idle, as a trigger (so with `repeat` a fulfilling event that is
//   also a trigger starts the next cycle).
// - Without `repeat`, a fulfilled (case, moment, key) never starts again; with `repeat` each
//   later trigger starts a new cycle. A cancelled clock may start again at a later trigger.
// - Elapsed time is business time on the moment's calendar with paused spans excluded.
//   Status: stopped with elapsed <= target is `met`, else `breached`; still running or paused
//   at as_of with elapsed <= target is `pending`, else `overdue`.
// - Events after as_of are ignored (point in time); as_of defaults to the log's latest event.
// - Events whose key attribute is missing are ignored by a keyed moment.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/moments/moment.hpp"

namespace cxkit::moments {

enum class Status : std::uint8_t { met, breached, pending, overdue, cancelled };
/// "met", "breached", "pending", "overdue", "cancelled".
const char* to_string(Status s) noexcept;

/// One clock cycle.
struct Occurrence {
  std::uint32_t case_id = 0;       ///< case position in the log (log.case_names().name(case_id))
  std::uint32_t moment = 0;        ///< index into the moments passed to evaluate()
  std::string key;                 ///< the key value as text ("" for moments without a key)
  Timestamp started{};             ///< the trigger event's time
  std::optional<Timestamp> stopped;  ///< fulfil or cancel time; absent while running/paused
  Duration elapsed{0};             ///< business time, pauses excluded, up to stopped or as_of
  Duration target{0};              ///< the target that applied when the clock started
  /// When the target runs out: add_business_time(r, target - elapsed before r), r being the
  /// latest start or resume, or the end (stop or as_of) for a clock that ended paused.
  /// Pauses push it later. Before r when the target had already run out.
  Timestamp deadline{};
  Status status = Status::pending;
  /// target - elapsed for clocks still open at as_of (= business time from as_of to the
  /// deadline; negative when overdue); absent for stopped and cancelled clocks.
  std::optional<Duration> remaining;
  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

struct EvaluateOptions {
  /// Evaluate as of this instant; default: the log's latest timestamp.
  std::optional<Timestamp> as_of;
  /// Worker threads; 0 = hardware concurrency. Results are identical for any count.
  unsigned threads = 0;
  /// true: every moment must validate_against(log) (throws otherwise). false: activities,
  /// attributes and values the log lacks simply never match (a partition of a larger log
  /// may lack some), and a missing targets.by attribute falls back to `within`.
  bool strict = true;
  /// Optional progress in cases: (cases evaluated, log.n_cases()), called on the calling
  /// thread once per block of cases (about 16k events; never per event) and once at the end.
  /// A callback returning false stops the evaluation with Cancelled (no partial result).
  Progress progress;
};

/// Runs every moment's clocks over every case. Rows are ordered by case, then start time,
/// then moment index, then trigger order.
/// Throws what Moment::validate() / validate_against() throw (see EvaluateOptions::strict),
/// InputError from calendar arithmetic outside the years 0001-9999, and Cancelled when
/// options.progress cancels.
/// Complexity: one pass over the events, O(1) expected per event that matches a condition
/// (a flat hash of (moment, key) per case), two calendar operations per clock cycle; no
/// heap allocation per event. Parallel over contiguous blocks of cases (the blocks depend on
/// the log only, so the rows are the same for any thread count).
std::vector<Occurrence> evaluate(const EventLog& log, std::span<const Moment> moments,
                                 const EvaluateOptions& options = {});

}  // namespace cxkit::moments
