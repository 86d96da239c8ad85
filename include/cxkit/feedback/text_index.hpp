// TextIndex: "has this been asked before?" retrieval by TF-IDF cosine similarity.
#pragma once

#include <cxkit/core/progress.hpp>
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
  /// Resource limits (0 = none): word terms and character n-gram features kept, the most
  /// frequent first (total occurrences, ties by term), after tfidf.min_df/max_df. A non-zero
  /// tfidf.max_features caps the words too (the smaller cap wins). Each kept term costs about
  /// 100 bytes; docs/feedback_text.md has the measured figures. Cuts are reported (pruning()).
  std::size_t max_vocabulary = 1'000'000;
  std::size_t max_ngram_features = 1'000'000;
  /// Resource limit of the counting pass (0 = none): distinct words, and separately distinct
  /// n-grams, counted. Once a table is full, terms first seen later are not counted and never
  /// kept (their occurrences are reported in TextIndexPruning::uncounted). This is what bounds
  /// the build's peak memory on hostile input (about 115 bytes per counted term measured, so
  /// ~0.46 GB per table at the default); ordinary corpora have far fewer distinct n-grams
  /// (GitBugs Hadoop, 2,503 long bug reports: 114,000).
  std::size_t max_counted_terms = 4'000'000;
  /// Progress of the build: 2 * n units (count pass, rows pass), reported every 4096 texts
  /// on the calling thread; may cancel (cxkit::Cancelled). Not kept after the constructor.
  Progress progress{};
};

/// What the resource limits of a TextIndex dropped.
struct TextIndexPruning {
  std::size_t words = 0;      ///< word terms dropped by max_vocabulary / tfidf.max_features
  std::size_t ngrams = 0;     ///< character n-grams dropped by max_ngram_features
  std::size_t documents = 0;  ///< texts with a word past min_df/max_df but none kept (never found)
  std::uint64_t uncounted = 0;  ///< word and n-gram occurrences refused by max_counted_terms
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
  /// Tokenises and vectorises `texts` (l2-normalised rows) in two streaming passes: the first
  /// counts terms (one interned string per distinct term, ids per word occurrence), the
  /// second builds the postings of the kept terms, recomputing character n-grams from the
  /// words; no per-occurrence string is kept. Rows equal TfidfVectorizer::fit_transform with
  /// max_features = the limit. O(total length + V log V), memory O(distinct terms + tokens).
  /// Throws cxkit::InputError if no term survives (e.g. empty corpus or all stop words),
  /// cxkit::Cancelled when options.progress says so.
  explicit TextIndex(const std::vector<std::string>& texts, TextIndexOptions options = {});

  /// Up to k documents with positive cosine similarity to `query`, best first, ties by
  /// ascending index. Terms outside the vocabulary are ignored; a query with none gives no
  /// hit. Thread-safe (const). O(postings of the query terms + n + hits log k).
  std::vector<SimilarHit> similar(std::string_view query, std::size_t k = 10) const;

  std::size_t size() const noexcept { return size_; }
  const TfidfVectorizer& vectorizer() const noexcept { return vectorizer_; }
  /// Character n-gram features (empty without char_ngrams).
  const TfidfVectorizer& char_vectorizer() const noexcept { return char_vectorizer_; }
  const TextIndexPruning& pruning() const noexcept { return pruning_; }

 private:
  TextIndexOptions options_;
  TfidfVectorizer vectorizer_;
  std::size_t size_ = 0;
  struct Postings {
    std::vector<int> start;  // per term, CSC-style offsets into the two below
    std::vector<int> doc;
    std::vector<float> weight;
  };
  TfidfVectorizer char_vectorizer_;
  Postings words_, chars_;
  TextIndexPruning pruning_;
};

}  // namespace cxkit::feedback
