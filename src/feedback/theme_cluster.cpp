// Parallel loop and sparse average linkage for detect_themes (theme_cluster.hpp).
#include "theme_cluster.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <queue>
#include <thread>

namespace cxkit::feedback::detail {

unsigned resolve_threads(unsigned threads) noexcept {
  if (threads != 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void parallel_chunks(std::size_t n, std::size_t chunk, unsigned threads,
                     const std::function<void(std::size_t, std::size_t, unsigned)>& task) {
  if (n == 0) return;
  chunk = std::max<std::size_t>(1, chunk);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), chunks));
  if (workers <= 1) {
    for (std::size_t c = 0; c < chunks; ++c) task(c * chunk, std::min(n, (c + 1) * chunk), 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&](unsigned worker) {
    for (;;) {
      const std::size_t c = next.fetch_add(1);
      if (c >= chunks || failed.load()) return;
      try {
        task(c * chunk, std::min(n, (c + 1) * chunk), worker);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

namespace {

struct Candidate {
  double linkage;
  std::uint32_t a, b;          // a < b
  std::uint32_t version_a, version_b;
};
// Highest linkage first; ties by smaller (a, b), so the merge order is fully determined.
struct Lower {
  bool operator()(const Candidate& x, const Candidate& y) const noexcept {
    if (x.linkage != y.linkage) return x.linkage < y.linkage;
    if (x.a != y.a) return x.a > y.a;
    return x.b > y.b;
  }
};

using Adjacency = std::vector<std::pair<std::uint32_t, double>>;  // neighbour -> summed similarity

}  // namespace

std::vector<std::uint32_t> average_linkage(std::size_t nodes, std::vector<Edge> edges, double threshold,
                                           ProgressReporter* progress) {
  constexpr std::size_t kMergeBlock = 1024;  // merges between two reports
  std::size_t merges = 0, reported = 0;
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.similarity > y.similarity;
  });
  edges.erase(std::unique(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) { return x.a == y.a && x.b == y.b; }),
              edges.end());
  std::vector<Adjacency> adj(nodes);
  for (const Edge& e : edges) {
    adj[e.a].emplace_back(e.b, e.similarity);
    adj[e.b].emplace_back(e.a, e.similarity);
  }
  for (auto& a : adj) std::sort(a.begin(), a.end());
  std::vector<double> size(nodes, 1.0);
  std::vector<std::uint32_t> version(nodes, 0), parent(nodes);
  std::vector<char> alive(nodes, 1);
  for (std::size_t i = 0; i < nodes; ++i) parent[i] = static_cast<std::uint32_t>(i);
  std::priority_queue<Candidate, std::vector<Candidate>, Lower> heap;
  for (const Edge& e : edges)
    if (e.similarity >= threshold) heap.push({e.similarity, e.a, e.b, 0, 0});

  // Adjacency lists are never edited in place: an entry (x, sum) stays valid as a partial sum
  // once x has merged into a larger cluster, because summing the entries that map to the same
  // root gives the total between the two clusters. Only the merged cluster's list is rebuilt
  // (mapped to roots, compacted), so a merge costs O(d log d) for its own degree d.
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  Adjacency merged;
  while (!heap.empty()) {
    const Candidate top = heap.top();
    heap.pop();
    if (top.linkage < threshold) break;
    if (!alive[top.a] || !alive[top.b] || version[top.a] != top.version_a || version[top.b] != top.version_b) continue;
    const std::uint32_t a = top.a, b = top.b;  // b joins a (a is the smaller id)
    if (progress && ++merges - reported == kMergeBlock) progress->advance(kMergeBlock), reported = merges;
    parent[b] = a;
    alive[b] = 0;
    size[a] += size[b];
    ++version[a];
    merged.clear();
    for (const std::uint32_t side : {a, b})
      for (const auto& [x, sum] : adj[side]) {
        const std::uint32_t r = find(x);
        if (r != a) merged.emplace_back(r, sum);
      }
    std::stable_sort(merged.begin(), merged.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    Adjacency& out = adj[a];
    out.clear();
    for (const auto& e : merged) {
      if (!out.empty() && out.back().first == e.first) out.back().second += e.second;
      else out.push_back(e);
    }
    Adjacency().swap(adj[b]);
    for (const auto& [c, sum] : out) {
      const double linkage = sum / (size[a] * size[c]);
      if (linkage >= threshold) {
        const std::uint32_t lo = std::min(a, c), hi = std::max(a, c);
        heap.push({linkage, lo, hi, version[lo], version[hi]});
      }
    }
  }
  std::vector<std::uint32_t> root(nodes);
  for (std::size_t v = 0; v < nodes; ++v) root[v] = find(static_cast<std::uint32_t>(v));
  if (progress) progress->advance(nodes - reported);  // merges < nodes, so this is >= 0
  return root;
}

}  // namespace cxkit::feedback::detail
