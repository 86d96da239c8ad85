// The event log: an immutable, columnar table of (case, timestamp, activity, attributes...).
//
// Events are sorted stably by (case, timestamp, input order), cases in order of first
// appearance in the input. Every case is a contiguous span [case_offsets[c], case_offsets[c+1]),
// so iterating a case costs nothing. Case ids equal case positions: case c's name is
// case_names().name(c).
//
// Memory after build: 16 bytes per event (case id 4, timestamp 8, activity id 4) plus 8
// bytes per case (offsets), dictionaries and attribute columns aside. Copies are cheap:
// the columns are shared and never modified.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/column.hpp"
#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/core/skipped_row.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit {

class EventLogBuilder;

class EventLog {
 public:
  /// An empty log (no events, no cases).
  EventLog() : data_(std::make_shared<Data>()) {}

  /// Number of events.
  std::size_t size() const noexcept { return data_->activity.size(); }
  bool empty() const noexcept { return size() == 0; }
  std::size_t n_cases() const noexcept { return data_->case_offsets.size() - 1; }

  /// Per event: case id (== case position), UTC microseconds, activity id.
  std::span<const std::uint32_t> case_ids() const noexcept { return data_->case_id; }
  std::span<const std::int64_t> timestamps() const noexcept { return data_->time; }
  std::span<const std::uint32_t> activity_ids() const noexcept { return data_->activity; }
  Timestamp timestamp(std::size_t event) const noexcept { return from_micros(data_->time[event]); }

  /// n_cases()+1 offsets: case c holds events [case_offsets()[c], case_offsets()[c+1]).
  std::span<const std::uint64_t> case_offsets() const noexcept { return data_->case_offsets; }
  std::size_t case_begin(std::size_t c) const noexcept { return data_->case_offsets[c]; }
  std::size_t case_end(std::size_t c) const noexcept { return data_->case_offsets[c + 1]; }

  const Dictionary& case_names() const noexcept { return *data_->cases; }
  const Dictionary& activity_names() const noexcept { return *data_->activities; }
  std::shared_ptr<const Dictionary> shared_case_names() const noexcept { return data_->cases; }
  std::shared_ptr<const Dictionary> shared_activity_names() const noexcept { return data_->activities; }

  /// Attribute columns, row i belonging to event i.
  const std::vector<Column>& attributes() const noexcept { return data_->attributes; }
  const Column* find_attribute(std::string_view name) const noexcept {
    for (const auto& c : data_->attributes)
      if (c.name() == name) return &c;
    return nullptr;
  }
  /// Throws NotFoundError when the log has no attribute of that name.
  const Column& attribute(std::string_view name) const {
    if (const Column* c = find_attribute(name)) return *c;
    throw NotFoundError("the event log has no attribute '" + std::string(name) + "'");
  }

  /// Rows the reader skipped (on_bad_row = skip), each with its line and reason.
  const std::vector<SkippedRow>& skipped_rows() const noexcept { return data_->skipped; }
  /// Where the log came from (file name, "DataFrame", ...).
  const std::string& source() const noexcept { return data_->source; }

  /// Bytes held by the case, timestamp and activity columns and the case offsets.
  std::size_t core_memory_bytes() const noexcept {
    return data_->case_id.capacity() * 4 + data_->time.capacity() * 8 + data_->activity.capacity() * 4 +
           data_->case_offsets.capacity() * 8;
  }
  /// Bytes held in total: core columns, dictionaries and attribute columns.
  std::size_t memory_bytes() const noexcept {
    std::size_t b = core_memory_bytes() + data_->cases->memory_bytes() + data_->activities->memory_bytes();
    for (const auto& c : data_->attributes) b += c.memory_bytes();
    return b;
  }

 private:
  friend class EventLogBuilder;
  struct Data {
    std::vector<std::uint32_t> case_id;
    std::vector<std::int64_t> time;
    std::vector<std::uint32_t> activity;
    std::vector<std::uint64_t> case_offsets{0};
    std::shared_ptr<const Dictionary> cases = std::make_shared<Dictionary>();
    std::shared_ptr<const Dictionary> activities = std::make_shared<Dictionary>();
    std::vector<Column> attributes;
    std::vector<SkippedRow> skipped;
    std::string source;
  };
  explicit EventLog(std::shared_ptr<const Data> d) : data_(std::move(d)) {}
  std::shared_ptr<const Data> data_;
};

