// The onboarding journey: the designed sequence of stages and how real accounts deviate
// from it (skips, stalls, loops, swaps and abandonment), with staff steps on the hub's
// business calendar and customer steps in the customer's local daytime.
#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

struct StageModel {
  Activity activity;
  bool optional;
  Actor actor;
  bool business_clock;  // staff step: the delay runs on the hub calendar
  double median_hours, sigma;
  double skip, stall, loop, out_of_order, abandon;
};

// The designed journey. Delays are measured from the previous stage performed. The welcome
// is the first moment of truth: due within a day of signing, sent by a CSM in working hours.
constexpr std::array<StageModel, 9> kStages = {{
    {Activity::signed_contract, false, Actor::customer, false, 0, 0, 0, 0, 0, 0, 0},
    {Activity::welcome_sent, false, Actor::csm, true, 2.5, 1.3, 0, 0, 0, 0, 0},
    {Activity::kickoff_call, false, Actor::csm, true, 16, 0.7, 0.10, 0.05, 0, 0, 0},
    {Activity::workspace_set_up, false, Actor::customer, false, 36, 0.8, 0.03, 0.05, 0, 0.05, 0.02},
    {Activity::users_invited, false, Actor::customer, false, 24, 0.8, 0.05, 0.05, 0.06, 0.08, 0.02},
    {Activity::integrations_connected, true, Actor::customer, false, 72, 0.8, 0.35, 0.06, 0.08, 0.10, 0.03},
    {Activity::training_completed, true, Actor::csm, true, 24, 0.8, 0.40, 0.05, 0.05, 0, 0.03},
    {Activity::first_value_reached, false, Actor::customer, false, 120, 0.8, 0, 0.08, 0, 0, 0.04},
    {Activity::go_live, false, Actor::csm, true, 16, 0.7, 0, 0.04, 0, 0, 0.01},
}};
constexpr double kStallMin = 6.0, kStallMax = 20.0;
// Loops repeat the previous stage and this one, each after ~half a day.
constexpr double kLoopMedianHours = 12.0, kLoopSigma = 0.8;

// Engagement earned or lost in onboarding (added to the account's engagement level).
constexpr double kAbandonEffect = -0.6, kStallEffect = -0.15, kTrainingEffect = 0.15, kIntegrationEffect = 0.10;

}  // namespace

OnboardingTruth onboarding_parameters() {
  OnboardingTruth t;
  t.stall_factor_min = kStallMin;
  t.stall_factor_max = kStallMax;
  for (const auto& s : kStages) {
    OnboardingStage o;
    o.activity = std::string(activity_name(s.activity));
    o.optional = s.optional;
    o.actor = std::string(kActorNames[static_cast<std::size_t>(s.actor)]);
    o.clock = s.activity == Activity::signed_contract ? "" : (s.business_clock ? "business hours" : "elapsed, then customer daytime");
    o.median_delay_hours = s.median_hours;
    o.delay_sigma = s.sigma;
    o.skip = s.skip;
    o.stall = s.stall;
    o.loop = s.loop;
    o.out_of_order = s.out_of_order;
    o.abandon = s.abandon;
    t.stages.push_back(std::move(o));
  }
  return t;
}

void simulate_onboarding(const Context& ctx, AccountSim& a, Rng& rng) {
  const Calendar& cal = ctx.calendars[a.profile.hub];
  // First the path: which stages happen, in which order, which repeat. Then the clock: each
  // step waits its own stage's delay on its own clock (staff steps on the hub calendar,
  // customer steps in the customer's daytime), so a swapped pair keeps who does what when.
  struct Step {
    std::size_t stage;
    bool repeat;  // a loop's second visit: a shorter, rework delay
    bool stalled;
    std::int64_t t;
  };
  // At most 9 stages plus two repeats for each of the four stages that can loop.
  std::array<Step, 17> steps{};
  std::size_t n = 0;
  steps[n++] = {0, false, false, a.profile.signup};
  bool swap_pending = false, abandoned = false;
  int stalls = 0;
  for (std::size_t s = 1; s < kStages.size(); ++s) {
    const StageModel& st = kStages[s];
    if (rng.bernoulli(st.abandon)) {
      abandoned = true;
      break;
    }
    if (rng.bernoulli(st.skip)) continue;
    const bool stalled = rng.bernoulli(st.stall);
    stalls += stalled ? 1 : 0;
    const std::size_t previous = steps[n - 1].stage;
    steps[n++] = {s, false, stalled, 0};
    if (swap_pending) {  // the earlier stage happens after this one
      std::swap(steps[n - 1], steps[n - 2]);
      swap_pending = false;
    }
    if (previous != 0 && rng.bernoulli(st.loop)) {
      steps[n++] = {previous, true, false, 0};
      steps[n++] = {s, true, false, 0};
    }
    if (rng.bernoulli(st.out_of_order)) swap_pending = true;
  }
  std::int64_t t = a.profile.signup;
  for (std::size_t i = 1; i < n; ++i) {
    Step& step = steps[i];
    const StageModel& st = kStages[step.stage];
    double delay = step.repeat ? lognormal_median(rng, kLoopMedianHours, kLoopSigma)
                               : lognormal_median(rng, st.median_hours, st.sigma);
    if (step.stalled) delay *= rng.uniform(kStallMin, kStallMax);
    t = st.business_clock ? staff_time_after(cal, t, delay) : customer_time_after(ctx, a.profile, t + hours(delay), rng);
    step.t = t;
  }

  bool trained = false, integrated = false;
  a.usage_start = kNever;
  for (std::size_t i = 0; i < n; ++i) {
    const Step& step = steps[i];
    const StageModel& st = kStages[step.stage];
    if (step.stage == 0) {
      a.emit(step.t, st.activity, st.actor, a.arr_at(step.t), a.profile.seats);
    } else {
      a.emit(step.t, st.activity, st.actor);
    }
    if (step.stage == 1 && a.welcome == kNever) a.welcome = step.t;
    if (step.stage >= 3 && a.usage_start == kNever) a.usage_start = step.t;
    if (step.stage == 7 && a.first_value == kNever) a.first_value = step.t;
    trained |= step.stage == 6;
    integrated |= step.stage == 5;
  }
  // Accounts that never set up still poke around a little, from two days after the last step.
  if (a.usage_start == kNever) a.usage_start = steps[n - 1].t + 2 * kDay;
  a.onboarding_effect = (abandoned ? kAbandonEffect : 0.0) + kStallEffect * stalls +
                        (trained ? kTrainingEffect : 0.0) + (integrated ? kIntegrationEffect : 0.0);
}

}  // namespace cxkit::simulate::detail
