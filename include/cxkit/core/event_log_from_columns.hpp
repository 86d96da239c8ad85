// Building an EventLog from already-factorised columns (the pandas/numpy path).
//
// A DataFrame column is factorised once (pandas.factorize: integer codes plus the distinct
// values), so each distinct string crosses into C++ exactly once; codes and timestamps are
// read in place. Missing values arrive as code -1 / kMissingTime and are reported with
// their row, never dropped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/core/column.hpp"
#include "cxkit/core/event_log.hpp"

namespace cxkit {

/// Integer codes into `names`; -1 means missing.
struct CodedStrings {
  std::span<const std::int64_t> codes;
  std::vector<std::string_view> names;
};

struct EventColumns {
  std::string source = "DataFrame";
  std::string case_column = "case", activity_column = "activity", timestamp_column = "timestamp";
  CodedStrings cases;
  CodedStrings activities;
  std::span<const std::int64_t> timestamps;  ///< UTC microseconds; kMissingTime = NaT
  std::vector<Column> attributes;            ///< one value per row, in row order
};

namespace detail {
inline void check_codes(const CodedStrings& c, const EventColumns& in, const std::string& column) {
  const auto n_names = static_cast<std::int64_t>(c.names.size());
  for (std::size_t row = 0; row < c.codes.size(); ++row) {
    const std::int64_t code = c.codes[row];
    if (code < 0)
      throw InputError("missing value", {in.source, static_cast<std::int64_t>(row), column, "", "row"});
    if (code >= n_names)
      throw InputError("code out of range", {in.source, static_cast<std::int64_t>(row), column,
                                             std::to_string(code), "row"});
  }
  for (std::size_t k = 0; k < c.names.size(); ++k)
    if (c.names[k].empty()) {
      // An empty name is as good as missing: find its first row for the message.
      for (std::size_t row = 0; row < c.codes.size(); ++row)
        if (c.codes[row] == static_cast<std::int64_t>(k))
          throw InputError("empty value", {in.source, static_cast<std::int64_t>(row), column, "", "row"});
    }
}
}  // namespace detail

/// Builds a sorted EventLog. Throws InputError naming the row (0-based position) and column
/// for a missing case, activity or timestamp, a timestamp outside 0001-9999, or columns of
/// unequal length.
inline EventLog event_log_from_columns(EventColumns in) {
  const std::size_t n = in.cases.codes.size();
  if (in.activities.codes.size() != n || in.timestamps.size() != n)
    throw InputError("case, activity and timestamp columns differ in length");
  detail::check_codes(in.cases, in, in.case_column);
  detail::check_codes(in.activities, in, in.activity_column);
  for (std::size_t row = 0; row < n; ++row) {
    const std::int64_t t = in.timestamps[row];
    if (t == kMissingTime)
      throw InputError("missing timestamp (NaT)", {in.source, static_cast<std::int64_t>(row), in.timestamp_column, "", "row"});
    if (t < kMinTimestampMicros || t > kMaxTimestampMicros)
      throw InputError("timestamp outside the years 0001-9999",
                       {in.source, static_cast<std::int64_t>(row), in.timestamp_column, std::to_string(t) + " us", "row"});
  }

  EventLogBuilder builder(in.source);
  builder.reserve(n);
  // Intern in code order: distinct values keep their factorize (first appearance) order.
  std::vector<std::uint32_t> case_id(in.cases.names.size()), activity_id(in.activities.names.size());
  for (std::size_t k = 0; k < in.cases.names.size(); ++k) case_id[k] = builder.intern_case(in.cases.names[k]);
  for (std::size_t k = 0; k < in.activities.names.size(); ++k)
    activity_id[k] = builder.intern_activity(in.activities.names[k]);
  for (std::size_t row = 0; row < n; ++row)
    builder.add_event_ids(case_id[static_cast<std::size_t>(in.cases.codes[row])],
                          activity_id[static_cast<std::size_t>(in.activities.codes[row])],
                          from_micros(in.timestamps[row]));
  for (auto& col : in.attributes) builder.add_column(std::move(col));
  return builder.build();
}

}  // namespace cxkit
