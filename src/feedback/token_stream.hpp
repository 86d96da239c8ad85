// Internal: the tokenize() pipeline split into its steps, plus a memoising per-worker
// tokeniser for the batch paths (vectorize, find_duplicates).
//
// Why: in a corpus the same word occurs millions of times, and everything tokenize() does
// to one word after finding it (diacritic stripping, stop-word lookup, Snowball stemming)
// depends only on the word, the language and the options. TokenCache therefore computes it
// once per distinct (language, word) and afterwards costs one hash lookup per word. Both
// tokenize() and TokenCache use the same scan_words() and finish_token(), so the tokens are
// identical by construction.
#pragma once

#include <cxkit/core/dictionary.hpp>
#include <cxkit/feedback/tokenize.hpp>

#include "stop_words.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace cxkit::feedback::detail {

/// Normalises `text` as tokenize() does (normalize() without stripping diacritics) into
/// `out`, reusing its capacity. ASCII text is only lower-cased (it is already NFKC and has
/// no marks), without going through utf8proc. O(n).
void normalize_for_tokens(std::string_view text, std::string& out);

/// Calls emit(std::string_view) for every raw word of normalised text `norm`: maximal runs
/// of letters, marks and digits; each Han/kana character is a word of its own. ASCII bytes
/// are classified by a table, other code points through utf8proc. O(n).
template <class Emit>
void scan_words(std::string_view norm, Emit&& emit);

/// What tokenize() makes of one raw word: stop-word check, stem, diacritic stripping,
/// minimum length. Writes the token to `out` and returns true, or returns false when the
/// word is dropped. `stemmer` may be null (no stemming).
bool finish_token(std::string_view raw, const std::unordered_set<std::string>& stops, Stemmer* stemmer,
                  const TokenizeOptions& options, std::string& out);

/// The thread's stemmer for `language` (has_stemmer(language) must be true).
Stemmer* thread_stemmer(Language language);

/// Memoising tokeniser: the same tokens as tokenize(text, language, options), as ids of
/// distinct tokens (0, 1, ... in first-seen order within this object). One per worker
/// thread; not thread-safe. Memory: O(min(distinct words, options.max_cached_words) +
/// distinct tokens): once the memo is full, unseen words are finished at each occurrence.
class TokenCache {
 public:
  explicit TokenCache(const TokenizeOptions& options) : options_(options) {}

  /// Calls f(std::uint32_t token_id) for every token of `text` in order. `language`
  /// unknown = guess_language(text). O(|text|) plus, for each word not seen before in this
  /// language, the cost of tokenize() on it.
  template <class F>
  void for_each(std::string_view text, Language language, F&& f);

  /// The token of `id` (a view that lives as long as this object).
  std::string_view token(std::uint32_t id) const noexcept { return tokens_.name(id); }
  /// Number of distinct tokens produced so far.
  std::size_t size() const noexcept { return tokens_.size(); }
  /// Words memoised so far (all languages); at most options.max_cached_words when it is set.
  std::size_t cached_words() const noexcept { return cached_; }

 private:
  struct PerLanguage {
    Dictionary words;                     // raw (normalised) words seen
    std::vector<std::uint32_t> token_of;  // by word id: token id, or kNoId if dropped
    const std::unordered_set<std::string>* stops = nullptr;
    Language language = Language::unknown;
    bool stem = false;
  };
  PerLanguage& language_state(Language language);
  std::uint32_t resolve(PerLanguage& state, std::string_view raw);

  TokenizeOptions options_;
  std::array<std::unique_ptr<PerLanguage>, 16> by_language_{};
  Dictionary tokens_;
  std::string norm_, scratch_;
  std::size_t cached_ = 0;
};

// ---- inline implementation --------------------------------------------------------------

/// 0 separator, 1 word character, 2 ideograph (a word by itself); code point >= 0x80.
int classify_non_ascii(char32_t cp) noexcept;
/// Decodes one code point of well-formed UTF-8 at s (n bytes left); returns bytes used (>= 1).
std::size_t decode_at(const unsigned char* s, std::size_t n, char32_t& cp) noexcept;

inline constexpr std::array<bool, 128> kAsciiWord = [] {
  std::array<bool, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  return t;
}();

template <class Emit>
void scan_words(std::string_view norm, Emit&& emit) {
  const auto* s = reinterpret_cast<const unsigned char*>(norm.data());
  const std::size_t n = norm.size();
  std::size_t start = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < n;) {
    int kind;
    std::size_t step = 1;
    if (s[i] < 0x80) {
      kind = kAsciiWord[s[i]] ? 1 : 0;
    } else {
      char32_t cp = 0;
      step = decode_at(s + i, n - i, cp);
      kind = classify_non_ascii(cp);
    }
    if (kind == 1) {
      if (!in_word) start = i, in_word = true;
    } else {
      if (in_word) emit(norm.substr(start, i - start));
      in_word = false;
      if (kind == 2) emit(norm.substr(i, step));
    }
    i += step;
  }
  if (in_word) emit(norm.substr(start));
}

inline TokenCache::PerLanguage& TokenCache::language_state(Language language) {
  auto& slot = by_language_[static_cast<std::size_t>(language)];
  if (!slot) {
    slot = std::make_unique<PerLanguage>();
    slot->stops = &stop_words(language);
    slot->language = language;
    slot->stem = options_.stem && has_stemmer(language);
  }
  return *slot;
}

inline std::uint32_t TokenCache::resolve(PerLanguage& state, std::string_view raw) {
  const bool full = options_.max_cached_words != 0 && cached_ >= options_.max_cached_words;
  if (full) {
    if (const auto w = state.words.find(raw)) return state.token_of[*w];
  } else {
    const std::uint32_t w = state.words.intern(raw);
    if (w < state.token_of.size()) return state.token_of[w];
  }
  // New word. Stemmers are per thread and the cache may be used from several threads in
  // turn (one at a time), so take the current thread's stemmer.
  Stemmer* stemmer = state.stem ? thread_stemmer(state.language) : nullptr;
  const std::uint32_t t = finish_token(raw, *state.stops, stemmer, options_, scratch_) ? tokens_.intern(scratch_) : kNoId;
  if (!full) state.token_of.push_back(t), ++cached_;
  return t;
}

template <class F>
void TokenCache::for_each(std::string_view text, Language language, F&& f) {
  if (language == Language::unknown) language = guess_language(text);
  PerLanguage& state = language_state(language);
  normalize_for_tokens(text, norm_);
  scan_words(std::string_view(norm_), [&](std::string_view raw) {
    const std::uint32_t t = resolve(state, raw);
    if (t != kNoId) f(t);
  });
}

}  // namespace cxkit::feedback::detail
