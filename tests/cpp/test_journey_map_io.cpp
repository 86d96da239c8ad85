// JourneyMap serialisation: exact round trips in every duration mode (summaries
// bit-identical), a payload written by hand from the documented layout, and rejection of
// truncated, altered, newer-version and inconsistent input with InputError.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/discover.hpp"
#include "cxkit/journey/journey_map_io.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

// Random cases over 7 activities (skewed so variants repeat), times spread over weeks so
// that business time differs from elapsed time, with ties.
EventLog random_log(std::size_t n_cases, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* acts[] = {"signup", "onboard", "call", "ticket", "renew", "churn", "nps"};
  EventLogBuilder b;
  for (std::size_t c = 0; c < n_cases; ++c) {
    const std::size_t len = 1 + rng() % 9;
    std::int64_t t = 1'700'000'000'000'000 + static_cast<std::int64_t>(rng() % 1'000'000) * 1'000'000;
    for (std::size_t i = 0; i < len; ++i) {
      b.add_event("c" + std::to_string(c), acts[std::min(rng() % 7, rng() % 7)], from_micros(t));
      if (rng() % 4 != 0) t += static_cast<std::int64_t>(rng() % 400'000) * 1'000'000 + 7;
    }
  }
  return b.build();
}

bool same(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }

void expect_same_summary(const DurationSummary& a, const DurationSummary& b) {
  EXPECT_EQ(a.count, b.count);
  for (auto [x, y] : {std::pair{a.sum, b.sum},
                      {a.mean, b.mean},
                      {a.median, b.median},
                      {a.min, b.min},
                      {a.max, b.max},
                      {a.stdev, b.stdev}})
    EXPECT_TRUE(same(x, y)) << x << " vs " << y;
  ASSERT_EQ(a.quantiles.size(), b.quantiles.size());
  for (std::size_t i = 0; i < a.quantiles.size(); ++i) EXPECT_TRUE(same(a.quantiles[i], b.quantiles[i]));
}

void expect_round_trip(const JourneyMap& m) {
  const std::string bytes = to_bytes(m);
  const JourneyMap back = from_bytes(bytes);
  EXPECT_TRUE(back == m);
  EXPECT_EQ(back.settings(), m.settings());
  ASSERT_EQ(back.activities(), m.activities());
  ASSERT_EQ(back.edges().size(), m.edges().size());
  for (std::size_t i = 0; i < m.edges().size(); ++i) expect_same_summary(back.edges()[i].summary, m.edges()[i].summary);
  ASSERT_EQ(back.variants().size(), m.variants().size());
  for (std::size_t i = 0; i < m.variants().size(); ++i) {
    expect_same_summary(back.variants()[i].summary, m.variants()[i].summary);
    EXPECT_EQ(back.variants()[i].share, m.variants()[i].share);
  }
  // Writing is deterministic: the loaded map serialises to the same bytes.
  EXPECT_EQ(to_bytes(back), bytes);
}

// The payload framed as the header documents: magic, version, length, payload, checksum.
// The hand-written payloads below follow the version-1 layout (which every later version
// reads), hence the default.
std::string frame(const std::string& payload, std::uint32_t version = 1) {
  std::string out = "CXJM";
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((version >> (8 * i)) & 0xFF));
  const std::uint64_t n = payload.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out += payload;
  const std::uint64_t sum = journey_map_checksum(payload);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((sum >> (8 * i)) & 0xFF));
  return out;
}

// Little-endian field writers for hand-made payloads.
struct Payload {
  std::string s;
  Payload& u8(std::uint8_t v) {
    s.push_back(static_cast<char>(v));
    return *this;
  }
  Payload& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  Payload& u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  Payload& str(const std::string& v) {
    u64(v.size());
    s += v;
    return *this;
  }
};

