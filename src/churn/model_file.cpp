// Model file <-> JSON. Every error is an InputError with source "model file" and the key path
// as column; nlohmann's exceptions are caught at the two entry points so none escapes.
#include "cxkit/churn/model_file.hpp"

#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "cxkit/core/error.hpp"

#include "../core/json_fields.hpp"

namespace cxkit::churn {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "cxkit.model";
constexpr std::string_view kLogistic = "logistic_regression";
constexpr std::string_view kCox = "cox_ph";

const cxkit::detail::JsonFields kFields{"model file"};

[[noreturn]] void fail(const std::string& path, const std::string& reason, const std::string& value = {}) {
  kFields.fail(path, reason, value);
}
std::string shown(const json& v) { return cxkit::detail::JsonFields::shown(v); }
std::string join(const std::string& path, std::string_view key) { return cxkit::detail::JsonFields::join(path, key); }
std::string index(const std::string& path, std::size_t i) { return cxkit::detail::JsonFields::index(path, i); }

const json& required(const json& o, const std::string& path, const char* key) {
  const auto it = o.find(key);
  if (it == o.end()) fail(join(path, key), "required field is missing");
  return *it;
}

const json* optional(const json& o, const char* key) {
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

// ---- numbers: finite ones as JSON numbers; NaN and +-infinity, where a field allows them, as
//      the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them) ----

json number_json(double v) {
  if (std::isfinite(v)) return v;
  if (std::isnan(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

double finite(const json& v, const std::string& path) {
  if (v.is_string()) fail(path, "expected a number (NaN and infinities are not allowed here)", shown(v));
  const double d = kFields.number(v, path);
  // nlohmann reads an integer beyond 64 bits as a double; anything non-finite is refused
  if (!std::isfinite(d)) fail(path, "must be a finite number", shown(v));
  return d;
}

double any_number(const json& v, const std::string& path) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    fail(path, "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"", s);
  }
  return kFields.number(v, path);
}

int integer(const json& v, const std::string& path) {
  if (v.is_number_unsigned()) {
    if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      fail(path, "integer out of range", shown(v));
    }
    return static_cast<int>(v.get<std::uint64_t>());
  }
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max()) {
      fail(path, "integer out of range", shown(v));
    }
    return static_cast<int>(i);
  }
  fail(path, "expected an integer", shown(v));
}

Vector finite_vector(const json& v, const std::string& path) {
  kFields.array(v, path);
  Vector out(static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) out[static_cast<Eigen::Index>(i)] = finite(v[i], index(path, i));
  return out;
}

Vector any_vector(const json& v, const std::string& path) {
  kFields.array(v, path);
  Vector out(static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) out[static_cast<Eigen::Index>(i)] = any_number(v[i], index(path, i));
  return out;
}

json vector_json(const Vector& v) {
  json out = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) out.push_back(number_json(v[i]));
  return out;
}

// ---- names and labels ----

/// null or [] = no names; else one string per coefficient (the model's validate() checks the count).
std::vector<std::string> names(const json& v, const std::string& path) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  kFields.array(v, path);
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(kFields.string(v[i], index(path, i)));
  return out;
}

json names_json(const std::vector<std::string>& v) { return v.empty() ? json(nullptr) : json(v); }

Label label(const json& v, const std::string& path) {
  if (v.is_string() || v.is_boolean() || v.is_number_integer()) return v;
  if (v.is_number_float()) return Label(finite(v, path));
  fail(path, "a label must be a string, an integer, a finite number or a boolean", shown(v));
}

std::vector<Label> labels(const json& v, const std::string& path) {
  kFields.array(v, path);
  std::vector<Label> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(label(v[i], index(path, i)));
  return out;
}

// ---- logistic regression ----

LogisticSolver solver(const json& v, const std::string& path) {
  const std::string s = kFields.string(v, path);
  if (s == "auto") return LogisticSolver::automatic;
  if (s == "newton") return LogisticSolver::newton;
  if (s == "lbfgs") return LogisticSolver::lbfgs;
  fail(path, "expected \"auto\", \"newton\" or \"lbfgs\"", s);
}

