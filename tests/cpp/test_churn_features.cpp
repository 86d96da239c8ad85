// Tests of cxkit::churn::build_features: every column on a small log computed by hand, the
// point-in-time (leakage) guarantee, partition and thread invariance, names and renewals.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cxkit/churn/features.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/simulate/company.hpp"

using namespace cxkit;
using namespace cxkit::churn;

namespace {

Timestamp at(const char* iso) {
  Timestamp t;
  EXPECT_TRUE(parse_iso8601(iso, t)) << iso;
  return t;
}
const Timestamp kAsOf = at("2024-03-31T00:00:00Z");
Timestamp ago(double days) {
  return kAsOf - Duration{static_cast<std::int64_t>(days * 86400e6)};
}

struct Ev {
  std::string account, activity;
  Timestamp t;
  std::string ticket, priority, feature;
  double score = NAN, seats = NAN, amount = NAN;
};

EventLog make_log(const std::vector<Ev>& events) {
  EventLogBuilder b;
  const auto ticket = b.add_attribute("ticket", ColumnType::categorical);
  const auto priority = b.add_attribute("priority", ColumnType::categorical);
  const auto feature = b.add_attribute("feature", ColumnType::categorical);
  const auto score = b.add_attribute("score", ColumnType::numeric);
  const auto seats = b.add_attribute("seats", ColumnType::numeric);
  const auto amount = b.add_attribute("amount", ColumnType::numeric);
  for (const auto& e : events) {
    b.add_event(e.account, e.activity, e.t);
    if (!e.ticket.empty()) b.set_category(ticket, e.ticket);
    if (!e.priority.empty()) b.set_category(priority, e.priority);
    if (!e.feature.empty()) b.set_category(feature, e.feature);
    if (!std::isnan(e.score)) b.set_number(score, e.score);
    if (!std::isnan(e.seats)) b.set_number(seats, e.seats);
    if (!std::isnan(e.amount)) b.set_number(amount, e.amount);
  }
  return b.build();
}

// A: a busy SMB account; B: in the table, no events; C: signs up after as_of; D: churned.
std::vector<Ev> small_events() {
  return {
      {"A", "signed", at("2023-12-01T00:00:00Z"), "", "", "", NAN, 5, 600},
      {"A", "login", ago(100)}, {"A", "login", ago(30)}, {"A", "login", ago(10)},
      {"A", "login", ago(3)}, {"A", "login", ago(1.25)},
      {"A", "feature used", ago(95), "", "", "reports"}, {"A", "feature used", ago(50), "", "", "dashboards"},
      {"A", "feature used", ago(20), "", "", "dashboards"}, {"A", "feature used", ago(2), "", "", "api"},
      {"A", "seats active", ago(100), "", "", "", NAN, 2}, {"A", "seats active", ago(8), "", "", "", NAN, 4},
      {"A", "expansion", ago(15), "", "", "", NAN, 8, 360},
      {"A", "ticket opened", ago(60), "T2", "P3"}, {"A", "resolved", ago(59), "T2", "P3"},
      {"A", "ticket opened", ago(45), "T3", "P0"}, {"A", "resolved", ago(44), "T3", "P0"},
      {"A", "reopened", ago(40), "T3", "P0"},
      {"A", "ticket opened", ago(5), "T1", "P1"},
      {"A", "nps answered", ago(80), "", "", "", 9}, {"A", "nps answered", ago(30), "", "", "", 5},
      {"C", "signed", at("2024-04-10T00:00:00Z")},
      {"D", "signed", at("2024-01-01T00:00:00Z")}, {"D", "login", ago(20)}, {"D", "churned", ago(10)},
  };
}

Table small_accounts() {
  TableBuilder b("account");
  const auto signup = b.add_column("signup", ColumnType::timestamp);
  const auto contract = b.add_column("contract", ColumnType::categorical);
  const auto tier = b.add_column("tier", ColumnType::categorical);
  const auto seats = b.add_column("seats", ColumnType::numeric);
  const auto arr = b.add_column("arr", ColumnType::numeric);
  const auto employees = b.add_column("employees", ColumnType::numeric);
  const auto row = [&](const char* key, const char* s, const char* c, const char* t, double n, double a, double e) {
    b.add_row(key);
    b.set_time(signup, at(s));
    b.set_category(contract, c);
    b.set_category(tier, t);
    b.set_number(seats, n);
    b.set_number(arr, a);
    b.set_number(employees, e);
  };
  row("A", "2023-12-01T00:00:00Z", "annual", "SMB", 10, 1000, 12);
  row("B", "2024-02-15T12:00:00Z", "monthly", "Mid-market", 3, 100, 40);
  row("C", "2024-04-10T00:00:00Z", "annual", "SMB", 4, 50, 5);
  row("D", "2024-01-01T00:00:00Z", "annual", "SMB", 4, 50, 5);
  return b.build();
}

FeatureSpec small_spec() {
  FeatureSpec spec;
  spec.numeric_columns = {"employees"};
  spec.categorical_columns = {{"tier", {}}};
  return spec;
}

Breaches small_breaches() {
  Breaches br;
  br.moment_names = {"Welcome within 1 day", "first reply"};
  const auto add = [&](std::uint32_t row, std::uint32_t m, Timestamp s, Timestamp d) {
    br.row.push_back(row);
    br.moment.push_back(m);
    br.started.push_back(to_micros(s));
    br.deadline.push_back(to_micros(d));
  };
  add(0, 0, ago(121), ago(120));    // welcome missed long ago
  add(0, 1, ago(45), ago(44));      // first reply of T3 missed
  add(0, 1, ago(5), ago(4.9));      // first reply of T1 missed
  add(0, 1, ago(0.1), kAsOf + std::chrono::hours(1));  // deadline after as_of: not known yet
  add(1, 1, ago(20), ago(19));
  return br;
}

double get(const FeatureMatrix& m, std::size_t row, const char* name) { return m.at(row, m.column_index(name)); }

void expect_same(const FeatureMatrix& a, const FeatureMatrix& b) {
  ASSERT_EQ(a.names, b.names);
  ASSERT_EQ(a.keys, b.keys);
  ASSERT_EQ(a.status, b.status);
  for (std::size_t c = 0; c < a.cols(); ++c)
    for (std::size_t r = 0; r < a.rows(); ++r) {
      const double x = a.at(r, c), y = b.at(r, c);
      if (std::isnan(x) && std::isnan(y)) continue;
      EXPECT_EQ(x, y) << a.names[c] << " of " << a.keys[r];
    }
}

}  // namespace