// Two cases, "A B" and "A": a map in DurationMode::none without variants, written by hand
// from the layout (settings; n_cases, n_events, rework; activities; edges; variants).
std::string hand_payload(std::uint32_t edge_target = 1, const char* first = "A", const char* second = "B",
                         std::uint64_t edge_durations = 1) {
  Payload p;
  p.u8(0).u32(7).u8(0).u64(0).u8(0);  // mode none, 7 bits, no variants, no quantiles, no calendar
  p.u64(2).u64(3).u64(0);             // 2 cases, 3 events, no rework
  p.u64(2);
  p.str(first).u64(2).u64(2).u64(2).u64(1).u64(0);              // A: 2 events in 2 cases, starts 2, ends 1
  p.str(second).u64(1).u64(1).u64(0).u64(1).u64(0);             // B: 1 event, ends 1
  p.u64(1).u32(0).u32(edge_target).u64(1).u64(edge_durations);  // edge A -> B once
  p.u64(0);                                                     // no variants
  return p.s;
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace

TEST(JourneyMapIo, RoundTripsInEveryDurationMode) {
  const EventLog log = random_log(300, 1);
  for (const auto mode : {DurationMode::exact, DurationMode::sketch, DurationMode::moments, DurationMode::none}) {
    DiscoverOptions o;
    o.durations = mode;
    o.threads = 1;
    SCOPED_TRACE(to_string(mode));
    expect_round_trip(discover(log, o));
  }
}

TEST(JourneyMapIo, RoundTripsSettings) {
  const EventLog log = random_log(150, 2);
  DiscoverOptions o;
  o.threads = 1;
  o.durations = DurationMode::sketch;
  o.sketch_bits = 3;
  o.quantiles = {0.0, 0.1, 1.0 / 3.0, 0.99, 1.0};
  expect_round_trip(discover(log, o));
  o.variants = false;
  const JourneyMap no_variants = discover(log, o);
  EXPECT_TRUE(no_variants.variants().empty());
  expect_round_trip(no_variants);
  o.quantiles.clear();
  expect_round_trip(discover(log, o));
}

TEST(JourneyMapIo, RoundTripsBusinessTimeWithCalendar) {
  const EventLog log = random_log(120, 3);
  Calendar::Week week;
  for (int d = 0; d < 5; ++d)
    week[d] = {{std::chrono::hours(8), std::chrono::hours(12)},
               {std::chrono::hours(13), std::chrono::minutes(17 * 60 + 30)}};
  const Calendar cal("Europe/Berlin", week, {boost::gregorian::date(2023, 12, 25), boost::gregorian::date(2024, 1, 1)});
  for (const auto mode : {DurationMode::exact, DurationMode::moments, DurationMode::sketch}) {
    DiscoverOptions o;
    o.threads = 1;
    o.durations = mode;
    o.calendar = cal;
    SCOPED_TRACE(to_string(mode));
    const JourneyMap m = discover(log, o);
    expect_round_trip(m);
    const JourneyMap back = from_bytes(to_bytes(m));
    ASSERT_TRUE(back.settings().calendar.has_value());
    EXPECT_EQ(back.settings().calendar->timezone(), "Europe/Berlin");
    EXPECT_EQ(back.settings().calendar->holidays().size(), 2u);
  }
  DiscoverOptions o;
  o.threads = 1;
  o.calendar = Calendar::always();  // 24/7 UTC, round-trips through its parts
  expect_round_trip(discover(log, o));
}

TEST(JourneyMapIo, EmptyMapRoundTrips) {
  expect_round_trip(JourneyMap());
  DiscoverOptions o;
  o.threads = 1;
  expect_round_trip(discover(EventLogBuilder().build(), o));
}

TEST(JourneyMapIo, LoadedPartsMergeIntoTheWholeMap) {
  // What Dask does: maps of disjoint case sets cross a process boundary as bytes and merge.
  const EventLog log = random_log(200, 4);
  std::vector<std::uint32_t> even, odd;
  for (std::uint32_t c = 0; c < log.n_cases(); ++c) (c % 2 ? odd : even).push_back(c);
  for (const auto mode : {DurationMode::exact, DurationMode::sketch, DurationMode::moments}) {
    DiscoverOptions o;
    o.threads = 1;
    o.durations = mode;
    JourneyMap merged = from_bytes(to_bytes(discover_cases(log, even, o)));
    merged.merge(from_bytes(to_bytes(discover_cases(log, odd, o))));
    EXPECT_TRUE(merged == discover(log, o)) << to_string(mode);
  }
}

TEST(JourneyMapIo, HeaderFollowsTheDocumentedLayout) {
  DiscoverOptions o;
  o.threads = 1;
  const std::string bytes = to_bytes(discover(random_log(20, 5), o));
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 4), "CXJM");
  EXPECT_EQ(bytes.substr(4, 4), std::string("\x02\x00\x00\x00", 4));
  std::uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  EXPECT_EQ(length, bytes.size() - 24);
  EXPECT_EQ(frame(bytes.substr(16, length), kJourneyMapFormatVersion), bytes);
}

TEST(JourneyMapIo, ReadsAHandWrittenPayload) {
  EventLogBuilder b;
  b.add_event("1", "A", from_micros(0));
  b.add_event("1", "B", from_micros(10'000'000));
  b.add_event("2", "A", from_micros(5'000'000));
  DiscoverOptions o;
  o.threads = 1;
  o.durations = DurationMode::none;
  o.variants = false;
  o.quantiles.clear();
  const JourneyMap expected = discover(b.build(), o);
  const JourneyMap m = from_bytes(frame(hand_payload()));
  EXPECT_TRUE(m == expected);
  EXPECT_EQ(m.activities()[0].name, "A");
  ASSERT_EQ(m.edges().size(), 1u);
  EXPECT_EQ(m.edges()[0].count, 1u);
  // Written back in version 2: the variant cap after the settings (a version-1 map loads with
  // the default cap) and an empty variant sketch after the variants.
  std::string v2 = hand_payload();
  v2.insert(15, Payload().u64(kDefaultMaxVariants).s);
  v2 += Payload().u64(0).s;
  EXPECT_EQ(to_bytes(m), frame(v2, 2));
}

