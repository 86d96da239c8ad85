#include "xes_handler.hpp"

#include <charconv>
#include <cstring>
#include <limits>

#include "cxkit/core/error.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit::io::detail {

namespace {
constexpr std::string_view kConceptName = "concept:name";
constexpr std::string_view kTimestamp = "time:timestamp";
}  // namespace

// Element names are short: dispatching on length and first letter keeps this to one memcmp.
XesHandler::Element XesHandler::classify(const XML_Char* name) noexcept {
  const char* local = name;
  const char* p = name;
  for (; *p != '\0'; ++p)
    if (*p == ':') local = p + 1;
  const auto is = [local, n = static_cast<std::size_t>(p - local)](const char* word) {
    return std::memcmp(local, word, n) == 0;
  };
  switch (p - local) {
    case 2: if (is("id")) return Element::id; break;
    case 3:
      if (local[0] == 'l' && is("log")) return Element::log;
      if (local[0] == 'i' && is("int")) return Element::int_;
      break;
    case 4: if (is("date")) return Element::date; break;
    case 5:
      if (local[0] == 'e' && is("event")) return Element::event;
      if (local[0] == 't' && is("trace")) return Element::trace;
      if (local[0] == 'f' && is("float")) return Element::float_;
      break;
    case 6: if (is("string")) return Element::string; break;
    case 7: if (is("boolean")) return Element::boolean; break;
    default: break;
  }
  return Element::other;  // list, container, global, extension, classifier, values, ...
}

namespace {

// The key and value XML attributes of an XES attribute element (nullptr when absent).
void key_and_value(const XML_Char** atts, const char*& key, const char*& value) noexcept {
  for (; *atts != nullptr; atts += 2) {
    const char* n = atts[0];
    if (n[0] == 'k' && n[1] == 'e' && n[2] == 'y' && n[3] == '\0') key = atts[1];
    else if (n[0] == 'v' && n[1] == 'a' && n[2] == 'l' && n[3] == 'u' && n[4] == 'e' && n[5] == '\0') value = atts[1];
  }
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() > 1 && s.front() == '+') s.remove_prefix(1);  // xs:long and xs:double allow it
  return s;
}

bool parse_int(std::string_view s, double& out) noexcept {
  s = trim(s);
  std::int64_t v = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) return false;
  out = static_cast<double>(v);
  return true;
}

bool parse_float(std::string_view s, double& out) noexcept {
  s = trim(s);
  const auto res = std::from_chars(s.data(), s.data() + s.size(), out);  // also INF, -INF, NaN
  return res.ec == std::errc{} && res.ptr == s.data() + s.size();
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != b[i]) return false;
  return true;
}

bool parse_boolean(std::string_view s, bool& out) noexcept {
  s = trim(s);
  if (iequals(s, "true") || s == "1") { out = true; return true; }
  if (iequals(s, "false") || s == "0") { out = false; return true; }
  return false;
}
}  // namespace

XesHandler::XesHandler(XML_Parser parser, const XesOptions& options, std::string source)
    : parser_(parser), options_(options), source_(std::move(source)) {
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XesHandler::on_start, &XesHandler::on_end);
}

void XMLCALL XesHandler::on_start(void* p, const XML_Char* name, const XML_Char** atts) {
  auto* self = static_cast<XesHandler*>(p);
  if (self->skip_depth_ != 0) {
    ++self->skip_depth_;
    return;
  }
  if (self->error_) return;  // expat may deliver a callback or two after XML_StopParser
  try {
    self->start(name, atts);
  } catch (...) {
    self->abort(std::current_exception());
  }
}

void XMLCALL XesHandler::on_end(void* p, const XML_Char* /*name: expat checked it matches*/) {
  auto* self = static_cast<XesHandler*>(p);
  if (self->skip_depth_ != 0) {
    --self->skip_depth_;
    return;
  }
  if (self->error_) return;
  try {
    self->end();
  } catch (...) {
    self->abort(std::current_exception());
  }
}

void XesHandler::abort(std::exception_ptr e) noexcept {
  if (!error_) error_ = std::move(e);
  XML_StopParser(parser_, XML_FALSE);
}

