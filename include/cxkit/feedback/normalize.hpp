// Text normalisation for matching feedback written in en, ru, pt, es, de, fr and fa.
//
// Pipeline (in this order; see docs/feedback_text.md for the reasons):
//  1. UTF-8 repair (text.hpp): ill-formed bytes -> U+FFFD, counted.
//  2. Digits of every script (Unicode category Nd: Arabic-Indic, Persian, Devanagari, ...)
//     -> ASCII '0'..'9'.
//  3. NFKC compatibility decomposition + full case folding (utf8proc): "ß" -> "ss",
//     ligatures and presentation forms unfolded, full-width -> ASCII. Case folding is
//     language-independent: Turkish dotted "İ" folds to "i" + U+0307 (so "i" once marks
//     are stripped) and dotless "ı" stays "ı".
//  4. Default-ignorable characters removed (soft hyphen, ZWJ, BOM, ...). ZWNJ rule:
//     U+200C is treated as a joiner inside a word and REMOVED, so "می‌خواهم" and
//     "میخواهم" are the same word. The Arabic tatweel U+0640 is removed too.
//  5. Persian/Arabic letter unification: yeh U+064A and alef maksura U+0649 -> Persian
//     yeh U+06CC; kaf U+0643 -> keheh U+06A9; teh marbuta U+0629, ae U+06D5 and heh goal
//     U+06C1 -> heh U+0647 (heh-with-yeh U+06C0 decomposes to U+06D5 + hamza first).
//  6. If strip_diacritics: combining marks (Mn, Me after decomposition) removed, which
//     covers Latin accents and the Arabic harakat U+064B-U+065F and U+0670, and the hamza
//     of أ إ آ ؤ ئ. Exception: Russian "й" keeps its breve (it is a different letter),
//     while "ё" folds to "е" (common Russian practice).
//  7. Canonical composition (NFC) of what remains.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cxkit::feedback {

/// Options of normalize().
struct NormalizeOptions {
  bool strip_diacritics = true;  ///< step 6; tokenize() strips after stemming instead
};

/// normalize() plus the number of ill-formed UTF-8 subsequences that were replaced.
struct NormalizedText {
  std::string text;
  std::size_t invalid_utf8 = 0;
};

/// Normalises `text` as described above. O(n); never throws except std::bad_alloc.
NormalizedText normalize_text(std::string_view text, NormalizeOptions options = {});

/// Shorthand: normalize_text(text, options).text.
std::string normalize(std::string_view text, NormalizeOptions options = {});

/// Removes combining marks (step 6 with its "й" exception) from already-normalised,
/// well-formed UTF-8, recomposing the rest. O(n).
std::string strip_diacritics(std::string_view normalized);

/// ASCII value (0-9) of a code point of category Nd, or -1 if `cp` is not a decimal digit.
int decimal_digit_value(char32_t cp);

}  // namespace cxkit::feedback