/// Collects events in any order and builds a sorted, validated EventLog.
///
/// Row-wise: register attributes with add_attribute(), then add_event() and set_*() for the
/// event just added (attributes not set are missing). Column-wise: add all events, then
/// add_column() with one value per event in input order.
class EventLogBuilder {
 public:
  explicit EventLogBuilder(std::string source = "<memory>") : source_(std::move(source)) {}

  void reserve(std::size_t n_events) {
    case_id_.reserve(n_events);
    time_.reserve(n_events);
    activity_.reserve(n_events);
    for (auto& c : attributes_) c.reserve(n_events);
  }

  Dictionary& case_dictionary() noexcept { return *cases_; }
  Dictionary& activity_dictionary() noexcept { return *activities_; }
  std::uint32_t intern_case(std::string_view name) { return cases_->intern(name); }
  std::uint32_t intern_activity(std::string_view name) { return activities_->intern(name); }

  /// Registers a row-wise attribute; returns its index for set_*(). Throws InputError on a
  /// duplicate name or after events were added.
  std::size_t add_attribute(std::string name, ColumnType type) {
    check_new_name(name);
    if (!time_.empty()) throw InputError("attribute '" + name + "' registered after events were added");
    attributes_.emplace_back(std::move(name), type);
    row_wise_.push_back(true);
    return attributes_.size() - 1;
  }
  std::optional<std::size_t> find_attribute(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < attributes_.size(); ++i)
      if (attributes_[i].name() == name) return i;
    return std::nullopt;
  }

  /// Adds an event. Throws InputError when the timestamp is outside the years 0001-9999.
  void add_event(std::string_view case_name, std::string_view activity, Timestamp t) {
    add_event_ids(cases_->intern(case_name), activities_->intern(activity), t);
  }
  /// Adds an event by ids from case_dictionary()/activity_dictionary().
  void add_event_ids(std::uint32_t case_id, std::uint32_t activity_id, Timestamp t) {
    const std::int64_t us = to_micros(t);
    if (us < kMinTimestampMicros || us > kMaxTimestampMicros)
      throw InputError("timestamp outside the years 0001-9999",
                       {source_, static_cast<std::int64_t>(time_.size()), "timestamp", std::to_string(us) + " us"});
    if (case_id >= cases_->size() || activity_id >= activities_->size())
      throw InputError("case or activity id not in the dictionary",
                       {source_, static_cast<std::int64_t>(time_.size()), "", ""});
    case_id_.push_back(case_id);
    time_.push_back(us);
    activity_.push_back(activity_id);
    for (std::size_t a = 0; a < attributes_.size(); ++a)
      if (row_wise_[a]) attributes_[a].append_missing();
  }

  /// Attribute setters for the event added last.
  void set_number(std::size_t attr, double v) { attributes_.at(attr).set_last_number(v); }
  void set_category(std::size_t attr, std::string_view v) { attributes_.at(attr).set_last_category(v); }
  void set_text(std::size_t attr, std::string_view v) { attributes_.at(attr).set_last_text(v); }
  void set_time(std::size_t attr, Timestamp t) { attributes_.at(attr).set_last_time(to_micros(t)); }

  /// Adds a whole attribute column, one value per event added so far, in input order.
  void add_column(Column column) {
    check_new_name(column.name());
    if (column.size() != time_.size())
      throw InputError("attribute column '" + column.name() + "' has " + std::to_string(column.size()) +
                       " values for " + std::to_string(time_.size()) + " events");
    attributes_.push_back(std::move(column));
    row_wise_.push_back(false);
  }

  void add_skipped(SkippedRow row) { skipped_.push_back(std::move(row)); }
  std::size_t size() const noexcept { return time_.size(); }

  /// Sorts stably by (case in order of first appearance, timestamp, input order) and
  /// returns the log. The builder is left empty. O(n) for input already sorted within each
  /// case, O(n log n) worst case; throws InputError past 2^32-1 events.
  EventLog build() {
    const std::size_t n = time_.size();
    if (n >= kNoId) throw InputError("an event log holds at most 4,294,967,294 events; partition the input");
    compact_cases();
    const std::size_t n_cases = cases_->size();

    // Counting sort by case: stable, O(n + cases).
    std::vector<std::uint64_t> offsets(n_cases + 1, 0);
    for (std::uint32_t c : case_id_) ++offsets[c + 1];
    for (std::size_t c = 0; c < n_cases; ++c) offsets[c + 1] += offsets[c];
    std::vector<std::uint32_t> order(n);
    bool identity = true;
    {
      std::vector<std::uint64_t> next(offsets.begin(), offsets.end() - 1);
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t pos = next[case_id_[i]]++;
        order[pos] = static_cast<std::uint32_t>(i);
        identity &= (pos == i);
      }
    }
    // Within each case, stable by time. Exports are nearly always sorted already: check first.
    for (std::size_t c = 0; c < n_cases; ++c) {
      auto first = order.begin() + static_cast<std::ptrdiff_t>(offsets[c]);
      auto last = order.begin() + static_cast<std::ptrdiff_t>(offsets[c + 1]);
      const auto by_time = [this](std::uint32_t a, std::uint32_t b) { return time_[a] < time_[b]; };
      if (!std::is_sorted(first, last, by_time)) {
        std::stable_sort(first, last, by_time);
        identity = false;
      }
    }

    auto data = std::make_shared<EventLog::Data>();
    if (identity) {
      data->case_id = std::move(case_id_);
      data->time = std::move(time_);
      data->activity = std::move(activity_);
      data->attributes = std::move(attributes_);
    } else {
      data->case_id.resize(n);
      data->time.resize(n);
      data->activity.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t r = order[i];
        data->case_id[i] = case_id_[r];
        data->time[i] = time_[r];
        data->activity[i] = activity_[r];
      }
      const std::span<const std::uint32_t> ord(order);
      data->attributes.reserve(attributes_.size());
      for (const auto& col : attributes_) data->attributes.push_back(col.permuted(ord));
    }
    data->case_offsets = std::move(offsets);
    data->cases = std::move(cases_);
    data->activities = std::move(activities_);
    data->skipped = std::move(skipped_);
    data->source = std::move(source_);
    *this = EventLogBuilder();
    return EventLog(std::move(data));
  }

 private:
  void check_new_name(const std::string& name) const {
    if (find_attribute(name)) throw InputError("duplicate attribute '" + name + "'");
  }

  // Cases interned but never given an event (possible with intern_case) are dropped from the
  // dictionary so that case ids stay equal to case positions.
  void compact_cases() {
    std::vector<std::uint32_t> seen(cases_->size(), kNoId);
    std::uint32_t used = 0;
    for (std::uint32_t c : case_id_)
      if (seen[c] == kNoId) seen[c] = used++;
    bool in_order = used == cases_->size();
    for (std::uint32_t c = 0; in_order && c < seen.size(); ++c) in_order = seen[c] == c;
    if (in_order) return;
    // Renumber by first appearance among events.
    std::vector<std::uint32_t> by_new(used);
    for (std::uint32_t old = 0; old < seen.size(); ++old)
      if (seen[old] != kNoId) by_new[seen[old]] = old;
    auto fresh = std::make_shared<Dictionary>();
    fresh->reserve(used);
    for (std::uint32_t k = 0; k < used; ++k) fresh->intern(cases_->name(by_new[k]));
    for (auto& c : case_id_) c = seen[c];
    cases_ = std::move(fresh);
  }

  std::string source_;
  std::shared_ptr<Dictionary> cases_ = std::make_shared<Dictionary>();
  std::shared_ptr<Dictionary> activities_ = std::make_shared<Dictionary>();
  std::vector<std::uint32_t> case_id_;
  std::vector<std::int64_t> time_;
  std::vector<std::uint32_t> activity_;
  std::vector<Column> attributes_;
  std::vector<bool> row_wise_;
  std::vector<SkippedRow> skipped_;
};

}  // namespace cxkit
