// Mergeable per-theme, per-time-bucket counts: how themes are tracked incrementally.
//
// A cell (theme, bucket) holds the number of items and the EXACT set of distinct customers
// with each customer's weight (e.g. ARR). Exact sets, not a sketch: feedback volumes per
// theme are small (thousands of customers at most), exactness keeps "5 customers" true,
// and merge() stays associative and commutative. A customer's weight in a cell is the
// largest weight seen for it there (ARR is a property of the customer, so repeated items
// must not add it twice; max is associative). Buckets are floor((t - origin) / width).
#pragma once

#include <cxkit/core/time.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace cxkit::feedback {

class ThemeCounts {
 public:
  /// One (theme, bucket) cell.
  struct Cell {
    std::uint64_t items = 0;
    std::vector<std::pair<std::uint64_t, double>> customers;  ///< (customer key, weight), key-sorted
    double weight() const noexcept;  ///< sum of customer weights
  };
  /// Flat view of one cell (cells()).
  struct Row {
    std::int64_t theme = 0;
    std::int64_t bucket = 0;
    std::uint64_t items = 0;
    std::uint64_t customers = 0;
    double weight = 0.0;
  };

  /// Throws cxkit::InputError unless width > 0.
  explicit ThemeCounts(Duration width, Timestamp origin = Timestamp{});

  /// Counts one item. Unassigned items (theme < 0) are ignored. Amortised O(log cells +
  /// customers in the cell). Throws cxkit::InputError for a NaN or negative weight.
  void add(std::int64_t theme, Timestamp time, std::uint64_t customer, double weight = 0.0);
  /// Adds `other` into this. Throws cxkit::InputError unless width and origin agree.
  /// Associative and commutative: any partitioning of the items gives the same counts.
  void merge(const ThemeCounts& other);

  std::int64_t bucket_of(Timestamp t) const noexcept;
  Timestamp bucket_start(std::int64_t bucket) const noexcept;
  Duration width() const noexcept { return width_; }
  Timestamp origin() const noexcept { return origin_; }

  /// Every non-empty cell, by theme then bucket.
  std::vector<Row> cells() const;
  /// Totals of `theme` over buckets [first, last]: distinct customers across the range,
  /// their weight (max per customer) and items. O(cells in range * customers).
  Row total(std::int64_t theme, std::int64_t first, std::int64_t last) const;
  /// Distinct customer keys of `theme` over buckets [first, last], ascending.
  std::vector<std::uint64_t> customers(std::int64_t theme, std::int64_t first, std::int64_t last) const;

  const std::map<std::pair<std::int64_t, std::int64_t>, Cell>& raw() const noexcept { return cells_; }
  bool operator==(const ThemeCounts& other) const;

 private:
  Duration width_;
  Timestamp origin_;
  std::map<std::pair<std::int64_t, std::int64_t>, Cell> cells_;
};

}  // namespace cxkit::feedback
