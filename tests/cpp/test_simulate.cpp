// The sample company: shape, determinism, files, and the distributions its ground truth
// promises, each checked against an expectation computed here from the data and the
// documented model (statistical checks use tolerances of 4-5 standard errors).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cxkit/io/csv.hpp"
#include "cxkit/simulate/company.hpp"
#include "cxkit/simulate/phrases.hpp"

namespace cs = cxkit::simulate;
using cxkit::Column;
using cxkit::ColumnType;
using cxkit::EventLog;
using cxkit::Table;

namespace {

constexpr std::int64_t kSec = 1000000, kHour = 3600 * kSec, kDay = 24 * kHour;
constexpr double kPeriod = 2629746.0 * kSec;

const cs::Company& small_company() {
  static const cs::Company c = cs::company({.n_accounts = 2000, .threads = 2});
  return c;
}

// Larger, for the statistical checks.
const cs::Company& large_company() {
  static const cs::Company c = cs::company({.n_accounts = 8000, .seed = 11});
  return c;
}

std::uint32_t activity_id(const EventLog& log, std::string_view name) { return log.activity_names().at(name); }

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool same_column(const Column& a, const Column& b) {
  if (a.name() != b.name() || a.type() != b.type() || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.value_string(i) != b.value_string(i) || a.is_missing(i) != b.is_missing(i)) return false;
  return true;
}

bool same_table(const Table& a, const Table& b) {
  if (a.size() != b.size() || a.columns().size() != b.columns().size() || a.key_name() != b.key_name()) return false;
  for (std::uint32_t r = 0; r < a.size(); ++r)
    if (a.keys().name(r) != b.keys().name(r)) return false;
  for (std::size_t c = 0; c < a.columns().size(); ++c)
    if (!same_column(a.columns()[c], b.columns()[c])) return false;
  return true;
}

bool same_log(const EventLog& a, const EventLog& b) {
  if (a.size() != b.size() || a.n_cases() != b.n_cases()) return false;
  if (!std::equal(a.case_ids().begin(), a.case_ids().end(), b.case_ids().begin())) return false;
  if (!std::equal(a.timestamps().begin(), a.timestamps().end(), b.timestamps().begin())) return false;
  if (!std::equal(a.activity_ids().begin(), a.activity_ids().end(), b.activity_ids().begin())) return false;
  if (a.attributes().size() != b.attributes().size()) return false;
  for (std::size_t c = 0; c < a.attributes().size(); ++c)
    if (!same_column(a.attributes()[c], b.attributes()[c])) return false;
  return true;
}

// Per account: rows of the accounts table line up with the log's cases.
struct AccountView {
  const cs::Company& c;
  std::span<const std::int64_t> signup = c.accounts.column("signup").times();
  std::span<const std::int64_t> churn = c.accounts.column("churn_date").times();
  std::int64_t end = cxkit::to_micros(c.truth.end);
  bool churned(std::size_t a) const { return churn[a] != cxkit::kMissingTime; }
  std::int64_t stop(std::size_t a) const { return churned(a) ? churn[a] : end; }
  double exposure(std::size_t a) const { return static_cast<double>(stop(a) - signup[a]) / kPeriod; }
};

}  // namespace

TEST(Simulate, ShapeAndSchema) {
  const auto& c = small_company();
  ASSERT_EQ(c.accounts.size(), 2000u);
  EXPECT_EQ(c.accounts.key_name(), "account");
  EXPECT_EQ(c.accounts.keys().name(0), "A000001");
  EXPECT_EQ(c.accounts.keys().name(1999), "A002000");
  ASSERT_EQ(c.events.n_cases(), 2000u);
  for (std::uint32_t k = 0; k < 2000; ++k) ASSERT_EQ(c.events.case_names().name(k), c.accounts.keys().name(k));
  // About 15 events per account-month: far more than a handful, far less than thousands.
  EXPECT_GT(c.events.size(), 2000u * 50);
  EXPECT_LT(c.events.size(), 2000u * 1000);
  for (std::size_t i = 0; i < cs::kActivityNames.size(); ++i)
    EXPECT_EQ(c.events.activity_names().name(static_cast<std::uint32_t>(i)), cs::kActivityNames[i]);
  const std::vector<std::pair<std::string, ColumnType>> attributes = {
      {"ticket", ColumnType::categorical}, {"priority", ColumnType::categorical},
      {"feature", ColumnType::categorical}, {"actor", ColumnType::categorical},
      {"score", ColumnType::numeric},      {"seats", ColumnType::numeric},
      {"amount", ColumnType::numeric}};
  ASSERT_EQ(c.events.attributes().size(), attributes.size());
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    EXPECT_EQ(c.events.attributes()[i].name(), attributes[i].first);
    EXPECT_EQ(c.events.attributes()[i].type(), attributes[i].second);
  }
  for (const char* col : {"name", "tier", "plan", "arr", "seats", "signup", "contract", "renewal_date", "owner", "region",
                          "timezone", "support_hub", "industry", "language", "churned", "churn_date"})
    EXPECT_NE(c.accounts.find_column(col), nullptr) << col;
  EXPECT_EQ(c.feedback.key_name(), "feedback");
  EXPECT_EQ(c.feedback.keys().name(0), "F0000001");
  for (const char* col : {"customer", "time", "channel", "type", "language", "text", "theme"})
    EXPECT_NE(c.feedback.find_column(col), nullptr) << col;
  // Every activity of the catalogue occurs.
  std::vector<std::size_t> counts(cs::kActivityNames.size(), 0);
  for (auto a : c.events.activity_ids()) ++counts[a];
  for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_GT(counts[i], 0u) << cs::kActivityNames[i];
}

