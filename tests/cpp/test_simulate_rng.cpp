// The simulator's portable generator, elementary functions and samplers.
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "cxkit/simulate/rng.hpp"

namespace sd = cxkit::simulate::detail;

namespace {

// Mean and variance of n draws.
template <class F>
std::pair<double, double> moments(int n, F draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, sum2 / n - mean * mean};
}

// Units in the last place of x.
double ulp(double x) { return std::nextafter(std::fabs(x), INFINITY) - std::fabs(x); }

}  // namespace

TEST(SimulateRng, SplitMix64MatchesTheReferenceSequence) {
  // Steele, Lea & Flood's splitmix64 from state 0 (values from an independent Python port).
  std::uint64_t state = 0;
  EXPECT_EQ(sd::splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(sd::splitmix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(sd::splitmix64(state), 0x06c45d188009454fULL);
}

TEST(SimulateRng, SeededStreamMatchesTheDocumentedConstruction) {
  // docs/simulator.md: seed -> splitmix64, xor stream * K1 -> splitmix64, xor index * K2 ->
  // four splitmix64 outputs as the xoshiro256** state. Reference from a Python port.
  sd::Rng rng(7, 2, 0);
  EXPECT_EQ(rng.next(), 0xe7f5f01c3fe89ac7ULL);
  EXPECT_EQ(rng.next(), 0x464d66f39c72bccfULL);
  EXPECT_EQ(rng.next(), 0x950fa61772077944ULL);
}

TEST(SimulateRng, StreamsAreIndependentOfEachOther) {
  sd::Rng a(7, 2, 0), b(7, 2, 1), c(7, 3, 0), d(8, 2, 0), a2(7, 2, 0);
  const auto x = a.next();
  EXPECT_NE(x, b.next());
  EXPECT_NE(x, c.next());
  EXPECT_NE(x, d.next());
  EXPECT_EQ(x, a2.next());
}

TEST(SimulateRng, UniformHasTheMomentsOfU01) {
  sd::Rng rng(1, 1, 1);
  double lo = 1, hi = 0;
  const auto [mean, var] = moments(200000, [&] {
    const double u = rng.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    return u;
  });
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  // SE of the mean: sqrt(1/12 / n) = 0.00065.
  EXPECT_NEAR(mean, 0.5, 0.003);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.002);
}

TEST(SimulateRng, BelowIsUniformOverItsRange) {
  sd::Rng rng(2, 1, 1);
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const auto v = rng.below(10);
    ASSERT_LT(v, 10u);
    ++counts[v];
  }
  // Chi-square with 9 degrees of freedom: 99.9% quantile 27.9.
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 10.0) * (c - n / 10.0) / (n / 10.0);
  EXPECT_LT(chi2, 27.9);
  EXPECT_EQ(rng.below(1), 0u);
}

TEST(SimulateRng, NormalHasMeanZeroVarianceOneAndNormalTails) {
  sd::Rng rng(3, 1, 1);
  int outside = 0;
  const int n = 200000;
  const auto [mean, var] = moments(n, [&] {
    const double z = sd::normal(rng);
    outside += std::fabs(z) > 1.959963984540054 ? 1 : 0;
    return z;
  });
  EXPECT_NEAR(mean, 0.0, 0.01);  // SE 0.0022
  EXPECT_NEAR(var, 1.0, 0.015);  // SE 0.0032
  EXPECT_NEAR(static_cast<double>(outside) / n, 0.05, 0.0025);  // SE 0.00049
}

TEST(SimulateRng, ExponentialHasUnitMeanAndVariance) {
  sd::Rng rng(4, 1, 1);
  const auto [mean, var] = moments(200000, [&] { return sd::exponential(rng); });
  EXPECT_NEAR(mean, 1.0, 0.01);
  EXPECT_NEAR(var, 1.0, 0.03);
}

TEST(SimulateRng, LognormalMedianIsTheGivenMedian) {
  sd::Rng rng(5, 1, 1);
  int below = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) below += sd::lognormal_median(rng, 3.5, 0.8) < 3.5 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(below) / n, 0.5, 0.006);  // SE 0.0016
}

