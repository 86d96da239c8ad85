// Tokenisation, stop words, Snowball stemming and n-grams (tokenize.hpp).
#include <cxkit/feedback/tokenize.hpp>

#include <cxkit/core/error.hpp>
#include <cxkit/feedback/normalize.hpp>
#include <cxkit/feedback/text.hpp>

#include "stop_words.hpp"
#include "token_stream.hpp"

#include <libstemmer.h>
#include <utf8proc.h>

#include <array>
#include <optional>

namespace cxkit::feedback {
namespace {

const char* snowball_name(Language language) noexcept {
  switch (language) {
    case Language::en: return "english";
    case Language::ru: return "russian";
    case Language::pt: return "portuguese";
    case Language::es: return "spanish";
    case Language::de: return "german";
    case Language::fr: return "french";
    default: return nullptr;
  }
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

void Stemmer::Deleter::operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }

bool has_stemmer(Language language) noexcept { return snowball_name(language) != nullptr; }

Stemmer::Stemmer(Language language) {
  const char* name = snowball_name(language);
  if (!name) throw NotFoundError("no Snowball stemmer for language '" + std::string(language_code(language)) + "'");
  stemmer_.reset(sb_stemmer_new(name, "UTF_8"));
  if (!stemmer_) throw std::bad_alloc();
}

Stemmer::~Stemmer() = default;

std::string Stemmer::stem(std::string_view word) {
  const sb_symbol* out = sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (!out) throw std::bad_alloc();
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())));
}

bool is_stop_word(std::string_view word, Language language) {
  const auto& set = detail::stop_words(language);
  if (set.empty()) return false;
  return set.count(strip_diacritics(word)) != 0;
}

namespace detail {

int classify_non_ascii(char32_t cp) noexcept {
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3040 && cp <= 0x30FF) ||
      (cp >= 0xF900 && cp <= 0xFAFF))
    return 2;
  const auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND ? 1 : 0;
}

std::size_t decode_at(const unsigned char* s, std::size_t n, char32_t& cp) noexcept {
  utf8proc_int32_t v = 0;
  const auto used = utf8proc_iterate(s, static_cast<utf8proc_ssize_t>(n), &v);
  if (used <= 0) {  // cannot happen on normalised text; a separator, as U+FFFD is
    cp = 0xFFFD;
    return 1;
  }
  cp = static_cast<char32_t>(v);
  return static_cast<std::size_t>(used);
}

void normalize_for_tokens(std::string_view text, std::string& out) {
  bool ascii = true;
  for (unsigned char c : text)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (!ascii) {
    out = normalize(text, NormalizeOptions{false});
    return;
  }
  // ASCII is already NFKC with no marks; case folding is lower-casing (as normalize_text).
  out.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

bool finish_token(std::string_view raw, const std::unordered_set<std::string>& stops, Stemmer* stemmer,
                  const TokenizeOptions& options, std::string& out) {
  out = strip_diacritics(raw);
  if (options.remove_stop_words && stops.count(out)) return false;
  if (stemmer) out = options.strip_diacritics ? strip_diacritics(stemmer->stem(raw)) : stemmer->stem(raw);
  else if (!options.strip_diacritics) out.assign(raw);
  return !out.empty() && count_code_points(out) >= options.min_length;
}

// One stemmer per language per thread: libstemmer's objects are not thread-safe.
Stemmer* thread_stemmer(Language language) {
  thread_local std::array<std::optional<Stemmer>, 16> stemmers;
  auto& slot = stemmers[static_cast<std::size_t>(language)];
  if (!slot) slot.emplace(language);
  return &*slot;
}

}  // namespace detail

std::vector<std::string> tokenize(std::string_view text, Language language, const TokenizeOptions& options) {
  if (language == Language::unknown) language = guess_language(text);
  std::string norm, tok;
  detail::normalize_for_tokens(text, norm);
  Stemmer* stemmer = options.stem && has_stemmer(language) ? detail::thread_stemmer(language) : nullptr;
  const auto& stops = detail::stop_words(language);
  std::vector<std::string> tokens;
  detail::scan_words(std::string_view(norm), [&](std::string_view raw) {
    if (detail::finish_token(raw, stops, stemmer, options, tok)) tokens.push_back(tok);
  });
  return tokens;
}

std::vector<std::string> word_ngrams(const std::vector<std::string>& tokens, std::size_t min_n, std::size_t max_n) {
  if (min_n == 0 || min_n > max_n) throw InputError("word_ngrams needs 1 <= min_n <= max_n");
  std::vector<std::string> out;
  for (std::size_t n = min_n; n <= max_n; ++n) {
    for (std::size_t i = 0; i + n <= tokens.size(); ++i) {
      std::string g = tokens[i];
      for (std::size_t j = 1; j < n; ++j) g.append(" ").append(tokens[i + j]);
      out.push_back(std::move(g));
    }
  }
  return out;
}

std::vector<std::string> char_ngrams(const std::vector<std::string>& tokens, std::size_t n) {
  if (n == 0) throw InputError("char_ngrams needs n >= 1");
  std::vector<std::string> out;
  for (const std::string& t : tokens) {
    const std::string padded = " " + t + " ";
    std::vector<std::size_t> starts;  // byte offset of every code point
    for (std::size_t i = 0; i < padded.size(); ++i)
      if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) starts.push_back(i);
    starts.push_back(padded.size());
    const std::size_t cps = starts.size() - 1;
    if (cps < n) {
      out.push_back(padded);
      continue;
    }
    for (std::size_t i = 0; i + n <= cps; ++i) out.push_back(padded.substr(starts[i], starts[i + n] - starts[i]));
  }
  return out;
}

}  // namespace cxkit::feedback