TEST(Simulate, DeterministicAcrossThreadCountsAndRuns) {
  cs::CompanyOptions o{.n_accounts = 700, .months = 14, .seed = 99};
  o.threads = 1;
  const auto one = cs::company(o);
  o.threads = 2;
  const auto two = cs::company(o);
  o.threads = 4;
  const auto four = cs::company(o);
  const auto again = cs::company(o);
  for (const auto* other : {&two, &four, &again}) {
    EXPECT_TRUE(same_log(one.events, other->events));
    EXPECT_TRUE(same_table(one.accounts, other->accounts));
    EXPECT_TRUE(same_table(one.feedback, other->feedback));
    EXPECT_EQ(one.truth.to_json(), other->truth.to_json());
  }
  o.seed = 100;
  const auto other_seed = cs::company(o);
  EXPECT_FALSE(same_log(one.events, other_seed.events));
}

TEST(Simulate, SaveWritesByteIdenticalFilesForASeed) {
  const auto dir = std::filesystem::temp_directory_path() / "cxkit_test_simulate_save";
  std::filesystem::remove_all(dir);
  const cs::CompanyOptions o{.n_accounts = 300, .months = 12, .seed = 5};
  cs::save(cs::company(o), (dir / "a").string());
  cs::save(cs::company(o), (dir / "b").string());
  cs::save(cs::company({.n_accounts = 300, .months = 12, .seed = 6}), (dir / "c").string());
  for (const char* f : {"accounts.csv", "events.csv", "feedback.csv", "truth.json"}) {
    const std::string a = read_file(dir / "a" / f), b = read_file(dir / "b" / f), c = read_file(dir / "c" / f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, b) << f;
    EXPECT_NE(a, c) << f;
    EXPECT_TRUE(cs::detail::is_valid_utf8(a)) << f;
  }
  const std::string events = read_file(dir / "a" / "events.csv");
  EXPECT_EQ(events.substr(0, events.find('\n')), "case,activity,timestamp,ticket,priority,feature,actor,score,seats,amount");
  const std::string accounts = read_file(dir / "a" / "accounts.csv");
  EXPECT_EQ(accounts.substr(0, 13), "account,name,");
  // Names such as "Harbor Foods, Inc." hold a comma and are quoted (RFC 4180).
  EXPECT_NE(accounts.find(", Inc.\","), std::string::npos);
  const std::string feedback = read_file(dir / "a" / "feedback.csv");
  EXPECT_EQ(feedback.substr(0, feedback.find('\n')), "feedback,customer,time,channel,type,language,text,theme");
  const auto truth = nlohmann::json::parse(read_file(dir / "a" / "truth.json"));
  EXPECT_EQ(truth["schema"], "cxkit.simulate.truth/1");
  EXPECT_EQ(truth["churn"]["drivers"].size(), 10u);
  std::filesystem::remove_all(dir);
}

TEST(Simulate, EventsCsvReadsBackIntoTheSameLog) {
  const auto dir = std::filesystem::temp_directory_path() / "cxkit_test_simulate_roundtrip";
  std::filesystem::remove_all(dir);
  const auto c = cs::company({.n_accounts = 200, .months = 12, .seed = 3});
  cs::save(c, dir.string());
  cxkit::io::CsvOptions options;
  options.case_column = "case";
  options.activity_column = "activity";
  options.timestamp_column = "timestamp";
  options.categorical_columns = {"ticket", "priority", "feature", "actor"};
  options.numeric_columns = {"score", "seats", "amount"};
  const EventLog back = cxkit::io::read_csv((dir / "events.csv").string(), options);
  ASSERT_EQ(back.size(), c.events.size());
  ASSERT_EQ(back.n_cases(), c.events.n_cases());
  EXPECT_TRUE(std::equal(back.timestamps().begin(), back.timestamps().end(), c.events.timestamps().begin()));
  for (std::size_t i = 0; i < back.size(); ++i) {
    ASSERT_EQ(back.case_names().name(back.case_ids()[i]), c.events.case_names().name(c.events.case_ids()[i]));
    ASSERT_EQ(back.activity_names().name(back.activity_ids()[i]),
              c.events.activity_names().name(c.events.activity_ids()[i]));
  }
  for (const Column& col : c.events.attributes()) {
    const Column& other = back.attribute(col.name());
    for (std::size_t i = 0; i < col.size(); ++i) ASSERT_EQ(col.value_string(i), other.value_string(i)) << col.name();
  }
  std::filesystem::remove_all(dir);
}

