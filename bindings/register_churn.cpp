// cxkit::churn models and metrics: numpy arrays in (Eigen::Ref, no copy when the dtype and
// layout fit), numpy arrays out. The GIL is released while fitting.
#include <pybind11/eigen.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/explain.hpp"
#include "cxkit/churn/kaplan_meier.hpp"
#include "cxkit/churn/logistic.hpp"
#include "cxkit/churn/metrics.hpp"
#include "cxkit/churn/model_file.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace ch = cxkit::churn;
using Mat = Eigen::Ref<const Eigen::MatrixXd>;
// Any strided float64 array (C- or F-order, a pandas block) binds without a copy.
using StridedMat = ch::StridedMatrixRef;
using Vec = Eigen::Ref<const Eigen::VectorXd>;
using Codes = Eigen::Ref<const ch::Codes>;

ch::LogisticOptions logistic_options(double C, bool fit_intercept, const std::string& class_weight, double w0,
                                     double w1, double tol, int max_iter, const std::string& solver) {
  ch::LogisticOptions o;
  o.C = C;
  o.fit_intercept = fit_intercept;
  if (class_weight == "none") o.class_weight = ch::ClassWeight::none();
  else if (class_weight == "balanced") o.class_weight = ch::ClassWeight::balanced();
  else if (class_weight == "given") o.class_weight = ch::ClassWeight::given(w0, w1);
  else throw py::value_error("class_weight must be None, 'balanced' or a dict {0: w0, 1: w1}");
  o.tol = tol;
  o.max_iter = max_iter;
  if (solver == "auto") o.solver = ch::LogisticSolver::automatic;
  else if (solver == "newton") o.solver = ch::LogisticSolver::newton;
  else if (solver == "lbfgs") o.solver = ch::LogisticSolver::lbfgs;
  else throw py::value_error("solver must be 'auto', 'newton' or 'lbfgs', not '" + solver + "'");
  return o;
}

// Class labels and stratum levels: Python str/bool/int/float <-> the model file's JSON scalars.
ch::Label to_label(const py::handle& o) {
  if (py::isinstance<py::bool_>(o)) return o.cast<bool>();  // before int: bool is an int in Python
  if (py::isinstance<py::int_>(o)) {
    try {
      return o.cast<std::int64_t>();
    } catch (const py::cast_error&) {
      throw py::value_error("a label integer must fit in 64 bits: " + py::str(o).cast<std::string>());
    }
  }
  if (py::isinstance<py::float_>(o)) return o.cast<double>();
  if (py::isinstance<py::str>(o)) return o.cast<std::string>();
  throw py::type_error("a model file label must be str, int, float or bool, not " +
                       py::str(py::type::of(o).attr("__name__")).cast<std::string>());
}

py::object from_label(const ch::Label& l) {
  if (l.is_boolean()) return py::bool_(l.get<bool>());
  if (l.is_number_unsigned()) return py::int_(l.get<std::uint64_t>());
  if (l.is_number_integer()) return py::int_(l.get<std::int64_t>());
  if (l.is_number_float()) return py::float_(l.get<double>());
  return py::str(l.get<std::string>());
}

std::vector<ch::Label> to_labels(const py::sequence& s) {
  std::vector<ch::Label> out;
  for (const auto& o : s) out.push_back(to_label(o));
  return out;
}

py::list from_labels(const std::vector<ch::Label>& v) {
  py::list out;
  for (const auto& l : v) out.append(from_label(l));
  return out;
}

ch::LogisticSolver solver_from(const std::string& solver) {
  if (solver == "auto") return ch::LogisticSolver::automatic;
  if (solver == "newton") return ch::LogisticSolver::newton;
  if (solver == "lbfgs") return ch::LogisticSolver::lbfgs;
  throw py::value_error("solver must be 'auto', 'newton' or 'lbfgs', not '" + solver + "'");
}

