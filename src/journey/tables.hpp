// Hash tables used by discovery (internal): directly-follows edge slots and variants.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "cxkit/core/dictionary.hpp"
#include "cxkit/journey/duration_stats.hpp"

namespace cxkit::journey::detail {

/// Activity dictionaries up to this size use a dense activities^2 slot table (4 MB at
/// 1024); larger ones a hash table, so memory stays proportional to the edges seen.
inline constexpr std::size_t kDenseMaxActivities = 1024;

inline std::uint64_t mix64(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/// Maps an edge (a, b) of activity ids to a dense slot number, assigned in order of first
/// sight. The lookup is one load for dense dictionaries.
class EdgeIndex {
 public:
  explicit EdgeIndex(std::size_t n_activities)
      : n_(n_activities), dense_(n_activities <= kDenseMaxActivities) {
    if (dense_) {
      slot_.assign(n_ * n_, kNoId);
    } else {
      keys_.assign(1024, kEmptyKey);
      slot_.assign(1024, kNoId);
    }
  }

  std::size_t size() const noexcept { return size_; }

  /// The slot of (a, b); `inserted` is set when it is new.
  std::uint32_t slot(std::uint32_t a, std::uint32_t b, bool& inserted) {
    inserted = false;
    if (dense_) {
      std::uint32_t& s = slot_[static_cast<std::size_t>(a) * n_ + b];
      if (s == kNoId) {
        s = static_cast<std::uint32_t>(size_++);
        inserted = true;
      }
      return s;
    }
    return hashed_slot((static_cast<std::uint64_t>(a) << 32) | b, inserted);
  }

 private:
  static constexpr std::uint64_t kEmptyKey = ~std::uint64_t{0};

  // Kept out of line so that the dense path above inlines into the scan loop.
  [[gnu::noinline]] std::uint32_t hashed_slot(std::uint64_t key, bool& inserted) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
      if (keys_[i] == key) return slot_[i];
      if (keys_[i] == kEmptyKey) {
        keys_[i] = key;
        slot_[i] = static_cast<std::uint32_t>(size_++);
        inserted = true;
        return slot_[i];
      }
    }
  }

  void grow() {
    std::vector<std::uint64_t> keys(keys_.size() * 2, kEmptyKey);
    std::vector<std::uint32_t> slots(keys.size(), kNoId);
    const std::size_t mask = keys.size() - 1;
    for (std::size_t j = 0; j < keys_.size(); ++j) {
      if (keys_[j] == kEmptyKey) continue;
      std::size_t i = mix64(keys_[j]) & mask;
      while (keys[i] != kEmptyKey) i = (i + 1) & mask;
      keys[i] = keys_[j];
      slots[i] = slot_[j];
    }
    keys_ = std::move(keys);
    slot_ = std::move(slots);
  }

  std::size_t n_;
  bool dense_;
  std::size_t size_ = 0;
  std::vector<std::uint64_t> keys_;  // hash mode
  std::vector<std::uint32_t> slot_;  // dense: by a*n+b; hash: parallel to keys_
};

/// Hash of an activity-id sequence, fed one id at a time; finish() mixes in the length.
struct SequenceHash {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL;
  void add(std::uint32_t a) noexcept { h = (h ^ a) * 0x100000001B3ULL + 0x5851F42D4C957F2DULL; }
  std::uint64_t finish(std::size_t length) const noexcept { return mix64(h ^ (length * 0xD6E8FEB86659FD93ULL)); }
};

/// Distinct activity sequences. A sequence is stored as the first case that followed it
/// (its events in the log), compared exactly on a 64-bit hash match. Slots keep the hash so
/// that a probe touches an entry only on a hash match; durations live apart from the small
/// entries for the same reason.
struct VariantEntry {
  std::uint64_t hash = 0;
  std::uint32_t first_case = 0;
  std::uint32_t length = 0;
  std::uint64_t count = 0;
};

class VariantTable {
 public:
  /// `activity` and `offsets` are the log's activity ids and case offsets; new entries get
  /// a copy of `proto` (empty, with the discovery's duration settings).
  VariantTable(std::span<const std::uint32_t> activity, std::span<const std::uint64_t> offsets,
               const DurationStats& proto)
      : activity_(activity), offsets_(offsets), proto_(proto) {
    slots_.assign(1024, Slot{0, kNoId});
  }

  std::vector<VariantEntry>& entries() noexcept { return entries_; }
  std::vector<DurationStats>& durations() noexcept { return durations_; }

  /// The entry number of case `c`'s sequence (hash `h`), added when new.
  std::uint32_t find_or_add(std::uint64_t h, std::uint32_t c) {
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
    const std::size_t begin = offsets_[c], length = offsets_[c + 1] - begin;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot s = slots_[i];
      if (s.index == kNoId) {
        const auto e = static_cast<std::uint32_t>(entries_.size());
        slots_[i] = Slot{h, e};
        entries_.push_back(VariantEntry{h, c, static_cast<std::uint32_t>(length), 0});
        durations_.push_back(proto_);
        return e;
      }
      if (s.hash != h) continue;
      const VariantEntry& v = entries_[s.index];
      if (v.length == length) {
        const std::size_t vb = offsets_[v.first_case];
        if (std::equal(activity_.begin() + static_cast<std::ptrdiff_t>(begin),
                       activity_.begin() + static_cast<std::ptrdiff_t>(begin + length),
                       activity_.begin() + static_cast<std::ptrdiff_t>(vb)))
          return s.index;
      }
    }
  }

  void clear() {
    entries_ = {};
    durations_ = {};
    slots_ = {};
  }

 private:
  struct Slot {
    std::uint64_t hash;
    std::uint32_t index;
  };

  void grow() {
    std::vector<Slot> slots(slots_.size() * 2, Slot{0, kNoId});
    const std::size_t mask = slots.size() - 1;
    for (const Slot& s : slots_) {
      if (s.index == kNoId) continue;
      std::size_t i = s.hash & mask;
      while (slots[i].index != kNoId) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_ = std::move(slots);
  }

  std::span<const std::uint32_t> activity_;
  std::span<const std::uint64_t> offsets_;
  DurationStats proto_;
  std::vector<Slot> slots_;
  std::vector<VariantEntry> entries_;
  std::vector<DurationStats> durations_;
};

}  // namespace cxkit::journey::detail