TEST(Simulate, EveryAccountStartsWithSignedAndEventsAreSortedInsideThePeriod) {
  const auto& c = small_company();
  const auto& log = c.events;
  const auto signed_id = activity_id(log, "signed");
  const auto start = cxkit::to_micros(c.truth.start), end = cxkit::to_micros(c.truth.end);
  const AccountView av{c};
  for (std::size_t k = 0; k < log.n_cases(); ++k) {
    const auto b = log.case_begin(k), e = log.case_end(k);
    ASSERT_LT(b, e);
    ASSERT_EQ(log.activity_ids()[b], signed_id) << k;
    EXPECT_EQ(log.timestamps()[b], av.signup[k]);
    std::size_t n_signed = 0;
    for (auto i = b; i < e; ++i) {
      n_signed += log.activity_ids()[i] == signed_id ? 1 : 0;
      EXPECT_GE(log.timestamps()[i], start);
      EXPECT_LT(log.timestamps()[i], end);
      if (i > b) EXPECT_LE(log.timestamps()[i - 1], log.timestamps()[i]);
    }
    EXPECT_EQ(n_signed, 1u);
  }
  // Ids follow the signup date (a local date: up to a day either side in UTC).
  for (std::size_t k = 1; k < av.signup.size(); ++k) EXPECT_LE(av.signup[k - 1] / kDay, av.signup[k] / kDay + 2);
}

TEST(Simulate, ChurnedAccountsStopAtTheirChurnDate) {
  const auto& c = small_company();
  const auto& log = c.events;
  const AccountView av{c};
  const auto churned_id = activity_id(log, "churned");
  const auto& churned = c.accounts.column("churned").numbers();
  const auto& renewal = c.accounts.column("renewal_date");
  std::size_t n_churned = 0;
  for (std::size_t k = 0; k < log.n_cases(); ++k) {
    const auto b = log.case_begin(k), e = log.case_end(k);
    std::size_t churn_events = 0;
    for (auto i = b; i < e; ++i) churn_events += log.activity_ids()[i] == churned_id ? 1 : 0;
    if (av.churned(k)) {
      ++n_churned;
      EXPECT_EQ(churned[k], 1.0);
      EXPECT_EQ(churn_events, 1u);
      EXPECT_EQ(log.activity_ids()[e - 1], churned_id) << k;  // nothing after it, usage included
      EXPECT_EQ(log.timestamps()[e - 1], av.churn[k]);
      EXPECT_LT(log.timestamps()[e - 2], av.churn[k]);
      EXPECT_TRUE(renewal.is_missing(k));
    } else {
      EXPECT_EQ(churned[k], 0.0);
      EXPECT_EQ(churn_events, 0u);
      EXPECT_FALSE(renewal.is_missing(k));
      EXPECT_GE(renewal.times()[k], av.end);
    }
  }
  EXPECT_EQ(n_churned, c.truth.churn.churned_accounts);
}

TEST(Simulate, RealisedChurnRateIsNearTheConfiguredRate) {
  const cs::Company high = cs::company({.n_accounts = 8000, .seed = 12, .annual_churn_rate = 0.35});
  for (const cs::Company* company : {&large_company(), &high}) {
    const double rate = company->options.annual_churn_rate;
    const AccountView av{*company};
    double churns = 0, exposure = 0;
    for (std::size_t k = 0; k < company->accounts.size(); ++k) {
      churns += av.churned(k) ? 1 : 0;
      exposure += av.exposure(k);
    }
    // Churns per account-period against the configured annual rate 1 - exp(-12 lambda);
    // churn counts are close to Poisson, so SE(lambda) ~ sqrt(churns) / exposure.
    const double target = -std::log(1 - rate) / 12;
    const double realised = churns / exposure;
    EXPECT_NEAR(realised, target, 4 * std::sqrt(churns) / exposure) << rate;
    EXPECT_NEAR(company->truth.churn.realised_annual_rate, 1 - std::exp(-12 * realised), 1e-12);
    EXPECT_NEAR(company->truth.churn.exposure_periods, exposure, 1e-6 * exposure);
  }
}

