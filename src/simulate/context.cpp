// The shared context of one run: period, clocks, hubs and calendars, normalised mixes,
// the truth's parameters, and every account's signup day (which fixes the account ids).
#include <algorithm>
#include <cstdio>

#include <date/date.h>

#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

constexpr std::int64_t kLastSignupGap = 60 * kDay;  // every account is observed for 60+ days
constexpr double kWeekendSignup = 0.3;                // relative chance of a weekend signup day

int year_of(std::int64_t t) {
  const date::year_month_day ymd{date::sys_days{date::days{floor_div(t, kDay)}}};
  return static_cast<int>(ymd.year());
}

template <std::size_t N>
std::array<double, N> normalised(std::array<double, N> w) {
  double total = 0;
  for (double v : w) total += v;
  for (double& v : w) v /= total;
  return w;
}

// Signup days: company growth makes later days likelier (density 1 + x on the period's
// fraction x), weekends less likely. Accounts are numbered in order of their day.
std::vector<std::int64_t> draw_signup_days(const Context& ctx) {
  const std::size_t n = ctx.options.n_accounts;
  const std::int64_t first = floor_div(ctx.start, kDay);
  const std::int64_t span = std::max<std::int64_t>(1, floor_div(ctx.end - kLastSignupGap - ctx.start, kDay));
  std::vector<std::pair<std::int64_t, std::size_t>> draws(n);
  for (std::size_t i = 0; i < n; ++i) {
    Rng rng(ctx.options.seed, kSignupStream, i);
    for (;;) {
      const double x = std::sqrt(1.0 + 3.0 * rng.uniform()) - 1.0;  // inverse CDF of (x + x^2/2) / 1.5
      const std::int64_t day =
          first + std::min(span - 1, static_cast<std::int64_t>(std::floor(x * static_cast<double>(span))));
      if (weekday(day) < 5 || rng.bernoulli(kWeekendSignup)) {
        draws[i] = {day, i};
        break;
      }
    }
  }
  std::sort(draws.begin(), draws.end());
  std::vector<std::int64_t> days(n);
  for (std::size_t k = 0; k < n; ++k) days[k] = draws[k].first;
  return days;
}

std::string moment_name(const char* what, double hours, const char* unit) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s within %g %s", what, hours, unit);
  return buf;
}

}  // namespace

Context make_context(const CompanyOptions& o) {
  Context ctx;
  ctx.options = o;
  ctx.start = to_micros(o.start);
  ctx.end = add_months(ctx.start, o.months);
  ctx.zones = ZoneOffsets(floor_div(ctx.start, kDay) - 2, floor_div(ctx.end, kDay) + 2);
  ctx.truth.support_hubs = make_support_hubs(year_of(ctx.start), year_of(ctx.end) + 1);
  for (const auto& hub : ctx.truth.support_hubs) ctx.calendars.push_back(hub.calendar());
  ctx.tier_weights = normalised(std::array<double, 3>{o.tiers.smb, o.tiers.mid_market, o.tiers.enterprise});
  ctx.language_weights =
      normalised(std::array<double, 4>{o.languages.en, o.languages.ru, o.languages.pt, o.languages.fa});

  Truth& t = ctx.truth;
  t.seed = o.seed;
  t.start = from_micros(ctx.start);
  t.end = from_micros(ctx.end);
  t.churn.target_annual_rate = o.annual_churn_rate;
  t.churn.drivers = churn_drivers_truth(o);
  t.nps = nps_parameters(o);
  t.onboarding = onboarding_parameters();
  std::vector<std::int64_t> month_starts;
  for (int m = 0; m <= o.months; ++m) month_starts.push_back(add_months(ctx.start, m));
  t.feedback = feedback_parameters(o, month_starts);

  MomentOfTruth welcome;
  welcome.name = o.welcome_target_hours == 24 ? std::string("welcome within 1 day")
                                               : moment_name("welcome", o.welcome_target_hours, "hours");
  welcome.start_activity = "signed";
  welcome.stop_activity = "welcome sent";
  welcome.target_hours = o.welcome_target_hours;
  welcome.clock = "elapsed";
  welcome.hazard_driver = t.churn.drivers[3].name;
  welcome.hazard_coefficient = t.churn.drivers[3].coefficient;
  welcome.nps_effect = t.nps.missed_welcome_effect;
  welcome.nps_definition = "added to every later answer once the welcome was missed";
  MomentOfTruth reply;
  reply.name = moment_name("first reply", o.first_reply_target_hours, "business hours");
  reply.start_activity = "ticket opened";
  reply.stop_activity = "first reply";
  reply.target_hours = o.first_reply_target_hours;
  reply.clock = "business hours of the account's support hub";
  reply.hazard_driver = t.churn.drivers[4].name;
  reply.hazard_coefficient = t.churn.drivers[4].coefficient;
  reply.nps_effect = t.nps.missed_first_reply_effect;
  reply.nps_definition = "per ticket opened in the 90 days before the answer whose first reply was late, at most 2";
  MomentOfTruth follow_up;
  follow_up.name = moment_name("detractor contacted", kFollowUpTargetHours, "business hours");
  follow_up.start_activity = "nps answered";
  follow_up.stop_activity = "check-in";
  follow_up.target_hours = kFollowUpTargetHours;
  follow_up.clock = "business hours of the account's support hub";
  follow_up.nps_definition = "none: this moment has no true effect on churn or NPS";
  t.moments = {welcome, reply, follow_up};

  ctx.signup_day = draw_signup_days(ctx);
  return ctx;
}

}  // namespace cxkit::simulate::detail
