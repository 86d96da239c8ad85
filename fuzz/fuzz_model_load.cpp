// libFuzzer target for the churn model-file reader (cxkit/churn/model_file.hpp).
//
// Any input must end in a model or a cxkit::InputError. An accepted model must survive its own
// round trip bit for bit (read(write(m)) == m) and score a few rows without crashing: the
// reader's validation is what makes scoring safe, so a file it accepts that then reads out of
// bounds, or scores to an error other than InputError, is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "cxkit/churn/model_file.hpp"
#include "cxkit/core/error.hpp"

namespace {

using cxkit::churn::Codes;
using cxkit::churn::CoxModel;
using cxkit::churn::LogisticModel;
using cxkit::churn::Matrix;
using cxkit::churn::Vector;

// Rows at, between and beyond typical values; the times straddle any baseline.
Matrix rows_for(Eigen::Index p) {
  Matrix X(3, p);
  for (Eigen::Index j = 0; j < p; ++j) {
    X(0, j) = 0.0;
    X(1, j) = 1.5 * static_cast<double>(j + 1);
    X(2, j) = -1e3;
  }
  return X;
}

void score(const LogisticModel& m) {
  const Matrix X = rows_for(m.coef.size());
  (void)m.predict_proba(X);
  (void)m.predict(X);
}

void score(const CoxModel& m) {
  const Matrix X = rows_for(m.params.size());
  const Vector times{{-1.0, m.baseline_times[0], 0.5 * (m.baseline_times[0] + m.baseline_times[m.baseline_times.size() - 1]), 1e300}};
  Codes codes;
  if (!m.strata_columns.empty()) codes = Codes::Constant(3, m.n_strata() - 1);
  try {  // overflow to inf/NaN in exp() is arithmetic, not a crash; only typed errors may leave
    (void)m.predict_survival_function(X, times, codes);
    (void)m.predict_event_probability(X, times.head(3), codes);
    (void)m.confidence_intervals();
    (void)m.p_values();
  } catch (const cxkit::InputError&) {
    // X is finite, so only non-finite partial hazards may be refused downstream; never a crash
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cxkit::churn::ModelFile model;
  try {
    model = cxkit::churn::read_model_file(text);
  } catch (const cxkit::InputError&) {
    return 0;  // the defined outcome for a bad file
  }
  const cxkit::churn::ModelFile again = cxkit::churn::read_model_file(cxkit::churn::write_model_file(model));
  if (!(again == model)) __builtin_trap();
  std::visit([](const auto& m) { score(m); }, model);
  return 0;
}
