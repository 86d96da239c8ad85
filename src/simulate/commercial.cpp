// The commercial life of an account: seat expansions and downgrades driven by engagement,
// and contract renewals (yearly or monthly anniversaries of signing).
#include <algorithm>

#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

constexpr double kExpansionRate = 0.012;  // per period at e = 0
constexpr double kDowngradeRate = 0.006;
constexpr double kEngagementSlope = 0.8;  // rates scale with exp(+-0.8 e)
constexpr double kEnterpriseExpansion = 1.5;

}  // namespace

std::int64_t AccountSim::seats_at(std::int64_t t) const noexcept {
  for (std::size_t i = seat_changes.size(); i-- > 0;)
    if (seat_changes[i].first <= t) return seat_changes[i].second;
  return seat_changes.empty() ? profile.seats : seat_changes.front().second;
}

void simulate_commercial(const Context& ctx, AccountSim& a, Rng& rng) {
  const Profile& p = a.profile;
  const Calendar& cal = ctx.calendars[p.hub];
  std::int64_t seats = p.seats;
  for (std::int64_t k = 2;; ++k) {
    const std::int64_t tau = p.signup + k * kPeriod;
    if (tau >= ctx.end) break;
    const double e = a.engagement_at(tau);
    const double grow = kExpansionRate * exp_det(kEngagementSlope * e) *
                        (p.tier == Tier::enterprise ? kEnterpriseExpansion : 1.0);
    const double shrink = kDowngradeRate * exp_det(-kEngagementSlope * e);
    const double u = rng.uniform();
    // Changes land in the first half of the period, so they stay in order even when a
    // staff action waits out a long holiday.
    const std::int64_t window_end = tau + kPeriod / 2;
    const double old_arr = std::round(static_cast<double>(seats) * p.seat_price_year);
    if (u < grow) {
      const std::int64_t t = std::max(staff_time_in(cal, tau, window_end, rng), a.seat_changes.back().first + kSecond);
      seats += std::max<std::int64_t>(1, static_cast<std::int64_t>(std::round(static_cast<double>(seats) * rng.uniform(0.1, 0.5))));
      a.seat_changes.emplace_back(t, seats);
      a.emit(t, Activity::expansion, Actor::csm, std::round(static_cast<double>(seats) * p.seat_price_year) - old_arr,
             seats);
    } else if (u < grow + shrink && seats > 1) {
      const std::int64_t t =
          std::max(customer_time_in(ctx, p, tau, window_end, rng), a.seat_changes.back().first + kSecond);
      const auto cut = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::round(static_cast<double>(seats) * rng.uniform(0.1, 0.3))));
      seats = std::max<std::int64_t>(1, seats - cut);
      a.seat_changes.emplace_back(t, seats);
      a.emit(t, Activity::downgrade, Actor::customer,
             std::round(static_cast<double>(seats) * p.seat_price_year) - old_arr, seats);
    }
  }
  const int step = p.monthly ? 1 : 12;
  for (int n = 1;; ++n) {
    const std::int64_t t = add_months(p.signup, n * step);
    if (t >= ctx.end) break;
    a.emit(t, Activity::renewal, Actor::system, a.arr_at(t), a.seats_at(t));
  }
}

}  // namespace cxkit::simulate::detail
