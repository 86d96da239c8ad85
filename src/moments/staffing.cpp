// Erlang C staffing by the Erlang B recurrence (formulas in staffing.hpp).
#include "cxkit/moments/staffing.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "cxkit/core/error.hpp"

namespace cxkit::moments {

namespace {

std::string shown(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

[[noreturn]] void bad(const char* field, const std::string& value, const char* reason) {
  throw InputError(reason, {"StaffingRequest", -1, field, value});
}

double check(const StaffingRequest& r) {
  if (!(std::isfinite(r.arrivals) && r.arrivals >= 0)) bad("arrivals", shown(r.arrivals), "must be finite and >= 0");
  if (r.interval.count() <= 0) bad("interval", std::to_string(r.interval.count()) + " us", "must be positive");
  if (r.aht.count() <= 0) bad("aht", std::to_string(r.aht.count()) + " us", "must be positive");
  if (r.answer_within.count() < 0)
    bad("answer_within", std::to_string(r.answer_within.count()) + " us", "must not be negative");
  if (!(r.service_level >= 0 && r.service_level < 1)) bad("service_level", shown(r.service_level), "must lie in [0, 1)");
  if (!(r.max_occupancy > 0 && r.max_occupancy <= 1)) bad("max_occupancy", shown(r.max_occupancy), "must lie in (0, 1]");
  if (!(r.shrinkage >= 0 && r.shrinkage < 1)) bad("shrinkage", shown(r.shrinkage), "must lie in [0, 1)");
  const double a = r.arrivals * static_cast<double>(r.aht.count()) / static_cast<double>(r.interval.count());
  if (!std::isfinite(a) || a > 1e8) bad("arrivals", shown(r.arrivals), "offered load above 10^8 Erlangs");
  return a;
}

// Fills the figures for n agents given Erlang B(n, a).
StaffingResult figures(const StaffingRequest& r, double a, std::int64_t n, double b) {
  StaffingResult s;
  s.agents = n;
  s.traffic = a;
  s.rostered_agents = static_cast<std::int64_t>(std::ceil(static_cast<double>(n) / (1 - r.shrinkage) - 1e-9));
  if (a == 0) {
    s.service_level = 1;
    return s;
  }
  const double nd = static_cast<double>(n);
  s.occupancy = a / nd;
  if (nd <= a) {
    s.waiting_probability = 1;
    s.service_level = 0;
    s.average_speed_of_answer = Duration::max();
    return s;
  }
  const double c = nd * b / (nd - a * (1 - b));
  const double aht = static_cast<double>(r.aht.count());
  s.waiting_probability = c;
  s.service_level = 1 - c * std::exp(-(nd - a) * static_cast<double>(r.answer_within.count()) / aht);
  s.average_speed_of_answer = Duration{static_cast<std::int64_t>(std::llround(c * aht / (nd - a)))};
  return s;
}

}  // namespace

StaffingResult erlang_c(const StaffingRequest& r, std::int64_t agents) {
  const double a = check(r);
  if (agents < 0) bad("agents", std::to_string(agents), "must not be negative");
  double b = 1;
  for (std::int64_t k = 1; k <= agents; ++k) b = a * b / (static_cast<double>(k) + a * b);
  return figures(r, a, agents, b);
}

StaffingResult staffing(const StaffingRequest& r) {
  const double a = check(r);
  if (a == 0) return figures(r, 0, 0, 0);
  double b = 1;
  for (std::int64_t n = 1;; ++n) {
    b = a * b / (static_cast<double>(n) + a * b);
    const double nd = static_cast<double>(n);
    if (nd <= a || a / nd > r.max_occupancy) continue;
    StaffingResult s = figures(r, a, n, b);
    if (s.service_level >= r.service_level) return s;
  }
}

}  // namespace cxkit::moments
