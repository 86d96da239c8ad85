// Reading event logs from CSV (RFC 4180).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/core/skipped_row.hpp"

namespace cxkit::io {

struct CsvOptions {
  std::string case_column = "case:concept:name";
  std::string activity_column = "concept:name";
  std::string timestamp_column = "time:timestamp";
  /// Field separator; '\0' detects it from the header line among ',', ';', '\t' and '|'.
  char delimiter = '\0';
  /// Empty: ISO 8601 (see parse_iso8601). Otherwise a strftime-like pattern, see
  /// cxkit/io/timestamp_format.hpp.
  std::string timestamp_format;
  OnBadRow on_bad_row = OnBadRow::raise;
  /// Other columns are kept as attributes. Their type is inferred (numeric when every
  /// non-empty value is a finite number, categorical otherwise) unless listed here.
  std::vector<std::string> numeric_columns;
  std::vector<std::string> categorical_columns;
  std::vector<std::string> text_columns;
  std::vector<std::string> timestamp_columns;
  /// false keeps only the case, activity and timestamp columns and the ones listed above.
  bool keep_other_columns = true;
  /// Optional progress: (bytes parsed, total bytes of the input), called on the calling
  /// thread about every 4 MB and once at the end. Returning false throws Cancelled.
  Progress progress;
};

/// Reads a CSV file into an EventLog.
/// Throws: NotFoundError when the file or a named column does not exist; InputError for an
/// empty file, an unterminated quote, and (with on_bad_row = raise) any bad row: wrong
/// number of fields, empty case or activity, unparsable timestamp or number, invalid UTF-8.
/// The message names the file, line, column and value. With on_bad_row = skip such rows are
/// left out and listed in EventLog::skipped_rows(). Cancelled when options.progress cancels.
EventLog read_csv(const std::string& path, const CsvOptions& options = {});

/// The same, from bytes in memory. `source` names the input in messages.
EventLog read_csv_buffer(std::string_view data, const CsvOptions& options = {},
                         const std::string& source = "<string>");

}  // namespace cxkit::io
