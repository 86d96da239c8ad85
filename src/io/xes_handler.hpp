// The expat callbacks that turn XES elements into events (see cxkit/io/xes.hpp for the
// semantics).
//
// Events are collected per trace (the trace's name may come after its events) and kept in
// an XesPartial when the trace closes; attribute values go to one XesAttributeBuffer per
// key. XesMerger turns one or more partials into the log. The callbacks never throw: expat
// is C, so an exception (the first bad row under OnBadRow::raise, or bad_alloc) is stored
// and the parser stopped.
#pragma once

#include <expat.h>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "cxkit/io/xes.hpp"
#include "xes_partial.hpp"

namespace cxkit::io::detail {

class XesHandler {
 public:
  /// Installs itself as `parser`'s user data and element handlers. `parser` and `options`
  /// must outlive the handler.
  XesHandler(XML_Parser parser, const XesOptions& options, std::string source);
  XesHandler(const XesHandler&) = delete;
  XesHandler& operator=(const XesHandler&) = delete;

  /// The exception that stopped the parser, if any.
  std::exception_ptr error() const noexcept { return error_; }

  /// What was read, once expat has accepted the whole document (or chunk). Lines are
  /// expat's. O(1).
  XesPartial take() noexcept { return std::move(part_); }

 private:
  enum class State : std::uint8_t { document, log, trace, event, done };
  enum class Element : std::uint8_t { log, trace, event, string, id, date, int_, float_, boolean, other };

  /// The XES meaning of an element name, its namespace prefix (if any) ignored.
  static Element classify(const XML_Char* name) noexcept;
  static const char* bad_value_reason(Element type) noexcept;
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** atts);
  static void XMLCALL on_end(void* self, const XML_Char* name);
  void start(const XML_Char* name, const XML_Char** atts);
  void end();
  void abort(std::exception_ptr e) noexcept;

  void begin_trace();
  void end_trace();
  void begin_event();
  void end_event();
  void trace_attribute(Element type, const XML_Char** atts);
  void event_attribute(Element type, const XML_Char** atts);

  /// The buffer index of the attribute column `name` (created on first sight).
  std::uint32_t attribute_index(std::string_view name);
  /// Decodes `value` of XES type `type` for attribute `attr`; false when it does not parse.
  bool decode(Element type, std::uint32_t attr, std::string_view value, XesValue& out);
  /// A bad value or a missing key: throws (through abort) under raise, else records the
  /// problem (the first one per event or trace) so the event (or trace) is skipped when it
  /// closes.
  void event_problem(const char* what, std::int64_t line, std::string_view key, std::string_view value);
  void trace_problem(const char* what, std::int64_t line, std::string_view key, std::string_view value);
  std::int64_t line() const noexcept { return static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_)); }
  std::uint32_t next_row() const noexcept {
    return static_cast<std::uint32_t>(part_.time.size() + pending_.size());
  }
  std::uint32_t add_problem(const char* what, std::int64_t at, std::string_view key, std::string_view value);

  XML_Parser parser_;
  const XesOptions& options_;
  std::string source_;
  XesPartial part_;
  std::exception_ptr error_;
  State state_ = State::document;
  std::uint32_t skip_depth_ = 0;  // > 0 inside an ignored element (nested attributes, globals)

  // Events of a log nearly always list their keys in the same order: the k-th key of the
  // last event, checked with one strcmp, saves hashing it (and measuring its length).
  struct KeySlot {
    std::string key;
    std::uint32_t attribute;
  };
  std::vector<KeySlot> key_slots_;
  std::uint32_t key_slot_ = 0;  // position of the next key within the open event
  std::string name_scratch_;  // prefix + key of a trace attribute

  struct PendingEvent {
    std::uint32_t activity;
    std::int64_t time;
    std::int64_t line;
  };
  struct TraceValue {
    std::uint32_t attribute;
    XesValue value;
  };
  // The open trace.
  std::vector<PendingEvent> pending_;
  std::vector<TraceValue> trace_values_;
  std::uint32_t case_id_ = kNoId;
  std::int64_t trace_line_ = 0;
  bool trace_bad_ = false;
  std::uint32_t trace_problem_ = 0;
  // The open event.
  std::uint32_t activity_ = kNoId;
  std::int64_t time_ = 0;
  bool has_time_ = false;
  std::int64_t event_line_ = 0;
  bool event_bad_ = false;
  std::uint32_t event_problem_ = 0;
};

}  // namespace cxkit::io::detail
