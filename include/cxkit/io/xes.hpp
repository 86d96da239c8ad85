// Reading event logs from IEEE 1849 XES, plain or gzip-compressed.
#pragma once

#include <string>
#include <string_view>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/skipped_row.hpp"

namespace cxkit::io {

struct XesOptions {
  OnBadRow on_bad_row = OnBadRow::raise;
  /// Trace attributes become event attributes named prefix + key, as pm4py names them.
  std::string trace_attribute_prefix = "case:";
};

/// Reads an XES file (gzip detected from its magic bytes). The trace's concept:name is the
/// case, the event's concept:name the activity, time:timestamp the time; every other
/// attribute is kept (string and id as categorical, int and float as numeric, boolean as
/// numeric 0/1, date as timestamp), lifecycle:transition included.
/// Throws NotFoundError when the file does not exist; InputError for malformed XML or
/// gzip, and (with on_bad_row = raise) for an event without activity or a parsable
/// timestamp, or a trace without a name, naming the line and value.
EventLog read_xes(const std::string& path, const XesOptions& options = {});

/// The same, from bytes in memory (plain or gzip).
EventLog read_xes_buffer(std::string_view data, const XesOptions& options = {},
                         const std::string& source = "<string>");

}  // namespace cxkit::io