void XesHandler::start(const XML_Char* name, const XML_Char** atts) {
  const Element el = classify(name);
  const bool is_value = el == Element::string || el == Element::date || el == Element::int_ ||
                        el == Element::float_ || el == Element::boolean || el == Element::id;
  switch (state_) {
    case State::event:
      if (is_value) event_attribute(el, atts);
      skip_depth_ = 1;  // whatever an attribute nests is ignored
      return;
    case State::trace:
      if (el == Element::event) {
        begin_event();
        state_ = State::event;
        return;
      }
      if (is_value) trace_attribute(el, atts);
      skip_depth_ = 1;
      return;
    case State::log:
      if (el == Element::trace) {
        begin_trace();
        state_ = State::trace;
      } else {
        skip_depth_ = 1;  // extension, global, classifier, log attributes, stray events
      }
      return;
    case State::document:
      if (el != Element::log)
        throw InputError("not an XES log: the root element is '" + std::string(name) + "', not 'log'",
                         {source_, line(), "", ""});
      state_ = State::log;
      return;
    case State::done:
      skip_depth_ = 1;
      return;
  }
}

void XesHandler::end() {
  switch (state_) {
    case State::event:
      end_event();
      state_ = State::trace;
      return;
    case State::trace:
      end_trace();
      state_ = State::log;
      return;
    case State::log: state_ = State::done; return;
    case State::document:
    case State::done: return;
  }
}

std::uint32_t XesHandler::attribute_index(std::string_view name) {
  const std::uint32_t a = part_.columns.intern(name);
  if (a == part_.attributes.size()) part_.attributes.emplace_back();
  return a;
}

bool XesHandler::decode(Element type, std::uint32_t attr, std::string_view value, XesValue& out) {
  switch (type) {
    case Element::string:
    case Element::id: out = part_.attributes[attr].text(value); return true;
    case Element::int_:
    case Element::float_: {
      double v = 0;
      if (!(type == Element::int_ ? parse_int(value, v) : parse_float(value, v))) return false;
      out = XesAttributeBuffer::number(v);
      return true;
    }
    case Element::boolean: {
      bool b = false;
      if (!parse_boolean(value, b)) return false;
      out = XesAttributeBuffer::boolean(b);
      return true;
    }
    case Element::date: {
      Timestamp t{};
      if (!parse_iso8601(value, t)) return false;
      out = XesAttributeBuffer::date(to_micros(t));
      return true;
    }
    default: return false;
  }
}

const char* XesHandler::bad_value_reason(Element type) noexcept {
  switch (type) {
    case Element::int_: return "unparsable int";
    case Element::float_: return "unparsable float";
    case Element::boolean: return "unparsable boolean";
    case Element::date: return "unparsable date";
    default: return "unparsable value";
  }
}

std::uint32_t XesHandler::add_problem(const char* what, std::int64_t at, std::string_view key, std::string_view value) {
  if (options_.on_bad_row == OnBadRow::raise) throw InputError(what, {source_, at, std::string(key), std::string(value)});
  part_.problems.push_back({what, at, std::string(key), std::string(value)});
  return static_cast<std::uint32_t>(part_.problems.size() - 1);
}

void XesHandler::event_problem(const char* what, std::int64_t at, std::string_view key, std::string_view value) {
  if (event_bad_ && options_.on_bad_row == OnBadRow::skip) return;  // the first reason is the one reported
  event_problem_ = add_problem(what, at, key, value);
  event_bad_ = true;
}

void XesHandler::trace_problem(const char* what, std::int64_t at, std::string_view key, std::string_view value) {
  if (trace_bad_ && options_.on_bad_row == OnBadRow::skip) return;
  trace_problem_ = add_problem(what, at, key, value);
  trace_bad_ = true;
}

void XesHandler::begin_trace() {
  pending_.clear();
  trace_values_.clear();
  case_id_ = kNoId;
  trace_line_ = line();
  trace_bad_ = false;
}

