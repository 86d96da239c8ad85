// DurationStats: exact moments, quantile definitions, the sketch's error bound, merging.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "cxkit/journey/duration_stats.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {
constexpr std::int64_t kSecond = 1000000;

// numpy's default (linear) quantile on sorted values, in µs: the independent reference.
double reference_quantile(std::vector<std::int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = static_cast<double>(v.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h)), hi = static_cast<std::size_t>(std::ceil(h));
  return static_cast<double>(v[lo]) + (h - std::floor(h)) * static_cast<double>(v[hi] - v[lo]);
}
}  // namespace

TEST(JourneyDurationStats, EmptyAndSingle) {
  DurationStats d;
  DurationSummary s = d.summarize(std::vector<double>{0.5});
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.sum, 0.0);
  EXPECT_TRUE(std::isnan(s.mean));
  EXPECT_TRUE(std::isnan(s.quantiles[0]));
  d.add(7 * kSecond);
  s = d.summarize(std::vector<double>{0.1});
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.median, 7.0);
  EXPECT_EQ(s.quantiles[0], 7.0);
  EXPECT_TRUE(std::isnan(s.stdev));
}

TEST(JourneyDurationStats, StdevHasNoCancellationError) {
  // Durations of about 11.6 days that differ by 1 µs: a naive double formula loses them.
  DurationStats d(DurationMode::moments);
  for (std::int64_t k : {0, 1, 2}) d.add(1'000'000'000'000 + k);
  EXPECT_DOUBLE_EQ(d.stdev_seconds(), 1e-6);  // sample stdev of {0, 1, 2} µs is 1 µs
  EXPECT_DOUBLE_EQ(d.mean_seconds(), 1'000'000.000001);
}

TEST(JourneyDurationStats, HugeDurationsDoNotOverflow) {
  // 9000 years in µs is ~2.8e17; the squares need more than 64 bits, the sum of squares of
  // many more than 128.
  DurationStats d(DurationMode::moments);
  const std::int64_t big = 280'000'000'000'000'000;
  for (int i = 0; i < 5000; ++i) d.add(i % 2 == 0 ? big : big - 2 * kSecond);
  EXPECT_NEAR(d.mean_seconds(), static_cast<double>(big) / 1e6 - 1.0, 1e-3);
  // Half at +1 s, half at -1 s around the mean: sample stdev = sqrt(n/(n-1)).
  EXPECT_NEAR(d.stdev_seconds(), std::sqrt(5000.0 / 4999.0), 1e-9);
}

