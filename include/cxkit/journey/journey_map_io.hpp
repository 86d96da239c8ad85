// Exact, versioned serialisation of a JourneyMap (for pickling, Dask/Spark workers, caches).
//
// The bytes hold everything a map is made of: its settings (duration mode, sketch
// resolution, quantile probabilities as IEEE bit patterns, the business calendar's time
// zone, weekly hours and holidays, whether variants are kept and their cap), the
// case/event/rework counts, the activities, the edges and the variants (count and, from
// version 2, rank count) with their DurationStats in full (every duration in the exact mode;
// count, min, max and the exact 128-bit sum and 192-bit sum of squares in the moments and
// sketch modes; the sketch's bucket counts), and, from version 2, the distinct-sequence
// sketch of a map whose variants were capped (journey_map.hpp). Derived fields (self-loop
// counts, variant shares, summaries) are recomputed on load, so from_bytes(to_bytes(m)) == m
// and every summary is bit-identical.
//
// Layout (all integers little-endian, whatever the host):
//   "CXJM"  magic, 4 bytes
//   u32     format version (kJourneyMapFormatVersion)
//   u64     payload length L
//   L bytes payload (docs/scale.md lists its fields)
//   u64     checksum of the payload (journey_map_checksum)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cxkit/journey/journey_map.hpp"

namespace cxkit::journey {

/// The format version to_bytes() writes; from_bytes() reads versions 1..this one.
/// Version 2 adds the variant cap (settings), each variant's rank count and the
/// distinct-sequence sketch (journey_map.hpp); a version-1 map loads exact, with the default
/// cap or its own number of variants if larger.
inline constexpr std::uint32_t kJourneyMapFormatVersion = 2;

/// The serialised map. O(size of the map); the exact mode writes 8 bytes per duration.
/// Throws InputError only for a map whose duration statistics disagree with its settings
/// (which discover() and merge() never produce).
std::string to_bytes(const JourneyMap& map);

/// The map serialised in `bytes`. Throws InputError (with the byte offset where it applies)
/// for anything that is not a complete, intact serialisation: a wrong magic, a format
/// version newer than this build reads (the message says to upgrade cxkit), truncated or
/// trailing bytes, a checksum mismatch, or fields that break a map's invariants (unsorted
/// activities, an edge to a missing activity, duration statistics inconsistent with their
/// counts, an invalid calendar, ...). Never reads out of bounds and never allocates more
/// than the input could describe. O(size of the input) plus building the calendar's tables
/// (tens of milliseconds) when the map is in business time.
JourneyMap from_bytes(std::string_view bytes);

/// The checksum stored after the payload: a 64-bit hash of the payload bytes (it detects
/// corruption, it is not cryptographic). Exposed so that fuzzers can frame payloads.
std::uint64_t journey_map_checksum(std::string_view payload) noexcept;

}  // namespace cxkit::journey
