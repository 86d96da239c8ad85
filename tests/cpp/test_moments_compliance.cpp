// Compliance cells from hand-made occurrences.
#include "cxkit/moments/compliance.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char* iso) {
  Timestamp t;
  if (!parse_iso8601(iso, t)) throw std::runtime_error(iso);
  return t;
}

Occurrence occ(std::uint32_t case_id, std::uint32_t moment, const char* started, Status s, Duration elapsed) {
  Occurrence o;
  o.case_id = case_id;
  o.moment = moment;
  o.started = at(started);
  o.status = s;
  o.elapsed = elapsed;
  o.target = 4h;
  return o;
}

std::vector<Occurrence> sample() {
  return {
      occ(0, 0, "2026-10-05T10:00:00Z", Status::met, 1h),
      occ(0, 0, "2026-10-06T10:00:00Z", Status::met, 2h),
      occ(1, 0, "2026-10-07T10:00:00Z", Status::breached, 5h),
      occ(1, 0, "2026-10-31T23:59:59Z", Status::met, 3h),
      occ(2, 0, "2026-10-08T10:00:00Z", Status::overdue, 6h),
      occ(2, 0, "2026-10-09T10:00:00Z", Status::pending, 1h),
      occ(2, 0, "2026-10-10T10:00:00Z", Status::cancelled, 1h),
      occ(0, 0, "2026-11-01T00:00:00Z", Status::breached, 9h),
      occ(0, 1, "2026-10-05T10:00:00Z", Status::met, 30min),
  };
}

}  // namespace

TEST(MomentsCompliance, CountsRatesAndExactPercentilesByMomentAndMonth) {
  const auto rows = compliance(sample());
  ASSERT_EQ(rows.size(), 3u);
  // Moment 0, October: 7 clocks; met 3 (1h, 2h, 3h), breached 1 (5h), overdue 1, pending 1,
  // cancelled 1. met rate = 3 / (3 + 1 + 1) = 0.6. Stopped elapsed sorted: 1, 2, 3, 5 h;
  // median at h = 1.5 -> 2.5 h; p90 at h = 2.7 -> 3h + 0.7 * 2h = 4.4 h.
  const ComplianceRow& oct = rows[0];
  EXPECT_EQ(oct.moment, 0u);
  EXPECT_EQ(period_label(oct.period), "2026-10");
  EXPECT_EQ(oct.count, 7u);
  EXPECT_EQ(oct.met, 3u);
  EXPECT_EQ(oct.breached, 1u);
  EXPECT_EQ(oct.overdue, 1u);
  EXPECT_EQ(oct.pending, 1u);
  EXPECT_EQ(oct.cancelled, 1u);
  EXPECT_DOUBLE_EQ(oct.met_rate, 0.6);
  EXPECT_EQ(oct.median_elapsed, 150min);
  EXPECT_EQ(oct.p90_elapsed, 264min);
  // Moment 0, November: one breach.
  EXPECT_EQ(period_label(rows[1].period), "2026-11");
  EXPECT_EQ(rows[1].breached, 1u);
  EXPECT_DOUBLE_EQ(rows[1].met_rate, 0.0);
  EXPECT_EQ(rows[1].median_elapsed, 9h);
  EXPECT_EQ(rows[2].moment, 1u);
}

TEST(MomentsCompliance, GroupsAndNoPeriod) {
  const std::vector<std::string> owner{"ann", "bob", "ann"};
  const auto rows = compliance(sample(), owner, false);
  ASSERT_EQ(rows.size(), 3u);  // (0, ann), (0, bob), (1, ann)
  EXPECT_EQ(rows[0].group, "ann");
  EXPECT_EQ(rows[0].period, kAllPeriods);
  EXPECT_EQ(rows[0].count, 6u);  // cases 0 and 2, moment 0
  EXPECT_EQ(rows[0].met, 2u);
  EXPECT_EQ(rows[0].breached, 1u);
  EXPECT_EQ(rows[0].overdue, 1u);
  EXPECT_DOUBLE_EQ(rows[0].met_rate, 0.5);
  EXPECT_EQ(rows[1].group, "bob");
  EXPECT_EQ(rows[1].count, 2u);
  EXPECT_EQ(rows[2].moment, 1u);
  EXPECT_THROW(compliance(sample(), std::vector<std::string>{"only one"}), InputError);
}

TEST(MomentsCompliance, MergeOfPartitionsEqualsTheWhole) {
  const auto all = sample();
  const std::vector<std::string> owner{"ann", "bob", "ann"};
  Compliance whole;
  whole.add(all, owner);
  Compliance a, b;
  a.add(std::span<const Occurrence>(all).subspan(0, 4), owner);
  b.add(std::span<const Occurrence>(all).subspan(4), owner);
  b.merge(a);  // order of merging does not matter
  const auto x = whole.rows(), y = b.rows();
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].count, y[i].count);
    EXPECT_EQ(x[i].met, y[i].met);
    EXPECT_EQ(x[i].median_elapsed, y[i].median_elapsed);
    EXPECT_EQ(x[i].p90_elapsed, y[i].p90_elapsed);
    EXPECT_TRUE(x[i].met_rate == y[i].met_rate || (std::isnan(x[i].met_rate) && std::isnan(y[i].met_rate)));
  }
  EXPECT_THROW(whole.merge(Compliance(false)), InputError);
}

TEST(MomentsCompliance, NothingDecidedGivesNaN) {
  const std::vector<Occurrence> only_pending{occ(0, 0, "2026-10-05T10:00:00Z", Status::pending, 1h)};
  const auto rows = compliance(only_pending);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(std::isnan(rows[0].met_rate));
  EXPECT_EQ(rows[0].median_elapsed, Duration::min());
}