TEST(Simulate, ChurnDriversMoveChurnTheWayTheTruthSays) {
  const auto& c = large_company();
  const auto& log = c.events;
  const AccountView av{c};
  const auto signed_id = activity_id(log, "signed"), welcome_id = activity_id(log, "welcome sent");
  const double target = c.options.welcome_target_hours * kHour;
  // Missed welcome (measured from the events): churn rate ratio ~ exp(0.40) = 1.49 (driver
  // independent of the others by construction; attenuated slightly by selection).
  double churn[2] = {0, 0}, exposure[2] = {0, 0};
  const auto& tier = c.accounts.column("tier");
  const auto& contract = c.accounts.column("contract");
  double smb_churn[2] = {0, 0}, smb_exposure[2] = {0, 0};
  for (std::size_t k = 0; k < log.n_cases(); ++k) {
    std::int64_t signed_at = 0, welcome_at = -1;
    for (auto i = log.case_begin(k); i < log.case_end(k); ++i) {
      if (log.activity_ids()[i] == signed_id) signed_at = log.timestamps()[i];
      if (log.activity_ids()[i] == welcome_id && welcome_at < 0) welcome_at = log.timestamps()[i];
    }
    if (welcome_at < 0 && av.stop(k) <= signed_at + target) continue;  // not decided
    const int missed = (welcome_at < 0 || welcome_at - signed_at > target) ? 1 : 0;
    churn[missed] += av.churned(k) ? 1 : 0;
    exposure[missed] += av.exposure(k);
    if (tier.value_string(k) == "SMB") {
      const int monthly = contract.value_string(k) == "monthly" ? 1 : 0;
      smb_churn[monthly] += av.churned(k) ? 1 : 0;
      smb_exposure[monthly] += av.exposure(k);
    }
  }
  ASSERT_GT(churn[1], 100);
  const double welcome_ratio = (churn[1] / exposure[1]) / (churn[0] / exposure[0]);
  EXPECT_GT(welcome_ratio, 1.15);
  EXPECT_LT(welcome_ratio, 2.0);
  // Monthly vs annual contracts among SMB accounts: exp(0.70) = 2.0.
  const double contract_ratio = (smb_churn[1] / smb_exposure[1]) / (smb_churn[0] / smb_exposure[0]);
  EXPECT_GT(contract_ratio, 1.4);
  EXPECT_LT(contract_ratio, 2.9);
  // Every driver named in the truth, with the documented signs.
  std::map<std::string, double> beta;
  for (const auto& d : c.truth.churn.drivers) beta[d.name] = d.coefficient;
  EXPECT_LT(beta.at("usage_trend"), 0);
  EXPECT_LT(beta.at("feature_breadth"), 0);
  EXPECT_GT(beta.at("open_p0_p1_tickets"), 0);
  EXPECT_GT(beta.at("missed_welcome"), 0);
  EXPECT_GT(beta.at("missed_first_replies_90d"), 0);
  EXPECT_GT(beta.at("nps_detractor"), 0);
  EXPECT_GT(beta.at("contract_monthly"), 0);
  EXPECT_LT(beta.at("tier_enterprise"), 0);
}

TEST(Simulate, StaffActOnlyInTheirHubsWorkingHours) {
  const auto& c = small_company();
  const auto& log = c.events;
  std::map<std::string, cxkit::Calendar> calendars;
  for (const auto& hub : c.truth.support_hubs) calendars.emplace(hub.name, hub.calendar());
  const auto& hub = c.accounts.column("support_hub");
  std::set<std::uint32_t> staff;
  for (const char* a : {"first reply", "agent update", "resolved", "welcome sent", "kickoff call", "training completed",
                        "go-live", "check-in", "QBR", "expansion"})
    staff.insert(activity_id(log, a));
  const auto first_reply = activity_id(log, "first reply"), opened = activity_id(log, "ticket opened");
  const auto& ticket = log.attribute("ticket");
  std::size_t replies = 0, checked = 0, late = 0;
  const double target = c.options.first_reply_target_hours;
  for (std::size_t k = 0; k < log.n_cases(); ++k) {
    const cxkit::Calendar& cal = calendars.at(hub.value_string(k));
    std::map<std::uint32_t, std::int64_t> opened_at;
    for (auto i = log.case_begin(k); i < log.case_end(k); ++i) {
      const auto a = log.activity_ids()[i];
      if (a == opened) opened_at[ticket.codes()[i]] = log.timestamps()[i];
      if (!staff.count(a)) continue;
      ++checked;
      ASSERT_TRUE(cal.is_working_time(log.timestamp(i)))
          << c.events.case_names().name(static_cast<std::uint32_t>(k)) << " " << cs::kActivityNames[a] << " "
          << cxkit::format_iso8601(log.timestamp(i)) << " " << hub.value_string(k);
      if (a == first_reply) {
        ++replies;
        const auto o = opened_at.at(ticket.codes()[i]);
        ASSERT_LT(o, log.timestamps()[i]);
        const double business_hours =
            static_cast<double>(cal.business_duration(cxkit::from_micros(o), log.timestamp(i)).count()) / kHour;
        late += business_hours > target ? 1 : 0;
      }
    }
  }
  EXPECT_GT(replies, 5000u);
  EXPECT_GT(checked, replies);
  // Measured independently with the hub calendars, the late share matches the truth's count.
  const auto& moment = c.truth.moments[1];
  EXPECT_EQ(moment.stop_activity, "first reply");
  EXPECT_NEAR(static_cast<double>(late) / replies, static_cast<double>(moment.missed) / moment.opportunities, 0.01);
  EXPECT_GT(late, replies / 10);
  EXPECT_LT(late, replies / 2);
}

