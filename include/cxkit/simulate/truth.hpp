// The ground truth behind a simulated company: the parameters of every process that
// generated the data (so an analysis can be checked against them) plus a few realised
// counts. docs/simulator.md states the model these numbers belong to.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/simulate/catalogue.hpp"

namespace cxkit::simulate {

/// One named covariate of the churn hazard, computable from the data at any instant t.
struct ChurnDriver {
  std::string name;        ///< e.g. "usage_trend"
  std::string definition;  ///< how x(t) is computed from the events before t
  double coefficient = 0;  ///< beta: log hazard ratio per unit of x
};

/// The churn process: a piecewise-constant hazard per account and period.
/// In period k of an account's tenure, [signup + k P, signup + (k+1) P) with P = period_days,
/// the churn intensity is exp(b0 + sum_j beta_j x_j(signup + k P)), so the probability of
/// churning within a whole period is h = 1 - exp(-exp(b0 + sum beta x)) (complementary
/// log-log link; beta are log hazard ratios as a Cox model estimates them).
struct ChurnTruth {
  double baseline_log_hazard = 0;  ///< b0, calibrated so the expected rate equals the target
  double period_days = 30.436875;  ///< P: one twelfth of a Gregorian year
  double target_annual_rate = 0;   ///< CompanyOptions::annual_churn_rate
  double realised_annual_rate = 0;  ///< 1 - exp(-12 churned / exposure_periods)
  std::size_t churned_accounts = 0;
  double exposure_periods = 0;  ///< sum over accounts of (min(churn, end) - signup) / P
  std::vector<ChurnDriver> drivers;
};

/// A moment of truth and its true effects.
struct MomentOfTruth {
  std::string name;            ///< e.g. "first reply within 4 business hours"
  std::string start_activity;  ///< the clock starts at this event ...
  std::string stop_activity;   ///< ... and stops at the first of these after it
  double target_hours = 0;
  std::string clock;           ///< "elapsed" or "business hours of the account's support hub"
  std::string hazard_driver;   ///< the ChurnDriver that counts misses
  double hazard_coefficient = 0;  ///< its coefficient (log hazard ratio per miss)
  double nps_effect = 0;          ///< added to the NPS latent mean per counted miss
  std::string nps_definition;     ///< which misses count for an answer
  std::size_t opportunities = 0;  ///< realised: clocks started (in the output)
  std::size_t missed = 0;         ///< realised: of which breached
};

/// NPS answers: score = clamp(round(mu + sigma z), 0, 10), z standard normal, with
/// mu = intercept[tier] + engagement_coefficient * e + missed_welcome_effect * [welcome missed]
///      + missed_first_reply_effect * min(2, first replies missed in the 90 days before)
///      + open_p0_p1_effect * min(2, P0/P1 tickets open at the answer),
/// e the account's latent engagement that week (unobserved; drives usage).
struct NpsTruth {
  std::array<double, 3> intercept_by_tier{};  ///< SMB, Mid-market, Enterprise
  double engagement_coefficient = 0;
  double missed_welcome_effect = 0;
  double missed_first_reply_effect = 0;
  double open_p0_p1_effect = 0;
  double sigma = 0;
  double response_rate = 0;
  std::vector<int> survey_days;  ///< tenure days at which surveys go out
  /// Model-implied shares: mean over the answers in the output of P(category | mu).
  double expected_promoter_share = 0, expected_passive_share = 0, expected_detractor_share = 0;
  std::size_t answers = 0;
};

/// One stage of the designed onboarding journey and the probabilities of deviating there.
struct OnboardingStage {
  std::string activity;
  bool optional = false;
  std::string actor;              ///< who performs it
  std::string clock;              ///< how its delay after the previous stage runs
  double median_delay_hours = 0;  ///< median delay after the previous stage (log-normal)
  double delay_sigma = 0;         ///< log-scale standard deviation of that delay
  double skip = 0;          ///< P(stage left out)
  double stall = 0;         ///< P(its delay multiplied by a factor in [stall_factor_min, max])
  double loop = 0;          ///< P(the previous stage and this one are repeated right after it)
  double out_of_order = 0;  ///< P(it swaps places with the next stage performed)
  double abandon = 0;       ///< P(onboarding stops before this stage, for good)
};

struct OnboardingTruth {
  std::vector<OnboardingStage> stages;  ///< in designed order
  double stall_factor_min = 0, stall_factor_max = 0;
};

/// A planted feedback theme and its demand schedule.
struct ThemeTruth {
  std::string key;    ///< kThemeKeys entry, as in the feedback table's theme column
  std::string label;  ///< readable name
  /// Shares of the theme's scheduled items by FeedbackType (feature request, bug, praise,
  /// complaint, NPS verbatim); NPS verbatims are generated separately.
  std::array<double, 5> type_shares{};
  double base_rate = 0;  ///< items per 1000 active account-months when the shape is 1
  std::string shape;     ///< "rising", "fading", "steady", "bump", "spike", "late rise"
  std::vector<double> shape_values;    ///< multiplier per calendar month
  std::vector<double> expected_items;  ///< per calendar month: base_rate * shape * active/1000
  std::vector<std::size_t> realised_items;  ///< per calendar month, scheduled items only
};

/// Feedback items: scheduled themed items, off-topic noise and praise (Poisson counts per
/// calendar month, spread over active accounts in proportion to their active time), plus
/// NPS verbatims attached to NPS answers.
struct FeedbackTruth {
  std::vector<Timestamp> month_starts;        ///< months + 1 boundaries
  std::vector<double> active_account_months;  ///< per month: sum of active fractions
  std::vector<ThemeTruth> themes;
  double noise_rate = 0;   ///< off-topic items per 1000 active account-months
  double praise_rate = 0;  ///< generic praise per 1000 active account-months
  double verbatim_rate = 0;  ///< P(an NPS answer carries a verbatim)
  std::array<double, kThemeCount> detractor_theme_weights{};  ///< themes of detractors' verbatims
  std::array<double, kThemeCount> passive_theme_weights{};    ///< themes of passives' verbatims
};

/// A support/CSM team: its working week, holidays and people.
struct SupportHub {
  std::string name;
  std::string timezone;  ///< IANA
  Calendar::Week week;
  std::vector<boost::gregorian::date> holidays;
  std::vector<std::string> csms;  ///< account owners based here
  double reply_delay_factor = 1;  ///< multiplies first-reply delays (staffing)
  /// The hub's business calendar. Throws as Calendar's constructor does.
  Calendar calendar() const { return Calendar(timezone, week, holidays); }
};

struct Truth {
  std::uint64_t seed = 0;
  Timestamp start{}, end{};
  ChurnTruth churn;
  std::vector<MomentOfTruth> moments;  ///< welcome within 1 day; first reply within N business hours
  NpsTruth nps;
  OnboardingTruth onboarding;
  FeedbackTruth feedback;
  std::vector<SupportHub> support_hubs;

  /// The truth as a JSON document (schema "cxkit.simulate.truth/1", see docs/simulator.md).
  /// Deterministic: the same truth gives the same bytes.
  std::string to_json() const;
};

}  // namespace cxkit::simulate
