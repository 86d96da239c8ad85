// TF-IDF vectoriser (tfidf.hpp).
#include <cxkit/feedback/tfidf.hpp>

#include <cxkit/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cxkit::feedback {
namespace {

// Counts of each distinct id in `ids` (sorted in place), as (id, count) runs.
void run_lengths(std::vector<int>& ids, std::vector<std::pair<int, int>>& out) {
  std::sort(ids.begin(), ids.end());
  out.clear();
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    out.emplace_back(ids[i], static_cast<int>(j - i));
    i = j;
  }
}

}  // namespace

TfidfVectorizer::TfidfVectorizer(TfidfOptions options) : options_(options) {
  if (options_.min_df == 0) throw InputError("TfidfOptions.min_df must be >= 1");
  if (!(options_.max_df > 0.0 && options_.max_df <= 1.0)) throw InputError("TfidfOptions.max_df must be in (0, 1]");
}

TfidfVectorizer TfidfVectorizer::from_vocabulary(TfidfOptions options, std::vector<std::string> terms,
                                                 std::vector<float> idf, std::size_t pruned_terms) {
  TfidfVectorizer v(options);
  if (terms.size() != idf.size()) throw InputError("TfidfVectorizer.from_vocabulary: one idf per term");
  for (std::size_t i = 1; i < terms.size(); ++i)
    if (!(terms[i - 1] < terms[i])) throw InputError("TfidfVectorizer.from_vocabulary: terms must be ascending and distinct");
  v.column_.reserve(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) v.column_.emplace(terms[i], static_cast<int>(i));
  v.terms_ = std::move(terms);
  v.idf_ = std::move(idf);
  v.pruned_terms_ = pruned_terms;
  return v;
}

void TfidfVectorizer::fit(const TokenizedCorpus& docs) {
  // First pass: provisional ids in first-seen order, document and total frequencies.
  std::unordered_map<std::string, int> provisional;
  std::vector<std::string> names;
  std::vector<std::size_t> df, total;
  std::vector<int> ids;
  std::vector<std::pair<int, int>> runs;
  for (const auto& doc : docs) {
    ids.clear();
    for (const auto& tok : doc) {
      auto [it, inserted] = provisional.try_emplace(tok, static_cast<int>(names.size()));
      if (inserted) {
        names.push_back(tok);
        df.push_back(0);
        total.push_back(0);
      }
      ids.push_back(it->second);
    }
    run_lengths(ids, runs);
    for (auto [id, c] : runs) {
      ++df[static_cast<std::size_t>(id)];
      total[static_cast<std::size_t>(id)] += static_cast<std::size_t>(c);
    }
  }
  const std::size_t n = docs.size();
  const double max_docs = options_.max_df * static_cast<double>(n);
  std::vector<int> keep;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (df[i] >= options_.min_df && static_cast<double>(df[i]) <= max_docs) keep.push_back(static_cast<int>(i));
  pruned_terms_ = 0;
  if (options_.max_features > 0 && keep.size() > options_.max_features) {
    pruned_terms_ = keep.size() - options_.max_features;
    std::partial_sort(keep.begin(), keep.begin() + static_cast<std::ptrdiff_t>(options_.max_features), keep.end(),
                      [&](int a, int b) {
                        const auto ta = total[static_cast<std::size_t>(a)], tb = total[static_cast<std::size_t>(b)];
                        return ta != tb ? ta > tb : names[static_cast<std::size_t>(a)] < names[static_cast<std::size_t>(b)];
                      });
    keep.resize(options_.max_features);
  }
  if (keep.empty()) throw InputError("TF-IDF: no term left after min_df/max_df/max_features (empty corpus?)");
  std::sort(keep.begin(), keep.end(),
            [&](int a, int b) { return names[static_cast<std::size_t>(a)] < names[static_cast<std::size_t>(b)]; });
  terms_.clear();
  idf_.clear();
  column_.clear();
  column_.reserve(keep.size());
  const double nd = static_cast<double>(n);
  for (int id : keep) {
    const double d = static_cast<double>(df[static_cast<std::size_t>(id)]);
    const double idf = options_.smooth_idf ? std::log((1.0 + nd) / (1.0 + d)) + 1.0 : std::log(nd / d) + 1.0;
    column_.emplace(names[static_cast<std::size_t>(id)], static_cast<int>(terms_.size()));
    terms_.push_back(std::move(names[static_cast<std::size_t>(id)]));
    idf_.push_back(static_cast<float>(idf));
  }
}

int TfidfVectorizer::column(const std::string& term) const {
  const auto it = column_.find(term);
  return it == column_.end() ? -1 : it->second;
}

SparseMatrix TfidfVectorizer::transform(const TokenizedCorpus& docs) const {
  if (!fitted()) throw InputError("TfidfVectorizer.transform called before fit");
  // Build the CSR arrays directly: rows are produced in order, columns sorted per row.
  std::vector<int> outer(docs.size() + 1, 0);
  std::vector<int> inner;
  std::vector<float> values;
  std::vector<int> ids;
  std::vector<std::pair<int, int>> runs;
  for (std::size_t r = 0; r < docs.size(); ++r) {
    ids.clear();
    for (const auto& tok : docs[r]) {
      const auto it = column_.find(tok);
      if (it != column_.end()) ids.push_back(it->second);
    }
    run_lengths(ids, runs);
    const std::size_t row_start = values.size();
    double norm2 = 0.0;
    for (auto [col, c] : runs) {
      const double tf = options_.sublinear_tf ? 1.0 + std::log(static_cast<double>(c)) : static_cast<double>(c);
      const double w = tf * static_cast<double>(idf_[static_cast<std::size_t>(col)]);
      norm2 += w * w;
      inner.push_back(col);
      values.push_back(static_cast<float>(w));
    }
    if (options_.l2_normalize && norm2 > 0.0) {
      const double inv = 1.0 / std::sqrt(norm2);
      for (std::size_t i = row_start; i < values.size(); ++i) values[i] = static_cast<float>(values[i] * inv);
    }
    outer[r + 1] = static_cast<int>(values.size());
  }
  const auto rows = static_cast<Eigen::Index>(docs.size());
  const auto cols = static_cast<Eigen::Index>(terms_.size());
  Eigen::Map<const SparseMatrix> view(rows, cols, static_cast<Eigen::Index>(values.size()), outer.data(), inner.data(),
                                      values.data());
  return SparseMatrix(view);
}

SparseMatrix TfidfVectorizer::fit_transform(const TokenizedCorpus& docs) {
  fit(docs);
  return transform(docs);
}

TokenizedCorpus tokenize_all(const std::vector<std::string>& texts, Language language,
                             const TokenizeOptions& options) {
  TokenizedCorpus out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(tokenize(t, language, options));
  return out;
}

}  // namespace cxkit::feedback
