// One account's whole life: the processes in their fixed order, then (in the generating
// pass) churn, which cuts the history short.
//
// Every process draws from the account's own stream, in the same order in both passes, so
// the history up to any instant does not depend on whether or when the account churns:
// pass 1 can record the hazard path of the full, uncut history and pass 2 reproduces it.
#include <algorithm>

#include "model.hpp"

namespace cxkit::simulate::detail {

void simulate_account(const Context& ctx, std::size_t k, Pass pass, AccountSim& a) {
  a.reset(k);
  Rng rng(ctx.options.seed, kAccountStream, k);
  a.profile = draw_profile(ctx, k, rng);
  a.seat_changes.emplace_back(a.profile.signup, a.profile.seats);
  simulate_onboarding(ctx, a, rng);
  simulate_engagement(ctx, a, rng);
  simulate_commercial(ctx, a, rng);
  simulate_usage(ctx, a, rng);
  simulate_support(ctx, a, rng);
  simulate_surveys(ctx, a, rng, pass == Pass::generate);
  simulate_touches(ctx, a, rng);
  hazard_path(ctx, a);
  if (pass == Pass::calibrate) return;

  Rng churn_rng(ctx.options.seed, kChurnStream, k);
  a.churn_time = churn_instant(ctx, a, ctx.baseline, exponential(churn_rng));
  const std::int64_t cut = std::min(a.churn_time, ctx.end);
  std::erase_if(a.events, [cut](const RawEvent& e) { return e.t >= cut; });
  std::erase_if(a.verbatims, [cut](const RawFeedback& f) { return f.t >= cut; });
  if (a.churn_time != kNever)
    a.emit(a.churn_time, Activity::churned, Actor::customer, -a.arr_at(a.churn_time - 1), a.seats_at(a.churn_time - 1));
  // Stable: events at the same second keep the order their processes produced them in.
  std::stable_sort(a.events.begin(), a.events.end(), [](const RawEvent& x, const RawEvent& y) { return x.t < y.t; });
}

}  // namespace cxkit::simulate::detail
