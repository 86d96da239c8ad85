// Erlang C staffing against values computed independently with mpmath (60 digits) from the
// textbook formula with factorials:
//   C(N, A) = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A))
//   SL = 1 - C exp(-(N-A) t / aht), ASA = C aht / (N-A).
// The classic example: 100 calls per 30 minutes, 3-minute handle time (A = 10 Erlangs),
// 80% answered within 20 seconds:
//   N = 13: C = 0.285270453036, SL = 0.795594788418  (just short of 80%)
//   N = 14: C = 0.174131933595, SL = 0.888350019179, ASA = 7.83593701178 s
#include "cxkit/moments/staffing.hpp"

#include <gtest/gtest.h>

#include "cxkit/core/error.hpp"

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

TEST(MomentsStaffing, ClassicTenErlangExample) {
  StaffingRequest r;
  r.arrivals = 100;
  r.interval = 30min;
  r.aht = 180s;
  r.answer_within = 20s;
  r.service_level = 0.8;
  const StaffingResult s = staffing(r);
  EXPECT_DOUBLE_EQ(s.traffic, 10.0);
  EXPECT_EQ(s.agents, 14);
  EXPECT_EQ(s.rostered_agents, 14);
  EXPECT_NEAR(s.waiting_probability, 0.174131933595, 1e-11);
  EXPECT_NEAR(s.service_level, 0.888350019179, 1e-11);
  EXPECT_NEAR(s.occupancy, 10.0 / 14, 1e-15);
  EXPECT_NEAR(static_cast<double>(s.average_speed_of_answer.count()), 7.83593701178e6, 1.0);

  const StaffingResult thirteen = erlang_c(r, 13);
  EXPECT_NEAR(thirteen.waiting_probability, 0.285270453036, 1e-11);
  EXPECT_NEAR(thirteen.service_level, 0.795594788418, 1e-11);
}

TEST(MomentsStaffing, ShrinkageAndOccupancyCap) {
  StaffingRequest r;
  r.arrivals = 100;
  r.interval = 30min;
  r.aht = 180s;
  r.shrinkage = 0.3;  // 14 / 0.7 = 20 exactly
  EXPECT_EQ(staffing(r).rostered_agents, 20);
  r.shrinkage = 0.35;  // 14 / 0.65 = 21.54 -> 22
  EXPECT_EQ(staffing(r).rostered_agents, 22);
  // Occupancy at most 0.6: N >= 10 / 0.6 = 16.67 -> 17, although 14 meet the service level.
  r.max_occupancy = 0.6;
  const StaffingResult s = staffing(r);
  EXPECT_EQ(s.agents, 17);
  EXPECT_LE(s.occupancy, 0.6);
}

TEST(MomentsStaffing, StableForThousandsOfAgents) {
  // A = 2000 Erlangs (20,000 calls per 30 min at 180 s), 80% in 20 s. mpmath: 2012 agents,
  // C = 0.70470029885079, SL = 0.814243017993634, ASA = 10.5705044827619 s.
  StaffingRequest r;
  r.arrivals = 20000;
  const StaffingResult s = staffing(r);
  EXPECT_EQ(s.agents, 2012);
  EXPECT_NEAR(s.waiting_probability, 0.70470029885079, 1e-9);
  EXPECT_NEAR(s.service_level, 0.814243017993634, 1e-9);
  EXPECT_NEAR(static_cast<double>(s.average_speed_of_answer.count()), 10.5705044827619e6, 10.0);
  // A million Erlangs still finishes with finite figures.
  r.arrivals = 1e7;
  const StaffingResult big = staffing(r);
  EXPECT_GT(big.agents, 1000000);
  EXPECT_GE(big.service_level, 0.8);
}

TEST(MomentsStaffing, EdgesAndErrorsNameTheField) {
  StaffingRequest r;
  r.arrivals = 0;
  const StaffingResult none = staffing(r);
  EXPECT_EQ(none.agents, 0);
  EXPECT_EQ(none.service_level, 1.0);
  r.arrivals = 100;
  const StaffingResult under = erlang_c(r, 10);  // N = A: unstable queue
  EXPECT_EQ(under.waiting_probability, 1.0);
  EXPECT_EQ(under.service_level, 0.0);
  r.shrinkage = 1.0;
  try {
    staffing(r);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().column, "shrinkage");
  }
  r.shrinkage = 0;
  r.aht = 0s;
  try {
    staffing(r);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().column, "aht");
  }
}
