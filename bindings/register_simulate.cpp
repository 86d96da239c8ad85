// cxkit::simulate: options from a Python dict, the company as a C++ object holding its
// accounts Table, events EventLog, feedback Table and the truth as JSON text.
#include <optional>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/simulate/company.hpp"
#include "py_progress.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace sim = cxkit::simulate;


template <class T>
void take(py::dict& d, const char* key, T& out) {
  if (d.contains(key)) {
    out = d[key].cast<T>();
    PyDict_DelItemString(d.ptr(), key);
  }
}

sim::CompanyOptions options_from(py::dict d) {
  d = py::dict(d);  // a copy we can consume
  sim::CompanyOptions o;
  take(d, "n_accounts", o.n_accounts);
  std::int64_t start_us = cxkit::to_micros(o.start);
  take(d, "start_us", start_us);
  o.start = cxkit::from_micros(start_us);
  take(d, "months", o.months);
  take(d, "seed", o.seed);
  take(d, "annual_churn_rate", o.annual_churn_rate);
  take(d, "first_reply_target_hours", o.first_reply_target_hours);
  take(d, "welcome_target_hours", o.welcome_target_hours);
  take(d, "nps_response_rate", o.nps_response_rate);
  take(d, "feedback_rate", o.feedback_rate);
  take(d, "threads", o.threads);
  take(d, "tier_smb", o.tiers.smb);
  take(d, "tier_mid_market", o.tiers.mid_market);
  take(d, "tier_enterprise", o.tiers.enterprise);
  take(d, "language_en", o.languages.en);
  take(d, "language_ru", o.languages.ru);
  take(d, "language_pt", o.languages.pt);
  take(d, "language_fa", o.languages.fa);
  take(d, "typo_rate", o.text.typo_rate);
  take(d, "lowercase_rate", o.text.lowercase_rate);
  take(d, "uppercase_rate", o.text.uppercase_rate);
  take(d, "arabic_letter_rate", o.text.arabic_letter_rate);
  take(d, "zwnj_drop_rate", o.text.zwnj_drop_rate);
  take(d, "zwnj_space_rate", o.text.zwnj_space_rate);
  take(d, "english_share", o.text.english_share);
  if (!d.empty()) {
    std::string unknown;
    for (auto item : d) unknown += (unknown.empty() ? "" : ", ") + item.first.cast<std::string>();
    throw py::type_error("unknown simulator option(s): " + unknown);
  }
  return o;
}

}  // namespace

void register_simulate(py::module_& m) {
  py::class_<sim::Company>(m, "Company", "A simulated customer base with its ground truth (C++ core).")
      .def_readonly("accounts", &sim::Company::accounts)
      .def_readonly("events", &sim::Company::events)
      .def_readonly("feedback", &sim::Company::feedback)
      .def("truth_json", [](const sim::Company& c) { return c.truth.to_json(); })
      .def(
          "save",
          [](const sim::Company& c, const std::string& directory) {
            py::gil_scoped_release release;
            sim::save(c, directory);
          },
          py::arg("directory"));
  m.def(
      "simulate_company",
      [](const py::dict& options, py::object progress) {
        sim::CompanyOptions o = options_from(options);
        PyProgress py_progress{std::move(progress), {}};
        return py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return sim::company(o);
        });
      },
      py::arg("options"), py::arg("progress") = py::none());
}

}  // namespace cxkit_bind
