// A direct-mapped front cache for Dictionary::intern.
//
// Activity names and categorical values repeat endlessly (tens of distinct values over
// millions of rows). Dictionary::intern hashes every byte; this cache indexes by a cheap mix
// of the length and the first and last eight bytes, and confirms a hit with one compare
// against the dictionary's own copy. A miss (or a collision) falls through to intern() and
// takes over the slot, so ids are exactly those intern() gives, in the same order.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "cxkit/core/dictionary.hpp"

namespace cxkit::io::detail {

class InternCache {
 public:
  InternCache() { slots_.fill(kNoId); }

  /// dict.intern(s), faster when s was seen recently. Pre-condition: the same `dict` on
  /// every call (ids are cached).
  std::uint32_t intern(Dictionary& dict, std::string_view s) {
    const std::size_t slot = slot_of(s);
    const std::uint32_t id = slots_[slot];
    if (id != kNoId) {
      const std::string_view known = dict.name(id);
      if (known.size() == s.size() && std::memcmp(known.data(), s.data(), s.size()) == 0) return id;
    }
    const std::uint32_t fresh = dict.intern(s);
    slots_[slot] = fresh;
    return fresh;
  }

 private:
  static constexpr unsigned kBits = 10;

  static std::size_t slot_of(std::string_view s) noexcept {
    std::uint64_t head = 0, tail = 0;
    const std::size_t n = s.size();
    if (n >= 8) {
      std::memcpy(&head, s.data(), 8);
      std::memcpy(&tail, s.data() + n - 8, 8);
    } else if (n > 0) {
      std::memcpy(&head, s.data(), n);
    }
    const std::uint64_t h =
        (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ (n * 0x165667B19E3779F9ULL);
    return static_cast<std::size_t>(h >> (64 - kBits));
  }

  std::array<std::uint32_t, std::size_t{1} << kBits> slots_;
};

}  // namespace cxkit::io::detail
