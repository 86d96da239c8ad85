// Compliance: how often each moment's clocks were met, by group and month.
//
// Cells are keyed by (moment, group, period). group is a label per case (owner, segment,
// tier; "" when not grouped); period is the calendar month, in UTC, of the clock's start
// (year*12 + month-1; kAllPeriods when not split by period). A cell counts clocks by status
// and keeps the elapsed business time of every stopped clock (met or breached), so median
// and p90 are exact and cells merge by concatenation: a Compliance built per partition and
// merged equals one built at once (the values are sorted before percentiles are taken).
//   met_rate = met / (met + breached + overdue): clocks whose outcome is already decided
//   (an overdue clock has missed its target whatever happens next); pending and cancelled
//   clocks are left out. NaN when nothing is decided.
//   Percentiles interpolate linearly between order statistics (numpy's default, "linear"):
//   q-th of sorted x[0..k-1] is x[f] + (h - f)(x[f+1] - x[f]), h = q (k - 1), f = floor(h).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "cxkit/moments/evaluate.hpp"

namespace cxkit::moments {

inline constexpr std::int32_t kAllPeriods = std::numeric_limits<std::int32_t>::min();

struct ComplianceCell {
  std::uint64_t count = 0, met = 0, breached = 0, pending = 0, overdue = 0, cancelled = 0;
  std::vector<std::int64_t> elapsed_us;  ///< stopped clocks' elapsed time, in arrival order

  void add(const Occurrence& o) { add(o.status, o.elapsed); }
  void add(Status status, Duration elapsed);
  void merge(const ComplianceCell& o);
  friend bool operator==(const ComplianceCell&, const ComplianceCell&) = default;
};

struct ComplianceRow {
  std::uint32_t moment = 0;
  std::string group;
  std::int32_t period = kAllPeriods;  ///< year*12 + month-1, or kAllPeriods
  std::uint64_t count = 0, met = 0, breached = 0, pending = 0, overdue = 0, cancelled = 0;
  double met_rate = 0;         ///< NaN when met + breached + overdue == 0
  Duration median_elapsed{0};  ///< of stopped clocks; Duration::min() when none
  Duration p90_elapsed{0};     ///< of stopped clocks; Duration::min() when none
};

/// "YYYY-MM" of a period, "" for kAllPeriods.
std::string period_label(std::int32_t period);
/// The period (UTC month) of an instant.
std::int32_t period_of(Timestamp t) noexcept;

class Compliance {
 public:
  /// by_period: split cells by the UTC month of the start.
  explicit Compliance(bool by_period = true) : by_period_(by_period) {}

  /// Adds occurrences. case_groups: empty (no grouping) or one label per case id, indexed by
  /// Occurrence::case_id (throws InputError when a case id is out of range). O(n log cells).
  void add(std::span<const Occurrence> occurrences, std::span<const std::string> case_groups = {});
  /// Adds one clock to the cell (moment, group, period), for callers that compute their own
  /// groups and periods (any calendar period, several attributes in one label). `period` is
  /// used as given when by_period(), else the cell's period is kAllPeriods. O(log cells).
  void add(std::uint32_t moment, const std::string& group, std::int32_t period, Status status, Duration elapsed);
  /// Adds another partition's cells. Throws InputError when by_period differs.
  void merge(const Compliance& other);
  /// Adds another partition's cells whose moment indices mean other things here: other's
  /// moment m becomes moment_map[m] (partitions that numbered their moments differently).
  /// Throws InputError when by_period differs or a moment has no entry in moment_map.
  void merge(const Compliance& other, std::span<const std::uint32_t> moment_map);

  using Key = std::tuple<std::uint32_t, std::string, std::int32_t>;
  /// The cells, ordered by key; with add_cell() enough to serialise and restore a Compliance.
  const std::map<Key, ComplianceCell>& cells() const noexcept { return cells_; }
  /// Merges `cell` into the cell at `key` (creating it). O(log cells + values).
  void add_cell(const Key& key, const ComplianceCell& cell) { cells_[key].merge(cell); }

  /// One row per cell, ordered by (moment, group, period). Sorts each cell's values: O(v log v).
  std::vector<ComplianceRow> rows() const;
  bool by_period() const noexcept { return by_period_; }

 private:
  bool by_period_;
  std::map<Key, ComplianceCell> cells_;
};

/// Compliance(by_period).add(occurrences, case_groups).rows().
std::vector<ComplianceRow> compliance(std::span<const Occurrence> occurrences,
                                      std::span<const std::string> case_groups = {}, bool by_period = true);

}  // namespace cxkit::moments
