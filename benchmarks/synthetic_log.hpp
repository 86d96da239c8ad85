// A synthetic customer-journey log shared by the journey benchmarks: ~20 events per case over
// 30 activities, cases drawn from 200 path templates with skewed popularity and 10% noise,
// gaps of 1 minute to 3 days. Deterministic; built once per size and cached.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"

namespace cxkit_bench {

inline const cxkit::EventLog& synthetic_log(std::size_t n_events) {
  static std::map<std::size_t, cxkit::EventLog> cache;
  auto it = cache.find(n_events);
  if (it != cache.end()) return it->second;
  std::mt19937_64 rng(42);
  constexpr int kActivities = 30, kTemplates = 200, kLength = 20;
  std::vector<std::vector<std::uint32_t>> templates(kTemplates);
  for (auto& t : templates) {
    std::uint32_t a = static_cast<std::uint32_t>(rng() % 5);
    for (int i = 0; i < kLength; ++i) {
      t.push_back(a);
      a = (rng() % 4 == 0) ? static_cast<std::uint32_t>(rng() % kActivities) : (a + 1) % kActivities;
    }
  }
  cxkit::EventLogBuilder b;
  b.reserve(n_events);
  for (int a = 0; a < kActivities; ++a) b.intern_activity("activity " + std::to_string(a));
  std::size_t added = 0;
  for (std::uint32_t c = 0; added < n_events; ++c) {
    const std::uint32_t cid = b.intern_case("C" + std::to_string(c));
    // Skewed template popularity: the minimum of two uniform draws.
    const auto& t = templates[std::min(rng() % kTemplates, rng() % kTemplates)];
    const int len = 15 + static_cast<int>(rng() % 11);  // 15..25 events
    std::int64_t time = 1'700'000'000'000'000 + static_cast<std::int64_t>(rng() % 31'536'000) * 1'000'000;
    for (int i = 0; i < len && added < n_events; ++i, ++added) {
      const std::uint32_t a = (rng() % 10 == 0) ? static_cast<std::uint32_t>(rng() % kActivities)
                                                : t[static_cast<std::size_t>(i) % t.size()];
      b.add_event_ids(cid, a, cxkit::from_micros(time));
      time += 60'000'000 + static_cast<std::int64_t>(rng() % 259'200) * 1'000'000;  // 1 min .. 3 days
    }
  }
  return cache.emplace(n_events, b.build()).first->second;
}

}  // namespace cxkit_bench
