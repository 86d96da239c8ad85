// Tokenisation, stop words, Snowball stemming and n-grams.
#pragma once

#include <cxkit/feedback/language.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace cxkit::feedback {

/// Options of tokenize().
struct TokenizeOptions {
  bool remove_stop_words = true;  ///< drop words in the language's stop list
  bool stem = true;               ///< Snowball stem where Snowball has the language
  bool strip_diacritics = true;   ///< strip accents after stemming ("café" == "cafe")
  std::size_t min_length = 1;     ///< drop tokens shorter than this many code points
  /// Resource limit of the batch paths (vectorize, find_duplicates): distinct words each
  /// worker memoises (stop-word check + stem, about 40 bytes + the word each). Past it, new
  /// words are tokenised at every occurrence instead; tokens never change. 0 = no limit.
  std::size_t max_cached_words = std::size_t{1} << 20;
};

/// Splits `text` into normalised word tokens. The text is normalised (normalize.hpp)
/// without stripping diacritics; a token is a maximal run of letters, marks and digits
/// (apostrophes, hyphens, underscores and everything else separate words, so French
/// "l'erreur" gives "l", "erreur"). Han and kana characters, which are written without
/// spaces, each become one token. Each token is then checked against the stop list,
/// stemmed with the language's Snowball stemmer (the Snowball algorithms expect accents,
/// so stemming comes first) and finally stripped of diacritics.
/// `language` unknown means guess_language(text). Thread-safe (stemmers are per thread).
/// O(n); never throws except std::bad_alloc.
std::vector<std::string> tokenize(std::string_view text, Language language = Language::unknown,
                                  const TokenizeOptions& options = {});

/// True if `word` (normalised, lower case, with or without diacritics) is a stop word of
/// `language`. Languages without a list (zh, ja, ko, ar, uk, unknown) have none. O(|word|).
bool is_stop_word(std::string_view word, Language language);

/// RAII wrapper of one libstemmer stemmer. Not thread-safe (one per thread); movable.
class Stemmer {
 public:
  /// Throws cxkit::NotFoundError if Snowball has no stemmer for `language`
  /// (has_stemmer(language) is false).
  explicit Stemmer(Language language);
  Stemmer(Stemmer&&) noexcept = default;
  Stemmer& operator=(Stemmer&&) noexcept = default;
  ~Stemmer();

  /// Stem of a lower-case, NFC UTF-8 word. O(|word|).
  std::string stem(std::string_view word);

 private:
  struct Deleter {
    void operator()(sb_stemmer* s) const noexcept;
  };
  std::unique_ptr<sb_stemmer, Deleter> stemmer_;
};

/// True for en, ru, pt, es, de, fr. Persian has no Snowball stemmer. noexcept.
bool has_stemmer(Language language) noexcept;

/// Word n-grams of n in [min_n, max_n], tokens joined by one space, in order of n then
/// position (as scikit-learn's analyzer="word" ngram_range). Throws cxkit::InputError
/// unless 1 <= min_n <= max_n. O(tokens * (max_n - min_n + 1)).
std::vector<std::string> word_ngrams(const std::vector<std::string>& tokens, std::size_t min_n,
                                     std::size_t max_n);

/// Character n-grams of exactly n code points inside word boundaries: each token is padded
/// with one space on both sides (scikit-learn's analyzer="char_wb"); a padded token shorter
/// than n gives itself once. Throws cxkit::InputError if n == 0. O(total length).
std::vector<std::string> char_ngrams(const std::vector<std::string>& tokens, std::size_t n);

}  // namespace cxkit::feedback
