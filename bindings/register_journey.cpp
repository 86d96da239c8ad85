// cxkit::journey: discovery (JourneyMap), Markov chains, DOT export. Results cross as dicts
// of lists / numpy arrays that cxkit.journey turns into DataFrames.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/journey/discover.hpp"
#include "cxkit/journey/dot.hpp"
#include "cxkit/journey/journey_map.hpp"
#include "cxkit/journey/journey_map_io.hpp"
#include "cxkit/journey/markov.hpp"
#include "py_progress.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace jr = cxkit::journey;

jr::DurationMode duration_mode(const std::string& s) {
  if (s == "exact") return jr::DurationMode::exact;
  if (s == "sketch") return jr::DurationMode::sketch;
  if (s == "moments") return jr::DurationMode::moments;
  if (s == "none") return jr::DurationMode::none;
  throw py::value_error("durations must be 'exact', 'sketch', 'moments' or 'none', not '" + s + "'");
}

py::str str_of(std::string_view v) { return py::str(v.data(), v.size()); }

/// Summary columns (seconds) appended to `out` for a list of summaries.
template <class Items, class Get>
void add_summary_columns(py::dict& out, const Items& items, Get summary_of, std::size_t n_quantiles) {
  const std::size_t n = items.size();
  py::array_t<double> sum(n), mean(n), median(n), mn(n), mx(n), sd(n);
  py::array_t<double> q({n, n_quantiles});
  auto qv = q.mutable_unchecked<2>();
  for (std::size_t i = 0; i < n; ++i) {
    const jr::DurationSummary& s = summary_of(items[i]);
    sum.mutable_at(i) = s.sum;
    mean.mutable_at(i) = s.mean;
    median.mutable_at(i) = s.median;
    mn.mutable_at(i) = s.min;
    mx.mutable_at(i) = s.max;
    sd.mutable_at(i) = s.stdev;
    for (std::size_t k = 0; k < n_quantiles; ++k)
      qv(i, k) = k < s.quantiles.size() ? s.quantiles[k] : std::numeric_limits<double>::quiet_NaN();
  }
  out["sum"] = sum;
  out["mean"] = mean;
  out["median"] = median;
  out["min"] = mn;
  out["max"] = mx;
  out["stdev"] = sd;
  out["quantiles"] = q;
}

py::dict activities_of(const jr::JourneyMap& m) {
  py::list name;
  std::vector<std::uint64_t> events, cases, starts, ends, rework, loops;
  for (const auto& a : m.activities()) {
    name.append(py::str(a.name));
    events.push_back(a.events);
    cases.push_back(a.cases);
    starts.push_back(a.starts);
    ends.push_back(a.ends);
    rework.push_back(a.rework_cases);
    loops.push_back(a.self_loops);
  }
  py::dict d;
  d["activity"] = name;
  d["events"] = py::array_t<std::uint64_t>(events.size(), events.data());
  d["cases"] = py::array_t<std::uint64_t>(cases.size(), cases.data());
  d["starts"] = py::array_t<std::uint64_t>(starts.size(), starts.data());
  d["ends"] = py::array_t<std::uint64_t>(ends.size(), ends.data());
  d["rework_cases"] = py::array_t<std::uint64_t>(rework.size(), rework.data());
  d["self_loops"] = py::array_t<std::uint64_t>(loops.size(), loops.data());
  return d;
}

py::dict edges_of(const jr::JourneyMap& m) {
  py::list source, target;
  std::vector<std::uint64_t> count;
  for (const auto& e : m.edges()) {
    source.append(str_of(m.activity_name(e.source)));
    target.append(str_of(m.activity_name(e.target)));
    count.push_back(e.count);
  }
  py::dict d;
  d["source"] = source;
  d["target"] = target;
  d["count"] = py::array_t<std::uint64_t>(count.size(), count.data());
  add_summary_columns(d, m.edges(), [](const jr::Edge& e) -> const jr::DurationSummary& { return e.summary; },
                      m.quantile_probs().size());
  return d;
}

py::dict variants_of(const jr::JourneyMap& m, std::span<const jr::Variant> vs) {
  py::list seq;
  std::vector<std::uint64_t> count;
  std::vector<double> share;
  for (const auto& v : vs) {
    py::tuple names(v.activities.size());
    for (std::size_t k = 0; k < v.activities.size(); ++k) names[k] = str_of(m.activity_name(v.activities[k]));
    seq.append(names);
    count.push_back(v.count);
    share.push_back(v.share);
  }
  py::dict d;
  d["variant"] = seq;
  d["count"] = py::array_t<std::uint64_t>(count.size(), count.data());
  d["share"] = py::array_t<double>(share.size(), share.data());
  add_summary_columns(d, vs, [](const jr::Variant& v) -> const jr::DurationSummary& { return v.summary; },
                      m.quantile_probs().size());
  return d;
}

