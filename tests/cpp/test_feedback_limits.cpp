// Resource limits of the feedback pillar (issue #9): vocabulary and n-gram caps of TextIndex,
// max_vocabulary of detect_themes, max_features of vectorize, the LSH bucket cap of
// find_duplicates and the per-worker word memo. Checked against hand-computed cuts (most
// frequent first, ties by term), that every cut is reported, that results under the limit
// are unchanged, and that degenerate inputs (all-unique tokens, random bytes, one template)
// stay within the caps and give the same result twice and for any thread count.
#include <cxkit/feedback/duplicates.hpp>
#include <cxkit/feedback/minhash.hpp>
#include <cxkit/feedback/text_index.hpp>
#include <cxkit/feedback/themes.hpp>
#include <cxkit/feedback/vectorize.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using namespace cxkit::feedback;

namespace {

TokenizeOptions raw_words() {
  TokenizeOptions t;
  t.remove_stop_words = false;
  t.stem = false;
  return t;
}

// n texts of `words` random 8-letter tokens each: almost every token is unique.
std::vector<std::string> unique_tokens(std::size_t n, std::size_t words, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out(n);
  for (auto& s : out)
    for (std::size_t w = 0; w < words; ++w) {
      for (int c = 0; c < 8; ++c) s += static_cast<char>('a' + rng() % 26);
      s += ' ';
    }
  return out;
}

std::vector<std::string> random_bytes(std::size_t n, std::size_t len, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out(n);
  for (auto& s : out)
    for (std::size_t k = 0; k < len; ++k) s += static_cast<char>(rng() & 0xFF);
  return out;
}

}  // namespace

TEST(FeedbackLimits, TextIndexKeepsTheMostFrequentWordsTiesByTerm) {
  // Totals: apple 3, banana 2, cherry 2, date 2 (all df >= 1). A cap of 2 keeps apple and, of
  // the three tied at 2, the byte-wise smallest: banana. Texts 2 and 3 lose every word.
  const std::vector<std::string> texts = {"apple apple apple banana", "banana cherry", "cherry date", "date"};
  TextIndexOptions o;
  o.tokenize = raw_words();
  o.language = Language::en;
  o.char_ngrams = false;
  o.max_vocabulary = 2;
  const TextIndex idx(texts, o);
  EXPECT_EQ(idx.vectorizer().terms(), (std::vector<std::string>{"apple", "banana"}));
  EXPECT_EQ(idx.pruning().words, 2u);
  EXPECT_EQ(idx.pruning().documents, 2u);
  EXPECT_TRUE(idx.similar("date", 5).empty());  // a pruned word finds nothing
  const auto hits = idx.similar("banana", 5);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].index, 1u);  // "banana cherry" is banana alone once cherry is gone: cosine 1
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
  // tfidf.max_features caps too; the smaller cap wins.
  o.max_vocabulary = 3;
  o.tfidf.max_features = 1;
  EXPECT_EQ(TextIndex(texts, o).vectorizer().terms(), std::vector<std::string>{"apple"});
}

TEST(FeedbackLimits, CountingTableRefusesTermsFirstSeenWhenFull) {
  // max_counted_terms = 2: "a1" and "b1" fill the word table in text 0; "c1" (text 1) and
  // "d1" (text 2) are refused, while the later "a1" is still counted (df 2).
  const std::vector<std::string> texts = {"a1 b1", "c1 a1", "d1"};
  TextIndexOptions o;
  o.tokenize = raw_words();
  o.language = Language::en;
  o.char_ngrams = false;
  o.max_counted_terms = 2;
  const TextIndex idx(texts, o);
  EXPECT_EQ(idx.vectorizer().terms(), (std::vector<std::string>{"a1", "b1"}));
  EXPECT_EQ(idx.pruning().uncounted, 2u);
  EXPECT_TRUE(idx.similar("c1").empty());
  const auto hits = idx.similar("a1");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].index, 1u);  // text 1 is "a1" alone once "c1" is not counted: cosine 1
  // With n-grams the n-gram table has its own cap; rows stay consistent (every posting filled).
  o.char_ngrams = true;
  o.max_counted_terms = 5;
  const TextIndex both(texts, o);
  EXPECT_EQ(both.char_vectorizer().terms().size(), 5u);
  EXPECT_GT(both.pruning().uncounted, 2u);
  const auto h = both.similar("a1 b1");
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h[0].index, 0u);
  EXPECT_GT(h[0].score, 0.99);
}