TEST(Simulate, NpsAndCsatScoresFollowTheModel) {
  const auto& c = large_company();
  const auto& log = c.events;
  const auto nps = activity_id(log, "nps answered"), csat = activity_id(log, "csat answered");
  const auto& score = log.attribute("score").numbers();
  double promoters = 0, passives = 0, detractors = 0, n = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto a = log.activity_ids()[i];
    if (a == nps) {
      const double s = score[i];
      ASSERT_EQ(s, std::floor(s));
      ASSERT_GE(s, 0);
      ASSERT_LE(s, 10);
      n += 1;
      promoters += s >= 9;
      detractors += s <= 6;
      passives += s == 7 || s == 8;
    } else if (a == csat) {
      ASSERT_EQ(score[i], std::floor(score[i]));
      ASSERT_GE(score[i], 1);
      ASSERT_LE(score[i], 5);
    } else {
      ASSERT_TRUE(std::isnan(score[i]));
    }
  }
  ASSERT_EQ(static_cast<std::size_t>(n), c.truth.nps.answers);
  const auto& t = c.truth.nps;
  EXPECT_NEAR(t.expected_promoter_share + t.expected_passive_share + t.expected_detractor_share, 1.0, 1e-9);
  // The realised shares are binomial draws around the model's implied shares.
  for (auto [got, want] : {std::pair{promoters / n, t.expected_promoter_share},
                           std::pair{passives / n, t.expected_passive_share},
                           std::pair{detractors / n, t.expected_detractor_share}})
    EXPECT_NEAR(got, want, 4 * std::sqrt(want * (1 - want) / n));
  // A plausible B2B distribution: NPS between -10 and +40, every category well populated.
  const double score_nps = 100 * (promoters - detractors) / n;
  EXPECT_GT(score_nps, -10);
  EXPECT_LT(score_nps, 40);
  EXPECT_GT(detractors / n, 0.1);
  EXPECT_GT(promoters / n, 0.2);
}

TEST(Simulate, MissedFirstRepliesLowerTheNextNps) {
  // The model subtracts 1.0 per late first reply in the 90 days before an answer (up to 2).
  // Late replies are independent of engagement, so the difference in mean score between
  // answers with and without such a miss estimates that effect (attenuated by rounding and
  // clamping, and by the few answers with two misses).
  const auto& c = large_company();
  const auto& log = c.events;
  std::map<std::string, cxkit::Calendar> calendars;
  for (const auto& hub : c.truth.support_hubs) calendars.emplace(hub.name, hub.calendar());
  const auto& hub = c.accounts.column("support_hub");
  const auto nps = activity_id(log, "nps answered"), opened = activity_id(log, "ticket opened"),
             reply = activity_id(log, "first reply");
  const auto& score = log.attribute("score").numbers();
  const auto& ticket = log.attribute("ticket").codes();
  const auto& tier = c.accounts.column("tier");
  double sum[2] = {0, 0}, count[2] = {0, 0};
  for (std::size_t k = 0; k < log.n_cases(); ++k) {
    if (tier.value_string(k) != "SMB") continue;  // one tier: one intercept
    const cxkit::Calendar& cal = calendars.at(hub.value_string(k));
    std::map<std::uint32_t, std::int64_t> open_time, deadline, first;
    for (auto i = log.case_begin(k); i < log.case_end(k); ++i) {
      const auto a = log.activity_ids()[i];
      const std::int64_t t = log.timestamps()[i];
      if (a == opened) {
        open_time[ticket[i]] = t;
        deadline[ticket[i]] = cxkit::to_micros(cal.add_business_time(
            log.timestamp(i), cxkit::Duration{static_cast<std::int64_t>(c.options.first_reply_target_hours * kHour)}));
      } else if (a == reply) {
        first[ticket[i]] = t;
      } else if (a == nps) {
        int missed = 0;
        for (const auto& [id, o] : open_time)
          if (o >= t - 90 * kDay && deadline[id] < t && (!first.count(id) || first[id] > deadline[id])) ++missed;
        const int group = missed > 0 ? 1 : 0;
        sum[group] += score[i];
        count[group] += 1;
      }
    }
  }
  ASSERT_GT(count[1], 100);
  const double effect = sum[1] / count[1] - sum[0] / count[0];
  EXPECT_LT(effect, -0.5);
  EXPECT_GT(effect, -1.6);
}

