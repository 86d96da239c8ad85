// The churn process: named drivers computed point-in-time from the account's own history,
// a piecewise-constant hazard per tenure period, and the calibration of its baseline.
//
// In tenure period k, [tau_k, tau_k + P) with tau_k = signup + k P, the churn intensity is
// lambda_k = exp(b0 + sum_j beta_j x_j(tau_k)), with x measured from events before tau_k
// only. An account churns when its cumulative hazard sum_k lambda_k (time in period k)/P
// first exceeds its own Exp(1) threshold E, which is the same as churning in period k with
// probability 1 - exp(-lambda_k) given survival so far (the complementary log-log model).
#include <algorithm>
#include <bitset>

#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

struct DriverModel {
  std::string_view name;
  std::string_view definition;
  double coefficient;
};

constexpr std::array<DriverModel, kDriverCount> kDrivers = {{
    {"usage_trend",
     "log((1 + logins in [t-28d, t)) / (1 + logins in [t-56d, t-28d))), clipped to [-2, 2]", -0.8},
    {"feature_breadth", "distinct features in 'feature used' events in [t-90d, t) / 12", -1.6},
    {"open_p0_p1_tickets",
     "P0/P1 tickets opened before t and not resolved at t (a reopened ticket is open again), at most 3", 0.45},
    {"missed_welcome", "1 if t is past signed + welcome target and no 'welcome sent' came by then", 0.40},
    {"missed_first_replies_90d",
     "tickets opened in [t-90d, t) whose first-reply deadline (N business hours of the support hub) passed "
     "before t with no 'first reply' by then, at most 3",
     0.30},
    {"nps_detractor", "1 if the last 'nps answered' before t scored 0-6", 0.75},
    {"nps_promoter", "1 if the last 'nps answered' before t scored 9-10", -0.40},
    {"tier_mid_market", "1 for Mid-market accounts", -0.35},
    {"tier_enterprise", "1 for Enterprise accounts", -0.80},
    {"contract_monthly", "1 for monthly contracts", 0.70},
}};

constexpr std::int64_t kDays28 = 28 * kDay, kDays90 = 90 * kDay;

std::size_t count_in(const std::vector<std::int64_t>& sorted, std::int64_t a, std::int64_t b) {
  return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), b) -
                                  std::lower_bound(sorted.begin(), sorted.end(), a));
}

}  // namespace

std::vector<ChurnDriver> churn_drivers_truth(const CompanyOptions&) {
  std::vector<ChurnDriver> out;
  out.reserve(kDrivers.size());
  for (const auto& d : kDrivers) out.push_back({std::string(d.name), std::string(d.definition), d.coefficient});
  return out;
}

int missed_first_replies(const AccountSim& a, std::int64_t t) noexcept {
  int n = 0;
  for (const Ticket& tk : a.tickets) {
    if (tk.opened >= t) break;  // tickets are in opening order
    if (tk.opened >= t - kDays90 && tk.late && tk.deadline < t) ++n;
  }
  return n;
}

int open_p0_p1(const AccountSim& a, std::int64_t t) noexcept {
  int n = 0;
  for (const Ticket& tk : a.tickets) {
    if (tk.opened >= t) break;
    if (tk.priority <= 1 && tk.open_at(t)) ++n;
  }
  return n;
}

bool welcome_missed(const Context& ctx, const AccountSim& a, std::int64_t t) noexcept {
  const std::int64_t due = a.profile.signup + hours(ctx.options.welcome_target_hours);
  return due < t && a.welcome > due;
}

std::array<double, kDriverCount> churn_drivers(const Context& ctx, const AccountSim& a, std::int64_t tau) {
  std::array<double, kDriverCount> x{};
  const auto recent = static_cast<double>(count_in(a.logins, tau - kDays28, tau));
  const auto prior = static_cast<double>(count_in(a.logins, tau - 2 * kDays28, tau - kDays28));
  x[0] = std::clamp(log_det((1.0 + recent) / (1.0 + prior)), -2.0, 2.0);

  std::bitset<12> used;
  auto it = std::lower_bound(a.features.begin(), a.features.end(), tau - kDays90,
                             [](const auto& f, std::int64_t t) { return f.first < t; });
  for (; it != a.features.end() && it->first < tau; ++it) used.set(it->second);
  x[1] = static_cast<double>(used.count()) / 12.0;

  x[2] = std::min(3, open_p0_p1(a, tau));
  x[3] = welcome_missed(ctx, a, tau) ? 1.0 : 0.0;
  x[4] = std::min(3, missed_first_replies(a, tau));
  int last_score = -1;
  for (const NpsAnswer& n : a.nps) {
    if (n.t >= tau) break;
    last_score = n.score;
  }
  x[5] = (last_score >= 0 && last_score <= 6) ? 1.0 : 0.0;
  x[6] = last_score >= 9 ? 1.0 : 0.0;
  x[7] = a.profile.tier == Tier::mid_market ? 1.0 : 0.0;
  x[8] = a.profile.tier == Tier::enterprise ? 1.0 : 0.0;
  x[9] = a.profile.monthly ? 1.0 : 0.0;
  return x;
}

