// The journey definitions' JSON readers (internal): the shared ones of src/core/json_fields.hpp
// plus business durations.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "../core/json_fields.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/journey/business_duration.hpp"

namespace cxkit::journey::detail {

/// The shared field readers plus the journey's own: non-empty strings by default and business
/// durations ("3D", "4h").
struct JsonContext : cxkit::detail::JsonFields {
  std::string string(const nlohmann::json& v, const std::string& path, bool allow_empty = false) const {
    return JsonFields::string(v, path, allow_empty);
  }
  BusinessDuration duration(const nlohmann::json& v, const std::string& path) const {
    if (!v.is_string()) fail(path, "expected a business duration string such as \"3D\" or \"4h\"", shown(v));
    const std::string s = v.get<std::string>();
    if (auto d = BusinessDuration::parse(s)) return *d;
    fail(path, "not a business duration: expected a non-negative number followed by D (business days), h "
               "(business hours) or m (business minutes), such as \"3D\", \"4h\" or \"1.5D\"", s);
  }
};

using cxkit::detail::parse_json_text;

}  // namespace cxkit::journey::detail
