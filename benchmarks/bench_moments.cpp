// Moments-of-truth evaluation throughput: 5 moments on business-hours calendars over a
// synthetic support log (accounts with interleaved tickets, pauses, cancels and product
// noise), single thread and all threads; plus NPS tallying and Erlang C staffing.
//
//   cmake --build build/<dir> --target bench_moments && build/<dir>/benchmarks/bench_moments
//
// items_per_second is events per second.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "cxkit/moments/evaluate.hpp"
#include "cxkit/moments/nps.hpp"
#include "cxkit/moments/staffing.hpp"

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

namespace {

// ~40 events per account over a year; a quarter are ticket events with a ticket id and a
// priority, the rest product usage the moments ignore.
EventLog make_log(std::size_t n_events) {
  EventLogBuilder b("bench");
  const auto ticket = b.add_attribute("ticket", ColumnType::categorical);
  const auto priority = b.add_attribute("priority", ColumnType::categorical);
  const char* support[] = {"ticket_opened", "agent_replied", "waiting_on_customer", "customer_replied",
                           "ticket_solved", "ticket_withdrawn", "survey_sent", "survey_answered"};
  const char* product[] = {"login", "report_viewed", "export", "invite_sent", "settings_changed", "dashboard"};
  const char* prios[] = {"P0", "P1", "P2", "P3"};
  std::vector<std::string> tickets;
  for (int k = 0; k < 64; ++k) tickets.push_back("T" + std::to_string(k));
  std::mt19937_64 rng(7);
  Timestamp t0;
  parse_iso8601("2025-01-01T00:00:00Z", t0);
  b.reserve(n_events);
  std::size_t made = 0;
  for (std::size_t c = 0; made < n_events; ++c) {
    const std::string name = "acct" + std::to_string(c);
    Timestamp t = t0 + std::chrono::minutes(static_cast<std::int64_t>(rng() % 100000));
    for (int e = 0; e < 40 && made < n_events; ++e, ++made) {
      t += std::chrono::minutes(static_cast<std::int64_t>(rng() % 12000));
      if (rng() % 4 == 0) {
        b.add_event(name, support[rng() % 8], t);
        b.set_category(ticket, tickets[rng() % 4 + 4 * (c % 16)]);
        b.set_category(priority, prios[rng() % 4]);
      } else {
        b.add_event(name, product[rng() % 6], t);
      }
    }
  }
  return b.build();
}

std::vector<Moment> five_moments() {
  const Calendar bh = Calendar::business_hours("Europe/Berlin");
  std::vector<Moment> ms;
  Moment first;
  first.name = "first reply";
  first.trigger = {"ticket_opened", {}};
  first.fulfil = {"agent_replied", {}};
  first.within = 8h;
  first.targets = TargetsBy{"priority", {{"P0", 1h}, {"P1", 4h}}};
  first.key = "ticket";
  first.calendar = bh;
  first.pause_on = {{"waiting_on_customer", {}}};
  first.resume_on = {{"customer_replied", {}}};
  first.cancel_on = {{"ticket_withdrawn", {}}};
  ms.push_back(first);
  Moment resolve = first;
  resolve.name = "resolution";
  resolve.fulfil = {"ticket_solved", {}};
  resolve.within = 40h;
  resolve.targets.reset();
  ms.push_back(resolve);
  Moment every = first;
  every.name = "every customer reply answered";
  every.trigger = {"customer_replied", {}};
  every.repeat = true;
  every.pause_on.clear();
  every.resume_on.clear();
  every.targets.reset();
  ms.push_back(every);
  Moment p0 = first;
  p0.name = "P0 acknowledged";
  p0.trigger = {"ticket_opened", {{"priority", "P0"}}};
  p0.targets.reset();
  p0.within = 30min;
  ms.push_back(p0);
  Moment survey;
  survey.name = "survey follow-up";
  survey.trigger = {"survey_answered", {}};
  survey.fulfil = {"agent_replied", {}};
  survey.within = 24h;
  survey.repeat = true;
  survey.calendar = bh;
  ms.push_back(survey);
  return ms;
}

void BM_evaluate(benchmark::State& state) {
  static const EventLog log = make_log(2'000'000);
  static const std::vector<Moment> ms = five_moments();
  EvaluateOptions opt;
  opt.threads = static_cast<unsigned>(state.range(0));
  std::size_t rows = 0;
  for (auto _ : state) {
    auto occ = evaluate(log, ms, opt);
    rows = occ.size();
    benchmark::DoNotOptimize(occ.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * log.size()));
  state.counters["occurrences"] = static_cast<double>(rows);
}
BENCHMARK(BM_evaluate)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_nps(benchmark::State& state) {
  std::vector<double> scores(1'000'000);
  std::mt19937_64 rng(3);
  for (auto& s : scores) s = static_cast<double>(rng() % 11);
  for (auto _ : state) benchmark::DoNotOptimize(nps(scores));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * scores.size()));
}
BENCHMARK(BM_nps)->Unit(benchmark::kMillisecond);

void BM_staffing(benchmark::State& state) {
  StaffingRequest r;
  r.arrivals = static_cast<double>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(staffing(r));
}
BENCHMARK(BM_staffing)->Arg(100)->Arg(20000)->Unit(benchmark::kMicrosecond);

}  // namespace
