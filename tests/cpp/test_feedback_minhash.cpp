// MinHash estimates, LSH parameter choice and near-duplicate groups.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/duplicates.hpp>
#include <cxkit/feedback/minhash.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

using namespace cxkit::feedback;
using Set = std::vector<std::uint64_t>;

namespace {
Set range_set(std::uint64_t lo, std::uint64_t hi) {  // hashes of the integers [lo, hi)
  Set s;
  for (std::uint64_t i = lo; i < hi; ++i) s.push_back(hash_string(std::to_string(i)));
  std::sort(s.begin(), s.end());
  return s;
}
}  // namespace

TEST(FeedbackMinHash, ExactJaccard) {
  EXPECT_DOUBLE_EQ(jaccard(range_set(0, 100), range_set(50, 150)), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(jaccard(range_set(0, 10), range_set(0, 10)), 1.0);
  EXPECT_DOUBLE_EQ(jaccard(Set{}, Set{}), 0.0);
}

TEST(FeedbackMinHash, EstimateCloseToTrueJaccard) {
  const Set a = range_set(0, 100), b = range_set(50, 150);  // J = 1/3
  // One signature of 512: standard error sqrt(J(1-J)/512) = 0.021; allow 4 sigma.
  const MinHasher h512(512, 7);
  EXPECT_NEAR(estimate_jaccard(h512.signature(a), h512.signature(b)), 1.0 / 3.0, 0.085);
  // Mean over 30 seeds of 128-permutation estimates: standard error 0.0076; allow 4 sigma.
  double sum = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const MinHasher h(128, seed);
    sum += estimate_jaccard(h.signature(a), h.signature(b));
  }
  EXPECT_NEAR(sum / 30.0, 1.0 / 3.0, 0.031);
  const MinHasher h(128, 3);
  EXPECT_DOUBLE_EQ(estimate_jaccard(h.signature(a), h.signature(a)), 1.0);
  EXPECT_LT(estimate_jaccard(h.signature(range_set(0, 100)), h.signature(range_set(1000, 1100))), 0.05);
  EXPECT_EQ(h.signature(a), MinHasher(128, 3).signature(a));  // deterministic
  EXPECT_NE(h.signature(a), MinHasher(128, 4).signature(a));  // the seed matters
  EXPECT_THROW(MinHasher(0), cxkit::InputError);
  EXPECT_THROW(estimate_jaccard(h.signature(a), MinHasher(64).signature(a)), cxkit::InputError);
}

TEST(FeedbackMinHash, EstimateUnbiasedOnStructuredElements) {
  // Raw consecutive integers (not hashed): the family must not depend on random-looking input.
  Set a, b;
  for (std::uint64_t i = 0; i < 100; ++i) a.push_back(i);
  for (std::uint64_t i = 50; i < 150; ++i) b.push_back(i);
  double sum = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const MinHasher h(128, seed);
    sum += estimate_jaccard(h.signature(a), h.signature(b));
  }
  EXPECT_NEAR(sum / 30.0, 1.0 / 3.0, 0.031);  // 4 standard errors, as above
}

TEST(FeedbackLsh, CandidateRateMatchesTheBandingProbability) {
  // 1,000 disjoint pairs with Jaccard exactly 40/50 = 0.8; at threshold 0.8 and 128
  // permutations the banding is (9, 13), so each pair is proposed (and, J being >= 0.8,
  // verified) with probability P = 1 - (1 - 0.8^13)^9 = 0.399. Standard error over 1,000
  // independent pairs: 0.0155; allow 4. This checks the hash functions behave as independent
  // random permutations would, not just on average.
  std::vector<Set> sets;
  for (std::uint64_t i = 0, next = 0; i < 1000; ++i, next += 100) {
    sets.push_back(range_set(next, next + 45));
    sets.push_back(range_set(next + 5, next + 50));
  }
  DuplicateOptions o;
  const LshParams p = optimal_lsh_params(0.8, o.num_perm);
  ASSERT_EQ(p.bands, 9u);
  ASSERT_EQ(p.rows, 13u);
  const double expected = lsh_candidate_probability(0.8, p);
  const DuplicateGroups g = find_duplicate_sets(sets, 0.8, o);
  EXPECT_NEAR(static_cast<double>(g.verified_pairs) / 1000.0, expected, 4 * 0.0155);
}

