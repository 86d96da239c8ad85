// detect_themes (themes.hpp): vectors, sample -> average linkage -> centroid rounds, labels.
#include <cxkit/feedback/themes.hpp>

#include <cxkit/core/dictionary.hpp>
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/normalize.hpp>
#include <cxkit/feedback/theme_labels.hpp>

#include "theme_cluster.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace cxkit::feedback {
namespace {

using detail::Edge;
constexpr std::size_t kChunk = 2048;
constexpr std::size_t kSerialBlock = 16384;  // items between two reports of a single-threaded pass

// Progress units of detect_themes (themes.hpp): tokenise, vectors, rounds, similarities + labels.
std::uint64_t round_units(std::size_t n, const ThemeOptions& o) {
  return 2 * static_cast<std::uint64_t>(std::min(n, o.sample_size)) + n;
}
std::uint64_t total_units(std::size_t n, const ThemeOptions& o) {
  return 3 * static_cast<std::uint64_t>(n) + o.max_rounds * round_units(n, o);
}

void validate(const ThemeOptions& o) {
  auto unit = [](double x) { return x >= 0.0 && x <= 1.0; };
  if (!unit(o.link_threshold) || !unit(o.assign_threshold) || !unit(o.edge_floor))
    throw InputError("theme thresholds must be in [0, 1]");
  if (o.min_size == 0) throw InputError("ThemeOptions.min_size must be >= 1");
  if (o.sample_size < 2) throw InputError("ThemeOptions.sample_size must be >= 2");
  if (o.neighbours == 0) throw InputError("ThemeOptions.neighbours must be >= 1");
  if (!(o.max_df > 0.0 && o.max_df <= 1.0)) throw InputError("ThemeOptions.max_df must be in (0, 1]");
}

// ---------------------------------------------------------------- tokens and labels corpus
Stemmer* thread_stemmer(Language language) {
  thread_local std::array<std::optional<Stemmer>, 16> stemmers;
  auto& slot = stemmers[static_cast<std::size_t>(language)];
  if (!slot) slot.emplace(language);
  return &*slot;
}

struct Tokenized {
  LabelCorpus corpus;
  std::vector<Language> languages;
};

// Tokenises in fixed batches of chunks (bounded memory), interning in input order so that
// ids, and everything after, are the same for any thread count.
Tokenized tokenize_items(const std::vector<std::string>& texts, const ThemeOptions& o, ProgressReporter& progress) {
  const std::size_t n = texts.size();
  Tokenized out;
  out.languages.resize(n);
  out.corpus.offset.assign(1, 0);
  Dictionary stems, surfaces;
  struct ChunkTokens {
    std::vector<std::string> stem, surface;
    std::vector<std::uint32_t> count;
  };
  const unsigned workers = detail::resolve_threads(o.threads);
  const std::size_t batch = kChunk * std::max<std::size_t>(4, 4 * workers);
  TokenizeOptions surface_opts;
  surface_opts.stem = false;
  surface_opts.strip_diacritics = false;
  for (std::size_t base = 0; base < n; base += batch) {
    const std::size_t end = std::min(n, base + batch);
    std::vector<ChunkTokens> chunks((end - base + kChunk - 1) / kChunk);
    detail::parallel_chunks(end - base, kChunk, o.threads, [&](std::size_t b, std::size_t e, unsigned) {
      ChunkTokens& ct = chunks[b / kChunk];
      for (std::size_t i = base + b; i < base + e; ++i) {
        const Language lang = o.language != Language::unknown ? o.language : guess_language(texts[i]);
        out.languages[i] = lang;
        auto words = tokenize(texts[i], lang, surface_opts);
        Stemmer* stemmer = has_stemmer(lang) ? thread_stemmer(lang) : nullptr;
        ct.count.push_back(static_cast<std::uint32_t>(words.size()));
        for (auto& w : words) {
          ct.stem.push_back(strip_diacritics(stemmer ? stemmer->stem(w) : w));
          ct.surface.push_back(std::move(w));
        }
      }
      progress.advance(e - b);
    });
    for (const auto& ct : chunks) {
      std::size_t t = 0;
      for (std::uint32_t c : ct.count) {
        for (std::uint32_t k = 0; k < c; ++k, ++t) {
          out.corpus.stem.push_back(stems.intern(ct.stem[t]));
          out.corpus.surface.push_back(surfaces.intern(ct.surface[t]));
        }
        out.corpus.offset.push_back(out.corpus.stem.size());
      }
    }
  }
  out.corpus.stem_text.reserve(stems.size());
  for (std::uint32_t i = 0; i < stems.size(); ++i) out.corpus.stem_text.emplace_back(stems.name(i));
  out.corpus.surface_text.reserve(surfaces.size());
  for (std::uint32_t i = 0; i < surfaces.size(); ++i) out.corpus.surface_text.emplace_back(surfaces.name(i));
  return out;
}

// ---------------------------------------------------------------- sparse TF-IDF space
class SparseSpace {
 public:
  SparseSpace(const LabelCorpus& c, const ThemeOptions& o, ProgressReporter& progress) {
    const std::size_t n = c.offset.size() - 1, v = c.stem_text.size();
    std::vector<std::uint32_t> df(v, 0), last(v, UINT32_MAX);
    std::vector<std::uint64_t> total(v, 0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t t = c.offset[i]; t < c.offset[i + 1]; ++t) {
        ++total[c.stem[t]];
        if (last[c.stem[t]] != i) last[c.stem[t]] = static_cast<std::uint32_t>(i), ++df[c.stem[t]];
      }
    std::vector<std::uint32_t> keep;
    const double max_docs = o.max_df * static_cast<double>(n);
    for (std::size_t s = 0; s < v; ++s)
      if (df[s] >= o.min_df && static_cast<double>(df[s]) <= max_docs) keep.push_back(static_cast<std::uint32_t>(s));
    // max_vocabulary: the most frequent terms, ties by term text, so the cut does not depend on
    // interning order (and hence not on the thread count).
    std::vector<char> df_kept;
    if (o.max_vocabulary > 0 && keep.size() > o.max_vocabulary) {
      df_kept.assign(v, 0);
      for (std::uint32_t s : keep) df_kept[s] = 1;
      std::nth_element(keep.begin(), keep.begin() + static_cast<std::ptrdiff_t>(o.max_vocabulary), keep.end(),
                       [&](std::uint32_t a, std::uint32_t b) {
                         return total[a] != total[b] ? total[a] > total[b] : c.stem_text[a] < c.stem_text[b];
                       });
      pruned_ = keep.size() - o.max_vocabulary;
      keep.resize(o.max_vocabulary);
      std::sort(keep.begin(), keep.end());
    }
    // Kept terms are renumbered densely in stem-id order.
    std::vector<std::int32_t> column(v, -1);
    for (std::uint32_t s : keep) {
      column[s] = static_cast<std::int32_t>(idf_.size());
      idf_.push_back(static_cast<float>(std::log((1.0 + static_cast<double>(n)) / (1.0 + df[s])) + 1.0));
    }
    offset_.assign(n + 1, 0);
    std::vector<std::uint32_t> ids;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % kSerialBlock == 0 && i > 0) progress.advance(kSerialBlock);
      ids.clear();
      for (std::size_t t = c.offset[i]; t < c.offset[i + 1]; ++t)
        if (column[c.stem[t]] >= 0) ids.push_back(static_cast<std::uint32_t>(column[c.stem[t]]));
      if (ids.empty() && !df_kept.empty())
        for (std::size_t t = c.offset[i]; t < c.offset[i + 1]; ++t)
          if (df_kept[c.stem[t]]) {
            ++emptied_;
            break;
          }
      std::sort(ids.begin(), ids.end());
      const std::size_t start = term_.size();
      double norm2 = 0.0;
      for (std::size_t k = 0; k < ids.size();) {
        std::size_t e = k;
        while (e < ids.size() && ids[e] == ids[k]) ++e;
        const double w = (1.0 + std::log(static_cast<double>(e - k))) * idf_[ids[k]];
        term_.push_back(ids[k]);
        weight_.push_back(static_cast<float>(w));
        norm2 += w * w;
        k = e;
      }
      if (norm2 > 0.0)
        for (std::size_t k = start; k < term_.size(); ++k) weight_[k] = static_cast<float>(weight_[k] / std::sqrt(norm2));
      offset_[i + 1] = term_.size();
    }
    progress.advance(n - (n == 0 ? 0 : (n - 1) / kSerialBlock * kSerialBlock));
  }
  std::size_t size() const noexcept { return offset_.size() - 1; }
  std::size_t vocabulary() const noexcept { return idf_.size(); }
  std::size_t pruned() const noexcept { return pruned_; }
  std::size_t emptied() const noexcept { return emptied_; }
  bool empty(std::size_t i) const noexcept { return offset_[i] == offset_[i + 1]; }

  // Top-k neighbours of every sampled item among the sample (inverted index on the sample).
  std::vector<Edge> graph(const std::vector<std::uint32_t>& sample, const ThemeOptions& o, ProgressReporter& progress) const {
    const std::size_t ns = sample.size(), v = idf_.size();
    std::vector<std::size_t> start(v + 1, 0);
    for (std::uint32_t g : sample)
      for (std::size_t k = offset_[g]; k < offset_[g + 1]; ++k) ++start[term_[k] + 1];
    for (std::size_t t = 0; t < v; ++t) start[t + 1] += start[t];
    std::vector<std::uint32_t> post_item(start[v]);
    std::vector<float> post_weight(start[v]);
    {
      std::vector<std::size_t> fill(start.begin(), start.end() - 1);
      for (std::size_t l = 0; l < ns; ++l)
        for (std::size_t k = offset_[sample[l]]; k < offset_[sample[l] + 1]; ++k) {
          const std::size_t p = fill[term_[k]]++;
          post_item[p] = static_cast<std::uint32_t>(l);
          post_weight[p] = weight_[k];
        }
    }
    std::vector<std::vector<Edge>> per_chunk((ns + 255) / 256);
    const unsigned workers = detail::resolve_threads(o.threads);
    std::vector<std::vector<float>> scores(workers, std::vector<float>(ns, 0.0f));
    std::vector<std::vector<std::uint32_t>> touched(workers);
    detail::parallel_chunks(ns, 256, o.threads, [&](std::size_t b, std::size_t e, unsigned w) {
      auto& score = scores[w];
      auto& touch = touched[w];
      auto& edges = per_chunk[b / 256];
      std::vector<std::pair<float, std::uint32_t>> hits;
      for (std::size_t l = b; l < e; ++l) {
        touch.clear();
        const std::uint32_t g = sample[l];
        for (std::size_t k = offset_[g]; k < offset_[g + 1]; ++k) {
          const float wq = weight_[k];
          for (std::size_t p = start[term_[k]]; p < start[term_[k] + 1]; ++p) {
            const std::uint32_t j = post_item[p];
            if (score[j] == 0.0f) touch.push_back(j);
            score[j] += wq * post_weight[p];
          }
        }
        hits.clear();
        for (std::uint32_t j : touch) {
          if (j != l && score[j] >= o.edge_floor) hits.emplace_back(score[j], j);
          score[j] = 0.0f;
        }
        keep_top(hits, o.neighbours);
        for (const auto& [s, j] : hits)
          edges.push_back({static_cast<std::uint32_t>(std::min<std::size_t>(l, j)),
                           static_cast<std::uint32_t>(std::max<std::size_t>(l, j)), s});
      }
      progress.advance(e - b);
    });
    std::vector<Edge> all;
    for (auto& c : per_chunk) all.insert(all.end(), c.begin(), c.end());
    return all;
  }

  // Centroids: normalised mean of members, stored as an inverted index term -> (theme, w).
  void set_centroids(const std::vector<std::vector<std::uint32_t>>& members) {
    const std::size_t v = idf_.size();
    std::vector<std::vector<std::pair<std::uint32_t, float>>> by_term(v);
    std::vector<double> acc(v, 0.0);
    std::vector<std::uint32_t> used;
    for (std::size_t c = 0; c < members.size(); ++c) {
      used.clear();
      for (std::uint32_t g : members[c])
        for (std::size_t k = offset_[g]; k < offset_[g + 1]; ++k) {
          if (acc[term_[k]] == 0.0) used.push_back(term_[k]);
          acc[term_[k]] += weight_[k];
        }
      std::sort(used.begin(), used.end());
      double norm2 = 0.0;
      for (std::uint32_t t : used) norm2 += acc[t] * acc[t];
      const double inv = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
      for (std::uint32_t t : used) {
        by_term[t].emplace_back(static_cast<std::uint32_t>(c), static_cast<float>(acc[t] * inv));
        acc[t] = 0.0;
      }
    }
    centroid_start_.assign(v + 1, 0);
    for (std::size_t t = 0; t < v; ++t) centroid_start_[t + 1] = centroid_start_[t] + by_term[t].size();
    centroid_entries_.clear();
    for (auto& b : by_term) centroid_entries_.insert(centroid_entries_.end(), b.begin(), b.end());
    themes_ = members.size();
  }
  // Best centroid (lowest id on ties) and its cosine; (-1, 0) if none shares a term.
  // `score` is per-thread scratch (all zero between calls); only touched themes are reset.
  std::pair<std::int64_t, float> best(std::size_t i, std::vector<float>& score) const {
    if (score.size() != themes_) score.assign(themes_, 0.0f);
    thread_local std::vector<std::uint32_t> touched;
    touched.clear();
    for (std::size_t k = offset_[i]; k < offset_[i + 1]; ++k)
      for (std::size_t p = centroid_start_[term_[k]]; p < centroid_start_[term_[k] + 1]; ++p) {
        const std::uint32_t c = centroid_entries_[p].first;
        if (score[c] == 0.0f) touched.push_back(c);
        score[c] += weight_[k] * centroid_entries_[p].second;
      }
    std::pair<std::int64_t, float> b{-1, 0.0f};
    for (std::uint32_t c : touched) {
      const float s = score[c];
      if (s > b.second || (s == b.second && s > 0.0f && c < b.first)) b = {static_cast<std::int64_t>(c), s};
      score[c] = 0.0f;
    }
    return b;
  }
  float similarity(std::size_t i, std::size_t c, std::vector<float>&) const {
    double s = 0.0;
    for (std::size_t k = offset_[i]; k < offset_[i + 1]; ++k)
      for (std::size_t p = centroid_start_[term_[k]]; p < centroid_start_[term_[k] + 1]; ++p)
        if (centroid_entries_[p].first == c) s += weight_[k] * centroid_entries_[p].second;
    return static_cast<float>(s);
  }

  static void keep_top(std::vector<std::pair<float, std::uint32_t>>& hits, std::size_t k) {
    auto better = [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; };
    if (hits.size() > k) {
      std::nth_element(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), better);
      hits.resize(k);
    }
  }

 private:
  std::vector<float> idf_;
  std::vector<std::size_t> offset_;
  std::vector<std::uint32_t> term_;
  std::vector<float> weight_;
  std::vector<std::size_t> centroid_start_;
  std::vector<std::pair<std::uint32_t, float>> centroid_entries_;
  std::size_t themes_ = 0;
  std::size_t pruned_ = 0, emptied_ = 0;
};

