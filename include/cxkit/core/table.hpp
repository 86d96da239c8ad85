// Per-account attributes (tier, ARR, plan, signup, renewal date, custom fields) as a
// columnar table with one row per key. Keys are the same strings as the event log's case
// ids, so rows_for(log) lines the table up with a log's cases in O(cases).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/column.hpp"
#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/core/event_log.hpp"

namespace cxkit {

class TableBuilder;

class Table {
 public:
  Table() : data_(std::make_shared<Data>()) {}

  /// Number of rows (keys).
  std::size_t size() const noexcept { return data_->keys.size(); }
  const std::string& key_name() const noexcept { return data_->key_name; }
  /// Row r's key is keys().name(r).
  const Dictionary& keys() const noexcept { return data_->keys; }
  const std::vector<Column>& columns() const noexcept { return data_->columns; }

  const Column* find_column(std::string_view name) const noexcept {
    for (const auto& c : data_->columns)
      if (c.name() == name) return &c;
    return nullptr;
  }
  /// Throws NotFoundError when the table has no such column.
  const Column& column(std::string_view name) const {
    if (const Column* c = find_column(name)) return *c;
    throw NotFoundError("the table has no column '" + std::string(name) + "'");
  }

  std::optional<std::size_t> row_of(std::string_view key) const noexcept {
    if (auto id = data_->keys.find(key)) return *id;
    return std::nullopt;
  }

  /// For each case of `log` (by case id), its row here, or kNoId when the table lacks it.
  std::vector<std::uint32_t> rows_for(const EventLog& log) const {
    std::vector<std::uint32_t> rows(log.n_cases(), kNoId);
    const Dictionary& cases = log.case_names();
    for (std::uint32_t c = 0; c < rows.size(); ++c)
      if (auto r = data_->keys.find(cases.name(c))) rows[c] = *r;
    return rows;
  }

 private:
  friend class TableBuilder;
  struct Data {
    std::string key_name = "id";
    Dictionary keys;
    std::vector<Column> columns;
  };
  explicit Table(std::shared_ptr<const Data> d) : data_(std::move(d)) {}
  std::shared_ptr<const Data> data_;
};

/// Builds a Table row by row: add_column() first, then add_row() and set_*().
class TableBuilder {
 public:
  explicit TableBuilder(std::string key_name = "id", std::string source = "<memory>")
      : source_(std::move(source)), data_(std::make_shared<Table::Data>()) {
    data_->key_name = std::move(key_name);
  }

  std::size_t add_column(std::string name, ColumnType type) {
    if (name == data_->key_name) throw InputError("column '" + name + "' is the key column");
    for (const auto& c : data_->columns)
      if (c.name() == name) throw InputError("duplicate column '" + name + "'");
    if (data_->keys.size() != 0) throw InputError("column '" + name + "' added after rows");
    data_->columns.emplace_back(std::move(name), type);
    return data_->columns.size() - 1;
  }

  /// Adds a row; throws InputError on a duplicate or empty key, naming the row (0-based).
  std::size_t add_row(std::string_view key) {
    const std::size_t before = data_->keys.size();
    if (key.empty())
      throw InputError("empty key", {source_, static_cast<std::int64_t>(before), data_->key_name, "", "row"});
    const std::uint32_t id = data_->keys.intern(key);
    if (id != before)
      throw InputError("duplicate key", {source_, static_cast<std::int64_t>(before), data_->key_name,
                                         std::string(key), "row"});
    for (auto& c : data_->columns) c.append_missing();
    return id;
  }

  void set_number(std::size_t col, double v) { data_->columns.at(col).set_last_number(v); }
  void set_category(std::size_t col, std::string_view v) { data_->columns.at(col).set_last_category(v); }
  void set_text(std::size_t col, std::string_view v) { data_->columns.at(col).set_last_text(v); }
  void set_time(std::size_t col, Timestamp t) { data_->columns.at(col).set_last_time(to_micros(t)); }

  std::size_t size() const noexcept { return data_->keys.size(); }

  /// Adds a whole column (one value per row added so far) after the rows.
  void add_full_column(Column column) {
    if (column.name() == data_->key_name) throw InputError("column '" + column.name() + "' is the key column");
    for (const auto& c : data_->columns)
      if (c.name() == column.name()) throw InputError("duplicate column '" + column.name() + "'");
    if (column.size() != data_->keys.size())
      throw InputError("column '" + column.name() + "' has " + std::to_string(column.size()) + " values for " +
                       std::to_string(data_->keys.size()) + " rows");
    data_->columns.push_back(std::move(column));
  }

  Table build() {
    auto out = std::move(data_);
    data_ = std::make_shared<Table::Data>();
    return Table(std::move(out));
  }

 private:
  std::string source_;
  std::shared_ptr<Table::Data> data_;
};

}  // namespace cxkit
