// Customer-success touches: routine check-ins, quarterly business reviews for larger
// accounts, and the follow-up call every detractor should get within a business day.
//
// The follow-up is a planted moment of truth with no true effect: it changes neither the
// churn hazard nor later NPS, so an analysis that credits it with one is measuring
// confounding.
#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

constexpr std::array<double, 3> kCheckInRate = {0.10, 0.45, 0.90};  // per period, by tier
constexpr double kQbrEnterprise = 0.85;   // P(QBR held) every 3rd period
constexpr double kQbrMidMarket = 0.60;    // every 6th period
constexpr std::int64_t kQbrWindow = 14 * kDay;
constexpr double kFollowUpProbability = 0.85;
constexpr double kFollowUpMedian = 8.0, kFollowUpSigma = 0.9;  // business hours

}  // namespace

void simulate_touches(const Context& ctx, AccountSim& a, Rng& rng) {
  const Profile& p = a.profile;
  const Calendar& cal = ctx.calendars[p.hub];
  for (std::int64_t k = 0;; ++k) {
    const std::int64_t tau = p.signup + k * kPeriod;
    if (tau >= ctx.end) break;
    const auto n = poisson(rng, kCheckInRate[static_cast<std::size_t>(p.tier)]);
    for (std::uint64_t i = 0; i < n; ++i) a.emit(staff_time_in(cal, tau, tau + kPeriod, rng), Activity::check_in, Actor::csm);
    const bool qbr = k > 0 && ((p.tier == Tier::enterprise && k % 3 == 0 && rng.bernoulli(kQbrEnterprise)) ||
                               (p.tier == Tier::mid_market && k % 6 == 0 && rng.bernoulli(kQbrMidMarket)));
    if (qbr) a.emit(staff_time_in(cal, tau, tau + kQbrWindow, rng), Activity::qbr, Actor::csm);
  }
  for (const NpsAnswer& answer : a.nps) {
    if (answer.score > 6) continue;
    if (!rng.bernoulli(kFollowUpProbability)) {
      a.follow_ups.emplace_back(answer.t, kNever);
      continue;
    }
    const std::int64_t t = staff_time_after(cal, answer.t, lognormal_median(rng, kFollowUpMedian, kFollowUpSigma));
    a.emit(t, Activity::check_in, Actor::csm);
    a.follow_ups.emplace_back(answer.t, t);
  }
}

}  // namespace cxkit::simulate::detail
