// find_duplicates: memoised tokens to shingle hashes, exact-set merge, MinHash/LSH candidates by
// sorting band keys, exact Jaccard, union-find; the heavy steps in parallel, deterministically.
#include <cxkit/feedback/duplicates.hpp>

#include <cxkit/core/error.hpp>
#include <cxkit/feedback/minhash.hpp>
#include <cxkit/feedback/tfidf.hpp>

#include "theme_cluster.hpp"
#include "token_stream.hpp"

#include <algorithm>
#include <numeric>
#include <span>

namespace cxkit::feedback {
namespace {

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
  std::size_t find(std::size_t x) noexcept {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // The smaller root wins, so roots are deterministic.
  void unite(std::size_t a, std::size_t b) noexcept {
    a = find(a), b = find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<std::size_t> parent_;
};

std::uint64_t band_key(const std::uint32_t* rows, std::size_t r, std::size_t band) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull * (band + 1);
  for (std::size_t i = 0; i < r; ++i) {
    h ^= rows[i] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xFF51AFD7ED558CCDull;
  }
  return h ^ (h >> 29);
}

// Sets stored flat: set i is values[offset[i] .. offset[i + 1]).
struct FlatSets {
  std::vector<std::size_t> offset{0};
  std::vector<std::uint64_t> values;
  std::size_t size() const noexcept { return offset.size() - 1; }
  std::span<const std::uint64_t> operator[](std::size_t i) const noexcept {
    return {values.data() + offset[i], offset[i + 1] - offset[i]};
  }
};

std::uint64_t set_hash(std::span<const std::uint64_t> s) noexcept {
  std::uint64_t h = 0x84222325CBF29CE4ull ^ s.size();
  for (std::uint64_t x : s) h = (h ^ x) * 0x100000001B3ull;
  return h ^ (h >> 29);
}

bool same_set(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Units k_begin..k_end of `count` mapped onto `n` progress units: the slices of any
// partition of [0, count) add up to exactly n.
std::uint64_t scaled(std::size_t k_begin, std::size_t k_end, std::size_t count, std::size_t n) noexcept {
  if (count == 0) return 0;
  const auto at = [&](std::size_t k) {  // floor(k * n / count); rounding is monotone in k
    return k >= count ? std::uint64_t{n}
                      : static_cast<std::uint64_t>(static_cast<double>(k) * static_cast<double>(n) / static_cast<double>(count));
  };
  return at(k_end) - at(k_begin);
}

// Appends the candidate pairs of one band bucket keys[i, j) (items ascending within it).
// Returns the number of pairs a bucket over the limit did not propose.
std::size_t bucket_pairs(const std::vector<std::pair<std::uint64_t, std::uint32_t>>& keys, std::size_t i,
                         std::size_t j, std::size_t limit, std::vector<std::uint64_t>& pairs) {
  auto pair = [&](std::size_t x, std::size_t y) {
    pairs.push_back((std::uint64_t{keys[x].second} << 32) | keys[y].second);  // x < y: sorted by index
  };
  const std::size_t s = j - i;
  if (limit == 0 || s <= limit) {
    for (std::size_t x = i; x < j; ++x)
      for (std::size_t y = x + 1; y < j; ++y) pair(x, y);
    return 0;
  }
  // Star on the first member plus the chain of consecutive members: 2s - 3 distinct pairs.
  for (std::size_t y = i + 1; y < j; ++y) pair(i, y);
  for (std::size_t x = i + 1; x + 1 < j; ++x) pair(x, x + 1);
  return s * (s - 1) / 2 - (2 * s - 3);
}

DuplicateGroups group_sets(const FlatSets& sets, double threshold, const DuplicateOptions& options,
                           ProgressReporter& progress) {
  const std::size_t n = sets.size();
  if (n >= 0xFFFFFFFFu) throw InputError("find_duplicates: more than 2^32 - 2 texts");
  const unsigned threads = options.threads;
  DuplicateGroups out;
  UnionFind uf(n);

  // 1. Identical non-empty sets: sorted by (set hash, index), confirmed by comparison; the
  //    smallest index of each distinct set represents it.
  std::vector<std::uint32_t> unique;
  {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_hash;
    by_hash.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      if (!sets[i].empty()) by_hash.emplace_back(set_hash(sets[i]), static_cast<std::uint32_t>(i));
    std::sort(by_hash.begin(), by_hash.end());
    std::vector<std::uint32_t> reps;
    for (std::size_t i = 0; i < by_hash.size();) {
      std::size_t j = i + 1;
      while (j < by_hash.size() && by_hash[j].first == by_hash[i].first) ++j;
      reps.clear();
      for (std::size_t k = i; k < j; ++k) {
        const std::uint32_t x = by_hash[k].second;
        bool merged = false;
        for (std::uint32_t r : reps)
          if (same_set(sets[r], sets[x])) {
            uf.unite(r, x);
            merged = true;
            break;
          }
        if (!merged) reps.push_back(x), unique.push_back(x);
      }
      i = j;
    }
    std::sort(unique.begin(), unique.end());
  }

  // 2. LSH candidates among distinct sets (not needed when only identical sets count).
  if (threshold < 1.0 && unique.size() > 1) {
    const LshParams p = optimal_lsh_params(threshold, options.num_perm, options.fp_weight, options.fn_weight);
    const MinHasher hasher(options.num_perm, options.seed);
    const std::size_t m = options.num_perm, u = unique.size();
    // Signatures are only needed for their band keys (verification is exact on the sets), so
    // each is reduced to its keys at once: memory u * bands words instead of u * num_perm.
    std::vector<std::uint64_t> band_keys(p.bands * u);
    detail::parallel_chunks(u, 2048, threads, [&](std::size_t b, std::size_t e, unsigned) {
      std::vector<std::uint32_t> sig(m);
      for (std::size_t k = b; k < e; ++k) {
        hasher.signature(sets[unique[k]], sig);
        for (std::size_t band = 0; band < p.bands; ++band)
          band_keys[band * u + k] = band_key(sig.data() + band * p.rows, p.rows, band);
      }
      progress.advance(scaled(b, e, u, n));
    });
    // Each band sorts (band key, item) pairs; items sharing a key are candidates.
    std::vector<std::vector<std::uint64_t>> band_pairs(p.bands);
    std::vector<std::size_t> oversized(p.bands, 0), skipped(p.bands, 0);
    detail::parallel_chunks(p.bands, 1, threads, [&](std::size_t b, std::size_t, unsigned) {
      std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(u);
      for (std::size_t k = 0; k < u; ++k) keys[k] = {band_keys[b * u + k], static_cast<std::uint32_t>(k)};
      std::sort(keys.begin(), keys.end());
      auto& pairs = band_pairs[b];
      for (std::size_t i = 0; i < u;) {
        std::size_t j = i + 1;
        while (j < u && keys[j].first == keys[i].first) ++j;
        const std::size_t lost = bucket_pairs(keys, i, j, options.max_bucket_size, pairs);
        if (options.max_bucket_size > 0 && j - i > options.max_bucket_size) ++oversized[b], skipped[b] += lost;
        i = j;
      }
      progress.advance(scaled(b, b + 1, p.bands, n));
    });
    for (std::size_t b = 0; b < p.bands; ++b) out.oversized_buckets += oversized[b], out.skipped_pairs += skipped[b];
    std::vector<std::uint64_t> pairs;
    {
      std::size_t total = 0;
      for (const auto& bp : band_pairs) total += bp.size();
      pairs.reserve(total);
      for (auto& bp : band_pairs) {
        pairs.insert(pairs.end(), bp.begin(), bp.end());
        std::vector<std::uint64_t>().swap(bp);
      }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    out.candidate_pairs = pairs.size();
    // 3. Exact verification, in parallel; unions in pair order afterwards.
    std::vector<std::uint8_t> ok(pairs.size(), 0);
    detail::parallel_chunks(pairs.size(), 8192, threads, [&](std::size_t b, std::size_t e, unsigned) {
      for (std::size_t k = b; k < e; ++k)
        ok[k] = jaccard(sets[unique[pairs[k] >> 32]], sets[unique[pairs[k] & 0xFFFFFFFFu]]) >= threshold;
      progress.advance(scaled(b, e, pairs.size(), n));
    });
    for (std::size_t k = 0; k < pairs.size(); ++k)
      if (ok[k]) {
        ++out.verified_pairs;
        uf.unite(unique[pairs[k] >> 32], unique[pairs[k] & 0xFFFFFFFFu]);
      }
  }

  // 4. Components of size >= 2, numbered by smallest member (the root is the smallest).
  std::vector<std::size_t> size(n, 0);
  for (std::size_t i = 0; i < n; ++i) ++size[uf.find(i)];
  out.group.assign(n, -1);
  std::vector<std::int64_t> id_of_root(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = uf.find(i);
    if (size[r] < 2) continue;
    if (id_of_root[r] < 0) {
      id_of_root[r] = static_cast<std::int64_t>(out.groups.size());
      out.groups.emplace_back();
    }
    out.group[i] = id_of_root[r];
    out.groups[static_cast<std::size_t>(id_of_root[r])].push_back(i);
  }
  return out;
}

// FNV-1a over the tokens joined by single spaces, then hash_string's finaliser: equals
// hash_string(joined) without building the joined string.
std::uint64_t hash_joined(const detail::TokenCache& cache, const std::uint32_t* ids, std::size_t k) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (std::size_t j = 0; j < k; ++j) {
    if (j) h = (h ^ static_cast<unsigned char>(' ')) * 0x100000001B3ull;
    for (unsigned char c : cache.token(ids[j])) h = (h ^ c) * 0x100000001B3ull;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 33);
}

}  // namespace

DuplicateGroups find_duplicate_sets(const std::vector<std::vector<std::uint64_t>>& sets, double threshold,
                                    const DuplicateOptions& options) {
  if (!(threshold > 0.0 && threshold <= 1.0)) throw InputError("find_duplicates threshold must be in (0, 1]");
  FlatSets flat;
  flat.offset.reserve(sets.size() + 1);
  for (const auto& s : sets) {
    flat.values.insert(flat.values.end(), s.begin(), s.end());
    flat.offset.push_back(flat.values.size());
  }
  ProgressReporter progress(options.progress, 4 * static_cast<std::uint64_t>(sets.size()));
  progress.advance(sets.size());  // the sets are given: no shingling
  DuplicateGroups g = group_sets(flat, threshold, options, progress);
  progress.finish();
  return g;
}

DuplicateGroups find_duplicates(const std::vector<std::string>& texts, double threshold,
                                const DuplicateOptions& options) {
  if (!(threshold > 0.0 && threshold <= 1.0)) throw InputError("find_duplicates threshold must be in (0, 1]");
  if (options.shingle_size == 0) throw InputError("shingle size must be >= 1");
  constexpr std::size_t kChunk = 4096;
  const std::size_t n = texts.size(), k = options.shingle_size;
  struct Worker {
    explicit Worker(const TokenizeOptions& o) : tokens(o) {}
    detail::TokenCache tokens;
    std::vector<std::uint64_t> hash_of;  // by token id: hash_string(token)
  };
  const unsigned workers = detail::resolve_threads(options.threads);
  std::vector<Worker> work;
  work.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) work.emplace_back(options.tokenize);
  std::vector<FlatSets> parts((n + kChunk - 1) / kChunk);
  ProgressReporter progress(options.progress, 4 * static_cast<std::uint64_t>(n));
  // Shingle sets per text, as shingle_set(tokenize(text), k), in fixed chunks.
  detail::parallel_chunks(n, kChunk, options.threads, [&](std::size_t b, std::size_t e, unsigned w) {
    Worker& wk = work[w];
    FlatSets& part = parts[b / kChunk];
    std::vector<std::uint32_t> ids;
    for (std::size_t i = b; i < e; ++i) {
      ids.clear();
      wk.tokens.for_each(texts[i], options.language, [&](std::uint32_t t) { ids.push_back(t); });
      const std::size_t start = part.values.size();
      if (!ids.empty()) {
        if (k == 1) {
          while (wk.hash_of.size() < wk.tokens.size())
            wk.hash_of.push_back(hash_string(wk.tokens.token(static_cast<std::uint32_t>(wk.hash_of.size()))));
          for (std::uint32_t t : ids) part.values.push_back(wk.hash_of[t]);
        } else {
          const std::size_t kk = std::min(k, ids.size());
          for (std::size_t j = 0; j + kk <= ids.size(); ++j) part.values.push_back(hash_joined(wk.tokens, ids.data() + j, kk));
        }
        std::sort(part.values.begin() + static_cast<std::ptrdiff_t>(start), part.values.end());
        part.values.erase(std::unique(part.values.begin() + static_cast<std::ptrdiff_t>(start), part.values.end()),
                          part.values.end());
      }
      part.offset.push_back(part.values.size());
    }
    progress.advance(e - b);
  });
  FlatSets sets;
  {
    std::size_t total = 0;
    for (const auto& p : parts) total += p.values.size();
    sets.values.reserve(total);
    sets.offset.reserve(n + 1);
    for (auto& p : parts) {
      const std::size_t base = sets.values.size();
      sets.values.insert(sets.values.end(), p.values.begin(), p.values.end());
      for (std::size_t i = 1; i < p.offset.size(); ++i) sets.offset.push_back(base + p.offset[i]);
      std::vector<std::size_t>().swap(p.offset);
      std::vector<std::uint64_t>().swap(p.values);
    }
  }
  DuplicateGroups g = group_sets(sets, threshold, options, progress);
  progress.finish();  // stages that did not run (threshold 1, < 2 distinct sets) end here
  return g;
}

}  // namespace cxkit::feedback
