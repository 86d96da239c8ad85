// Journey discovery on a synthetic log built in memory: 1M and 10M events, ~20 events per
// case, 30 activities. Cases follow one of 200 template paths (skewed popularity) with 10%
// of events replaced at random, so variants repeat the way real processes do but with a
// long tail. Second argument: threads (1, or 0 = all cores).
//
//   BM_PlainLoop       the physical limit: one loop counting pairs and summing durations
//   BM_DirectlyFollows directly-follows counts, activity counts, start/end, rework only
//   BM_Variants        ... plus variants
//   BM_Moments         ... plus variants, edge/variant mean, stdev, min, max
//   BM_Exact           the default: plus exact medians and quantiles
//   BM_Sketch          sketch medians and quantiles instead
//   BM_BusinessTime    the default on a Mon-Fri 09:00-17:00 calendar
//
// Counters: events/s (items_per_second), map_bytes (JourneyMap::memory_bytes of the
// result) and log_bytes (EventLog::core_memory_bytes).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "synthetic_log.hpp"
#include "cxkit/journey/discover.hpp"

namespace {

using cxkit_bench::synthetic_log;

using cxkit::journey::DiscoverOptions;
using cxkit::journey::DurationMode;

void run(benchmark::State& state, DiscoverOptions o) {
  const auto& log = synthetic_log(static_cast<std::size_t>(state.range(0)));
  o.threads = static_cast<unsigned>(state.range(1));
  std::size_t map_bytes = 0, variants = 0;
  for (auto _ : state) {
    const auto map = cxkit::journey::discover(log, o);
    map_bytes = map.memory_bytes();
    variants = map.variants().size();
    benchmark::DoNotOptimize(map.edges().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(log.size()));
  state.counters["map_bytes"] = static_cast<double>(map_bytes);
  state.counters["log_bytes"] = static_cast<double>(log.core_memory_bytes());
  state.counters["variants"] = static_cast<double>(variants);
}

void BM_PlainLoop(benchmark::State& state) {
  const auto& log = synthetic_log(static_cast<std::size_t>(state.range(0)));
  const auto act = log.activity_ids();
  const auto time = log.timestamps();
  const auto off = log.case_offsets();
  std::vector<std::uint64_t> count(30 * 30);
  std::vector<std::int64_t> sum(30 * 30);
  for (auto _ : state) {
    std::fill(count.begin(), count.end(), 0);
    std::fill(sum.begin(), sum.end(), 0);
    for (std::size_t c = 0; c + 1 < off.size(); ++c)
      for (std::size_t i = off[c] + 1; i < off[c + 1]; ++i) {
        const std::size_t k = act[i - 1] * 30 + act[i];
        ++count[k];
        sum[k] += time[i] - time[i - 1];
      }
    benchmark::DoNotOptimize(count.data());
    benchmark::DoNotOptimize(sum.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(log.size()));
}

void BM_DirectlyFollows(benchmark::State& s) {
  DiscoverOptions o;
  o.durations = DurationMode::none;
  o.variants = false;
  run(s, o);
}
void BM_Variants(benchmark::State& s) {
  DiscoverOptions o;
  o.durations = DurationMode::none;
  run(s, o);
}
void BM_Moments(benchmark::State& s) {
  DiscoverOptions o;
  o.durations = DurationMode::moments;
  run(s, o);
}
void BM_Exact(benchmark::State& s) { run(s, DiscoverOptions{}); }
void BM_Sketch(benchmark::State& s) {
  DiscoverOptions o;
  o.durations = DurationMode::sketch;
  run(s, o);
}
void BM_BusinessTime(benchmark::State& s) {
  DiscoverOptions o;
  o.calendar = cxkit::Calendar::business_hours("UTC");
  run(s, o);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {1'000'000, 10'000'000})
    for (std::int64_t t : {1, 0}) b->Args({n, t});
  b->ArgNames({"events", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_PlainLoop)->Arg(1'000'000)->Arg(10'000'000)->ArgNames({"events"})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DirectlyFollows)->Apply(sizes);
BENCHMARK(BM_Variants)->Apply(sizes);
BENCHMARK(BM_Moments)->Apply(sizes);
BENCHMARK(BM_Exact)->Apply(sizes);
BENCHMARK(BM_Sketch)->Apply(sizes);
BENCHMARK(BM_BusinessTime)->Apply(sizes);
