#include "concordance.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cxkit::churn::detail {

namespace {

/// Fenwick (binary indexed) tree of counts over ranks 0..n-1. 32-bit cells halve the memory
/// the random walks touch (counts never exceed the number of rows, checked by the caller).
class Fenwick {
 public:
  explicit Fenwick(std::size_t n) : tree_(n + 1, 0) {}
  void add(std::size_t rank) noexcept {
    for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
  }
  /// Count of inserted ranks < rank.
  std::int64_t below(std::size_t rank) const noexcept {
    std::int64_t s = 0;
    for (std::size_t i = rank; i > 0; i -= i & (~i + 1)) s += tree_[i];
    return s;
  }

 private:
  std::vector<std::uint32_t> tree_;
};

}  // namespace

metrics::ConcordanceCounts concordance_sorted(const double* time, const double* score, const double* event,
                                              std::size_t n) {
  metrics::ConcordanceCounts out;
  // 1. Rank by score, once: lt[k] = number of distinct EVENT scores below row k's score, and
  //    eq[k] = the rank of row k's score among event scores, or -1 if no event has that score
  //    (only event rows ever join the pool that later rows are compared with).
  struct Keyed {
    double score;
    std::size_t pos;
  };
  std::vector<Keyed> by(n);
  for (std::size_t k = 0; k < n; ++k) by[k] = {score[k], k};
  std::sort(by.begin(), by.end(), [](const Keyed& a, const Keyed& b) { return a.score < b.score; });
  std::vector<std::int64_t> lt(n), eq(n);
  std::int64_t distinct = 0;
  for (std::size_t k = 0; k < n;) {
    std::size_t end = k;
    bool has_event = false;
    while (end < n && by[end].score == by[k].score) has_event |= event[by[end++].pos] != 0.0;
    for (std::size_t j = k; j < end; ++j) {
      lt[by[j].pos] = distinct;
      eq[by[j].pos] = has_event ? distinct : -1;
    }
    distinct += has_event ? 1 : 0;
    k = end;
  }
  if (distinct == 0) return out;
  by.clear();
  by.shrink_to_fit();

  // 2. Sweep in time order. Events at t are compared with the pool of events before t, then
  //    join it; rows censored at t are compared with every event at or before t and never join.
  Fenwick pool(static_cast<std::size_t>(distinct));
  std::vector<std::uint32_t> at_rank(static_cast<std::size_t>(distinct), 0);
  std::int64_t pool_size = 0;
  auto count_against_pool = [&](std::size_t k) {
    // Earlier events with a lower score are ordered correctly (higher score = longer life).
    out.correct += pool.below(static_cast<std::size_t>(lt[k]));
    if (eq[k] >= 0) out.tied += at_rank[static_cast<std::size_t>(eq[k])];
    out.pairs += pool_size;
  };
  for (std::size_t k = 0; k < n;) {
    const double t = time[k];
    std::size_t e_end = k;
    while (e_end < n && time[e_end] == t && event[e_end] != 0.0) ++e_end;
    for (std::size_t j = k; j < e_end; ++j) count_against_pool(j);
    for (std::size_t j = k; j < e_end; ++j) {
      pool.add(static_cast<std::size_t>(eq[j]));
      ++at_rank[static_cast<std::size_t>(eq[j])];
    }
    pool_size += static_cast<std::int64_t>(e_end - k);
    std::size_t c_end = e_end;
    while (c_end < n && time[c_end] == t) ++c_end;
    for (std::size_t j = e_end; j < c_end; ++j) count_against_pool(j);
    k = c_end;
  }
  return out;
}

}  // namespace cxkit::churn::detail