TEST(JourneyDurationStats, QuantilesMatchLinearInterpolation) {
  std::mt19937_64 rng(11);
  for (int n : {1, 2, 3, 10, 101, 1000}) {
    DurationStats d;
    std::vector<std::int64_t> v;
    for (int i = 0; i < n; ++i) {
      v.push_back(static_cast<std::int64_t>(rng() % 1'000'000'000));
      d.add(v.back());
    }
    const std::vector<double> probs = {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0};
    const DurationSummary s = d.summarize(probs);
    for (std::size_t i = 0; i < probs.size(); ++i)
      EXPECT_NEAR(s.quantiles[i], reference_quantile(v, probs[i]) / 1e6, 1e-9) << "n=" << n << " p=" << probs[i];
    EXPECT_NEAR(s.median, reference_quantile(v, 0.5) / 1e6, 1e-9);
    EXPECT_EQ(s.min, static_cast<double>(*std::min_element(v.begin(), v.end())) / 1e6);
    EXPECT_EQ(s.max, static_cast<double>(*std::max_element(v.begin(), v.end())) / 1e6);
  }
}

TEST(JourneyDurationStats, SketchBucketsAreContiguousAndBounded) {
  for (int bits : {1, 4, 7, 12}) {
    std::int64_t expect_low = 0;
    // Walk the first buckets: each starts where the previous ended.
    for (std::int32_t idx = 0; idx < (8 << bits); ++idx) {
      std::int64_t low = 0, width = 0;
      DurationStats::bucket_range(idx, bits, low, width);
      ASSERT_EQ(low, expect_low) << "bits=" << bits << " idx=" << idx;
      EXPECT_EQ(DurationStats::bucket_of(low, bits), idx);
      EXPECT_EQ(DurationStats::bucket_of(low + width - 1, bits), idx);
      expect_low = low + width;
    }
    EXPECT_GE(DurationStats::bucket_of(std::numeric_limits<std::int64_t>::max(), bits), 0);
  }
}

TEST(JourneyDurationStats, SketchQuantilesWithinTheStatedRelativeError) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(std::log(3600.0 * kSecond), 2.0);
  for (int bits : {3, 7}) {
    DurationStats exact, sketch(DurationMode::sketch, bits);
    for (int i = 0; i < 20000; ++i) {
      const auto v = static_cast<std::int64_t>(dist(rng));
      exact.add(v);
      sketch.add(v);
    }
    const std::vector<double> probs = {0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999};
    const DurationSummary e = exact.summarize(probs), s = sketch.summarize(probs);
    const double tol = sketch.sketch_relative_error();
    EXPECT_DOUBLE_EQ(tol, std::ldexp(1.0, -(bits + 1)));
    for (std::size_t i = 0; i < probs.size(); ++i)
      EXPECT_LE(std::fabs(s.quantiles[i] - e.quantiles[i]), tol * e.quantiles[i]) << "bits " << bits;
    EXPECT_LE(std::fabs(s.median - e.median), tol * e.median);
    // Moments stay exact in the sketch mode.
    EXPECT_EQ(s.mean, e.mean);
    EXPECT_EQ(s.stdev, e.stdev);
    EXPECT_EQ(s.min, e.min);
    EXPECT_EQ(s.max, e.max);
    EXPECT_LT(sketch.memory_bytes(), 64u * 8u << bits);
  }
}

TEST(JourneyDurationStats, MergeEqualsAllAtOnceInEveryMode) {
  std::mt19937_64 rng(3);
  for (DurationMode mode : {DurationMode::none, DurationMode::moments, DurationMode::exact, DurationMode::sketch}) {
    DurationStats whole(mode), a(mode), b(mode), c(mode);
    for (int i = 0; i < 3000; ++i) {
      const auto v = static_cast<std::int64_t>(rng() % (std::int64_t{1} << (rng() % 50)));
      whole.add(v);
      (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(v);
    }
    DurationStats ab = a;
    ab.merge(b);
    ab.merge(c);
    DurationStats cb = c;
    cb.merge(b);
    cb.merge(a);
    EXPECT_EQ(ab, whole) << to_string(mode);
    EXPECT_EQ(cb, whole) << to_string(mode);
    const std::vector<double> probs = {0.1, 0.9};
    const DurationSummary x = ab.summarize(probs), y = whole.summarize(probs);
    EXPECT_EQ(x.count, y.count);
    if (mode != DurationMode::none) {
      EXPECT_EQ(x.mean, y.mean);
      EXPECT_EQ(x.stdev, y.stdev);
    }
    if (mode == DurationMode::exact || mode == DurationMode::sketch) {
      EXPECT_EQ(x.median, y.median);
      EXPECT_EQ(x.quantiles, y.quantiles);
    }
  }
}

TEST(JourneyDurationStats, MergingDifferentModesThrows) {
  DurationStats a(DurationMode::exact), b(DurationMode::sketch), c(DurationMode::sketch, 5);
  EXPECT_THROW(a.merge(b), InputError);
  EXPECT_THROW(b.merge(c), InputError);
  EXPECT_THROW(a.add_count(3), InputError);
  EXPECT_THROW(DurationStats(DurationMode::sketch, 13), InputError);
  EXPECT_THROW(validate_quantiles(std::vector<double>{std::nan("")}), InputError);
}
