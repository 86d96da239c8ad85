// Small directed-graph helpers shared by designed journeys and playbooks (internal).
//
// Graphs here are definitions written by people: tens of nodes, a few hundred at most, so
// clarity and deterministic answers (the same cycle named every time) matter more than
// asymptotics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cxkit::journey::detail {

using Adjacency = std::vector<std::vector<std::uint32_t>>;

/// A cycle of the graph `next` (node -> successors) as the node list [a, b, ..., a], or an
/// empty list when the graph is acyclic. Depth-first search from node 0, 1, ... visiting
/// successors in their listed order, so the cycle reported is the first one met in
/// definition order. O(nodes + edges).
inline std::vector<std::uint32_t> find_cycle(const Adjacency& next) {
  const std::size_t n = next.size();
  enum : std::uint8_t { white, grey, black };
  std::vector<std::uint8_t> colour(n, white);
  std::vector<std::uint32_t> path;                // the grey nodes, in DFS order
  std::vector<std::size_t> child;                 // per path entry: next successor to try
  for (std::uint32_t root = 0; root < n; ++root) {
    if (colour[root] != white) continue;
    path.assign(1, root);
    child.assign(1, 0);
    colour[root] = grey;
    while (!path.empty()) {
      const std::uint32_t u = path.back();
      if (child.back() == next[u].size()) {
        colour[u] = black;
        path.pop_back();
        child.pop_back();
        continue;
      }
      const std::uint32_t v = next[u][child.back()++];
      if (colour[v] == grey) {
        std::vector<std::uint32_t> cycle;
        std::size_t i = path.size();
        while (path[i - 1] != v) --i;
        cycle.assign(path.begin() + static_cast<std::ptrdiff_t>(i - 1), path.end());
        cycle.push_back(v);
        return cycle;
      }
      if (colour[v] == white) {
        colour[v] = grey;
        path.push_back(v);
        child.push_back(0);
      }
    }
  }
  return {};
}

/// "a -> b -> c -> a" for a cycle from find_cycle().
template <class NameOf>
std::string describe_cycle(const std::vector<std::uint32_t>& cycle, NameOf name_of) {
  std::string out;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    if (i) out += " -> ";
    out += name_of(cycle[i]);
  }
  return out;
}

/// A topological order of an acyclic graph: Kahn's algorithm taking the lowest-numbered
/// ready node first, so the order is definition order wherever the edges allow.
/// Pre-condition: acyclic. O(nodes^2) in the worst case, fine for definitions.
inline std::vector<std::uint32_t> topological_order(const Adjacency& next) {
  const std::size_t n = next.size();
  std::vector<std::uint32_t> indegree(n, 0);
  for (const auto& succ : next)
    for (std::uint32_t v : succ) ++indegree[v];
  std::vector<std::uint32_t> order;
  order.reserve(n);
  std::vector<bool> done(n, false);
  while (order.size() < n) {
    std::uint32_t pick = static_cast<std::uint32_t>(n);
    for (std::uint32_t u = 0; u < n; ++u)
      if (!done[u] && indegree[u] == 0) {
        pick = u;
        break;
      }
    if (pick == n) break;  // a cycle: callers check first
    done[pick] = true;
    order.push_back(pick);
    for (std::uint32_t v : next[pick]) --indegree[v];
  }
  return order;
}

/// Predecessor lists of `next`.
inline Adjacency reverse(const Adjacency& next) {
  Adjacency prev(next.size());
  for (std::uint32_t u = 0; u < next.size(); ++u)
    for (std::uint32_t v : next[u]) prev[v].push_back(u);
  return prev;
}

}  // namespace cxkit::journey::detail