TEST(Simulate, LanguagesAppearInTheConfiguredShares) {
  const auto& c = large_company();
  const auto& lang = c.accounts.column("language");
  std::map<std::string, double> count;
  for (std::size_t k = 0; k < c.accounts.size(); ++k) count[lang.value_string(k)] += 1;
  const double n = static_cast<double>(c.accounts.size());
  const cs::LanguageMix mix;
  for (auto [code, share] : {std::pair{"en", mix.en}, {"ru", mix.ru}, {"pt", mix.pt}, {"fa", mix.fa}})
    EXPECT_NEAR(count[code] / n, share, 4 * std::sqrt(share * (1 - share) / n)) << code;
  // Feedback: an account's language, or English for a share of non-English accounts' items.
  const auto& fb_lang = c.feedback.column("language");
  const auto& customer = c.feedback.column("customer");
  double own = 0, english_instead = 0, foreign = 0;
  std::map<std::string, int> scripts;
  for (std::size_t r = 0; r < c.feedback.size(); ++r) {
    const auto row = *c.accounts.row_of(customer.value_string(r));
    const std::string account_lang = lang.value_string(row), item_lang = fb_lang.value_string(r);
    if (account_lang == "en") {
      EXPECT_EQ(item_lang, "en");
      continue;
    }
    foreign += 1;
    own += item_lang == account_lang;
    english_instead += item_lang == "en";
    ++scripts[item_lang];
  }
  EXPECT_EQ(own + english_instead, foreign);
  const double p = c.options.text.english_share;
  EXPECT_NEAR(english_instead / foreign, p, 4 * std::sqrt(p * (1 - p) / foreign));
  EXPECT_GT(scripts["ru"], 100);
  EXPECT_GT(scripts["pt"], 100);
  EXPECT_GT(scripts["fa"], 100);
}

TEST(Simulate, FeedbackTextIsRealAndVaried) {
  const auto& c = large_company();
  const auto& text = c.feedback.column("text");
  const auto& lang = c.feedback.column("language");
  std::size_t persian_arabic_letters = 0, persian_zwnj = 0, persian = 0, cyrillic = 0, russian = 0;
  std::set<std::string> distinct;
  for (std::size_t r = 0; r < c.feedback.size(); ++r) {
    const std::string t(text.text(r));
    ASSERT_TRUE(cs::detail::is_valid_utf8(t));
    ASSERT_FALSE(t.empty());
    distinct.insert(t);
    if (lang.value_string(r) == "fa") {
      ++persian;
      persian_arabic_letters += (t.find("\u064a") != std::string::npos || t.find("\u0643") != std::string::npos);
      persian_zwnj += t.find("\u200c") != std::string::npos;
    } else if (lang.value_string(r) == "ru") {
      ++russian;
      cyrillic += t.find("\xd0") != std::string::npos || t.find("\xd1") != std::string::npos;
    }
  }
  EXPECT_EQ(cyrillic, russian);
  EXPECT_GT(persian_arabic_letters, persian / 5);  // configured 0.30 (some texts lack yeh/kaf)
  EXPECT_LT(persian_arabic_letters, persian / 2);
  EXPECT_GT(persian_zwnj, persian / 3);
  // Paraphrases, typos and casing make most items distinct.
  EXPECT_GT(distinct.size(), c.feedback.size() / 3);
}

