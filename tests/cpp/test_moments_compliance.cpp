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

TEST(MomentsCompliance, OneByOneAddWithOwnPeriodsEqualsTheSpanAdd) {
  // The per-clock add() with the caller's period and group gives the same cells as add(span).
  Compliance a(true), b(true);
  const auto occs = sample();
  a.add(occs);
  for (const auto& o : occs) b.add(o.moment, "", period_of(o.started), o.status, o.elapsed);
  EXPECT_EQ(a.cells(), b.cells());
  // Without periods the period argument is ignored.
  Compliance c(false);
  c.add(0, "x", 12345, Status::met, 1h);
  ASSERT_EQ(c.rows().size(), 1u);
  EXPECT_EQ(c.rows()[0].period, kAllPeriods);
}

TEST(MomentsCompliance, MergeWithAMomentMapRenumbersThePartitionsMoments) {
  // Partition 2 numbered its moments the other way round: its 0 is our 1 and its 1 our 0.
  Compliance whole(false), p1(false), p2(false);
  whole.add(0, "g", 0, Status::met, 1h);
  whole.add(1, "g", 0, Status::breached, 5h);
  whole.add(1, "g", 0, Status::met, 2h);
  p1.add(0, "g", 0, Status::met, 1h);
  p1.add(1, "g", 0, Status::breached, 5h);
  p2.add(0, "g", 0, Status::met, 2h);
  const std::uint32_t map[] = {1, 0};
  p1.merge(p2, map);
  EXPECT_EQ(p1.cells(), whole.cells());
  const std::uint32_t short_map[] = {1};
  Compliance p3(false);
  p3.add(1, "g", 0, Status::met, 2h);
  EXPECT_THROW(p1.merge(p3, short_map), InputError);
  Compliance by_month(true);
  EXPECT_THROW(p1.merge(by_month, map), InputError);
}

TEST(MomentsCompliance, CellsAndAddCellRestoreASummary) {
  Compliance a(true);
  a.add(sample());
  Compliance b(true);
  for (const auto& [k, cell] : a.cells()) b.add_cell(k, cell);
  EXPECT_EQ(a.cells(), b.cells());
  const auto ra = a.rows(), rb = b.rows();
  ASSERT_EQ(ra.size(), rb.size());
  for (std::size_t i = 0; i < ra.size(); ++i) EXPECT_EQ(ra[i].p90_elapsed, rb[i].p90_elapsed);
}
