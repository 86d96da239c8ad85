// Erlang C staffing: how many agents answer `service_level` of contacts within a time.
//
// The M/M/N queue: offered load A = arrivals x aht / interval (Erlangs). With N > A agents
//   P(wait) = C(N, A) = N B / (N - A (1 - B)),  B = Erlang B(N, A)
//   service level = 1 - C exp(-(N - A) t / aht)   (t = answer_within)
//   average speed of answer = C aht / (N - A),  occupancy = A / N.
// Erlang B comes from the recurrence B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), whose terms
// stay in [0, 1]: no factorials or powers, stable for hundreds of thousands of agents.
#pragma once

#include <cstdint>

#include "cxkit/core/time.hpp"

namespace cxkit::moments {

struct StaffingRequest {
  double arrivals = 0;          ///< contacts arriving per interval (>= 0, finite)
  Duration interval{std::chrono::minutes{30}};
  Duration aht{std::chrono::minutes{3}};          ///< average handle time (> 0)
  Duration answer_within{std::chrono::seconds{20}};  ///< >= 0
  double service_level = 0.8;   ///< target share answered within answer_within, in [0, 1)
  double max_occupancy = 1.0;   ///< (0, 1]: N >= A / max_occupancy
  double shrinkage = 0.0;       ///< [0, 1): share of rostered time not on the phones
};

struct StaffingResult {
  std::int64_t agents = 0;           ///< smallest N meeting the service level and occupancy
  std::int64_t rostered_agents = 0;  ///< ceil(agents / (1 - shrinkage))
  double traffic = 0;                ///< offered load A in Erlangs
  double service_level = 0;          ///< achieved with `agents`
  double occupancy = 0;              ///< A / agents (0 when no traffic)
  double waiting_probability = 0;    ///< Erlang C
  Duration average_speed_of_answer{0};  ///< rounded to the microsecond
};

/// Achieved figures with exactly `agents` agents (agents > A, else the queue grows without
/// bound: service level 0, waiting probability 1, speed of answer Duration::max()).
/// Throws InputError naming the field for values outside the ranges above. O(agents).
StaffingResult erlang_c(const StaffingRequest& request, std::int64_t agents);

/// The smallest number of agents meeting the service level and maximum occupancy.
/// Zero arrivals need zero agents. Throws InputError naming the field for out-of-range
/// values. O(agents) (one Erlang B step per candidate).
StaffingResult staffing(const StaffingRequest& request);

}  // namespace cxkit::moments
