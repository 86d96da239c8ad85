// c-TF-IDF theme labels (theme_labels.hpp).
#include <cxkit/feedback/theme_labels.hpp>

#include <cxkit/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace cxkit::feedback {
namespace {

// Unigrams and bigrams share one 64-bit key space: a unigram has all-ones in the high half
// (stem ids are < 2^32 - 1, so no bigram can collide with it).
constexpr std::uint64_t kUnigram = 0xFFFFFFFF00000000ull;
std::uint64_t unigram_key(std::uint32_t a) noexcept { return kUnigram | a; }
std::uint64_t bigram_key(std::uint32_t a, std::uint32_t b) noexcept { return (std::uint64_t{a} << 32) | b; }
bool is_unigram(std::uint64_t k) noexcept { return (k & kUnigram) == kUnigram; }

template <class F>
void for_each_term(const LabelCorpus& c, std::size_t item, F&& f) {
  const std::size_t b = c.offset[item], e = c.offset[item + 1];
  for (std::size_t t = b; t < e; ++t) {
    f(unigram_key(c.stem[t]));
    if (t + 1 < e && c.stem[t] != c.stem[t + 1]) f(bigram_key(c.stem[t], c.stem[t + 1]));
  }
}

}  // namespace

std::vector<std::vector<LabelTerm>> ctfidf_labels(const LabelCorpus& corpus, const std::vector<std::int64_t>& assignment,
                                                  std::size_t themes,
                                                  const std::vector<std::vector<std::size_t>>& label_items,
                                                  std::size_t top) {
  const std::size_t n = assignment.size();
  if (corpus.offset.size() != n + 1 || corpus.stem.size() != corpus.offset.back() ||
      corpus.surface.size() != corpus.stem.size() || (!label_items.empty() && label_items.size() != themes))
    throw InputError("ctfidf_labels: corpus, assignment and label_items sizes disagree");
  std::vector<std::vector<LabelTerm>> out(themes);
  if (themes == 0) return out;

  // Per-theme counts over the label items, and the surface forms seen there.
  std::vector<std::unordered_map<std::uint64_t, std::uint64_t>> counts(themes);
  std::vector<double> tokens(themes + 1, 0.0);  // last = the unassigned class
  std::unordered_map<std::uint64_t, std::uint64_t> surface_count;  // (stem << 32 | surface) -> count
  auto count_item = [&](std::size_t c, std::size_t i) {
    auto& m = counts[c];
    for_each_term(corpus, i, [&](std::uint64_t k) { ++m[k]; });
    for (std::size_t t = corpus.offset[i]; t < corpus.offset[i + 1]; ++t)
      ++surface_count[(std::uint64_t{corpus.stem[t]} << 32) | corpus.surface[t]];
    tokens[c] += static_cast<double>(corpus.offset[i + 1] - corpus.offset[i]);
  };
  if (label_items.empty()) {
    for (std::size_t i = 0; i < n; ++i)
      if (assignment[i] >= 0 && static_cast<std::size_t>(assignment[i]) < themes) count_item(static_cast<std::size_t>(assignment[i]), i);
  } else {
    for (std::size_t c = 0; c < themes; ++c)
      for (std::size_t i : label_items[c]) {
        if (i >= n) throw InputError("ctfidf_labels: label item out of range");
        count_item(c, i);
      }
  }
  // f(t) over every item, for the candidate terms only (bounded memory at any n).
  std::unordered_map<std::uint64_t, double> freq;
  for (const auto& m : counts)
    for (const auto& kv : m) freq.emplace(kv.first, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (assignment[i] < 0) tokens[themes] += static_cast<double>(corpus.offset[i + 1] - corpus.offset[i]);
    for_each_term(corpus, i, [&](std::uint64_t k) {
      const auto it = freq.find(k);
      if (it != freq.end()) it->second += 1.0;
    });
  }
  double total_tokens = 0.0;
  for (double t : tokens) total_tokens += t;
  const double mean_tokens = total_tokens / static_cast<double>(themes + 1);

  // Display form of a stem: its most frequent surface form (ties: byte-wise smaller).
  std::unordered_map<std::uint32_t, std::pair<std::uint64_t, std::uint32_t>> best_surface;
  for (const auto& [key, cnt] : surface_count) {
    const auto stem = static_cast<std::uint32_t>(key >> 32);
    const auto surf = static_cast<std::uint32_t>(key & 0xFFFFFFFFu);
    auto [it, inserted] = best_surface.try_emplace(stem, cnt, surf);
    if (!inserted && (cnt > it->second.first ||
                      (cnt == it->second.first && corpus.surface_text[surf] < corpus.surface_text[it->second.second])))
      it->second = {cnt, surf};
  }
  auto shown = [&](std::uint32_t stem) -> const std::string& {
    const auto it = best_surface.find(stem);
    return it == best_surface.end() ? corpus.stem_text[stem] : corpus.surface_text[it->second.second];
  };

  struct Scored {
    std::uint64_t key;
    double score;
    std::string text;
  };
  auto numeric = [&](std::uint32_t stem) {
    const std::string& t = corpus.stem_text[stem];
    return std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  for (std::size_t c = 0; c < themes; ++c) {
    if (tokens[c] <= 0.0) continue;
    std::vector<Scored> scored;
    scored.reserve(counts[c].size());
    for (const auto& [key, cnt] : counts[c]) {
      if (numeric(static_cast<std::uint32_t>(key)) || (!is_unigram(key) && numeric(static_cast<std::uint32_t>(key >> 32))))
        continue;
      const double tf = static_cast<double>(cnt) / tokens[c];
      const double w = tf * std::log(1.0 + mean_tokens / freq[key]);
      std::string text = is_unigram(key) ? shown(static_cast<std::uint32_t>(key)) :
                         shown(static_cast<std::uint32_t>(key >> 32)) + " " + shown(static_cast<std::uint32_t>(key));
      scored.push_back({key, w, std::move(text)});
    }
    std::sort(scored.begin(), scored.end(),
              [](const Scored& a, const Scored& b) { return a.score != b.score ? a.score > b.score : a.text < b.text; });
    // Chosen stems: a unigram inside a chosen phrase (or a phrase of chosen words) adds nothing.
    std::unordered_set<std::uint32_t> covered;
    for (const auto& s : scored) {
      if (out[c].size() >= top) break;
      if (is_unigram(s.key)) {
        const auto a = static_cast<std::uint32_t>(s.key);
        if (!covered.insert(a).second) continue;
      } else {
        const auto a = static_cast<std::uint32_t>(s.key >> 32), b = static_cast<std::uint32_t>(s.key);
        if (covered.count(a) && covered.count(b)) continue;
        // A phrase replaces an already chosen word it contains.
        auto& chosen = out[c];
        chosen.erase(std::remove_if(chosen.begin(), chosen.end(),
                                    [&](const LabelTerm& t) { return t.text == shown(a) || t.text == shown(b); }),
                     chosen.end());
        covered.insert(a);
        covered.insert(b);
      }
      out[c].push_back({s.text, s.score});
    }
  }
  return out;
}

}  // namespace cxkit::feedback
