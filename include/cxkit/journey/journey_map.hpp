// The discovered journey map: activities, directly-follows edges, variants, rework.
//
// A JourneyMap is a plain value. Activities are sorted by name (byte order) and everything
// refers to them by position, so two maps of the same data are equal whatever the input's
// dictionary order, and maps built on disjoint sets of cases merge exactly (merge()).
// Edges are sorted by (source, target); variants by count (descending), then by their
// activity-name sequence. docs/journeys.md states the semantics.
//
// Variants are a bounded, mergeable heavy-hitters summary (Misra-Gries, merged as in Agarwal
// et al., "Mergeable summaries", PODS 2012): a map keeps at most settings().max_variants
// distinct sequences. While the log has no more than that, every count is exact and merge()
// equals one discovery over all cases, bit for bit. Beyond it, the most frequent sequences
// are kept with counts that may fall short of the truth by at most variant_count_error()
// <= n_cases / (max_variants + 1); the cases and sequences left out are reported
// (other_variant_cases(), n_variants()), never silently lost. Activity, edge, start/end and
// rework counts are unaffected: they are always exact.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/journey/duration_stats.hpp"

namespace cxkit::journey {

/// Per-activity counts.
struct ActivityStats {
  std::string name;
  std::uint64_t events = 0;        ///< occurrences
  std::uint64_t cases = 0;         ///< cases holding it at least once
  std::uint64_t starts = 0;        ///< cases whose first event it is
  std::uint64_t ends = 0;          ///< cases whose last event it is
  std::uint64_t rework_cases = 0;  ///< cases holding it more than once
  std::uint64_t self_loops = 0;    ///< times it directly follows itself (the edge a -> a)
  /// Occurrences beyond the first in each case: events - cases.
  std::uint64_t extra_occurrences() const noexcept { return events - cases; }
  friend bool operator==(const ActivityStats&, const ActivityStats&) = default;
};

/// A directly-follows edge: `target` is the next event after `source` in `count` places.
/// Durations are target time - source time (calendar or business time).
struct Edge {
  std::uint32_t source = 0;  ///< position in JourneyMap::activities()
  std::uint32_t target = 0;
  std::uint64_t count = 0;
  DurationStats durations;
  DurationSummary summary;  ///< durations.summarize(map.quantile_probs()), in seconds
  friend bool operator==(const Edge& a, const Edge& b) {
    return a.source == b.source && a.target == b.target && a.count == b.count && a.durations == b.durations;
  }
};

/// A distinct activity sequence and the cases that follow it. Durations are case durations
/// (last event time - first event time) of the `count` cases counted.
struct Variant {
  std::vector<std::uint32_t> activities;  ///< positions in JourneyMap::activities()
  /// Cases counted for this sequence: exact in an exact map (JourneyMap::variants_exact());
  /// beyond the cap a lower bound, within JourneyMap::variant_count_error() of the truth.
  std::uint64_t count = 0;
  /// The Misra-Gries counter that decides which sequences stay when the cap is exceeded
  /// (<= count; equal to count in an exact map). Internal to the summary; kept for merging.
  std::uint64_t rank_count = 0;
  double share = 0;  ///< count / n_cases of the map
  DurationStats durations;
  DurationSummary summary;
  friend bool operator==(const Variant& a, const Variant& b) {
    return a.activities == b.activities && a.count == b.count && a.rank_count == b.rank_count &&
           a.durations == b.durations;
  }
};

/// Default cap on the distinct variants a map keeps (DiscoverOptions::max_variants): above
/// the variant count of every public benchmark log we know of (BPI Challenge 2018: 28,457),
/// and at 280 + 4 * length bytes per kept variant (360 B for 20 activities, measured in
/// docs/journeys.md) it bounds the variant part of a map near 36 MB plus the durations the
/// mode keeps.
inline constexpr std::uint64_t kDefaultMaxVariants = 100'000;
/// max_variants value meaning "no cap" (every distinct variant is kept, as before the cap).
inline constexpr std::uint64_t kUnlimitedVariants = ~std::uint64_t{0};

/// The settings a map was discovered with; maps merge only when these agree.
struct MapSettings {
  DurationMode durations = DurationMode::exact;
  int sketch_bits = DurationStats::kDefaultSketchBits;
  std::vector<double> quantiles;
  std::optional<Calendar> calendar;  ///< set: durations are business time on it
  bool variants = true;
  /// At most this many distinct variants are kept (>= 1; kUnlimitedVariants: no cap). Maps
  /// with different caps merge under the smaller one.
  std::uint64_t max_variants = kDefaultMaxVariants;
  friend bool operator==(const MapSettings&, const MapSettings&) = default;
};

class JourneyMap {
 public:
  /// An empty map (no cases). merge() into it adopts the other map's settings.
  JourneyMap() = default;

  const MapSettings& settings() const noexcept { return settings_; }
  const std::vector<double>& quantile_probs() const noexcept { return settings_.quantiles; }

  std::uint64_t n_cases() const noexcept { return n_cases_; }
  std::uint64_t n_events() const noexcept { return n_events_; }
  /// Cases in which at least one activity occurs more than once.
  std::uint64_t rework_cases() const noexcept { return rework_cases_; }