const char* solver_name(LogisticSolver s) {
  switch (s) {
    case LogisticSolver::newton: return "newton";
    case LogisticSolver::lbfgs: return "lbfgs";
    case LogisticSolver::automatic: break;
  }
  return "auto";
}

LogisticSettings logistic_settings(const json& v, const std::string& path) {
  kFields.object(v, path);
  kFields.only_keys(v, path, {"C", "fit_intercept", "class_weight", "tol", "max_iter", "solver"});
  LogisticSettings s;
  if (const json* x = optional(v, "C")) s.C = any_number(*x, join(path, "C"));
  if (const json* x = optional(v, "fit_intercept")) s.fit_intercept = kFields.boolean(*x, join(path, "fit_intercept"));
  if (const json* x = optional(v, "class_weight")) {
    const std::string p = join(path, "class_weight");
    if (x->is_null()) {
      s.class_weight = LogisticSettings::Weighting::none;
    } else if (x->is_string()) {
      if (x->get_ref<const std::string&>() != "balanced") fail(p, "expected null, \"balanced\" or [[label, weight], ...]", shown(*x));
      s.class_weight = LogisticSettings::Weighting::balanced;
    } else {
      kFields.array(*x, p);
      s.class_weight = LogisticSettings::Weighting::given;
      for (std::size_t i = 0; i < x->size(); ++i) {
        const std::string pi = index(p, i);
        const json& pair = kFields.array((*x)[i], pi);
        if (pair.size() != 2) fail(pi, "expected [label, weight]", shown(pair));
        s.class_weights.emplace_back(label(pair[0], index(pi, 0)), finite(pair[1], index(pi, 1)));
      }
    }
  }
  if (const json* x = optional(v, "tol")) s.tol = finite(*x, join(path, "tol"));
  if (const json* x = optional(v, "max_iter")) s.max_iter = integer(*x, join(path, "max_iter"));
  if (const json* x = optional(v, "solver")) s.solver = solver(*x, join(path, "solver"));
  return s;
}

LogisticModel logistic(const json& j) {
  kFields.only_keys(j, "", {"format", "version", "kind", "features", "coef", "intercept", "classes", "feature_means",
                            "settings", "fit"});
  LogisticModel m;
  m.features = names(required(j, "", "features"), "features");
  m.coef = finite_vector(required(j, "", "coef"), "coef");
  m.intercept = finite(required(j, "", "intercept"), "intercept");
  const std::vector<Label> classes = labels(required(j, "", "classes"), "classes");
  if (classes.size() != 2) fail("classes", "expected exactly 2 class labels, got " + std::to_string(classes.size()));
  m.classes = {classes[0], classes[1]};
  m.feature_means = finite_vector(required(j, "", "feature_means"), "feature_means");
  if (const json* s = optional(j, "settings")) m.settings = logistic_settings(*s, "settings");
  if (const json* f = optional(j, "fit")) {
    kFields.object(*f, "fit");
    kFields.only_keys(*f, "fit", {"n_iter", "converged", "objective"});
    if (const json* x = optional(*f, "n_iter")) m.n_iter = integer(*x, "fit.n_iter");
    if (const json* x = optional(*f, "converged")) m.converged = kFields.boolean(*x, "fit.converged");
    if (const json* x = optional(*f, "objective")) m.objective = any_number(*x, "fit.objective");
  }
  m.validate();
  return m;
}

// ---- Cox proportional hazards ----

CoxOptions cox_settings(const json& v, const std::string& path) {
  kFields.object(v, path);
  kFields.only_keys(v, path, {"penalizer", "alpha", "max_iter", "tol"});
  CoxOptions o;
  if (const json* x = optional(v, "penalizer")) o.penalizer = finite(*x, join(path, "penalizer"));
  if (const json* x = optional(v, "alpha")) o.alpha = finite(*x, join(path, "alpha"));
  if (const json* x = optional(v, "max_iter")) o.max_iter = integer(*x, join(path, "max_iter"));
  if (const json* x = optional(v, "tol")) o.tol = finite(*x, join(path, "tol"));
  return o;
}

