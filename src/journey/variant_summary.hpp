// The bounded variant summary (internal): the Misra-Gries cap and a HyperLogLog of sequences.
//
// Why these two. Misra-Gries with k counters is the mergeable heavy-hitters summary of
// Agarwal et al. (PODS 2012): merging adds the counters, then subtracts the (k+1)-th largest
// from all and drops those left at zero or below; every true count f then satisfies
// f - counter <= (N - sum of counters) / (k + 1), through any tree of merges. The counter is
// Variant::rank_count; Variant::count adds the cases actually counted (>= the counter, so the
// same bound holds for it, and it is exact after one discovery). The number of distinct
// sequences beyond the cap cannot be kept exactly in bounded memory; a HyperLogLog of the
// sequences' name hashes (merged by register maximum, so merging equals one pass) estimates it.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "cxkit/journey/journey_map.hpp"
#include "tables.hpp"

namespace cxkit::journey::detail {

/// HyperLogLog precision: 2^12 one-byte registers, standard error 1.04 / 64 = 1.6 %.
inline constexpr int kSketchBits = 12;
inline constexpr std::size_t kSketchRegisters = std::size_t{1} << kSketchBits;
/// Largest register value: the leading-zero run of the 52 remaining hash bits, plus one.
inline constexpr std::uint8_t kSketchMaxRank = 64 - kSketchBits + 1;

/// 64-bit hash of an activity name (FNV-1a, then a finaliser): names, not ids, so that maps
/// of different logs agree.
inline std::uint64_t name_hash(std::string_view s) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return mix64(h ^ s.size());
}

/// Hash of a sequence of name hashes.
struct NameSequenceHash {
  std::uint64_t h = 0x243F6A8885A308D3ULL;
  void add(std::uint64_t name) noexcept { h = mix64(h ^ name) + 0x9E3779B97F4A7C15ULL; }
  std::uint64_t finish(std::size_t length) const noexcept { return mix64(h ^ (length * 0xD6E8FEB86659FD93ULL)); }
};

inline void sketch_add(std::vector<std::uint8_t>& registers, std::uint64_t hash) noexcept {
  const std::size_t index = hash >> (64 - kSketchBits);
  const std::uint64_t rest = (hash << kSketchBits) | (std::uint64_t{1} << (kSketchBits - 1));  // caps the run
  const auto rank = static_cast<std::uint8_t>(std::countl_zero(rest) + 1);
  registers[index] = std::max(registers[index], rank);
}

inline void sketch_merge(std::vector<std::uint8_t>& into, const std::vector<std::uint8_t>& other) noexcept {
  for (std::size_t i = 0; i < kSketchRegisters; ++i) into[i] = std::max(into[i], other[i]);
}

/// The HyperLogLog estimate (Flajolet et al. 2007), with linear counting for small ranges.
inline double sketch_estimate(const std::vector<std::uint8_t>& registers) noexcept {
  const double m = static_cast<double>(kSketchRegisters);
  double sum = 0;
  std::size_t zeros = 0;
  for (std::uint8_t r : registers) {
    sum += std::ldexp(1.0, -static_cast<int>(r));
    zeros += r == 0;
  }
  const double raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
  if (raw <= 2.5 * m && zeros != 0) return m * std::log(m / static_cast<double>(zeros));
  return raw;
}

/// Registers for the variants of a map (each distinct, so each added once).
inline std::vector<std::uint8_t> sketch_of(const std::vector<Variant>& variants,
                                           const std::vector<std::uint64_t>& activity_hashes) {
  std::vector<std::uint8_t> registers(kSketchRegisters, 0);
  for (const Variant& v : variants) {
    NameSequenceHash h;
    for (std::uint32_t a : v.activities) h.add(activity_hashes[a]);
    sketch_add(registers, h.finish(v.activities.size()));
  }
  return registers;
}

/// The Misra-Gries reduction to at most `cap` variants: when there are more, subtracts the
/// (cap+1)-th largest rank_count c from every rank_count and drops those left at 0 (all
/// with rank_count <= c). Returns whether anything was dropped. O(variants).
inline bool cap_variants(std::vector<Variant>& variants, std::uint64_t cap) {
  if (variants.size() <= cap) return false;
  std::vector<std::uint64_t> ranks(variants.size());
  for (std::size_t i = 0; i < variants.size(); ++i) ranks[i] = variants[i].rank_count;
  const auto kth = ranks.begin() + static_cast<std::ptrdiff_t>(cap);
  std::nth_element(ranks.begin(), kth, ranks.end(), std::greater<>());
  const std::uint64_t c = *kth;
  std::size_t kept = 0;
  for (Variant& v : variants) {
    if (v.rank_count <= c) continue;
    v.rank_count -= c;
    if (&variants[kept] != &v) variants[kept] = std::move(v);
    ++kept;
  }
  variants.erase(variants.begin() + static_cast<std::ptrdiff_t>(kept), variants.end());
  variants.shrink_to_fit();
  return true;
}

}  // namespace cxkit::journey::detail
