// save(): the company as RFC 4180 CSV files plus truth.json.
//
// Numbers that are whole (every number the simulator writes) print as integers; others as
// %.17g, which round-trips. Timestamps print as ISO 8601 UTC. Missing values are empty
// fields. Fields holding a comma, quote, CR or LF are quoted, quotes doubled.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cxkit/core/error.hpp"
#include "cxkit/simulate/company.hpp"

namespace cxkit::simulate {

namespace {

class CsvWriter {
 public:
  explicit CsvWriter(const std::filesystem::path& path) : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) throw Error("cannot open '" + path.string() + "' for writing");
    buffer_.reserve(kFlushAt + 4096);
  }

  void field(std::string_view v) {
    separate();
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
      buffer_.append(v);
      return;
    }
    buffer_.push_back('"');
    for (char c : v) {
      if (c == '"') buffer_.push_back('"');
      buffer_.push_back(c);
    }
    buffer_.push_back('"');
  }
  void number(double v) {
    separate();
    if (std::isnan(v)) return;
    char buf[40];
    int n = 0;
    if (v == std::floor(v) && std::fabs(v) < 9.0e15)
      n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    else
      n = std::snprintf(buf, sizeof buf, "%.17g", v);
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
  void time(std::int64_t micros) {
    separate();
    if (micros != kMissingTime) buffer_.append(format_iso8601(from_micros(micros)));
  }
  void missing() { separate(); }
  void end_row() {
    buffer_.push_back('\n');
    first_ = true;
    if (buffer_.size() >= kFlushAt) flush();
  }
  void close() {
    flush();
    out_.close();
    if (!out_) throw Error("failed writing '" + path_.string() + "'");
  }

  /// Row `row` of a column, in the column's type.
  void value(const Column& c, std::size_t row) {
    if (c.is_missing(row)) return missing();
    switch (c.type()) {
      case ColumnType::numeric: return number(c.numbers()[row]);
      case ColumnType::categorical: return field(c.categories().name(c.codes()[row]));
      case ColumnType::text: return field(c.text(row));
      case ColumnType::timestamp: return time(c.times()[row]);
    }
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  void separate() {
    if (!first_) buffer_.push_back(',');
    first_ = false;
  }
  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    if (!out_) throw Error("failed writing '" + path_.string() + "'");
  }
  std::filesystem::path path_;
  std::ofstream out_;
  std::string buffer_;
  bool first_ = true;
};

void write_table(const Table& table, const std::filesystem::path& path) {
  CsvWriter w(path);
  w.field(table.key_name());
  for (const auto& c : table.columns()) w.field(c.name());
  w.end_row();
  for (std::size_t r = 0; r < table.size(); ++r) {
    w.field(table.keys().name(static_cast<std::uint32_t>(r)));
    for (const auto& c : table.columns()) w.value(c, r);
    w.end_row();
  }
  w.close();
}

void write_events(const EventLog& log, const std::filesystem::path& path) {
  CsvWriter w(path);
  w.field("case");
  w.field("activity");
  w.field("timestamp");
  for (const auto& c : log.attributes()) w.field(c.name());
  w.end_row();
  const auto cases = log.case_ids();
  const auto activities = log.activity_ids();
  const auto times = log.timestamps();
  for (std::size_t i = 0; i < log.size(); ++i) {
    w.field(log.case_names().name(cases[i]));
    w.field(log.activity_names().name(activities[i]));
    w.time(times[i]);
    for (const auto& c : log.attributes()) w.value(c, i);
    w.end_row();
  }
  w.close();
}

}  // namespace

void save(const Company& company, const std::string& directory) {
  const std::filesystem::path dir(directory);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create directory '" + directory + "': " + ec.message());
  write_table(company.accounts, dir / "accounts.csv");
  write_events(company.events, dir / "events.csv");
  write_table(company.feedback, dir / "feedback.csv");
  std::ofstream truth(dir / "truth.json", std::ios::binary | std::ios::trunc);
  truth << company.truth.to_json() << '\n';
  truth.close();
  if (!truth) throw Error("failed writing '" + (dir / "truth.json").string() + "'");
}

}  // namespace cxkit::simulate