const char* solver_name(ch::LogisticSolver s) {
  return s == ch::LogisticSolver::newton ? "newton" : (s == ch::LogisticSolver::lbfgs ? "lbfgs" : "auto");
}

/// class_weight as scikit-learn spells it: None, "balanced" or a list of (label, weight).
void set_class_weight(ch::LogisticSettings& s, const py::object& cw) {
  if (cw.is_none()) {
    s.class_weight = ch::LogisticSettings::Weighting::none;
  } else if (py::isinstance<py::str>(cw)) {
    if (cw.cast<std::string>() != "balanced") throw py::value_error("class_weight must be None, 'balanced' or pairs");
    s.class_weight = ch::LogisticSettings::Weighting::balanced;
  } else {
    s.class_weight = ch::LogisticSettings::Weighting::given;
    for (const auto& pair : cw.cast<py::sequence>()) {
      const auto p = pair.cast<py::sequence>();
      if (p.size() != 2) throw py::value_error("class_weight pairs must be (label, weight)");
      s.class_weights.emplace_back(to_label(p[0]), p[1].cast<double>());
    }
  }
}

py::object class_weight_of(const ch::LogisticSettings& s) {
  if (s.class_weight == ch::LogisticSettings::Weighting::none) return py::none();
  if (s.class_weight == ch::LogisticSettings::Weighting::balanced) return py::str("balanced");
  py::list out;
  for (const auto& [l, w] : s.class_weights) out.append(py::make_tuple(from_label(l), w));
  return std::move(out);
}

