// Language guess by script, then stop words and typical letters (language.hpp).
#include <cxkit/feedback/language.hpp>

#include <cxkit/core/error.hpp>
#include <cxkit/feedback/text.hpp>
#include <cxkit/feedback/tokenize.hpp>

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <string>

namespace cxkit::feedback {
namespace {

enum Script { kLatin, kCyrillic, kArabic, kHan, kKana, kHangul, kOther, kScriptCount };

Script script_of(char32_t cp) noexcept {
  if (cp < 0x80) return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? kLatin : kOther;
  if (cp >= 0xC0 && cp <= 0x24F) return kLatin;
  if (cp >= 0x1E00 && cp <= 0x1EFF) return kLatin;
  if (cp >= 0x400 && cp <= 0x4FF) return kCyrillic;
  if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF))
    return kArabic;
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF))
    return kHan;
  if (cp >= 0x3040 && cp <= 0x30FF) return kKana;
  if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F))
    return kHangul;
  return kOther;
}

bool is_letter(char32_t cp) noexcept {
  const auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;  // letters and marks
}

constexpr std::array<Language, 5> kLatinLanguages = {Language::en, Language::pt, Language::es, Language::de,
                                                     Language::fr};

// Letters typical of one (or two) of the Latin languages: adds to their scores.
void score_letter(char32_t lower, std::array<double, 5>& score) noexcept {
  switch (lower) {
    case 0xE3: case 0xF5: score[1] += 1; break;                       // ã õ
    case 0xF1: case 0xBF: case 0xA1: score[2] += 1; break;            // ñ ¿ ¡
    case 0xDF: case 0xE4: case 0xF6: case 0xFC: score[3] += 1; break; // ß ä ö ü
    case 0xE8: case 0xEB: case 0xF9: case 0xFB: case 0xEE: case 0x153: score[4] += 1; break;
    case 0xEA: case 0xE2: case 0xF4: case 0xE0: score[4] += 0.5; score[1] += 0.5; break;  // ê â ô à
    case 0xE7: score[1] += 0.5; score[4] += 0.5; break;                                    // ç
    case 0xED: case 0xF3: case 0xFA: score[1] += 0.5; score[2] += 0.5; break;              // í ó ú
    default: break;
  }
}

void score_word(const std::string& word, std::array<double, 5>& score) {
  int k = 0;
  std::array<bool, 5> hit{};
  for (std::size_t i = 0; i < kLatinLanguages.size(); ++i) {
    hit[i] = is_stop_word(word, kLatinLanguages[i]);
    k += hit[i];
  }
  if (k == 0) return;
  for (std::size_t i = 0; i < hit.size(); ++i)
    if (hit[i]) score[i] += 1.0 / k;
}

}  // namespace

std::string_view language_code(Language language) noexcept {
  switch (language) {
    case Language::en: return "en";
    case Language::ru: return "ru";
    case Language::pt: return "pt";
    case Language::es: return "es";
    case Language::de: return "de";
    case Language::fr: return "fr";
    case Language::fa: return "fa";
    case Language::ar: return "ar";
    case Language::uk: return "uk";
    case Language::zh: return "zh";
    case Language::ja: return "ja";
    case Language::ko: return "ko";
    case Language::unknown: break;
  }
  return "";
}

Language language_from_code(std::string_view code) {
  std::string base;
  for (char c : code) {
    if (c == '-' || c == '_') break;
    base.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  for (Language l : {Language::en, Language::ru, Language::pt, Language::es, Language::de, Language::fr,
                     Language::fa, Language::ar, Language::uk, Language::zh, Language::ja, Language::ko})
    if (language_code(l) == base) return l;
  throw NotFoundError("unsupported language code '" + std::string(code) + "'");
}

Language guess_language(std::string_view text) {
  const std::u32string cps = decode_utf8(text);
  std::array<std::size_t, kScriptCount> count{};
  bool ukrainian = false, persian = false;
  std::array<double, 5> score{};
  std::string word;
  auto flush = [&] {
    if (!word.empty()) score_word(word, score);
    word.clear();
  };
  for (char32_t cp : cps) {
    const Script s = script_of(cp);
    if (s != kOther && is_letter(cp)) ++count[s];
    if (s == kCyrillic && (cp == 0x456 || cp == 0x457 || cp == 0x454 || cp == 0x491 || cp == 0x406 ||
                           cp == 0x407 || cp == 0x404 || cp == 0x490))
      ukrainian = true;
    if (s == kArabic && (cp == 0x67E || cp == 0x686 || cp == 0x698 || cp == 0x6AF || cp == 0x6A9 || cp == 0x6CC))
      persian = true;
    if (s == kLatin || (s == kOther && (cp == 0xBF || cp == 0xA1))) {
      const char32_t lower = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
      score_letter(lower, score);
      if (s == kLatin) {
        append_utf8(word, lower);
        continue;
      }
    }
    flush();
  }
  flush();
  const double latin = static_cast<double>(count[kLatin]);
  const double cjk = 4.0 * static_cast<double>(count[kHan] + count[kKana] + count[kHangul]);
  const double cyr = static_cast<double>(count[kCyrillic]), arab = static_cast<double>(count[kArabic]);
  const double best_other = std::max({cjk, cyr, arab});
  if (best_other > 0 && best_other >= 0.25 * latin) {
    if (cjk == best_other) {
      if (count[kKana] > 0) return Language::ja;
      if (count[kHangul] >= count[kHan]) return Language::ko;
      return Language::zh;
    }
    if (cyr == best_other) return ukrainian ? Language::uk : Language::ru;
    return persian ? Language::fa : Language::ar;
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < score.size(); ++i)
    if (score[i] > score[best]) best = i;
  if (score[best] == 0) return Language::unknown;
  return kLatinLanguages[best];
}

}  // namespace cxkit::feedback