TEST(ChurnFeatures, HandComputedAccount) {
  const EventLog log = make_log(small_events());
  const Table acc = small_accounts();
  const Breaches br = small_breaches();
  const auto m = build_features(log, &acc, kAsOf, small_spec(), &br);
  ASSERT_EQ(m.keys, (std::vector<std::string>{"A", "B", "C", "D"}));
  // Logins at ages 100, 30, 10, 3, 1.25 days; [t-w, t) includes age == w.
  EXPECT_EQ(get(m, 0, "login_7d"), 2);
  EXPECT_EQ(get(m, 0, "login_30d"), 4);
  EXPECT_EQ(get(m, 0, "login_90d"), 4);
  EXPECT_DOUBLE_EQ(get(m, 0, "login_trend_7d"), std::log(3.0 / 2.0));   // prev [t-14d, t-7d): age 10
  EXPECT_DOUBLE_EQ(get(m, 0, "login_trend_30d"), std::log(5.0 / 1.0));  // prev [t-60d, t-30d): none
  EXPECT_DOUBLE_EQ(get(m, 0, "login_trend_90d"), std::log(5.0 / 2.0));  // prev: age 100
  // Feature use at ages 95 (reports), 50, 20 (dashboards), 2 (api).
  EXPECT_EQ(get(m, 0, "feature_used_7d"), 1);
  EXPECT_EQ(get(m, 0, "feature_used_30d"), 2);
  EXPECT_EQ(get(m, 0, "feature_used_90d"), 3);
  EXPECT_DOUBLE_EQ(get(m, 0, "feature_used_trend_7d"), std::log(2.0));
  EXPECT_DOUBLE_EQ(get(m, 0, "feature_used_trend_30d"), std::log(3.0 / 2.0));
  EXPECT_DOUBLE_EQ(get(m, 0, "feature_used_trend_90d"), std::log(4.0 / 2.0));
  EXPECT_EQ(get(m, 0, "features_used_7d"), 1);
  EXPECT_EQ(get(m, 0, "features_used_30d"), 2);
  EXPECT_EQ(get(m, 0, "features_used_90d"), 2);
  EXPECT_EQ(get(m, 0, "features_adopted"), 3);
  EXPECT_EQ(get(m, 0, "premium_features_90d"), 1);  // api
  // Every event: 4 within 7 days, 10 within 30, 17 within 90.
  EXPECT_EQ(get(m, 0, "events_7d"), 4);
  EXPECT_EQ(get(m, 0, "events_30d"), 10);
  EXPECT_EQ(get(m, 0, "events_90d"), 17);
  EXPECT_DOUBLE_EQ(get(m, 0, "days_since_last_use"), 1.25);
  EXPECT_DOUBLE_EQ(get(m, 0, "days_since_last_event"), 1.25);
  // Seats: snapshots 2 (age 100) and 4 (age 8); licence 5 then 8; ARR 600 + 360.
  EXPECT_EQ(get(m, 0, "active_seats"), 4);
  EXPECT_EQ(get(m, 0, "active_seats_change_90d"), 2);
  EXPECT_EQ(get(m, 0, "licensed_seats"), 8);
  EXPECT_DOUBLE_EQ(get(m, 0, "seat_utilisation"), 0.5);
  EXPECT_EQ(get(m, 0, "arr"), 960);
  // Tickets: T2 (P3) opened and resolved; T3 (P0) resolved then reopened; T1 (P1) open.
  EXPECT_EQ(get(m, 0, "tickets_7d"), 1);
  EXPECT_EQ(get(m, 0, "tickets_30d"), 1);
  EXPECT_EQ(get(m, 0, "tickets_90d"), 3);
  EXPECT_EQ(get(m, 0, "tickets_p0_90d"), 1);
  EXPECT_EQ(get(m, 0, "tickets_p1_90d"), 1);
  EXPECT_EQ(get(m, 0, "tickets_p2_90d"), 0);
  EXPECT_EQ(get(m, 0, "tickets_p3_90d"), 1);
  EXPECT_EQ(get(m, 0, "open_tickets"), 2);
  EXPECT_EQ(get(m, 0, "open_tickets_p0"), 1);
  EXPECT_EQ(get(m, 0, "open_tickets_p1"), 1);
  EXPECT_EQ(get(m, 0, "open_tickets_p3"), 0);
  EXPECT_EQ(get(m, 0, "open_tickets_urgent"), 2);
  // Breaches whose deadline passed before as_of.
  EXPECT_EQ(get(m, 0, "welcome_within_1_day_breaches"), 1);
  EXPECT_EQ(get(m, 0, "welcome_within_1_day_breaches_90d"), 0);
  EXPECT_EQ(get(m, 0, "first_reply_breaches"), 2);
  EXPECT_EQ(get(m, 0, "first_reply_breaches_90d"), 2);
  EXPECT_EQ(get(m, 0, "breaches_90d"), 2);
  EXPECT_EQ(get(m, 1, "first_reply_breaches_90d"), 1);
  // NPS 9 (age 80) then 5 (age 30).
  EXPECT_EQ(get(m, 0, "nps_last"), 5);
  EXPECT_EQ(get(m, 0, "nps_detractor"), 1);
  EXPECT_EQ(get(m, 0, "nps_promoter"), 0);
  EXPECT_EQ(get(m, 0, "nps_responses"), 2);
  EXPECT_DOUBLE_EQ(get(m, 0, "days_since_nps"), 30);
  // Signed 2023-12-01, annual: 121 days of tenure, renewal 2024-12-01 in 245 days.
  EXPECT_DOUBLE_EQ(get(m, 0, "tenure_days"), 121);
  EXPECT_DOUBLE_EQ(get(m, 0, "days_to_renewal"), 245);
  EXPECT_EQ(get(m, 0, "employees"), 12);
  EXPECT_EQ(get(m, 0, "tier_smb"), 1);
  EXPECT_EQ(get(m, 0, "tier_mid_market"), 0);
  EXPECT_EQ(m.status[0], AccountStatus::active);
}