void XesHandler::trace_attribute(Element type, const XML_Char** atts) {
  const char* k = nullptr;
  const char* v = nullptr;
  key_and_value(atts, k, v);
  if (k == nullptr || v == nullptr || *k == '\0') return;  // nothing to name a column by
  const std::string_view key(k), value(v);
  if (key == kConceptName) {
    case_id_ = value.empty() ? kNoId : part_.cases.intern(value);
    return;
  }
  name_scratch_.assign(options_.trace_attribute_prefix).append(key);
  const std::uint32_t a = attribute_index(name_scratch_);
  XesValue decoded{};
  if (!decode(type, a, value, decoded)) {
    trace_problem(bad_value_reason(type), line(), name_scratch_, value);
    return;
  }
  trace_values_.push_back({a, decoded});
}

void XesHandler::end_trace() {
  if (!trace_bad_ && case_id_ == kNoId)
    trace_problem("trace without concept:name", trace_line_, kConceptName, "");
  const auto first = static_cast<std::uint32_t>(part_.time.size());
  if (trace_bad_) {
    for (const auto& e : pending_) part_.skipped.push_back({e.line, trace_problem_});
    for (auto& a : part_.attributes) a.drop_from(first);
    pending_.clear();
    return;
  }
  for (const auto& e : pending_) {
    // EventLogBuilder::add_event_ids would refuse it later; refuse it here, as it did when
    // it was fed trace by trace (the location names the row, as the builder does).
    if (e.time < kMinTimestampMicros || e.time > kMaxTimestampMicros)
      throw InputError("timestamp outside the years 0001-9999",
                       {source_, static_cast<std::int64_t>(part_.time.size()), "timestamp", std::to_string(e.time) + " us"});
    part_.case_id.push_back(case_id_);
    part_.activity.push_back(e.activity);
    part_.time.push_back(e.time);
  }
  const auto last = static_cast<std::uint32_t>(first + pending_.size());
  for (const auto& tv : trace_values_)
    for (std::uint32_t row = first; row < last; ++row) part_.attributes[tv.attribute].add(row, tv.value);
  pending_.clear();
}

void XesHandler::begin_event() {
  if (part_.time.size() + pending_.size() >= kNoId - 1)
    throw InputError("an event log holds at most 4,294,967,294 events; partition the input", {source_, line(), "", ""});
  activity_ = kNoId;
  has_time_ = false;
  event_bad_ = false;
  key_slot_ = 0;
  event_line_ = line();
}

void XesHandler::event_attribute(Element type, const XML_Char** atts) {
  const char* k = nullptr;
  const char* v = nullptr;
  key_and_value(atts, k, v);
  if (k == nullptr || v == nullptr || *k == '\0') return;
  const std::string_view value(v);
  if (std::strcmp(k, kConceptName.data()) == 0) {
    activity_ = value.empty() ? kNoId : part_.activities.intern(value);
    return;
  }
  if (std::strcmp(k, kTimestamp.data()) == 0) {
    Timestamp t{};
    if (parse_iso8601(value, t)) {
      time_ = to_micros(t);
      has_time_ = true;
    } else {
      event_problem("unparsable timestamp", line(), kTimestamp, value);
    }
    return;
  }
  std::uint32_t a = 0;
  const std::uint32_t slot = key_slot_++;
  if (slot < key_slots_.size() && std::strcmp(k, key_slots_[slot].key.c_str()) == 0) {
    a = key_slots_[slot].attribute;
  } else {
    a = attribute_index(k);
    constexpr std::size_t kMaxSlots = 64;  // bounds the cache for events with very many keys
    if (slot < key_slots_.size()) {
      key_slots_[slot].key.assign(k);
      key_slots_[slot].attribute = a;
    } else if (slot < kMaxSlots) key_slots_.push_back({k, a});
  }
  XesValue decoded{};
  if (!decode(type, a, value, decoded)) {
    event_problem(bad_value_reason(type), line(), part_.columns.name(a), value);
    return;
  }
  part_.attributes[a].add(next_row(), decoded);
}

void XesHandler::end_event() {
  if (!event_bad_) {
    if (activity_ == kNoId) event_problem("event without concept:name", event_line_, kConceptName, "");
    else if (!has_time_) event_problem("event without time:timestamp", event_line_, kTimestamp, "");
  }
  if (event_bad_) {
    part_.skipped.push_back({event_line_, event_problem_});
    const std::uint32_t row = next_row();
    for (auto& a : part_.attributes) a.drop_from(row);
    return;
  }
  pending_.push_back({activity_, time_, event_line_});
}

}  // namespace cxkit::io::detail
