#include "xes_attributes.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <limits>

namespace cxkit::io::detail {

XesValue XesAttributeBuffer::number(double v) noexcept { return {XesKind::number, std::bit_cast<std::uint64_t>(v)}; }

void XesAttributeBuffer::add(std::uint32_t row, XesValue v) {
  const auto k = static_cast<std::uint8_t>(v.kind);
  if (rows_.empty() && kinds_.empty()) first_kind_ = k;
  if (k != first_kind_ && kinds_.empty()) kinds_.assign(rows_.size(), first_kind_);
  if (!kinds_.empty()) kinds_.push_back(k);
  rows_.push_back(row);
  payloads_.push_back(v.payload);
}

void XesAttributeBuffer::drop_from(std::uint32_t first_row) noexcept {
  while (!rows_.empty() && rows_.back() >= first_row) {
    rows_.pop_back();
    payloads_.pop_back();
    if (!kinds_.empty()) kinds_.pop_back();
  }
}

void XesAttributeBuffer::append(XesAttributeBuffer&& other, std::uint32_t row_offset) {
  if (other.rows_.empty()) return;
  if (rows_.empty()) {
    // Nothing here yet (texts left by dropped values aside, which no column ever shows).
    *this = std::move(other);
    if (row_offset != 0)
      for (auto& r : rows_) r += row_offset;
    return;
  }
  std::vector<std::uint32_t> remap(other.texts_.size(), kNoId);  // other's text code -> ours
  if (const std::size_t need = rows_.size() + other.rows_.size(); need > rows_.capacity()) {
    // Geometric, not exact: a log is appended to once per chunk, thousands of times.
    rows_.reserve(std::max(need, 2 * rows_.capacity()));
    payloads_.reserve(std::max(need, 2 * payloads_.capacity()));
  }
  for (std::size_t e = 0; e < other.rows_.size(); ++e) {
    const XesKind kind = other.kind_of(e);
    std::uint64_t payload = other.payloads_[e];
    if (kind == XesKind::text) {
      std::uint32_t& code = remap[static_cast<std::uint32_t>(payload)];
      if (code == kNoId) code = texts_.intern(other.texts_.name(static_cast<std::uint32_t>(payload)));
      payload = code;
    }
    add(other.rows_[e] + row_offset, {kind, payload});
  }
}

std::uint8_t XesAttributeBuffer::kind_mask() const noexcept {
  if (kinds_.empty()) return rows_.empty() ? 0 : first_kind_;
  std::uint8_t mask = 0;
  for (std::uint8_t k : kinds_) mask |= k;
  return mask;
}

std::string XesAttributeBuffer::canonical_text(std::size_t entry) const {
  const std::uint64_t p = payloads_[entry];
  switch (kind_of(entry)) {
    case XesKind::text: return std::string(texts_.name(static_cast<std::uint32_t>(p)));
    case XesKind::number: {
      char buf[32];
      const auto res = std::to_chars(buf, buf + sizeof buf, std::bit_cast<double>(p));  // shortest round trip
      return std::string(buf, res.ptr);
    }
    case XesKind::boolean: return p != 0 ? "true" : "false";
    case XesKind::date: return format_iso8601(from_micros(static_cast<std::int64_t>(p)));
  }
  return {};
}

namespace {
// Dense codes (kNoId = missing) into the column, categories interned by first row of use so
// that values only seen in skipped events leave nothing behind.
void append_codes(Column& col, const std::vector<std::uint32_t>& dense, const Dictionary& names) {
  std::vector<std::uint32_t> remap(names.size(), kNoId);
  Dictionary& categories = col.mutable_categories();
  for (std::uint32_t c : dense) {
    if (c == kNoId) {
      col.append_code(kNoId);
      continue;
    }
    if (remap[c] == kNoId) remap[c] = categories.intern(names.name(c));
    col.append_code(remap[c]);
  }
}
}  // namespace

Column XesAttributeBuffer::to_column(std::string name, std::size_t n_rows) const {
  const std::uint8_t mask = kind_mask();
  const bool single = mask != 0 && (mask & (mask - 1)) == 0;
  const auto kind = static_cast<XesKind>(mask);
  if (single && (kind == XesKind::number || kind == XesKind::boolean)) {
    std::vector<double> dense(n_rows, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t e = 0; e < rows_.size(); ++e)
      dense[rows_[e]] = kind == XesKind::number ? std::bit_cast<double>(payloads_[e]) : static_cast<double>(payloads_[e]);
    Column col(std::move(name), ColumnType::numeric);
    col.reserve(n_rows);
    for (double v : dense) col.append_number(v);
    return col;
  }
  if (single && kind == XesKind::date) {
    std::vector<std::int64_t> dense(n_rows, kMissingTime);
    for (std::size_t e = 0; e < rows_.size(); ++e) dense[rows_[e]] = static_cast<std::int64_t>(payloads_[e]);
    Column col(std::move(name), ColumnType::timestamp);
    col.reserve(n_rows);
    for (std::int64_t v : dense) col.append_time(v);
    return col;
  }
  Column col(std::move(name), ColumnType::categorical);
  col.reserve(n_rows);
  std::vector<std::uint32_t> dense(n_rows, kNoId);
  if (single) {  // text only
    for (std::size_t e = 0; e < rows_.size(); ++e) dense[rows_[e]] = static_cast<std::uint32_t>(payloads_[e]);
    append_codes(col, dense, texts_);
  } else {  // mixed kinds: every value as text
    Dictionary promoted;
    for (std::size_t e = 0; e < rows_.size(); ++e) dense[rows_[e]] = promoted.intern(canonical_text(e));
    append_codes(col, dense, promoted);
  }
  return col;
}

}  // namespace cxkit::io::detail
