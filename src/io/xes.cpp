// read_xes / read_xes_buffer: expat fed in chunks (xes_input), XES semantics in the
// callbacks (xes_handler), columns built at the end (xes_merge). With threads > 1 the
// document is cut into chunks parsed at once (xes_parallel); whenever that cannot give the
// exact result, the one-parser path below reads the document again.
#include "cxkit/io/xes.hpp"

#include <expat.h>

#include <filesystem>
#include <memory>
#include <new>
#include <system_error>
#include <thread>

#include "xes_handler.hpp"
#include "xes_input.hpp"
#include "xes_merge.hpp"
#include "xes_parallel.hpp"
#include "xes_progress.hpp"
#include "xes_split.hpp"

namespace cxkit::io {

namespace {
struct ParserDeleter {
  void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};

EventLog read_xes_from(detail::ByteReader& reader, const XesOptions& options, const std::string& source,
                       detail::XesProgress& progress) {
  // No namespace processing: element names are matched on their local part, so files with
  // and without xmlns="http://www.xes-standard.org/" (or a prefix) read the same.
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate(nullptr));
  if (!parser) throw std::bad_alloc();
  detail::XesHandler handler(parser.get(), options, source);
  const bool ok = detail::feed_expat(parser.get(), reader, source, progress);
  if (handler.error()) std::rethrow_exception(handler.error());
  if (!ok) {
    const XML_Error code = XML_GetErrorCode(parser.get());
    if (code == XML_ERROR_NO_MEMORY) throw std::bad_alloc();
    throw InputError(std::string("malformed XML: ") + XML_ErrorString(code) + " (at column " +
                         std::to_string(XML_GetCurrentColumnNumber(parser.get()) + 1) + ")",
                     {source, static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser.get())), "", ""});
  }
  parser.reset();
  detail::XesMerger merger(source);
  merger.append(handler.take(), 0);  // cannot refuse: the handler stops at the same limit
  EventLog log = merger.finish();
  progress.finish();
  return log;
}

unsigned parser_threads(const XesOptions& options) noexcept {
  if (options.threads != 0) return options.threads;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}
}  // namespace

EventLog read_xes(const std::string& path, const XesOptions& options) {
  std::uint64_t size = 0;
  if (options.progress) {
    std::error_code ec;
    size = std::filesystem::file_size(path, ec);
    if (ec) size = 0;  // not a regular file (or gone): FileReader reports what matters
  }
  detail::XesProgress progress(options.progress, size);
  if (const unsigned threads = parser_threads(options); threads > 1) {
    detail::FileReader reader(path);  // NotFoundError as for one parser
    detail::XesChunker chunker(reader, options.chunk_bytes, path);
    if (auto log = detail::read_xes_parallel(chunker, options, path, threads, progress)) {
      progress.finish();
      return std::move(*log);
    }
  }
  detail::FileReader reader(path);
  return read_xes_from(reader, options, path, progress);
}

EventLog read_xes_buffer(std::string_view data, const XesOptions& options, const std::string& source) {
  detail::XesProgress progress(options.progress, data.size());
  if (const unsigned threads = parser_threads(options); threads > 1) {
    const bool gzip = data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
                      static_cast<unsigned char>(data[1]) == 0x8b;
    detail::MemoryReader reader(data);
    auto chunker = gzip ? std::make_unique<detail::XesChunker>(reader, options.chunk_bytes, source)
                        : std::make_unique<detail::XesChunker>(data, options.chunk_bytes);
    if (auto log = detail::read_xes_parallel(*chunker, options, source, threads, progress)) {
      progress.finish();
      return std::move(*log);
    }
  }
  detail::MemoryReader reader(data);
  return read_xes_from(reader, options, source, progress);
}

}  // namespace cxkit::io
