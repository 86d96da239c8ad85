// EventLogBuilder::build at 1M and 10M events: interning, the counting sort by case and the
// per-case time sort, for input already grouped by case (the usual export) and shuffled.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"

namespace {

struct Input {
  std::vector<std::uint32_t> cases, activities;
  std::vector<std::int64_t> times;
};

// ~20 events per case, 30 activities, times increasing within a case.
Input make_input(std::size_t n, bool shuffled) {
  Input in;
  in.cases.resize(n);
  in.activities.resize(n);
  in.times.resize(n);
  std::mt19937_64 rng(7);
  for (std::size_t i = 0; i < n; ++i) {
    in.cases[i] = static_cast<std::uint32_t>(i / 20);
    in.activities[i] = static_cast<std::uint32_t>(rng() % 30);
    in.times[i] = static_cast<std::int64_t>(1700000000000000LL + static_cast<std::int64_t>(i % 20) * 3600000000LL);
  }
  if (shuffled) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), 0);
    std::shuffle(p.begin(), p.end(), rng);
    Input s = in;
    for (std::size_t i = 0; i < n; ++i) {
      s.cases[i] = in.cases[p[i]];
      s.activities[i] = in.activities[p[i]];
      s.times[i] = in.times[p[i]];
    }
    in = std::move(s);
  }
  return in;
}

void build_log(benchmark::State& state, bool shuffled) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Input in = make_input(n, shuffled);
  const std::size_t n_cases = n / 20 + 1;
  std::vector<std::string> case_names(n_cases), activity_names(30);
  for (std::size_t c = 0; c < n_cases; ++c) case_names[c] = "C" + std::to_string(c);
  for (std::size_t a = 0; a < 30; ++a) activity_names[a] = "activity " + std::to_string(a);
  for (auto _ : state) {
    cxkit::EventLogBuilder b;
    b.reserve(n);
    // Intern by first appearance, as a reader does.
    std::vector<std::uint32_t> cid(n_cases, cxkit::kNoId), aid(30, cxkit::kNoId);
    for (std::size_t i = 0; i < n; ++i) {
      auto& c = cid[in.cases[i]];
      if (c == cxkit::kNoId) c = b.intern_case(case_names[in.cases[i]]);
      auto& a = aid[in.activities[i]];
      if (a == cxkit::kNoId) a = b.intern_activity(activity_names[in.activities[i]]);
      b.add_event_ids(c, a, cxkit::from_micros(in.times[i]));
    }
    cxkit::EventLog log = b.build();
    benchmark::DoNotOptimize(log.timestamps().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

void BM_BuildGrouped(benchmark::State& s) { build_log(s, false); }
void BM_BuildShuffled(benchmark::State& s) { build_log(s, true); }

}  // namespace

BENCHMARK(BM_BuildGrouped)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BuildShuffled)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
