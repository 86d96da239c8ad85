// Point-in-time churn features over the sample company's log: events per second at about 1M
// and 10M events (5,600 and 56,000 accounts over 24 months), as of the period's end so every
// event is read; one thread and all hardware threads. The company is generated once per size.
#include <benchmark/benchmark.h>

#include <map>

#include "cxkit/churn/features.hpp"
#include "cxkit/simulate/company.hpp"

namespace {

const cxkit::simulate::Company& company(std::size_t accounts) {
  static std::map<std::size_t, cxkit::simulate::Company> cache;
  auto it = cache.find(accounts);
  if (it == cache.end()) it = cache.emplace(accounts, cxkit::simulate::company({.n_accounts = accounts, .seed = 7})).first;
  return it->second;
}

void run(benchmark::State& state, unsigned threads) {
  const auto& co = company(static_cast<std::size_t>(state.range(0)));
  cxkit::churn::FeatureSpec spec;
  spec.threads = threads;
  spec.categorical_columns = {{"tier", {}}, {"plan", {}}, {"contract", {}}, {"industry", {}}};
  cxkit::Timestamp as_of;
  cxkit::parse_iso8601("2026-01-01", as_of);
  std::size_t cols = 0;
  for (auto _ : state) {
    const auto m = cxkit::churn::build_features(co.events, &co.accounts, as_of, spec);
    cols = m.cols();
    benchmark::DoNotOptimize(m.values.data());
  }
  state.counters["events"] = static_cast<double>(co.events.size());
  state.counters["features"] = static_cast<double>(cols);
  state.counters["events_per_second"] = benchmark::Counter(
      static_cast<double>(co.events.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["accounts_per_second"] = benchmark::Counter(
      static_cast<double>(co.accounts.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ChurnFeatures(benchmark::State& state) { run(state, 0); }
void BM_ChurnFeaturesSingleThread(benchmark::State& state) { run(state, 1); }

}  // namespace

BENCHMARK(BM_ChurnFeatures)->Arg(5600)->Arg(56000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ChurnFeaturesSingleThread)->Arg(5600)->Arg(56000)->Unit(benchmark::kMillisecond)->UseRealTime();