// ---------------------------------------------------------------- dense embedding space
class DenseSpace {
 public:
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  DenseSpace(const std::vector<float>& data, std::size_t rows, std::size_t dims)
      : data_(data.data()), rows_(rows), dims_(dims), inv_norm_(rows, 0.0f) {
    for (std::size_t i = 0; i < rows; ++i) {
      double s = 0.0;
      for (std::size_t d = 0; d < dims; ++d) {
        const float x = data_[i * dims + d];
        if (!std::isfinite(x)) throw InputError("embeddings contain a non-finite value at row " + std::to_string(i));
        s += static_cast<double>(x) * x;
      }
      inv_norm_[i] = s > 0.0 ? static_cast<float>(1.0 / std::sqrt(s)) : 0.0f;
    }
  }
  std::size_t size() const noexcept { return rows_; }
  bool empty(std::size_t i) const noexcept { return inv_norm_[i] == 0.0f; }
  Eigen::Map<const Eigen::VectorXf> row(std::size_t i) const { return {data_ + i * dims_, static_cast<Eigen::Index>(dims_)}; }

  std::vector<Edge> graph(const std::vector<std::uint32_t>& sample, const ThemeOptions& o, ProgressReporter& progress) const {
    const std::size_t ns = sample.size();
    Matrix m(static_cast<Eigen::Index>(ns), static_cast<Eigen::Index>(dims_));
    for (std::size_t l = 0; l < ns; ++l) m.row(static_cast<Eigen::Index>(l)) = row(sample[l]).transpose() * inv_norm_[sample[l]];
    constexpr std::size_t kBlock = 128;
    std::vector<std::vector<Edge>> per_chunk((ns + kBlock - 1) / kBlock);
    detail::parallel_chunks(ns, kBlock, o.threads, [&](std::size_t b, std::size_t e, unsigned) {
      const Matrix sims = m.middleRows(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(e - b)) * m.transpose();
      std::vector<std::pair<float, std::uint32_t>> hits;
      auto& edges = per_chunk[b / kBlock];
      for (std::size_t l = b; l < e; ++l) {
        hits.clear();
        for (std::size_t j = 0; j < ns; ++j) {
          const float s = sims(static_cast<Eigen::Index>(l - b), static_cast<Eigen::Index>(j));
          if (j != l && s >= o.edge_floor) hits.emplace_back(s, static_cast<std::uint32_t>(j));
        }
        SparseSpace::keep_top(hits, o.neighbours);
        for (const auto& [s, j] : hits)
          edges.push_back({static_cast<std::uint32_t>(std::min<std::size_t>(l, j)),
                           static_cast<std::uint32_t>(std::max<std::size_t>(l, j)), s});
      }
      progress.advance(e - b);
    });
    std::vector<Edge> all;
    for (auto& c : per_chunk) all.insert(all.end(), c.begin(), c.end());
    return all;
  }
  void set_centroids(const std::vector<std::vector<std::uint32_t>>& members) {
    centroids_.resize(static_cast<Eigen::Index>(members.size()), static_cast<Eigen::Index>(dims_));
    for (std::size_t c = 0; c < members.size(); ++c) {
      Eigen::VectorXd acc = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(dims_));
      for (std::uint32_t g : members[c]) acc += (row(g) * inv_norm_[g]).cast<double>();
      const double norm = acc.norm();
      centroids_.row(static_cast<Eigen::Index>(c)) = (norm > 0.0 ? acc / norm : acc).cast<float>().transpose();
    }
  }
  std::pair<std::int64_t, float> best(std::size_t i, std::vector<float>& score) const {
    score.resize(static_cast<std::size_t>(centroids_.rows()));
    std::pair<std::int64_t, float> b{-1, 0.0f};
    if (inv_norm_[i] == 0.0f) return b;
    for (Eigen::Index c = 0; c < centroids_.rows(); ++c) {
      score[static_cast<std::size_t>(c)] = centroids_.row(c).dot(row(i)) * inv_norm_[i];
      if (score[static_cast<std::size_t>(c)] > b.second) b = {c, score[static_cast<std::size_t>(c)]};
    }
    return b;
  }
  float similarity(std::size_t i, std::size_t c, std::vector<float>& score) const {
    best(i, score);
    return score.empty() ? 0.0f : score[c];
  }

 private:
  const float* data_;
  std::size_t rows_, dims_;
  std::vector<float> inv_norm_;
  Matrix centroids_;
};

