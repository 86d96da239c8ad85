// Parallel tokenise + TF-IDF of a whole corpus: the "vectorise these texts" entry point.
#pragma once

#include <cxkit/core/progress.hpp>
#include <cxkit/feedback/tfidf.hpp>

#include <string>
#include <vector>

namespace cxkit::feedback {

/// Vocabulary, idf and rows of vectorize().
struct TfidfResult {
  std::vector<std::string> terms;  ///< by column, byte-wise ascending
  std::vector<float> idf;          ///< by column
  SparseMatrix rows;               ///< one l2-normalised (per options) row per text
  std::size_t pruned_terms = 0;       ///< terms past min_df/max_df dropped by max_features
  std::size_t emptied_documents = 0;  ///< texts with such a term but no kept one (all-zero rows)
};

/// Same terms, idf and rows as TfidfVectorizer(options).fit_transform(tokenize_all(texts,
/// language, tokenize)), computed in fixed chunks of texts on `threads` workers (0 = hardware
/// concurrency). Each worker tokenises with a memo of every distinct word it has met (the
/// stop-word check, Snowball stem and diacritic stripping of a word are computed once per
/// worker, not once per occurrence) and turns tokens straight into its own term ids; the
/// workers' vocabularies are merged by term at the end. Results do not depend on the thread
/// count or schedule: columns are ordered by term, frequencies are sums.
/// `progress`: 2 * n units (tokenise, rows), per chunk of 4096 texts, on the calling thread.
/// Memory: the per-worker word memo is capped by tokenize.max_cached_words (token_stream.hpp).
/// Throws cxkit::InputError as TfidfVectorizer does, cxkit::Cancelled when progress says so.
/// O(total length / threads + distinct words).
TfidfResult vectorize(const std::vector<std::string>& texts, const TfidfOptions& options = {},
                      Language language = Language::unknown, const TokenizeOptions& tokenize = {},
                      unsigned threads = 0, const Progress& progress = {});

}  // namespace cxkit::feedback