TEST(Simulate, ThemeCountsTrackTheirSchedules) {
  const auto& c = large_company();
  const auto& f = c.truth.feedback;
  const std::size_t months = f.month_starts.size() - 1;
  ASSERT_EQ(months, 24u);
  // Count scheduled themed items per theme and month from the table itself.
  std::map<std::string, std::size_t> theme_index;
  for (std::size_t t = 0; t < f.themes.size(); ++t) theme_index[f.themes[t].key] = t;
  std::vector<std::vector<double>> observed(f.themes.size(), std::vector<double>(months, 0));
  const auto& theme = c.feedback.column("theme");
  const auto& channel = c.feedback.column("channel");
  const auto& time = c.feedback.column("time").times();
  for (std::size_t r = 0; r < c.feedback.size(); ++r) {
    if (theme.is_missing(r) || channel.value_string(r) == "NPS survey") continue;
    std::size_t m = 0;
    while (m + 1 < months && time[r] >= cxkit::to_micros(f.month_starts[m + 1])) ++m;
    observed[theme_index.at(theme.value_string(r))][m] += 1;
  }
  double chi2 = 0, mean_correlation = 0;
  int df = 0;
  for (std::size_t t = 0; t < f.themes.size(); ++t) {
    const auto& expected = f.themes[t].expected_items;
    double mo = 0, me = 0;
    for (std::size_t m = 0; m < months; ++m) {
      EXPECT_EQ(observed[t][m], static_cast<double>(f.themes[t].realised_items[m]));
      mo += observed[t][m];
      me += expected[m];
      if (expected[m] >= 1) {
        chi2 += (observed[t][m] - expected[m]) * (observed[t][m] - expected[m]) / expected[m];
        ++df;
      }
    }
    mo /= months;
    me /= months;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t m = 0; m < months; ++m) {
      sxy += (observed[t][m] - mo) * (expected[m] - me);
      sxx += (observed[t][m] - mo) * (observed[t][m] - mo);
      syy += (expected[m] - me) * (expected[m] - me);
    }
    // Poisson noise around E_m caps the correlation near sqrt(var(E) / (var(E) + mean(E)))
    // (0.77-0.98 here); over 24 months a sample correlation scatters by ~0.1 around it.
    const double correlation = sxy / std::sqrt(sxx * syy);
    EXPECT_GT(correlation, 0.5) << f.themes[t].key;
    mean_correlation += correlation / static_cast<double>(f.themes.size());
  }
  EXPECT_GT(mean_correlation, 0.85);
  // Poisson counts: the Pearson statistic is about chi-square(df); allow 5 sd.
  EXPECT_LT(chi2, df + 5 * std::sqrt(2.0 * df));
  // Shapes, per active account-month: dark mode rises, export fades, performance spikes.
  const auto rate = [&](const std::string& key, std::size_t m0, std::size_t m1) {
    double items = 0, active = 0;
    for (std::size_t m = m0; m < m1; ++m) {
      items += observed[theme_index.at(key)][m];
      active += f.active_account_months[m];
    }
    return items / active;
  };
  EXPECT_GT(rate("dark_mode", 18, 24), 1.6 * rate("dark_mode", 4, 10));
  EXPECT_LT(rate("export", 18, 24), 0.6 * rate("export", 4, 10));
  EXPECT_GT(rate("performance", 17, 19), 2.5 * rate("performance", 10, 14));
}

TEST(Simulate, FeedbackComesFromActiveCustomersInTimeOrder) {
  const auto& c = small_company();
  const AccountView av{c};
  const auto& customer = c.feedback.column("customer");
  const auto& time = c.feedback.column("time").times();
  const auto& type = c.feedback.column("type");
  const auto& channel = c.feedback.column("channel");
  for (std::size_t r = 0; r < c.feedback.size(); ++r) {
    const auto row = c.accounts.row_of(customer.value_string(r));
    ASSERT_TRUE(row.has_value());
    EXPECT_GE(time[r], av.signup[*row]);
    EXPECT_LT(time[r], av.stop(*row));
    if (r > 0) EXPECT_LE(time[r - 1], time[r]);
    EXPECT_EQ(type.value_string(r) == "NPS verbatim", channel.value_string(r) == "NPS survey");
  }
}

TEST(Simulate, TicketsAreConsistentJourneys) {
  const auto& c = small_company();
  const auto& log = c.events;
  const auto& ticket = log.attribute("ticket");
  const auto& priority = log.attribute("priority");
  const auto opened = activity_id(log, "ticket opened"), reply = activity_id(log, "first reply");
  std::map<std::uint32_t, std::uint32_t> owner;
  std::map<std::uint32_t, int> opens, replies;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (ticket.is_missing(i)) {
      EXPECT_TRUE(priority.is_missing(i));
      continue;
    }
    const auto id = ticket.codes()[i];
    EXPECT_FALSE(priority.is_missing(i));
    const auto [it, fresh] = owner.emplace(id, log.case_ids()[i]);
    EXPECT_EQ(it->second, log.case_ids()[i]);  // a ticket belongs to one account
    if (fresh) EXPECT_EQ(log.activity_ids()[i], opened);  // and starts with its opening
    opens[id] += log.activity_ids()[i] == opened;
    replies[id] += log.activity_ids()[i] == reply;
  }
  EXPECT_EQ(owner.size(), ticket.categories().size());
  for (const auto& [id, n] : opens) {
    EXPECT_EQ(n, 1);
    EXPECT_LE(replies[id], 1);
  }
}