TEST(ChurnFeatures, AccountWithoutEventsUsesTheTable) {
  const EventLog log = make_log(small_events());
  const Table acc = small_accounts();
  const auto m = build_features(log, &acc, kAsOf, small_spec());
  // B: signed 2024-02-15 12:00, monthly: 44.5 days of tenure, renews 2024-04-15 12:00.
  EXPECT_DOUBLE_EQ(get(m, 1, "tenure_days"), 44.5);
  EXPECT_DOUBLE_EQ(get(m, 1, "days_to_renewal"), 15.5);
  EXPECT_DOUBLE_EQ(get(m, 1, "days_since_last_use"), 44.5);  // never used: since signup
  EXPECT_EQ(get(m, 1, "login_90d"), 0);
  EXPECT_DOUBLE_EQ(get(m, 1, "login_trend_30d"), 0.0);
  EXPECT_TRUE(std::isnan(get(m, 1, "active_seats")));
  EXPECT_EQ(get(m, 1, "licensed_seats"), 3);  // the table's, no licence event
  EXPECT_EQ(get(m, 1, "arr"), 100);
  EXPECT_TRUE(std::isnan(get(m, 1, "seat_utilisation")));
  EXPECT_TRUE(std::isnan(get(m, 1, "nps_last")));
  EXPECT_EQ(get(m, 1, "nps_detractor"), 0);
  EXPECT_EQ(get(m, 1, "tier_mid_market"), 1);
  EXPECT_EQ(m.status[1], AccountStatus::active);
  EXPECT_EQ(m.status[2], AccountStatus::not_yet);
  EXPECT_EQ(m.status[3], AccountStatus::churned);
  EXPECT_THROW(m.column_index("no such column"), NotFoundError);
}

