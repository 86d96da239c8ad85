// Business-time arithmetic on random instants, as an SLA clock calls it: business_duration
// between an event and a deadline check, add_business_time to turn "within N business
// hours" into a due instant. Items are calls.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "cxkit/core/calendar.hpp"

using namespace cxkit;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

constexpr std::size_t kSamples = 1 << 14;  // power of two: index with a mask

Timestamp at(const char* iso) {
  Timestamp t{};
  parse_iso8601(iso, t);
  return t;
}

Calendar make_calendar(int which) {
  switch (which) {
    case 0:
      return Calendar::always();
    case 1:
      return Calendar::business_hours("Europe/Amsterdam");
    default: {
      // Amsterdam office hours with a lunch break and the Dutch public holidays that fall
      // on fixed dates (New Year, King's Day, Christmas) for 2000-2040.
      Calendar::Week week;
      for (std::size_t d = 0; d < 5; ++d)
        week[d] = {WorkingInterval{hours{9}, hours{12} + minutes{30}}, WorkingInterval{hours{13}, hours{17} + minutes{30}}};
      std::vector<boost::gregorian::date> holidays;
      for (unsigned short y = 2000; y <= 2040; ++y) {
        holidays.emplace_back(y, 1, 1);
        holidays.emplace_back(y, 4, 27);
        holidays.emplace_back(y, 12, 25);
        holidays.emplace_back(y, 12, 26);
      }
      return Calendar("Europe/Amsterdam", week, holidays);
    }
  }
}

const char* kNames[] = {"always", "amsterdam_9_17", "amsterdam_holidays"};

struct Inputs {
  std::vector<Timestamp> start, end;
  std::vector<Duration> amount;
};

/// Instants uniform over 2000-2035, ends up to 30 days later, amounts up to 80 business
/// hours (two weeks of office time), with microsecond resolution.
const Inputs& inputs() {
  static const Inputs in = [] {
    Inputs r;
    std::mt19937_64 rng(2024);
    std::uniform_int_distribution<std::int64_t> t(to_micros(at("2000-01-01")), to_micros(at("2035-01-01")));
    std::uniform_int_distribution<std::int64_t> span(0, Duration{hours{24 * 30}}.count());
    std::uniform_int_distribution<std::int64_t> amount(0, Duration{hours{80}}.count());
    for (std::size_t i = 0; i < kSamples; ++i) {
      r.start.push_back(from_micros(t(rng)));
      r.end.push_back(r.start.back() + Duration{span(rng)});
      r.amount.push_back(Duration{amount(rng)});
    }
    return r;
  }();
  return in;
}

void BM_BusinessDuration(benchmark::State& state) {
  const Calendar cal = make_calendar(static_cast<int>(state.range(0)));
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.business_duration(in.start[i], in.end[i]));
    i = (i + 1) & (kSamples - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_BusinessDuration)->DenseRange(0, 2);

void BM_AddBusinessTime(benchmark::State& state) {
  const Calendar cal = make_calendar(static_cast<int>(state.range(0)));
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.add_business_time(in.start[i], in.amount[i]));
    i = (i + 1) & (kSamples - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_AddBusinessTime)->DenseRange(0, 2);

void BM_SubtractBusinessTime(benchmark::State& state) {
  const Calendar cal = make_calendar(static_cast<int>(state.range(0)));
  const Inputs& in = inputs();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.add_business_time(in.end[i], -in.amount[i]));
    i = (i + 1) & (kSamples - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_SubtractBusinessTime)->DenseRange(0, 2);

/// The day-by-day path: the same spans 400 years later, beyond the tables (2201 onwards).
void BM_BusinessDurationBeyondTables(benchmark::State& state) {
  const Calendar cal = make_calendar(static_cast<int>(state.range(0)));
  const Inputs& in = inputs();
  const Duration shift = std::chrono::duration_cast<Duration>(date::days{146097});  // 400 years
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.business_duration(in.start[i] + shift, in.end[i] + shift));
    i = (i + 1) & (kSamples - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_BusinessDurationBeyondTables)->DenseRange(1, 2);

/// Building the 1900-2200 tables: what a Calendar costs to construct.
void BM_Construct(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(make_calendar(static_cast<int>(state.range(0))));
  state.counters["bytes"] = static_cast<double>(make_calendar(static_cast<int>(state.range(0))).memory_bytes());
  state.SetLabel(kNames[state.range(0)]);
}
BENCHMARK(BM_Construct)->DenseRange(1, 2)->Unit(benchmark::kMillisecond);

}  // namespace
