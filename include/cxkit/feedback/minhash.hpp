// MinHash signatures and LSH banding.
//
// Hash family (Dietzfelbinger's multiply-add-shift, strongly universal from 32-bit keys to
// 32-bit values): an element's 64-bit hash x is first mixed down to a 32-bit key
// y = low32(fmix64(x)), then h_i(y) = ((a_i * y + b_i) mod 2^64) >> 32 with a_i, b_i drawn
// from splitmix64(seed). Two elements collide on the key with probability 2^-32, which can
// only raise an estimate by that much; verification of candidates is exact anyway. The
// signature of a set is the per-i minimum; the fraction of equal entries of two signatures
// estimates the Jaccard similarity of the sets. The loop over i is plain 64-bit integer
// arithmetic that the compiler vectorises (a family mod the prime 2^61-1, as datasketch uses,
// needs 128-bit products and does not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cxkit::feedback {

/// 64-bit hash of a token or shingle (FNV-1a followed by a splitmix64 finaliser).
/// Deterministic across runs and platforms. O(|s|).
std::uint64_t hash_string(std::string_view s) noexcept;

/// Sorted, de-duplicated hashes of the word k-shingles of `tokens` (k consecutive tokens);
/// a document shorter than k gives one shingle of all its tokens, an empty one none.
/// Throws cxkit::InputError if k == 0. O(tokens * k + m log m).
std::vector<std::uint64_t> shingle_set(const std::vector<std::string>& tokens, std::size_t k);

/// Computes MinHash signatures with a fixed, seeded hash family.
class MinHasher {
 public:
  /// Throws cxkit::InputError if num_perm == 0.
  explicit MinHasher(std::size_t num_perm = 128, std::uint64_t seed = 1);

  std::size_t num_perm() const noexcept { return b_.size(); }
  /// Signature of a set of 64-bit element hashes (duplicates allowed). An empty set gives
  /// all entries 0xFFFFFFFF. O(|set| * num_perm).
  std::vector<std::uint32_t> signature(std::span<const std::uint64_t> set) const;
  /// Writes the signature into `out` (size num_perm); no allocation.
  void signature(std::span<const std::uint64_t> set, std::span<std::uint32_t> out) const noexcept;

  /// The 32-bit key an element hash is reduced to before hashing (see the top of the file).
  static std::uint32_t key(std::uint64_t x) noexcept;

 private:
  std::vector<std::uint32_t> a_lo_, a_hi_;  // halves of the multipliers a_i
  std::vector<std::uint64_t> b_;
};

/// Fraction of equal positions of two signatures of the same length.
/// Throws cxkit::InputError on different or zero lengths.
double estimate_jaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

/// Exact Jaccard |A n B| / |A u B| of two sorted, de-duplicated sets; 0 if both empty. O(|A|+|B|).
double jaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) noexcept;

/// LSH banding: `bands` bands of `rows` signature entries; bands * rows <= num_perm.
struct LshParams {
  std::size_t bands = 0;
  std::size_t rows = 0;
};

/// Probability that two sets of Jaccard s share at least one band: 1 - (1 - s^r)^b.
double lsh_candidate_probability(double s, LshParams params) noexcept;

/// The (b, r) with b * r <= num_perm minimising
///   fp_weight * integral_0^t P(s) ds + fn_weight * integral_t^1 (1 - P(s)) ds
/// (expected false-positive and false-negative mass under a uniform similarity, with P
/// from lsh_candidate_probability), integrals by composite Simpson's rule on 256 panels;
/// ties go to the first found, b ascending then r ascending. O(num_perm log num_perm * 256).
/// Throws cxkit::InputError unless 0 < threshold < 1, num_perm >= 1 and weights >= 0 with a
/// positive sum.
LshParams optimal_lsh_params(double threshold, std::size_t num_perm, double fp_weight = 0.5,
                             double fn_weight = 0.5);

}  // namespace cxkit::feedback
