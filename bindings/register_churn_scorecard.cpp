// Bindings for health scorecards: the definition crosses as JSON text, values as a
// column-major float64 matrix (NaN = missing), results as a dict of numpy arrays.
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/churn/scorecard.hpp"
#include "register.hpp"

namespace cxkit_bind {

namespace {
namespace ch = cxkit::churn;
using Mat = Eigen::Ref<const Eigen::MatrixXd>;
using Vec = Eigen::Ref<const Eigen::VectorXd>;
}  // namespace

void register_churn_scorecard(py::module_& m) {
  py::class_<ch::Scorecard>(m, "Scorecard", "Health scorecard (C++ core); see docs/churn_scorecards.md.")
      .def_static("from_json_text", &ch::Scorecard::from_json_text, py::arg("text"))
      .def("to_json_text", [](const ch::Scorecard& s) { return s.to_json().dump(); })
      .def_property_readonly("name", &ch::Scorecard::name)
      .def_property_readonly("min_coverage", &ch::Scorecard::min_coverage)
      .def_property_readonly("measures",
                             [](const ch::Scorecard& s) {
                               std::vector<std::string> out;
                               for (std::size_t k = 0; k < s.measure_count(); ++k) out.push_back(s.measure(k).name);
                               return out;
                             })
      .def_property_readonly("inputs",
                             [](const ch::Scorecard& s) {
                               std::vector<std::string> out;
                               for (std::size_t k = 0; k < s.measure_count(); ++k) out.push_back(s.measure(k).input());
                               return out;
                             })
      .def_property_readonly("measure_groups",
                             [](const ch::Scorecard& s) {
                               std::vector<std::string> out;
                               for (std::size_t k = 0; k < s.measure_count(); ++k)
                                 out.push_back(s.groups()[s.measure_group(k)].name);
                               return out;
                             })
      .def_property_readonly("full_weights", &ch::Scorecard::full_weights)
      .def_property_readonly("bands",
                             [](const ch::Scorecard& s) {
                               std::vector<std::tuple<std::string, int, int>> out;
                               for (const auto& b : s.bands()) out.emplace_back(b.name, b.min, b.max);
                               return out;
                             })
      .def("points",
           [](const ch::Scorecard& s, std::size_t measure, double value) {
             if (measure >= s.measure_count()) throw py::index_error("measure index out of range");
             return s.measure(measure).scheme.points(value);
           },
           py::arg("measure"), py::arg("value"))
      .def(
          "score",
          [](const ch::Scorecard& s, const Mat& values, std::optional<Vec> previous) {
            ch::ScoreResult r;
            {
              py::gil_scoped_release release;
              r = previous ? s.score(values, *previous) : s.score(values);
            }
            py::dict d;
            d["score"] = std::move(r.score);
            d["band"] = py::array_t<int>(static_cast<py::ssize_t>(r.band.size()), r.band.data());
            d["points"] = std::move(r.points);
            d["weight"] = std::move(r.weight);
            d["contribution"] = std::move(r.contribution);
            d["coverage"] = std::move(r.coverage);
            d["change"] = std::move(r.change);
            return d;
          },
          py::arg("values"), py::arg("previous") = py::none());
}

}  // namespace cxkit_bind