// ---------------------------------------------------------------- the rounds
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

template <class Space>
ThemeResult cluster_space(Space& space, const ThemeOptions& o, ProgressReporter& progress) {
  const std::size_t n = space.size();
  ThemeResult r;
  r.assignment.assign(n, -1);
  r.similarity.assign(n, 0.0f);
  std::vector<char> sampled(n, 0);
  std::vector<std::vector<std::uint32_t>> members;  // by provisional theme id (round order)
  std::uint64_t round_done = 0;  // units the rounds have reported (graph + linkage + assignment)
  for (std::size_t round = 0; round < o.max_rounds; ++round) {
    std::vector<std::uint32_t> pool;
    for (std::size_t i = 0; i < n; ++i)
      if (!sampled[i] && r.assignment[i] < 0 && !space.empty(i)) pool.push_back(static_cast<std::uint32_t>(i));
    if (pool.size() < 2) break;
    std::vector<std::uint32_t> sample = pool;
    if (sample.size() > o.sample_size) {
      auto key = [&](std::uint32_t i) { return std::make_pair(mix(o.seed ^ mix(i)), i); };
      std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(o.sample_size), sample.end(),
                       [&](std::uint32_t x, std::uint32_t y) { return key(x) < key(y); });
      sample.resize(o.sample_size);
      std::sort(sample.begin(), sample.end());
    }
    for (std::uint32_t g : sample) sampled[g] = 1;
    ++r.rounds;
    const auto root = detail::average_linkage(sample.size(), space.graph(sample, o, progress), o.link_threshold, &progress);
    round_done += 2 * sample.size();
    std::vector<std::uint32_t> cluster_size(sample.size(), 0);
    for (std::uint32_t x : root) ++cluster_size[x];
    const std::size_t first_new = members.size();
    std::vector<std::int64_t> theme_of_root(sample.size(), -1);
    for (std::size_t l = 0; l < sample.size(); ++l) {
      if (cluster_size[root[l]] < o.min_size) continue;
      if (theme_of_root[root[l]] < 0) {
        theme_of_root[root[l]] = static_cast<std::int64_t>(members.size());
        members.emplace_back();
      }
      members[static_cast<std::size_t>(theme_of_root[root[l]])].push_back(sample[l]);
      r.assignment[sample[l]] = theme_of_root[root[l]];
    }
    if (members.size() == first_new) break;
    // Items the linkage left alone (sampled or not) join a new theme whose centroid is close.
    std::vector<std::vector<std::uint32_t>> fresh(members.begin() + static_cast<std::ptrdiff_t>(first_new), members.end());
    space.set_centroids(fresh);
    std::vector<std::int64_t> joined(n, -1);
    const unsigned workers = detail::resolve_threads(o.threads);
    std::vector<std::vector<float>> scratch(workers);
    detail::parallel_chunks(pool.size(), kChunk, o.threads, [&](std::size_t b, std::size_t e, unsigned w) {
      for (std::size_t k = b; k < e; ++k) {
        const std::uint32_t i = pool[k];
        if (r.assignment[i] >= 0) continue;
        const auto [c, s] = space.best(i, scratch[w]);
        if (c >= 0 && s >= o.assign_threshold) joined[i] = static_cast<std::int64_t>(first_new) + c;
      }
      progress.advance(e - b);
    });
    round_done += pool.size();
    for (std::uint32_t i : pool)
      if (joined[i] >= 0) {
        r.assignment[i] = joined[i];
        members[static_cast<std::size_t>(joined[i])].push_back(i);
      }
  }
  progress.advance(o.max_rounds * round_units(n, o) - round_done);  // rounds not run, or smaller than budgeted
  // Final centroids, similarities, and ids renumbered by first member in input order.
  for (auto& m : members) std::sort(m.begin(), m.end());
  std::vector<std::size_t> order(members.size());
  for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return members[x][0] < members[y][0]; });
  std::vector<std::vector<std::uint32_t>> sorted_members(members.size());
  std::vector<std::int64_t> new_id(members.size());
  for (std::size_t k = 0; k < order.size(); ++k) new_id[order[k]] = static_cast<std::int64_t>(k), sorted_members[k] = std::move(members[order[k]]);
  for (auto& a : r.assignment)
    if (a >= 0) a = new_id[static_cast<std::size_t>(a)];
  space.set_centroids(sorted_members);
  r.themes.resize(sorted_members.size());
  const unsigned workers = detail::resolve_threads(o.threads);
  std::vector<std::vector<float>> scratch(workers);
  detail::parallel_chunks(n, kChunk, o.threads, [&](std::size_t b, std::size_t e, unsigned w) {
    for (std::size_t i = b; i < e; ++i)
      if (r.assignment[i] >= 0) r.similarity[i] = space.similarity(i, static_cast<std::size_t>(r.assignment[i]), scratch[w]);
    progress.advance((e - b) / 2);  // the other half of the final n units is the labels
  });
  for (std::size_t c = 0; c < sorted_members.size(); ++c) {
    Theme& t = r.themes[c];
    t.id = static_cast<std::int64_t>(c);
    t.items = sorted_members[c].size();
    double sum = 0.0;
    float best = -1.0f;
    for (std::uint32_t i : sorted_members[c]) {
      sum += r.similarity[i];
      if (r.similarity[i] > best) best = r.similarity[i], t.representative = i;
    }
    t.cohesion = sum / static_cast<double>(t.items);
  }
  return r;
}