void hazard_path(const Context& ctx, AccountSim& a) {
  const auto& drivers = ctx.truth.churn.drivers;
  for (std::int64_t k = 0;; ++k) {
    const std::int64_t tau = a.profile.signup + k * kPeriod;
    if (tau >= ctx.end) break;
    const auto x = churn_drivers(ctx, a, tau);
    double eta = 0;
    for (std::size_t j = 0; j < kDriverCount; ++j) eta += drivers[j].coefficient * x[j];
    a.hazard_weights.push_back(exp_det(eta));
    a.last_period_length = std::min(1.0, static_cast<double>(ctx.end - tau) / static_cast<double>(kPeriod));
  }
}

std::int64_t churn_instant(const Context& ctx, const AccountSim& a, double b0, double threshold) {
  const double c = exp_det(b0);
  const std::size_t n = a.hazard_weights.size();
  double cumulative = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double length = k + 1 == n ? a.last_period_length : 1.0;
    const double rate = c * a.hazard_weights[k];
    if (cumulative + rate * length >= threshold) {
      const double into = std::min((threshold - cumulative) / rate, length);
      const std::int64_t tau = a.profile.signup + static_cast<std::int64_t>(k) * kPeriod;
      std::int64_t t = floor_to_second(tau + static_cast<std::int64_t>(std::floor(into * static_cast<double>(kPeriod))));
      t = std::max(t, a.profile.signup + kSecond);
      return t < ctx.end ? t : kNever;
    }
    cumulative += rate * length;
  }
  return kNever;
}

namespace {

struct Expectation {
  double churns = 0, exposure = 0;
};

// Expected churns and exposure (in periods) of a block under baseline b0.
Expectation expected(const HazardPaths& block, double c) {
  Expectation out;
  const std::size_t accounts = block.offsets.size() - 1;
  for (std::size_t i = 0; i < accounts; ++i) {
    const std::uint32_t first = block.offsets[i], last = block.offsets[i + 1];
    double cumulative = 0;
    for (std::uint32_t k = first; k < last; ++k) {
      const double length = k + 1 == last ? block.last_length[i] : 1.0;
      const double rate = c * block.weights[k];
      const double survive = exp_det(-cumulative);
      const double x = rate * length;
      // Integral of survival over the period: S (1 - e^-x) / rate, with a series for tiny x.
      out.exposure += x < 1e-8 ? survive * length * (1.0 - x / 2.0) : survive * (1.0 - exp_det(-x)) / rate;
      cumulative += x;
    }
    out.churns += 1.0 - exp_det(-cumulative);
  }
  return out;
}

}  // namespace

double calibrate_baseline(std::span<const HazardPaths> blocks, double annual_rate, unsigned threads) {
  const double target = -log_det(1.0 - annual_rate) / 12.0;  // churns per account-period
  std::vector<Expectation> parts(blocks.size());
  const auto ratio = [&](double b0) {
    const double c = exp_det(b0);
    parallel_for(blocks.size(), threads, [&](std::size_t b, unsigned) { parts[b] = expected(blocks[b], c); });
    Expectation total;
    for (const auto& p : parts) {  // fixed order: the same sum for any thread count
      total.churns += p.churns;
      total.exposure += p.exposure;
    }
    return total.churns / total.exposure;
  };
  // Start where the rate is exactly right without survivor selection, then iterate
  // b0 <- b0 - log(ratio / target); the map contracts because selection only slightly
  // flattens the ratio's growth in b0.
  double weighted = 0, length = 0;
  for (const auto& block : blocks) {
    const std::size_t accounts = block.offsets.size() - 1;
    for (std::size_t i = 0; i < accounts; ++i)
      for (std::uint32_t k = block.offsets[i]; k < block.offsets[i + 1]; ++k) {
        const double l = k + 1 == block.offsets[i + 1] ? block.last_length[i] : 1.0;
        weighted += block.weights[k] * l;
        length += l;
      }
  }
  double b0 = log_det(target) - log_det(weighted / length);
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double step = log_det(ratio(b0)) - log_det(target);
    b0 -= step;
    if (std::fabs(step) < 1e-12) break;
  }
  return b0;
}

}  // namespace cxkit::simulate::detail
