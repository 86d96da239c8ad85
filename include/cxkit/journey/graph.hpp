// A journey map as a Boost Graph (boost::adjacency_list), for graph algorithms.
#pragma once

#include <cstdint>
#include <string>

#include <boost/graph/adjacency_list.hpp>

#include "cxkit/journey/journey_map.hpp"

namespace cxkit::journey {

/// Vertex bundle: an activity and its counts.
struct ActivityVertex {
  std::string name;
  std::uint64_t events = 0;
  std::uint64_t cases = 0;
  std::uint64_t starts = 0;
  std::uint64_t ends = 0;
};

/// Edge bundle: a directly-follows edge's count and duration statistics (seconds).
struct FlowEdge {
  std::uint64_t count = 0;
  DurationSummary durations;
};

/// Directed, with in-edge access (bidirectionalS); vertex i is map.activities()[i].
using JourneyGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, ActivityVertex, FlowEdge>;

/// The graph of a map: one vertex per activity (in map order), one edge per directly-follows
/// edge (in map order). O(activities + edges).
inline JourneyGraph graph(const JourneyMap& map) {
  JourneyGraph g(map.activities().size());
  for (std::size_t i = 0; i < map.activities().size(); ++i) {
    const ActivityStats& a = map.activities()[i];
    g[static_cast<JourneyGraph::vertex_descriptor>(i)] = ActivityVertex{a.name, a.events, a.cases, a.starts, a.ends};
  }
  for (const Edge& e : map.edges()) boost::add_edge(e.source, e.target, FlowEdge{e.count, e.summary}, g);
  return g;
}

}  // namespace cxkit::journey
