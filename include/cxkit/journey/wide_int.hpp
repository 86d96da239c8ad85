// Exact wide integers for duration moments (internal).
//
// Duration statistics keep the sum and the sum of squares of microsecond durations exactly,
// so that merging per-partition summaries in any order gives bit-identical results and the
// variance has no cancellation error: n*sum(x^2) - (sum x)^2 is formed exactly in 256 bits
// and rounded once. GCC and Clang provide 128-bit integers; __extension__ keeps -Wpedantic
// quiet about them.
#pragma once

#include <cstdint>

namespace cxkit::journey::detail {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// A 192-bit unsigned accumulator: each added term is below 2^126 (the square of an int64),
/// so the low 128 bits plus a 64-bit carry count hold 2^64 such terms exactly.
struct UInt192 {
  UInt128 lo = 0;
  std::uint64_t hi = 0;

  void add(UInt128 v) noexcept {
    lo += v;
    hi += (lo < v) ? 1 : 0;
  }
  void add(const UInt192& o) noexcept {
    add(o.lo);
    hi += o.hi;
  }
  friend bool operator==(const UInt192&, const UInt192&) = default;
};

/// 256-bit unsigned value as four little-endian 64-bit limbs.
struct UInt256 {
  std::uint64_t w[4] = {0, 0, 0, 0};

  /// Schoolbook product of two little-endian limb arrays; the caller guarantees that the
  /// result fits in 256 bits.
  static UInt256 multiply(const std::uint64_t* a, int na, const std::uint64_t* b, int nb) noexcept {
    UInt256 r;
    for (int i = 0; i < na; ++i) {
      UInt128 carry = 0;
      for (int j = 0; j < nb && i + j < 4; ++j) {
        const UInt128 cur = static_cast<UInt128>(a[i]) * b[j] + r.w[i + j] + carry;
        r.w[i + j] = static_cast<std::uint64_t>(cur);
        carry = cur >> 64;
      }
      for (int k = i + nb; k < 4 && carry != 0; ++k) {
        const UInt128 cur = static_cast<UInt128>(r.w[k]) + carry;
        r.w[k] = static_cast<std::uint64_t>(cur);
        carry = cur >> 64;
      }
    }
    return r;
  }

  /// this - o; pre-condition: this >= o.
  UInt256 minus(const UInt256& o) const noexcept {
    UInt256 r;
    std::uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint64_t x = w[i], y = o.w[i];
      const std::uint64_t d = x - y - borrow;
      borrow = (x < y || (x == y && borrow)) ? 1 : 0;
      r.w[i] = d;
    }
    return r;
  }

  long double to_long_double() const noexcept {
    long double v = 0;
    for (int i = 3; i >= 0; --i) v = v * 18446744073709551616.0L + static_cast<long double>(w[i]);
    return v;
  }
};

/// n * s exactly (n < 2^64, s < 2^192).
inline UInt256 times(std::uint64_t n, const UInt192& s) noexcept {
  const std::uint64_t b[3] = {static_cast<std::uint64_t>(s.lo), static_cast<std::uint64_t>(s.lo >> 64), s.hi};
  return UInt256::multiply(&n, 1, b, 3);
}

/// v * v exactly (v < 2^128).
inline UInt256 square(UInt128 v) noexcept {
  const std::uint64_t a[2] = {static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(v >> 64)};
  return UInt256::multiply(a, 2, a, 2);
}

inline UInt128 magnitude(Int128 v) noexcept {
  return v < 0 ? static_cast<UInt128>(0) - static_cast<UInt128>(v) : static_cast<UInt128>(v);
}

inline long double to_long_double(Int128 v) noexcept {
  const UInt128 m = magnitude(v);
  const long double x = static_cast<long double>(static_cast<std::uint64_t>(m >> 64)) * 18446744073709551616.0L +
                        static_cast<long double>(static_cast<std::uint64_t>(m));
  return v < 0 ? -x : x;
}

}  // namespace cxkit::journey::detail
