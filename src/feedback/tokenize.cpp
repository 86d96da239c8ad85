// Tokenisation, stop words, Snowball stemming and n-grams (tokenize.hpp).
#include <cxkit/feedback/tokenize.hpp>

#include <cxkit/core/error.hpp>
#include <cxkit/feedback/normalize.hpp>
#include <cxkit/feedback/text.hpp>

#include "stop_words.hpp"

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

enum class CharKind { separator, word, ideograph };

CharKind kind_of(char32_t cp) noexcept {
  if (cp < 0x80) {
    const char32_t l = cp | 0x20;
    return ((l >= 'a' && l <= 'z') || (cp >= '0' && cp <= '9')) ? CharKind::word : CharKind::separator;
  }
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3040 && cp <= 0x30FF) ||
      (cp >= 0xF900 && cp <= 0xFAFF))
    return CharKind::ideograph;
  const auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND)) return CharKind::word;
  return CharKind::separator;
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// One stemmer per language per thread: libstemmer's objects are not thread-safe.
Stemmer* thread_stemmer(Language language) {
  thread_local std::array<std::optional<Stemmer>, 16> stemmers;
  auto& slot = stemmers[static_cast<std::size_t>(language)];
  if (!slot) slot.emplace(language);
  return &*slot;
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

std::vector<std::string> tokenize(std::string_view text, Language language, const TokenizeOptions& options) {
  if (language == Language::unknown) language = guess_language(text);
  const std::string norm = normalize(text, NormalizeOptions{false});
  Stemmer* stemmer = options.stem && has_stemmer(language) ? thread_stemmer(language) : nullptr;
  const auto& stops = detail::stop_words(language);
  std::vector<std::string> tokens;
  auto emit = [&](std::string_view raw) {
    std::string tok = strip_diacritics(raw);
    if (options.remove_stop_words && stops.count(tok)) return;
    if (stemmer) tok = options.strip_diacritics ? strip_diacritics(stemmer->stem(raw)) : stemmer->stem(raw);
    else if (!options.strip_diacritics) tok.assign(raw);
    if (tok.empty() || count_code_points(tok) < options.min_length) return;
    tokens.push_back(std::move(tok));
  };
  const auto* s = reinterpret_cast<const unsigned char*>(norm.data());
  const std::size_t n = norm.size();
  std::size_t start = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < n;) {
    utf8proc_int32_t cp = 0;
    const auto used = utf8proc_iterate(s + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
    const std::size_t step = used > 0 ? static_cast<std::size_t>(used) : 1;
    const CharKind k = used > 0 ? kind_of(static_cast<char32_t>(cp)) : CharKind::separator;
    if (k == CharKind::word) {
      if (!in_word) start = i, in_word = true;
    } else {
      if (in_word) emit(std::string_view(norm).substr(start, i - start));
      in_word = false;
      if (k == CharKind::ideograph) emit(std::string_view(norm).substr(i, step));
    }
    i += step;
  }
  if (in_word) emit(std::string_view(norm).substr(start));
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