TEST(ChurnFeatures, ExternalNpsReplacesTheLogs) {
  const EventLog log = make_log(small_events());
  const Table acc = small_accounts();
  ScoreList nps;
  nps.row = {0, 0, 0, 1};
  nps.time = {to_micros(ago(3)), to_micros(ago(50)), to_micros(ago(-1)), to_micros(ago(2))};
  nps.score = {10, 4, 0, 7};
  const auto m = build_features(log, &acc, kAsOf, small_spec(), nullptr, &nps);
  EXPECT_EQ(get(m, 0, "nps_last"), 10);  // the answer after as_of is ignored
  EXPECT_EQ(get(m, 0, "nps_responses"), 2);
  EXPECT_EQ(get(m, 0, "nps_promoter"), 1);
  EXPECT_DOUBLE_EQ(get(m, 0, "days_since_nps"), 3);
  EXPECT_EQ(get(m, 1, "nps_last"), 7);
  nps.row[3] = 9;
  EXPECT_THROW(build_features(log, &acc, kAsOf, small_spec(), nullptr, &nps), InputError);
}

TEST(ChurnFeatures, AsOfPerRowEqualsOneCallPerDate) {
  const EventLog log = make_log(small_events());
  const Table acc = small_accounts();
  const Breaches br = small_breaches();
  const std::vector<Timestamp> as_of = {ago(7), kAsOf, from_micros(kMissingTime), ago(15)};
  const auto m = build_features(log, &acc, as_of, small_spec(), &br);
  for (std::size_t r : {0u, 1u, 3u}) {
    const auto one = build_features(log, &acc, as_of[r], small_spec(), &br);
    EXPECT_EQ(m.status[r], one.status[r]);
    for (std::size_t c = 0; c < m.cols(); ++c)
      if (!(std::isnan(m.at(r, c)) && std::isnan(one.at(r, c)))) EXPECT_EQ(m.at(r, c), one.at(r, c)) << m.names[c];
  }
  EXPECT_EQ(get(m, 0, "login_30d"), 2);  // 7 days earlier: logins 23 and 3 days before it; the last two come after it
  EXPECT_EQ(m.status[3], AccountStatus::active);  // D churned 10 days before kAsOf, after its as_of
  EXPECT_EQ(m.status[2], AccountStatus::not_yet);
  EXPECT_TRUE(std::isnan(get(m, 2, "login_7d")));
  EXPECT_THROW(build_features(log, &acc, std::span<const Timestamp>(as_of.data(), 2)), InputError);
}

