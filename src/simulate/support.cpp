// Support tickets: customers open them in their daytime; agents act only in the support
// hub's working hours, so a reply delay is business time on the hub's calendar. The first
// reply is a moment of truth due within N business hours.
//
// Ticket volume does not depend on engagement, so a missed first reply is (as intended for
// a clean ground truth) unrelated to the account's latent health.
#include <algorithm>

#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

constexpr std::array<double, 3> kTicketRate = {0.30, 0.60, 1.20};  // per period, by tier
constexpr double kEarlyFactor = 1.5;                               // in the first two periods
constexpr std::array<double, 4> kPriorityShare = {0.04, 0.14, 0.47, 0.35};
// Business-hour delays (log-normal medians) by priority P0..P3.
constexpr std::array<double, 4> kFirstReplyMedian = {0.5, 1.2, 2.2, 3.5};
constexpr double kFirstReplySigma = 0.85;
constexpr std::array<double, 4> kUpdateRate = {2.0, 1.5, 0.8, 0.4};
constexpr std::array<double, 4> kUpdateMedian = {2, 4, 8, 12};
constexpr double kUpdateSigma = 0.9;
constexpr std::array<double, 4> kResolveMedian = {3, 8, 16, 24};
constexpr double kResolveSigma = 1.1;
constexpr double kPendingProbability = 0.25;
constexpr double kCustomerReplyMedian = 20, kCustomerReplySigma = 1.0;  // elapsed hours
constexpr double kReopenProbability = 0.08;
constexpr double kReopenMedian = 36, kReopenSigma = 0.8;  // elapsed hours
constexpr std::int64_t kAutoClose = 72 * kHour;
constexpr double kCsatProbability = 0.30;
constexpr double kCsatDelayMedian = 4, kCsatDelaySigma = 0.8;

/// CSAT 1..5: clamp(round(4.7 + 0.4 e - 0.9 [late first reply] - 0.15 min(5, handling/8h) + 0.7 z)).
int csat_score(double e, bool late, double handling_hours, Rng& rng) {
  const double latent = 4.7 + 0.4 * e - (late ? 0.9 : 0.0) - 0.15 * std::min(5.0, handling_hours / 8.0) +
                        0.7 * normal(rng);
  return static_cast<int>(std::clamp(std::floor(latent + 0.5), 1.0, 5.0));
}

}  // namespace

void simulate_support(const Context& ctx, AccountSim& a, Rng& rng) {
  const Profile& p = a.profile;
  const Calendar& cal = ctx.calendars[p.hub];
  const double factor = ctx.truth.support_hubs[p.hub].reply_delay_factor;
  const Duration target{hours(ctx.options.first_reply_target_hours)};
  const double rate = kTicketRate[static_cast<std::size_t>(p.tier)];
  std::vector<std::int64_t> opened;
  for (std::int64_t k = 0;; ++k) {
    const std::int64_t tau = p.signup + k * kPeriod;
    if (tau >= ctx.end) break;
    const auto n = poisson(rng, rate * (k < 2 ? kEarlyFactor : 1.0));
    const std::size_t first = opened.size();
    for (std::uint64_t i = 0; i < n; ++i)
      opened.push_back(customer_time_in(ctx, p, tau + (k == 0 ? kHour : 0), tau + kPeriod, rng));
    std::sort(opened.begin() + static_cast<std::ptrdiff_t>(first), opened.end());
  }

  for (const std::int64_t o : opened) {
    Ticket tk;
    const auto id = static_cast<std::uint32_t>(a.tickets.size() + 1);
    const auto pr = static_cast<std::uint8_t>(categorical(rng, kPriorityShare));
    tk.opened = o;
    tk.priority = pr;
    tk.deadline = to_micros(cal.add_business_time(from_micros(o), target));
    const double d1 = lognormal_median(rng, kFirstReplyMedian[pr] * factor, kFirstReplySigma);
    tk.first_reply = staff_time_after(cal, o, d1);
    tk.late = tk.first_reply > tk.deadline;
    a.emit_ticket(o, Activity::ticket_opened, Actor::customer, id, pr);
    a.emit_ticket(tk.first_reply, Activity::first_reply, Actor::support, id, pr);

    double handling = d1;
    std::int64_t t = tk.first_reply;
    const auto updates = poisson(rng, kUpdateRate[pr]);
    for (std::uint64_t u = 0; u < updates; ++u) {
      const double d = lognormal_median(rng, kUpdateMedian[pr], kUpdateSigma);
      t = staff_time_after(cal, t, d);
      handling += d;
      a.emit_ticket(t, Activity::agent_update, Actor::support, id, pr);
      if (rng.bernoulli(kPendingProbability)) {
        t += kMinute;
        a.emit_ticket(t, Activity::pending, Actor::support, id, pr);
        // The customer answers some time later (their reply is not logged as an event).
        t += floor_to_second(hours(lognormal_median(rng, kCustomerReplyMedian, kCustomerReplySigma)));
      }
    }
    const double dr = lognormal_median(rng, kResolveMedian[pr], kResolveSigma);
    t = staff_time_after(cal, t, dr);
    handling += dr;
    a.emit_ticket(t, Activity::resolved, Actor::support, id, pr);
    tk.resolved1 = t;

    if (rng.bernoulli(kCsatProbability)) {
      const std::int64_t tc =
          customer_time_after(ctx, p, t + hours(lognormal_median(rng, kCsatDelayMedian, kCsatDelaySigma)), rng);
      const int score = csat_score(a.engagement_at(tc), tk.late, handling, rng);
      a.emit_ticket(tc, Activity::csat_answered, Actor::customer, id, pr, score);
    }
    if (rng.bernoulli(kReopenProbability)) {
      const std::int64_t q =
          customer_time_after(ctx, p, t + hours(lognormal_median(rng, kReopenMedian, kReopenSigma)), rng);
      a.emit_ticket(q, Activity::reopened, Actor::customer, id, pr);
      tk.reopened = q;
      t = staff_time_after(cal, q, lognormal_median(rng, 4.0, kUpdateSigma));
      a.emit_ticket(t, Activity::agent_update, Actor::support, id, pr);
      t = staff_time_after(cal, t, lognormal_median(rng, 8.0, kResolveSigma));
      a.emit_ticket(t, Activity::resolved, Actor::support, id, pr);
      tk.resolved2 = t;
    }
    a.emit_ticket(t + kAutoClose, Activity::closed, Actor::system, id, pr);
    a.tickets.push_back(tk);
  }
}

}  // namespace cxkit::simulate::detail
