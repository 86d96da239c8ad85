// Input checks shared by the churn models and metrics. Each throws cxkit::InputError whose
// location names the argument (source), the 0-based row and the offending value.
#pragma once

#include <string>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn::detail {

/// Every entry finite (no NaN, no +-inf).
void check_finite(const VectorRef& v, const char* name);
/// Every entry of every column finite; the message names row and column.
void check_finite(const MatrixRef& m, const char* name);
/// Every entry exactly 0 or 1.
void check_binary(const VectorRef& v, const char* name);
/// Every entry finite and > 0 (sample weights).
void check_positive(const VectorRef& v, const char* name);
/// Every entry in [0, 1] (and not NaN).
void check_probability(const VectorRef& v, const char* name);
/// a and b have the same length.
void check_same_length(Eigen::Index a, Eigen::Index b, const char* name_a, const char* name_b);
/// Text of a double for messages.
std::string format_value(double v);

}  // namespace cxkit::churn::detail
