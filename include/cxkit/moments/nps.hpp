// Survey scores: NPS with the Rocks (2016) adjusted-Wald interval, CSAT, CES.
//
// NPS (0-10 likelihood to recommend): promoters 9-10, passives 7-8, detractors 0-6,
// NPS = 100 * (promoters - detractors) / n. The interval is the adjusted Wald of
// B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The American Statistician
// 70(4), 2016, as MeasuringU describes it ("add 3 to n, 3/4 to the detractors and 3/4 to the
// promoters, and use the variance of the difference of two proportions"):
//   n' = n + 3,  p+ = (promoters + 3/4) / n',  p- = (detractors + 3/4) / n'
//   NPS' = p+ - p-,  se = sqrt((p+ + p- - NPS'^2) / n')
//   interval = NPS' -/+ z se, z = the normal quantile at 1 - (1 - confidence)/2,
//   clipped to [-1, 1]; everything reported x100.
// The point estimate `nps` is the plain NPS; the interval is centred on NPS'.
// All tallies are mergeable: merge() is associative and commutative, so per-partition
// tallies reduce to the tally of the whole.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace cxkit::moments {

/// Benchmark band of an NPS, a convention (not a standard): below 0 "poor", 0 to below 30
/// "good", 30 to below 70 "great", 70 and above "excellent" (docs/moments.md).
enum class NpsBand : std::uint8_t { poor, good, great, excellent };
const char* to_string(NpsBand b) noexcept;
NpsBand nps_band(double nps) noexcept;

struct NpsTally {
  std::uint64_t promoters = 0, passives = 0, detractors = 0;

  /// Adds one answer. Throws InputError naming the value unless it is an integer 0..10.
  void add(double score);
  void merge(const NpsTally& o) noexcept {
    promoters += o.promoters;
    passives += o.passives;
    detractors += o.detractors;
  }
  std::uint64_t n() const noexcept { return promoters + passives + detractors; }
  friend bool operator==(const NpsTally&, const NpsTally&) = default;
};

struct NpsResult {
  std::uint64_t n = 0, promoters = 0, passives = 0, detractors = 0;
  double nps = 0;      ///< -100..100; NaN when n == 0
  double se = 0;       ///< standard error of the adjusted estimate, x100
  double ci_low = 0;   ///< adjusted-Wald interval, clipped to [-100, 100]
  double ci_high = 0;
  NpsBand band = NpsBand::poor;
};

/// The summary of a tally. confidence in (0, 1), else InputError. O(1).
/// With n == 0: nps NaN, the interval is the adjusted one of 0 answers (centred on 0).
NpsResult summarize(const NpsTally& tally, double confidence = 0.95);
/// Tallies and summarises `scores` (each an integer 0..10, else InputError naming the value
/// and its position). O(n).
NpsResult nps(std::span<const double> scores, double confidence = 0.95);

/// CSAT: the share of 4-5 answers on a 1-5 scale, with a Wilson score interval.
struct CsatTally {
  std::uint64_t satisfied = 0, n = 0;
  /// Throws InputError naming the value unless it is an integer 1..5.
  void add(double score);
  void merge(const CsatTally& o) noexcept { satisfied += o.satisfied; n += o.n; }
  friend bool operator==(const CsatTally&, const CsatTally&) = default;
};
struct ProportionResult {
  std::uint64_t n = 0;
  double value = 0;  ///< percentage 0..100; NaN when n == 0
  double ci_low = 0, ci_high = 0;  ///< percentages; NaN when n == 0
};
/// Wilson score interval: (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
ProportionResult summarize(const CsatTally& tally, double confidence = 0.95);
ProportionResult csat(std::span<const double> scores, double confidence = 0.95);

/// CES: the mean of 1-7 answers, with a normal interval mean -/+ z s / sqrt(n) (s the
/// sample standard deviation, n - 1 in the denominator). Mergeable by sums.
struct CesTally {
  std::uint64_t n = 0;
  double sum = 0, sum_squares = 0;  ///< exact for integer scores below 2^53 / 49 answers
  /// Throws InputError naming the value unless it is an integer 1..7.
  void add(double score);
  void merge(const CesTally& o) noexcept { n += o.n; sum += o.sum; sum_squares += o.sum_squares; }
  friend bool operator==(const CesTally&, const CesTally&) = default;
};
struct MeanResult {
  std::uint64_t n = 0;
  double mean = 0;  ///< NaN when n == 0
  double sd = 0;    ///< NaN when n < 2
  double ci_low = 0, ci_high = 0;  ///< NaN when n < 2
};
MeanResult summarize(const CesTally& tally, double confidence = 0.95);
MeanResult ces(std::span<const double> scores, double confidence = 0.95);

}  // namespace cxkit::moments
