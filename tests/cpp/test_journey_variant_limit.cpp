// The variant cap (DiscoverOptions::max_variants): a log where every case is unique keeps at
// most the cap and bounded memory; below the cap nothing changes (exact, merges bit-identical
// to one pass); above it the Misra-Gries bound holds against exact counts through random merge
// trees; activity and edge aggregates never change; capped maps serialise and load exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/discover.hpp"
#include "cxkit/journey/journey_map_io.hpp"

using namespace cxkit;
using namespace cxkit::journey;

namespace {

using Sequence = std::vector<std::string>;

// Cases given as activity-name sequences; case k is "k<k>", events one minute apart.
EventLog log_of(const std::vector<Sequence>& cases, std::size_t first = 0, std::size_t last = SIZE_MAX) {
  EventLogBuilder b;
  last = std::min(last, cases.size());
  for (std::size_t k = first; k < last; ++k) {
    std::int64_t t = 1'700'000'000'000'000 + static_cast<std::int64_t>(k) * 1'000;
    for (const std::string& a : cases[k]) {
      b.add_event("k" + std::to_string(k), a, from_micros(t));
      t += 60'000'000;
    }
  }
  return b.build();
}

// Case k's sequence: k written in base 8 with 7 digits, each digit an activity: unique
// for k < 8^7 = 2,097,152.
Sequence unique_sequence(std::size_t k) {
  static const char* acts[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  Sequence s;
  for (int d = 0; d < 7; ++d, k /= 8) s.emplace_back(acts[k % 8]);
  return s;
}

// Heavy-tailed cases: sequence r (rank) drawn with probability ~ 1 / (r + 1)^1.1 over
// `distinct` ranks, each rank a unique sequence; many ranks occur once or not at all.
std::vector<Sequence> zipf_cases(std::size_t n, std::size_t distinct, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> w(distinct);
  for (std::size_t r = 0; r < distinct; ++r) w[r] = 1.0 / std::pow(static_cast<double>(r + 1), 1.1);
  std::discrete_distribution<std::size_t> pick(w.begin(), w.end());
  std::vector<Sequence> cases(n);
  for (auto& c : cases) c = unique_sequence(pick(rng) * 7919 % 2'000'000);  // scattered, still unique per rank
  return cases;
}

std::map<Sequence, std::uint64_t> exact_counts(const std::vector<Sequence>& cases) {
  std::map<Sequence, std::uint64_t> out;
  for (const auto& c : cases) ++out[c];
  return out;
}

std::map<Sequence, const Variant*> kept(const JourneyMap& m) {
  std::map<Sequence, const Variant*> out;
  for (const Variant& v : m.variants()) {
    Sequence s;
    for (auto name : m.variant_names(v)) s.emplace_back(name);
    out[s] = &v;
  }
  return out;
}

DiscoverOptions options(std::uint64_t cap, DurationMode mode = DurationMode::exact) {
  DiscoverOptions o;
  o.threads = 1;
  o.max_variants = cap;
  o.durations = mode;
  return o;
}

// The Misra-Gries guarantee against exact counts: every kept count is a lower bound within
// E of the truth, every sequence left out has at most E cases, E <= N / (cap + 1), and the
// kept counts plus the other cases add up to N.
void expect_bound(const JourneyMap& m, const std::map<Sequence, std::uint64_t>& truth, std::uint64_t cap) {
  const std::uint64_t n = m.n_cases();
  const std::uint64_t e = m.variant_count_error();
  EXPECT_LE(e, n / (cap + 1));
  EXPECT_LE(m.variants().size(), cap);
  const auto k = kept(m);
  std::uint64_t counted = 0;
  for (const auto& [seq, f] : truth) {
    const auto it = k.find(seq);
    const std::uint64_t c = it == k.end() ? 0 : it->second->count;
    EXPECT_LE(c, f);
    EXPECT_LE(f, c + e) << "count " << c << ", truth " << f << ", bound " << e;
    if (it != k.end()) {
      EXPECT_LE(it->second->rank_count, it->second->count);
      EXPECT_EQ(it->second->durations.count(), it->second->count);
    }
    counted += c;
  }
  EXPECT_EQ(counted + m.other_variant_cases(), n);
}

}  // namespace

TEST(JourneyVariantLimit, EveryCaseUniqueStaysUnderTheCapWithBoundedMemory) {
  const std::size_t n = 200'000;
  std::vector<Sequence> cases(n);
  for (std::size_t k = 0; k < n; ++k) cases[k] = unique_sequence(k);
  const EventLog log = log_of(cases);
  // moments: per-variant memory is then independent of the cases, so the bound is visible.
  const JourneyMap uncapped = discover(log, options(kUnlimitedVariants, DurationMode::moments));
  ASSERT_EQ(uncapped.variants().size(), n);
  for (std::uint64_t cap : {std::uint64_t{1000}, kDefaultMaxVariants}) {
    const JourneyMap m = discover(log, options(cap, DurationMode::moments));
    // All counts are 1: the (cap+1)-th largest is 1 too, so no sequence is a heavy hitter.
    EXPECT_TRUE(m.variants().empty());
    EXPECT_FALSE(m.variants_exact());
    EXPECT_EQ(m.other_variant_cases(), n);
    EXPECT_EQ(m.variant_count_error(), n / (cap + 1));
    // The HyperLogLog estimate of the distinct sequences (standard error 1.6 %).
    EXPECT_NEAR(static_cast<double>(m.n_variants()), static_cast<double>(n), 0.05 * n);
    EXPECT_EQ(m.dropped_variants(), m.n_variants());
    // Memory: activities, edges and the 4 KB sketch; nothing proportional to the cases.
    EXPECT_LT(m.memory_bytes(), 64u * 1024u);
    EXPECT_GT(uncapped.memory_bytes(), 100u * m.memory_bytes());
    // Directly-follows graph and activity counts are not affected by the cap.
    EXPECT_EQ(m.activities(), uncapped.activities());
    EXPECT_EQ(m.edges(), uncapped.edges());
    EXPECT_EQ(m.n_events(), uncapped.n_events());
    EXPECT_EQ(m.rework_cases(), uncapped.rework_cases());
  }
}

TEST(JourneyVariantLimit, HeavyHittersSurviveAUniqueTailWithExactCounts) {
  std::vector<Sequence> cases;
  const std::uint64_t heavy[] = {5000, 3000, 700, 120};
  for (std::size_t h = 0; h < 4; ++h)
    for (std::uint64_t i = 0; i < heavy[h]; ++i) cases.push_back({"start", "h" + std::to_string(h), "end"});
  for (std::size_t k = 0; k < 20'000; ++k) cases.push_back(unique_sequence(k));
  std::shuffle(cases.begin(), cases.end(), std::mt19937_64(3));
  const JourneyMap m = discover(log_of(cases), options(100));
  ASSERT_EQ(m.variants().size(), 4u);
  for (std::size_t h = 0; h < 4; ++h) {
    const Variant& v = m.variants()[h];
    EXPECT_EQ(m.variant_names(v)[1], "h" + std::to_string(h));
    EXPECT_EQ(v.count, heavy[h]);           // one discovery counts kept variants exactly
    EXPECT_EQ(v.rank_count, heavy[h] - 1);  // minus the 101st largest count, 1
    EXPECT_EQ(v.durations.count(), heavy[h]);
    EXPECT_DOUBLE_EQ(v.share, static_cast<double>(heavy[h]) / static_cast<double>(cases.size()));
  }
  EXPECT_EQ(m.other_variant_cases(), 20'000u);
  expect_bound(m, exact_counts(cases), 100);
  EXPECT_NEAR(static_cast<double>(m.dropped_variants()), 20'000.0, 1'000.0);
}

TEST(JourneyVariantLimit, BelowTheCapNothingChangesAndMergesAreBitIdentical) {
  const auto cases = zipf_cases(6'000, 400, 11);
  const std::size_t distinct = exact_counts(cases).size();
  const JourneyMap whole = discover(log_of(cases), options(distinct));
  const JourneyMap unlimited = discover(log_of(cases), options(kUnlimitedVariants));
  EXPECT_TRUE(whole.variants_exact());
  EXPECT_TRUE(whole.variant_sketch().empty());
  EXPECT_EQ(whole.n_variants(), distinct);
  EXPECT_EQ(whole.variant_count_error(), 0u);
  EXPECT_EQ(whole.variants(), unlimited.variants());
  for (const Variant& v : whole.variants()) EXPECT_EQ(v.rank_count, v.count);
  JourneyMap merged;
  for (std::size_t p = 0; p < 5; ++p) merged.merge(discover(log_of(cases, p * 1200, (p + 1) * 1200), options(distinct)));
  EXPECT_TRUE(merged == whole);
}

TEST(JourneyVariantLimit, TwoExactHalvesOverTheCapMergeIntoTheOnePassMap) {
  // Each half holds 200 distinct sequences (exact under a cap of 300), their union 350: the
  // merge applies the cap to exact counts, just as one discovery over all cases does.
  std::mt19937_64 rng(5);
  std::vector<Sequence> cases;
  for (std::size_t k = 0; k < 4'000; ++k) cases.push_back(unique_sequence(rng() % 200));
  for (std::size_t k = 0; k < 4'000; ++k) cases.push_back(unique_sequence(150 + rng() % 200));
  const std::uint64_t cap = 300;
  JourneyMap a = discover(log_of(cases, 0, 4'000), options(cap));
  const JourneyMap b = discover(log_of(cases, 4'000), options(cap));
  ASSERT_TRUE(a.variants_exact() && b.variants_exact());
  const JourneyMap whole = discover(log_of(cases), options(cap));
  ASSERT_FALSE(whole.variants_exact());
  a.merge(b);
  EXPECT_TRUE(a == whole);
  expect_bound(whole, exact_counts(cases), cap);
}

TEST(JourneyVariantLimit, BoundHoldsThroughRandomMergeTrees) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    std::mt19937_64 rng(seed);
    const std::size_t n = 3'000 + rng() % 5'000;
    const auto cases = zipf_cases(n, 500 + rng() % 5'000, seed * 101);
    const auto truth = exact_counts(cases);
    const std::uint64_t cap = 5 + rng() % 200;
    // Random partition into 2-12 contiguous parts, discovered with the cap, merged in a
    // random order (a random binary tree: pick two maps, merge, put back).
    const std::size_t parts = 2 + rng() % 11;
    std::vector<std::size_t> cuts = {0, n};
    for (std::size_t p = 1; p < parts; ++p) cuts.push_back(rng() % n);
    std::sort(cuts.begin(), cuts.end());
    std::vector<JourneyMap> maps;
    for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
      if (cuts[p] == cuts[p + 1]) continue;
      maps.push_back(discover(log_of(cases, cuts[p], cuts[p + 1]), options(cap, DurationMode::sketch)));
      expect_bound(maps.back(), exact_counts({cases.begin() + cuts[p], cases.begin() + cuts[p + 1]}), cap);
    }
    while (maps.size() > 1) {
      const std::size_t i = rng() % maps.size();
      JourneyMap left = std::move(maps[i]);
      maps.erase(maps.begin() + static_cast<std::ptrdiff_t>(i));
      const std::size_t j = rng() % maps.size();
      left.merge(maps[j]);
      maps[j] = std::move(left);
    }
    const JourneyMap& m = maps[0];
    EXPECT_EQ(m.n_cases(), n);
    expect_bound(m, truth, cap);
    // Not vacuous: the cap was exceeded, yet the most frequent sequence (above E) is kept.
    ASSERT_GT(truth.size(), cap);
    EXPECT_FALSE(m.variants_exact());
    const auto top = std::max_element(truth.begin(), truth.end(),
                                      [](const auto& x, const auto& y) { return x.second < y.second; });
    ASSERT_GT(top->second, m.variant_count_error());
    EXPECT_EQ(kept(m).count(top->first), 1u);
    if (!m.variants_exact()) {
      EXPECT_NEAR(static_cast<double>(m.n_variants()), static_cast<double>(truth.size()), 0.06 * truth.size() + 2)
          << "seed " << seed;
    }
    // Edges and activities are the exact ones, whatever the variants did.
    const JourneyMap one_pass = discover(log_of(cases), options(kUnlimitedVariants, DurationMode::sketch));
    EXPECT_EQ(m.activities(), one_pass.activities());
    EXPECT_EQ(m.edges(), one_pass.edges());
  }
}

TEST(JourneyVariantLimit, MergeAdoptsTheSmallerCap) {
  const auto cases = zipf_cases(4'000, 2'000, 21);
  JourneyMap a = discover(log_of(cases, 0, 2'000), options(50));
  const JourneyMap b = discover(log_of(cases, 2'000), options(kUnlimitedVariants));
  a.merge(b);
  EXPECT_EQ(a.settings().max_variants, 50u);
  EXPECT_LE(a.variants().size(), 50u);
  expect_bound(a, exact_counts(cases), 50);
}

TEST(JourneyVariantLimit, CappedMapsSerialiseExactly) {
  const auto cases = zipf_cases(5'000, 4'000, 31);
  const JourneyMap m = discover(log_of(cases), options(40));
  ASSERT_FALSE(m.variant_sketch().empty());
  const JourneyMap back = from_bytes(to_bytes(m));
  EXPECT_TRUE(back == m);
  EXPECT_EQ(back.n_variants(), m.n_variants());
  EXPECT_EQ(back.variant_count_error(), m.variant_count_error());
  EXPECT_EQ(to_bytes(back), to_bytes(m));
}

TEST(JourneyVariantLimit, ZeroCapIsAnInputError) {
  EXPECT_THROW(discover(log_of({{"a"}}), options(0)), InputError);
}

TEST(JourneyVariantLimit, WithoutVariantsTheCapIsMoot) {
  DiscoverOptions o = options(1);
  o.variants = false;
  const JourneyMap m = discover(log_of({{"a", "b"}, {"a"}}), o);
  EXPECT_EQ(m.n_variants(), 0u);
  EXPECT_EQ(m.variant_count_error(), 0u);
  EXPECT_TRUE(m.variant_sketch().empty());
}

namespace {

// Payload bytes of a serialisation, and the serialisation of a payload (header, checksum).
std::string payload_of(const std::string& bytes) { return bytes.substr(16, bytes.size() - 24); }
std::string framed(const std::string& payload) {
  std::string out = "CXJM";
  const auto put = [&out](std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put(kJourneyMapFormatVersion, 4);
  put(payload.size(), 8);
  out += payload;
  put(journey_map_checksum(payload), 8);
  return out;
}
std::string load_error(const std::string& bytes) {
  try {
    from_bytes(bytes);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST(JourneyVariantLimit, LoadingRejectsSummariesNoDiscoveryProduces) {
  DiscoverOptions o = options(40, DurationMode::none);
  o.quantiles.clear();
  const std::string good = payload_of(to_bytes(discover(log_of(zipf_cases(3'000, 2'000, 41)), o)));
  ASSERT_EQ(load_error(framed(good)), "(loaded)");
  // Settings: mode (1), sketch bits (4), variants flag (1), no quantiles (8), no calendar (1),
  // then the cap (8): a cap below the number of variants kept.
  std::string bad = good;
  bad[15] = 1;
  for (int i = 16; i < 23; ++i) bad[i] = 0;
  EXPECT_NE(load_error(framed(bad)).find("more variants than max_variants"), std::string::npos);
  // The sketch is the last 4,096 bytes: a register above its largest possible value, 53.
  bad = good;
  bad.back() = 54;
  EXPECT_NE(load_error(framed(bad)).find("register out of range"), std::string::npos);
  // Without its sketch a capped map would claim to be exact.
  bad = good.substr(0, good.size() - 4096 - 8) + std::string(8, '\0');
  EXPECT_NE(load_error(framed(bad)).find("do not add up"), std::string::npos);
}
