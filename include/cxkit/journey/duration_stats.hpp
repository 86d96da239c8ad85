// Mergeable duration statistics: count, sum, mean, median, min, max, stdev and quantiles.
//
// A DurationStats accumulates durations in microseconds and can be merged with another one
// built on other data; merging in any order gives exactly the statistics of all the data
// at once (everything kept is an exact integer or the exact multiset of durations). Four
// modes trade memory for detail:
//   none     count only.
//   moments  + min, max, exact sum and sum of squares: mean and stdev, no median. O(1) memory.
//   exact    + every duration (8 bytes each): exact median and quantiles, as pm4py/pandas.
//   sketch   + a log-linear histogram (HdrHistogram-style): 2^bits buckets per power of two,
//            so a median or quantile is within a relative error of 2^-(bits+1) (0.39% for the
//            default 7 bits) of the exact one; memory is bounded by the range of durations,
//            not their number (at most ~(64 - bits) * 2^bits buckets of 8 bytes).
//
// Definitions (those of pandas, which pm4py's discover_performance_dfg uses): mean = sum/n;
// stdev is the sample standard deviation (ddof = 1), NaN for fewer than 2 durations (pm4py's
// EventLog code path returns 0 there instead); median and quantiles interpolate linearly
// between order statistics (numpy's default, "type 7"): q(p) = x[h] + (h - floor h)(x[ceil h]
// - x[floor h]) with h = (n-1)p on the sorted durations. Summaries are in seconds.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "cxkit/core/error.hpp"
#include "cxkit/journey/wide_int.hpp"

namespace cxkit::journey {

enum class DurationMode : std::uint8_t { none, moments, exact, sketch };

namespace detail {
struct DurationStatsIo;  // serialisation (journey_map_io.hpp) reads and restores the full state
}

inline const char* to_string(DurationMode m) noexcept {
  switch (m) {
    case DurationMode::none: return "none";
    case DurationMode::moments: return "moments";
    case DurationMode::exact: return "exact";
    case DurationMode::sketch: return "sketch";
  }
  return "?";
}

/// Statistics in seconds. Fields a mode does not support (and all but count and sum for no
/// durations) are NaN. quantiles[i] answers the i-th requested probability.
struct DurationSummary {
  std::uint64_t count = 0;
  double sum = std::numeric_limits<double>::quiet_NaN();
  double mean = std::numeric_limits<double>::quiet_NaN();
  double median = std::numeric_limits<double>::quiet_NaN();
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double stdev = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> quantiles;
};

/// Throws InputError unless every probability is in [0, 1].
inline void validate_quantiles(std::span<const double> probs) {
  for (double p : probs)
    if (!(p >= 0.0 && p <= 1.0))
      throw InputError("quantile probabilities must lie in [0, 1]", {"DiscoverOptions", -1, "quantiles",
                                                                      std::to_string(p)});
}

class DurationStats {
 public:
  static constexpr int kDefaultSketchBits = 7;

  /// Throws InputError when sketch_bits is outside 1..12 (checked in every mode, so that
  /// options are validated before any data is seen).
  explicit DurationStats(DurationMode mode = DurationMode::exact, int sketch_bits = kDefaultSketchBits)
      : mode_(mode), bits_(static_cast<std::uint8_t>(sketch_bits)) {
    if (sketch_bits < 1 || sketch_bits > 12)
      throw InputError("sketch_bits must be between 1 and 12", {"DiscoverOptions", -1, "sketch_bits",
                                                                 std::to_string(sketch_bits)});
  }

  DurationMode mode() const noexcept { return mode_; }
  int sketch_bits() const noexcept { return bits_; }
  /// Largest relative error of a sketch median or quantile: 2^-(bits+1).
  double sketch_relative_error() const noexcept { return std::ldexp(1.0, -(bits_ + 1)); }

  /// Adds one duration. Pre-condition for the sketch mode: micros >= 0 (durations between
  /// events sorted by time always are); a negative value is counted in the zero bucket.
  /// O(1) amortised; the exact mode appends to a vector (reserve() avoids regrowth).
  void add(std::int64_t micros) {
    ++count_;
    if (mode_ == DurationMode::none) return;
    if (micros < min_) min_ = micros;
    if (micros > max_) max_ = micros;
    sum_ += micros;
    const detail::UInt128 m = detail::magnitude(micros);
    sum_sq_.add(m * m);
    if (mode_ == DurationMode::exact) {
      values_.push_back(micros);
    } else if (mode_ == DurationMode::sketch) {
      add_to_bucket(bucket_of(micros < 0 ? 0 : micros, bits_), 1);
    }
  }