TEST(ChurnFeatures, LaterEventsChangeNothing) {
  const Table acc = small_accounts();
  const Breaches br = small_breaches();
  auto events = small_events();
  const auto before = build_features(make_log(events), &acc, kAsOf, small_spec(), &br);
  // Everything an account could do at or after as_of: more usage, new features, tickets,
  // surveys, seats, licence and ARR changes, churn; also an unseen account and new names.
  for (const char* a : {"A", "B", "C", "D", "E"}) {
    events.push_back({a, "login", kAsOf});
    events.push_back({a, "login", kAsOf + std::chrono::hours(5)});
    events.push_back({a, "feature used", kAsOf + std::chrono::hours(6), "", "", "sso"});
    events.push_back({a, "feature used", kAsOf, "", "", "brand new feature"});
    events.push_back({a, "ticket opened", kAsOf + std::chrono::hours(7), "T9", "P0"});
    events.push_back({a, "resolved", kAsOf + std::chrono::hours(8), "T1", "P1"});
    events.push_back({a, "reopened", kAsOf + std::chrono::hours(9), "T2", "P3"});
    events.push_back({a, "nps answered", kAsOf, "", "", "", 10});
    events.push_back({a, "seats active", kAsOf, "", "", "", NAN, 99});
    events.push_back({a, "expansion", kAsOf + std::chrono::hours(1), "", "", "", NAN, 50, 9000});
    events.push_back({a, "renewal", kAsOf + std::chrono::days(3), "", "", "", NAN, 60, 12000});
    events.push_back({a, "a new activity", kAsOf + std::chrono::days(4)});
    events.push_back({a, "churned", kAsOf + std::chrono::days(5)});
  }
  const auto after = build_features(make_log(events), &acc, kAsOf, small_spec(), &br);
  expect_same(before, after);
}

