// UTF-8 decoding with U+FFFD substitution of maximal subparts (Unicode 15, 3.9, table 3-7).
#include <cxkit/feedback/text.hpp>

#include <cstdint>

namespace cxkit::feedback {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at s[i]; returns the bytes consumed (>= 1). On ill-formed input
// `cp` is U+FFFD and the count covers the maximal subpart, so a truncated 3-byte sequence
// is one replacement, not three.
std::size_t decode_one(const unsigned char* s, std::size_t n, std::size_t i, char32_t& cp,
                       bool& bad) noexcept {
  const unsigned b0 = s[i];
  bad = false;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t value;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;       // overlong
    if (b0 == 0xED) hi = 0x9F;       // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;       // overlong
    if (b0 == 0xF4) hi = 0x8F;       // > U+10FFFF
  } else {
    cp = kReplacement;
    bad = true;
    return 1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= n) {
      cp = kReplacement;
      bad = true;
      return k;
    }
    const unsigned b = s[i + k];
    const unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) {
      cp = kReplacement;
      bad = true;
      return k;
    }
    value = (value << 6) | (b & 0x3F);
  }
  cp = value;
  return len;
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
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

std::u32string decode_utf8(std::string_view bytes, std::size_t* replacements) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::u32string out;
  out.reserve(n);
  std::size_t bad_count = 0;
  for (std::size_t i = 0; i < n;) {
    char32_t cp;
    bool bad;
    i += decode_one(s, n, i, cp, bad);
    bad_count += bad;
    out.push_back(cp);
  }
  if (replacements) *replacements += bad_count;
  return out;
}

Utf8Repair repair_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  Utf8Repair r;
  std::size_t i = 0;
  // Fast path: copy the well-formed prefix untouched.
  for (; i < n;) {
    char32_t cp;
    bool bad;
    const std::size_t used = decode_one(s, n, i, cp, bad);
    if (bad) break;
    i += used;
  }
  r.text.assign(bytes.substr(0, i));
  if (i == n) return r;
  r.text.reserve(n + 8);
  while (i < n) {
    char32_t cp;
    bool bad;
    const std::size_t used = decode_one(s, n, i, cp, bad);
    if (bad) {
      append_utf8(r.text, kReplacement);
      ++r.replacements;
    } else {
      r.text.append(bytes.substr(i, used));
    }
    i += used;
  }
  return r;
}

}  // namespace cxkit::feedback
