// String interning: each distinct string gets a dense uint32_t id in order of first sight.
//
// Algorithms work on ids only; strings are stored once, in large chunks, so interning a
// million names costs a few allocations, and a lookup is one hash plus (usually) one
// string compare. Ids are stable: interning never renumbers earlier strings.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/error.hpp"

namespace cxkit {

/// Sentinel for "no id" in id columns (a missing categorical value).
inline constexpr std::uint32_t kNoId = std::numeric_limits<std::uint32_t>::max();

namespace detail {
/// 64-bit hash reading 8 bytes at a time (multiply-rotate per word, murmur-style finaliser):
/// fast for the short keys interning sees (case ids, activity names) and well mixed.
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
  std::uint64_t h = k1 ^ (s.size() * k2);
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ (w * k2)) * k1;
    h = (h << 31) | (h >> 33);
  }
  std::uint64_t tail = 0;
  if (n != 0) std::memcpy(&tail, p, n);
  h = (h ^ (tail * k2)) * k1;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
}  // namespace detail

class Dictionary {
 public:
  Dictionary() { slots_.assign(16, kEmpty); }

  /// The id of `s`, adding it if new. Amortised O(|s|). Throws InputError past 2^32-2 strings.
  std::uint32_t intern(std::string_view s) {
    const std::uint64_t h = detail::hash_bytes(s);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint32_t id = slots_[i];
      if (id == kEmpty) break;
      if (hashes_[id] == h && views_[id] == s) return id;
    }
    if (views_.size() >= kNoId - 1) throw InputError("more than 4 billion distinct strings");
    const auto id = static_cast<std::uint32_t>(views_.size());
    views_.push_back(store(s));
    hashes_.push_back(h);
    if ((views_.size()) * 4 > slots_.size() * 3) {
      rehash(slots_.size() * 2);
    } else {
      mask = slots_.size() - 1;
      std::size_t i = h & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = id;
    }
    return id;
  }

  /// The id of `s`, or std::nullopt. O(|s|).
  std::optional<std::uint32_t> find(std::string_view s) const noexcept {
    const std::uint64_t h = detail::hash_bytes(s);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint32_t id = slots_[i];
      if (id == kEmpty) return std::nullopt;
      if (hashes_[id] == h && views_[id] == s) return id;
    }
  }

  /// The id of `s`; throws NotFoundError naming `what` (e.g. "activity") when absent.
  std::uint32_t at(std::string_view s, std::string_view what = "value") const {
    if (auto id = find(s)) return *id;
    throw NotFoundError("unknown " + std::string(what) + " '" + std::string(s) + "'");
  }

  /// The string of `id`. Pre-condition: id < size(). The view lives as long as the dictionary.
  std::string_view name(std::uint32_t id) const noexcept { return views_[id]; }
  std::size_t size() const noexcept { return views_.size(); }
  bool empty() const noexcept { return views_.empty(); }

  /// Bytes held (strings, index), for memory reporting.
  std::size_t memory_bytes() const noexcept {
    std::size_t bytes = slots_.size() * sizeof(std::uint32_t) +
                        views_.capacity() * sizeof(std::string_view) +
                        hashes_.capacity() * sizeof(std::uint64_t);
    for (const auto& c : chunks_) bytes += c.capacity;
    return bytes;
  }

  void reserve(std::size_t n) {
    views_.reserve(n);
    hashes_.reserve(n);
    std::size_t want = 16;
    while (want * 3 < n * 4) want *= 2;
    if (want > slots_.size()) rehash(want);
  }

  // Copies rebuild the views into the copy's own storage.
  Dictionary(const Dictionary& other) : Dictionary() {
    reserve(other.size());
    for (auto v : other.views_) intern(v);
  }
  Dictionary& operator=(const Dictionary& other) {
    if (this != &other) *this = Dictionary(other);
    return *this;
  }
  Dictionary(Dictionary&&) noexcept = default;
  Dictionary& operator=(Dictionary&&) noexcept = default;

 private:
  static constexpr std::uint32_t kEmpty = kNoId;
  static constexpr std::size_t kChunk = 1 << 16;

  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t used = 0, capacity = 0;
  };

  std::string_view store(std::string_view s) {
    if (chunks_.empty() || chunks_.back().capacity - chunks_.back().used < s.size()) {
      Chunk c;
      c.capacity = s.size() > kChunk ? s.size() : kChunk;
      c.data = std::make_unique<char[]>(c.capacity);
      chunks_.push_back(std::move(c));
    }
    Chunk& c = chunks_.back();
    char* p = c.data.get() + c.used;
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    c.used += s.size();
    return {p, s.size()};
  }

  void rehash(std::size_t n) {
    slots_.assign(n, kEmpty);
    const std::size_t mask = n - 1;
    for (std::uint32_t id = 0; id < views_.size(); ++id) {
      std::size_t i = hashes_[id] & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = id;
    }
  }

  std::vector<std::uint32_t> slots_;  // open addressing, linear probing; holds ids
  std::vector<std::string_view> views_;
  std::vector<std::uint64_t> hashes_;
  std::vector<Chunk> chunks_;
};

}  // namespace cxkit