TEST(FeedbackLimits, TextIndexMatchesTfidfVectorizerWithTheSameCap) {
  const auto texts = unique_tokens(300, 4, 1);
  std::vector<std::string> mixed = texts;
  for (int i = 0; i < 300; ++i) mixed.push_back("common" + std::to_string(i % 7) + " shared" + std::to_string(i % 13));
  TextIndexOptions o;
  o.tokenize = raw_words();
  o.language = Language::en;
  o.max_vocabulary = 50;
  o.max_ngram_features = 400;
  const TextIndex idx(mixed, o);
  TfidfOptions words;
  words.max_features = 50;
  TfidfVectorizer ref(words);
  const TokenizedCorpus tokens = tokenize_all(mixed, Language::en, raw_words());
  ref.fit(tokens);
  EXPECT_EQ(idx.vectorizer().terms(), ref.terms());
  EXPECT_EQ(idx.vectorizer().idf(), ref.idf());
  EXPECT_EQ(idx.pruning().words, ref.pruned_terms());
  EXPECT_EQ(idx.char_vectorizer().terms().size(), 400u);
  // n-gram features: distinct char_wb 3..5-grams of the words, minus the cap.
  TokenizedCorpus grams(tokens.size());
  for (std::size_t d = 0; d < tokens.size(); ++d)
    for (std::size_t n = 3; n <= 5; ++n) {
      auto g = char_ngrams(tokens[d], n);
      grams[d].insert(grams[d].end(), g.begin(), g.end());
    }
  TfidfOptions chars;
  chars.max_features = 400;
  TfidfVectorizer char_ref(chars);
  char_ref.fit(grams);
  EXPECT_EQ(idx.char_vectorizer().terms(), char_ref.terms());
  EXPECT_EQ(idx.pruning().ngrams, char_ref.pruned_terms());
}

TEST(FeedbackLimits, DefaultsChangeNothingOnAnOrdinaryCorpus) {
  std::vector<std::string> texts;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 3000; ++i)
    texts.push_back("word" + std::to_string(rng() % 500) + " word" + std::to_string(rng() % 500) + " topic" +
                    std::to_string(i % 9));
  TextIndexOptions limited, unlimited;
  unlimited.max_vocabulary = unlimited.max_ngram_features = 0;
  const TextIndex a(texts, limited), b(texts, unlimited);
  EXPECT_EQ(a.pruning().words + a.pruning().ngrams + a.pruning().documents, 0u);
  for (const char* q : {"word17 topic3", "topic1", "word499 word2"}) {
    const auto x = a.similar(q, 15), y = b.similar(q, 15);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t k = 0; k < x.size(); ++k) EXPECT_TRUE(x[k].index == y[k].index && x[k].score == y[k].score);
  }
}

TEST(FeedbackLimits, ThemesVocabularyCapByHandAndReported) {
  // Terms with df >= 2: "alpha" (6 occurrences), "beta" (4), "gamma" (2), "delta" (2). A cap
  // of 2 keeps alpha and beta; items 4 and 5 keep nothing.
  const std::vector<std::string> texts = {"alpha beta", "alpha beta", "alpha beta", "alpha beta alpha alpha",
                                          "gamma delta", "gamma delta"};
  ThemeOptions o;
  o.language = Language::en;
  o.max_df = 1.0;
  o.min_size = 2;
  o.max_vocabulary = 2;
  const ThemeResult r = detect_themes(texts, o);
  EXPECT_EQ(r.vocabulary, 2u);
  EXPECT_EQ(r.pruned_terms, 2u);
  EXPECT_EQ(r.emptied_items, 2u);
  EXPECT_EQ(r.assignment, (std::vector<std::int64_t>{0, 0, 0, 0, -1, -1}));
  o.max_vocabulary = 0;  // no limit: the second pair becomes a theme
  const ThemeResult all = detect_themes(texts, o);
  EXPECT_EQ(all.pruned_terms, 0u);
  EXPECT_EQ(all.assignment, (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1}));
}

TEST(FeedbackLimits, VectorizeReportsPrunedTermsAndEmptiedRows) {
  const std::vector<std::string> texts = {"apple apple apple banana", "banana cherry", "cherry date", "date"};
  TfidfOptions o;
  o.max_features = 2;
  const TfidfResult v = vectorize(texts, o, Language::en, raw_words(), 2);
  EXPECT_EQ(v.terms, (std::vector<std::string>{"apple", "banana"}));
  EXPECT_EQ(v.pruned_terms, 2u);
  EXPECT_EQ(v.emptied_documents, 2u);
  EXPECT_EQ(v.rows.row(3).nonZeros(), 0);
}

