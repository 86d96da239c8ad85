// Reading event logs from IEEE 1849 XES, plain or gzip-compressed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/core/skipped_row.hpp"

namespace cxkit::io {

struct XesOptions {
  OnBadRow on_bad_row = OnBadRow::raise;
  /// Trace attributes become event attributes named prefix + key, as pm4py names them.
  std::string trace_attribute_prefix = "case:";
  /// Parser threads: 0 = one per hardware thread, 1 = a single parser on the calling
  /// thread. The log is the same for every value (see read_xes, "Parallel parsing").
  unsigned threads = 0;
  /// With threads > 1: decompressed bytes per chunk handed to a parser thread (a chunk
  /// runs on to the next <trace>). Bounds the text held in memory, about
  /// (2 x threads + 2) x chunk_bytes.
  std::size_t chunk_bytes = std::size_t{1} << 20;
  /// Optional progress in bytes of the input as given: (bytes used up, file or buffer size),
  /// so compressed bytes for gzip input. Called on the calling thread about every MiB of
  /// (decompressed) text read, whatever the thread count, and once at the end when the log
  /// is built. A callback returning false stops the reading with Cancelled (no result).
  Progress progress;
};

/// Reads an XES file (gzip detected from its magic bytes). The trace's concept:name is the
/// case, the event's concept:name the activity, time:timestamp the time; every other
/// attribute is kept (string and id as categorical, int and float as numeric, boolean as
/// numeric 0/1, date as timestamp), lifecycle:transition included.
///
/// Details:
/// - Trace attributes other than concept:name become event attributes named
///   trace_attribute_prefix + key, on every event of the trace (they may come before or
///   after the events). Traces sharing a name are one case.
/// - A key whose values have different kinds (text, number, boolean, date; int and float are
///   both numbers) becomes a categorical column of each value's canonical text: numbers in
///   shortest round-trip form ("5", "2.5"), booleans "true"/"false", dates ISO 8601 UTC.
/// - Ignored: log-level attributes, <extension>, <global>, <classifier>, events outside a
///   trace, list and container attributes, and every attribute nested in another one
///   (XES "nested-attributes", e.g. OpenXES meta_* statistics); attribute elements without
///   a key or value. When a key repeats within an event or trace, the last value wins.
/// - Element names are matched on their local part: with or without the default namespace
///   xmlns="http://www.xes-standard.org/" or a prefix.
/// - Bad rows: an event without concept:name (or with an empty one), without
///   time:timestamp, with an unparsable timestamp, or whose int/float/boolean/date value
///   does not parse; a trace without a name or with such a value. Under skip the event (for
///   a trace, each of its events) is left out and recorded in EventLog::skipped_rows() with
///   the line of the event's start and the message raise would have thrown; values of
///   skipped events leave no column or category behind.
/// - Streaming: the input is parsed in 256 KiB chunks (decompressed chunk by chunk for
///   gzip; concatenated gzip members are read in order, anything else after the gzip data
///   is an error). Memory: about 16 bytes per event plus 12 per attribute value until the
///   log is built (twice the 16 while the parsed events are joined into the log).
/// - Parallel parsing (threads > 1): the calling thread reads and decompresses, cutting the
///   text before <trace> tags into chunks of about chunk_bytes; worker threads parse the
///   chunks, each as a document of its own (the original prolog and <log> start tag
///   replicated, lines numbered as in the file); results are joined in document order.
///   A cut that is not between two children of <log> (a "<trace" inside a comment, CDATA
///   section, processing instruction or nested element) makes the chunk before it
///   malformed, and that chunk is parsed again together with the next ones. On any error,
///   and for documents not worth the risk (a DOCTYPE, an encoding other than UTF-8,
///   US-ASCII or ISO-8859-1, a chunk over max(16 x chunk_bytes, 64 MiB)), the document is
///   read again with one parser, which reports exactly what threads = 1 reports.
/// - Progress (options.progress): `done` is the input bytes read so far (inflated so far for
///   gzip), so with read-ahead it may run a few MiB ahead of the parsing; a document read
///   again with one parser shows no progress until the second read passes the first, but
///   the callback still runs (so a cancel is seen). The last call (done == total) comes
///   when the log is built. A file whose size is unknown reports a total of 0. With a callback,
///   a document over 1 MiB with no cut at all (one huge trace) is left to one parser, which
///   reports as it parses (the same log; a single chunk would only report at its end).
///
/// Throws NotFoundError when the file does not exist; InputError for an empty file,
/// malformed XML (with the expat message and line), a root element other than <log>,
/// broken or truncated gzip, and (with on_bad_row = raise) the first bad row, naming the
/// source, line, key and value; Cancelled when options.progress cancels (and what its
/// callback throws).
/// Complexity: O(bytes + events x attributes).
EventLog read_xes(const std::string& path, const XesOptions& options = {});

/// The same, from bytes in memory (plain or gzip).
EventLog read_xes_buffer(std::string_view data, const XesOptions& options = {},
                         const std::string& source = "<string>");

}  // namespace cxkit::io
