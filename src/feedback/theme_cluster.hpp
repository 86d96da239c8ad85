// Internals of detect_themes(): the parallel loop and sparse average-linkage clustering.
#pragma once

#include <cxkit/core/progress.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace cxkit::feedback::detail {

/// Runs task(begin, end, worker) over [0, n) cut into fixed chunks of `chunk` items.
/// Chunk boundaries do not depend on the thread count, and tasks write only their own
/// slots, which is what keeps results identical for any number of threads. Rethrows the
/// first exception.
void parallel_chunks(std::size_t n, std::size_t chunk, unsigned threads,
                     const std::function<void(std::size_t, std::size_t, unsigned)>& task);

/// Worker count for `threads` (0 = hardware concurrency, at least 1).
unsigned resolve_threads(unsigned threads) noexcept;

/// An undirected similarity edge, a < b.
struct Edge {
  std::uint32_t a = 0, b = 0;
  float similarity = 0.0f;
};

/// Average-linkage (UPGMA) agglomeration of `nodes` nodes on a sparse graph: the linkage of
/// two clusters is the sum of edge similarities between them over |A| * |B| (missing edges
/// count 0, so with all positive pairs present this is exact UPGMA on cosine similarity).
/// Repeatedly merges the pair with the highest linkage (ties: smaller ids first) while it is
/// >= threshold. Returns the cluster root (smallest member) of every node.
/// Pre-condition: edges have a < b < nodes; duplicates allowed (the largest is used).
/// O(E log E + merges * degree). When `progress` is set (the caller's thread), it advances by
/// exactly `nodes` units: one per merge in blocks, the rest when the agglomeration stops.
std::vector<std::uint32_t> average_linkage(std::size_t nodes, std::vector<Edge> edges, double threshold,
                                           ProgressReporter* progress = nullptr);

}  // namespace cxkit::feedback::detail
