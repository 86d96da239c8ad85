// cxkit::EventLog and cxkit::Column <-> numpy arrays and Python lists.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/event_log_from_columns.hpp"
#include "column_convert.hpp"
#include "numpy_views.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

using I64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

std::vector<std::string_view> views_of(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

}  // namespace


void register_event_log(py::module_& m) {
  py::class_<cxkit::EventLog>(m, "EventLog", "Immutable columnar event log (C++ core).")
      .def(py::init<>())
      .def_static(
          "from_arrays",
          [](const I64Array& case_codes, const std::vector<std::string>& case_names, const I64Array& activity_codes,
             const std::vector<std::string>& activity_names, const I64Array& timestamps, const py::list& attributes,
             const std::string& source, const std::string& case_column, const std::string& activity_column,
             const std::string& timestamp_column) {
            cxkit::EventColumns in;
            in.source = source;
            in.case_column = case_column;
            in.activity_column = activity_column;
            in.timestamp_column = timestamp_column;
            in.cases = {span_of(case_codes), views_of(case_names)};
            in.activities = {span_of(activity_codes), views_of(activity_names)};
            in.timestamps = span_of(timestamps);
            for (auto spec : attributes) in.attributes.push_back(column_from_spec(spec.cast<py::tuple>()));
            py::gil_scoped_release release;
            return cxkit::event_log_from_columns(std::move(in));
          },
          py::arg("case_codes"), py::arg("case_names"), py::arg("activity_codes"), py::arg("activity_names"),
          py::arg("timestamps"), py::arg("attributes"), py::arg("source"), py::arg("case_column"),
          py::arg("activity_column"), py::arg("timestamp_column"))
      .def("__len__", &cxkit::EventLog::size)
      .def_property_readonly("n_cases", &cxkit::EventLog::n_cases)
      .def_property_readonly("source", &cxkit::EventLog::source)
      .def("case_ids", [](py::object self) { return readonly_view(self.cast<const cxkit::EventLog&>().case_ids(), self); })
      .def("activity_ids",
           [](py::object self) { return readonly_view(self.cast<const cxkit::EventLog&>().activity_ids(), self); })
      .def("timestamps",
           [](py::object self) { return readonly_view(self.cast<const cxkit::EventLog&>().timestamps(), self); })
      .def("case_offsets",
           [](py::object self) { return readonly_view(self.cast<const cxkit::EventLog&>().case_offsets(), self); })
      .def("case_names", [](const cxkit::EventLog& log) { return names_of(log.case_names()); })
      .def("activity_names", [](const cxkit::EventLog& log) { return names_of(log.activity_names()); })
      .def("attribute_names",
           [](const cxkit::EventLog& log) {
             std::vector<std::string> names;
             for (const auto& c : log.attributes()) names.push_back(c.name());
             return names;
           })
      .def("attribute",
           [](py::object self, const std::string& name) {
             return column_to_python(self.cast<const cxkit::EventLog&>().attribute(name), self);
           })
      .def("skipped_rows",
           [](const cxkit::EventLog& log) {
             py::list out;
             for (const auto& s : log.skipped_rows()) out.append(py::make_tuple(s.line, s.reason));
             return out;
           })
      .def("memory_bytes", &cxkit::EventLog::memory_bytes)
      .def("core_memory_bytes", &cxkit::EventLog::core_memory_bytes);
}

}  // namespace cxkit_bind