py::list pairs_of(const std::vector<std::pair<std::string_view, std::uint64_t>>& v) {
  py::list out;
  for (const auto& [name, n] : v) out.append(py::make_tuple(str_of(name), n));
  return out;
}

jr::MarkovOptions markov_options(bool end_state, const std::string& end_name,
                                 const std::optional<cxkit::Calendar>& calendar, unsigned threads) {
  jr::MarkovOptions o;
  o.end_state = end_state;
  o.end_name = end_name;
  o.calendar = calendar;
  o.threads = threads;
  return o;
}

}  // namespace

void register_journey(py::module_& m) {
  py::class_<jr::JourneyMap>(m, "JourneyMap", "Discovered journey map (C++ core).")
      .def(py::init<>())
      .def_property_readonly("n_cases", &jr::JourneyMap::n_cases)
      .def_property_readonly("n_events", &jr::JourneyMap::n_events)
      .def_property_readonly("rework_cases", &jr::JourneyMap::rework_cases)
      .def_property_readonly("quantiles", &jr::JourneyMap::quantile_probs)
      .def_property_readonly("durations", [](const jr::JourneyMap& j) { return jr::to_string(j.settings().durations); })
      .def_property_readonly("max_variants",
                             [](const jr::JourneyMap& j) -> std::optional<std::uint64_t> {
                               if (j.settings().max_variants == jr::kUnlimitedVariants) return std::nullopt;
                               return j.settings().max_variants;
                             })
      .def_property_readonly("has_variants", [](const jr::JourneyMap& j) { return j.settings().variants; })
      .def_property_readonly("variants_exact", &jr::JourneyMap::variants_exact)
      .def_property_readonly("other_variant_cases", &jr::JourneyMap::other_variant_cases)
      .def_property_readonly("n_variants", &jr::JourneyMap::n_variants)
      .def_property_readonly("dropped_variants", &jr::JourneyMap::dropped_variants)
      .def_property_readonly("variant_count_error", &jr::JourneyMap::variant_count_error)
      .def("activities", &activities_of)
      .def("edges", &edges_of)
      .def("variants",
           [](const jr::JourneyMap& j, long long top, double coverage) {
             if (coverage >= 0) return variants_of(j, j.variants_covering(coverage));
             if (top >= 0) return variants_of(j, j.top_variants(static_cast<std::size_t>(top)));
             return variants_of(j, j.variants());
           },
           py::arg("top") = -1, py::arg("coverage") = -1.0)
      .def("start_activities", [](const jr::JourneyMap& j) { return pairs_of(j.start_activities()); })
      .def("end_activities", [](const jr::JourneyMap& j) { return pairs_of(j.end_activities()); })
      .def("merged",
           [](const jr::JourneyMap& a, const jr::JourneyMap& b) {
             jr::JourneyMap out = a;
             py::gil_scoped_release release;
             out.merge(b);
             return out;
           })
      .def("to_dot",
           [](const jr::JourneyMap& j, const std::string& labels, const std::string& statistic, bool start_end,
              const std::string& rankdir) {
             jr::DotOptions o;
             if (labels == "frequency") o.labels = jr::DotLabels::frequency;
             else if (labels == "performance") o.labels = jr::DotLabels::performance;
             else throw py::value_error("labels must be 'frequency' or 'performance', not '" + labels + "'");
             static const std::pair<const char*, jr::DotStatistic> stats[] = {
                 {"mean", jr::DotStatistic::mean}, {"median", jr::DotStatistic::median},
                 {"min", jr::DotStatistic::min},   {"max", jr::DotStatistic::max},
                 {"sum", jr::DotStatistic::sum},   {"stdev", jr::DotStatistic::stdev}};
             bool found = false;
             for (const auto& [name, s] : stats)
               if (statistic == name) { o.statistic = s; found = true; }
             if (!found) throw py::value_error("unknown statistic '" + statistic + "'");
             o.start_end = start_end;
             o.rankdir = rankdir;
             py::gil_scoped_release release;
             return jr::to_dot(j, o);
           },
           py::arg("labels") = "frequency", py::arg("statistic") = "mean", py::arg("start_end") = true,
           py::arg("rankdir") = "LR")
      .def("memory_bytes", &jr::JourneyMap::memory_bytes)
      .def("__eq__", [](const jr::JourneyMap& a, const jr::JourneyMap& b) { return a == b; })
      .def("to_bytes",
           [](const jr::JourneyMap& j) {
             std::string bytes;
             {
               py::gil_scoped_release release;
               bytes = jr::to_bytes(j);
             }
             return py::bytes(bytes);
           })
      .def(py::pickle([](const jr::JourneyMap& j) { return py::bytes(jr::to_bytes(j)); },
                      [](const py::bytes& b) { return jr::from_bytes(std::string_view(b)); }));

  m.def(
      "journey_map_from_bytes",
      [](const py::bytes& b) {
        const std::string_view view(b);  // b stays alive (and immutable) for the call
        py::gil_scoped_release release;
        return jr::from_bytes(view);
      },
      py::arg("data"));

  m.def(
      "discover",
      [](const cxkit::EventLog& log, const std::string& durations, std::vector<double> quantiles,
         std::optional<cxkit::Calendar> calendar, bool variants, int sketch_bits, unsigned threads,
         std::optional<std::uint64_t> max_variants, py::object progress) {
        jr::DiscoverOptions o;
        o.durations = duration_mode(durations);
        o.quantiles = std::move(quantiles);
        o.calendar = std::move(calendar);
        o.variants = variants;
        o.sketch_bits = sketch_bits;
        o.threads = threads;
        o.max_variants = max_variants.value_or(jr::kUnlimitedVariants);
        PyProgress py_progress{std::move(progress), {}};
        return py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return jr::discover(log, o);
        });
      },
      py::arg("log"), py::arg("durations"), py::arg("quantiles"), py::arg("calendar"), py::arg("variants"),
      py::arg("sketch_bits"), py::arg("threads"), py::arg("max_variants") = jr::kDefaultMaxVariants,
      py::arg("progress") = py::none());

  py::class_<jr::MarkovChain>(m, "MarkovChain", "Absorbing Markov chain over journey stages (C++ core).")
      .def_property_readonly("states", &jr::MarkovChain::states)
      .def_property_readonly("transient_states", [](const jr::MarkovChain& c) {
        return std::vector<std::string>(c.transient_states().begin(), c.transient_states().end());
      })
      .def_property_readonly("absorbing_states", [](const jr::MarkovChain& c) {
        return std::vector<std::string>(c.absorbing_states().begin(), c.absorbing_states().end());
      })
      .def_property_readonly("n_cases", &jr::MarkovChain::n_cases)
      .def("transition_counts", &jr::MarkovChain::transition_counts)
      .def("transition_matrix", &jr::MarkovChain::transition_matrix)
      .def("fundamental_matrix", &jr::MarkovChain::fundamental_matrix)
      .def("absorption_probabilities", &jr::MarkovChain::absorption_probabilities)
      .def("expected_steps", &jr::MarkovChain::expected_steps)
      .def("expected_time", &jr::MarkovChain::expected_time)
      .def("holding_time", &jr::MarkovChain::holding_time)
      .def("start_distribution", &jr::MarkovChain::start_distribution)
      .def("absorption_from_start", &jr::MarkovChain::absorption_from_start)
      .def("expected_steps_from_start", &jr::MarkovChain::expected_steps_from_start)
      .def("expected_time_from_start", &jr::MarkovChain::expected_time_from_start);

  m.def(
      "markov_from_log",
      [](const cxkit::EventLog& log, const std::vector<std::string>& absorbing, bool end_state,
         const std::string& end_name, std::optional<cxkit::Calendar> calendar, unsigned threads) {
        const auto o = markov_options(end_state, end_name, calendar, threads);
        py::gil_scoped_release release;
        return jr::markov(log, absorbing, o);
      },
      py::arg("log"), py::arg("absorbing"), py::arg("end_state"), py::arg("end_name"), py::arg("calendar"),
      py::arg("threads"));
  m.def(
      "markov_from_map",
      [](const jr::JourneyMap& map, const std::vector<std::string>& absorbing, bool end_state,
         const std::string& end_name, unsigned threads) {
        const auto o = markov_options(end_state, end_name, std::nullopt, threads);
        py::gil_scoped_release release;
        return jr::markov(map, absorbing, o);
      },
      py::arg("map"), py::arg("absorbing"), py::arg("end_state"), py::arg("end_name"), py::arg("threads"));
  m.def(
      "markov_by_segment",
      [](const cxkit::EventLog& log, const cxkit::Table& accounts, const std::string& column,
         const std::vector<std::string>& absorbing, bool end_state, const std::string& end_name,
         std::optional<cxkit::Calendar> calendar, unsigned threads) {
        const auto o = markov_options(end_state, end_name, calendar, threads);
        std::vector<jr::SegmentChain> chains;
        {
          py::gil_scoped_release release;
          chains = jr::markov_by_segment(log, accounts, column, absorbing, o);
        }
        py::list out;
        for (auto& s : chains) out.append(py::make_tuple(s.segment, s.n_cases, std::move(s.chain)));
        return out;
      },
      py::arg("log"), py::arg("accounts"), py::arg("column"), py::arg("absorbing"), py::arg("end_state"),
      py::arg("end_name"), py::arg("calendar"), py::arg("threads"));
}

}  // namespace cxkit_bind