namespace {

// The accounts and events of `keep` accounts, rebuilt from scratch (fresh dictionaries).
EventLog subset_log(const EventLog& log, const std::vector<bool>& keep_case) {
  EventLogBuilder b;
  std::vector<std::size_t> idx;
  for (const auto& c : log.attributes()) idx.push_back(b.add_attribute(c.name(), c.type()));
  for (std::size_t c = 0; c < log.n_cases(); ++c) {
    if (!keep_case[c]) continue;
    for (std::size_t i = log.case_begin(c); i < log.case_end(c); ++i) {
      b.add_event(log.case_names().name(c), log.activity_names().name(log.activity_ids()[i]), log.timestamp(i));
      for (std::size_t a = 0; a < log.attributes().size(); ++a) {
        const Column& col = log.attributes()[a];
        if (col.is_missing(i)) continue;
        if (col.type() == ColumnType::numeric) b.set_number(idx[a], col.numbers()[i]);
        else if (col.type() == ColumnType::categorical) b.set_category(idx[a], col.categories().name(col.codes()[i]));
      }
    }
  }
  return b.build();
}

Table subset_table(const Table& t, const std::vector<bool>& keep_row) {
  TableBuilder b(t.key_name());
  std::vector<std::size_t> idx;
  for (const auto& c : t.columns()) idx.push_back(b.add_column(c.name(), c.type()));
  for (std::size_t r = 0; r < t.size(); ++r) {
    if (!keep_row[r]) continue;
    b.add_row(t.keys().name(static_cast<std::uint32_t>(r)));
    for (std::size_t k = 0; k < t.columns().size(); ++k) {
      const Column& col = t.columns()[k];
      if (col.is_missing(r)) continue;
      switch (col.type()) {
        case ColumnType::numeric: b.set_number(idx[k], col.numbers()[r]); break;
        case ColumnType::categorical: b.set_category(idx[k], col.categories().name(col.codes()[r])); break;
        case ColumnType::timestamp: b.set_time(idx[k], from_micros(col.times()[r])); break;
        case ColumnType::text: b.set_text(idx[k], col.text(r)); break;
      }
    }
  }
  return b.build();
}

FeatureSpec company_spec() {
  FeatureSpec spec;
  spec.categorical_columns = {{"tier", {"SMB", "Mid-market", "Enterprise"}},
                              {"contract", {"annual", "monthly"}}};
  return spec;
}

}  // namespace

TEST(ChurnFeatures, PartitionsByCustomerGiveTheSameRows) {
  const auto co = simulate::company({.n_accounts = 300, .months = 12, .seed = 11});
  const Timestamp as_of = at("2024-10-01T00:00:00Z");
  const auto whole = build_features(co.events, &co.accounts, as_of, company_spec());
  std::map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < whole.rows(); ++r) row_of[whole.keys[r]] = r;
  std::size_t seen = 0;
  for (int part = 0; part < 3; ++part) {
    std::vector<bool> keep_row(co.accounts.size()), keep_case(co.events.n_cases());
    for (std::size_t r = 0; r < keep_row.size(); ++r) keep_row[r] = r % 3 == static_cast<std::size_t>(part);
    for (std::size_t c = 0; c < keep_case.size(); ++c) {
      const auto r = co.accounts.row_of(co.events.case_names().name(static_cast<std::uint32_t>(c)));
      keep_case[c] = r && keep_row[*r];
    }
    const Table t = subset_table(co.accounts, keep_row);
    const EventLog l = subset_log(co.events, keep_case);
    FeatureSpec spec = company_spec();
    spec.threads = 1;
    const auto m = build_features(l, &t, as_of, spec);
    ASSERT_EQ(m.names, whole.names);
    for (std::size_t r = 0; r < m.rows(); ++r, ++seen) {
      const std::size_t w = row_of.at(m.keys[r]);
      EXPECT_EQ(m.status[r], whole.status[w]);
      for (std::size_t c = 0; c < m.cols(); ++c) {
        const double x = m.at(r, c), y = whole.at(w, c);
        if (!(std::isnan(x) && std::isnan(y))) EXPECT_EQ(x, y) << m.names[c] << " of " << m.keys[r];
      }
    }
  }
  EXPECT_EQ(seen, whole.rows());
}

TEST(ChurnFeatures, SameForAnyThreadCount) {
  const auto co = simulate::company({.n_accounts = 1500, .months = 12, .seed = 3});
  FeatureSpec one = company_spec(), three = company_spec();
  one.threads = 1;
  three.threads = 3;
  const Timestamp as_of = at("2024-09-15T12:00:00Z");
  expect_same(build_features(co.events, &co.accounts, as_of, one), build_features(co.events, &co.accounts, as_of, three));
}