TEST(FeedbackLimits, WordMemoCapNeverChangesTokens) {
  const auto texts = unique_tokens(2000, 6, 8);
  TokenizeOptions capped;
  capped.max_cached_words = 3;
  const TfidfResult a = vectorize(texts, {}, Language::en, {}, 2), b = vectorize(texts, {}, Language::en, capped, 2);
  EXPECT_EQ(a.terms, b.terms);
  EXPECT_TRUE(a.rows.isApprox(b.rows, 0.0f));
  DuplicateOptions d;
  d.language = Language::en;
  const auto g1 = find_duplicates(texts, 0.5, d);
  d.tokenize.max_cached_words = 3;
  EXPECT_EQ(find_duplicates(texts, 0.5, d).group, g1.group);
}

TEST(FeedbackLimits, OversizedLshBucketsStayLinearAndStillConnectATemplate) {
  // 600 texts of one template with a varying number: 30 shared words + 1 unique, so every pair
  // has Jaccard 30/32 and a band (13 rows at threshold 0.8) is the template's own whenever the
  // unique word is the minimum in none of its rows, (30/31)^13 = 65% of the texts: giant
  // buckets. Unlimited, candidates are nearly all 179,700 pairs; with the cap at most 2 per text
  // per band, and the group is the same.
  std::string common;
  for (int w = 0; w < 30; ++w) common += "word" + std::to_string(w) + " ";
  std::vector<std::string> texts;
  for (int i = 0; i < 600; ++i) texts.push_back(common + "n" + std::to_string(i));
  DuplicateOptions o;
  o.language = Language::en;
  o.tokenize = raw_words();
  o.max_bucket_size = 0;
  const DuplicateGroups all = find_duplicates(texts, 0.8, o);
  EXPECT_GT(all.candidate_pairs, 150000u);
  EXPECT_EQ(all.oversized_buckets, 0u);
  ASSERT_EQ(all.groups.size(), 1u);
  o.max_bucket_size = 100;
  const LshParams p = optimal_lsh_params(0.8, o.num_perm);
  for (unsigned threads : {1u, 3u}) {
    o.threads = threads;
    const DuplicateGroups capped = find_duplicates(texts, 0.8, o);
    EXPECT_EQ(capped.group, all.group);
    EXPECT_LE(capped.candidate_pairs, p.bands * 2 * 600u);
    EXPECT_GT(capped.oversized_buckets, 0u);
    // Each oversized bucket of s members skips s(s-1)/2 - (2s-3) pairs, s > 100: at least 4,753.
    EXPECT_GE(capped.skipped_pairs, capped.oversized_buckets * 4753u);
    EXPECT_LE(capped.oversized_buckets, p.bands);
  }
}

TEST(FeedbackLimits, AdversarialUniqueTokensAndBytesStayWithinTheCapsDeterministically) {
  // 10,000 texts of 8 unique-ish tokens: ~80,000 distinct words and ~1.4 million distinct
  // n-grams. Caps far below that (the defaults are larger; the Python test and the docs measure
  // those on 200,000 texts) must hold and be reported, twice the same.
  const auto texts = unique_tokens(10000, 8, 21);
  TextIndexOptions o;
  o.language = Language::en;
  o.max_vocabulary = 20000;
  o.max_ngram_features = 50000;
  const TextIndex a(texts, o), b(texts, o);
  EXPECT_EQ(a.vectorizer().terms().size(), 20000u);
  EXPECT_EQ(a.char_vectorizer().terms().size(), 50000u);
  EXPECT_GT(a.pruning().words, 50000u);
  EXPECT_GT(a.pruning().ngrams, 500000u);
  EXPECT_EQ(a.vectorizer().terms(), b.vectorizer().terms());
  EXPECT_EQ(a.pruning().documents, b.pruning().documents);
  EXPECT_GT(a.pruning().documents, 0u);

  const auto bytes = random_bytes(4000, 64, 5);
  ThemeOptions t;
  t.min_df = 1;  // keep singletons so that the cap has something to cut
  t.max_vocabulary = 1000;
  t.threads = 1;
  const ThemeResult r1 = detect_themes(bytes, t);
  t.threads = 3;
  const ThemeResult r3 = detect_themes(bytes, t);
  EXPECT_EQ(r1.vocabulary, 1000u);
  EXPECT_GT(r1.pruned_terms, 2000u);
  EXPECT_EQ(r1.assignment, r3.assignment);
  EXPECT_EQ(r1.pruned_terms, r3.pruned_terms);
  EXPECT_EQ(r1.emptied_items, r3.emptied_items);
}
