// Reading one XES document with several expat parsers at once.
//
// The calling thread cuts the (decompressed) document into chunks (xes_split.hpp) and
// merges results in order (xes_merge.hpp); `threads` workers parse chunks. Every chunk
// after the first is parsed as a document of its own: the original prolog and root start
// tag, the chunk's bytes, the root's end tag (the last chunk brings its own). Its lines are
// numbered from that prefix and shifted by the line breaks before the chunk when merged.
//
// A chunk either parses, or fails in a way the cut after it may explain (input ending
// inside a token, a mismatched or stray end tag at the appended root end tag), or fails
// otherwise (malformed XML in its bytes, a bad row under raise, anything thrown). In the
// second case the chunk is parsed again together with as many chunks more (doubling, so
// the work stays linear; beyond XesChunker::max_chunk() bytes the attempt is given up); in
// the third, once every chunk before it parsed, the attempt is given up. Giving up returns std::nullopt and the caller reads the document again
// with one parser, which reports the first error exactly as it always does.
//
// Memory: at most 2 x threads + 2 chunks not yet merged (each chunk_bytes plus the rest
// of the trace it ends in; more only while chunks are joined, up to max_chunk() bytes),
// their parsers' results, and the log being merged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "cxkit/core/event_log.hpp"
#include "cxkit/io/xes.hpp"
#include "xes_split.hpp"

namespace cxkit::io::detail {

class XesProgress;

/// The log `chunker`'s document holds, read by `threads` (>= 2) worker threads, or
/// std::nullopt (see above). Reports to `progress` on the calling thread after each chunk
/// it reads (outside the pipeline's lock, so the workers go on meanwhile). Throws only what
/// `progress` throws (Cancelled, or the callback's own exception).
std::optional<EventLog> read_xes_parallel(XesChunker& chunker, const XesOptions& options, const std::string& source,
                                          unsigned threads, XesProgress& progress);

/// The same without progress reporting (options.progress is not called). Never throws.
std::optional<EventLog> read_xes_parallel(XesChunker& chunker, const XesOptions& options, const std::string& source,
                                          unsigned threads);

}  // namespace cxkit::io::detail
