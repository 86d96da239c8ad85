// Near-duplicate groups: MinHash + LSH candidates, exact verification, union-find.
#pragma once

#include <cxkit/core/progress.hpp>
#include <cxkit/feedback/tokenize.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxkit::feedback {

/// Options of find_duplicates().
struct DuplicateOptions {
  std::size_t num_perm = 128;      ///< MinHash signature length
  std::size_t shingle_size = 1;    ///< word k-shingles (1 = set of stemmed words)
  std::uint64_t seed = 1;          ///< hash family seed
  double fp_weight = 0.5;          ///< LSH parameter choice (optimal_lsh_params)
  double fn_weight = 0.5;
  Language language = Language::unknown;  ///< unknown = guess per text
  TokenizeOptions tokenize{};
  unsigned threads = 0;            ///< workers (0 = hardware concurrency); results do not depend on it
  /// Resource limit on one LSH band bucket: a bucket of s <= max_bucket_size distinct sets
  /// proposes all s(s-1)/2 pairs; a larger one (many texts sharing a band, e.g. a template
  /// with a varying number) proposes only each member with the bucket's first member and with
  /// the next member (about 2s pairs), which still connects a bucket of mutual duplicates.
  /// Candidate pairs are then at most bands * distinct sets * max(2, (max_bucket_size-1)/2).
  /// 0 = no limit (quadratic in the worst case). Reported in DuplicateGroups.
  std::size_t max_bucket_size = 100;
  /// Progress: 4 * n units (shingling, signatures, band buckets, verification, n each); the
  /// callback runs on the calling thread only and may cancel (cxkit::Cancelled).
  Progress progress{};
};

/// Result of find_duplicates(). Pairs are "verified" when their exact Jaccard similarity
/// on the shingle sets is >= threshold; groups are the connected components of verified
/// pairs (so a group may chain A~B~C with J(A, C) < threshold).
struct DuplicateGroups {
  /// Group id of every input, in input order; -1 for an input with no verified duplicate.
  /// Ids are 0, 1, ... in order of each group's smallest member index (deterministic).
  std::vector<std::int64_t> group;
  /// Members of each group, ascending.
  std::vector<std::vector<std::size_t>> groups;
  std::size_t candidate_pairs = 0;  ///< distinct pairs proposed by LSH (after exact-set merge)
  std::size_t verified_pairs = 0;   ///< candidate pairs that passed verification
  std::size_t oversized_buckets = 0;  ///< band buckets larger than max_bucket_size (over all bands)
  std::size_t skipped_pairs = 0;      ///< pairs those buckets did not propose, summed over bands
};

/// Groups texts whose word-shingle Jaccard similarity is >= threshold. Texts are tokenised
/// (options.tokenize; stop words removed and stems by default; a memo per worker makes each
/// distinct word cost one tokenisation), shingled, and those with identical non-empty
/// shingle sets merged first (so 10,000 copies cost one signature); LSH (b, r) comes from
/// optimal_lsh_params(threshold, num_perm, ...), band buckets are found by sorting (band
/// key, item) pairs, and every candidate pair is verified by exact Jaccard. Tokenising,
/// signatures, bands and verification run on options.threads workers. Texts with no token
/// are never grouped. Deterministic for a given seed, whatever the thread count.
/// Throws cxkit::InputError unless 0 < threshold <= 1 (threshold 1 means identical sets);
/// cxkit::Cancelled when options.progress says so.
/// Expected O(total tokens * num_perm / threads + candidates * set size).
DuplicateGroups find_duplicates(const std::vector<std::string>& texts, double threshold = 0.8,
                                const DuplicateOptions& options = {});

/// Same on precomputed sorted, de-duplicated shingle sets (shingle_set()).
DuplicateGroups find_duplicate_sets(const std::vector<std::vector<std::uint64_t>>& sets, double threshold,
                                    const DuplicateOptions& options = {});

}  // namespace cxkit::feedback
