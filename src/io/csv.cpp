// The CSV event-log reader.
//
// One pass over the bytes. Each record is split into views (csv_tokenizer.hpp), checked in
// full, and only then committed, so a bad row leaves nothing behind. Case and activity are
// interned into the builder's dictionaries (one hash each; a case equal to the previous row's
// costs one memcmp instead). Attributes are built column-wise and handed to the builder at
// the end with add_column().
//
// Type inference without a second pass over the text: a column of unknown type starts
// numeric; the first non-empty value that is not a finite number turns it categorical, and
// the rows read so far are split again (from the first row, passing over the few rows that
// were skipped as bad) to intern that column's earlier values. Categorical columns usually
// turn on their first row, so the re-read is short; it happens at most once per column.
//
// Memory per event while reading, besides the input bytes: 16 B in the builder (case id,
// activity id, timestamp) and per attribute 8 B numeric or timestamp, 4 B categorical, 9 B
// plus the characters text. Nothing else grows with the rows (bad rows aside). build() then
// needs 4 B per event to sort.
#include "cxkit/io/csv.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cxkit/core/error.hpp"
#include "cxkit/io/timestamp_format.hpp"
#include "csv_intern_cache.hpp"
#include "csv_tokenizer.hpp"
#include "csv_values.hpp"
#include "csv_utf8.hpp"