  /// Sorted by name.
  const std::vector<ActivityStats>& activities() const noexcept { return activities_; }
  /// Position of an activity, or nullopt. O(log activities).
  std::optional<std::uint32_t> find_activity(std::string_view name) const noexcept;
  /// Position of an activity; throws NotFoundError listing the known activities.
  std::uint32_t activity_index(std::string_view name) const;
  std::string_view activity_name(std::uint32_t i) const noexcept { return activities_[i].name; }

  /// (name, count) of activities that start (end) at least one case, sorted by name.
  std::vector<std::pair<std::string_view, std::uint64_t>> start_activities() const;
  std::vector<std::pair<std::string_view, std::uint64_t>> end_activities() const;

  /// Sorted by (source, target).
  const std::vector<Edge>& edges() const noexcept { return edges_; }
  /// The edge source -> target, or nullptr. O(log edges).
  const Edge* find_edge(std::uint32_t source, std::uint32_t target) const noexcept;
  const Edge* find_edge(std::string_view source, std::string_view target) const noexcept;
  /// Edges a -> a.
  std::vector<const Edge*> self_loop_edges() const;

  /// Sorted by count descending, then by activity-name sequence. Empty when discovered with
  /// variants = false.
  const std::vector<Variant>& variants() const noexcept { return variants_; }
  /// The k most frequent variants (all when k >= their number).
  std::span<const Variant> top_variants(std::size_t k) const noexcept;
  /// The fewest most-frequent variants whose cases make up at least `coverage` of all cases
  /// (0 <= coverage <= 1; throws InputError otherwise).
  std::span<const Variant> variants_covering(double coverage) const;
  /// Names of a variant's activities.
  std::vector<std::string_view> variant_names(const Variant& v) const;

  /// True when variants() holds every distinct sequence with its exact count (always so
  /// below the cap; false also for a map discovered with variants = false that has cases).
  bool variants_exact() const noexcept { return other_variant_cases() == 0; }
  /// Cases not counted in any kept variant's count: n_cases - sum of counts. Exact.
  std::uint64_t other_variant_cases() const noexcept;
  /// Distinct activity sequences among all cases: exact (variants().size()) when
  /// variants_exact(), otherwise a HyperLogLog estimate (standard error 1.6 %, merged
  /// exactly) clamped to [kept + 1, kept + other_variant_cases()]. 0 without variants.
  std::uint64_t n_variants() const noexcept;
  /// n_variants() - variants().size(): distinct sequences left out (an estimate beyond the cap).
  std::uint64_t dropped_variants() const noexcept { return n_variants() - variants_.size(); }
  /// Bound E on the count error: every sequence's true number of cases f satisfies
  /// count <= f <= count + E (count = 0 for a sequence not kept), with
  /// E = floor((n_cases - sum of rank counts) / (max_variants + 1)) <= n_cases / (max_variants + 1).
  /// 0 in an exact map.
  std::uint64_t variant_count_error() const noexcept;
  /// HyperLogLog registers over the name sequences of all cases' variants (2^12 bytes), kept
  /// only once the cap has been exceeded; empty in an exact map.
  const std::vector<std::uint8_t>& variant_sketch() const noexcept { return variant_sketch_; }

  /// Adds the cases of `other`, which must be disjoint from ours (a different partition of
  /// the same log, or another log). Activities are matched by name. The result equals
  /// discover() on the concatenated cases while the variants of both together stay within
  /// the cap (beyond it, see the class comment). Throws InputError when the settings other
  /// than max_variants differ (an empty map adopts `other`'s; the smaller cap wins).
  /// O(size of both maps + variants log variants).
  void merge(const JourneyMap& other);

  /// Bytes held: names, edges, variants, and the durations or sketches they keep.
  std::size_t memory_bytes() const noexcept;

  friend bool operator==(const JourneyMap&, const JourneyMap&) = default;

  // Construction from the parts, for discover(), merge() and from_bytes(): checks nothing
  // beyond sorting edges and variants, computes shares, self-loop counts and summaries. The
  // variants must already respect settings.max_variants; `variant_sketch` is empty or the
  // HyperLogLog registers of an inexact map.
  static JourneyMap assemble(MapSettings settings, std::uint64_t n_cases, std::uint64_t n_events,
                             std::uint64_t rework_cases, std::vector<ActivityStats> activities,
                             std::vector<Edge> edges, std::vector<Variant> variants, unsigned threads = 1,
                             std::vector<std::uint8_t> variant_sketch = {});

 private:
  std::vector<std::uint64_t> activity_hashes() const;  // detail::name_hash of each activity

  MapSettings settings_;
  std::uint64_t n_cases_ = 0;
  std::uint64_t n_events_ = 0;
  std::uint64_t rework_cases_ = 0;
  std::vector<ActivityStats> activities_;
  std::vector<Edge> edges_;
  std::vector<Variant> variants_;
  std::vector<std::uint8_t> variant_sketch_;
};

}  // namespace cxkit::journey
