// Bindings for point-in-time churn features: the spec from a Python dict (keys = FeatureSpec
// fields, windows in microseconds), breaches and NPS answers as arrays, the matrix out as a
// Fortran-ordered numpy array plus names, keys and statuses.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "cxkit/churn/features.hpp"
#include "numpy_views.hpp"
#include "py_progress.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace ch = cxkit::churn;
using I64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using U32 = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

template <class T>
void take(py::dict& d, const char* key, T& out) {
  if (d.contains(key)) {
    out = d[key].cast<T>();
    PyDict_DelItemString(d.ptr(), key);
  }
}

ch::FeatureSpec spec_from(py::dict d) {
  d = py::dict(d);  // a copy we can consume
  ch::FeatureSpec s;
  if (d.contains("windows_us")) {
    s.windows.clear();
    for (auto w : d["windows_us"].cast<std::vector<std::int64_t>>()) s.windows.emplace_back(w);
    PyDict_DelItemString(d.ptr(), "windows_us");
  }
  if (d.contains("active_window_us")) {
    s.active_window = cxkit::Duration{d["active_window_us"].cast<std::int64_t>()};
    PyDict_DelItemString(d.ptr(), "active_window_us");
  }
  take(d, "count_activities", s.count_activities);
  take(d, "usage_activities", s.usage_activities);
  take(d, "feature_activity", s.feature_activity);
  take(d, "feature_attribute", s.feature_attribute);
  take(d, "premium_features", s.premium_features);
  take(d, "seat_snapshot_activity", s.seat_snapshot_activity);
  take(d, "seat_snapshot_attribute", s.seat_snapshot_attribute);
  take(d, "user_attribute", s.user_attribute);
  take(d, "licence_activities", s.licence_activities);
  take(d, "licence_attribute", s.licence_attribute);
  take(d, "arr_set_activities", s.arr_set_activities);
  take(d, "arr_delta_activities", s.arr_delta_activities);
  take(d, "amount_attribute", s.amount_attribute);
  take(d, "ticket_attribute", s.ticket_attribute);
  take(d, "priority_attribute", s.priority_attribute);
  take(d, "ticket_open_activity", s.ticket_open_activity);
  take(d, "ticket_close_activities", s.ticket_close_activities);
  take(d, "ticket_reopen_activities", s.ticket_reopen_activities);
  take(d, "priorities", s.priorities);
  take(d, "urgent_priorities", s.urgent_priorities);
  take(d, "nps_activity", s.nps_activity);
  take(d, "score_attribute", s.score_attribute);
  take(d, "churn_activity", s.churn_activity);
  take(d, "signup_column", s.signup_column);
  take(d, "churn_date_column", s.churn_date_column);
  take(d, "contract_column", s.contract_column);
  take(d, "contract_months", s.contract_months);
  take(d, "default_term_months", s.default_term_months);
  take(d, "licensed_seats_column", s.licensed_seats_column);
  take(d, "arr_column", s.arr_column);
  take(d, "numeric_columns", s.numeric_columns);
  if (d.contains("categorical_columns")) {
    for (const auto& [name, levels] :
         d["categorical_columns"].cast<std::vector<std::pair<std::string, std::vector<std::string>>>>())
      s.categorical_columns.push_back({name, levels});
    PyDict_DelItemString(d.ptr(), "categorical_columns");
  }
  take(d, "threads", s.threads);
  if (!d.empty()) {
    std::string unknown;
    for (auto item : d) unknown += (unknown.empty() ? "" : ", ") + item.first.cast<std::string>();
    throw py::type_error("unknown feature spec field(s): " + unknown);
  }
  return s;
}

template <class T, class A>
std::vector<T> vec(const A& a) {
  const auto s = span_of<T>(a);
  return {s.begin(), s.end()};
}

}  // namespace

