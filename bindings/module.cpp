// The extension module cxkit._core. Each register_*.cpp binds one area.
#include "register.hpp"

#include "cxkit/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "cxkit C++ core (use the cxkit package, not this module, directly)";
  m.attr("__version__") = cxkit::version;
  cxkit_bind::register_errors(m);
  cxkit_bind::register_event_log(m);
  cxkit_bind::register_table(m);
  cxkit_bind::register_calendar(m);
  cxkit_bind::register_io(m);
  cxkit_bind::register_simulate(m);
  cxkit_bind::register_journey(m);
  cxkit_bind::register_journey_plans(m);
  cxkit_bind::register_churn(m);
  cxkit_bind::register_churn_features(m);
  cxkit_bind::register_churn_scorecard(m);
  cxkit_bind::register_moments(m);
  cxkit_bind::register_moments_notify(m);
  cxkit_bind::register_feedback(m);
  cxkit_bind::register_feedback_themes(m);
}
