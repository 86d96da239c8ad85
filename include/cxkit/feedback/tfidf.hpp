// TF-IDF on sparse Eigen matrices with scikit-learn's TfidfVectorizer formulas.
//
// For term t in document d of a corpus of n documents, df(t) documents containing t:
//   tf   = count(t, d), or 1 + ln(count) when sublinear_tf (default)
//   idf  = ln((1 + n) / (1 + df(t))) + 1 when smooth_idf (default), else ln(n / df(t)) + 1
//   row  = tf * idf, then divided by its L2 norm when l2_normalize (default; all-zero rows
//          stay zero).
// Vocabulary columns are in byte-wise ascending term order (scikit-learn sorts too).
#pragma once

#include <cxkit/feedback/tokenize.hpp>

#include <Eigen/SparseCore>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace cxkit::feedback {

/// Row-major sparse document-term matrix: one row per document, one column per term.
using SparseMatrix = Eigen::SparseMatrix<float, Eigen::RowMajor, int>;
/// Documents already tokenised (tokenize(), word_ngrams(), char_ngrams(), or your own).
using TokenizedCorpus = std::vector<std::vector<std::string>>;

/// Options of TfidfVectorizer.
struct TfidfOptions {
  std::size_t min_df = 1;        ///< keep terms in at least this many documents
  double max_df = 1.0;           ///< keep terms in at most this fraction of documents, (0, 1]
  std::size_t max_features = 0;  ///< resource limit: keep the most frequent terms (total
                                 ///< count, ties by term); 0 = no limit. Applied after df limits;
                                 ///< the cut is reported (pruned_terms(), TfidfResult).
  bool sublinear_tf = true;
  bool smooth_idf = true;
  bool l2_normalize = true;
};

/// Learns a vocabulary and idf weights, then maps documents to TF-IDF rows.
class TfidfVectorizer {
 public:
  /// Throws cxkit::InputError if min_df == 0 or max_df is not in (0, 1].
  explicit TfidfVectorizer(TfidfOptions options = {});

  /// A fitted vectorizer with the given vocabulary: `terms` byte-wise ascending and distinct,
  /// `idf` one per term (what fit() would have learnt). Throws cxkit::InputError otherwise.
  static TfidfVectorizer from_vocabulary(TfidfOptions options, std::vector<std::string> terms,
                                         std::vector<float> idf, std::size_t pruned_terms = 0);

  /// Learns vocabulary and idf from `docs`. O(total tokens + V log V).
  /// Throws cxkit::InputError if no term survives the limits (including an empty corpus).
  void fit(const TokenizedCorpus& docs);
  /// Rows for `docs` with the fitted vocabulary; unknown terms are ignored.
  /// O(total tokens). Throws cxkit::InputError if not fitted.
  SparseMatrix transform(const TokenizedCorpus& docs) const;
  /// fit(docs) then transform(docs).
  SparseMatrix fit_transform(const TokenizedCorpus& docs);

  bool fitted() const noexcept { return !terms_.empty(); }
  /// Terms by column.
  const std::vector<std::string>& terms() const noexcept { return terms_; }
  /// idf by column.
  const std::vector<float>& idf() const noexcept { return idf_; }
  /// Column of `term`, or -1.
  int column(const std::string& term) const;
  const TfidfOptions& options() const noexcept { return options_; }
  /// Terms that passed min_df/max_df but were dropped by max_features in the last fit().
  std::size_t pruned_terms() const noexcept { return pruned_terms_; }

 private:
  TfidfOptions options_;
  std::vector<std::string> terms_;
  std::vector<float> idf_;
  std::unordered_map<std::string, int> column_;
  std::size_t pruned_terms_ = 0;
};

/// Tokenises every text with tokenize(text, language, options) (language unknown = guess
/// per item). O(total length).
TokenizedCorpus tokenize_all(const std::vector<std::string>& texts, Language language = Language::unknown,
                             const TokenizeOptions& options = {});

}  // namespace cxkit::feedback
