// Progress callbacks and cancellation (cxkit/core/progress.hpp) in the two long operations
// that report them: the simulator and the CSV reader. Checked: the callback contract (monotone
// done <= total, last call at total, owner thread only), cancellation throwing Cancelled with
// no result, and that output does not depend on whether a callback is set.
#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cxkit/core/progress.hpp"
#include "cxkit/io/csv.hpp"
#include "cxkit/simulate/company.hpp"
#include "progress_recorder.hpp"

namespace cs = cxkit::simulate;
using cxkit_test::Calls;
using cxkit_test::expect_contract;
using cxkit_test::Recorder;
using cxkit::Column;
using cxkit::EventLog;
using cxkit::Table;

namespace {

bool same_column(const Column& a, const Column& b) {
  if (a.name() != b.name() || a.type() != b.type() || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.value_string(i) != b.value_string(i) || a.is_missing(i) != b.is_missing(i)) return false;
  return true;
}

bool same_table(const Table& a, const Table& b) {
  if (a.size() != b.size() || a.columns().size() != b.columns().size()) return false;
  for (std::uint32_t r = 0; r < a.size(); ++r)
    if (a.keys().name(r) != b.keys().name(r)) return false;
  for (std::size_t c = 0; c < a.columns().size(); ++c)
    if (!same_column(a.columns()[c], b.columns()[c])) return false;
  return true;
}

bool same_log(const EventLog& a, const EventLog& b) {
  if (a.size() != b.size() || a.n_cases() != b.n_cases()) return false;
  if (!std::equal(a.case_ids().begin(), a.case_ids().end(), b.case_ids().begin())) return false;
  if (!std::equal(a.timestamps().begin(), a.timestamps().end(), b.timestamps().begin())) return false;
  if (!std::equal(a.activity_ids().begin(), a.activity_ids().end(), b.activity_ids().begin())) return false;
  if (a.attributes().size() != b.attributes().size()) return false;
  for (std::size_t c = 0; c < a.attributes().size(); ++c)
    if (!same_column(a.attributes()[c], b.attributes()[c])) return false;
  return true;
}

/// `rows` rows of about 42 bytes, 4 per case, with one numeric attribute.
std::string big_csv(std::size_t rows) {
  std::string s = "case,activity,time,amount\n";
  s.reserve(rows * 48);
  for (std::size_t i = 0; i < rows; ++i)
    s += "c" + std::to_string(i / 4) + ",step" + std::to_string(i % 4) + ",2024-01-01T00:00:" +
         (i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + "Z," + std::to_string(i) + "\n";
  return s;
}

cxkit::io::CsvOptions csv_names() {
  cxkit::io::CsvOptions o;
  o.case_column = "case";
  o.activity_column = "activity";
  o.timestamp_column = "time";
  return o;
}

}  // namespace

TEST(Progress, ReporterCallsOnlyOnOwnerThreadAndClampsToTotal) {
  Recorder r;
  const cxkit::Progress p = r.progress();
  cxkit::ProgressReporter rep(p, 10);
  std::thread worker([&] { rep.advance(4); });  // counted, but no call from a worker
  worker.join();
  EXPECT_TRUE(r.calls.empty());
  rep.advance(3);  // 4 + 3 done
  rep.advance(9);  // over-count: clamped to total
  rep.finish();
  EXPECT_EQ(r.calls, (Calls{{7, 10}, {10, 10}, {10, 10}}));
  EXPECT_FALSE(r.other_thread);
}

TEST(Progress, EmptyProgressNeverCallsAndNeverThrows) {
  const cxkit::Progress none;
  EXPECT_FALSE(none);
  cxkit::ProgressReporter rep(none, 5);
  EXPECT_NO_THROW(rep.advance(5));
  EXPECT_NO_THROW(rep.finish());
}

TEST(Progress, CancelledIsAnError) {
  const cxkit::Progress stop{[](std::uint64_t, std::uint64_t) { return false; }};
  cxkit::ProgressReporter rep(stop, 5);
  EXPECT_THROW(rep.advance(1), cxkit::Cancelled);
  try {
    rep.finish();
  } catch (const cxkit::Error& e) {  // one handler catches everything cxkit throws
    SUCCEED() << e.what();
  }
}

TEST(Progress, SimulatorReportsTwoPassesOfAccountsAndEndsAtTotal) {
  for (unsigned threads : {1u, 3u}) {
    Recorder r;
    cs::CompanyOptions o{.n_accounts = 1000, .months = 6, .seed = 5, .threads = threads};
    o.progress = r.progress();
    const cs::Company c = cs::company(o);
    expect_contract(r, 2000);  // includes: no call from a worker thread
    // 1000 accounts in blocks of 256 = 4 blocks per pass; one thread reports every block.
    if (threads == 1) EXPECT_EQ(r.calls.size(), 9u);  // 8 blocks + finish
    EXPECT_FALSE(c.options.progress) << "the callback must not be kept in the result";
  }
}

TEST(Progress, SimulatorOutputIsTheSameWithAndWithoutCallback) {
  cs::CompanyOptions o{.n_accounts = 600, .months = 8, .seed = 3, .threads = 2};
  const cs::Company plain = cs::company(o);
  Recorder r;
  o.progress = r.progress();
  const cs::Company watched = cs::company(o);
  EXPECT_TRUE(same_log(plain.events, watched.events));
  EXPECT_TRUE(same_table(plain.accounts, watched.accounts));
  EXPECT_TRUE(same_table(plain.feedback, watched.feedback));
  EXPECT_EQ(plain.truth.to_json(), watched.truth.to_json());
}

TEST(Progress, SimulatorCancelsWhenTheCallbackSaysSo) {
  for (unsigned threads : {1u, 2u}) {
    std::uint64_t seen = 0;
    cs::CompanyOptions o{.n_accounts = 3000, .months = 6, .threads = threads};
    o.progress.callback = [&](std::uint64_t done, std::uint64_t) {
      seen = done;
      return done < 1000;  // stop during the first pass
    };
    EXPECT_THROW(cs::company(o), cxkit::Cancelled);
    EXPECT_GE(seen, 1000u);
    EXPECT_LT(seen, 6000u) << "cancelled before the end";
  }
}

TEST(Progress, CsvReportsBytesAboutEvery4MbAndEndsAtTheSize) {
  const std::string csv = big_csv(250000);
  ASSERT_GT(csv.size(), 9u << 20);
  Recorder r;
  auto o = csv_names();
  o.progress = r.progress();
  const EventLog log = cxkit::io::read_csv_buffer(csv, o, "big.csv");
  EXPECT_EQ(log.size(), 250000u);
  expect_contract(r, csv.size());
  // Reports at the first row boundary at or past 4 MB and 8 MB, then the end.
  ASSERT_EQ(r.calls.size(), 3u);
  EXPECT_GE(r.calls[0].first, 4u << 20);
  EXPECT_LT(r.calls[0].first, (4u << 20) + 64);
  EXPECT_GE(r.calls[1].first, 8u << 20);
  EXPECT_LT(r.calls[1].first, (8u << 20) + 64);
}

TEST(Progress, CsvSmallInputGetsOneFinalCall) {
  Recorder r;
  auto o = csv_names();
  o.progress = r.progress();
  const std::string csv = "case,activity,time\nc1,a,2024-01-01T00:00:00Z\n";
  cxkit::io::read_csv_buffer(csv, o);
  EXPECT_EQ(r.calls, (Calls{{csv.size(), csv.size()}}));
}

TEST(Progress, CsvOutputIsTheSameWithAndWithoutCallbackAndCancelThrows) {
  const std::string csv = big_csv(120000);  // ~5 MB: one report mid-way
  auto o = csv_names();
  const EventLog plain = cxkit::io::read_csv_buffer(csv, o);
  Recorder r;
  o.progress = r.progress();
  EXPECT_TRUE(same_log(plain, cxkit::io::read_csv_buffer(csv, o)));

  std::uint64_t calls = 0;
  o.progress.callback = [&](std::uint64_t, std::uint64_t) { return ++calls < 1; };
  EXPECT_THROW(cxkit::io::read_csv_buffer(csv, o), cxkit::Cancelled);
  EXPECT_EQ(calls, 1u) << "stopped at the first report, mid-file";
}
