// One XES attribute key, collected row-wise while a log is read and turned into a Column at
// the end, when every value's type is known.
//
// XES declares a type per value, not per key, so a key may carry an int in one event and a
// string in the next. Values are kept as (row, 8-byte payload) entries: no per-value
// allocation, strings interned into the key's own dictionary as they arrive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/column.hpp"
#include "cxkit/core/dictionary.hpp"

namespace cxkit::io::detail {

/// The kinds of value an XES attribute carries, as bits so a key's kinds form a mask.
/// string and id are text; int and float are number.
enum class XesKind : std::uint8_t { text = 1, number = 2, boolean = 4, date = 8 };

/// A decoded value: text holds a code into the key's dictionary, number a double's bits,
/// boolean 0/1, date UTC microseconds.
struct XesValue {
  XesKind kind;
  std::uint64_t payload;
};

class XesAttributeBuffer {
 public:
  /// Interns `s` into this key's dictionary. Amortised O(|s|).
  XesValue text(std::string_view s) { return {XesKind::text, texts_.intern(s)}; }
  static XesValue number(double v) noexcept;
  static XesValue boolean(bool v) noexcept { return {XesKind::boolean, v ? 1u : 0u}; }
  static XesValue date(std::int64_t micros) noexcept { return {XesKind::date, static_cast<std::uint64_t>(micros)}; }

  /// Records the value of `row`. A later value for the same row wins. Amortised O(1).
  void add(std::uint32_t row, XesValue v);

  /// Drops every value of rows >= first_row. Pre-condition: those values are the last ones
  /// added (rows of a trace are added while it is read, before the next trace starts).
  void drop_from(std::uint32_t first_row) noexcept;

  bool empty() const noexcept { return rows_.empty(); }

  /// Appends every entry of `other` (a later part of the same document, read by another
  /// parser), its rows shifted by `row_offset` and its texts re-interned here, so that
  /// to_column() gives what one buffer fed all the values in order would. When this buffer
  /// is empty `other` is taken over whole. O(entries of other + distinct texts of other).
  void append(XesAttributeBuffer&& other, std::uint32_t row_offset);

  /// The column for `n_rows` events. One kind: text -> categorical, number and boolean ->
  /// numeric (boolean as 1/0), date -> timestamp. Several kinds -> categorical holding each
  /// value's canonical text (see read_xes). Categories are numbered by first row of use.
  /// O(n_rows + values).
  Column to_column(std::string name, std::size_t n_rows) const;

 private:
  std::uint8_t kind_mask() const noexcept;
  XesKind kind_of(std::size_t entry) const noexcept {
    return static_cast<XesKind>(kinds_.empty() ? first_kind_ : kinds_[entry]);
  }
  std::string canonical_text(std::size_t entry) const;

  std::vector<std::uint32_t> rows_;
  std::vector<std::uint64_t> payloads_;
  // Per-entry kinds are only stored once a second kind shows up: nearly every key has one.
  std::vector<std::uint8_t> kinds_;
  std::uint8_t first_kind_ = 0;
  Dictionary texts_;
};

}  // namespace cxkit::io::detail
