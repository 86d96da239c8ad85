// Funnels and designed-journey conformance on a synthetic log built in memory: 1M and 10M
// events, ~20 events per case, 30 activities. Cases follow one of 200 template paths (skewed
// popularity) with 10% of events replaced at random (the generator of bench_journey.cpp), so
// funnels see real drop-off and conformance sees skips, out-of-order stages and noise.
//
//   BM_FunnelStrictFirst  4 steps, strict order, Mixpanel-style first entry, 30-day window
//   BM_FunnelStrictBest   the same with Amplitude-style earliest-longest entry
//   BM_FunnelAny          any order, first entry
//   BM_FunnelSegments     strict/first with 8 segments
//   BM_FunnelBusiness     strict/first, window and times in business time (Mon-Fri 09-17)
//   BM_CheckSummary       design.check(): 8 stages (2 optional, targets), summary only
//   BM_Check              ... plus one CustomerConformance row per case (the default)
//   BM_CheckBusiness      ... with targets and time in stage on a Mon-Fri 09-17 calendar
//
// Counter: events/s (items_per_second).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "synthetic_log.hpp"
#include "cxkit/journey/conformance.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/funnel.hpp"

namespace {

using cxkit_bench::synthetic_log;

using namespace cxkit::journey;

FunnelOptions funnel_options() {
  FunnelOptions o;
  o.steps = {"activity 0", "activity 1", "activity 2", "activity 3"};
  o.within = std::chrono::duration_cast<cxkit::Duration>(std::chrono::hours{24 * 30});
  return o;
}

void run_funnel(benchmark::State& state, FunnelOptions o, bool segments = false) {
  const auto& log = synthetic_log(static_cast<std::size_t>(state.range(0)));
  cxkit::Dictionary labels;
  for (int s = 0; s < 8; ++s) labels.intern("segment " + std::to_string(s));
  std::vector<std::uint32_t> seg(log.n_cases());
  for (std::size_t c = 0; c < seg.size(); ++c) seg[c] = static_cast<std::uint32_t>(c % 8);
  std::uint64_t converted = 0;
  for (auto _ : state) {
    const FunnelResult r = segments ? funnel(log, o, seg, labels) : funnel(log, o);
    converted = r.overall.steps.back().customers;
    benchmark::DoNotOptimize(r.overall.steps.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(log.size()));
  state.counters["converted"] = static_cast<double>(converted);
  state.counters["cases"] = static_cast<double>(log.n_cases());
}

void BM_FunnelStrictFirst(benchmark::State& state) { run_funnel(state, funnel_options()); }
void BM_FunnelStrictBest(benchmark::State& state) {
  FunnelOptions o = funnel_options();
  o.entry = FunnelEntry::best;
  run_funnel(state, o);
}
void BM_FunnelAny(benchmark::State& state) {
  FunnelOptions o = funnel_options();
  o.order = FunnelOrder::any;
  run_funnel(state, o);
}
void BM_FunnelSegments(benchmark::State& state) { run_funnel(state, funnel_options(), true); }
void BM_FunnelBusiness(benchmark::State& state) {
  FunnelOptions o = funnel_options();
  o.calendar = cxkit::Calendar::business_hours("UTC");
  run_funnel(state, o);
}

JourneyDesign design() {
  return JourneyDesign::from_json_text(R"({"stages": [
    {"name": "activity 0", "target": "3D", "next": ["activity 1"]},
    {"name": "activity 1", "next": ["activity 2", "activity 3"]},
    {"name": "activity 2", "mandatory": false, "target": "2D", "next": ["activity 3"]},
    {"name": "activity 3", "next": ["activity 4"]},
    {"name": "activity 4", "target": "5D", "next": ["activity 5", "activity 6"]},
    {"name": "activity 5", "mandatory": false, "next": ["activity 6"]},
    {"name": "activity 6", "next": ["activity 7"]},
    {"name": "activity 7"}],
    "relevant_activities": ["activity 20", "activity 21"]})");
}

void run_check(benchmark::State& state, bool customers, bool business) {
  const auto& log = synthetic_log(static_cast<std::size_t>(state.range(0)));
  const JourneyDesign d = design();
  std::vector<double> outcome(log.n_cases());
  for (std::size_t c = 0; c < outcome.size(); ++c) outcome[c] = static_cast<double>(c % 3 == 0);
  CheckOptions o;
  o.customers = customers;
  o.outcome = outcome;
  if (business) o.calendar = cxkit::Calendar::business_hours("UTC");
  double fitness = 0;
  for (auto _ : state) {
    const ConformanceResult r = d.check(log, o);
    fitness = r.summary.mean_fitness;
    benchmark::DoNotOptimize(r.customers.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(log.size()));
  state.counters["mean_fitness"] = fitness;
}

void BM_CheckSummary(benchmark::State& state) { run_check(state, false, false); }
void BM_Check(benchmark::State& state) { run_check(state, true, false); }
void BM_CheckBusiness(benchmark::State& state) { run_check(state, true, true); }

#define CXKIT_SIZES ->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()
BENCHMARK(BM_FunnelStrictFirst) CXKIT_SIZES;
BENCHMARK(BM_FunnelStrictBest) CXKIT_SIZES;
BENCHMARK(BM_FunnelAny) CXKIT_SIZES;
BENCHMARK(BM_FunnelSegments) CXKIT_SIZES;
BENCHMARK(BM_FunnelBusiness) CXKIT_SIZES;
BENCHMARK(BM_CheckSummary) CXKIT_SIZES;
BENCHMARK(BM_Check) CXKIT_SIZES;
BENCHMARK(BM_CheckBusiness) CXKIT_SIZES;

}  // namespace
