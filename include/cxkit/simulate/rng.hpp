// The simulator's own random numbers: a portable generator and portable samplers.
//
// The standard library's distributions (std::normal_distribution and friends) are
// implementation-defined, so the same seed gives different numbers with libstdc++, libc++
// and MSVC. cxkit::simulate promises identical output for a seed on every platform, so it
// uses xoshiro256** (Blackman & Vigna, 2018) seeded through splitmix64, and samplers built
// only from +, -, *, /, sqrt (all correctly rounded in IEEE 754) and the exp/log below,
// which are written here with fixed polynomials instead of calling libm (whose last-ulp
// results differ between C libraries).
//
// Everything here is internal to the simulator (namespace detail) but header-only so tests
// can check the samplers' moments directly.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

namespace cxkit::simulate::detail {

/// One step of splitmix64 (Steele, Lea & Flood 2014): advances `state`, returns a
/// well-mixed 64-bit value. Used to expand seeds; never as the main generator.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// xoshiro256**: 256 bits of state, period 2^256-1, passes BigCrush. A stream is named by
/// (seed, stream, index): each account, month or purpose gets its own independent stream,
/// so results never depend on the order in which threads run.
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) noexcept {
    std::uint64_t h = seed;
    std::uint64_t mix = splitmix64(h);
    mix ^= stream * 0xD1B54A32D192ED03ULL;
    std::uint64_t h2 = mix;
    mix = splitmix64(h2) ^ (index * 0x8CB92BA72F3D8DD7ULL);
    std::uint64_t h3 = mix;
    for (auto& word : s_) word = splitmix64(h3);
  }

  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform on [a, b).
  double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
  /// Uniform integer in [0, n), exactly (rejection removes the modulo bias). n > 0.
  std::uint64_t below(std::uint64_t n) noexcept {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }
  /// True with probability p.
  bool bernoulli(double p) noexcept { return uniform() < p; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// ---- portable elementary functions ----

/// e^x to within 2 ulp, from +, -, * and exact scaling only. exp_det(-inf) = 0.
inline double exp_det(double x) noexcept {
  if (std::isnan(x)) return x;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  // x = k ln2 + r with |r| <= ln2/2; ln2 split so k*ln2_hi is exact (Cody & Waite).
  constexpr double kInvLn2 = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // Taylor series to r^13/13!; the remainder is below 2^-53 for |r| <= 0.35.
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // Exact scaling by 2^k: multiply by the power of two built from its bits (what ldexp does,
  // without the call), falling back to ldexp near the ends of the range.
  const auto ik = static_cast<std::int64_t>(k);
  if (ik > -1022 && ik < 1023) return p * std::bit_cast<double>(static_cast<std::uint64_t>(ik + 1023) << 52);
  return std::ldexp(p, static_cast<int>(ik));
}

/// Natural logarithm to within 2 ulp for x > 0 (NaN for x < 0, -inf for 0).
inline double log_det(double x) noexcept {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // exact: x = m 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752) {
    m *= 2.0;
    --e;
  }
  // log m = 2 atanh(f), f = (m-1)/(m+1), |f| <= 0.1716: series in f^2 to f^25.
  const double f = (m - 1.0) / (m + 1.0);
  const double s = f * f;
  double p = 1.0 / 25.0;
  for (int k = 23; k >= 1; k -= 2) p = p * s + 1.0 / k;
  const double log_m = 2.0 * f * p;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (log_m + de * kLn2Lo);
}

/// The standard normal distribution function, absolute error below 1e-14 (Hart 1968,
/// algorithm 5666, in the form given by G. West, "Better approximations to cumulative
/// normal functions", Wilmott 2005).
inline double normal_cdf(double x) noexcept {
  const double a = std::fabs(x);
  double tail = 0;
  if (a <= 37.0) {
    const double e = exp_det(-a * a / 2.0);
    if (a < 7.07106781186547) {
      double n = 3.52624965998911e-02 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      double d = 8.83883476483184e-02 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      tail = e * n / d;
    } else {
      double b = a + 0.65;
      b = a + 4.0 / b;
      b = a + 3.0 / b;
      b = a + 2.0 / b;
      b = a + 1.0 / b;
      tail = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1.0 - tail : tail;
}

/// The logistic function 1 / (1 + e^-x).
inline double logistic(double x) noexcept { return 1.0 / (1.0 + exp_det(-x)); }

// ---- samplers ----

/// Standard normal by Marsaglia's polar method (log and sqrt only; no sin/cos).
inline double normal(Rng& rng) noexcept {
  for (;;) {
    const double u = 2.0 * rng.uniform() - 1.0;
    const double v = 2.0 * rng.uniform() - 1.0;
    const double s = u * u + v * v;
    if (s >= 1.0 || s == 0.0) continue;
    return u * std::sqrt(-2.0 * log_det(s) / s);
  }
}
inline double normal(Rng& rng, double mean, double sd) noexcept { return mean + sd * normal(rng); }

/// Exponential with rate 1 (mean 1), by inversion.
inline double exponential(Rng& rng) noexcept { return -log_det(1.0 - rng.uniform()); }

/// Log-normal with the given median (e^mu) and log-scale sd sigma.
inline double lognormal_median(Rng& rng, double median, double sigma) noexcept {
  return median * exp_det(sigma * normal(rng));
}

/// Poisson(lambda), exactly: Knuth's multiplication method for lambda <= 12; larger means
/// are split into equal parts of at most 12 (a sum of independent Poissons is Poisson).
/// O(lambda) time, which is all the simulator needs (its means are small or drawn rarely).
/// Pre-condition: lambda < 1e12 (non-positive and NaN give 0).
inline std::uint64_t poisson(Rng& rng, double lambda) noexcept {
  if (!(lambda > 0)) return 0;
  const auto parts = static_cast<std::uint64_t>(std::ceil(lambda / 12.0));
  const double limit = exp_det(-lambda / static_cast<double>(parts));
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < parts; ++i) {
    double p = rng.uniform();
    while (p > limit) {
      ++total;
      p *= rng.uniform();
    }
  }
  return total;
}

/// An index drawn with probability proportional to weights[i] (weights >= 0, sum > 0).
inline std::size_t categorical(Rng& rng, std::span<const double> weights) noexcept {
  double total = 0;
  for (double w : weights) total += w;
  double u = rng.uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  // Rounding left u at or just above the last weight: return the last positive one.
  for (std::size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0) return i;
  return 0;
}

}  // namespace cxkit::simulate::detail
