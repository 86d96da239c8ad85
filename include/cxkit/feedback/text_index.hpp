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
  /// Also match character n-grams (char_wb, sizes char_min_n..char_max_n, of the tokens) and
  /// score by the mean of the word and character cosines: catches inflections, compounds and
  /// identifiers split differently ("ResourceManager" / "resource manager"). On the GitBugs
  /// duplicate pairs it lifts recall@10 above word TF-IDF alone (docs/feedback_themes.md).
  bool char_ngrams = true;
  std::size_t char_min_n = 3;
  std::size_t char_max_n = 5;
};

/// One retrieval hit.
struct SimilarHit {
  std::size_t index = 0;  ///< position of the text in the constructor's input
  /// cosine similarity of the word TF-IDF rows, in (0, 1]; with char_ngrams, the mean of it
  /// and the character n-gram cosine
  double score = 0.0;
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
  struct Postings {
    std::vector<int> start;  // per term, CSC-style offsets into the two below
    std::vector<int> doc;
    std::vector<float> weight;
  };
  static Postings invert(const SparseMatrix& rows, std::size_t terms);
  TfidfVectorizer char_vectorizer_;
  Postings words_, chars_;
};

}  // namespace cxkit::feedback
