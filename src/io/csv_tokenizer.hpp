// Splitting CSV text into records and fields (RFC 4180), without copying.
//
// Fields are views into the input. Only a quoted field holding doubled quotes ("") needs a
// copy to become its value; such fields are flagged and unescape_field() writes the value.
// Line breaks are LF or CRLF, mixed freely; a CR not followed by LF is data. A quote is
// special only as a field's first character; elsewhere in an unquoted field it is data, as
// pandas reads it.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace cxkit::io::detail {

struct CsvField {
  const char* data = nullptr;
  std::size_t size = 0;
  bool escaped = false;  ///< quoted and holding doubled quotes: see unescape_field()
  std::string_view view() const noexcept { return {data, size}; }
};

enum class CsvRowStatus : std::uint8_t {
  ok,
  text_after_quote,  ///< a closing quote followed by something other than a delimiter or line break
  unterminated,      ///< a quoted field runs to the end of the input
};

struct CsvRowScan {
  const char* next = nullptr;         ///< start of the following record (or the end)
  const char* content_end = nullptr;  ///< end of this record's text, line break excluded
  std::size_t n_fields = 0;           ///< fields found; may exceed the buffer's capacity
  std::int64_t newlines = 0;          ///< line breaks consumed, the terminating one included
  CsvRowStatus status = CsvRowStatus::ok;
  std::size_t bad_field = 0;  ///< field index the status refers to
};

/// Position of the first byte equal to `c` in [p, end), or `end`. Eight bytes at a time
/// (the classic has-zero-byte test: its lowest flagged byte is always a true match).
inline const char* find_byte(const char* p, const char* end, char c) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const std::uint64_t pattern = kOnes * static_cast<unsigned char>(c);
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t x = w ^ pattern;
    const std::uint64_t hit = (x - kOnes) & ~x & kHighs;
    if (hit != 0) {
      if constexpr (std::endian::native == std::endian::little) return p + (__builtin_ctzll(hit) >> 3);
      for (int k = 0; k < 8; ++k)
        if (p[k] == c) return p + k;
    }
    p += 8;
  }
  while (p < end && *p != c) ++p;
  return p;
}

/// Splits the record starting at `p` (p < end, not a blank line) into fields, storing the
/// first `cap` of them. Complexity: O(record length).
inline CsvRowScan scan_row(const char* p, const char* end, char delim, CsvField* fields,
                           std::size_t cap) noexcept {
  CsvRowScan scan;
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
  const char* line_end = nl ? nl : end;

  // Fast path: no quote before the line break, so the record is this line, split at delimiters.
  if (!std::memchr(p, '"', static_cast<std::size_t>(line_end - p))) {
    const char* ce = line_end;
    if (ce > p && ce[-1] == '\r') --ce;
    std::size_t n = 0;
    const char* f = p;
    for (;;) {
      const char* d = find_byte(f, ce, delim);
      if (n < cap) fields[n] = CsvField{f, static_cast<std::size_t>(d - f), false};
      ++n;
      if (d == ce) break;
      f = d + 1;
    }
    scan.n_fields = n;
    scan.content_end = ce;
    scan.next = nl ? nl + 1 : end;
    scan.newlines = nl ? 1 : 0;
    return scan;
  }

  // General path: a state machine over fields; quoted fields may span lines.
  const auto is_terminator = [end](const char* q) {
    return q == end || *q == '\n' || (*q == '\r' && (q + 1 == end || q[1] == '\n'));
  };
  std::size_t n = 0;
  const char* q = p;
  for (;;) {
    CsvField field;
    if (q < end && *q == '"') {
      const char* open = q;
      const char* r = q + 1;
      bool escaped = false;
      for (;;) {
        r = static_cast<const char*>(std::memchr(r, '"', static_cast<std::size_t>(end - r)));
        if (!r) {
          scan.status = CsvRowStatus::unterminated;
          scan.bad_field = n;
          if (n < cap) fields[n] = CsvField{open, static_cast<std::size_t>(end - open), false};
          scan.n_fields = n + 1;
          scan.content_end = end;
          scan.next = end;
          return scan;
        }
        if (r + 1 < end && r[1] == '"') {
          escaped = true;
          r += 2;
          continue;
        }
        break;
      }
      for (const char* k = open + 1; k < r; ++k) scan.newlines += (*k == '\n');
      field = CsvField{open + 1, static_cast<std::size_t>(r - open - 1), escaped};
      q = r + 1;
      if (q < end && *q != delim && !is_terminator(q)) {
        // Malformed: keep the raw text up to the next delimiter or line break for the message.
        if (scan.status == CsvRowStatus::ok) {
          scan.status = CsvRowStatus::text_after_quote;
          scan.bad_field = n;
        }
        while (q < end && *q != delim && *q != '\n') ++q;
        const char* fe = (q > open && q[-1] == '\r' && (q == end || *q == '\n')) ? q - 1 : q;
        field = CsvField{open, static_cast<std::size_t>(fe - open), false};
        q = fe;
      }
    } else {
      const char* r = q;
      while (r < end && *r != delim && *r != '\n') ++r;
      const char* fe = (r > q && r[-1] == '\r' && (r == end || *r == '\n')) ? r - 1 : r;
      field = CsvField{q, static_cast<std::size_t>(fe - q), false};
      q = fe;
    }
    if (n < cap) fields[n] = field;
    ++n;
    // q is at a delimiter or at the record's terminator.
    if (q < end && *q == delim) {
      ++q;
      continue;
    }
    scan.content_end = q;
    if (q < end && *q == '\r') ++q;
    if (q < end && *q == '\n') {
      ++q;
      ++scan.newlines;
    }
    scan.next = q;
    scan.n_fields = n;
    return scan;
  }
}

/// The value of an escaped field: every doubled quote becomes one. Appends to `out`.
inline void unescape_field(std::string_view raw, std::string& out) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    out.push_back(raw[i]);
    if (raw[i] == '"') ++i;  // inside quotes every '"' is the first of a pair
  }
}

}  // namespace cxkit::io::detail
