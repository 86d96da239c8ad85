// Reading definitions from JSON with errors that name the field (internal, shared by every
// JSON definition: journey designs, playbooks, moments, scorecards).
//
// Every error is an InputError whose location names the definition ("JourneyDesign",
// "Moment 'first reply'", "Scorecard") as source and the field path ("stages[2].target") as
// column, with the offending value, so the message reads
//   JourneyDesign, column 'stages[2].target', value '3X': not a business duration ...
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cxkit/core/error.hpp"

namespace cxkit::detail {

struct JsonFields {
  std::string source;  ///< names the definition in every error

  [[noreturn]] void fail(const std::string& path, const std::string& reason, const std::string& value = {}) const {
    throw InputError(reason, {source, -1, path, value});
  }

  /// A value as the error message shows it (strings without their quotes).
  static std::string shown(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

  /// Rejects keys outside `allowed` (catches typos such as "mandatroy").
  void only_keys(const nlohmann::json& object, const std::string& path,
                 std::initializer_list<std::string_view> allowed) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      bool ok = false;
      for (auto a : allowed) ok = ok || it.key() == a;
      if (!ok) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(join(path, it.key()), "unknown field; expected one of: " + list);
      }
    }
  }

  const nlohmann::json& object(const nlohmann::json& v, const std::string& path) const {
    if (!v.is_object()) fail(path, "expected a JSON object", shown(v));
    return v;
  }
  const nlohmann::json& array(const nlohmann::json& v, const std::string& path) const {
    if (!v.is_array()) fail(path, "expected a JSON array", shown(v));
    return v;
  }
  std::string string(const nlohmann::json& v, const std::string& path, bool allow_empty = true) const {
    if (!v.is_string()) fail(path, "expected a string", shown(v));
    std::string s = v.get<std::string>();
    if (!allow_empty && s.empty()) fail(path, "must not be empty");
    return s;
  }
  bool boolean(const nlohmann::json& v, const std::string& path) const {
    if (!v.is_boolean()) fail(path, "expected true or false", shown(v));
    return v.get<bool>();
  }
  double number(const nlohmann::json& v, const std::string& path) const {
    if (!v.is_number()) fail(path, "expected a number", shown(v));
    return v.get<double>();
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
};

/// Deepest nesting of arrays and objects a definition may use. Real definitions use fewer
/// than 10 levels; the limit exists because copying, dumping and comparing a json value
/// recurse once per level, so 100,000 nested '[' would overflow the stack.
inline constexpr std::size_t kMaxJsonDepth = 256;

/// Throws InputError naming `source` when `text` nests arrays and objects deeper than
/// kMaxJsonDepth (brackets inside strings do not count). Anything else, malformed text
/// included, is left to the parser. O(length).
inline void check_json_depth(std::string_view text, const std::string& source) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        throw InputError("invalid JSON: arrays and objects nested deeper than " + std::to_string(kMaxJsonDepth) +
                             " levels (at byte " + std::to_string(i) + ")",
                         {source, -1, "", ""});
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

/// Parses JSON text, turning a syntax error or too deep nesting (check_json_depth) into an
/// InputError naming `source`.
inline nlohmann::json parse_json_text(std::string_view text, const std::string& source) {
  check_json_depth(text, source);
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {  // syntax errors, and numbers out of range (1e99999)
    throw InputError(std::string("invalid JSON: ") + e.what(), {source, -1, "", ""});
  }
}

}  // namespace cxkit::detail
