// Declarations shared by the binding files. bindings/ holds conversion only, no logic.
#pragma once

#include <pybind11/pybind11.h>

namespace cxkit_bind {
namespace py = pybind11;

void register_errors(py::module_& m);
void register_event_log(py::module_& m);
void register_table(py::module_& m);
void register_calendar(py::module_& m);
void register_io(py::module_& m);
void register_simulate(py::module_& m);
void register_journey(py::module_& m);
void register_journey_plans(py::module_& m);
void register_churn(py::module_& m);
void register_churn_features(py::module_& m);
void register_churn_scorecard(py::module_& m);
void register_moments(py::module_& m);
void register_moments_notify(py::module_& m);
void register_feedback(py::module_& m);
void register_feedback_themes(py::module_& m);
}  // namespace cxkit_bind