TEST(FeedbackMinHash, ShingleSets) {
  const std::vector<std::string> t{"dark", "mode", "please"};
  EXPECT_EQ(shingle_set(t, 2), (Set{std::min(hash_string("dark mode"), hash_string("mode please")),
                                    std::max(hash_string("dark mode"), hash_string("mode please"))}));
  EXPECT_EQ(shingle_set(t, 5), Set{hash_string("dark mode please")});
  EXPECT_TRUE(shingle_set({}, 1).empty());
  EXPECT_EQ(shingle_set({"a", "a"}, 1).size(), 1u);
}

TEST(FeedbackLsh, ParametersMatchTheThreshold) {
  for (double t : {0.5, 0.7, 0.8, 0.9}) {
    const LshParams p = optimal_lsh_params(t, 128);
    ASSERT_GE(p.bands, 1u);
    ASSERT_LE(p.bands * p.rows, 128u);
    // The S-curve's steepest point (1/b)^(1/r) sits near the threshold, and pairs well
    // above / below it are (almost) always / never candidates.
    EXPECT_NEAR(std::pow(1.0 / static_cast<double>(p.bands), 1.0 / static_cast<double>(p.rows)), t, 0.1) << t;
    EXPECT_GT(lsh_candidate_probability(std::min(1.0, t + 0.1), p), 0.75) << t;
    EXPECT_GT(lsh_candidate_probability(std::min(1.0, t + 0.2), p), 0.95) << t;
    EXPECT_LT(lsh_candidate_probability(t - 0.3, p), 0.1) << t;
  }
  // Weighting false negatives more lowers the curve: more recall at the threshold.
  const LshParams even = optimal_lsh_params(0.8, 128), recall = optimal_lsh_params(0.8, 128, 0.1, 0.9);
  EXPECT_GT(lsh_candidate_probability(0.8, recall), lsh_candidate_probability(0.8, even));
  EXPECT_THROW(optimal_lsh_params(1.0, 128), cxkit::InputError);
  EXPECT_THROW(optimal_lsh_params(0.5, 0), cxkit::InputError);
}

TEST(FeedbackDuplicates, RecoversPlantedPairsAboveThreshold) {
  // 300 planted pairs with Jaccard 45/55 = 0.818 and 300 unrelated sets; threshold 0.6.
  std::vector<Set> sets;
  std::uint64_t next = 0;
  for (int i = 0; i < 300; ++i) {
    sets.push_back(range_set(next, next + 50));
    sets.push_back(range_set(next + 5, next + 55));
    next += 100;
  }
  for (int i = 0; i < 300; ++i, next += 100) sets.push_back(range_set(next, next + 50));
  DuplicateOptions o;
  const LshParams p = optimal_lsh_params(0.6, o.num_perm);
  const double expected_recall = lsh_candidate_probability(45.0 / 55.0, p);
  ASSERT_GT(expected_recall, 0.98);
  const DuplicateGroups g = find_duplicate_sets(sets, 0.6, o);
  std::size_t found = 0;
  for (std::size_t i = 0; i < 600; i += 2) found += g.group[i] >= 0 && g.group[i] == g.group[i + 1];
  // Binomial(300, p >= 0.98): fewer than 285 has probability < 1e-4.
  EXPECT_GE(found, 285u);
  for (std::size_t i = 600; i < 900; ++i) EXPECT_EQ(g.group[i], -1);  // verification rejects chance hits
  EXPECT_EQ(g.verified_pairs, found);
}

TEST(FeedbackDuplicates, HandMadeTexts) {
  const std::vector<std::string> texts = {
      "Please add a dark mode to the dashboard",                      // 0: add dark mode dashboard
      "Add dark mode to the dashboard please!",                       // 1: same set
      "The export to CSV fails with a timeout",                       // 2: export csv fail timeout
      "Export to csv is failing with timeouts",                       // 3: same stems
      "How do I reset my password?",                                  // 4
      "",                                                             // 5: no token, never grouped
      "Please add a dark mode to the dashboard and the mobile app",   // 6: J(0, 6) = 4/6
      "",                                                             // 7
  };
  DuplicateOptions o;
  o.language = Language::en;
  const DuplicateGroups g = find_duplicates(texts, 0.8, o);
  EXPECT_EQ(g.group, (std::vector<std::int64_t>{0, 0, 1, 1, -1, -1, -1, -1}));
  EXPECT_EQ(g.groups, (std::vector<std::vector<std::size_t>>{{0, 1}, {2, 3}}));
  // J(0, 6) = 4/6 is just above 0.6: weight recall so LSH proposes it almost surely.
  o.num_perm = 256;
  o.fp_weight = 0.05;
  o.fn_weight = 0.95;
  ASSERT_GT(lsh_candidate_probability(4.0 / 6.0, optimal_lsh_params(0.6, 256, 0.05, 0.95)), 0.99);
  const DuplicateGroups loose = find_duplicates(texts, 0.6, o);
  EXPECT_EQ(loose.group, (std::vector<std::int64_t>{0, 0, 1, 1, -1, -1, 0, -1}));
  EXPECT_THROW(find_duplicates(texts, 0.0), cxkit::InputError);
  // Threshold 1: identical token sets only.
  EXPECT_EQ(find_duplicates(texts, 1.0, o).groups, (std::vector<std::vector<std::size_t>>{{0, 1}, {2, 3}}));
}

