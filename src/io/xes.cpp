// read_xes / read_xes_buffer: expat fed in chunks (xes_input), XES semantics in the
// callbacks (xes_handler), columns built at the end (xes_attributes).
#include "cxkit/io/xes.hpp"

#include <expat.h>

#include <memory>
#include <new>

#include "xes_handler.hpp"
#include "xes_input.hpp"

namespace cxkit::io {

namespace {
struct ParserDeleter {
  void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};

EventLog read_xes_from(detail::ByteReader& reader, const XesOptions& options, const std::string& source) {
  // No namespace processing: element names are matched on their local part, so files with
  // and without xmlns="http://www.xes-standard.org/" (or a prefix) read the same.
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate(nullptr));
  if (!parser) throw std::bad_alloc();
  detail::XesHandler handler(parser.get(), options, source);
  const bool ok = detail::feed_expat(parser.get(), reader, source);
  if (handler.error()) std::rethrow_exception(handler.error());
  if (!ok) {
    const XML_Error code = XML_GetErrorCode(parser.get());
    if (code == XML_ERROR_NO_MEMORY) throw std::bad_alloc();
    throw InputError(std::string("malformed XML: ") + XML_ErrorString(code) + " (at column " +
                         std::to_string(XML_GetCurrentColumnNumber(parser.get()) + 1) + ")",
                     {source, static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser.get())), "", ""});
  }
  return handler.finish();
}
}  // namespace

EventLog read_xes(const std::string& path, const XesOptions& options) {
  detail::FileReader reader(path);
  return read_xes_from(reader, options, path);
}

EventLog read_xes_buffer(std::string_view data, const XesOptions& options, const std::string& source) {
  detail::MemoryReader reader(data);
  return read_xes_from(reader, options, source);
}

}  // namespace cxkit::io
