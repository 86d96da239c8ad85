// DOT export of journey maps.
#include "cxkit/journey/dot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cxkit::journey {
namespace {

double statistic(const DurationSummary& s, DotStatistic which) {
  switch (which) {
    case DotStatistic::mean: return s.mean;
    case DotStatistic::median: return s.median;
    case DotStatistic::min: return s.min;
    case DotStatistic::max: return s.max;
    case DotStatistic::sum: return s.sum;
    case DotStatistic::stdev: return s.stdev;
  }
  return s.mean;
}

std::string human_duration(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  char buf[32];
  const double a = std::fabs(seconds);
  if (a < 60)
    std::snprintf(buf, sizeof buf, "%.3gs", seconds);
  else if (a < 3600)
    std::snprintf(buf, sizeof buf, "%.3gmin", seconds / 60);
  else if (a < 86400)
    std::snprintf(buf, sizeof buf, "%.3gh", seconds / 3600);
  else
    std::snprintf(buf, sizeof buf, "%.3gd", seconds / 86400);
  return buf;
}

std::string pen(std::uint64_t count, std::uint64_t max_count) {
  char buf[32];
  const double w = 1.0 + 4.0 * (max_count == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(max_count));
  std::snprintf(buf, sizeof buf, "%.2f", w);
  return buf;
}

}  // namespace

std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      // dropped: a carriage return has no meaning in a label
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string to_dot(const JourneyMap& map, const DotOptions& o) {
  if (o.rankdir != "LR" && o.rankdir != "RL" && o.rankdir != "TB" && o.rankdir != "BT")
    throw InputError("rankdir must be LR, RL, TB or BT", {"DotOptions", -1, "rankdir", o.rankdir});
  const bool perf = o.labels == DotLabels::performance;
  if (perf) {
    const DurationMode m = map.settings().durations;
    if (m == DurationMode::none)
      throw InputError("performance labels need duration statistics; discover with durations != none");
    if (o.statistic == DotStatistic::median && m == DurationMode::moments)
      throw InputError("median labels need exact or sketch durations; discover with durations = exact or sketch");
  }
  std::uint64_t max_count = 0;
  for (const Edge& e : map.edges()) max_count = std::max(max_count, e.count);
  for (const auto& a : map.activities()) max_count = std::max({max_count, a.starts, a.ends});

  // Built by appending pieces: GCC 12 reports a false -Wrestrict on long operator+ chains.
  std::string s = "digraph journey {\n  rankdir=";
  s += o.rankdir;
  s += ";\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n";
  s += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  const auto node = [&s](std::size_t i) {
    s += 'a';
    s += std::to_string(i);
  };
  const auto attrs = [&s](const std::string& label, std::uint64_t count, std::uint64_t max, bool dashed) {
    s += " [label=";
    s += dot_quote(label);
    if (dashed) s += ", style=dashed";
    s += ", penwidth=";
    s += pen(count, max);
    s += "];\n";
  };
  for (std::size_t i = 0; i < map.activities().size(); ++i) {
    const auto& a = map.activities()[i];
    std::string label = a.name;
    label += "\n(";
    label += std::to_string(a.events);
    label += ')';
    s += "  ";
    node(i);
    s += " [label=";
    s += dot_quote(label);
    s += "];\n";
  }
  for (const Edge& e : map.edges()) {
    s += "  ";
    node(e.source);
    s += " -> ";
    node(e.target);
    attrs(perf ? human_duration(statistic(e.summary, o.statistic)) : std::to_string(e.count), e.count, max_count,
          false);
  }
  if (o.start_end && !map.activities().empty()) {
    s += "  start [shape=circle, label=\"\", style=filled, fillcolor=\"#3a9d23\", width=0.3];\n";
    s += "  end [shape=doublecircle, label=\"\", style=filled, fillcolor=\"#d9534f\", width=0.3];\n";
    for (std::size_t i = 0; i < map.activities().size(); ++i) {
      const auto& a = map.activities()[i];
      if (a.starts != 0) {
        s += "  start -> ";
        node(i);
        attrs(std::to_string(a.starts), a.starts, max_count, true);
      }
      if (a.ends != 0) {
        s += "  ";
        node(i);
        s += " -> end";
        attrs(std::to_string(a.ends), a.ends, max_count, true);
      }
    }
  }
  s += "}\n";
  return s;
}

}  // namespace cxkit::journey