TEST(SimulateRng, PoissonMatchesMeanVarianceAndZeroProbability) {
  for (double lambda : {0.3, 4.0, 11.9, 50.0, 300.0}) {
    sd::Rng rng(6, 1, static_cast<std::uint64_t>(lambda * 10));
    int zeros = 0;
    const int n = 100000;
    const auto [mean, var] = moments(n, [&] {
      const auto k = sd::poisson(rng, lambda);
      zeros += k == 0 ? 1 : 0;
      return static_cast<double>(k);
    });
    const double se = std::sqrt(lambda / n);
    EXPECT_NEAR(mean, lambda, 5 * se) << lambda;
    // Var of the sample variance of a Poisson ~ (lambda + 2 lambda^2) / n.
    EXPECT_NEAR(var, lambda, 5 * std::sqrt((lambda + 2 * lambda * lambda) / n)) << lambda;
    const double p0 = std::exp(-lambda);
    EXPECT_NEAR(static_cast<double>(zeros) / n, p0, 5 * std::sqrt(p0 * (1 - p0) / n) + 1e-9) << lambda;
  }
  sd::Rng rng(6, 2, 0);
  EXPECT_EQ(sd::poisson(rng, 0.0), 0u);
  EXPECT_EQ(sd::poisson(rng, -1.0), 0u);
}

TEST(SimulateRng, CategoricalFollowsItsWeights) {
  sd::Rng rng(7, 1, 1);
  const std::vector<double> w = {0.5, 0.0, 1.5, 2.0};
  std::vector<int> counts(4, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[sd::categorical(rng, w)];
  EXPECT_EQ(counts[1], 0);
  for (std::size_t i : {0u, 2u, 3u}) {
    const double p = w[i] / 4.0;
    EXPECT_NEAR(static_cast<double>(counts[i]) / n, p, 5 * std::sqrt(p * (1 - p) / n));
  }
}

TEST(SimulateRng, PortableExpAndLogAgreeWithLibmToTwoUlp) {
  // glibc's exp and log are accurate to well under an ulp, so 2 ulp of the reference bounds
  // our error up to their own.
  for (double x = -700; x <= 700; x += 0.37) EXPECT_LE(std::fabs(sd::exp_det(x) - std::exp(x)), 2 * ulp(std::exp(x))) << x;
  for (double x : {-1e-12, 0.0, 1e-12, 0.5, -0.5, 0.34657, -0.34657})
    EXPECT_LE(std::fabs(sd::exp_det(x) - std::exp(x)), 2 * ulp(std::exp(x))) << x;
  EXPECT_EQ(sd::exp_det(0.0), 1.0);
  EXPECT_EQ(sd::exp_det(-800.0), 0.0);
  EXPECT_TRUE(std::isinf(sd::exp_det(800.0)));
  for (double x = 1e-300; x < 1e300; x *= 7.3) EXPECT_LE(std::fabs(sd::log_det(x) - std::log(x)), 2 * ulp(std::log(x))) << x;
  for (double x = 0.5; x < 2.0; x += 0.001)
    EXPECT_LE(std::fabs(sd::log_det(x) - std::log(x)), 2 * ulp(std::log(x)) + 1e-300) << x;
  EXPECT_EQ(sd::log_det(1.0), 0.0);
  EXPECT_TRUE(std::isnan(sd::log_det(-1.0)));
  EXPECT_TRUE(std::isinf(sd::log_det(0.0)));
}

TEST(SimulateRng, NormalCdfMatchesErfcAndHandValues) {
  for (double x = -12; x <= 12; x += 0.01) {
    const double ref = 0.5 * std::erfc(-x / std::sqrt(2.0));
    EXPECT_NEAR(sd::normal_cdf(x), ref, 1e-14) << x;
  }
  EXPECT_DOUBLE_EQ(sd::normal_cdf(0.0), 0.5);
  EXPECT_NEAR(sd::normal_cdf(1.96), 0.9750021048517795, 1e-15);
  EXPECT_NEAR(1 - sd::normal_cdf(0.75), 0.2266273523768682, 1e-15);
  EXPECT_DOUBLE_EQ(sd::logistic(0.0), 0.5);
}
