// JourneyMap: lookups, variant filters, merge and assembly (sorting and summaries).
#include "cxkit/journey/journey_map.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <exception>
#include <thread>

#include "variant_summary.hpp"

namespace cxkit::journey {
namespace {

bool edge_before(const Edge& x, const Edge& y) {
  return x.source != y.source ? x.source < y.source : x.target < y.target;
}

// Summaries of edges and variants, split into contiguous ranges of about equal work.
void summarize_all(std::vector<Edge>& edges, std::vector<Variant>& variants, const std::vector<double>& probs,
                   unsigned threads) {
  const std::size_t n = edges.size() + variants.size();
  const auto weight = [&](std::size_t i) -> std::uint64_t {
    const DurationStats& d = i < edges.size() ? edges[i].durations : variants[i - edges.size()].durations;
    return 1 + (d.mode() == DurationMode::exact ? d.count() : 0);
  };
  const auto run = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (i < edges.size())
        edges[i].summary = edges[i].durations.summarize(probs);
      else
        variants[i - edges.size()].summary = variants[i - edges.size()].durations.summarize(probs);
    }
  };
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weight(i);
  threads = static_cast<unsigned>(std::clamp<std::uint64_t>(total / 65536, 1, std::max(1u, threads)));
  if (threads == 1) {
    run(0, n);
    return;
  }
  std::vector<std::size_t> bounds(threads + 1, n);
  bounds[0] = 0;
  std::uint64_t acc = 0;
  unsigned t = 1;
  for (std::size_t i = 0; i < n && t < threads; ++i) {
    acc += weight(i);
    while (t < threads && acc * threads >= total * t) bounds[t++] = i + 1;
  }
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < threads; ++k)
    pool.emplace_back([&, k] {
      try {
        run(bounds[k], bounds[k + 1]);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    });
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::string describe_settings_difference(const MapSettings& a, const MapSettings& b) {
  if (a.durations != b.durations)
    return std::string("duration modes differ (") + to_string(a.durations) + " and " + to_string(b.durations) + ")";
  if (a.durations == DurationMode::sketch && a.sketch_bits != b.sketch_bits) return "sketch_bits differ";
  if (a.quantiles != b.quantiles) return "quantile probabilities differ";
  if (a.calendar.has_value() != b.calendar.has_value()) return "one map is in business time, the other is not";
  if (a.calendar && !(*a.calendar == *b.calendar)) return "the business calendars differ";
  if (a.variants != b.variants) return "one map has variants, the other does not";
  return {};
}

}  // namespace

JourneyMap JourneyMap::assemble(MapSettings settings, std::uint64_t n_cases, std::uint64_t n_events,
                                std::uint64_t rework_cases, std::vector<ActivityStats> activities,
                                std::vector<Edge> edges, std::vector<Variant> variants, unsigned threads,
                                std::vector<std::uint8_t> variant_sketch) {
  JourneyMap m;
  m.variant_sketch_ = std::move(variant_sketch);
  m.settings_ = std::move(settings);
  m.n_cases_ = n_cases;
  m.n_events_ = n_events;
  m.rework_cases_ = rework_cases;
  std::sort(edges.begin(), edges.end(), edge_before);
  for (auto& a : activities) a.self_loops = 0;
  for (const Edge& e : edges)
    if (e.source == e.target) activities[e.source].self_loops = e.count;
  {
    // Sort small keys, not the (large) Variant objects, then move each once. The key packs
    // the first activities (position + 1, 0 = sequence ended) big-endian into two words,
    // so comparing keys compares sequences lexicographically; only ties on those fall back
    // to the full sequences.
    const unsigned bits = std::max(1u, static_cast<unsigned>(std::bit_width(activities.size())));
    const unsigned per_word = 64 / bits;
    struct Key {
      std::uint64_t count, w0, w1;
      std::uint32_t index;
    };
    std::vector<Key> keys(variants.size());
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
      const auto& seq = variants[i].activities;
      std::uint64_t w[2] = {0, 0};
      std::size_t k = 0;
      for (auto& word : w)
        for (unsigned j = 0; j < per_word; ++j, ++k) word = (word << bits) | (k < seq.size() ? seq[k] + 1 : 0);
      keys[i] = Key{variants[i].count, w[0], w[1], i};
    }
    std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
      if (x.count != y.count) return x.count > y.count;
      if (x.w0 != y.w0) return x.w0 < y.w0;
      if (x.w1 != y.w1) return x.w1 < y.w1;
      return variants[x.index].activities < variants[y.index].activities;
    });
    std::vector<Variant> sorted;
    sorted.reserve(variants.size());
    for (const Key& k : keys) sorted.push_back(std::move(variants[k.index]));
    variants = std::move(sorted);
  }
  for (Variant& v : variants)
    v.share = n_cases == 0 ? 0.0 : static_cast<double>(v.count) / static_cast<double>(n_cases);
  summarize_all(edges, variants, m.settings_.quantiles, threads);
  m.activities_ = std::move(activities);
  m.edges_ = std::move(edges);
  m.variants_ = std::move(variants);
  return m;
}

