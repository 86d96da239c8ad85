// Normalisation pipeline of normalize.hpp on top of utf8proc.
#include <cxkit/feedback/normalize.hpp>

#include <cxkit/feedback/text.hpp>

#include <utf8proc.h>

#include <vector>

namespace cxkit::feedback {
namespace {

constexpr char32_t kSoftHyphen = 0x00AD;  // default-ignorable: utf8proc's IGNORE removes it

// Applied to every input code point before decomposition (utf8proc custom function).
utf8proc_int32_t premap(utf8proc_int32_t cp, void*) {
  if (cp < 0x80) return cp;
  if (cp == 0x200C || cp == 0x0640) return kSoftHyphen;  // ZWNJ joiner rule; tatweel
  const int d = decimal_digit_value(static_cast<char32_t>(cp));
  if (d >= 0) return '0' + d;
  return cp;
}

// Persian/Arabic letter unification, applied after decomposition so that the yeh of
// "ئ" (U+064A + hamza) and the ae of "ۀ" (U+06D5 + hamza) are unified too.
char32_t unify_letter(char32_t cp) noexcept {
  switch (cp) {
    case 0x064A:
    case 0x0649:
      return 0x06CC;
    case 0x0643:
      return 0x06A9;
    case 0x0629:
    case 0x06D5:
    case 0x06C1:
      return 0x0647;
    default:
      return cp;
  }
}

bool is_mark(char32_t cp) noexcept {
  const auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_ME;
}

// Removes marks in a decomposed buffer, keeping the breve of Russian "й" (и + U+0306).
std::size_t remove_marks(utf8proc_int32_t* buf, std::size_t n) noexcept {
  std::size_t w = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto cp = static_cast<char32_t>(buf[i]);
    if (cp >= 0x300 && is_mark(cp)) {
      const bool i_breve = cp == 0x0306 && w > 0 && (buf[w - 1] == 0x0438 || buf[w - 1] == 0x0418);
      if (!i_breve) continue;
    }
    buf[w++] = buf[i];
  }
  return w;
}

std::string compose_and_encode(std::vector<utf8proc_int32_t>& buf, std::size_t n) {
  const auto len = utf8proc_normalize_utf32(buf.data(), static_cast<utf8proc_ssize_t>(n),
                                            static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
  std::string out;
  out.reserve(static_cast<std::size_t>(len > 0 ? len : 0) * 2);
  for (utf8proc_ssize_t i = 0; i < len; ++i) append_utf8(out, static_cast<char32_t>(buf[static_cast<std::size_t>(i)]));
  return out;
}

bool all_ascii(std::string_view s) noexcept {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

int decimal_digit_value(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp > 0x10FFFF) return -1;
  if (utf8proc_category(static_cast<utf8proc_int32_t>(cp)) != UTF8PROC_CATEGORY_ND) return -1;
  // Unicode allocates decimal digits in contiguous runs of ten starting at zero, and
  // adjacent runs (mathematical digits) are multiples of ten long, so the offset from the
  // start of the contiguous Nd block, modulo 10, is the value.
  char32_t start = cp;
  while (start > 0 && utf8proc_category(static_cast<utf8proc_int32_t>(start - 1)) == UTF8PROC_CATEGORY_ND) --start;
  return static_cast<int>((cp - start) % 10);
}

NormalizedText normalize_text(std::string_view text, NormalizeOptions options) {
  NormalizedText result;
  if (all_ascii(text)) {
    // ASCII is already NFKC and has no marks; case folding is lower-casing.
    result.text.assign(text);
    for (char& c : result.text)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return result;
  }
  Utf8Repair repaired = repair_utf8(text);
  result.invalid_utf8 = repaired.replacements;
  const auto* src = reinterpret_cast<const utf8proc_uint8_t*>(repaired.text.data());
  const auto src_len = static_cast<utf8proc_ssize_t>(repaired.text.size());
  const auto flags = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                                    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  std::vector<utf8proc_int32_t> buf(repaired.text.size() + 16);
  utf8proc_ssize_t n = utf8proc_decompose_custom(src, src_len, buf.data(), static_cast<utf8proc_ssize_t>(buf.size()),
                                                 flags, premap, nullptr);
  if (n > static_cast<utf8proc_ssize_t>(buf.size())) {
    buf.resize(static_cast<std::size_t>(n));
    n = utf8proc_decompose_custom(src, src_len, buf.data(), n, flags, premap, nullptr);
  }
  if (n < 0) n = 0;  // cannot happen on repaired input; stay total anyway
  std::size_t len = static_cast<std::size_t>(n);
  // premap() ran on the input's code points; compatibility decomposition can create more
  // (U+FE7D, a presentation form, decomposes to tatweel + shadda). Apply its rules again to
  // what decomposition produced, so that normalize(normalize(x)) == normalize(x).
  std::size_t kept = 0;
  for (std::size_t i = 0; i < len; ++i) {
    const auto cp = static_cast<utf8proc_int32_t>(buf[i]);
    const auto mapped = premap(cp, nullptr);
    if (mapped == static_cast<utf8proc_int32_t>(kSoftHyphen)) continue;  // dropped, as IGNORE does
    buf[kept++] = static_cast<utf8proc_int32_t>(unify_letter(static_cast<char32_t>(mapped)));
  }
  len = kept;
  if (options.strip_diacritics) len = remove_marks(buf.data(), len);
  result.text = compose_and_encode(buf, len);
  return result;
}

std::string normalize(std::string_view text, NormalizeOptions options) {
  return normalize_text(text, options).text;
}

std::string strip_diacritics(std::string_view normalized) {
  if (all_ascii(normalized)) return std::string(normalized);
  const std::u32string cps = decode_utf8(normalized);
  std::vector<utf8proc_int32_t> buf;
  buf.reserve(cps.size() * 2);
  utf8proc_int32_t tmp[32];
  int boundclass = 0;
  for (char32_t cp : cps) {
    const auto k = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), tmp, 32,
                                           static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE), &boundclass);
    for (utf8proc_ssize_t j = 0; j < k && j < 32; ++j) buf.push_back(tmp[j]);
  }
  const std::size_t len = remove_marks(buf.data(), buf.size());
  return compose_and_encode(buf, len);
}

}  // namespace cxkit::feedback
