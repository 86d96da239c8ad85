// libFuzzer target for the CSV event-log reader.
//
// Any input must end in a valid EventLog or a cxkit::Error; anything else (another
// exception, a crash, a sanitizer report, a broken log invariant) is a bug. Column names
// follow the input: pm4py's when it mentions them, the sepsis export's, or short ones
// ("c", "a", "t") that hand-written seeds use. The input's size picks a few options, so
// every byte stays CSV text and real files work as seeds unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cxkit/core/error.hpp"
#include "cxkit/io/csv.hpp"

namespace {

void check_invariants(const cxkit::EventLog& log) {
  const std::size_t n = log.size();
  if (log.case_offsets().front() != 0 || log.case_offsets().back() != n) __builtin_trap();
  if (log.case_names().size() != log.n_cases()) __builtin_trap();
  for (std::size_t c = 0; c < log.n_cases(); ++c) {
    if (log.case_begin(c) >= log.case_end(c)) __builtin_trap();  // no empty case
    for (std::size_t i = log.case_begin(c); i < log.case_end(c); ++i) {
      if (log.case_ids()[i] != c) __builtin_trap();
      if (log.activity_ids()[i] >= log.activity_names().size()) __builtin_trap();
      if (i > log.case_begin(c) && log.timestamps()[i - 1] > log.timestamps()[i]) __builtin_trap();
    }
  }
  for (const auto& column : log.attributes()) {
    if (column.size() != n) __builtin_trap();
    for (std::size_t i = 0; i < n; ++i) (void)column.value_string(i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cxkit::io::CsvOptions options;
  if (text.find("case:concept:name") != std::string_view::npos) {
    // pm4py's names are the defaults.
  } else if (text.find("Case ID") != std::string_view::npos) {
    options.case_column = "Case ID";
    options.activity_column = "Activity";
    options.timestamp_column = "Complete Timestamp";
    options.timestamp_format = "%Y/%m/%d %H:%M:%S.%f";
  } else {
    options.case_column = "c";
    options.activity_column = "a";
    options.timestamp_column = "t";
  }
  if (size % 3 == 1) options.keep_other_columns = false;
  if (size % 5 == 2 && options.timestamp_format.empty()) options.timestamp_format = "%d %b %Y %I:%M %p%z";

  for (const auto mode : {cxkit::OnBadRow::raise, cxkit::OnBadRow::skip}) {
    options.on_bad_row = mode;
    try {
      check_invariants(cxkit::io::read_csv_buffer(text, options, "fuzz"));
    } catch (const cxkit::Error&) {
      // Rejecting bad input with a typed error is the expected outcome.
    }
  }
  return 0;
}
