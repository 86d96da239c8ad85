// TextIndex (text_index.hpp): two streaming passes over the texts, no per-occurrence strings.
//
// The earlier build materialised every token and every character n-gram of the corpus as a
// std::string (about 20 n-grams of 32+ bytes per word) before fitting; at a million texts
// that alone is gigabytes. Here pass 1 interns each distinct term once and keeps one uint32
// per word occurrence; pass 2 recomputes a text's n-grams from its words and writes the
// postings of the kept terms directly. Weights are computed exactly as
// TfidfVectorizer::transform does, so rows are unchanged.
#include <cxkit/feedback/text_index.hpp>

#include <cxkit/core/dictionary.hpp>
#include <cxkit/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cxkit::feedback {
namespace {

constexpr std::size_t kReport = 4096;  // texts between two progress reports

// Document and total frequencies of interned terms, counted text by text. Once `limit`
// distinct terms are held, terms not seen before are refused (counted in `refused`, returned
// as kNoId): the table, the one structure that grows with distinct input, stays bounded, and
// since texts are counted in input order the cut is deterministic.
struct TermCounts {
  explicit TermCounts(std::size_t max_terms) : limit(max_terms) {}
  std::size_t limit;  // 0 = none
  std::uint64_t refused = 0;
  Dictionary dict;
  std::vector<std::uint32_t> df, last;  // last: 1 + last text that had the term
  std::vector<std::uint64_t> total;
  std::uint32_t add(std::string_view term, std::uint32_t doc) {
    std::uint32_t id;
    if (limit != 0 && df.size() >= limit) {
      const auto found = dict.find(term);
      if (!found) return ++refused, kNoId;
      id = *found;
    } else {
      id = dict.intern(term);
    }
    if (id == df.size()) df.push_back(0), last.push_back(0), total.push_back(0);
    ++total[id];
    if (last[id] != doc + 1) last[id] = doc + 1, ++df[id];
    return id;
  }
};

struct Selection {
  std::vector<int> column;    // by term id: column, or -1
  std::vector<char> df_kept;  // by term id: passed min_df/max_df (filled only if the cap cut)
  std::vector<int> start;     // postings offsets by column (CSC style)
  TfidfVectorizer vectorizer;
};

// Kept terms exactly as TfidfVectorizer::fit: min_df/max_df, then the `limit` most frequent
// (total occurrences, ties by term; 0 = all); columns in byte-wise term order.
Selection select_terms(const TermCounts& c, std::size_t n, const TfidfOptions& o, std::size_t limit) {
  const double max_docs = o.max_df * static_cast<double>(n);
  std::vector<std::uint32_t> keep;
  for (std::uint32_t t = 0; t < c.df.size(); ++t)
    if (c.df[t] >= o.min_df && static_cast<double>(c.df[t]) <= max_docs) keep.push_back(t);
  std::vector<char> df_kept;
  std::size_t pruned = 0;
  if (limit > 0 && keep.size() > limit) {
    df_kept.assign(c.df.size(), 0);
    for (std::uint32_t t : keep) df_kept[t] = 1;
    std::nth_element(keep.begin(), keep.begin() + static_cast<std::ptrdiff_t>(limit), keep.end(),
                     [&](std::uint32_t a, std::uint32_t b) {
                       return c.total[a] != c.total[b] ? c.total[a] > c.total[b] : c.dict.name(a) < c.dict.name(b);
                     });
    pruned = keep.size() - limit;
    keep.resize(limit);
  }
  if (keep.empty()) throw InputError("TF-IDF: no term left after min_df/max_df/max_features (empty corpus?)");
  std::sort(keep.begin(), keep.end(), [&](std::uint32_t a, std::uint32_t b) { return c.dict.name(a) < c.dict.name(b); });
  std::vector<std::string> terms;
  std::vector<float> idf;
  terms.reserve(keep.size());
  idf.reserve(keep.size());
  std::vector<int> column(c.df.size(), -1);
  std::vector<int> start(keep.size() + 1, 0);
  const double nd = static_cast<double>(n);
  std::size_t postings = 0;
  for (std::uint32_t t : keep) {
    column[t] = static_cast<int>(terms.size());
    terms.emplace_back(c.dict.name(t));
    const double d = static_cast<double>(c.df[t]);
    idf.push_back(static_cast<float>(o.smooth_idf ? std::log((1.0 + nd) / (1.0 + d)) + 1.0 : std::log(nd / d) + 1.0));
    postings += c.df[t];
    if (postings >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw InputError("TextIndex: more than 2^31 - 1 postings");
    start[terms.size()] = static_cast<int>(postings);
  }
  return {std::move(column), std::move(df_kept), std::move(start),
          TfidfVectorizer::from_vocabulary(o, std::move(terms), std::move(idf), pruned)};
}

// char_wb n-grams of every size in [lo, hi] of one text's words, handed to f(std::string&).
template <class F>
void for_each_char_gram(const std::vector<std::string>& words, std::size_t lo, std::size_t hi, F&& f) {
  for (std::size_t n = lo; n <= hi; ++n)
    for (auto& g : char_ngrams(words, n)) f(g);
}

// Appends one text's row (term ids -> columns, tf * idf, l2) to the postings of `p`.
void add_row(std::vector<int>& ids, const std::vector<float>& idf, const TfidfOptions& o, int doc,
             std::vector<int>& fill, std::vector<int>& post_doc, std::vector<float>& post_weight,
             std::vector<std::pair<int, float>>& row) {
  std::sort(ids.begin(), ids.end());
  row.clear();
  double norm2 = 0.0;
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    const double c = static_cast<double>(j - i);
    const double tf = o.sublinear_tf ? 1.0 + std::log(c) : c;
    const double w = tf * static_cast<double>(idf[static_cast<std::size_t>(ids[i])]);
    norm2 += w * w;
    row.emplace_back(ids[i], static_cast<float>(w));
    i = j;
  }
  if (o.l2_normalize && norm2 > 0.0) {
    const double inv = 1.0 / std::sqrt(norm2);
    for (auto& e : row) e.second = static_cast<float>(e.second * inv);
  }
  for (const auto& [col, w] : row) {
    const auto pos = static_cast<std::size_t>(fill[static_cast<std::size_t>(col)]++);
    post_doc[pos] = doc;
    post_weight[pos] = w;
  }
}

std::size_t effective_limit(std::size_t a, std::size_t b) noexcept {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

}  // namespace

TextIndex::TextIndex(const std::vector<std::string>& texts, TextIndexOptions options)
    : options_(std::move(options)), vectorizer_(options_.tfidf), size_(texts.size()), char_vectorizer_(options_.tfidf) {
  const std::size_t n = texts.size();
  if (n >= static_cast<std::size_t>(std::numeric_limits<int>::max())) throw InputError("TextIndex: more than 2^31 - 2 texts");
  const Progress callback = std::move(options_.progress);  // the index must not keep caller state
  options_.progress = {};
  ProgressReporter progress(callback, 2 * static_cast<std::uint64_t>(n));
  const TfidfOptions& to = options_.tfidf;
  const bool chars = options_.char_ngrams;
  const std::size_t lo = options_.char_min_n, hi = options_.char_max_n;

  // Pass 1: word ids per occurrence; word and n-gram frequencies.
  TermCounts words(options_.max_counted_terms), grams(options_.max_counted_terms);
  std::vector<std::uint32_t> word_ids;
  std::vector<std::size_t> offset(n + 1, 0);
  for (std::size_t d = 0; d < n; ++d) {
    if (d % kReport == 0 && d > 0) progress.advance(kReport);
    auto tokens = tokenize(texts[d], options_.language, options_.tokenize);
    std::size_t counted = 0;  // refused words (kNoId) are left out of the n-grams too, as in pass 2
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const std::uint32_t id = words.add(tokens[k], static_cast<std::uint32_t>(d));
      word_ids.push_back(id);
      if (id == kNoId) continue;
      if (counted != k) tokens[counted] = std::move(tokens[k]);
      ++counted;
    }
    tokens.resize(counted);
    offset[d + 1] = word_ids.size();
    if (chars) for_each_char_gram(tokens, lo, hi, [&](const std::string& g) { grams.add(g, static_cast<std::uint32_t>(d)); });
  }
  if (n > 0) progress.advance(n - (n - 1) / kReport * kReport);
  Selection w = select_terms(words, n, to, effective_limit(to.max_features, options_.max_vocabulary));
  Selection c;
  if (chars) {
    c = select_terms(grams, n, to, options_.max_ngram_features);
    std::vector<std::uint32_t>().swap(grams.last);  // pass 2 only looks n-grams up
  }