  /// Records n durations without their values. Throws InputError unless the mode is none.
  void add_count(std::uint64_t n) {
    if (mode_ != DurationMode::none) throw InputError("add_count() needs DurationMode::none");
    count_ += n;
  }

  /// Exact-mode capacity hint.
  void reserve(std::size_t n) {
    if (mode_ == DurationMode::exact) values_.reserve(n);
  }
  /// Drops spare capacity of the exact-mode vector.
  void shrink_to_fit() { values_.shrink_to_fit(); }

  /// Adds everything `other` holds. The durations of `other` are appended after ours.
  /// Throws InputError when the modes or sketch resolutions differ.
  void merge(const DurationStats& other) {
    if (other.mode_ != mode_ || (mode_ == DurationMode::sketch && other.bits_ != bits_))
      throw InputError(std::string("cannot merge duration statistics of different modes (") + to_string(mode_) +
                       " and " + to_string(other.mode_) + ") or sketch resolutions");
    count_ += other.count_;
    if (mode_ == DurationMode::none) return;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    sum_ += other.sum_;
    sum_sq_.add(other.sum_sq_);
    if (mode_ == DurationMode::exact) {
      values_.insert(values_.end(), other.values_.begin(), other.values_.end());
    } else if (mode_ == DurationMode::sketch) {
      for (std::size_t i = 0; i < other.buckets_.size(); ++i)
        if (other.buckets_[i] != 0) add_to_bucket(other.first_ + static_cast<std::int32_t>(i), other.buckets_[i]);
    }
  }
  /// Merge that takes over `other`'s storage when ours is empty and unreserved (no copy).
  void merge(DurationStats&& other) {
    if (count_ == 0 && values_.capacity() == 0 && other.mode_ == mode_ && other.bits_ == bits_) {
      *this = std::move(other);
      return;
    }
    merge(static_cast<const DurationStats&>(other));
  }

  std::uint64_t count() const noexcept { return count_; }
  bool has_moments() const noexcept { return mode_ != DurationMode::none; }
  bool has_quantiles() const noexcept { return mode_ == DurationMode::exact || mode_ == DurationMode::sketch; }
  /// Smallest and largest duration (µs); meaningful when count() > 0 and has_moments().
  std::int64_t min_micros() const noexcept { return min_; }
  std::int64_t max_micros() const noexcept { return max_; }
  /// Exact sum of the durations in µs.
  detail::Int128 sum_micros() const noexcept { return sum_; }
  /// Exact sum of squared durations in µs², as 192 bits.
  const detail::UInt192& sum_squares() const noexcept { return sum_sq_; }
  /// Exact mode: every duration in µs, in the order added (log order for discover()).
  std::span<const std::int64_t> values() const noexcept { return values_; }

  double sum_seconds() const noexcept {
    if (!has_moments()) return nan();
    return static_cast<double>(detail::to_long_double(sum_) / 1e6L);
  }
  double mean_seconds() const noexcept {
    if (!has_moments() || count_ == 0) return nan();
    return static_cast<double>(detail::to_long_double(sum_) / static_cast<long double>(count_) / 1e6L);
  }
  /// Sample standard deviation (ddof = 1) in seconds: sqrt((n Σx² - (Σx)²) / (n(n-1))), the
  /// numerator formed exactly. NaN for fewer than two durations or without moments.
  double stdev_seconds() const noexcept {
    if (!has_moments() || count_ < 2) return nan();
    const detail::UInt256 a = detail::times(count_, sum_sq_);
    const detail::UInt256 b = detail::square(detail::magnitude(sum_));
    const long double num = a.minus(b).to_long_double();
    const long double n = static_cast<long double>(count_);
    return static_cast<double>(std::sqrt(num / (n * (n - 1.0L))) / 1e6L);
  }

