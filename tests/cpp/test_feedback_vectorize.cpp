// vectorize(): the parallel chunked path must equal TfidfVectorizer::fit_transform(tokenize_all())
// exactly (terms, idf, every stored value), for any thread count and option set.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/vectorize.hpp>

#include <gtest/gtest.h>

#include <random>

using namespace cxkit::feedback;

namespace {

std::vector<std::string> corpus(std::size_t n) {
  static const char* words[] = {"dark", "mode", "export", "exports", "exporting", "excel", "the", "and", "billing",
                                "invoice", "тёмная", "тема", "экспорт", "modo", "escuro", "sso", "login", "crash"};
  std::mt19937_64 rng(5);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string t;
    const std::size_t len = rng() % 9;  // some texts are empty
    for (std::size_t k = 0; k < len; ++k) t += std::string(words[rng() % 18]) + " ";
    out.push_back(t);
  }
  return out;
}

void expect_same(const TfidfResult& a, const TfidfVectorizer& v, const SparseMatrix& m) {
  ASSERT_EQ(a.terms, v.terms());
  ASSERT_EQ(a.idf, v.idf());
  ASSERT_EQ(a.rows.rows(), m.rows());
  ASSERT_EQ(a.rows.nonZeros(), m.nonZeros());
  for (Eigen::Index r = 0; r < m.outerSize(); ++r) {
    SparseMatrix::InnerIterator x(a.rows, r), y(m, r);
    for (; x && y; ++x, ++y) {
      EXPECT_EQ(x.col(), y.col());
      EXPECT_EQ(x.value(), y.value());
    }
    EXPECT_FALSE(x);
    EXPECT_FALSE(y);
  }
}

}  // namespace

TEST(FeedbackVectorize, EqualsTheSequentialVectorizerForAnyThreadCount) {
  const auto texts = corpus(10000);  // several 4,096-text chunks
  for (const TfidfOptions& o : {TfidfOptions{}, TfidfOptions{2, 0.5, 7, false, false, true}}) {
    TfidfVectorizer v(o);
    const SparseMatrix m = v.fit_transform(tokenize_all(texts, Language::unknown));
    for (unsigned threads : {1u, 2u, 5u}) expect_same(vectorize(texts, o, Language::unknown, {}, threads), v, m);
  }
}

TEST(FeedbackVectorize, ErrorsAsTheVectorizer) {
  EXPECT_THROW(vectorize({}), cxkit::InputError);
  EXPECT_THROW(vectorize({"the and", "a"}, {}, Language::en), cxkit::InputError);
  TfidfOptions bad;
  bad.min_df = 0;
  EXPECT_THROW(vectorize({"dark mode"}, bad), cxkit::InputError);
}

TEST(FeedbackVectorize, MemoisedTokensEqualTokenizeOnMixedScriptsAndOptions) {
  // The vectoriser memoises each word's token per worker; tokenize() works word by word.
  // Mixed case, accents, Cyrillic, Persian (ZWNJ, Arabic yeh/kaf), CJK, digits of other
  // scripts, punctuation and invalid UTF-8 must give the same tokens either way.
  const std::vector<std::string> pieces = {
      "Dark MODE", "café", "Cafe", "ÉCOLE", "тёмная Тема", "темная", "می‌خواهم", "ميخواهم", "كتاب",
      "暗黑模式", "١٢٣ items", "l'erreur", "Straße", "\xff\xfe broken", "São Paulo", "exporting, exports!",
      "the and of", "İstanbul", "x", "ab"};
  std::mt19937_64 rng(11);
  std::vector<std::string> texts;
  for (int i = 0; i < 9000; ++i) {
    std::string t;
    const std::size_t len = rng() % 6;
    for (std::size_t k = 0; k < len; ++k) t += pieces[rng() % pieces.size()] + (k % 2 ? " " : ", ");
    texts.push_back(t);
  }
  TokenizeOptions raw;
  raw.remove_stop_words = false;
  raw.stem = false;
  raw.strip_diacritics = false;
  raw.min_length = 2;
  for (const TokenizeOptions& tok : {TokenizeOptions{}, raw}) {
    for (Language lang : {Language::unknown, Language::fr}) {
      TfidfVectorizer v;
      const SparseMatrix m = v.fit_transform(tokenize_all(texts, lang, tok));
      for (unsigned threads : {1u, 2u}) expect_same(vectorize(texts, {}, lang, tok, threads), v, m);
    }
  }
}
