// TextIndex (text_index.hpp).
#include <cxkit/feedback/text_index.hpp>

#include <algorithm>

namespace cxkit::feedback {

TextIndex::TextIndex(const std::vector<std::string>& texts, TextIndexOptions options)
    : options_(std::move(options)), vectorizer_(options_.tfidf), size_(texts.size()) {
  const SparseMatrix rows = vectorizer_.fit_transform(tokenize_all(texts, options_.language, options_.tokenize));
  // Transpose the CSR rows into per-term postings (counting sort keeps documents ascending).
  const std::size_t v = vectorizer_.terms().size();
  posting_start_.assign(v + 1, 0);
  for (Eigen::Index r = 0; r < rows.outerSize(); ++r)
    for (SparseMatrix::InnerIterator it(rows, r); it; ++it) ++posting_start_[static_cast<std::size_t>(it.col()) + 1];
  for (std::size_t t = 0; t < v; ++t) posting_start_[t + 1] += posting_start_[t];
  posting_doc_.resize(static_cast<std::size_t>(posting_start_[v]));
  posting_weight_.resize(posting_doc_.size());
  std::vector<int> fill(posting_start_.begin(), posting_start_.end() - 1);
  for (Eigen::Index r = 0; r < rows.outerSize(); ++r)
    for (SparseMatrix::InnerIterator it(rows, r); it; ++it) {
      const auto pos = static_cast<std::size_t>(fill[static_cast<std::size_t>(it.col())]++);
      posting_doc_[pos] = static_cast<int>(r);
      posting_weight_[pos] = it.value();
    }
}

std::vector<SimilarHit> TextIndex::similar(std::string_view query, std::size_t k) const {
  std::vector<SimilarHit> hits;
  if (k == 0) return hits;
  const SparseMatrix q = vectorizer_.transform({tokenize(query, options_.language, options_.tokenize)});
  if (q.nonZeros() == 0) return hits;
  std::vector<double> score(size_, 0.0);
  std::vector<int> touched;
  for (SparseMatrix::InnerIterator it(q, 0); it; ++it) {
    const auto t = static_cast<std::size_t>(it.col());
    for (int p = posting_start_[t]; p < posting_start_[t + 1]; ++p) {
      const auto d = static_cast<std::size_t>(posting_doc_[static_cast<std::size_t>(p)]);
      if (score[d] == 0.0) touched.push_back(static_cast<int>(d));
      score[d] += static_cast<double>(it.value()) * posting_weight_[static_cast<std::size_t>(p)];
    }
  }
  for (int d : touched)
    if (score[static_cast<std::size_t>(d)] > 0.0) hits.push_back({static_cast<std::size_t>(d), score[static_cast<std::size_t>(d)]});
  auto better = [](const SimilarHit& a, const SimilarHit& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  };
  const std::size_t keep = std::min(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), better);
  hits.resize(keep);
  return hits;
}

}  // namespace cxkit::feedback