void finish_labels(ThemeResult& r, const Tokenized& tok, const ThemeOptions& o) {
  const std::size_t k = r.themes.size();
  std::vector<std::vector<std::size_t>> label_items(k);
  for (std::size_t i = 0; i < r.assignment.size(); ++i)
    if (r.assignment[i] >= 0) label_items[static_cast<std::size_t>(r.assignment[i])].push_back(i);
  for (auto& m : label_items) {
    if (m.size() <= o.label_sample) continue;
    std::stable_sort(m.begin(), m.end(), [&](std::size_t a, std::size_t b) { return r.similarity[a] > r.similarity[b]; });
    m.resize(o.label_sample);
  }
  const auto labels = ctfidf_labels(tok.corpus, r.assignment, k, label_items, o.label_terms);
  for (std::size_t c = 0; c < k; ++c) {
    Theme& t = r.themes[c];
    for (const auto& term : labels[c]) {
      if (!t.label.empty()) t.label += ", ";
      t.label += term.text;
      t.terms.push_back(term.text);
      t.term_scores.push_back(term.score);
    }
    std::array<std::size_t, 16> votes{};
    for (std::size_t i : label_items[c]) ++votes[static_cast<std::size_t>(tok.languages[i])];
    t.language = static_cast<Language>(std::max_element(votes.begin(), votes.end()) - votes.begin());
  }
  r.languages = tok.languages;
}

}  // namespace