void register_model_files(py::module_& m) {
  py::class_<ch::LogisticModel>(m, "LogisticModel", "A saved logistic regression that scores (model file).")
      .def(py::init([](std::vector<std::string> features, ch::Vector coef, double intercept, const py::sequence& classes,
                       ch::Vector feature_means, double C, bool fit_intercept, const py::object& class_weight,
                       double tol, int max_iter, const std::string& solver, int n_iter, bool converged,
                       double objective) {
             ch::LogisticModel lm;
             lm.features = std::move(features);
             lm.coef = std::move(coef);
             lm.intercept = intercept;
             const auto labels = to_labels(classes);
             if (labels.size() != 2) throw py::value_error("a logistic model has exactly 2 classes");
             lm.classes = {labels[0], labels[1]};
             lm.feature_means = std::move(feature_means);
             lm.settings.C = C;
             lm.settings.fit_intercept = fit_intercept;
             set_class_weight(lm.settings, class_weight);
             lm.settings.tol = tol;
             lm.settings.max_iter = max_iter;
             lm.settings.solver = solver_from(solver);
             lm.n_iter = n_iter;
             lm.converged = converged;
             lm.objective = objective;
             lm.validate();
             return lm;
           }),
           py::arg("features"), py::arg("coef"), py::arg("intercept"), py::arg("classes"), py::arg("feature_means"),
           py::arg("C"), py::arg("fit_intercept"), py::arg("class_weight"), py::arg("tol"), py::arg("max_iter"),
           py::arg("solver"), py::arg("n_iter"), py::arg("converged"), py::arg("objective"))
      .def_readonly("features", &ch::LogisticModel::features)
      .def_readonly("coef", &ch::LogisticModel::coef)
      .def_readonly("intercept", &ch::LogisticModel::intercept)
      .def_property_readonly("classes",
                             [](const ch::LogisticModel& lm) {
                               return from_labels(std::vector<ch::Label>(lm.classes.begin(), lm.classes.end()));
                             })
      .def_readonly("feature_means", &ch::LogisticModel::feature_means)
      .def_property_readonly("C", [](const ch::LogisticModel& lm) { return lm.settings.C; })
      .def_property_readonly("fit_intercept", [](const ch::LogisticModel& lm) { return lm.settings.fit_intercept; })
      .def_property_readonly("class_weight", [](const ch::LogisticModel& lm) { return class_weight_of(lm.settings); })
      .def_property_readonly("tol", [](const ch::LogisticModel& lm) { return lm.settings.tol; })
      .def_property_readonly("max_iter", [](const ch::LogisticModel& lm) { return lm.settings.max_iter; })
      .def_property_readonly("solver", [](const ch::LogisticModel& lm) { return solver_name(lm.settings.solver); })
      .def_readonly("n_iter", &ch::LogisticModel::n_iter)
      .def_readonly("converged", &ch::LogisticModel::converged)
      .def_readonly("objective", &ch::LogisticModel::objective)
      .def("decision_function", &ch::LogisticModel::decision_function, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def("predict_proba", &ch::LogisticModel::predict_proba, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def("predict", &ch::LogisticModel::predict, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def(
          "to_json", [](const ch::LogisticModel& lm, int indent) { return ch::write_model_file(lm, indent); },
          py::arg("indent") = -1);

  py::class_<ch::CoxModel>(m, "CoxModel", "A saved Cox model that scores (model file).")
      .def_static(
          "from_fit",
          [](const ch::CoxPH& fit, std::vector<std::string> covariates, std::vector<std::string> strata_columns,
             const std::vector<py::sequence>& levels) {
            std::vector<std::vector<ch::Label>> lv;
            for (const auto& level : levels) lv.push_back(to_labels(level));
            return ch::CoxModel::from_fit(fit, std::move(covariates), std::move(strata_columns), std::move(lv));
          },
          py::arg("fit"), py::arg("covariates"), py::arg("strata_columns"), py::arg("strata_levels"))
      .def_readonly("covariates", &ch::CoxModel::covariates)
      .def_readonly("params", &ch::CoxModel::params)
      .def_readonly("standard_errors", &ch::CoxModel::standard_errors)
      .def_readonly("means", &ch::CoxModel::means)
      .def_readonly("baseline_times", &ch::CoxModel::baseline_times)
      .def_readonly("baseline_cumulative_hazard", &ch::CoxModel::baseline_cumulative_hazard)
      .def_readonly("strata_columns", &ch::CoxModel::strata_columns)
      .def_property_readonly("strata_levels",
                             [](const ch::CoxModel& cm) {
                               py::list out;
                               for (const auto& level : cm.strata_levels) out.append(py::tuple(from_labels(level)));
                               return out;
                             })
      .def_property_readonly("penalizer", [](const ch::CoxModel& cm) { return cm.settings.penalizer; })
      .def_property_readonly("alpha", [](const ch::CoxModel& cm) { return cm.settings.alpha; })
      .def_property_readonly("max_iter", [](const ch::CoxModel& cm) { return cm.settings.max_iter; })
      .def_property_readonly("tol", [](const ch::CoxModel& cm) { return cm.settings.tol; })
      .def_readonly("n_iter", &ch::CoxModel::n_iter)
      .def_readonly("converged", &ch::CoxModel::converged)
      .def_readonly("log_likelihood", &ch::CoxModel::log_likelihood)
      .def_readonly("log_likelihood_null", &ch::CoxModel::log_likelihood_null)
      // a method, as on the fitted _core.CoxPH: the value stored when the file was written
      .def("concordance_index", [](const ch::CoxModel& cm) { return cm.concordance_index; })
      .def("baseline_survival", &ch::CoxModel::baseline_survival, py::call_guard<py::gil_scoped_release>())
      .def("confidence_intervals", &ch::CoxModel::confidence_intervals)
      .def("z_scores", &ch::CoxModel::z_scores)
      .def("p_values", &ch::CoxModel::p_values)
      .def("predict_partial_hazard", &ch::CoxModel::predict_partial_hazard, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def("predict_log_partial_hazard", &ch::CoxModel::predict_log_partial_hazard, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def(
          "predict_survival_function",
          [](const ch::CoxModel& cm, const Mat& X, const Vec& times, std::optional<Codes> strata) {
            return strata ? cm.predict_survival_function(X, times, *strata) : cm.predict_survival_function(X, times);
          },
          py::arg("X"), py::arg("times"), py::arg("strata") = py::none(), py::call_guard<py::gil_scoped_release>())
      .def(
          "predict_event_probability",
          [](const ch::CoxModel& cm, const Mat& X, const Vec& times, std::optional<Codes> strata) {
            return strata ? cm.predict_event_probability(X, times, *strata) : cm.predict_event_probability(X, times);
          },
          py::arg("X"), py::arg("times"), py::arg("strata") = py::none(), py::call_guard<py::gil_scoped_release>())
      .def(
          "to_json", [](const ch::CoxModel& cm, int indent) { return ch::write_model_file(cm, indent); },
          py::arg("indent") = -1);

  m.def(
      "read_model_file",
      [](const std::string& text) -> py::object {
        ch::ModelFile file = [&] {
          py::gil_scoped_release release;
          return ch::read_model_file(text);
        }();
        if (auto* lm = std::get_if<ch::LogisticModel>(&file)) return py::cast(std::move(*lm));
        return py::cast(std::move(std::get<ch::CoxModel>(file)));
      },
      py::arg("text"),
      "Reads a cxkit model file (JSON text): a LogisticModel or a CoxModel. Raises InputError (ValueError).");
}

}  // namespace

void register_churn(py::module_& m) {
  py::class_<ch::LogisticRegression>(m, "LogisticRegression", "L2 logistic regression (C++ core).")
      .def(py::init([](double C, bool fi, const std::string& cw, double w0, double w1, double tol, int it,
                       const std::string& solver) {
             return std::make_unique<ch::LogisticRegression>(logistic_options(C, fi, cw, w0, w1, tol, it, solver));
           }),
           py::arg("C"), py::arg("fit_intercept"), py::arg("class_weight"),
           py::arg("w0"), py::arg("w1"), py::arg("tol"), py::arg("max_iter"), py::arg("solver"))
      .def(
          "fit",
          [](ch::LogisticRegression& model, const Mat& X, const Vec& y, std::optional<Vec> w) {
            py::gil_scoped_release release;
            if (w) model.fit(X, y, *w);
            else model.fit(X, y);
          },
          py::arg("X"), py::arg("y"), py::arg("sample_weight") = py::none())
      .def_property_readonly("coef", &ch::LogisticRegression::coef)
      .def_property_readonly("intercept", &ch::LogisticRegression::intercept)
      .def_property_readonly("n_iter", &ch::LogisticRegression::n_iter)
      .def_property_readonly("converged", &ch::LogisticRegression::converged)
      .def_property_readonly("objective", &ch::LogisticRegression::objective)
      .def_property_readonly("solver_used",
                             [](const ch::LogisticRegression& l) {
                               return l.solver_used() == ch::LogisticSolver::lbfgs ? "lbfgs" : "newton";
                             })
      .def("decision_function", &ch::LogisticRegression::decision_function, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def("predict_proba", &ch::LogisticRegression::predict_proba, py::arg("X"), py::call_guard<py::gil_scoped_release>());

  py::class_<ch::CoxPH>(m, "CoxPH", "Cox proportional hazards, Efron ties (C++ core).")
      .def(py::init([](double penalizer, double alpha, int max_iter, double tol) {
             ch::CoxOptions o;
             o.penalizer = penalizer;
             o.alpha = alpha;
             o.max_iter = max_iter;
             o.tol = tol;
             return std::make_unique<ch::CoxPH>(o);
           }),
           py::arg("penalizer"), py::arg("alpha"), py::arg("max_iter"), py::arg("tol"))
      .def(
          "fit",
          [](ch::CoxPH& model, const StridedMat& X, const Vec& T, const Vec& E, std::optional<Codes> strata) {
            py::gil_scoped_release release;
            if (strata) model.fit(X, T, E, *strata);
            else model.fit(X, T, E);
          },
          py::arg("X"), py::arg("durations"), py::arg("events"), py::arg("strata") = py::none())
      .def_property_readonly("params", &ch::CoxPH::params)
      .def_property_readonly("standard_errors", &ch::CoxPH::standard_errors)
      .def_property_readonly("variance_matrix", &ch::CoxPH::variance_matrix)
      .def("confidence_intervals", &ch::CoxPH::confidence_intervals)
      .def("z_scores", &ch::CoxPH::z_scores)
      .def("p_values", &ch::CoxPH::p_values)
      .def_property_readonly("log_likelihood", &ch::CoxPH::log_likelihood)
      .def_property_readonly("log_likelihood_null", &ch::CoxPH::log_likelihood_null)
      .def("concordance_index", &ch::CoxPH::concordance_index, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("n_iter", &ch::CoxPH::n_iter)
      .def_property_readonly("converged", &ch::CoxPH::converged)
      .def_property_readonly("means", &ch::CoxPH::means)
      .def_property_readonly("strata", &ch::CoxPH::strata)
      .def_property_readonly("baseline_times", &ch::CoxPH::baseline_times)
      .def_property_readonly("baseline_hazard", &ch::CoxPH::baseline_hazard)
      .def_property_readonly("baseline_cumulative_hazard", &ch::CoxPH::baseline_cumulative_hazard)
      .def("baseline_survival", &ch::CoxPH::baseline_survival, py::call_guard<py::gil_scoped_release>())
      .def("predict_partial_hazard", &ch::CoxPH::predict_partial_hazard, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def("predict_log_partial_hazard", &ch::CoxPH::predict_log_partial_hazard, py::arg("X"), py::call_guard<py::gil_scoped_release>())
      .def(
          "predict_survival_function",
          [](const ch::CoxPH& model, const Mat& X, const Vec& times, std::optional<Codes> strata) {
            return strata ? model.predict_survival_function(X, times, *strata)
                          : model.predict_survival_function(X, times);
          },
          py::arg("X"), py::arg("times"), py::arg("strata") = py::none(), py::call_guard<py::gil_scoped_release>())
      .def(
          "predict_event_probability",
          [](const ch::CoxPH& model, const Mat& X, const Vec& times, std::optional<Codes> strata) {
            return strata ? model.predict_event_probability(X, times, *strata)
                          : model.predict_event_probability(X, times);
          },
          py::arg("X"), py::arg("times"), py::arg("strata") = py::none(), py::call_guard<py::gil_scoped_release>());

  register_model_files(m);  // after CoxPH: CoxModel.from_fit names it in its signature (and stub)

  py::class_<ch::KaplanMeier>(m, "KaplanMeier", "Kaplan-Meier estimator (C++ core).")
      .def(py::init<double>(), py::arg("alpha") = 0.05)
      .def(
          "fit",
          [](ch::KaplanMeier& km, const Vec& T, const Vec& E, std::optional<Vec> w) {
            py::gil_scoped_release release;
            if (w) km.fit(T, E, *w);
            else km.fit(T, E);
          },
          py::arg("durations"), py::arg("events"), py::arg("weights") = py::none())
      .def_property_readonly("timeline", &ch::KaplanMeier::timeline)
      .def_property_readonly("survival", &ch::KaplanMeier::survival)
      .def_property_readonly("lower", &ch::KaplanMeier::lower)
      .def_property_readonly("upper", &ch::KaplanMeier::upper)
      .def_property_readonly("median_survival_time", &ch::KaplanMeier::median_survival_time)
      .def("percentile", &ch::KaplanMeier::percentile, py::call_guard<py::gil_scoped_release>())
      .def("survival_at", py::overload_cast<const Vec&>(&ch::KaplanMeier::survival_at, py::const_), py::call_guard<py::gil_scoped_release>())
      .def("table", [](const ch::KaplanMeier& km) {
        const auto& t = km.table();
        py::dict d;
        d["time"] = t.time;
        d["removed"] = t.removed;
        d["observed"] = t.observed;
        d["censored"] = t.censored;
        d["entrance"] = t.entrance;
        d["at_risk"] = t.at_risk;
        return d;
      });

  m.def(
      "explain_linear",
      [](const Mat& X, const Vec& coef, const Vec& reference, int top) {
        ch::Explanation e;
        {
          py::gil_scoped_release release;
          e = ch::explain_linear(X, coef, reference, top);
        }
        return py::make_tuple(std::move(e.feature), std::move(e.contribution));
      },
      py::arg("X"), py::arg("coef"), py::arg("reference"), py::arg("top") = 3);

  auto mm = m.def_submodule("metrics", "Evaluation metrics (C++ core).");
  mm.def("roc_auc_score",
         [](const Vec& y, const Vec& s, std::optional<Vec> w) {
           return w ? ch::metrics::roc_auc_score(y, s, *w) : ch::metrics::roc_auc_score(y, s);
         },
         py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(), py::call_guard<py::gil_scoped_release>());
  mm.def("average_precision_score",
         [](const Vec& y, const Vec& s, std::optional<Vec> w) {
           return w ? ch::metrics::average_precision_score(y, s, *w) : ch::metrics::average_precision_score(y, s);
         },
         py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none(), py::call_guard<py::gil_scoped_release>());
  mm.def("brier_score",
         [](const Vec& y, const Vec& p, std::optional<Vec> w) {
           return w ? ch::metrics::brier_score(y, p, *w) : ch::metrics::brier_score(y, p);
         },
         py::arg("y_true"), py::arg("y_prob"), py::arg("sample_weight") = py::none(), py::call_guard<py::gil_scoped_release>());
  mm.def("log_loss",
         [](const Vec& y, const Vec& p, std::optional<Vec> w) {
           return w ? ch::metrics::log_loss(y, p, *w) : ch::metrics::log_loss(y, p);
         },
         py::arg("y_true"), py::arg("y_prob"), py::arg("sample_weight") = py::none(), py::call_guard<py::gil_scoped_release>());
  mm.def("concordance_index",
         [](const Vec& T, const Vec& s, std::optional<Vec> E) {
           py::gil_scoped_release release;
           return E ? ch::metrics::concordance_index(T, s, *E) : ch::metrics::concordance_index(T, s);
         },
         py::arg("event_times"), py::arg("predicted_scores"), py::arg("event_observed") = py::none());
  mm.def("calibration_table",
         [](const Vec& y, const Vec& p, int n_bins, const std::string& strategy) {
           ch::metrics::BinStrategy s;
           if (strategy == "uniform") s = ch::metrics::BinStrategy::uniform;
           else if (strategy == "quantile") s = ch::metrics::BinStrategy::quantile;
           else throw py::value_error("strategy must be 'uniform' or 'quantile'");
           std::vector<ch::metrics::CalibrationBin> bins;
           {
             py::gil_scoped_release release;
             bins = ch::metrics::calibration_table(y, p, n_bins, s);
           }
           py::list out;
           for (const auto& b : bins)
             out.append(py::make_tuple(b.lower, b.upper, b.count, b.mean_predicted, b.observed_rate));
           return out;
         },
         py::arg("y_true"), py::arg("y_prob"), py::arg("n_bins") = 10, py::arg("strategy") = "uniform");
  mm.def("lift_at_k",
         [](const Vec& y, const Vec& s, std::int64_t k) {
           const auto r = [&] {
             py::gil_scoped_release release;
             return ch::metrics::lift_at_k(y, s, k);
           }();
           return py::make_tuple(r.k, r.positives_in_top, r.precision, r.base_rate, r.lift, r.capture);
         },
         py::arg("y_true"), py::arg("y_score"), py::arg("k"));
}

}  // namespace cxkit_bind
