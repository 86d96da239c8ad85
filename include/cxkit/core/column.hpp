// A typed, nullable column: the storage shared by EventLog attributes and Table fields.
//
// Four types cover what event exports and account tables carry:
//   numeric      double, missing = NaN
//   categorical  uint32 codes into a Dictionary, missing = kNoId
//   text         free text (offsets into one byte buffer), missing flagged per row
//   timestamp    UTC microseconds, missing = kMissingTime
// A column is appended to while a log or table is built and read-only afterwards.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit {

enum class ColumnType : std::uint8_t { numeric, categorical, text, timestamp };

/// Sentinel for a missing timestamp in a timestamp column.
inline constexpr std::int64_t kMissingTime = std::numeric_limits<std::int64_t>::min();

inline const char* to_string(ColumnType t) noexcept {
  switch (t) {
    case ColumnType::numeric: return "numeric";
    case ColumnType::categorical: return "categorical";
    case ColumnType::text: return "text";
    case ColumnType::timestamp: return "timestamp";
  }
  return "?";
}

class Column {
 public:
  Column(std::string name, ColumnType type)
      : name_(std::move(name)), type_(type), categories_(std::make_shared<Dictionary>()) {
    if (type_ == ColumnType::text) offsets_.push_back(0);
  }

  const std::string& name() const noexcept { return name_; }
  ColumnType type() const noexcept { return type_; }
  std::size_t size() const noexcept {
    switch (type_) {
      case ColumnType::numeric: return numbers_.size();
      case ColumnType::categorical: return codes_.size();
      case ColumnType::text: return offsets_.size() - 1;
      case ColumnType::timestamp: return times_.size();
    }
    return 0;
  }

  // ---- reading ----
  std::span<const double> numbers() const { expect(ColumnType::numeric); return numbers_; }
  std::span<const std::uint32_t> codes() const { expect(ColumnType::categorical); return codes_; }
  const Dictionary& categories() const { expect(ColumnType::categorical); return *categories_; }
  std::span<const std::int64_t> times() const { expect(ColumnType::timestamp); return times_; }
  std::string_view text(std::size_t row) const {
    expect(ColumnType::text);
    return std::string_view(chars_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }

  bool is_missing(std::size_t row) const noexcept {
    switch (type_) {
      case ColumnType::numeric: return std::isnan(numbers_[row]);
      case ColumnType::categorical: return codes_[row] == kNoId;
      case ColumnType::text: return text_missing_[row] != 0;
      case ColumnType::timestamp: return times_[row] == kMissingTime;
    }
    return true;
  }

  /// The value of a row as text (for messages, CSV output): "" when missing.
  std::string value_string(std::size_t row) const {
    if (is_missing(row)) return {};
    switch (type_) {
      case ColumnType::numeric: {
        char buf[32];
        const int n = std::snprintf(buf, sizeof buf, "%.17g", numbers_[row]);
        return std::string(buf, static_cast<std::size_t>(n));
      }
      case ColumnType::categorical: return std::string(categories_->name(codes_[row]));
      case ColumnType::text: return std::string(text(row));
      case ColumnType::timestamp: return format_iso8601(from_micros(times_[row]));
    }
    return {};
  }

  // ---- appending (while building) ----
  void append_missing() {
    switch (type_) {
      case ColumnType::numeric: numbers_.push_back(std::numeric_limits<double>::quiet_NaN()); break;
      case ColumnType::categorical: codes_.push_back(kNoId); break;
      case ColumnType::text:
        offsets_.push_back(chars_.size());
        text_missing_.push_back(1);
        break;
      case ColumnType::timestamp: times_.push_back(kMissingTime); break;
    }
  }
  void append_number(double v) { expect(ColumnType::numeric); numbers_.push_back(v); }
  void append_category(std::string_view v) { expect(ColumnType::categorical); codes_.push_back(categories_->intern(v)); }
  void append_code(std::uint32_t code) { expect(ColumnType::categorical); codes_.push_back(code); }
  void append_time(std::int64_t micros) { expect(ColumnType::timestamp); times_.push_back(micros); }
  void append_text(std::string_view v) {
    expect(ColumnType::text);
    chars_.append(v);
    offsets_.push_back(chars_.size());
    text_missing_.push_back(0);
  }
  /// Categories may be interned ahead of codes (from pandas.factorize uniques).
  Dictionary& mutable_categories() { expect(ColumnType::categorical); return *categories_; }

  /// Replaces the value of the last appended row (builders set attributes after add_event).
  void set_last_number(double v) { expect(ColumnType::numeric); numbers_.back() = v; }
  void set_last_category(std::string_view v) { expect(ColumnType::categorical); codes_.back() = categories_->intern(v); }
  void set_last_time(std::int64_t micros) { expect(ColumnType::timestamp); times_.back() = micros; }
  void set_last_text(std::string_view v) {
    expect(ColumnType::text);
    chars_.resize(offsets_[offsets_.size() - 2]);
    chars_.append(v);
    offsets_.back() = chars_.size();
    text_missing_.back() = 0;
  }

  void reserve(std::size_t n) {
    switch (type_) {
      case ColumnType::numeric: numbers_.reserve(n); break;
      case ColumnType::categorical: codes_.reserve(n); break;
      case ColumnType::text: offsets_.reserve(n + 1); text_missing_.reserve(n); break;
      case ColumnType::timestamp: times_.reserve(n); break;
    }
  }

  /// A new column whose row i is this column's row order[i]. The dictionary is shared.
  template <class Index>
  Column permuted(std::span<const Index> order) const {
    Column out(name_, type_);
    out.categories_ = categories_;
    out.reserve(order.size());
    switch (type_) {
      case ColumnType::numeric: for (auto r : order) out.numbers_.push_back(numbers_[r]); break;
      case ColumnType::categorical: for (auto r : order) out.codes_.push_back(codes_[r]); break;
      case ColumnType::timestamp: for (auto r : order) out.times_.push_back(times_[r]); break;
      case ColumnType::text:
        for (auto r : order) {
          if (text_missing_[r]) out.append_missing(); else out.append_text(text(r));
        }
        break;
    }
    return out;
  }

  std::size_t memory_bytes() const noexcept {
    return numbers_.capacity() * sizeof(double) + codes_.capacity() * sizeof(std::uint32_t) +
           times_.capacity() * sizeof(std::int64_t) + offsets_.capacity() * sizeof(std::uint64_t) +
           chars_.capacity() + text_missing_.capacity() +
           (type_ == ColumnType::categorical ? categories_->memory_bytes() : 0);
  }

 private:
  void expect(ColumnType t) const {
    if (type_ != t)
      throw TypeMismatchError("column '" + name_ + "' is " + to_string(type_) + ", not " + to_string(t));
  }

  std::string name_;
  ColumnType type_;
  std::vector<double> numbers_;
  std::vector<std::uint32_t> codes_;
  std::shared_ptr<Dictionary> categories_;
  std::vector<std::int64_t> times_;
  std::vector<std::uint64_t> offsets_;
  std::string chars_;
  std::vector<std::uint8_t> text_missing_;
};

}  // namespace cxkit