TEST(JourneyMapIo, RejectsInconsistentPayloadsWithTheirOffset) {
  EXPECT_NE(error_of([] { from_bytes(frame(hand_payload(5))); }).find("edge refers to activity 5"), std::string::npos);
  EXPECT_NE(error_of([] { from_bytes(frame(hand_payload(1, "B", "A"))); }).find("strictly increasing"),
            std::string::npos);
  EXPECT_NE(error_of([] { from_bytes(frame(hand_payload(1, "A", "B", 2))); }).find("do not match its count"),
            std::string::npos);
  // The message names the byte where the bad edge starts: after settings (15 bytes) and the
  // 3 counts (24), the activity count (8) and two activities of 8 + 1 + 40 bytes each.
  const std::size_t edge_offset = 16 + 15 + 24 + 8 + 2 * 49 + 8;
  EXPECT_NE(error_of([] { from_bytes(frame(hand_payload(5))); }).find("byte " + std::to_string(edge_offset)),
            std::string::npos);
  // A trailing unread byte inside the payload.
  EXPECT_NE(error_of([] { from_bytes(frame(hand_payload() + "x")); }).find("unread payload"), std::string::npos);
  // A count that the remaining bytes cannot hold must not allocate.
  Payload p;
  p.u8(2).u32(7).u8(1).u64(std::uint64_t{1} << 60);
  EXPECT_NE(error_of([&] { from_bytes(frame(p.s)); }).find("items claimed"), std::string::npos);
}

TEST(JourneyMapIo, RejectsEveryTruncation) {
  DiscoverOptions o;
  o.threads = 1;
  o.quantiles = {0.5};
  const std::string bytes = to_bytes(discover(random_log(6, 6), o));
  ASSERT_GT(bytes.size(), 100u);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::string cut = bytes.substr(0, n);
    const std::string message = error_of([&] { from_bytes(cut); });
    EXPECT_NE(message.find("truncated"), std::string::npos) << n << ": " << message;
  }
}

TEST(JourneyMapIo, RejectsEveryAlteredByteAndTrailingBytes) {
  DiscoverOptions o;
  o.threads = 1;
  o.durations = DurationMode::sketch;
  o.sketch_bits = 2;  // few buckets: every byte is flipped and the whole input re-read each time
  const std::string bytes = to_bytes(discover(random_log(5, 7), o));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    EXPECT_NE(error_of([&] { from_bytes(bad); }), "(no InputError)") << "byte " << i;
  }
  EXPECT_NE(error_of([&] { from_bytes(bytes + "!"); }).find("unexpected bytes"), std::string::npos);
  EXPECT_NE(error_of([] { from_bytes("PK\x03\x04 not a map"); }).find("CXJM"), std::string::npos);
}

TEST(JourneyMapIo, ANewerFormatVersionSaysToUpgrade) {
  DiscoverOptions o;
  o.threads = 1;
  std::string bytes = to_bytes(discover(random_log(5, 8), o));
  bytes[4] = static_cast<char>(kJourneyMapFormatVersion + 1);
  const std::string message = error_of([&] { from_bytes(bytes); });
  EXPECT_NE(message.find("newer cxkit"), std::string::npos) << message;
  EXPECT_NE(message.find("upgrade"), std::string::npos) << message;
  // Even when nothing after the version is readable.
  EXPECT_NE(error_of([&] { from_bytes(bytes.substr(0, 8)); }).find("newer cxkit"), std::string::npos);
}

TEST(JourneyMapIo, RejectsStatisticsThatCannotComeFromDurations) {
  // moments mode, one edge of one duration: sum 5 but min = max = 7.
  Payload p;
  p.u8(1).u32(7).u8(0).u64(0).u8(0);
  p.u64(1).u64(2).u64(0).u64(2);
  p.str("A").u64(1).u64(1).u64(1).u64(0).u64(0);
  p.str("B").u64(1).u64(1).u64(0).u64(1).u64(0);
  p.u64(1).u32(0).u32(1).u64(1);
  Payload good = p, bad = p;
  good.u64(1).u64(7).u64(7).u64(7).u64(0).u64(49).u64(0).u64(0).u64(0);
  bad.u64(1).u64(7).u64(7).u64(5).u64(0).u64(25).u64(0).u64(0).u64(0);
  const JourneyMap m = from_bytes(frame(good.s));
  EXPECT_DOUBLE_EQ(m.edges()[0].summary.mean, 7e-6);
  EXPECT_NE(error_of([&] { from_bytes(frame(bad.s)); }).find("sum outside"), std::string::npos);
}
