// Theme detection: same-topic feedback grouped into named themes, unclear items left out.
//
// Algorithm (docs/feedback_themes.md has the reasons and measured figures):
//  1. Vectors. Each item is tokenised in its language (stop words removed, Snowball stems),
//     terms in fewer than min_df items or more than max_df of them dropped, and weighted by
//     TF-IDF (sublinear tf, smooth idf, l2). User embeddings replace this step.
//  2. Rounds of sample -> cluster -> assign. A deterministic sample (hash of seed and index)
//     of at most sample_size items not yet sampled and not yet assigned is clustered exactly:
//     each sampled item's `neighbours` most similar sampled items with cosine >= edge_floor
//     (inverted index for sparse vectors, blocked products for dense ones) form a graph, and
//     average-linkage (UPGMA) agglomeration on that graph merges while the mean pairwise
//     cosine of two clusters (missing edges count 0) is >= link_threshold. Clusters with at
//     least min_size items become themes; their centroid is the normalised mean of members.
//     Sampled members keep their cluster; every other unassigned item joins the theme whose
//     centroid is most similar if that cosine is >= assign_threshold, else stays -1.
//     Rounds repeat on the still unassigned, never-sampled items (rare themes hidden in a
//     small sample surface later) until max_rounds or a round finds no theme.
//     With n <= sample_size this is exactly one average-linkage clustering of all items.
//  3. Labels by class-based TF-IDF (theme_labels.hpp) of stems and stem bigrams, shown in
//     the surface form the items used; representative = member closest to the centroid.
// Memory is O(n * terms per item) for the vectors plus O(sample_size * neighbours) for the
// graph; everything per item is computed independently, so results are bit-identical for
// any thread count.
#pragma once

#include <cxkit/core/progress.hpp>
#include <cxkit/feedback/language.hpp>
#include <cxkit/feedback/tokenize.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxkit::feedback {

/// Options of detect_themes().
struct ThemeOptions {
  double link_threshold = 0.3;    ///< average-linkage stop: merge while mean cosine >= this
  double assign_threshold = 0.3;  ///< min cosine to a theme centroid for a non-sampled item
  double edge_floor = 0.05;       ///< graph edges below this cosine are not kept
  std::size_t neighbours = 200;   ///< graph edges kept per sampled item (top by cosine)
  std::size_t min_size = 3;       ///< smaller clusters are not themes (their items stay -1)
  std::size_t sample_size = 20000;  ///< items clustered exactly per round
  std::size_t max_rounds = 4;
  std::size_t min_df = 2;         ///< terms in fewer items carry no link and are dropped
  double max_df = 0.5;            ///< terms in more than this fraction of items are dropped
  std::size_t label_terms = 3;    ///< terms and phrases in a label
  std::size_t label_sample = 2000;  ///< most central members per theme used for labels
  std::uint64_t seed = 1;         ///< sample selection
  unsigned threads = 0;           ///< 0 = hardware concurrency; results do not depend on it
  Language language = Language::unknown;  ///< unknown = guess per item
  /// Resource limit: terms kept for similarity after min_df/max_df, the most frequent first
  /// (total occurrences, ties by term); 0 = no limit. Bounds the per-term arrays of the graph,
  /// centroid and assignment steps. The default keeps every term of any realistic corpus
  /// (docs/feedback_themes.md, "Resource limits"); ThemeResult.pruned_terms reports a cut.
  std::size_t max_vocabulary = 1'000'000;
  /// Progress in units of items per stage (see docs/feedback_themes.md); the callback runs on
  /// the calling thread only and may cancel (cxkit::Cancelled). Never changes the result.
  Progress progress{};
};

/// One theme.
struct Theme {
  std::int64_t id = 0;                ///< 0, 1, ... in order of first member (input order)
  std::string label;                  ///< top terms/phrases joined by ", "
  std::vector<std::string> terms;     ///< label candidates, best first (surface forms)
  std::vector<double> term_scores;    ///< their c-TF-IDF scores
  std::size_t items = 0;
  std::size_t representative = 0;     ///< input index of the most central member
  double cohesion = 0.0;              ///< mean cosine of members to the centroid
  Language language = Language::unknown;  ///< most common member language
};

/// Result of detect_themes().
struct ThemeResult {
  std::vector<std::int64_t> assignment;  ///< theme id per input, -1 unassigned
  std::vector<float> similarity;         ///< cosine to the own theme centroid (0 if -1)
  std::vector<Language> languages;       ///< language used per input
  std::vector<Theme> themes;
  std::size_t rounds = 0;                ///< sample -> cluster -> assign rounds run
  std::size_t vocabulary = 0;            ///< terms kept for similarity (0 with embeddings)
  std::size_t pruned_terms = 0;          ///< terms past min_df/max_df dropped by max_vocabulary
  std::size_t emptied_items = 0;         ///< items whose every kept term was dropped by max_vocabulary
};

/// Detects themes in `texts` as described above. Items with no kept term stay -1.
/// Throws cxkit::InputError for thresholds outside [0, 1], min_size == 0, sample_size < 2,
/// neighbours == 0 or max_df outside (0, 1]; cxkit::Cancelled when options.progress says so.
/// O(total length + sample_size * neighbours * log + n * themes touched per item) per round.
/// Progress total: n (tokenise) + n (vectors) + max_rounds * (2 * min(n, sample_size) + n)
/// (graph, linkage, assignment per round; a round that does less, or is not run, has its
/// remaining units added when it ends) + n (similarities and labels).
ThemeResult detect_themes(const std::vector<std::string>& texts, const ThemeOptions& options = {});

/// Same with user-supplied dense embeddings in place of TF-IDF: `embeddings` is row-major
/// rows x dims (cosine is used, rows need not be normalised; all-zero rows stay -1).
/// `texts` (same length, or empty for no labels) only feed the labels and languages.
/// Throws cxkit::InputError on a size mismatch or a non-finite value, and as above.
/// The graph step costs O(min(n, sample_size)^2 * dims) per round.
ThemeResult detect_themes(const std::vector<float>& embeddings, std::size_t rows, std::size_t dims,
                          const std::vector<std::string>& texts, const ThemeOptions& options = {});

}  // namespace cxkit::feedback
