// MinHash signatures, exact Jaccard and LSH parameter choice (minhash.hpp).
#include <cxkit/feedback/minhash.hpp>

#include <cxkit/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cxkit::feedback {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t hash_string(std::string_view s) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ull;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 33);
}

std::vector<std::uint64_t> shingle_set(const std::vector<std::string>& tokens, std::size_t k) {
  if (k == 0) throw InputError("shingle size must be >= 1");
  std::vector<std::uint64_t> out;
  if (tokens.empty()) return out;
  const std::size_t kk = std::min(k, tokens.size());
  std::string buf;
  for (std::size_t i = 0; i + kk <= tokens.size(); ++i) {
    buf.clear();
    for (std::size_t j = 0; j < kk; ++j) {
      if (j) buf.push_back(' ');
      buf.append(tokens[i + j]);
    }
    out.push_back(hash_string(buf));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

MinHasher::MinHasher(std::size_t num_perm, std::uint64_t seed) {
  if (num_perm == 0) throw InputError("MinHash num_perm must be >= 1");
  a_lo_.resize(num_perm);
  a_hi_.resize(num_perm);
  b_.resize(num_perm);
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < num_perm; ++i) {
    const std::uint64_t a = splitmix64(state);
    a_lo_[i] = static_cast<std::uint32_t>(a);
    a_hi_[i] = static_cast<std::uint32_t>(a >> 32);
    b_[i] = splitmix64(state);
  }
}

std::uint32_t MinHasher::key(std::uint64_t x) noexcept {
  // murmur3's 64-bit finaliser: every input bit reaches the low 32 bits kept as the key.
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return static_cast<std::uint32_t>(x);
}

namespace {
// The hot loop: for every element, all num_perm hashes and running minima. Written on
// separate 32-bit halves of a_i so that a*y mod 2^64 is two 32x32->64 multiplies, which
// vectorise (pmuludq); compiled for AVX2 as well, chosen at load time (same results).
// Not under ThreadSanitizer: GCC's load-time selector runs before the TSan runtime is up.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx2", "default")))
#endif
void min_hashes(const std::uint64_t* set, std::size_t n, const std::uint32_t* a_lo, const std::uint32_t* a_hi,
                const std::uint64_t* b, std::size_t m, std::uint32_t* out) noexcept {
  for (std::size_t i = 0; i < m; ++i) out[i] = 0xFFFFFFFFu;
  for (std::size_t e = 0; e < n; ++e) {
    const std::uint64_t y = MinHasher::key(set[e]);
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint64_t h = static_cast<std::uint64_t>(a_lo[i]) * y + ((static_cast<std::uint64_t>(a_hi[i]) * y) << 32) + b[i];
      const auto v = static_cast<std::uint32_t>(h >> 32);
      out[i] = v < out[i] ? v : out[i];
    }
  }
}
}  // namespace

void MinHasher::signature(std::span<const std::uint64_t> set, std::span<std::uint32_t> out) const noexcept {
  min_hashes(set.data(), set.size(), a_lo_.data(), a_hi_.data(), b_.data(), b_.size(), out.data());
}

std::vector<std::uint32_t> MinHasher::signature(std::span<const std::uint64_t> set) const {
  std::vector<std::uint32_t> out(b_.size());
  signature(set, out);
  return out;
}

double estimate_jaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.size() != b.size() || a.empty()) throw InputError("MinHash signatures must have the same, non-zero length");
  std::size_t eq = 0;
  for (std::size_t i = 0; i < a.size(); ++i) eq += a[i] == b[i];
  return static_cast<double>(eq) / static_cast<double>(a.size());
}

double jaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) noexcept {
  if (a.empty() && b.empty()) return 0.0;
  std::size_t i = 0, j = 0, inter = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else ++inter, ++i, ++j;
  }
  return static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
}

double lsh_candidate_probability(double s, LshParams p) noexcept {
  return 1.0 - std::pow(1.0 - std::pow(s, static_cast<double>(p.rows)), static_cast<double>(p.bands));
}

namespace {
template <class F>
double simpson(F f, double lo, double hi) {
  constexpr int kPanels = 256;  // even
  const double h = (hi - lo) / kPanels;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < kPanels; ++i) sum += f(lo + i * h) * (i % 2 ? 4.0 : 2.0);
  return sum * h / 3.0;
}
}  // namespace

LshParams optimal_lsh_params(double threshold, std::size_t num_perm, double fp_weight, double fn_weight) {
  if (!(threshold > 0.0 && threshold < 1.0)) throw InputError("LSH threshold must be in (0, 1)");
  if (num_perm == 0) throw InputError("LSH num_perm must be >= 1");
  if (!(fp_weight >= 0.0 && fn_weight >= 0.0 && fp_weight + fn_weight > 0.0))
    throw InputError("LSH weights must be >= 0 with a positive sum");
  LshParams best{1, 1};
  double best_err = std::numeric_limits<double>::infinity();
  for (std::size_t b = 1; b <= num_perm; ++b) {
    for (std::size_t r = 1; b * r <= num_perm; ++r) {
      const LshParams p{b, r};
      const double fp = simpson([&](double s) { return lsh_candidate_probability(s, p); }, 0.0, threshold);
      const double fn = simpson([&](double s) { return 1.0 - lsh_candidate_probability(s, p); }, threshold, 1.0);
      const double err = fp_weight * fp + fn_weight * fn;
      if (err < best_err) best_err = err, best = p;
    }
  }
  return best;
}

}  // namespace cxkit::feedback