TEST(ChurnFeatures, SimulatedCompanyValuesAreConsistent) {
  // Against the simulator's own records: licensed seats and ARR rebuilt from the log equal the
  // table's end values for accounts with no commercial event after as_of.
  const auto co = simulate::company({.n_accounts = 400, .months = 12, .seed = 5});
  const Timestamp end = at("2025-01-01T00:00:00Z");
  const auto m = build_features(co.events, &co.accounts, end, company_spec());
  const auto& seats = co.accounts.column("seats").numbers();
  const auto& arr = co.accounts.column("arr").numbers();
  const std::size_t ls = m.column_index("licensed_seats"), a = m.column_index("arr");
  for (std::size_t r = 0; r < m.rows(); ++r) {
    EXPECT_EQ(m.at(r, ls), seats[r]) << m.keys[r];
    EXPECT_NEAR(m.at(r, a), arr[r], 1e-6) << m.keys[r];
  }
}

TEST(ChurnFeatures, NamesAndRenewals) {
  EXPECT_EQ(snake_name("Welcome within 1 day"), "welcome_within_1_day");
  EXPECT_EQ(snake_name("  Mid-market!! "), "mid_market");
  EXPECT_EQ(snake_name("Inês Costa"), "in\xC3\xAAs_costa");
  EXPECT_EQ(snake_name("Иван"), "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD");
  EXPECT_EQ(window_name(std::chrono::days{30}), "30d");
  EXPECT_EQ(window_name(std::chrono::hours{36}), "36h");
  EXPECT_EQ(window_name(std::chrono::minutes{90}), "90m");
  // Signed Jan 31, monthly: Feb 29 (leap year, clamped), then Mar 31.
  EXPECT_EQ(next_renewal(at("2024-01-31T10:00:00Z"), 1, at("2024-02-10T00:00:00Z")), at("2024-02-29T10:00:00Z"));
  EXPECT_EQ(next_renewal(at("2024-01-31T10:00:00Z"), 1, at("2024-03-01T00:00:00Z")), at("2024-03-31T10:00:00Z"));
  // An anniversary exactly at as_of is the next renewal; before signup, the first one.
  EXPECT_EQ(next_renewal(at("2020-05-05T00:00:00Z"), 12, at("2024-05-05T00:00:00Z")), at("2024-05-05T00:00:00Z"));
  EXPECT_EQ(next_renewal(at("2024-05-05T00:00:00Z"), 12, at("2023-01-01T00:00:00Z")), at("2025-05-05T00:00:00Z"));
}

TEST(ChurnFeatures, BadSpecsAndInputsThrow) {
  const EventLog log = make_log(small_events());
  const Table acc = small_accounts();
  FeatureSpec spec;
  spec.windows = {};
  EXPECT_THROW(build_features(log, &acc, kAsOf, spec), InputError);
  spec.windows = {std::chrono::days{0}};
  EXPECT_THROW(build_features(log, &acc, kAsOf, spec), InputError);
  spec = {};
  spec.numeric_columns = {"no such column"};
  EXPECT_THROW(build_features(log, &acc, kAsOf, spec), NotFoundError);
  spec = {};
  spec.numeric_columns = {"tier"};
  EXPECT_THROW(build_features(log, &acc, kAsOf, spec), TypeMismatchError);
  spec = {};
  spec.feature_attribute = "score";  // numeric, not categorical
  EXPECT_THROW(build_features(log, &acc, kAsOf, spec), TypeMismatchError);
  spec = {};
  spec.count_activities = {"login", "Login"};  // both become login_7d
  EXPECT_THROW(build_features(log, &acc, kAsOf, spec), InputError);
  // Without a table: one row per case, in log order.
  const auto m = build_features(log, nullptr, kAsOf);
  EXPECT_EQ(m.keys, (std::vector<std::string>{"A", "C", "D"}));
  EXPECT_DOUBLE_EQ(m.at(0, m.column_index("tenure_days")), 121);  // from the first event
  EXPECT_EQ(m.status[2], AccountStatus::churned);
}
