// TF-IDF against scikit-learn's TfidfVectorizer formulas, computed by hand on a tiny corpus.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/tfidf.hpp>

#include <gtest/gtest.h>

#include <cmath>

using namespace cxkit::feedback;

namespace {
// Corpus ["a b b", "b c", "c"]: n = 3, df(a) = 1, df(b) = 2, df(c) = 2.
const TokenizedCorpus kDocs = {{"a", "b", "b"}, {"b", "c"}, {"c"}};
constexpr double kIdfA = 1.6931471805599454;  // ln(4/2) + 1
constexpr double kIdfB = 1.2876820724517808;  // ln(4/3) + 1
double at(const SparseMatrix& m, int r, int c) { return static_cast<double>(m.coeff(r, c)); }
}  // namespace

TEST(FeedbackTfidf, SublinearSmoothL2ByHand) {
  TfidfVectorizer v;
  const SparseMatrix m = v.fit_transform(kDocs);
  ASSERT_EQ(v.terms(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_NEAR(v.idf()[0], kIdfA, 1e-6);
  EXPECT_NEAR(v.idf()[1], kIdfB, 1e-6);
  EXPECT_NEAR(v.idf()[2], kIdfB, 1e-6);
  // d0: a -> 1 * idf(a) = 1.693147, b -> (1 + ln 2) * idf(b) = 2.180236, norm 2.760467.
  EXPECT_NEAR(at(m, 0, 0), 0.613356, 1e-5);
  EXPECT_NEAR(at(m, 0, 1), 0.789810, 1e-5);
  EXPECT_EQ(at(m, 0, 2), 0.0);
  // d1: equal weights -> 1/sqrt(2) each; d2: a single term -> 1.
  EXPECT_NEAR(at(m, 1, 1), 0.7071068, 1e-6);
  EXPECT_NEAR(at(m, 1, 2), 0.7071068, 1e-6);
  EXPECT_NEAR(at(m, 2, 2), 1.0, 1e-6);
  EXPECT_EQ(m.nonZeros(), 5);
}

TEST(FeedbackTfidf, RawTfAndNoNormalisation) {
  TfidfOptions o;
  o.sublinear_tf = false;
  TfidfVectorizer v(o);
  const SparseMatrix m = v.fit_transform(kDocs);
  // scikit-learn defaults: d0 = (1.693147, 2 * 1.287682) / 3.082085.
  EXPECT_NEAR(at(m, 0, 0), 0.549351, 1e-5);
  EXPECT_NEAR(at(m, 0, 1), 0.835592, 1e-5);
  o.l2_normalize = false;
  o.smooth_idf = false;
  TfidfVectorizer raw(o);
  const SparseMatrix r = raw.fit_transform(kDocs);
  EXPECT_NEAR(at(r, 0, 1), 2.0 * (std::log(3.0 / 2.0) + 1.0), 1e-5);  // idf = ln(n/df) + 1
  EXPECT_NEAR(at(r, 0, 0), std::log(3.0) + 1.0, 1e-5);
}

TEST(FeedbackTfidf, VocabularyLimits) {
  TfidfOptions o;
  o.min_df = 2;
  EXPECT_EQ(TfidfVectorizer(o).fit_transform(kDocs).cols(), 2);
  TfidfVectorizer min_df(o);
  min_df.fit(kDocs);
  EXPECT_EQ(min_df.terms(), (std::vector<std::string>{"b", "c"}));
  TfidfOptions o2;
  o2.max_df = 0.5;  // at most 1.5 documents
  TfidfVectorizer max_df(o2);
  max_df.fit(kDocs);
  EXPECT_EQ(max_df.terms(), std::vector<std::string>{"a"});
  TfidfOptions o3;
  o3.max_features = 1;  // b occurs 3 times in total, c twice, a once
  TfidfVectorizer top(o3);
  top.fit(kDocs);
  EXPECT_EQ(top.terms(), std::vector<std::string>{"b"});
  EXPECT_EQ(top.column("b"), 0);
  EXPECT_EQ(top.column("a"), -1);
  TfidfOptions o4;
  o4.min_df = 5;
  EXPECT_THROW(TfidfVectorizer(o4).fit(kDocs), cxkit::InputError);
  TfidfOptions bad;
  bad.max_df = 0.0;
  EXPECT_THROW(TfidfVectorizer{bad}, cxkit::InputError);
}

TEST(FeedbackTfidf, TransformNewDocuments) {
  TfidfVectorizer v;
  EXPECT_THROW(v.transform(kDocs), cxkit::InputError);
  v.fit(kDocs);
  const SparseMatrix m = v.transform({{"a", "zzz"}, {}, {"zzz"}});
  EXPECT_EQ(m.rows(), 3);
  EXPECT_NEAR(at(m, 0, 0), 1.0, 1e-6);  // the unknown term is ignored
  EXPECT_EQ(m.row(1).nonZeros(), 0);
  EXPECT_EQ(m.row(2).nonZeros(), 0);
}

TEST(FeedbackTfidf, FromRawTexts) {
  TfidfVectorizer v;
  const SparseMatrix m = v.fit_transform(tokenize_all({"The exports are failing", "Export failed again"}, Language::en));
  EXPECT_GE(v.column("export"), 0);
  EXPECT_GE(v.column("fail"), 0);
  // Both documents share "export" and "fail"; the first has nothing else, so its row
  // is (1/sqrt 2, 1/sqrt 2) on those two columns.
  EXPECT_NEAR(at(m, 0, v.column("export")), 0.7071068, 1e-6);
}
