// Scorecard <-> JSON. Every error is an InputError with source "Scorecard" and the field path
// ("groups[0].measures[1].scheme.upper") as column, so a bad definition file points at itself.
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "cxkit/churn/scorecard.hpp"
#include "cxkit/core/error.hpp"

#include "../core/json_fields.hpp"

namespace cxkit::churn {

namespace {

using nlohmann::json;

const cxkit::detail::JsonFields kFields{"Scorecard"};

[[noreturn]] void fail(const std::string& path, const std::string& reason, const std::string& value = {}) {
  kFields.fail(path, reason, value);
}
std::string shown(const json& v) { return cxkit::detail::JsonFields::shown(v); }
std::string join(const std::string& path, std::string_view key) { return cxkit::detail::JsonFields::join(path, key); }
void only_keys(const json& o, const std::string& path, std::initializer_list<std::string_view> allowed) {
  kFields.only_keys(o, path, allowed);
}
const json& object(const json& v, const std::string& path) { return kFields.object(v, path.empty() ? "<root>" : path); }
const json& array(const json& v, const std::string& path) { return kFields.array(v, path); }

const json& required(const json& o, const std::string& path, const char* key) {
  const auto it = o.find(key);
  if (it == o.end()) fail(join(path, key), "required field is missing");
  return *it;
}

std::string string(const json& v, const std::string& path) { return kFields.string(v, path); }

double number(const json& v, const std::string& path) { return kFields.number(v, path); }

int integer(const json& v, const std::string& path) {
  if (!v.is_number()) fail(path, "expected an integer", shown(v));
  const double d = v.get<double>();
  if (!(d == std::floor(d) && std::fabs(d) < 1e9)) fail(path, "expected an integer", shown(v));
  return static_cast<int>(d);
}

double optional_number(const json& o, const std::string& path, const char* key, double fallback) {
  const auto it = o.find(key);
  return it == o.end() ? fallback : number(*it, join(path, key));
}

std::string optional_string(const json& o, const std::string& path, const char* key) {
  const auto it = o.find(key);
  return it == o.end() ? std::string() : string(*it, join(path, key));
}

Direction direction(const json& v, const std::string& path) {
  const std::string s = string(v, path);
  if (s == "higher_is_better") return Direction::higher_is_better;
  if (s == "lower_is_better") return Direction::lower_is_better;
  fail(path, "expected \"higher_is_better\" or \"lower_is_better\"", s);
}

ScoringScheme scheme_from(const json& v, const std::string& path) {
  object(v, path);
  ScoringScheme s;
  const std::string type = string(required(v, path, "type"), join(path, "type"));
  if (const auto it = v.find("direction"); it != v.end()) s.direction = direction(*it, join(path, "direction"));
  if (type == "linear") {
    only_keys(v, path, {"type", "direction", "lower", "upper"});
    s.kind = ScoringScheme::Kind::linear;
    s.lower = number(required(v, path, "lower"), join(path, "lower"));
    s.upper = number(required(v, path, "upper"), join(path, "upper"));
  } else if (type == "thresholds") {
    only_keys(v, path, {"type", "direction", "steps", "otherwise"});
    s.kind = ScoringScheme::Kind::thresholds;
    const std::string steps_path = join(path, "steps");
    const json& steps = array(required(v, path, "steps"), steps_path);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const std::string at = steps_path + "[" + std::to_string(k) + "]";
      object(steps[k], at);
      only_keys(steps[k], at, {"bound", "points"});
      s.steps.push_back({number(required(steps[k], at, "bound"), join(at, "bound")),
                         number(required(steps[k], at, "points"), join(at, "points"))});
    }
    s.otherwise = optional_number(v, path, "otherwise", 0.0);
  } else {
    fail(join(path, "type"), "expected \"linear\" or \"thresholds\"", type);
  }
  return s;
}

Measure measure_from(const json& v, const std::string& path) {
  object(v, path);
  only_keys(v, path, {"name", "feature", "weight", "scheme", "description"});
  Measure m;
  m.name = string(required(v, path, "name"), join(path, "name"));
  m.feature = optional_string(v, path, "feature");
  m.weight = optional_number(v, path, "weight", 1.0);
  m.description = optional_string(v, path, "description");
  m.scheme = scheme_from(required(v, path, "scheme"), join(path, "scheme"));
  return m;
}

std::vector<Measure> measures_from(const json& v, const std::string& path) {
  array(v, path);
  std::vector<Measure> out;
  for (std::size_t k = 0; k < v.size(); ++k) out.push_back(measure_from(v[k], path + "[" + std::to_string(k) + "]"));
  return out;
}

json scheme_to(const ScoringScheme& s) {
  json j;
  j["type"] = s.kind == ScoringScheme::Kind::linear ? "linear" : "thresholds";
  j["direction"] = s.direction == Direction::higher_is_better ? "higher_is_better" : "lower_is_better";
  if (s.kind == ScoringScheme::Kind::linear) {
    j["lower"] = s.lower;
    j["upper"] = s.upper;
  } else {
    j["steps"] = json::array();
    for (const auto& t : s.steps) j["steps"].push_back({{"bound", t.bound}, {"points", t.points}});
    j["otherwise"] = s.otherwise;
  }
  return j;
}

}  // namespace

