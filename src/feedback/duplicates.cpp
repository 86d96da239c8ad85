// find_duplicates: exact-set merge, MinHash/LSH candidates, exact Jaccard, union-find.
#include <cxkit/feedback/duplicates.hpp>

#include <cxkit/core/error.hpp>
#include <cxkit/feedback/minhash.hpp>
#include <cxkit/feedback/tfidf.hpp>

#include <algorithm>
#include <numeric>
#include <unordered_map>

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

}  // namespace

DuplicateGroups find_duplicate_sets(const std::vector<std::vector<std::uint64_t>>& sets, double threshold,
                                    const DuplicateOptions& options) {
  if (!(threshold > 0.0 && threshold <= 1.0)) throw InputError("find_duplicates threshold must be in (0, 1]");
  const std::size_t n = sets.size();
  DuplicateGroups out;
  UnionFind uf(n);

  // 1. Identical non-empty sets: merged by a hash of the set, confirmed by comparison.
  std::vector<std::size_t> unique;  // representative input index of each distinct set
  {
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash;
    by_hash.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (sets[i].empty()) continue;
      std::uint64_t h = 0x84222325CBF29CE4ull ^ sets[i].size();
      for (std::uint64_t x : sets[i]) h = (h ^ x) * 0x100000001B3ull;
      auto& reps = by_hash[h];
      bool merged = false;
      for (std::size_t r : reps)
        if (sets[r] == sets[i]) {
          uf.unite(r, i);
          merged = true;
          break;
        }
      if (!merged) {
        reps.push_back(i);
        unique.push_back(i);
      }
    }
  }

  // 2. LSH candidates among distinct sets (not needed when only identical sets count).
  if (threshold < 1.0 && unique.size() > 1) {
    const LshParams p = optimal_lsh_params(threshold, options.num_perm, options.fp_weight, options.fn_weight);
    const MinHasher hasher(options.num_perm, options.seed);
    const std::size_t m = options.num_perm, u = unique.size();
    std::vector<std::uint32_t> sig(u * m);
    for (std::size_t k = 0; k < u; ++k) hasher.signature(sets[unique[k]], std::span<std::uint32_t>(sig.data() + k * m, m));
    std::vector<std::uint64_t> pairs;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(u);
    for (std::size_t b = 0; b < p.bands; ++b) {
      for (std::size_t k = 0; k < u; ++k) keys[k] = {band_key(sig.data() + k * m + b * p.rows, p.rows, b), static_cast<std::uint32_t>(k)};
      std::sort(keys.begin(), keys.end());
      for (std::size_t i = 0; i < u;) {
        std::size_t j = i + 1;
        while (j < u && keys[j].first == keys[i].first) ++j;
        for (std::size_t x = i; x < j; ++x)
          for (std::size_t y = x + 1; y < j; ++y)
            pairs.push_back((std::uint64_t{keys[x].second} << 32) | keys[y].second);  // x < y: sorted by index
        i = j;
      }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    out.candidate_pairs = pairs.size();
    // 3. Exact verification.
    for (std::uint64_t pr : pairs) {
      const std::size_t a = unique[pr >> 32], c = unique[pr & 0xFFFFFFFFu];
      if (jaccard(sets[a], sets[c]) >= threshold) {
        ++out.verified_pairs;
        uf.unite(a, c);
      }
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

DuplicateGroups find_duplicates(const std::vector<std::string>& texts, double threshold,
                                const DuplicateOptions& options) {
  if (!(threshold > 0.0 && threshold <= 1.0)) throw InputError("find_duplicates threshold must be in (0, 1]");
  std::vector<std::vector<std::uint64_t>> sets;
  sets.reserve(texts.size());
  for (const auto& t : texts) sets.push_back(shingle_set(tokenize(t, options.language, options.tokenize), options.shingle_size));
  return find_duplicate_sets(sets, threshold, options);
}

}  // namespace cxkit::feedback
