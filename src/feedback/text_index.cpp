// TextIndex (text_index.hpp).
#include <cxkit/feedback/text_index.hpp>

#include <algorithm>

namespace cxkit::feedback {
namespace {

// char_wb n-grams of every size in [lo, hi].
TokenizedCorpus char_grams(const TokenizedCorpus& words, std::size_t lo, std::size_t hi) {
  TokenizedCorpus out(words.size());
  for (std::size_t d = 0; d < words.size(); ++d)
    for (std::size_t n = lo; n <= hi; ++n) {
      auto g = char_ngrams(words[d], n);
      out[d].insert(out[d].end(), std::make_move_iterator(g.begin()), std::make_move_iterator(g.end()));
    }
  return out;
}

}  // namespace

TextIndex::Postings TextIndex::invert(const SparseMatrix& rows, std::size_t v) {
  // Transpose the CSR rows into per-term postings (counting sort keeps documents ascending).
  Postings p;
  p.start.assign(v + 1, 0);
  for (Eigen::Index r = 0; r < rows.outerSize(); ++r)
    for (SparseMatrix::InnerIterator it(rows, r); it; ++it) ++p.start[static_cast<std::size_t>(it.col()) + 1];
  for (std::size_t t = 0; t < v; ++t) p.start[t + 1] += p.start[t];
  p.doc.resize(static_cast<std::size_t>(p.start[v]));
  p.weight.resize(p.doc.size());
  std::vector<int> fill(p.start.begin(), p.start.end() - 1);
  for (Eigen::Index r = 0; r < rows.outerSize(); ++r)
    for (SparseMatrix::InnerIterator it(rows, r); it; ++it) {
      const auto pos = static_cast<std::size_t>(fill[static_cast<std::size_t>(it.col())]++);
      p.doc[pos] = static_cast<int>(r);
      p.weight[pos] = it.value();
    }
  return p;
}

TextIndex::TextIndex(const std::vector<std::string>& texts, TextIndexOptions options)
    : options_(std::move(options)), vectorizer_(options_.tfidf), size_(texts.size()), char_vectorizer_(options_.tfidf) {
  const TokenizedCorpus words = tokenize_all(texts, options_.language, options_.tokenize);
  const SparseMatrix w = vectorizer_.fit_transform(words);  // before terms(): fit defines them
  words_ = invert(w, vectorizer_.terms().size());
  if (options_.char_ngrams) {
    const SparseMatrix c = char_vectorizer_.fit_transform(char_grams(words, options_.char_min_n, options_.char_max_n));
    chars_ = invert(c, char_vectorizer_.terms().size());
  }
}

std::vector<SimilarHit> TextIndex::similar(std::string_view query, std::size_t k) const {
  std::vector<SimilarHit> hits;
  if (k == 0) return hits;
  const TokenizedCorpus q_words = {tokenize(query, options_.language, options_.tokenize)};
  const SparseMatrix q = vectorizer_.transform(q_words);
  if (q.nonZeros() == 0) return hits;  // no known word: no hit (character overlap alone is not enough)
  std::vector<double> score(size_, 0.0);
  std::vector<int> touched;
  auto accumulate = [&](const SparseMatrix& row, const Postings& p, std::vector<double>& into, bool track) {
    for (SparseMatrix::InnerIterator it(row, 0); it; ++it) {
      const auto t = static_cast<std::size_t>(it.col());
      for (int x = p.start[t]; x < p.start[t + 1]; ++x) {
        const auto d = static_cast<std::size_t>(p.doc[static_cast<std::size_t>(x)]);
        if (track && into[d] == 0.0) touched.push_back(static_cast<int>(d));
        into[d] += static_cast<double>(it.value()) * p.weight[static_cast<std::size_t>(x)];
      }
    }
  };
  accumulate(q, words_, score, true);
  if (options_.char_ngrams) {
    // Candidates are the documents sharing a word; character n-grams refine their order.
    std::vector<double> chars(size_, 0.0);
    accumulate(char_vectorizer_.transform(char_grams(q_words, options_.char_min_n, options_.char_max_n)), chars_, chars,
               false);
    for (int d : touched) score[static_cast<std::size_t>(d)] = 0.5 * (score[static_cast<std::size_t>(d)] + chars[static_cast<std::size_t>(d)]);
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
