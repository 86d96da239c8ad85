// Theme labels by class-based TF-IDF (c-TF-IDF, Grootendorst 2022, as in BERTopic).
//
// Every theme is one class document (its members' tokens concatenated), and the items no
// theme took form one more class. For term t (a stem or a bigram of adjacent stems) in
// class c:   W(t, c) = tf(t, c) * ln(1 + A / f(t))
// with tf(t, c) the count of t in c divided by the number of tokens of c, f(t) the count of
// t over all classes and A the mean number of tokens per class. A stem is shown in the
// surface form the items used most often (ties: byte-wise smaller), so labels read in the
// items' own language ("тёмная тема", not "темн тем").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxkit::feedback {

/// Tokens of one corpus as interned ids: stems (for counting) with the surface form each
/// occurrence had (for display). Both id spaces are the caller's.
struct LabelCorpus {
  std::vector<std::size_t> offset;         ///< item i's tokens are [offset[i], offset[i+1])
  std::vector<std::uint32_t> stem;         ///< stem id per token
  std::vector<std::uint32_t> surface;      ///< surface-form id per token
  std::vector<std::string> stem_text;      ///< by stem id (for deterministic tie-breaks)
  std::vector<std::string> surface_text;   ///< by surface id
};

/// A scored label term.
struct LabelTerm {
  std::string text;   ///< surface form ("dark mode")
  double score = 0.0; ///< c-TF-IDF
};

/// Top `top` terms per theme, best first (ties by ascending text). `assignment` has one
/// theme id (or -1) per item; `label_items[c]` lists the items of theme c whose tokens are
/// counted (e.g. its most central members; all of them when empty), while f(t) is always
/// counted over every item. Bigrams join two adjacent stems of the same item. Unigrams
/// already part of a chosen bigram are skipped, so "dark mode" does not come with "dark";
/// numbers ("000", "2") name nothing and are never label terms.
/// Throws cxkit::InputError on inconsistent sizes. O(tokens + candidates log candidates).
std::vector<std::vector<LabelTerm>> ctfidf_labels(const LabelCorpus& corpus,
                                                  const std::vector<std::int64_t>& assignment,
                                                  std::size_t themes,
                                                  const std::vector<std::vector<std::size_t>>& label_items,
                                                  std::size_t top = 3);

}  // namespace cxkit::feedback
