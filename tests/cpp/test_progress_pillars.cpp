// Progress callbacks and cancellation (cxkit/core/progress.hpp) in three more long
// operations: moments::evaluate (units: cases), churn::build_features (units: rows) and
// read_xes (units: input bytes, compressed for gzip). Checked for each: the callback
// contract (done non-decreasing, done <= total, last call at done == total, calling thread
// only), the exact report points where they follow from the documented block sizes, results
// identical with and without a callback and for 1, 2 and 8 threads, and cancellation
// throwing Cancelled (no result) without falling back to another attempt.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cxkit/churn/features.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/io/xes.hpp"
#include "cxkit/moments/evaluate.hpp"
#include "cxkit/simulate/company.hpp"
#include "progress_recorder.hpp"

using namespace cxkit;
using namespace std::chrono_literals;
using cxkit_test::Calls;
using cxkit_test::expect_contract;
using cxkit_test::Recorder;

namespace {

Timestamp at(const char* iso) {
  Timestamp t;
  EXPECT_TRUE(parse_iso8601(iso, t)) << iso;
  return t;
}

// ---- moments ----

/// `cases` cases of 4 events each: ticket T1 opened and replied to, ticket T2 opened and
/// solved. Both moments are keyed by ticket, so each gives two rows per case (one stopped,
/// one open at as_of): 4 rows per case. 16384 events are exactly 4096 cases.
EventLog ticket_log(std::size_t cases) {
  EventLogBuilder b("tickets");
  const auto ticket = b.add_attribute("ticket", ColumnType::categorical);
  const Timestamp t0 = at("2025-01-06T09:00:00Z");
  const char* acts[] = {"ticket_opened", "agent_replied", "ticket_opened", "ticket_solved"};
  b.reserve(cases * 4);
  for (std::size_t c = 0; c < cases; ++c) {
    const std::string name = "c" + std::to_string(c);
    for (int e = 0; e < 4; ++e) {
      // Cases spread over a year so elapsed times and statuses vary.
      const auto minutes = static_cast<std::int64_t>(c % 50000) * 10 + e * static_cast<std::int64_t>(c % 7) * 30;
      b.add_event(name, acts[e], t0 + std::chrono::minutes(minutes));
      b.set_category(ticket, e < 2 ? "T1" : "T2");
    }
  }
  return b.build();
}

std::vector<moments::Moment> ticket_moments() {
  moments::Moment reply;
  reply.name = "first reply";
  reply.trigger = {"ticket_opened", {}};
  reply.fulfil = {"agent_replied", {}};
  reply.within = 1h;
  reply.key = "ticket";
  moments::Moment solve = reply;
  solve.name = "solved";
  solve.fulfil = {"ticket_solved", {}};
  solve.within = 2h;
  return {reply, solve};
}

TEST(ProgressPillars, EvaluateReportsOncePerBlockOfCasesOnOneThread) {
  const EventLog log = ticket_log(50000);  // 200000 events = 12 full blocks + 3392 events
  const auto ms = ticket_moments();
  Recorder r;
  moments::EvaluateOptions o;
  o.threads = 1;
  o.progress = r.progress();
  const auto rows = moments::evaluate(log, ms, o);
  expect_contract(r, 50000);
  Calls expected;
  for (std::uint64_t b = 1; b <= 12; ++b) expected.emplace_back(4096 * b, 50000);
  expected.emplace_back(50000, 50000);  // the last, short block
  expected.emplace_back(50000, 50000);  // finish()
  EXPECT_EQ(r.calls, expected);
  EXPECT_EQ(rows.size(), 4u * 50000);
}

TEST(ProgressPillars, EvaluateRowsDoNotDependOnCallbackOrThreads) {
  const EventLog log = ticket_log(60000);
  const auto ms = ticket_moments();
  moments::EvaluateOptions plain;
  plain.threads = 1;
  const auto reference = moments::evaluate(log, ms, plain);
  ASSERT_EQ(reference.size(), 4u * 60000);
  for (unsigned threads : {1u, 2u, 8u}) {
    moments::EvaluateOptions o;
    o.threads = threads;
    EXPECT_EQ(moments::evaluate(log, ms, o), reference) << threads << " threads, no callback";
    Recorder r;
    o.progress = r.progress();
    EXPECT_EQ(moments::evaluate(log, ms, o), reference) << threads << " threads, with callback";
    expect_contract(r, 60000);
    EXPECT_GE(r.calls.size(), 2u) << "at least one block of the calling thread, then the end";
  }
}

TEST(ProgressPillars, EvaluateCancelThrowsAndStopsEarly) {
  const EventLog log = ticket_log(60000);
  const auto ms = ticket_moments();
  for (unsigned threads : {1u, 2u}) {
    moments::EvaluateOptions o;
    o.threads = threads;
    std::uint64_t calls = 0, seen = 0;
    o.progress.callback = [&](std::uint64_t done, std::uint64_t) {
      ++calls;
      seen = done;
      return false;
    };
    EXPECT_THROW(moments::evaluate(log, ms, o), Cancelled) << threads;
    EXPECT_EQ(calls, 1u) << "stopped at the first report";
    EXPECT_LT(seen, 60000u) << "cancelled before the end";
  }
}

TEST(ProgressPillars, EvaluateCallbackExceptionPropagates) {
  const EventLog log = ticket_log(40000);
  moments::EvaluateOptions o;
  o.threads = 2;
  o.progress.callback = [](std::uint64_t, std::uint64_t) -> bool { throw std::runtime_error("stop here"); };
  EXPECT_THROW(moments::evaluate(log, ticket_moments(), o), std::runtime_error);
}

TEST(ProgressPillars, EvaluateEmptyLogGetsOneFinalCall) {
  EventLogBuilder b("empty");
  const EventLog log = b.build();
  Recorder r;
  moments::EvaluateOptions o;
  o.progress = r.progress();
  moments::Moment m = ticket_moments()[0];
  m.key.reset();
  o.strict = false;
  EXPECT_TRUE(moments::evaluate(log, std::vector<moments::Moment>{m}, o).empty());
  EXPECT_EQ(r.calls, (Calls{{0, 0}, {0, 0}}));  // the one (empty) block, then finish()
}

// ---- churn features ----

const simulate::Company& company() {
  static const simulate::Company c = simulate::company({.n_accounts = 1000, .months = 8, .seed = 11, .threads = 2});
  return c;
}

churn::FeatureSpec feature_spec(unsigned threads) {
  churn::FeatureSpec spec;
  spec.threads = threads;
  spec.categorical_columns = {{"tier", {}}, {"plan", {}}};
  return spec;
}

/// Equal values, NaN equal to NaN (a row without an as_of, an undefined ratio).
bool same_matrix(const churn::FeatureMatrix& a, const churn::FeatureMatrix& b) {
  if (a.names != b.names || a.keys != b.keys || a.status != b.status || a.values.size() != b.values.size())
    return false;
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (!(a.values[i] == b.values[i] || (std::isnan(a.values[i]) && std::isnan(b.values[i])))) return false;
  return true;
}

TEST(ProgressPillars, FeaturesReportOncePer256RowsOnOneThread) {
  const auto& co = company();
  ASSERT_EQ(co.accounts.size(), 1000u);
  Recorder r;
  const auto m = churn::build_features(co.events, &co.accounts, at("2024-07-01"), feature_spec(1), nullptr, nullptr,
                                       r.progress());
  EXPECT_EQ(m.rows(), 1000u);
  expect_contract(r, 1000);
  EXPECT_EQ(r.calls, (Calls{{256, 1000}, {512, 1000}, {768, 1000}, {1000, 1000}, {1000, 1000}}));
}

TEST(ProgressPillars, FeaturesDoNotDependOnCallbackOrThreads) {
  const auto& co = company();
  // One as_of per row, some missing: the per-row overload reports the same way.
  std::vector<Timestamp> as_of(co.accounts.size(), at("2024-06-01"));
  for (std::size_t r = 0; r < as_of.size(); r += 7) as_of[r] = from_micros(kMissingTime);
  const auto reference = churn::build_features(co.events, &co.accounts, as_of, feature_spec(1));
  for (unsigned threads : {1u, 2u, 8u}) {
    EXPECT_TRUE(same_matrix(churn::build_features(co.events, &co.accounts, as_of, feature_spec(threads)), reference))
        << threads;
    Recorder r;
    const auto m =
        churn::build_features(co.events, &co.accounts, as_of, feature_spec(threads), nullptr, nullptr, r.progress());
    EXPECT_TRUE(same_matrix(m, reference)) << threads << " threads, with callback";
    expect_contract(r, 1000);
  }
}

TEST(ProgressPillars, FeaturesCancelThrows) {
  const auto& co = company();
  for (unsigned threads : {1u, 2u}) {
    std::uint64_t calls = 0;
    const Progress stop{[&](std::uint64_t done, std::uint64_t) {
      ++calls;
      return done < 256;
    }};
    EXPECT_THROW(
        churn::build_features(co.events, &co.accounts, at("2024-07-01"), feature_spec(threads), nullptr, nullptr, stop),
        Cancelled)
        << threads;
    EXPECT_EQ(calls, 1u) << "the first report reaches 256 rows and cancels";
  }
}

// ---- XES ----

/// A log of `traces` traces of 3 events, about 600 bytes per trace.
std::string make_xes(std::size_t traces) {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\" "
      "xmlns=\"http://www.xes-standard.org/\">\n";
  s.reserve(traces * 640 + 256);
  char buf[64];
  for (std::size_t t = 0; t < traces; ++t) {
    s += "<trace><string key=\"concept:name\" value=\"case-" + std::to_string(t) + "\"/>\n";
    for (int e = 0; e < 3; ++e) {
      std::snprintf(buf, sizeof buf, "2024-%02d-%02dT%02d:%02d:00Z", int(1 + t % 12), int(1 + t % 28), int(t % 24), e);
      s += "  <event><string key=\"concept:name\" value=\"step ";
      s += std::to_string(e);
      s += "\"/><date key=\"time:timestamp\" value=\"";
      s += buf;
      s += "\"/><int key=\"amount\" value=\"" + std::to_string(t * 3 + static_cast<std::size_t>(e)) +
           "\"/><string key=\"org:resource\" value=\"user " + std::to_string(t % 37) + "\"/></event>\n";
    }
    s += "</trace>\n";
  }
  s += "</log>\n";
  return s;
}

std::string gzip(const std::string& text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string& xes_text() {
  static const std::string s = make_xes(9000);  // about 5.5 MB
  return s;
}

bool same_log(const EventLog& a, const EventLog& b) {
  if (a.size() != b.size() || a.n_cases() != b.n_cases() || a.attributes().size() != b.attributes().size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.case_ids()[i] != b.case_ids()[i] || a.activity_ids()[i] != b.activity_ids()[i] ||
        a.timestamps()[i] != b.timestamps()[i])
      return false;
  for (std::uint32_t c = 0; c < a.n_cases(); ++c)
    if (a.case_names().name(c) != b.case_names().name(c)) return false;
  for (std::size_t k = 0; k < a.attributes().size(); ++k) {
    const Column &x = a.attributes()[k], &y = b.attributes()[k];
    if (x.name() != y.name() || x.type() != y.type()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x.value_string(i) != y.value_string(i)) return false;
  }
  return true;
}

io::XesOptions xes_options(unsigned threads, std::size_t chunk_bytes = std::size_t{1} << 20) {
  io::XesOptions o;
  o.threads = threads;
  o.chunk_bytes = chunk_bytes;
  return o;
}

TEST(ProgressPillars, XesPlainOneParserReportsEachMibReadThenTheSize) {
  const std::string& xes = xes_text();
  const std::uint64_t size = xes.size();
  ASSERT_GT(size, 5u << 20);
  Recorder r;
  auto o = xes_options(1);
  o.progress = r.progress();
  const EventLog log = io::read_xes_buffer(xes, o);
  EXPECT_EQ(log.size(), 27000u);
  expect_contract(r, size);
  // Reads of 256 KiB: a report after every fourth, at whole MiB of input; then the end.
  Calls expected;
  for (std::uint64_t mib = 1; mib << 20 <= size; ++mib) expected.emplace_back(mib << 20, size);
  expected.emplace_back(size, size);
  EXPECT_EQ(r.calls, expected);
}

TEST(ProgressPillars, XesLogsDoNotDependOnCallbackOrThreads) {
  const std::string& xes = xes_text();
  const std::string gz = gzip(xes);
  const EventLog reference = io::read_xes_buffer(xes, xes_options(1));
  ASSERT_EQ(reference.size(), 27000u);
  for (const std::string* data : {&xes, &gz}) {
    const char* kind = data == &xes ? "plain" : "gzip";
    for (unsigned threads : {1u, 2u, 8u}) {
      // Small chunks: many of them, so the parallel path reads and reports many times.
      auto o = xes_options(threads, 256 << 10);
      EXPECT_TRUE(same_log(io::read_xes_buffer(*data, o), reference)) << kind << " " << threads;
      Recorder r;
      o.progress = r.progress();
      EXPECT_TRUE(same_log(io::read_xes_buffer(*data, o), reference)) << kind << " " << threads << " with callback";
      expect_contract(r, data->size());
      // 5.5 MB of text: a report about every MiB, then the end.
      EXPECT_GE(r.calls.size(), 4u) << kind << " " << threads;
    }
  }
}

TEST(ProgressPillars, XesFileTotalIsTheFileSizeCompressedForGzip) {
  const std::string gz = gzip(xes_text());
  const auto path = std::filesystem::temp_directory_path() / "cxkit_progress_pillars.xes.gz";
  {
    std::ofstream f(path, std::ios::binary);
    f.write(gz.data(), static_cast<std::streamsize>(gz.size()));
  }
  for (unsigned threads : {1u, 2u}) {
    Recorder r;
    auto o = xes_options(threads, 512 << 10);
    o.progress = r.progress();
    EXPECT_EQ(io::read_xes(path.string(), o).size(), 27000u);
    expect_contract(r, gz.size());
    // Progress moves with the inflated input: some report falls strictly inside the file.
    bool inside = false;
    for (const auto& c : r.calls) inside |= c.first > 0 && c.first < gz.size();
    EXPECT_TRUE(inside) << threads;
  }
  std::filesystem::remove(path);
}

TEST(ProgressPillars, XesCancelThrowsWithoutReadingAgain) {
  const std::string& xes = xes_text();
  const std::string gz = gzip(xes);
  for (const std::string* data : {&xes, &gz})
    for (unsigned threads : {1u, 2u}) {
      std::uint64_t calls = 0;
      auto o = xes_options(threads, 256 << 10);
      o.progress.callback = [&](std::uint64_t, std::uint64_t) {
        ++calls;
        return false;
      };
      EXPECT_THROW(io::read_xes_buffer(*data, o), Cancelled);
      // A parallel attempt given up would have been followed by one parser, calling again.
      EXPECT_EQ(calls, 1u) << (data == &xes ? "plain " : "gzip ") << threads;
    }
}

TEST(ProgressPillars, XesCallbackExceptionPropagatesFromTheParallelPath) {
  std::uint64_t calls = 0;
  auto o = xes_options(2, 256 << 10);
  o.progress.callback = [&](std::uint64_t, std::uint64_t) -> bool {
    ++calls;
    throw std::runtime_error("stop reading");
  };
  EXPECT_THROW(io::read_xes_buffer(xes_text(), o), std::runtime_error);
  EXPECT_EQ(calls, 1u);
}

TEST(ProgressPillars, XesOneHugeTraceReportsAsOneParserDoes) {
  // No cut after the first MiB: the parallel path leaves the document to one parser, which
  // reports while it parses (the one-chunk parse would report only at the end).
  std::string xes =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\">\n"
      "<trace><string key=\"concept:name\" value=\"only\"/>\n";
  for (int e = 0; e < 25000; ++e)
    xes += "  <event><string key=\"concept:name\" value=\"step " + std::to_string(e % 9) +
           "\"/><date key=\"time:timestamp\" value=\"2024-01-01T00:00:00Z\"/><int key=\"n\" value=\"" +
           std::to_string(e) + "\"/></event>\n";
  xes += "</trace>\n</log>\n";
  const std::uint64_t size = xes.size();
  ASSERT_GT(size, 3u << 20);
  Calls expected;
  for (std::uint64_t mib = 1; mib << 20 <= size; ++mib) expected.emplace_back(mib << 20, size);
  expected.emplace_back(size, size);
  for (unsigned threads : {1u, 2u}) {
    Recorder r;
    auto o = xes_options(threads);
    o.progress = r.progress();
    EXPECT_EQ(io::read_xes_buffer(xes, o).size(), 25000u);
    EXPECT_EQ(r.calls, expected) << threads;
  }
}

TEST(ProgressPillars, XesSmallInputGetsOneFinalCall) {
  const std::string xes = make_xes(3);
  for (unsigned threads : {1u, 2u}) {
    Recorder r;
    auto o = xes_options(threads);
    o.progress = r.progress();
    EXPECT_EQ(io::read_xes_buffer(xes, o).size(), 9u);
    EXPECT_EQ(r.calls, (Calls{{xes.size(), xes.size()}})) << threads;
  }
}

}  // namespace
