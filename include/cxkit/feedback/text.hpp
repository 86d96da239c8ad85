// UTF-8 validation with replacement: the first step of every feedback text path.
//
// Invalid input never crashes and is never silently dropped: each maximal ill-formed
// subsequence (Unicode 15, section 3.9 "U+FFFD substitution of maximal subparts", the rule
// Python's errors="replace" and the WHATWG decoder follow) becomes one U+FFFD and is counted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cxkit::feedback {

/// Result of repair_utf8: well-formed UTF-8 plus how many replacements were made.
struct Utf8Repair {
  std::string text;              ///< well-formed UTF-8
  std::size_t replacements = 0;  ///< number of U+FFFD inserted for ill-formed input
};

/// Returns `bytes` with every maximal ill-formed subsequence (bad lead byte, truncated
/// sequence, overlong form, surrogate, > U+10FFFF) replaced by U+FFFD. Well-formed input
/// is returned unchanged. O(n); never throws except std::bad_alloc.
Utf8Repair repair_utf8(std::string_view bytes);

/// Decodes well-formed-or-not UTF-8 into code points with the same replacement rule.
/// Adds the number of replacements to `*replacements` when it is not null. O(n).
std::u32string decode_utf8(std::string_view bytes, std::size_t* replacements = nullptr);

/// Appends the UTF-8 encoding of code point `cp` (must be <= U+10FFFF, not a surrogate).
void append_utf8(std::string& out, char32_t cp);

}  // namespace cxkit::feedback
