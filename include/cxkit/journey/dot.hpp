// Graphviz (DOT) text of a journey map.
#pragma once

#include <string>

#include "cxkit/journey/journey_map.hpp"

namespace cxkit::journey {

enum class DotLabels : std::uint8_t { frequency, performance };
enum class DotStatistic : std::uint8_t { mean, median, min, max, sum, stdev };

struct DotOptions {
  /// frequency: edges labelled with their count; performance: with a duration statistic.
  DotLabels labels = DotLabels::frequency;
  /// The statistic shown with performance labels.
  DotStatistic statistic = DotStatistic::mean;
  /// Draw a start and an end node linked to the start and end activities (with counts).
  bool start_end = true;
  /// Graphviz rankdir: "LR" (left to right) or "TB".
  std::string rankdir = "LR";
};

/// The map as a DOT digraph. Activities are nodes labelled "name\n(events)"; edge pen
/// width grows with the count. Names are escaped (quotes, backslashes, newlines), node ids
/// are generated, so any activity name is safe. Durations are shown in s, min, h or d.
/// Throws InputError for performance labels when the map lacks the statistic (no
/// durations, or median without exact/sketch durations), or a rankdir other than LR, RL,
/// TB, BT. O(activities + edges).
std::string to_dot(const JourneyMap& map, const DotOptions& options = {});

/// A DOT double-quoted string literal of `s`.
std::string dot_quote(std::string_view s);

}  // namespace cxkit::journey