CoxModel cox(const json& j) {
  kFields.only_keys(j, "", {"format", "version", "kind", "covariates", "params", "standard_errors", "means",
                            "baseline", "strata", "settings", "fit"});
  CoxModel m;
  m.covariates = names(required(j, "", "covariates"), "covariates");
  m.params = finite_vector(required(j, "", "params"), "params");
  m.standard_errors = any_vector(required(j, "", "standard_errors"), "standard_errors");
  m.means = finite_vector(required(j, "", "means"), "means");

  const json& base = kFields.object(required(j, "", "baseline"), "baseline");
  kFields.only_keys(base, "baseline", {"times", "cumulative_hazard"});
  m.baseline_times = finite_vector(required(base, "baseline", "times"), "baseline.times");
  const json& H = kFields.array(required(base, "baseline", "cumulative_hazard"), "baseline.cumulative_hazard");
  const auto T = m.baseline_times.size();
  m.baseline_cumulative_hazard.resize(T, static_cast<Eigen::Index>(H.size()));
  for (std::size_t k = 0; k < H.size(); ++k) {
    const std::string p = index("baseline.cumulative_hazard", k);
    const Vector column = finite_vector(H[k], p);
    if (column.size() != T) {
      fail(p, "has " + std::to_string(column.size()) + " entries, expected " + std::to_string(T) + " (one per time)");
    }
    m.baseline_cumulative_hazard.col(static_cast<Eigen::Index>(k)) = column;
  }

  const json& strata = required(j, "", "strata");
  if (!strata.is_null()) {
    kFields.object(strata, "strata");
    kFields.only_keys(strata, "strata", {"columns", "levels"});
    const json& columns = kFields.array(required(strata, "strata", "columns"), "strata.columns");
    if (columns.empty()) fail("strata.columns", "a stratified model needs at least one column (else \"strata\": null)");
    for (std::size_t c = 0; c < columns.size(); ++c) {
      m.strata_columns.push_back(kFields.string(columns[c], index("strata.columns", c)));
    }
    const json& levels = kFields.array(required(strata, "strata", "levels"), "strata.levels");
    for (std::size_t k = 0; k < levels.size(); ++k) m.strata_levels.push_back(labels(levels[k], index("strata.levels", k)));
  }
  if (const json* s = optional(j, "settings")) m.settings = cox_settings(*s, "settings");
  if (const json* f = optional(j, "fit")) {
    kFields.object(*f, "fit");
    kFields.only_keys(*f, "fit", {"n_iter", "converged", "log_likelihood", "log_likelihood_null", "concordance_index"});
    if (const json* x = optional(*f, "n_iter")) m.n_iter = integer(*x, "fit.n_iter");
    if (const json* x = optional(*f, "converged")) m.converged = kFields.boolean(*x, "fit.converged");
    if (const json* x = optional(*f, "log_likelihood")) m.log_likelihood = any_number(*x, "fit.log_likelihood");
    if (const json* x = optional(*f, "log_likelihood_null")) {
      m.log_likelihood_null = any_number(*x, "fit.log_likelihood_null");
    }
    if (const json* x = optional(*f, "concordance_index")) m.concordance_index = any_number(*x, "fit.concordance_index");
  }
  m.validate();
  return m;
}

json header(std::string_view kind) {
  json j = json::object();
  j["format"] = kFormat;
  j["version"] = kModelFileVersion;
  j["kind"] = kind;
  return j;
}

}  // namespace

ModelFile model_file_from_json(const nlohmann::json& j) {
  try {
    kFields.object(j, "<root>");
    // format and version first: a newer file may have keys this reader does not know
    const json& format = required(j, "", "format");
    if (!format.is_string() || format.get_ref<const std::string&>() != kFormat) {
      fail("format", "not a cxkit model file (expected \"format\": \"cxkit.model\")", shown(format));
    }
    const json& version = required(j, "", "version");
    // (a non-negative integer in JSON text parses as unsigned, a negative one as signed)
    if (!version.is_number_integer() || (!version.is_number_unsigned() && version.get<std::int64_t>() < 1) ||
        (version.is_number_unsigned() && version.get<std::uint64_t>() == 0)) {
      fail("version", "expected a positive integer", shown(version));
    }
    if (version.get<std::uint64_t>() > static_cast<std::uint64_t>(kModelFileVersion)) {
      fail("version", "model file version " + shown(version) + " is newer than this cxkit reads (" +
                          std::to_string(kModelFileVersion) + "); upgrade cxkit");
    }
    const std::string kind = kFields.string(required(j, "", "kind"), "kind");
    if (kind == kLogistic) return logistic(j);
    if (kind == kCox) return cox(j);
    fail("kind", "expected \"logistic_regression\" or \"cox_ph\"", kind);
  } catch (const nlohmann::json::exception& e) {  // a bug guard: every access above is checked first
    throw InputError(std::string("unreadable model file: ") + e.what(), {"model file", -1, "", ""});
  }
}

