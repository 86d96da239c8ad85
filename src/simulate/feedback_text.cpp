// Rendering feedback text from the phrase banks, and the noise real feedback carries.
#include <vector>

#include "cxkit/simulate/phrases.hpp"
#include "phrase_banks.hpp"

namespace cxkit::simulate::detail {

namespace {

// Decodes the code point at s[i] (s is valid UTF-8); returns its length in bytes.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return len;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t lower(char32_t c) noexcept {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;   // Latin-1: À..Þ except ×
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;              // Cyrillic А..Я
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;              // Ѐ..Џ (Ё among them)
  return c;
}

char32_t upper(char32_t c) noexcept {
  if (c >= U'a' && c <= U'z') return c - 32;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;   // à..þ except ÷
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  return c;
}

template <class F>
std::string map_code_points(std::string_view s, F f, std::size_t limit = std::string::npos) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0, count = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(s, i, cp);
    if (count++ < limit)
      encode(f(cp), out);
    else
      out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

bool starts_with_capitalised_word(std::string_view s) {
  if (s.empty()) return false;
  char32_t first = 0, second = 0;
  const std::size_t len = decode(s, 0, first);
  if (len >= s.size()) return false;
  decode(s, len, second);
  return upper(first) == first && lower(first) != first && lower(second) == second && upper(second) != second;
}

std::string to_lower_first(std::string_view s) { return map_code_points(s, lower, 1); }

template <class Span>
std::string_view pick(const Span& items, Rng& rng) {
  return items[static_cast<std::size_t>(rng.below(items.size()))];
}

}  // namespace

const LanguagePhrases& phrases(Language language) noexcept {
  switch (language) {
    case Language::en: return english_phrases();
    case Language::ru: return russian_phrases();
    case Language::pt: return portuguese_phrases();
    case Language::fa: return persian_phrases();
  }
  return english_phrases();
}

std::string fill_frame(std::string_view frame, std::string_view term, std::string_view detail) {
  std::string out;
  out.reserve(frame.size() + term.size() + detail.size());
  for (std::size_t i = 0; i < frame.size(); ++i) {
    if (frame[i] == '{' && i + 2 < frame.size() && frame[i + 2] == '}') {
      switch (frame[i + 1]) {
        case 't': out.append(term); i += 2; continue;
        case 'T': out.append(capitalise(term)); i += 2; continue;
        case 'd': out.append(detail); i += 2; continue;
        case 'p': out.append(kProductName); i += 2; continue;
        default: break;
      }
    }
    out.push_back(frame[i]);
  }
  return out;
}

std::string add_typos(std::string_view text, double rate, Rng& rng) {
  if (rate <= 0) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  std::vector<std::string_view> letters;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      out.push_back(' ');
      ++i;
      continue;
    }
    std::size_t j = i;
    letters.clear();
    while (j < text.size() && text[j] != ' ') {
      char32_t cp = 0;
      const std::size_t len = decode(text, j, cp);
      letters.push_back(text.substr(j, len));
      j += len;
    }
    const std::size_t n = letters.size();
    if (n >= 4 && rng.bernoulli(rate)) {
      // Keep the first and last code points (often a capital and punctuation).
      const auto op = rng.below(3);
      if (op == 0) {
        const std::size_t k = 1 + static_cast<std::size_t>(rng.below(n - 3));
        std::swap(letters[k], letters[k + 1]);
      } else {
        const std::size_t k = 1 + static_cast<std::size_t>(rng.below(n - 2));
        if (op == 1)
          letters.erase(letters.begin() + static_cast<std::ptrdiff_t>(k));
        else
          letters.insert(letters.begin() + static_cast<std::ptrdiff_t>(k), letters[k]);
      }
    }
    for (auto l : letters) out.append(l);
    i = j;
  }
  return out;
}

std::string to_lower(std::string_view text) { return map_code_points(text, lower); }
std::string to_upper(std::string_view text) { return map_code_points(text, upper); }
std::string capitalise(std::string_view text) { return map_code_points(text, upper, 1); }

std::string persian_variant(std::string_view text, bool arabic_letters, int zwnj) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    i += decode(text, i, cp);
    if (arabic_letters && cp == 0x06CC) cp = 0x064A;  // Persian yeh -> Arabic yeh
    if (arabic_letters && cp == 0x06A9) cp = 0x0643;  // Persian kaf -> Arabic kaf
    if (cp == 0x200C && zwnj == 1) continue;          // left out: the parts join up
    if (cp == 0x200C && zwnj == 2) cp = U' ';         // typed as a space
    encode(cp, out);
  }
  return out;
}

bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0, min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string render_text(Language language, TextKind kind, std::size_t theme, const TextNoise& noise, Rng& rng) {
  const LanguagePhrases& bank = phrases(language);
  const std::string_view opener = pick(bank.openers, rng);
  std::string body;
  switch (kind) {
    case TextKind::request: {
      const ThemePhrases& t = bank.themes[theme];
      const auto frame = pick(bank.request_frames, rng);
      const auto term = pick(t.terms, rng);
      body = fill_frame(frame, term, pick(t.request_details, rng));
      break;
    }
    case TextKind::problem: {
      const ThemePhrases& t = bank.themes[theme];
      const auto frame = pick(bank.problem_frames, rng);
      const auto term = pick(t.terms, rng);
      body = fill_frame(frame, term, pick(t.problem_details, rng));
      break;
    }
    case TextKind::praise: body = fill_frame(pick(bank.praise, rng), {}, {}); break;
    case TextKind::noise: body = std::string(pick(bank.noise, rng)); break;
  }
  std::string text;
  if (opener.empty()) {
    text = std::move(body);
  } else {
    // After "Hi team," a sentence goes on in lower case, unless it starts with an acronym.
    const bool comma = opener.back() == ',';
    text = std::string(opener) + " " + (comma && starts_with_capitalised_word(body) ? to_lower_first(body) : body);
  }
  if (language == Language::fa) {
    const bool arabic = rng.bernoulli(noise.arabic_letter_rate);
    const double u = rng.uniform();
    const int zwnj = u < noise.zwnj_drop_rate ? 1 : u < noise.zwnj_drop_rate + noise.zwnj_space_rate ? 2 : 0;
    text = persian_variant(text, arabic, zwnj);
  }
  text = add_typos(text, noise.typo_rate, rng);
  const double casing = rng.uniform();
  if (casing < noise.uppercase_rate) return to_upper(text);
  if (casing < noise.uppercase_rate + noise.lowercase_rate) return to_lower(text);
  return text;
}

}  // namespace cxkit::simulate::detail