Scorecard Scorecard::from_json(const json& j) {
  object(j, "");
  only_keys(j, "", {"name", "min_coverage", "bands", "groups", "measures"});
  const std::string name = optional_string(j, "", "name");
  const double min_coverage = optional_number(j, "", "min_coverage", 0.0);
  std::vector<Band> bands = default_bands();
  if (const auto it = j.find("bands"); it != j.end()) {
    array(*it, "bands");
    bands.clear();
    for (std::size_t b = 0; b < it->size(); ++b) {
      const std::string at = "bands[" + std::to_string(b) + "]";
      const json& o = object((*it)[b], at);
      only_keys(o, at, {"name", "min", "max"});
      bands.push_back({string(required(o, at, "name"), join(at, "name")), integer(required(o, at, "min"), join(at, "min")),
                       integer(required(o, at, "max"), join(at, "max"))});
    }
  }
  const bool has_groups = j.contains("groups"), has_measures = j.contains("measures");
  if (has_groups == has_measures) fail("groups", "give either \"groups\" or (for one group) \"measures\", not both or neither");
  std::vector<MeasureGroup> groups;
  if (has_measures) {
    groups.push_back({"all", 1.0, measures_from(j["measures"], "measures")});
  } else {
    const json& gs = array(j["groups"], "groups");
    for (std::size_t g = 0; g < gs.size(); ++g) {
      const std::string at = "groups[" + std::to_string(g) + "]";
      object(gs[g], at);
      only_keys(gs[g], at, {"name", "weight", "measures"});
      groups.push_back({string(required(gs[g], at, "name"), join(at, "name")), optional_number(gs[g], at, "weight", 1.0),
                        measures_from(required(gs[g], at, "measures"), join(at, "measures"))});
    }
  }
  if (!has_measures) return Scorecard(std::move(groups), std::move(bands), min_coverage, name);
  try {
    return Scorecard(std::move(groups), std::move(bands), min_coverage, name);
  } catch (const InputError& e) {
    // The flat form's measures live in group 0: name the field as the user wrote it.
    InputLocation at = e.location();
    const std::string prefix = "groups[0].measures";
    if (at.column.rfind(prefix, 0) == 0) at.column = "measures" + at.column.substr(prefix.size());
    throw InputError(e.reason(), at);
  }
}

Scorecard Scorecard::from_json_text(std::string_view text) {
  cxkit::detail::check_json_depth(text, "Scorecard");  // nlohmann's parser recurses: bound the depth first
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // syntax errors, and numbers out of range (1e99999)
    throw InputError(std::string("invalid JSON: ") + e.what(), {"Scorecard", -1, "", ""});
  }
  return from_json(j);
}

json Scorecard::to_json() const {
  json j;
  j["name"] = name_;
  j["min_coverage"] = min_coverage_;
  j["bands"] = json::array();
  for (const auto& b : bands_) j["bands"].push_back({{"name", b.name}, {"min", b.min}, {"max", b.max}});
  j["groups"] = json::array();
  for (const auto& g : groups_) {
    json jg{{"name", g.name}, {"weight", g.weight}, {"measures", json::array()}};
    for (const auto& m : g.measures) {
      json jm{{"name", m.name}, {"weight", m.weight}, {"scheme", scheme_to(m.scheme)}};
      if (!m.feature.empty()) jm["feature"] = m.feature;
      if (!m.description.empty()) jm["description"] = m.description;
      jg["measures"].push_back(std::move(jm));
    }
    j["groups"].push_back(std::move(jg));
  }
  return j;
}

}  // namespace cxkit::churn