std::optional<std::uint32_t> JourneyMap::find_activity(std::string_view name) const noexcept {
  const auto it = std::lower_bound(activities_.begin(), activities_.end(), name,
                                   [](const ActivityStats& a, std::string_view n) { return a.name < n; });
  if (it == activities_.end() || it->name != name) return std::nullopt;
  return static_cast<std::uint32_t>(it - activities_.begin());
}

std::uint32_t JourneyMap::activity_index(std::string_view name) const {
  if (auto i = find_activity(name)) return *i;
  std::string known;
  for (const auto& a : activities_) known += (known.empty() ? "'" : ", '") + a.name + "'";
  throw NotFoundError("unknown activity '" + std::string(name) + "'; known activities: " +
                      (known.empty() ? std::string("(none)") : known));
}

std::vector<std::pair<std::string_view, std::uint64_t>> JourneyMap::start_activities() const {
  std::vector<std::pair<std::string_view, std::uint64_t>> out;
  for (const auto& a : activities_)
    if (a.starts != 0) out.emplace_back(a.name, a.starts);
  return out;
}

std::vector<std::pair<std::string_view, std::uint64_t>> JourneyMap::end_activities() const {
  std::vector<std::pair<std::string_view, std::uint64_t>> out;
  for (const auto& a : activities_)
    if (a.ends != 0) out.emplace_back(a.name, a.ends);
  return out;
}

const Edge* JourneyMap::find_edge(std::uint32_t source, std::uint32_t target) const noexcept {
  Edge key;
  key.source = source;
  key.target = target;
  const auto it = std::lower_bound(edges_.begin(), edges_.end(), key, edge_before);
  if (it == edges_.end() || it->source != source || it->target != target) return nullptr;
  return &*it;
}

const Edge* JourneyMap::find_edge(std::string_view source, std::string_view target) const noexcept {
  const auto s = find_activity(source), t = find_activity(target);
  if (!s || !t) return nullptr;
  return find_edge(*s, *t);
}

std::vector<const Edge*> JourneyMap::self_loop_edges() const {
  std::vector<const Edge*> out;
  for (const Edge& e : edges_)
    if (e.source == e.target) out.push_back(&e);
  return out;
}

std::span<const Variant> JourneyMap::top_variants(std::size_t k) const noexcept {
  return std::span<const Variant>(variants_).first(std::min(k, variants_.size()));
}

std::span<const Variant> JourneyMap::variants_covering(double coverage) const {
  if (!(coverage >= 0.0 && coverage <= 1.0))
    throw InputError("variant coverage must lie in [0, 1]", {"variants_covering", -1, "coverage",
                                                               std::to_string(coverage)});
  // Integer comparison: the cases covered must reach ceil(coverage * n_cases).
  const long double need_ld = std::ceil(static_cast<long double>(coverage) * static_cast<long double>(n_cases_));
  const auto need = static_cast<std::uint64_t>(need_ld);
  std::uint64_t covered = 0;
  std::size_t k = 0;
  while (k < variants_.size() && covered < need) covered += variants_[k++].count;
  return std::span<const Variant>(variants_).first(k);
}

std::vector<std::string_view> JourneyMap::variant_names(const Variant& v) const {
  std::vector<std::string_view> out;
  out.reserve(v.activities.size());
  for (std::uint32_t a : v.activities) out.push_back(activities_[a].name);
  return out;
}