void register_churn_features(py::module_& m) {
  m.def(
      "churn_build_features",
      [](const cxkit::EventLog& log, const cxkit::Table* accounts, const I64& as_of_us, const py::dict& spec_dict,
         std::optional<std::vector<std::string>> moment_names, std::optional<U32> b_row, std::optional<U32> b_moment,
         std::optional<I64> b_started, std::optional<I64> b_deadline, std::optional<U32> n_row,
         std::optional<I64> n_time, std::optional<F64> n_score, py::object progress) {
        const ch::FeatureSpec spec = spec_from(spec_dict);
        std::vector<cxkit::Timestamp> as_of;
        for (const std::int64_t us : span_of<std::int64_t>(as_of_us)) as_of.push_back(cxkit::from_micros(us));
        std::optional<ch::Breaches> breaches;
        if (moment_names) {
          breaches.emplace();
          breaches->moment_names = *moment_names;
          breaches->row = vec<std::uint32_t>(b_row.value());
          breaches->moment = vec<std::uint32_t>(b_moment.value());
          breaches->started = vec<std::int64_t>(b_started.value());
          breaches->deadline = vec<std::int64_t>(b_deadline.value());
        }
        std::optional<ch::ScoreList> nps;
        if (n_row) {
          nps.emplace();
          nps->row = vec<std::uint32_t>(*n_row);
          nps->time = vec<std::int64_t>(n_time.value());
          nps->score = vec<double>(n_score.value());
        }
        // Progress in rows (accounts); Ctrl-C is checked either way (py_progress.hpp).
        PyProgress py_progress{std::move(progress), {}};
        const ch::FeatureMatrix fm = py_progress.run([&](cxkit::Progress p) {
          return ch::build_features(log, accounts, std::span<const cxkit::Timestamp>(as_of), spec,
                                    breaches ? &*breaches : nullptr, nps ? &*nps : nullptr, p);
        });
        const auto rows = static_cast<py::ssize_t>(fm.rows()), cols = static_cast<py::ssize_t>(fm.cols());
        py::array_t<double, py::array::f_style> values({rows, cols});
        std::copy(fm.values.begin(), fm.values.end(), values.mutable_data());
        py::array_t<std::uint8_t> status(rows);
        for (py::ssize_t r = 0; r < rows; ++r) status.mutable_at(r) = static_cast<std::uint8_t>(fm.status[static_cast<std::size_t>(r)]);
        py::dict d;
        d["names"] = fm.names;
        d["keys"] = fm.keys;
        d["status"] = status;
        d["values"] = values;
        return d;
      },
      py::arg("log"), py::arg("accounts"), py::arg("as_of_us"), py::arg("spec"), py::arg("moment_names") = py::none(),
      py::arg("breach_row") = py::none(), py::arg("breach_moment") = py::none(),
      py::arg("breach_started") = py::none(), py::arg("breach_deadline") = py::none(),
      py::arg("nps_row") = py::none(), py::arg("nps_time") = py::none(), py::arg("nps_score") = py::none(),
      py::arg("progress") = py::none(),
      "Point-in-time account features (cxkit::churn::build_features); as_of_us: 1 or one per row; "
      "progress: None or f(done, total) in rows.");

  m.def(
      "churn_next_renewal",
      [](const I64& signup_us, const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& term_months,
         std::int64_t as_of_us) {
        const auto s = span_of<std::int64_t>(signup_us);
        const auto t = span_of<std::int32_t>(term_months);
        if (s.size() != t.size()) throw py::value_error("signup and term_months differ in length");
        py::array_t<std::int64_t> out(static_cast<py::ssize_t>(s.size()));
        auto* o = out.mutable_data();
        {
          py::gil_scoped_release release;
          for (std::size_t i = 0; i < s.size(); ++i)
            o[i] = s[i] == cxkit::kMissingTime || t[i] < 1
                       ? cxkit::kMissingTime
                       : cxkit::to_micros(ch::next_renewal(cxkit::from_micros(s[i]), t[i], cxkit::from_micros(as_of_us)));
        }
        return out;
      },
      "Next renewal on or after as_of per (signup, term in months); missing signup -> missing.");

  m.def(
      "churn_case_spans",
      [](const cxkit::EventLog& log, const std::string& churn_activity) {
        ch::CaseSpans s;
        {
          py::gil_scoped_release release;
          s = ch::case_spans(log, churn_activity);
        }
        return py::make_tuple(py::array_t<std::int64_t>(static_cast<py::ssize_t>(s.first.size()), s.first.data()),
                              py::array_t<std::int64_t>(static_cast<py::ssize_t>(s.churned.size()), s.churned.data()));
      },
      "Per case: first event and first churn event (UTC microseconds, missing = int64 min).");
}

}  // namespace cxkit_bind
