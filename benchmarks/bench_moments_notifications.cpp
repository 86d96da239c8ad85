// Notification replay throughput: a synthetic year of moment occurrences over many accounts
// (a quarter of the clocks breach, some stay open), replayed through a policy with 20 CSMs in
// three time zones, routing by tier and owner, Alertmanager grouping by case, an inhibit rule
// and a two-level escalation of critical breaches.
//
//   cmake --build build/<dir> --target bench_moments_notifications \
//     && build/<dir>/benchmarks/bench_moments_notifications
//
// items_per_second is notification items (triggered / about-to-breach / breached) per second.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "cxkit/moments/notification_replay.hpp"

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

namespace {

struct Data {
  Dictionary cases;
  Table accounts;
  std::vector<Moment> moments;
  std::vector<Occurrence> occ;
  Timestamp until{};
};

Data make_data(std::size_t n_occurrences) {
  Data d;
  const std::size_t n_accounts = std::max<std::size_t>(1, n_occurrences / 50);
  TableBuilder tb("account");
  const auto tier = tb.add_column("tier", ColumnType::categorical);
  const auto owner = tb.add_column("owner", ColumnType::categorical);
  const char* tiers[] = {"SMB", "SMB", "SMB", "Mid-market", "Enterprise"};
  std::mt19937_64 rng(11);
  for (std::size_t a = 0; a < n_accounts; ++a) {
    const std::string name = "A" + std::to_string(a);
    d.cases.intern(name);
    tb.add_row(name);
    tb.set_category(tier, tiers[rng() % 5]);
    tb.set_category(owner, "csm" + std::to_string(rng() % 20));
  }
  d.accounts = tb.build();
  const char* names[] = {"welcome", "first reply", "P0 reply", "detractor follow-up"};
  const Urgency urgencies[] = {Urgency::normal, Urgency::normal, Urgency::critical, Urgency::high};
  const Duration targets[] = {24h, 4h, 1h, 24h};
  for (int m = 0; m < 4; ++m) {
    Moment mo;
    mo.name = names[m];
    mo.trigger = {"start", {}};
    mo.fulfil = {"stop", {}};
    mo.within = targets[m];
    mo.urgency = urgencies[m];
    mo.key = "ticket";
    d.moments.push_back(mo);
  }
  Timestamp t0;
  parse_iso8601("2025-01-01T00:00:00Z", t0);
  const Duration year = 365 * 24h;
  std::uniform_int_distribution<std::int64_t> when(0, year.count());
  for (std::size_t i = 0; i < n_occurrences; ++i) {
    Occurrence o;
    o.case_id = static_cast<std::uint32_t>(rng() % n_accounts);
    o.moment = static_cast<std::uint32_t>(rng() % 10 == 0 ? 2 : rng() % 4);
    o.key = "T" + std::to_string(i);
    o.started = t0 + Duration{when(rng)};
    o.target = targets[o.moment];
    o.deadline = o.started + o.target;
    const auto roll = rng() % 100;
    if (roll < 70) {
      o.stopped = o.started + Duration{static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(o.target.count()))};
      o.status = Status::met;
    } else if (roll < 95) {
      o.stopped = o.deadline + Duration{static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>((6h).count()))};
      o.status = Status::breached;
    } else if (o.started > t0 + year - 72h) {  // clocks still open at the end are recent ones
      o.status = Status::overdue;
    } else {
      o.stopped = o.deadline + 1h;
      o.status = Status::breached;
    }
    d.occ.push_back(std::move(o));
  }
  d.until = t0 + year + 24h;
  return d;
}

NotificationPolicy make_policy() {
  std::string rs;
  const char* zones[] = {"America/New_York", "Europe/Berlin", "Asia/Singapore"};
  for (int k = 0; k < 20; ++k)
    rs += R"({"id": "csm)" + std::to_string(k) + R"(", "manager": "lead", "timezone": ")" + zones[k % 3] + R"("},)";
  return NotificationPolicy::from_json_text(R"({"recipients": [)" + rs + R"({"id": "lead"}, {"id": "oncall"}],
      "routes": [{"match": {"moment": "P0 reply"}, "recipient": "oncall", "continue": true},
                 {"match": {"tier": "Enterprise"}, "recipient_from": "owner", "immediate": true},
                 {"recipient_from": "owner"}],
      "default_recipient": "lead", "notify_on": ["triggered", "about_to_breach", "breached"],
      "grouping": {"group_by": ["case"]},
      "inhibit": [{"source": {"moment": "P0 reply", "kind": "breached"}, "target": {"urgency": "normal"},
                   "equal": ["case"]}],
      "escalation": {"match": {"urgency": "critical"}, "levels": [{"target": "owner"}, {"target": "manager"}]}})");
}

void BM_replay(benchmark::State& state) {
  const Data d = make_data(static_cast<std::size_t>(state.range(0)));
  const NotificationPolicy p = make_policy();
  ReplayInput in;
  in.cases = &d.cases;
  in.occurrences = d.occ;
  in.moments = d.moments;
  in.accounts = &d.accounts;
  ReplayOptions o;
  o.until = d.until;
  std::size_t items = 0, notes = 0, naive = 0;
  for (auto _ : state) {
    const auto r = replay(p, in, o);
    items = r.items.size();
    notes = r.notifications.size();
    naive = r.summary.naive_notifications;
    benchmark::DoNotOptimize(r.notifications.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items));
  state.counters["items"] = static_cast<double>(items);
  state.counters["notifications"] = static_cast<double>(notes);
  state.counters["naive"] = static_cast<double>(naive);
}

}  // namespace

BENCHMARK(BM_replay)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