namespace cxkit::io {
namespace {

using detail::CsvField;
using detail::CsvRowScan;
using detail::CsvRowStatus;
using detail::parse_number;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// Number of rows after which the reader estimates the total and reserves memory once.
constexpr std::size_t kSampleRows = 1024;

/// Bytes between two progress reports: coarse enough to cost nothing, fine enough for a bar.
constexpr std::size_t kProgressBytes = std::size_t{4} << 20;

/// The delimiter among , ; TAB | that occurs most often outside quotes in the header line;
/// ties go to the earlier one in that list, so to ',' whenever it is among them.
char detect_delimiter(const char* p, const char* end) noexcept {
  constexpr char kCandidates[4] = {',', ';', '\t', '|'};
  std::size_t counts[4] = {};
  bool quoted = false;
  for (; p < end; ++p) {
    const char c = *p;
    if (c == '"') {
      quoted = !quoted;  // a doubled quote toggles twice: no net effect
    } else if (!quoted) {
      if (c == '\n') break;
      for (int k = 0; k < 4; ++k) counts[k] += (c == kCandidates[k]);
    }
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  return kCandidates[best];
}

/// The start of an unterminated quoted field for a message: up to its first line break.
std::string excerpt(std::string_view field) {
  const std::size_t line_end = field.find('\n');
  return detail::printable_utf8(field.substr(0, std::min<std::size_t>(line_end, 200)));
}

/// A hint for a ragged row that holds a CR not followed by LF: such a CR is data (only LF
/// and CRLF end a record), so a file mixing in old Mac line endings joins records.
std::string bare_cr_hint(std::string_view row) {
  for (std::size_t i = 0; i < row.size(); ++i)
    if (row[i] == '\r' && (i + 1 == row.size() || row[i + 1] != '\n'))
      return " (it holds a CR without LF: only LF and CRLF end a line, so a lone CR is read as data)";
  return {};
}

/// Parses timestamps as ISO 8601 or with a compiled pattern, as the options say.
class TimeParser {
 public:
  explicit TimeParser(const std::string& pattern) {
    if (!pattern.empty()) format_.emplace(pattern);
  }
  bool parse(std::string_view s, std::int64_t& micros) noexcept {
    if (!format_) return iso_.parse(s, micros);
    Timestamp t{};
    if (!parse_timestamp(s, *format_, t)) return false;
    micros = to_micros(t);
    return true;
  }
  std::string expected() const {
    return format_ ? "expected format '" + format_->pattern() + "'" : std::string("expected ISO 8601");
  }

 private:
  std::optional<TimestampFormat> format_;
  detail::IsoTimestampParser iso_;
};

enum class AttrMode : std::uint8_t { infer, numeric, categorical, text, timestamp };

struct Attribute {
  Attribute(std::size_t f, AttrMode m, std::string name, ColumnType type)
      : field(f), mode(m), column(std::move(name), type) {}
  std::size_t field;
  AttrMode mode;
  Column column;
  // The current row's value, set while the row is checked and appended when it is committed.
  std::string_view view;
  detail::InternCache cache;  // categorical values
  double number = 0;
  std::int64_t time = 0;
  bool not_a_number = false;  // infer mode: the column turns categorical on commit
};

class Reader {
 public:
  Reader(const CsvOptions& options, const std::string& source)
      : options_(options), source_(source), builder_(source), time_parser_(options.timestamp_format) {}

  EventLog run(std::string_view data) {
    if (data.substr(0, kBom.size()) == kBom) data.remove_prefix(kBom.size());
    begin_ = data.data();
    end_ = begin_ + data.size();
    bool blank = true;
    for (char c : data)
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        blank = false;
        break;
      }
    if (blank) throw InputError("empty file", {source_, -1, "", ""});

    const char* p = skip_blank_lines(begin_);
    delim_ = options_.delimiter != '\0' ? options_.delimiter : detect_delimiter(p, end_);
    if (delim_ == '"' || delim_ == '\n' || delim_ == '\r')
      throw InputError("the delimiter cannot be a quote or a line break", {source_, -1, "", ""});
    all_ascii_ = detail::is_ascii(begin_, end_);

    p = read_header(p);
    map_columns();
    fields_.resize(names_.size() + 1);
    ProgressReporter progress(options_.progress, static_cast<std::uint64_t>(end_ - begin_));
    read_rows(p, progress);

    for (auto& a : attributes_) builder_.add_column(std::move(a.column));
    EventLog log = builder_.build();
    progress.finish();
    return log;
  }

 private:
  // ---- layout ----

  /// skip_blank_lines() without counting lines, for re-reading.
  const char* skip_blank_lines_quietly(const char* p) const {
    while (p < end_ && (*p == '\n' || (*p == '\r' && (p + 1 == end_ || p[1] == '\n')))) ++p;
    return p;
  }

  const char* skip_blank_lines(const char* p) {
    while (p < end_) {
      if (*p == '\n') {
        ++p;
        ++line_;
      } else if (*p == '\r' && p + 1 < end_ && p[1] == '\n') {
        p += 2;
        ++line_;
      } else if (*p == '\r' && p + 1 == end_) {
        ++p;
      } else {
        break;
      }
    }
    return p;
  }

  const char* read_header(const char* p) {
    const std::int64_t line = line_;
    CsvRowScan scan = detail::scan_row(p, end_, delim_, nullptr, 0);
    std::vector<CsvField> fields(scan.n_fields);
    scan = detail::scan_row(p, end_, delim_, fields.data(), fields.size());
    line_ += scan.newlines;
    const auto location = [&](std::size_t k) {
      return InputLocation{source_, line, "", detail::printable_utf8(fields[k].view())};
    };
    if (scan.status == CsvRowStatus::unterminated)
      throw InputError("unterminated quoted field in the header",
                       {source_, line, "", excerpt(fields[scan.bad_field].view())});
    if (scan.status == CsvRowStatus::text_after_quote)
      throw InputError("unexpected text after a closing quote in the header", location(scan.bad_field));
    names_.reserve(fields.size());
    for (std::size_t k = 0; k < fields.size(); ++k) {
      const CsvField& f = fields[k];
      if (!all_ascii_ && detail::find_invalid_utf8(f.data, f.data + f.size) != f.data + f.size)
        throw InputError("invalid UTF-8 in a column name", location(k));
      std::string name;
      if (f.escaped) {
        detail::unescape_field(f.view(), name);
      } else {
        name.assign(f.data, f.size);
      }
      // pandas names a column without a header this way; keep the same name.
      if (name.empty()) name = "Unnamed: " + std::to_string(k);
      names_.push_back(std::move(name));
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t k = 0; k < names_.size(); ++k) {
      const auto [it, fresh] = seen.emplace(names_[k], k);
      if (!fresh)
        throw InputError("duplicate column name (columns " + std::to_string(it->second + 1) + " and " +
                             std::to_string(k + 1) + ")",
                         {source_, line, names_[k], ""});
    }
    return scan.next;
  }

  std::size_t find_column(const std::string& name, const char* role) const {
    for (std::size_t k = 0; k < names_.size(); ++k)
      if (names_[k] == name) return k;
    std::string available;
    for (const auto& n : names_) available += (available.empty() ? "'" : ", '") + n + "'";
    throw NotFoundError(std::string(role) + " column '" + name + "' not found in " + source_ +
                        "; available columns: " + available);
  }

  void map_columns() {
    case_field_ = find_column(options_.case_column, "case");
    activity_field_ = find_column(options_.activity_column, "activity");
    time_field_ = find_column(options_.timestamp_column, "timestamp");

    std::vector<std::optional<AttrMode>> forced(names_.size());
    const auto force = [&](const std::vector<std::string>& list, AttrMode mode, const char* what) {
      for (const auto& name : list) {
        const std::size_t k = find_column(name, what);
        if (k == case_field_ || k == activity_field_ || k == time_field_)
          throw InputError("column '" + name + "' is the case, activity or timestamp column; it cannot be listed in " +
                           what + "_columns");
        if (forced[k] && *forced[k] != mode)
          throw InputError("column '" + name + "' is listed as two different types");
        forced[k] = mode;
      }
    };
    force(options_.numeric_columns, AttrMode::numeric, "numeric");
    force(options_.categorical_columns, AttrMode::categorical, "categorical");
    force(options_.text_columns, AttrMode::text, "text");
    force(options_.timestamp_columns, AttrMode::timestamp, "timestamp");

    attributes_.reserve(names_.size());
    for (std::size_t k = 0; k < names_.size(); ++k) {
      if (k == case_field_ || k == activity_field_ || k == time_field_) continue;
      if (!forced[k] && !options_.keep_other_columns) continue;
      const AttrMode mode = forced[k].value_or(AttrMode::infer);
      ColumnType type = ColumnType::numeric;
      if (mode == AttrMode::categorical) type = ColumnType::categorical;
      if (mode == AttrMode::text) type = ColumnType::text;
      if (mode == AttrMode::timestamp) type = ColumnType::timestamp;
      attributes_.emplace_back(k, mode, names_[k], type);
    }
  }

  // ---- rows ----

  void read_rows(const char* p, ProgressReporter& progress) {
    std::size_t rows = 0;
    rows_begin_ = p;
    // One compare per row; without a callback the threshold is never reached.
    std::size_t reported = 0;
    std::size_t next_report = options_.progress ? kProgressBytes : SIZE_MAX;
    for (;;) {
      if (static_cast<std::size_t>(p - begin_) >= next_report) {
        const auto at = static_cast<std::size_t>(p - begin_);
        progress.advance(at - reported);
        reported = at;
        next_report = at + kProgressBytes;
      }
      p = skip_blank_lines(p);
      if (p == end_) break;
      const std::int64_t line = line_;
      const CsvRowScan scan = detail::scan_row(p, end_, delim_, fields_.data(), fields_.size());
      line_ += scan.newlines;
      current_row_ = p;
      read_row(p, scan, line);
      p = scan.next;
      if (++rows == kSampleRows) reserve_estimate(rows, static_cast<std::size_t>(p - rows_begin_));
    }
  }

  /// Reserves once for the rows the rest of the input likely holds (+10%), so the columns
  /// grow without repeated copies.
  void reserve_estimate(std::size_t rows, std::size_t bytes) {
    const double per_row = static_cast<double>(bytes) / static_cast<double>(rows);
    const auto left = static_cast<double>(end_ - begin_) - static_cast<double>(bytes);
    const auto total = rows + static_cast<std::size_t>(left / per_row * 1.1) + 16;
    builder_.reserve(total);
    for (auto& a : attributes_) a.column.reserve(total);
  }

  void read_row(const char* row, const CsvRowScan& scan, std::int64_t line) {
    const std::size_t n_columns = names_.size();
    if (scan.status == CsvRowStatus::unterminated) {
      // No way to tell where the next row would start: always fatal.
      const CsvField f = scan.bad_field < fields_.size()
                             ? fields_[scan.bad_field]
                             : CsvField{row, static_cast<std::size_t>(end_ - row), false};
      throw InputError("unterminated quoted field (no closing quote before the end of the input)",
                       {source_, line, field_name(scan.bad_field), excerpt(f.view())});
    }
    if (scan.n_fields != n_columns) {
      const std::size_t k = std::min(scan.n_fields, n_columns);
      const std::string_view text(row, static_cast<std::size_t>(scan.content_end - row));
      return bad_row(line,
                     "the row has " + std::to_string(scan.n_fields) + " fields, the header has " +
                         std::to_string(n_columns) + bare_cr_hint(text),
                     field_name(k), text);
    }
    if (scan.status == CsvRowStatus::text_after_quote)
      return bad_row(line, "unexpected text after a closing quote", field_name(scan.bad_field),
                     fields_[scan.bad_field].view());
    if (!all_ascii_) {
      for (std::size_t k = 0; k < n_columns; ++k) {
        const CsvField& f = fields_[k];
        if (detail::find_invalid_utf8(f.data, f.data + f.size) != f.data + f.size)
          return bad_row(line, "invalid UTF-8", names_[k], f.view());
      }
    }
    unescape_fields(n_columns);

    const std::string_view case_name = fields_[case_field_].view();
    if (case_name.empty()) return bad_row(line, "empty case id", names_[case_field_], {});
    const std::string_view activity = fields_[activity_field_].view();
    if (activity.empty()) return bad_row(line, "empty activity", names_[activity_field_], {});
    std::int64_t micros = 0;
    if (!time_parser_.parse(fields_[time_field_].view(), micros))
      return bad_row(line, "unparsable timestamp (" + time_parser_.expected() + ")", names_[time_field_],
                     fields_[time_field_].view());

    for (auto& a : attributes_) {
      a.view = fields_[a.field].view();
      if (a.view.empty()) continue;
      switch (a.mode) {
        case AttrMode::infer: a.not_a_number = !parse_number(a.view, a.number); break;
        case AttrMode::numeric:
          if (!parse_number(a.view, a.number)) return bad_row(line, "not a finite number", names_[a.field], a.view);
          break;
        case AttrMode::timestamp:
          if (!time_parser_.parse(a.view, a.time))
            return bad_row(line, "unparsable timestamp (" + time_parser_.expected() + ")", names_[a.field], a.view);
          break;
        case AttrMode::categorical:
        case AttrMode::text: break;
      }
    }
    commit(row, case_name, activity, micros);
  }

  /// Writes the values of fields holding doubled quotes into scratch_ and points them there.
  /// scratch_ gets the row's size up front so the views stay valid for the whole row.
  void unescape_fields(std::size_t n_columns) {
    bool any = false;
    for (std::size_t k = 0; k < n_columns; ++k) any |= fields_[k].escaped;
    if (!any) return;
    std::size_t need = 0;
    for (std::size_t k = 0; k < n_columns; ++k)
      if (fields_[k].escaped) need += fields_[k].size;
    scratch_.clear();
    scratch_.reserve(need);
    for (std::size_t k = 0; k < n_columns; ++k) {
      CsvField& f = fields_[k];
      if (!f.escaped) continue;
      const std::size_t at = scratch_.size();
      detail::unescape_field(f.view(), scratch_);
      f = CsvField{scratch_.data() + at, scratch_.size() - at, false};
    }
  }

  void commit(const char* row, std::string_view case_name, std::string_view activity, std::int64_t micros) {
    // Exports list a case's events together: compare with the previous case before hashing.
    if (case_name.size() != last_case_.size() ||
        std::memcmp(case_name.data(), last_case_.data(), case_name.size()) != 0) {
      last_case_id_ = builder_.intern_case(case_name);
      last_case_ = builder_.case_dictionary().name(last_case_id_);
    }
    builder_.add_event_ids(last_case_id_, activity_cache_.intern(builder_.activity_dictionary(), activity),
                           from_micros(micros));

    for (auto& a : attributes_) {
      Column& c = a.column;
      if (a.view.empty()) {
        c.append_missing();
        continue;
      }
      switch (a.mode) {
        case AttrMode::infer:
          if (!a.not_a_number) {
            c.append_number(a.number);
            break;
          }
          to_categorical(a, row);
          c.append_code(a.cache.intern(c.mutable_categories(), a.view));
          break;
        case AttrMode::numeric: c.append_number(a.number); break;
        case AttrMode::categorical: c.append_code(a.cache.intern(c.mutable_categories(), a.view)); break;
        case AttrMode::text: c.append_text(a.view); break;
        case AttrMode::timestamp: c.append_time(a.time); break;
      }
    }
  }

  /// Turns a numeric-so-far column categorical: splits the committed rows before `row` again
  /// and interns this column's values in input order. Rows skipped as bad are passed over.
  void to_categorical(Attribute& a, const char* row) {
    Column column(names_[a.field], ColumnType::categorical);
    column.reserve(builder_.size() + 1);
    Dictionary& categories = column.mutable_categories();
    std::vector<CsvField> fields(names_.size() + 1);
    auto bad = bad_rows_.begin();
    const char* p = rows_begin_;
    for (;;) {
      p = skip_blank_lines_quietly(p);
      if (p >= row) break;
      const CsvRowScan scan = detail::scan_row(p, end_, delim_, fields.data(), fields.size());
      if (bad != bad_rows_.end() && *bad == p) {
        ++bad;
      } else {
        // These rows held numbers or nothing in this column, so no value needs unescaping.
        const CsvField& f = fields[a.field];
        if (f.size == 0) {
          column.append_missing();
        } else {
          column.append_code(a.cache.intern(categories, f.view()));
        }
      }
      p = scan.next;
    }
    a.column = std::move(column);
    a.mode = AttrMode::categorical;
  }

  std::string field_name(std::size_t k) const {
    return k < names_.size() ? names_[k] : "field " + std::to_string(k + 1);
  }

  /// Throws, or records the row as skipped, with the same message either way.
  [[gnu::noinline, gnu::cold]] void bad_row(std::int64_t line, const std::string& reason, const std::string& column,
                                            std::string_view value) {
    InputError error(reason, {source_, line, column, detail::printable_utf8(value)});
    if (options_.on_bad_row == OnBadRow::raise) throw error;
    builder_.add_skipped(SkippedRow{line, error.what()});
    bad_rows_.push_back(current_row_);
  }

  const CsvOptions& options_;
  const std::string& source_;
  EventLogBuilder builder_;
  TimeParser time_parser_;

  const char* begin_ = nullptr;
  const char* end_ = nullptr;
  char delim_ = ',';
  bool all_ascii_ = true;
  std::int64_t line_ = 1;

  std::vector<std::string> names_;
  std::size_t case_field_ = 0, activity_field_ = 0, time_field_ = 0;
  std::vector<Attribute> attributes_;

  std::vector<CsvField> fields_;
  std::string scratch_;
  const char* rows_begin_ = nullptr;   // the first record after the header
  const char* current_row_ = nullptr;  // the record being read
  std::vector<const char*> bad_rows_;  // starts of the records skipped as bad
  detail::InternCache activity_cache_;
  std::string_view last_case_;
  std::uint32_t last_case_id_ = 0;
};

}  // namespace

EventLog read_csv_buffer(std::string_view data, const CsvOptions& options, const std::string& source) {
  Reader reader(options, source);
  return reader.run(data);
}

EventLog read_csv(const std::string& path, const CsvOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw NotFoundError("CSV file not found: '" + path + "'");
  if (fs::is_directory(status)) throw InputError("a directory, not a CSV file", {path, -1, "", ""});

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw InputError(std::string("cannot open the file: ") + std::strerror(errno), {path, -1, "", ""});
  // One read into one buffer; the reader then works on views into it.
  std::size_t capacity = static_cast<std::size_t>(fs::file_size(path, ec));
  if (ec) capacity = 0;
  capacity += 1;  // one spare byte lets a single read notice the end
  auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
  std::size_t size = 0;
  for (;;) {
    size += std::fread(buffer.get() + size, 1, capacity - size, file.get());
    if (size < capacity) break;
    // The file grew (or is not a regular file): double the buffer and go on.
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity * 2);
    std::memcpy(bigger.get(), buffer.get(), size);
    buffer = std::move(bigger);
    capacity *= 2;
  }
  if (std::ferror(file.get()))
    throw InputError(std::string("cannot read the file: ") + std::strerror(errno), {path, -1, "", ""});
  return read_csv_buffer(std::string_view(buffer.get(), size), options, path);
}

}  // namespace cxkit::io
