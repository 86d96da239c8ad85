// The portable churn model file: versioned JSON that a notebook writes and a C++ product
// scores from (docs/churn_models.md, "Model files", has the schema).
//
//   std::string text = write_model_file(LogisticModel::from_fit(fit, names, means));
//   ModelFile file = read_model_file(text);
//   if (const auto* m = std::get_if<LogisticModel>(&file)) scores = m->predict_proba(X);
//
//   {"format": "cxkit.model", "version": 1, "kind": "logistic_regression" | "cox_ph", ...}
//
// Numbers round-trip bit-exactly: doubles are written in their shortest round-trip form and
// read back correctly rounded; JSON has no NaN or infinity, so the few fields that may hold one
// (settings.C, standard errors, fit diagnostics) take the strings "NaN", "Infinity" and
// "-Infinity", and every other number must be finite. Reading is strict: unknown keys, wrong
// types, length mismatches, non-finite coefficients, a wrong "format" or a "version" newer
// than kModelFileVersion are InputErrors whose location names the key path, e.g.
//   model file, column 'baseline.cumulative_hazard[1][3]', value 'x': expected a number
// Nothing else escapes: JSON syntax errors and nlohmann's own exceptions become InputErrors.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "cxkit/churn/saved_model.hpp"

namespace cxkit::churn {

/// The newest model file version this cxkit reads and the one it writes. A reader refuses a
/// newer file (its meaning may have changed) and reads every older one.
inline constexpr int kModelFileVersion = 1;

/// What a model file holds: one of the scoring models.
using ModelFile = std::variant<LogisticModel, CoxModel>;

/// Reads a model file. Throws InputError (never anything else) for bad JSON, a file of
/// another format or of a newer version, or content that fails the model's validate().
/// O(size of the text).
ModelFile read_model_file(std::string_view text);
/// The same from parsed JSON (the text form wraps this).
ModelFile model_file_from_json(const nlohmann::json& j);

/// The file's JSON: validate()s first (throws InputError for a model it could not read back).
nlohmann::json model_file_to_json(const LogisticModel& model);
nlohmann::json model_file_to_json(const CoxModel& model);
nlohmann::json model_file_to_json(const ModelFile& model);

/// The file's text: compact with indent < 0, else pretty-printed with that many spaces.
/// read_model_file(write_model_file(m)) == m, bit for bit.
std::string write_model_file(const ModelFile& model, int indent = -1);

}  // namespace cxkit::churn
