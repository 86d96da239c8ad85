// Product usage: a latent weekly engagement level per account, and the sampled sessions,
// feature use and active-seat snapshots it produces.
//
// Engagement e is an AR(1) process around the account's level mu, with rare level shocks
// (a champion leaves, a new team adopts the product). It is never observed directly: the
// churn drivers see only its traces in the log (login counts, features used).
#include <algorithm>

#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

constexpr std::array<double, 3> kLevelMean = {-0.10, 0.0, 0.15};  // by tier
constexpr double kLevelSd = 0.45;
constexpr double kRho = 0.85, kWeeklySd = 0.30;
constexpr double kShockProbability = 0.008, kShockMean = -0.30, kShockSd = 0.50;

constexpr std::array<double, 3> kLoginRate = {0.8, 1.0, 1.2};  // sampled sessions per week at e = 0
constexpr double kPreValueFactor = 0.5;     // before first value, half the sessions
constexpr double kFeaturesPerLogin = 0.8;
constexpr double kAdoptionRate = 0.04;      // per week, times popularity and e^e
// Popularity of kFeatureNames; enterprise accounts use api and sso three times as much.
constexpr std::array<double, 12> kPopularity = {1.0, 0.9, 0.7, 0.7, 0.5, 0.5, 0.4, 0.4, 0.35, 0.3, 0.15, 0.1};
constexpr double kActiveIntercept = 0.7, kActiveSlope = 1.2;  // share of seats active = logistic(a + b e)

}  // namespace

double AccountSim::engagement_at(std::int64_t t) const noexcept {
  if (engagement.empty()) return engagement_base;
  if (t < usage_start) return engagement.front();
  const auto w = static_cast<std::size_t>((t - usage_start) / kWeek);
  return engagement[std::min(w, engagement.size() - 1)];
}

void simulate_engagement(const Context& ctx, AccountSim& a, Rng& rng) {
  double mu = normal(rng, kLevelMean[static_cast<std::size_t>(a.profile.tier)], kLevelSd) + a.onboarding_effect;
  a.engagement_base = mu;
  const double stationary_sd = kWeeklySd / std::sqrt(1.0 - kRho * kRho);
  double e = mu + stationary_sd * normal(rng);
  for (std::int64_t w = a.usage_start; w < ctx.end; w += kWeek) {
    if (w != a.usage_start) {
      if (rng.bernoulli(kShockProbability)) mu += normal(rng, kShockMean, kShockSd);
      e = mu + kRho * (e - mu) + kWeeklySd * normal(rng);
    }
    a.engagement.push_back(e);
  }
}

void simulate_usage(const Context& ctx, AccountSim& a, Rng& rng) {
  const Profile& p = a.profile;
  std::array<double, 12> weight{};
  std::array<bool, 12> adopted{};
  adopted[0] = true;  // everyone lands on the dashboards
  adopted[1] = rng.bernoulli(0.6);
  std::array<double, 12> popularity = kPopularity;
  if (p.tier == Tier::enterprise) {
    popularity[10] *= 3.0;
    popularity[11] *= 3.0;
  }
  std::vector<std::int64_t> week_logins;
  for (std::size_t w = 0; w < a.engagement.size(); ++w) {
    const std::int64_t start = a.usage_start + static_cast<std::int64_t>(w) * kWeek;
    const std::int64_t stop = start + kWeek;
    const double e = a.engagement[w];
    const double level = exp_det(e);
    for (std::size_t f = 0; f < 12; ++f) {
      if (!adopted[f]) adopted[f] = rng.bernoulli(std::min(0.5, kAdoptionRate * popularity[f] * level));
      weight[f] = adopted[f] ? popularity[f] : 0.0;
    }
    const double factor = a.first_value <= start ? 1.0 : kPreValueFactor;
    const auto n = poisson(rng, kLoginRate[static_cast<std::size_t>(p.tier)] * level * factor);
    week_logins.clear();
    for (std::uint64_t i = 0; i < n; ++i) week_logins.push_back(customer_time_in(ctx, p, start, stop, rng));
    std::sort(week_logins.begin(), week_logins.end());
    for (std::int64_t t : week_logins) {
      a.emit(t, Activity::login, Actor::customer);
      a.logins.push_back(t);
      const auto m = poisson(rng, kFeaturesPerLogin);
      for (std::uint64_t j = 0; j < m; ++j) {
        const std::int64_t tf = t + floor_to_second(hours(rng.uniform(1.0 / 60.0, 0.75)));
        const auto f = static_cast<std::uint8_t>(categorical(rng, weight));
        a.emit_feature(tf, f);
        a.features.emplace_back(tf, f);
      }
    }
    if (stop < ctx.end) {
      const std::int64_t seats = a.seats_at(stop);
      const double share = logistic(kActiveIntercept + kActiveSlope * e);
      const double mean = static_cast<double>(seats) * share;
      const double sd = std::sqrt(mean * (1.0 - share));
      const double active = std::clamp(std::round(mean + sd * normal(rng)), 0.0, static_cast<double>(seats));
      a.emit(stop, Activity::seats_active, Actor::system, std::numeric_limits<double>::quiet_NaN(),
             static_cast<std::int64_t>(active));
    }
  }
  std::stable_sort(a.features.begin(), a.features.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
}

}  // namespace cxkit::simulate::detail