ModelFile read_model_file(std::string_view text) {
  return model_file_from_json(cxkit::detail::parse_json_text(text, "model file"));
}

nlohmann::json model_file_to_json(const LogisticModel& m) {
  m.validate();
  json j = header(kLogistic);
  j["features"] = names_json(m.features);
  j["coef"] = vector_json(m.coef);
  j["intercept"] = number_json(m.intercept);
  j["classes"] = m.classes;
  j["feature_means"] = vector_json(m.feature_means);
  json s = json::object();
  s["C"] = number_json(m.settings.C);
  s["fit_intercept"] = m.settings.fit_intercept;
  switch (m.settings.class_weight) {
    case LogisticSettings::Weighting::none: s["class_weight"] = nullptr; break;
    case LogisticSettings::Weighting::balanced: s["class_weight"] = "balanced"; break;
    case LogisticSettings::Weighting::given: {
      json w = json::array();
      for (const auto& [l, weight] : m.settings.class_weights) w.push_back(json::array({l, number_json(weight)}));
      s["class_weight"] = std::move(w);
      break;
    }
  }
  s["tol"] = number_json(m.settings.tol);
  s["max_iter"] = m.settings.max_iter;
  s["solver"] = solver_name(m.settings.solver);
  j["settings"] = std::move(s);
  j["fit"] = {{"n_iter", m.n_iter}, {"converged", m.converged}, {"objective", number_json(m.objective)}};
  return j;
}

nlohmann::json model_file_to_json(const CoxModel& m) {
  m.validate();
  json j = header(kCox);
  j["covariates"] = names_json(m.covariates);
  j["params"] = vector_json(m.params);
  j["standard_errors"] = vector_json(m.standard_errors);
  j["means"] = vector_json(m.means);
  json H = json::array();
  for (Eigen::Index k = 0; k < m.baseline_cumulative_hazard.cols(); ++k) {
    H.push_back(vector_json(m.baseline_cumulative_hazard.col(k)));
  }
  j["baseline"] = {{"times", vector_json(m.baseline_times)}, {"cumulative_hazard", std::move(H)}};
  if (m.strata_columns.empty()) {
    j["strata"] = nullptr;
  } else {
    json levels = json::array();
    for (const auto& level : m.strata_levels) levels.push_back(level);
    j["strata"] = {{"columns", m.strata_columns}, {"levels", std::move(levels)}};
  }
  j["settings"] = {{"penalizer", number_json(m.settings.penalizer)},
                   {"alpha", number_json(m.settings.alpha)},
                   {"max_iter", m.settings.max_iter},
                   {"tol", number_json(m.settings.tol)}};
  j["fit"] = {{"n_iter", m.n_iter},
              {"converged", m.converged},
              {"log_likelihood", number_json(m.log_likelihood)},
              {"log_likelihood_null", number_json(m.log_likelihood_null)},
              {"concordance_index", number_json(m.concordance_index)}};
  return j;
}

nlohmann::json model_file_to_json(const ModelFile& model) {
  return std::visit([](const auto& m) { return model_file_to_json(m); }, model);
}

std::string write_model_file(const ModelFile& model, int indent) {
  const json j = model_file_to_json(model);
  try {
    return j.dump(indent);
  } catch (const json::exception&) {  // dump() refuses strings that are not UTF-8
    throw InputError("a name or label is not valid UTF-8; a model file cannot hold it", {"model file", -1, "", ""});
  }
}

}  // namespace cxkit::churn