  // Pass 2: rows of the kept terms straight into the postings.
  auto make_postings = [](const Selection& s) {
    Postings p;
    p.start = s.start;
    p.doc.resize(static_cast<std::size_t>(s.start.back()));
    p.weight.resize(p.doc.size());
    return p;
  };
  words_ = make_postings(w);
  if (chars) chars_ = make_postings(c);
  std::vector<int> fill_w(w.start.begin(), w.start.end() - 1), fill_c;
  if (chars) fill_c.assign(c.start.begin(), c.start.end() - 1);
  std::vector<int> ids;
  std::vector<std::pair<int, float>> row;
  std::vector<std::string> tokens;
  for (std::size_t d = 0; d < n; ++d) {
    if (d % kReport == 0 && d > 0) progress.advance(kReport);
    ids.clear();
    bool had_term = false;
    for (std::size_t k = offset[d]; k < offset[d + 1]; ++k) {
      if (word_ids[k] == kNoId) continue;
      const int col = w.column[word_ids[k]];
      if (col >= 0) ids.push_back(col);
      else if (!w.df_kept.empty() && w.df_kept[word_ids[k]]) had_term = true;
    }
    if (ids.empty() && had_term) ++pruning_.documents;
    add_row(ids, w.vectorizer.idf(), to, static_cast<int>(d), fill_w, words_.doc, words_.weight, row);
    if (!chars) continue;
    tokens.clear();
    for (std::size_t k = offset[d]; k < offset[d + 1]; ++k)
      if (word_ids[k] != kNoId) tokens.emplace_back(words.dict.name(word_ids[k]));
    ids.clear();
    for_each_char_gram(tokens, lo, hi, [&](const std::string& g) {
      const auto id = grams.dict.find(g);
      if (id && c.column[*id] >= 0) ids.push_back(c.column[*id]);
    });
    add_row(ids, c.vectorizer.idf(), to, static_cast<int>(d), fill_c, chars_.doc, chars_.weight, row);
  }
  pruning_.words = w.vectorizer.pruned_terms();
  pruning_.uncounted = words.refused + grams.refused;
  vectorizer_ = std::move(w.vectorizer);
  if (chars) {
    pruning_.ngrams = c.vectorizer.pruned_terms();
    char_vectorizer_ = std::move(c.vectorizer);
  }
  if (n > 0) progress.advance(n - (n - 1) / kReport * kReport);
  progress.finish();
}

