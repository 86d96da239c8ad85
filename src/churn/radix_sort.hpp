// Stable LSD radix sort of (64-bit key, row) pairs, for sorting survival data by time in
// O(n) passes instead of O(n log n) comparisons. Internal to the churn models.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace cxkit::churn::detail {

/// Order-preserving map of a finite double to an unsigned key (-0.0 and +0.0 map alike).
inline std::uint64_t sortable_key(double x) noexcept {
  const auto u = std::bit_cast<std::uint64_t>(x + 0.0);  // + 0.0 turns -0.0 into +0.0
  return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

/// Order-preserving map of a signed integer to an unsigned key.
inline std::uint64_t sortable_key(std::int64_t x) noexcept {
  return static_cast<std::uint64_t>(x) ^ 0x8000000000000000ULL;
}

/// Reorders rows (a permutation) stably by keys[row], 8 bits per pass from the lowest byte;
/// a byte that is the same for every row costs one counting pass and no move.
/// keys is indexed by row, not by position. O(8 n) time, O(n) extra memory.
inline void radix_sort_rows(const std::vector<std::uint64_t>& keys, std::vector<Eigen::Index>& rows) {
  const std::size_t n = rows.size();
  std::vector<Eigen::Index> tmp(n);
  std::vector<std::uint64_t> k(n), ktmp(n);
  for (std::size_t i = 0; i < n; ++i) k[i] = keys[static_cast<std::size_t>(rows[i])];
  for (int shift = 0; shift < 64; shift += 8) {
    std::array<std::size_t, 257> count{};
    for (std::size_t i = 0; i < n; ++i) ++count[((k[i] >> shift) & 0xFF) + 1];
    bool trivial = false;
    for (std::size_t b = 1; b <= 256; ++b) trivial |= count[b] == n;
    if (trivial) continue;
    for (std::size_t b = 1; b <= 256; ++b) count[b] += count[b - 1];
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t dst = count[(k[i] >> shift) & 0xFF]++;
      tmp[dst] = rows[i];
      ktmp[dst] = k[i];
    }
    rows.swap(tmp);
    k.swap(ktmp);
  }
}

}  // namespace cxkit::churn::detail