TEST(Simulate, OnboardingDeviatesAtTheDocumentedRates) {
  const auto& c = large_company();
  const auto& log = c.events;
  const auto integrations = activity_id(log, "integrations connected"),
             training = activity_id(log, "training completed"), go_live = activity_id(log, "go-live"),
             workspace = activity_id(log, "workspace set up"), invited = activity_id(log, "users invited");
  double live = 0, no_integrations = 0, no_training = 0, loops = 0, swapped = 0, accounts = 0;
  for (std::size_t k = 0; k < log.n_cases(); ++k) {
    std::map<std::uint32_t, int> seen;
    std::int64_t first_workspace = -1, first_invited = -1;
    for (auto i = log.case_begin(k); i < log.case_end(k); ++i) {
      const auto a = log.activity_ids()[i];
      ++seen[a];
      if (a == workspace && first_workspace < 0) first_workspace = static_cast<std::int64_t>(i);
      if (a == invited && first_invited < 0) first_invited = static_cast<std::int64_t>(i);
    }
    accounts += 1;
    loops += seen[invited] > 1 || seen[workspace] > 1 || seen[integrations] > 1;
    swapped += first_invited >= 0 && first_workspace > first_invited;
    if (!seen[go_live]) continue;
    live += 1;
    no_integrations += seen[integrations] == 0;
    no_training += seen[training] == 0;
  }
  // Among accounts that went live, optional stages were skipped with their own probability
  // (skip decisions are independent of reaching go-live).
  const auto& stages = c.truth.onboarding.stages;
  const double p_int = stages[5].skip, p_train = stages[6].skip;
  EXPECT_EQ(stages[5].activity, "integrations connected");
  EXPECT_TRUE(stages[5].optional);
  EXPECT_NEAR(no_integrations / live, p_int, 4 * std::sqrt(p_int * (1 - p_int) / live));
  EXPECT_NEAR(no_training / live, p_train, 4 * std::sqrt(p_train * (1 - p_train) / live));
  EXPECT_GT(loops / accounts, 0.05);
  EXPECT_GT(swapped / accounts, 0.02);
}

TEST(Simulate, MomentsOfTruthAreMissedSometimes) {
  const auto& c = small_company();
  ASSERT_EQ(c.truth.moments.size(), 3u);
  for (const auto& m : c.truth.moments) {
    EXPECT_GT(m.opportunities, 0u) << m.name;
    EXPECT_GT(m.missed, m.opportunities / 20) << m.name;
    EXPECT_LT(m.missed, m.opportunities / 2) << m.name;
  }
  EXPECT_EQ(c.truth.moments[0].name, "welcome within 1 day");
  EXPECT_EQ(c.truth.moments[1].name, "first reply within 4 business hours");
  EXPECT_GT(c.truth.moments[0].hazard_coefficient, 0);
  EXPECT_LT(c.truth.moments[1].nps_effect, 0);
  EXPECT_EQ(c.truth.moments[2].hazard_coefficient, 0);
}

TEST(Simulate, InvalidOptionsNameTheOption) {
  const auto expect_bad = [](cs::CompanyOptions o, const std::string& name) {
    try {
      cs::company(o);
      ADD_FAILURE() << "no error for " << name;
    } catch (const cxkit::InputError& e) {
      EXPECT_EQ(e.location().column, name);
    }
  };
  expect_bad({.n_accounts = 0}, "n_accounts");
  expect_bad({.months = 2}, "months");
  expect_bad({.annual_churn_rate = 1.0}, "annual_churn_rate");
  expect_bad({.annual_churn_rate = 0.0}, "annual_churn_rate");
  expect_bad({.tiers = {0, 0, 0}}, "tiers");
  expect_bad({.languages = {-1, 1, 1, 1}}, "languages");
  expect_bad({.first_reply_target_hours = 0}, "first_reply_target_hours");
  expect_bad({.nps_response_rate = 1.5}, "nps_response_rate");
  cs::CompanyOptions o;
  o.text.typo_rate = -0.1;
  expect_bad(o, "text.typo_rate");
}

TEST(Simulate, OptionsShapeTheCompany) {
  // Only Russian-speaking enterprise accounts: all on annual contracts, all served from CIS.
  const auto c = cs::company({.n_accounts = 300, .months = 6, .tiers = {0, 0, 1}, .languages = {0, 1, 0, 0}});
  for (std::size_t k = 0; k < c.accounts.size(); ++k) {
    EXPECT_EQ(c.accounts.column("tier").value_string(k), "Enterprise");
    EXPECT_EQ(c.accounts.column("language").value_string(k), "ru");
    EXPECT_EQ(c.accounts.column("support_hub").value_string(k), "CIS");
    EXPECT_EQ(c.accounts.column("contract").value_string(k), "annual");
  }
  EXPECT_EQ(c.truth.feedback.month_starts.size(), 7u);
  EXPECT_EQ(cxkit::format_iso8601(c.truth.end), "2024-07-01T00:00:00Z");
}