  /// All statistics, with quantiles at `probs` (each in [0, 1]; see validate_quantiles).
  /// O(n log q) for the exact mode (selection on a copy of the durations), O(buckets) for the
  /// sketch, O(1) otherwise.
  DurationSummary summarize(std::span<const double> probs = {}) const {
    DurationSummary s;
    s.count = count_;
    s.quantiles.assign(probs.size(), nan());
    if (!has_moments()) return s;
    s.sum = sum_seconds();
    if (count_ == 0) return s;
    s.mean = mean_seconds();
    s.stdev = stdev_seconds();
    s.min = static_cast<double>(min_) / 1e6;
    s.max = static_cast<double>(max_) / 1e6;
    if (!has_quantiles()) return s;
    // Every order statistic needed, ascending: floor and ceil of h = (n-1)p for the median
    // and each p. Small buffers live on the stack: most variants have few cases and few
    // probabilities are asked for, and an allocation would cost more than the work.
    const std::size_t n_need = 2 * (probs.size() + 1);
    std::uint64_t small_ranks[kSmall];
    std::int64_t small_at[kSmall];
    std::vector<std::uint64_t> big_ranks;
    std::vector<std::int64_t> big_at;
    std::uint64_t* ranks = small_ranks;
    std::int64_t* at = small_at;
    if (n_need > kSmall) {
      big_ranks.resize(n_need);
      big_at.resize(n_need);
      ranks = big_ranks.data();
      at = big_at.data();
    }
    std::size_t m = 0;
    const auto add_ranks = [&](double p) {
      const Position h = position(p);
      ranks[m++] = h.lo;
      ranks[m++] = h.hi;
    };
    for (double p : probs) add_ranks(p);
    add_ranks(0.5);
    std::sort(ranks, ranks + m);
    m = static_cast<std::size_t>(std::unique(ranks, ranks + m) - ranks);
    order_statistics(ranks, m, at);
    const auto value_at = [&](std::uint64_t r) {
      return static_cast<long double>(at[std::lower_bound(ranks, ranks + m, r) - ranks]);
    };
    const auto quantile = [&](double p) {
      const Position h = position(p);
      const long double a = value_at(h.lo), b = value_at(h.hi);
      return static_cast<double>((a + static_cast<long double>(h.frac) * (b - a)) / 1e6L);
    };
    for (std::size_t i = 0; i < probs.size(); ++i) s.quantiles[i] = quantile(probs[i]);
    s.median = quantile(0.5);
    return s;
  }

  /// Bytes held on the heap (durations or buckets).
  std::size_t memory_bytes() const noexcept { return values_.capacity() * 8 + buckets_.capacity() * 8; }

  /// Same mode and resolution, same count and moments, and the same multiset of durations
  /// (exact) or bucket counts (sketch). Order of durations does not matter.
  friend bool operator==(const DurationStats& a, const DurationStats& b) {
    if (a.mode_ != b.mode_ || a.count_ != b.count_) return false;
    if (a.mode_ == DurationMode::none) return true;
    if (a.min_ != b.min_ || a.max_ != b.max_ || a.sum_ != b.sum_ || !(a.sum_sq_ == b.sum_sq_)) return false;
    if (a.mode_ == DurationMode::exact) {
      std::vector<std::int64_t> x = a.values_, y = b.values_;
      std::sort(x.begin(), x.end());
      std::sort(y.begin(), y.end());
      return x == y;
    }
    if (a.mode_ == DurationMode::sketch) return a.bits_ == b.bits_ && a.nonzero_buckets() == b.nonzero_buckets();
    return true;
  }

  /// Sketch bucket of a non-negative value: values below 2^bits are exact; above, the bucket
  /// is (octave, top `bits` bits of the mantissa).
  static std::int32_t bucket_of(std::int64_t v, int bits) noexcept {
    const auto u = static_cast<std::uint64_t>(v);
    if (u < (std::uint64_t{1} << bits)) return static_cast<std::int32_t>(u);
    const int e = 63 - std::countl_zero(u);
    const int shift = e - bits;
    return static_cast<std::int32_t>((static_cast<std::uint64_t>(shift) << bits) + (u >> shift));
  }
  /// Smallest value and width of a sketch bucket.
  static void bucket_range(std::int32_t idx, int bits, std::int64_t& low, std::int64_t& width) noexcept {
    const std::int32_t g = idx >> bits;
    if (g <= 1) {
      low = idx;
      width = 1;
      return;
    }
    const int shift = g - 1;
    const std::int64_t m = idx - (static_cast<std::int64_t>(shift) << bits);
    low = m << shift;
    width = std::int64_t{1} << shift;
  }

