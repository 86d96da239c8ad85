// TextIndex: "has this been asked before?" retrieval by TF-IDF cosine similarity.
#pragma once

#include <cxkit/feedback/tfidf.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cxkit::feedback {

/// Options of TextIndex.
struct TextIndexOptions {
  TfidfOptions tfidf{};
  TokenizeOptions tokenize{};
  Language language = Language::unknown;  ///< unknown = guess per text (and per query)
};

/// One retrieval hit.
struct SimilarHit {
  std::size_t index = 0;  ///< position of the text in the constructor's input
  double score = 0.0;     ///< cosine similarity of the TF-IDF rows, in (0, 1]
};

/// TF-IDF index over a fixed corpus with an inverted index (term -> (document, weight)),
/// so a query costs the total posting length of its terms, not the corpus size.
class TextIndex {
 public:
  /// Tokenises and vectorises `texts` (l2-normalised rows). O(total length).
  /// Throws cxkit::InputError if no term survives (e.g. empty corpus or all stop words).
  explicit TextIndex(const std::vector<std::string>& texts, TextIndexOptions options = {});

  /// Up to k documents with positive cosine similarity to `query`, best first, ties by
  /// ascending index. Terms outside the vocabulary are ignored; a query with none gives no
  /// hit. Thread-safe (const). O(postings of the query terms + n + hits log k).
  std::vector<SimilarHit> similar(std::string_view query, std::size_t k = 10) const;

  std::size_t size() const noexcept { return size_; }
  const TfidfVectorizer& vectorizer() const noexcept { return vectorizer_; }

 private:
  TextIndexOptions options_;
  TfidfVectorizer vectorizer_;
  std::size_t size_ = 0;
  std::vector<int> posting_start_;       // per term, CSC-style offsets into the two below
  std::vector<int> posting_doc_;
  std::vector<float> posting_weight_;
};

}  // namespace cxkit::feedback