ThemeResult detect_themes(const std::vector<std::string>& texts, const ThemeOptions& options) {
  validate(options);
  const std::size_t n = texts.size();
  ProgressReporter progress(options.progress, total_units(n, options));
  const Tokenized tok = tokenize_items(texts, options, progress);
  SparseSpace space(tok.corpus, options, progress);
  ThemeResult r = cluster_space(space, options, progress);
  r.vocabulary = space.vocabulary();
  r.pruned_terms = space.pruned();
  r.emptied_items = space.emptied();
  finish_labels(r, tok, options);
  progress.finish();  // after the labels, so 100% means the result is ready
  return r;
}

ThemeResult detect_themes(const std::vector<float>& embeddings, std::size_t rows, std::size_t dims,
                          const std::vector<std::string>& texts, const ThemeOptions& options) {
  validate(options);
  if (embeddings.size() != rows * dims || dims == 0)
    throw InputError("embeddings must be rows x dims (got " + std::to_string(embeddings.size()) + " values for " +
                     std::to_string(rows) + " x " + std::to_string(dims) + ")");
  if (!texts.empty() && texts.size() != rows)
    throw InputError("texts must be empty or have one entry per embedding row");
  ProgressReporter progress(options.progress, total_units(rows, options));
  DenseSpace space(embeddings, rows, dims);
  progress.advance(rows);  // the vectors stage: norms of the rows
  ThemeResult r = cluster_space(space, options, progress);
  if (texts.empty()) {
    r.languages.assign(rows, Language::unknown);
  } else {
    const Tokenized tok = tokenize_items(texts, options, progress);
    finish_labels(r, tok, options);
  }
  progress.finish();
  return r;
}

}  // namespace cxkit::feedback
