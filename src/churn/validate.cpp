#include "validate.hpp"

#include <cmath>
#include <cstdio>

#include "cxkit/core/error.hpp"

namespace cxkit::churn::detail {

std::string format_value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

namespace {
[[noreturn]] void fail(const char* what, const char* name, Eigen::Index row, double value,
                       const std::string& column = {}) {
  InputLocation at;
  at.source = name;
  at.line = static_cast<std::int64_t>(row);
  at.line_label = "row";
  at.column = column;
  at.value = format_value(value);
  throw InputError(std::string(name) + ": " + what, at);
}
}  // namespace

void check_finite(const VectorRef& v, const char* name) {
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) fail("values must be finite (no NaN or infinity)", name, i, v[i]);
  }
}

void check_finite(const MatrixRef& m, const char* name) {
  // Fast path: a single reduction; only on failure look for where.
  if (m.allFinite()) return;
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      if (!std::isfinite(m(i, j))) {
        fail("values must be finite (no NaN or infinity)", name, i, m(i, j), std::to_string(j));
      }
    }
  }
}

void check_binary(const VectorRef& v, const char* name) {
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (v[i] != 0.0 && v[i] != 1.0) fail("values must be 0 or 1", name, i, v[i]);
  }
}

void check_positive(const VectorRef& v, const char* name) {
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!(std::isfinite(v[i]) && v[i] > 0.0)) fail("values must be finite and > 0", name, i, v[i]);
  }
}

void check_probability(const VectorRef& v, const char* name) {
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!(v[i] >= 0.0 && v[i] <= 1.0)) fail("values must be probabilities in [0, 1]", name, i, v[i]);
  }
}

void check_same_length(Eigen::Index a, Eigen::Index b, const char* name_a, const char* name_b) {
  if (a != b) {
    throw InputError(std::string(name_a) + " has " + std::to_string(a) + " entries but " + name_b +
                     " has " + std::to_string(b));
  }
}

}  // namespace cxkit::churn::detail
