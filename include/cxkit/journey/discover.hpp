// Journey discovery: the directly-follows graph, variants and rework of an event log.
//
// Semantics follow pm4py (discover_dfg, discover_performance_dfg, get_start_activities,
// get_end_activities, get_variants): within a case events are in time order, equal
// timestamps in input order (EventLog sorts that way); an edge a -> b is counted each time
// b is the very next event after a in a case; its duration is b's time minus a's time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/journey/duration_stats.hpp"
#include "cxkit/journey/journey_map.hpp"

namespace cxkit::journey {

struct DiscoverOptions {
  /// What to keep about edge and variant durations (see duration_stats.hpp). exact keeps
  /// 8 bytes per edge occurrence plus 8 per case; sketch bounds memory by duration range.
  DurationMode durations = DurationMode::exact;
  /// Quantile probabilities reported besides the median (each in [0, 1]).
  std::vector<double> quantiles = {0.25, 0.75, 0.9};
  /// Set: durations are business time on this calendar (Calendar::business_duration);
  /// unset: elapsed time.
  std::optional<Calendar> calendar;
  /// Whether to collect variants (distinct activity sequences).
  bool variants = true;
  /// Sketch resolution: relative error 2^-(bits+1) of sketch medians and quantiles (1..12).
  int sketch_bits = DurationStats::kDefaultSketchBits;
  /// Worker threads; 0 = std::thread::hardware_concurrency(). Results are identical for any
  /// thread count.
  unsigned threads = 0;
  /// At most this many distinct variants are kept (>= 1; kUnlimitedVariants for no cap).
  /// Up to the cap every variant count is exact; beyond it the map keeps the heavy hitters
  /// and reports what it left out (journey_map.hpp, docs/journeys.md). Each kept variant
  /// costs 280 + 4 * length bytes plus its durations.
  std::uint64_t max_variants = kDefaultMaxVariants;
  /// Optional progress: (events scanned, events of the cases discovered), called on the
  /// calling thread about every 65,536 events (worker threads only count), and once more
  /// when the map is assembled. Returning false throws Cancelled. Never changes the result.
  Progress progress;
};

/// Discovers the journey map of every case in `log`.
/// Complexity: O(events) for counts, plus O(events) selection for exact medians and
/// quantiles, plus a Calendar::business_duration call per edge and per case with a calendar.
/// Memory: O(activities^2) per thread for up to 1024 activities (a dense table), a hash
/// table above; plus what the duration mode keeps.
/// Transient: about 60 bytes per distinct variant (plus its durations) while counting, freed
/// before returning; the result keeps at most options.max_variants variants.
/// Throws InputError for invalid options (quantile outside [0, 1], sketch_bits outside
/// 1..12, max_variants 0), Cancelled when options.progress cancels, and whatever
/// Calendar::business_duration throws.
JourneyMap discover(const EventLog& log, const DiscoverOptions& options = {});

/// The same on the cases listed (case ids of `log`, each at most once, in any order; the
/// result does not depend on the order). Throws InputError for an id >= log.n_cases().
JourneyMap discover_cases(const EventLog& log, std::span<const std::uint32_t> cases,
                          const DiscoverOptions& options = {});

}  // namespace cxkit::journey
