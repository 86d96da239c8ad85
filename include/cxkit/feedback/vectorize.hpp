// Parallel tokenise + TF-IDF of a whole corpus: the "vectorise these texts" entry point.
#pragma once

#include <cxkit/feedback/tfidf.hpp>

#include <string>
#include <vector>

namespace cxkit::feedback {

/// Vocabulary, idf and rows of vectorize().
struct TfidfResult {
  std::vector<std::string> terms;  ///< by column, byte-wise ascending
  std::vector<float> idf;          ///< by column
  SparseMatrix rows;               ///< one l2-normalised (per options) row per text
};

/// Same terms, idf and rows as TfidfVectorizer(options).fit_transform(tokenize_all(texts,
/// language, tokenize)), computed in fixed chunks of texts on `threads` workers (0 = hardware
/// concurrency). Each worker tokenises with a memo of every distinct word it has met (the
/// stop-word check, Snowball stem and diacritic stripping of a word are computed once per
/// worker, not once per occurrence) and turns tokens straight into its own term ids; the
/// workers' vocabularies are merged by term at the end. Results do not depend on the thread
/// count or schedule: columns are ordered by term, frequencies are sums.
/// Throws cxkit::InputError as TfidfVectorizer does. O(total length / threads + distinct words).
TfidfResult vectorize(const std::vector<std::string>& texts, const TfidfOptions& options = {},
                      Language language = Language::unknown, const TokenizeOptions& tokenize = {},
                      unsigned threads = 0);

}  // namespace cxkit::feedback
