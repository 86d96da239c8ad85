// The sample company generator: events per second at 10k and 100k accounts (24 months,
// all hardware threads), and the single-thread rate for comparison.
#include <benchmark/benchmark.h>

#include "cxkit/simulate/company.hpp"

namespace {

void run(benchmark::State& state, unsigned threads) {
  cxkit::simulate::CompanyOptions options;
  options.n_accounts = static_cast<std::size_t>(state.range(0));
  options.threads = threads;
  std::size_t events = 0, feedback = 0;
  for (auto _ : state) {
    const auto company = cxkit::simulate::company(options);
    events = company.events.size();
    feedback = company.feedback.size();
    benchmark::DoNotOptimize(events);
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["feedback_items"] = static_cast<double>(feedback);
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(events) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Company(benchmark::State& state) { run(state, 0); }
void BM_CompanySingleThread(benchmark::State& state) { run(state, 1); }

}  // namespace

BENCHMARK(BM_Company)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_CompanySingleThread)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
