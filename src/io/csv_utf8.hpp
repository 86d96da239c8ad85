// UTF-8 validation for the CSV reader: a word-at-a-time ASCII test (almost every export is
// pure ASCII, which then costs one quick pass) and a strict validator for the rest.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace cxkit::io::detail {

/// True when no byte of [p, end) has its high bit set.
inline bool is_ascii(const char* p, const char* end) noexcept {
  std::uint64_t acc = 0;
  while (end - p >= 32) {
    std::uint64_t w[4];
    std::memcpy(w, p, 32);
    acc |= w[0] | w[1] | w[2] | w[3];
    p += 32;
    if (acc & 0x8080808080808080ULL) return false;
  }
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    acc |= w;
    p += 8;
  }
  unsigned char tail = 0;
  while (p < end) tail |= static_cast<unsigned char>(*p++);
  return ((acc & 0x8080808080808080ULL) | (tail & 0x80U)) == 0;
}

/// The first byte of [p, end) that does not start a well-formed UTF-8 sequence (Unicode
/// table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF), or `end`.
inline const char* find_invalid_utf8(const char* p, const char* end) noexcept {
  const auto byte = [](const char* q) { return static_cast<unsigned char>(*q); };
  const auto cont = [&](const char* q, unsigned char lo, unsigned char hi) {
    return q < end && byte(q) >= lo && byte(q) <= hi;
  };
  while (p < end) {
    const unsigned char c = byte(p);
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = cont(p + 1, 0x80, 0xBF) ? 2 : 0;
    } else if (c == 0xE0) {
      n = cont(p + 1, 0xA0, 0xBF) && cont(p + 2, 0x80, 0xBF) ? 3 : 0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      n = cont(p + 1, 0x80, 0xBF) && cont(p + 2, 0x80, 0xBF) ? 3 : 0;
    } else if (c == 0xED) {
      n = cont(p + 1, 0x80, 0x9F) && cont(p + 2, 0x80, 0xBF) ? 3 : 0;
    } else if (c == 0xF0) {
      n = cont(p + 1, 0x90, 0xBF) && cont(p + 2, 0x80, 0xBF) && cont(p + 3, 0x80, 0xBF) ? 4 : 0;
    } else if (c >= 0xF1 && c <= 0xF3) {
      n = cont(p + 1, 0x80, 0xBF) && cont(p + 2, 0x80, 0xBF) && cont(p + 3, 0x80, 0xBF) ? 4 : 0;
    } else if (c == 0xF4) {
      n = cont(p + 1, 0x80, 0x8F) && cont(p + 2, 0x80, 0xBF) && cont(p + 3, 0x80, 0xBF) ? 4 : 0;
    }
    if (n == 0) return p;
    p += n;
  }
  return end;
}

/// `s` for an error message: bytes that are not valid UTF-8 written as \xNN, so the message
/// itself stays valid UTF-8 (Python decodes it), and CR written as \r.
inline std::string printable_utf8(std::string_view s) {
  std::string out;
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* bad = find_invalid_utf8(p, end);
    // A raw CR would return the terminal's cursor and hide the start of the message.
    for (; p < bad; ++p) {
      if (*p == '\r') {
        out += "\\r";
      } else {
        out.push_back(*p);
      }
    }
    if (bad == end) break;
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(*bad)));
    out += buf;
    p = bad + 1;
  }
  return out;
}

}  // namespace cxkit::io::detail
