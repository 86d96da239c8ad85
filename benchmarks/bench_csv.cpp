// CSV event-log reading: bytes/s and events/s of read_csv_buffer on synthetic logs of 1M and
// 10M events, and on the real receipt log when the shared data is present.
//
//   build/<dir>/benchmarks/bench_csv --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "cxkit/io/csv.hpp"

namespace {

/// A pm4py-style export: case, activity, ISO timestamp with offset, one numeric and one
/// categorical attribute. Cases have 4-16 events in time order, listed case by case, as
/// exports are. mt19937_64's sequence is fixed by the standard, and only its raw output is
/// used, so the text is the same on every platform.
std::string synthetic_csv(std::size_t n_events) {
  static const char* const kActivities[] = {
      "Register request", "Check ticket",    "Examine casually", "Examine thoroughly", "Decide",
      "Reinitiate",       "Pay compensation", "Reject request",  "Send reminder",      "Call customer",
      "Escalate",         "Close ticket",    "Onboarding call",  "Kickoff meeting",    "Send survey",
      "Renewal review",   "Upsell offer",    "Health check",     "Training session",   "Archive"};
  std::mt19937_64 rng(20240601);
  std::string out;
  out.reserve(n_events * 90);
  out += "case:concept:name,concept:name,time:timestamp,amount,org:group\n";
  char line[256];
  std::size_t written = 0;
  std::int64_t case_no = 0;
  while (written < n_events) {
    const std::size_t len = 4 + rng() % 13;
    // Start somewhere in 2020-2023 (in seconds since 2020-01-01), then move forward.
    std::int64_t t = static_cast<std::int64_t>(rng() % (4 * 365 * 86400LL));
    ++case_no;
    for (std::size_t k = 0; k < len && written < n_events; ++k, ++written) {
      t += static_cast<std::int64_t>(rng() % 86400);
      const std::int64_t days = t / 86400, secs = t % 86400;
      // Days since 2020-01-01 to a date, with 28-day months to keep the generator trivial.
      const int year = 2020 + static_cast<int>(days / 336), month = 1 + static_cast<int>(days % 336 / 28),
                day = 1 + static_cast<int>(days % 28);
      const int n = std::snprintf(
          line, sizeof line, "case-%07lld,%s,%04d-%02d-%02dT%02lld:%02lld:%02lld.%03d+0%d:00,%llu.%02llu,Group %llu\n",
          static_cast<long long>(case_no), kActivities[rng() % 20], year, month, day,
          static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
          static_cast<long long>(secs % 60), static_cast<int>(rng() % 1000), static_cast<int>(rng() % 3),
          static_cast<unsigned long long>(rng() % 5000), static_cast<unsigned long long>(rng() % 100),
          static_cast<unsigned long long>(rng() % 12));
      out.append(line, static_cast<std::size_t>(n));
    }
  }
  return out;
}

const std::string& cached_csv(std::size_t n_events) {
  static std::map<std::size_t, std::string> cache;
  auto it = cache.find(n_events);
  if (it == cache.end()) it = cache.emplace(n_events, synthetic_csv(n_events)).first;
  return it->second;
}

void run(benchmark::State& state, const std::string& text, const cxkit::io::CsvOptions& options) {
  std::size_t events = 0;
  for (auto _ : state) {
    const cxkit::EventLog log = cxkit::io::read_csv_buffer(text, options, "bench");
    events = log.size();
    benchmark::DoNotOptimize(log.timestamps().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
  state.counters["events"] = static_cast<double>(events);
}

void BM_ReadCsvSynthetic(benchmark::State& state) {
  const std::string& text = cached_csv(static_cast<std::size_t>(state.range(0)));
  run(state, text, {});
}
BENCHMARK(BM_ReadCsvSynthetic)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kReceipt = std::string(CXKIT_SHARED_DATA_DIR) + "/journeys/receipt.csv";

void BM_ReadCsvReceiptBuffer(benchmark::State& state) {
  if (!std::filesystem::exists(kReceipt)) {
    state.SkipWithError("shared data not found: journeys/receipt.csv");
    return;
  }
  static const std::string text = slurp(kReceipt);
  run(state, text, {});
}
BENCHMARK(BM_ReadCsvReceiptBuffer)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadCsvReceiptFile(benchmark::State& state) {
  if (!std::filesystem::exists(kReceipt)) {
    state.SkipWithError("shared data not found: journeys/receipt.csv");
    return;
  }
  std::size_t events = 0;
  for (auto _ : state) {
    const cxkit::EventLog log = cxkit::io::read_csv(kReceipt);
    events = log.size();
    benchmark::DoNotOptimize(log.timestamps().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(kReceipt)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
}
BENCHMARK(BM_ReadCsvReceiptFile)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
