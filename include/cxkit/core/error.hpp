// cxkit error hierarchy.
//
// Every error cxkit throws derives from cxkit::Error (itself std::runtime_error) so a
// caller can catch everything from the library with one handler. The Python bindings map
// InputError to ValueError, NotFoundError to KeyError and TypeMismatchError to TypeError.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace cxkit {

/// Base class of every exception cxkit throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where in an input a problem was found. Empty fields / line -1 mean "not known".
struct InputLocation {
  std::string source;    ///< file name, or a description such as "<string>" or "DataFrame"
  std::int64_t line = -1;  ///< 1-based physical line (files), or 0-based row position (DataFrames)
  std::string column;    ///< column or attribute name
  std::string value;     ///< the offending value, truncated to a readable length
  std::string line_label = "line";  ///< how `line` is named in messages ("line", "row", ...)
};

namespace detail {
inline std::string quote_value(const std::string& v) {
  constexpr std::size_t kMax = 80;  // a 10 MB field must not become a 10 MB message
  std::string out = "'";
  if (v.size() > kMax) {
    out += v.substr(0, kMax);
    out += "...' (" + std::to_string(v.size()) + " bytes)";
  } else {
    out += v + "'";
  }
  return out;
}

inline std::string describe(const std::string& what, const InputLocation& at) {
  std::string msg;
  if (!at.source.empty()) msg += at.source;
  if (at.line >= 0) msg += (msg.empty() ? "" : ", ") + at.line_label + " " + std::to_string(at.line);
  if (!at.column.empty()) msg += (msg.empty() ? "" : ", ") + std::string("column '") + at.column + "'";
  if (!at.value.empty()) msg += (msg.empty() ? "" : ", ") + std::string("value ") + quote_value(at.value);
  return msg.empty() ? what : msg + ": " + what;
}
}  // namespace detail

/// Bad input data or a bad definition: a value that cannot be parsed or is out of range,
/// a ragged row, invalid configuration. Maps to Python ValueError.
class InputError : public Error {
 public:
  explicit InputError(const std::string& what, InputLocation at = {})
      : Error(detail::describe(what, at)), reason_(what), location_(std::move(at)) {}
  /// The problem without the location prefix.
  const std::string& reason() const noexcept { return reason_; }
  const InputLocation& location() const noexcept { return location_; }

 private:
  std::string reason_;
  InputLocation location_;
};

/// A named thing (column, activity, attribute, time zone, case) does not exist.
/// Maps to Python KeyError.
class NotFoundError : public Error {
 public:
  using Error::Error;
};

/// A value has the wrong type for where it is used (a text column where a number is
/// needed). Maps to Python TypeError.
class TypeMismatchError : public Error {
 public:
  using Error::Error;
};

}  // namespace cxkit