void JourneyMap::merge(const JourneyMap& other) {
  if (other.n_cases_ == 0) return;
  if (n_cases_ == 0) {
    *this = other;
    return;
  }
  if (const std::string why = describe_settings_difference(settings_, other.settings_); !why.empty())
    throw InputError("cannot merge journey maps: " + why);

  // Union of the activity names, sorted; position maps from each side.
  std::vector<ActivityStats> acts;
  std::vector<std::uint32_t> from_this(activities_.size()), from_other(other.activities_.size());
  {
    std::size_t i = 0, j = 0;
    while (i < activities_.size() || j < other.activities_.size()) {
      const auto pos = static_cast<std::uint32_t>(acts.size());
      if (j == other.activities_.size() || (i < activities_.size() && activities_[i].name < other.activities_[j].name)) {
        acts.push_back(activities_[i]);
        from_this[i++] = pos;
      } else if (i == activities_.size() || other.activities_[j].name < activities_[i].name) {
        acts.push_back(other.activities_[j]);
        from_other[j++] = pos;
      } else {
        ActivityStats s = activities_[i];
        const ActivityStats& o = other.activities_[j];
        s.events += o.events;
        s.cases += o.cases;
        s.starts += o.starts;
        s.ends += o.ends;
        s.rework_cases += o.rework_cases;
        acts.push_back(std::move(s));
        from_this[i++] = pos;
        from_other[j++] = pos;
      }
    }
  }

  // Edges: ours first, then the other's, each remapped; equal keys combine in that order.
  std::vector<Edge> all;
  all.reserve(edges_.size() + other.edges_.size());
  for (const Edge& e : edges_) {
    Edge x = e;
    x.source = from_this[e.source];
    x.target = from_this[e.target];
    all.push_back(std::move(x));
  }
  for (const Edge& e : other.edges_) {
    Edge x = e;
    x.source = from_other[e.source];
    x.target = from_other[e.target];
    all.push_back(std::move(x));
  }
  std::stable_sort(all.begin(), all.end(), edge_before);
  std::vector<Edge> edges;
  for (Edge& e : all) {
    if (!edges.empty() && edges.back().source == e.source && edges.back().target == e.target) {
      edges.back().count += e.count;
      edges.back().durations.merge(e.durations);
    } else {
      edges.push_back(std::move(e));
    }
  }

  // Variants: the Misra-Gries merge (counts and rank counts add, then the cap), and the
  // distinct-sequence sketch once the union is no longer complete.
  std::vector<Variant> vall;
  vall.reserve(variants_.size() + other.variants_.size());
  for (const Variant& v : variants_) {
    Variant x = v;
    for (auto& a : x.activities) a = from_this[a];
    vall.push_back(std::move(x));
  }
  for (const Variant& v : other.variants_) {
    Variant x = v;
    for (auto& a : x.activities) a = from_other[a];
    vall.push_back(std::move(x));
  }
  std::stable_sort(vall.begin(), vall.end(),
                   [](const Variant& x, const Variant& y) { return x.activities < y.activities; });
  std::vector<Variant> variants;
  for (Variant& v : vall) {
    if (!variants.empty() && variants.back().activities == v.activities) {
      variants.back().count += v.count;
      variants.back().rank_count += v.rank_count;
      variants.back().durations.merge(v.durations);
    } else {
      variants.push_back(std::move(v));
    }
  }
  MapSettings settings = settings_;
  settings.max_variants = std::min(settings_.max_variants, other.settings_.max_variants);
  const bool dropped = detail::cap_variants(variants, settings.max_variants);
  std::vector<std::uint8_t> sketch;
  if (settings.variants && (dropped || !variant_sketch_.empty() || !other.variant_sketch_.empty())) {
    sketch = variant_sketch_.empty() ? detail::sketch_of(variants_, activity_hashes()) : variant_sketch_;
    detail::sketch_merge(sketch, other.variant_sketch_.empty()
                                     ? detail::sketch_of(other.variants_, other.activity_hashes())
                                     : other.variant_sketch_);
  }

  *this = assemble(std::move(settings), n_cases_ + other.n_cases_, n_events_ + other.n_events_,
                   rework_cases_ + other.rework_cases_, std::move(acts), std::move(edges), std::move(variants),
                   std::max(1u, std::thread::hardware_concurrency()), std::move(sketch));
}

std::vector<std::uint64_t> JourneyMap::activity_hashes() const {
  std::vector<std::uint64_t> out;
  out.reserve(activities_.size());
  for (const auto& a : activities_) out.push_back(detail::name_hash(a.name));
  return out;
}

std::uint64_t JourneyMap::other_variant_cases() const noexcept {
  std::uint64_t counted = 0;
  for (const Variant& v : variants_) counted += v.count;
  return n_cases_ - std::min(counted, n_cases_);
}

std::uint64_t JourneyMap::n_variants() const noexcept {
  if (!settings_.variants) return 0;
  const std::uint64_t other = other_variant_cases();
  if (other == 0) return variants_.size();
  if (variant_sketch_.size() != detail::kSketchRegisters) return variants_.size() + 1;
  const double estimate = std::round(detail::sketch_estimate(variant_sketch_));
  const auto kept = static_cast<std::uint64_t>(variants_.size());
  if (!(estimate >= static_cast<double>(kept + 1))) return kept + 1;
  if (estimate >= static_cast<double>(kept + other)) return kept + other;
  return static_cast<std::uint64_t>(estimate);
}

std::uint64_t JourneyMap::variant_count_error() const noexcept {
  if (!settings_.variants || settings_.max_variants == kUnlimitedVariants) return 0;
  std::uint64_t ranked = 0;
  for (const Variant& v : variants_) ranked += v.rank_count;
  return (n_cases_ - std::min(ranked, n_cases_)) / (settings_.max_variants + 1);
}

std::size_t JourneyMap::memory_bytes() const noexcept {
  std::size_t b = sizeof(*this) + settings_.quantiles.capacity() * sizeof(double);
  b += activities_.capacity() * sizeof(ActivityStats);
  for (const auto& a : activities_) b += a.name.capacity() > 15 ? a.name.capacity() + 1 : 0;
  b += edges_.capacity() * sizeof(Edge);
  for (const Edge& e : edges_) b += e.durations.memory_bytes() + e.summary.quantiles.capacity() * sizeof(double);
  b += variants_.capacity() * sizeof(Variant);
  for (const Variant& v : variants_)
    b += v.activities.capacity() * sizeof(std::uint32_t) + v.durations.memory_bytes() +
         v.summary.quantiles.capacity() * sizeof(double);
  return b + variant_sketch_.capacity();
}

}  // namespace cxkit::journey
