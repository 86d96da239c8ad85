// Boost Graph and Graphviz exports of a journey map.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/graph/breadth_first_search.hpp>

#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/discover.hpp"
#include "cxkit/journey/dot.hpp"
#include "cxkit/journey/graph.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

Timestamp sec(std::int64_t s) { return from_micros(s * 1000000); }

// Names that need escaping: a quote, a backslash and a newline.
EventLog quoted_log() {
  EventLogBuilder b;
  b.add_event("1", "say \"hi\"", sec(0));
  b.add_event("1", "C:\\path", sec(90));
  b.add_event("1", "two\nlines", sec(7290));
  b.add_event("2", "say \"hi\"", sec(0));
  b.add_event("2", "C:\\path", sec(30));
  return b.build();
}

std::size_t count_of(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST(JourneyExport, BoostGraphMirrorsTheMap) {
  const JourneyMap m = discover(quoted_log());
  const JourneyGraph g = graph(m);
  ASSERT_EQ(boost::num_vertices(g), 3u);
  ASSERT_EQ(boost::num_edges(g), 2u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(g[i].name, m.activities()[i].name);
    EXPECT_EQ(g[i].events, m.activities()[i].events);
  }
  const auto hi = m.activity_index("say \"hi\""), path = m.activity_index("C:\\path");
  const auto [e, found] = boost::edge(hi, path, g);
  ASSERT_TRUE(found);
  EXPECT_EQ(g[e].count, 2u);
  EXPECT_DOUBLE_EQ(g[e].durations.mean, 60.0);
  EXPECT_EQ(boost::in_degree(path, g), 1u);
  EXPECT_FALSE(boost::edge(path, hi, g).second);
  // Graph algorithms run on it: everything is reachable from the start activity.
  std::vector<boost::default_color_type> color(boost::num_vertices(g));
  boost::breadth_first_search(g, hi, boost::color_map(color.data()));
  for (auto c : color) EXPECT_EQ(c, boost::black_color);
}

TEST(JourneyExport, DotFrequencyLabelsAndEscaping) {
  const JourneyMap m = discover(quoted_log());
  const std::string dot = to_dot(m);
  EXPECT_EQ(dot.rfind("digraph journey {", 0), 0u);
  EXPECT_NE(dot.find(R"x(label="say \"hi\"\n(2)")x"), std::string::npos) << dot;
  EXPECT_NE(dot.find(R"x(label="C:\\path\n(2)")x"), std::string::npos) << dot;
  EXPECT_NE(dot.find(R"x(label="two\nlines\n(1)")x"), std::string::npos) << dot;
  // 2 edges + 1 start edge + 2 end edges.
  EXPECT_EQ(count_of(dot, "->"), 5u);
  EXPECT_NE(dot.find("start -> a"), std::string::npos);
  EXPECT_NE(dot.find("[label=\"2\""), std::string::npos);
  DotOptions plain;
  plain.start_end = false;
  EXPECT_EQ(count_of(to_dot(m, plain), "->"), 2u);
  // Every quote inside the text is escaped: unescaped quotes come in pairs per line.
  for (std::size_t b = 0, e; b < dot.size(); b = e + 1) {
    e = dot.find('\n', b);
    const std::string line = dot.substr(b, e - b);
    std::size_t bare = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '"' && (i == 0 || line[i - 1] != '\\' || (i >= 2 && line[i - 2] == '\\'))) ++bare;
    EXPECT_EQ(bare % 2, 0u) << line;
  }
}

TEST(JourneyExport, DotPerformanceLabels) {
  const JourneyMap m = discover(quoted_log());
  DotOptions o;
  o.labels = DotLabels::performance;
  std::string dot = to_dot(m, o);
  EXPECT_NE(dot.find("label=\"1min\""), std::string::npos) << dot;  // mean of 90 s and 30 s
  EXPECT_NE(dot.find("label=\"2h\""), std::string::npos) << dot;    // 7200 s
  o.statistic = DotStatistic::max;
  dot = to_dot(m, o);
  EXPECT_NE(dot.find("label=\"1.5min\""), std::string::npos) << dot;
  o.statistic = DotStatistic::stdev;
  EXPECT_NE(to_dot(m, o).find("label=\"n/a\""), std::string::npos);  // one duration only

  DiscoverOptions counts_only;
  counts_only.durations = DurationMode::none;
  EXPECT_THROW(to_dot(discover(quoted_log(), counts_only), o), InputError);
  DiscoverOptions moments;
  moments.durations = DurationMode::moments;
  o.statistic = DotStatistic::median;
  EXPECT_THROW(to_dot(discover(quoted_log(), moments), o), InputError);
  o.statistic = DotStatistic::mean;
  EXPECT_NO_THROW(to_dot(discover(quoted_log(), moments), o));
  DotOptions bad;
  bad.rankdir = "LR; evil";
  EXPECT_THROW(to_dot(m, bad), InputError);
}
