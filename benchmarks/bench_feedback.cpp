// Feedback text: vectorising short texts (tokenise + TF-IDF) and near-duplicate grouping.
// items_per_second in the output is texts per second.
#include <cxkit/feedback/duplicates.hpp>
#include <cxkit/feedback/tfidf.hpp>
#include <cxkit/feedback/themes.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace cxkit::feedback;

// Short English feedback-like texts: 6-14 words from a 400-word vocabulary (100 common
// words, 300 made-up product terms) with a fixed LCG, so every run sees the same corpus.
std::vector<std::string> synthetic_texts(std::size_t n, std::size_t near_copies_per_100 = 0) {
  static const char* kCommon[] = {
      "please", "add", "dark", "mode", "the", "dashboard", "export", "csv", "fails", "with", "timeout", "login",
      "slow", "page", "report", "cannot", "open", "file", "error", "when", "saving", "settings", "user",
      "users", "invite", "team", "billing", "invoice", "missing", "wrong", "date", "format", "search", "results",
      "filter", "by", "account", "owner", "mobile", "app", "crashes", "after", "update", "notifications",
      "email", "too", "many", "integration", "salesforce", "slack", "sync", "broken", "api", "rate", "limit",
      "need", "bulk", "edit", "delete", "archive", "custom", "fields", "permissions", "admin", "role", "sso",
      "password", "reset", "link", "expired", "chart", "colors", "table", "sorting", "column", "width", "print",
      "pdf", "language", "translation", "time", "zone", "calendar", "reminder", "task", "due", "overdue",
      "template", "import", "duplicate", "contacts", "merge", "history", "audit", "log", "support", "ticket",
      "is", "a", "to", "and", "for", "it", "not"};
  constexpr std::size_t kCommonCount = sizeof(kCommon) / sizeof(kCommon[0]);
  std::uint64_t state = 0x2545F4914F6CDD1Dull;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && next() % 100 < near_copies_per_100) {
      std::string t = out[next() % i];  // near copy: one extra word
      t += " ";
      t += kCommon[next() % kCommonCount];
      out.push_back(std::move(t));
      continue;
    }
    const std::size_t words = 6 + next() % 9;
    std::string t;
    for (std::size_t w = 0; w < words; ++w) {
      if (w) t.push_back(' ');
      const std::uint64_t r = next() % 400;
      if (r < kCommonCount) t += kCommon[r];
      else t += "feature" + std::to_string(r);
    }
    out.push_back(std::move(t));
  }
  return out;
}

void BM_VectorizeShortTexts(benchmark::State& state) {
  const auto texts = synthetic_texts(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    TfidfVectorizer v;
    const SparseMatrix m = v.fit_transform(tokenize_all(texts, Language::en));
    benchmark::DoNotOptimize(m.nonZeros());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_VectorizeShortTexts)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_FindDuplicates(benchmark::State& state) {
  const auto texts = synthetic_texts(static_cast<std::size_t>(state.range(0)), 20);
  DuplicateOptions o;
  o.language = Language::en;
  std::size_t groups = 0;
  for (auto _ : state) {
    const DuplicateGroups g = find_duplicates(texts, 0.8, o);
    groups = g.groups.size();
    benchmark::DoNotOptimize(groups);
  }
  state.counters["groups"] = static_cast<double>(groups);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FindDuplicates)->Arg(50000)->Unit(benchmark::kMillisecond)->Iterations(3);

// Short themed feedback: 85% carry one of 40 two-word topic phrases (one of three variants of
// the second word), plus 3-8 filler words; 15% are filler only.
std::vector<std::string> themed_texts(std::size_t n) {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string t;
    if (next() % 100 < 85) {
      const auto topic = std::to_string(next() % 40);
      t = "topic" + topic + "a topic" + topic + "b" + std::to_string(next() % 3);
    }
    const std::size_t words = 3 + next() % 6;
    for (std::size_t w = 0; w < words; ++w) t += " word" + std::to_string(next() % 2000);
    out.push_back(std::move(t));
  }
  return out;
}

void BM_DetectThemes(benchmark::State& state) {
  const auto texts = themed_texts(static_cast<std::size_t>(state.range(0)));
  ThemeOptions o;
  o.language = Language::en;
  std::size_t themes = 0;
  for (auto _ : state) {
    const ThemeResult r = detect_themes(texts, o);
    themes = r.themes.size();
    benchmark::DoNotOptimize(themes);
  }
  state.counters["themes"] = static_cast<double>(themes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DetectThemes)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