std::vector<SimilarHit> TextIndex::similar(std::string_view query, std::size_t k) const {
  std::vector<SimilarHit> hits;
  if (k == 0) return hits;
  const TokenizedCorpus q_words = {tokenize(query, options_.language, options_.tokenize)};
  const SparseMatrix q = vectorizer_.transform(q_words);
  if (q.nonZeros() == 0) return hits;  // no known word: no hit (character overlap alone is not enough)
  std::vector<double> score(size_, 0.0);
  std::vector<int> touched;
  auto accumulate = [&](const SparseMatrix& row, const Postings& p, std::vector<double>& into, bool track) {
    for (SparseMatrix::InnerIterator it(row, 0); it; ++it) {
      const auto t = static_cast<std::size_t>(it.col());
      for (int x = p.start[t]; x < p.start[t + 1]; ++x) {
        const auto d = static_cast<std::size_t>(p.doc[static_cast<std::size_t>(x)]);
        if (track && into[d] == 0.0) touched.push_back(static_cast<int>(d));
        into[d] += static_cast<double>(it.value()) * p.weight[static_cast<std::size_t>(x)];
      }
    }
  };
  accumulate(q, words_, score, true);
  if (options_.char_ngrams) {
    // Candidates are the documents sharing a word; character n-grams refine their order.
    TokenizedCorpus q_grams(1);
    for_each_char_gram(q_words[0], options_.char_min_n, options_.char_max_n,
                       [&](std::string& g) { q_grams[0].push_back(std::move(g)); });
    std::vector<double> char_scores(size_, 0.0);
    accumulate(char_vectorizer_.transform(q_grams), chars_, char_scores, false);
    for (int d : touched)
      score[static_cast<std::size_t>(d)] = 0.5 * (score[static_cast<std::size_t>(d)] + char_scores[static_cast<std::size_t>(d)]);
  }
  for (int d : touched)
    if (score[static_cast<std::size_t>(d)] > 0.0) hits.push_back({static_cast<std::size_t>(d), score[static_cast<std::size_t>(d)]});
  auto better = [](const SimilarHit& a, const SimilarHit& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  };
  const std::size_t keep = std::min(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), better);
  hits.resize(keep);
  return hits;
}

}  // namespace cxkit::feedback