 private:
  friend struct detail::DurationStatsIo;

  static double nan() noexcept { return std::numeric_limits<double>::quiet_NaN(); }

  void add_to_bucket(std::int32_t idx, std::uint64_t n) {
    if (buckets_.empty()) {
      first_ = idx;
      buckets_.assign(1, 0);
    } else if (idx < first_) {
      std::vector<std::uint64_t> grown(buckets_.size() + static_cast<std::size_t>(first_ - idx), 0);
      std::copy(buckets_.begin(), buckets_.end(), grown.begin() + (first_ - idx));
      buckets_ = std::move(grown);
      first_ = idx;
    } else if (static_cast<std::size_t>(idx - first_) >= buckets_.size()) {
      buckets_.resize(static_cast<std::size_t>(idx - first_) + 1, 0);
    }
    buckets_[static_cast<std::size_t>(idx - first_)] += n;
  }

  std::vector<std::pair<std::int32_t, std::uint64_t>> nonzero_buckets() const {
    std::vector<std::pair<std::int32_t, std::uint64_t>> out;
    for (std::size_t i = 0; i < buckets_.size(); ++i)
      if (buckets_[i] != 0) out.emplace_back(first_ + static_cast<std::int32_t>(i), buckets_[i]);
    return out;
  }

  static constexpr std::size_t kSmall = 40;

  // Where quantile p falls among the sorted durations: between ranks lo and hi (= lo or
  // lo + 1), `frac` of the way. Plain double arithmetic, as numpy: (n-1)p is exact enough
  // below 2^53 durations, and truncation is floor for p >= 0.
  struct Position {
    std::uint64_t lo, hi;
    double frac;
  };
  Position position(double p) const noexcept {
    const double h = static_cast<double>(count_ - 1) * p;
    std::uint64_t lo = static_cast<std::uint64_t>(h);
    if (lo > count_ - 1) lo = count_ - 1;
    const double frac = h - static_cast<double>(lo);
    return {lo, frac > 0 && lo + 1 < count_ ? lo + 1 : lo, frac};
  }

  // The values at the m given ascending, distinct 0-based ranks.
  void order_statistics(const std::uint64_t* ranks, std::size_t m, std::int64_t* out) const {
    if (mode_ == DurationMode::exact) {
      if (values_.size() <= kSmall) {
        std::int64_t v[kSmall];
        std::copy(values_.begin(), values_.end(), v);
        std::sort(v, v + values_.size());
        for (std::size_t i = 0; i < m; ++i) out[i] = v[ranks[i]];
        return;
      }
      std::vector<std::int64_t> v = values_;
      auto from = v.begin();
      for (std::size_t i = 0; i < m; ++i) {
        const auto nth = v.begin() + static_cast<std::ptrdiff_t>(ranks[i]);
        std::nth_element(from, nth, v.end());
        out[i] = *nth;
        from = nth + 1;  // later ranks are >= this one: select in the rest only
      }
      return;
    }
    // Sketch: walk the cumulative counts once; the extreme ranks are the exact min and max.
    std::uint64_t seen = 0;
    std::size_t b = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint64_t r = ranks[i];
      if (r == 0) { out[i] = min_; continue; }
      if (r == count_ - 1) { out[i] = max_; continue; }
      while (seen + buckets_[b] <= r) seen += buckets_[b++];
      std::int64_t low = 0, width = 1;
      bucket_range(first_ + static_cast<std::int32_t>(b), bits_, low, width);
      const std::int64_t mid = low + (width - 1) / 2;
      out[i] = std::clamp(mid, min_, max_);
    }
  }

  DurationMode mode_;
  std::uint8_t bits_;
  std::int32_t first_ = 0;  // sketch: bucket index of buckets_[0]
  std::uint64_t count_ = 0;
  std::int64_t min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_ = std::numeric_limits<std::int64_t>::min();
  detail::Int128 sum_ = 0;
  detail::UInt192 sum_sq_;
  std::vector<std::int64_t> values_;
  std::vector<std::uint64_t> buckets_;
};

}  // namespace cxkit::journey
