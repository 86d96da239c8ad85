// vectorize (vectorize.hpp): memoised tokenisation to per-worker ids, merge by term, parallel rows.
#include <cxkit/feedback/vectorize.hpp>

#include <cxkit/core/dictionary.hpp>
#include <cxkit/core/error.hpp>

#include "theme_cluster.hpp"
#include "token_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cxkit::feedback {
namespace {

constexpr std::size_t kChunk = 4096;

// One worker's memoising tokeniser and its token frequencies (indexed by the worker's token
// ids). Only the worker that owns it touches it, so no locking.
struct Worker {
  explicit Worker(const TokenizeOptions& o) : tokens(o) {}
  detail::TokenCache tokens;
  std::vector<std::uint32_t> df, total;
};

struct Chunk {
  unsigned worker = 0;                 // whose token ids `ids` holds
  std::vector<std::uint32_t> offset{0};  // per document into ids/counts
  std::vector<std::uint32_t> ids;      // distinct token ids per document, ascending
  std::vector<std::uint32_t> counts;   // occurrences in the document
  // filled by the row pass
  std::vector<int> row_nnz, cols;
  std::vector<float> vals;
};

}  // namespace

TfidfResult vectorize(const std::vector<std::string>& texts, const TfidfOptions& options, Language language,
                      const TokenizeOptions& tokenize_options, unsigned threads, const Progress& progress_callback) {
  TfidfVectorizer validate(options);  // same option checks and errors as the vectorizer
  (void)validate;
  const std::size_t n = texts.size();
  if (n >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw InputError("vectorize: more than 2^31 - 2 texts");
  std::vector<Chunk> chunks((n + kChunk - 1) / kChunk);
  ProgressReporter progress(progress_callback, 2 * static_cast<std::uint64_t>(n));
  const unsigned workers = detail::resolve_threads(threads);
  std::vector<Worker> work;
  work.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) work.emplace_back(tokenize_options);
  // Pass 1: tokens straight to per-worker ids (no token strings), (id, count) runs per text.
  detail::parallel_chunks(n, kChunk, threads, [&](std::size_t b, std::size_t e, unsigned w) {
    Chunk& c = chunks[b / kChunk];
    Worker& wk = work[w];
    c.worker = w;
    std::vector<std::uint32_t> ids;
    for (std::size_t i = b; i < e; ++i) {
      ids.clear();
      wk.tokens.for_each(texts[i], language, [&](std::uint32_t t) { ids.push_back(t); });
      std::sort(ids.begin(), ids.end());
      if (wk.df.size() < wk.tokens.size()) wk.df.resize(wk.tokens.size(), 0), wk.total.resize(wk.tokens.size(), 0);
      for (std::size_t k = 0; k < ids.size();) {
        std::size_t j = k + 1;
        while (j < ids.size() && ids[j] == ids[k]) ++j;
        c.ids.push_back(ids[k]);
        c.counts.push_back(static_cast<std::uint32_t>(j - k));
        ++wk.df[ids[k]];
        wk.total[ids[k]] += static_cast<std::uint32_t>(j - k);
        k = j;
      }
      c.offset.push_back(static_cast<std::uint32_t>(c.ids.size()));
    }
    progress.advance(e - b);
  });
  // Merge the workers' vocabularies. Global ids depend on the schedule, but nothing visible
  // does: columns are ordered by term and max_features ties are broken by term, and df and
  // total are sums.
  Dictionary global;
  std::vector<std::size_t> df, total;
  std::vector<std::vector<std::uint32_t>> to_global(workers);
  for (unsigned w = 0; w < workers; ++w) {
    Worker& wk = work[w];
    to_global[w].resize(wk.tokens.size());
    for (std::uint32_t l = 0; l < wk.tokens.size(); ++l) {
      const std::uint32_t g = global.intern(wk.tokens.token(l));
      if (g == df.size()) df.push_back(0), total.push_back(0);
      to_global[w][l] = g;
      df[g] += wk.df[l];
      total[g] += wk.total[l];
    }
  }
  // Term selection exactly as TfidfVectorizer::fit.
  const double max_docs = options.max_df * static_cast<double>(n);
  std::vector<std::uint32_t> keep;
  for (std::uint32_t g = 0; g < global.size(); ++g)
    if (df[g] >= options.min_df && static_cast<double>(df[g]) <= max_docs) keep.push_back(g);
  std::vector<char> df_kept;  // filled only when max_features cuts, to count emptied rows
  std::size_t pruned = 0;
  if (options.max_features > 0 && keep.size() > options.max_features) {
    df_kept.assign(global.size(), 0);
    for (std::uint32_t g : keep) df_kept[g] = 1;
    std::partial_sort(keep.begin(), keep.begin() + static_cast<std::ptrdiff_t>(options.max_features), keep.end(),
                      [&](std::uint32_t a, std::uint32_t b) {
                        return total[a] != total[b] ? total[a] > total[b] : global.name(a) < global.name(b);
                      });
    pruned = keep.size() - options.max_features;
    keep.resize(options.max_features);
  }
  if (keep.empty()) throw InputError("TF-IDF: no term left after min_df/max_df/max_features (empty corpus?)");
  std::sort(keep.begin(), keep.end(), [&](std::uint32_t a, std::uint32_t b) { return global.name(a) < global.name(b); });
  TfidfResult out;
  out.pruned_terms = pruned;
  out.terms.reserve(keep.size());
  out.idf.reserve(keep.size());
  std::vector<int> column(global.size(), -1);
  const double nd = static_cast<double>(n);
  for (std::uint32_t g : keep) {
    column[g] = static_cast<int>(out.terms.size());
    out.terms.emplace_back(global.name(g));
    const double d = static_cast<double>(df[g]);
    out.idf.push_back(static_cast<float>(options.smooth_idf ? std::log((1.0 + nd) / (1.0 + d)) + 1.0 : std::log(nd / d) + 1.0));
  }
  // Worker token id -> column, so the row pass does one lookup per entry.
  // -2 marks a term that passed min_df/max_df but was cut by max_features.
  std::vector<std::vector<int>> col_of(workers);
  for (unsigned w = 0; w < workers; ++w) {
    col_of[w].resize(to_global[w].size());
    for (std::size_t l = 0; l < to_global[w].size(); ++l) {
      const std::uint32_t g = to_global[w][l];
      col_of[w][l] = column[g] < 0 && !df_kept.empty() && df_kept[g] ? -2 : column[g];
    }
  }
  // sublinear tf of small counts, the common case, from a table.
  std::array<double, 64> tf_of{};
  for (std::size_t c = 1; c < tf_of.size(); ++c)
    tf_of[c] = options.sublinear_tf ? 1.0 + std::log(static_cast<double>(c)) : static_cast<double>(c);
  // Pass 2, rows per chunk in parallel: tf * idf and the l2 norm in one sweep per row.
  std::vector<std::size_t> emptied(chunks.size(), 0);
  detail::parallel_chunks(chunks.size(), 1, threads, [&](std::size_t k, std::size_t, unsigned) {
    Chunk& c = chunks[k];
    const std::vector<int>& cols = col_of[c.worker];
    c.row_nnz.reserve(c.offset.size() - 1);
    c.cols.reserve(c.ids.size());
    c.vals.reserve(c.ids.size());
    std::vector<std::pair<int, std::uint32_t>> row;
    for (std::size_t d = 0; d + 1 < c.offset.size(); ++d) {
      row.clear();
      bool cut = false;
      for (std::size_t p = c.offset[d]; p < c.offset[d + 1]; ++p) {
        const int col = cols[c.ids[p]];
        if (col >= 0) row.emplace_back(col, c.counts[p]);
        cut |= col == -2;
      }
      if (row.empty() && cut) ++emptied[k];
      std::sort(row.begin(), row.end());
      const std::size_t start = c.vals.size();
      double norm2 = 0.0;
      for (auto [col, cnt] : row) {
        const double tf = cnt < tf_of.size() ? tf_of[cnt]
                          : options.sublinear_tf ? 1.0 + std::log(static_cast<double>(cnt))
                                                 : static_cast<double>(cnt);
        const double w = tf * static_cast<double>(out.idf[static_cast<std::size_t>(col)]);
        norm2 += w * w;
        c.cols.push_back(col);
        c.vals.push_back(static_cast<float>(w));
      }
      if (options.l2_normalize && norm2 > 0.0) {
        const double inv = 1.0 / std::sqrt(norm2);
        for (std::size_t i = start; i < c.vals.size(); ++i) c.vals[i] = static_cast<float>(c.vals[i] * inv);
      }
      c.row_nnz.push_back(static_cast<int>(row.size()));
    }
    progress.advance(c.offset.size() - 1);
  });
  for (std::size_t e : emptied) out.emptied_documents += e;
  // Assemble the CSR arrays straight into the Eigen matrix (compressed row-major).
  std::size_t nnz = 0;
  for (const auto& c : chunks) nnz += c.vals.size();
  if (nnz >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw InputError("vectorize: more than 2^31 - 1 non-zeros");
  out.rows.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(out.terms.size()));
  out.rows.resizeNonZeros(static_cast<Eigen::Index>(nnz));
  int* outer = out.rows.outerIndexPtr();
  int* inner = out.rows.innerIndexPtr();
  float* values = out.rows.valuePtr();
  outer[0] = 0;
  std::size_t r = 0, pos = 0;
  for (const auto& c : chunks) {
    for (int cnt : c.row_nnz) outer[r + 1] = outer[r] + cnt, ++r;
    std::copy(c.cols.begin(), c.cols.end(), inner + pos);
    std::copy(c.vals.begin(), c.vals.end(), values + pos);
    pos += c.vals.size();
  }
  progress.finish();
  return out;
}

}  // namespace cxkit::feedback