TEST(FeedbackDuplicates, SpellingVariantsInRussianAndPersian) {
  const std::vector<std::string> texts = {
      "Добавьте тёмную тему, пожалуйста",                 // 0
      "добавьте темную тему пожалуйста",                  // 1: ё written as е, no comma
      "لطفا حالت تاریک می‌خواهم",  // 2
      "لطفا حالت تاريك ميخواهم",        // 3: Arabic yeh/kaf, no ZWNJ
      "Экспорт в CSV не работает",                        // 4
  };
  const DuplicateGroups g = find_duplicates(texts, 0.9);
  EXPECT_EQ(g.group, (std::vector<std::int64_t>{0, 0, 1, 1, -1}));
  EXPECT_EQ(g.group, find_duplicates(texts, 0.9).group);  // deterministic
}

TEST(FeedbackDuplicates, BatchPathEqualsTokenizeThenShingleSets) {
  // find_duplicates tokenises with a per-worker memo and hashes shingles without building
  // them; it must give what find_duplicate_sets gives on shingle_set(tokenize(text), k).
  const std::vector<std::string> words = {"dark", "mode", "The", "export", "exports", "CSV", "fails", "тёмная",
                                          "тема", "please", "timeout", "modo", "escuro", "a", "login"};
  std::mt19937_64 rng(3);
  std::vector<std::string> texts;
  for (int i = 0; i < 6000; ++i) {
    if (i > 0 && rng() % 4 == 0) {  // near copy of an earlier text
      texts.push_back(texts[rng() % texts.size()] + " " + words[rng() % words.size()]);
      continue;
    }
    std::string t;
    for (std::size_t k = 0, len = 3 + rng() % 8; k < len; ++k) t += words[rng() % words.size()] + " ";
    texts.push_back(t);
  }
  for (std::size_t k : {1u, 2u, 3u}) {
    DuplicateOptions o;
    o.shingle_size = k;
    o.tokenize.remove_stop_words = k != 2;
    std::vector<Set> sets;
    for (const auto& t : texts) sets.push_back(shingle_set(tokenize(t, o.language, o.tokenize), k));
    const DuplicateGroups ref = find_duplicate_sets(sets, 0.7, o);
    ASSERT_GT(ref.groups.size(), 30u) << k;  // the comparison exercises real groups
    for (unsigned threads : {1u, 2u, 3u}) {
      o.threads = threads;
      const DuplicateGroups g = find_duplicates(texts, 0.7, o);
      EXPECT_EQ(g.group, ref.group) << k << " " << threads;
      EXPECT_EQ(g.candidate_pairs, ref.candidate_pairs);
      EXPECT_EQ(g.verified_pairs, ref.verified_pairs);
    }
  }
}

TEST(FeedbackDuplicates, GroupsAreUnionsOfVerifiedPairs) {
  // J(A,B) = J(B,C) = 9/11 >= 0.7 but J(A,C) = 8/12 < 0.7: one group through B.
  const std::vector<Set> sets = {range_set(0, 10), range_set(1000, 1010), range_set(1, 11), range_set(2, 12)};
  DuplicateOptions o;
  o.num_perm = 256;
  o.fp_weight = 0.05;
  o.fn_weight = 0.95;
  ASSERT_GT(lsh_candidate_probability(9.0 / 11.0, optimal_lsh_params(0.7, 256, 0.05, 0.95)), 0.999);
  const DuplicateGroups g = find_duplicate_sets(sets, 0.7, o);
  EXPECT_EQ(g.group, (std::vector<std::int64_t>{0, -1, 0, 0}));
}
