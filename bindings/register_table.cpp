// cxkit::Table <-> keys and typed columns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/core/table.hpp"
#include "column_convert.hpp"
#include "register.hpp"

namespace cxkit_bind {

void register_table(py::module_& m) {
  py::class_<cxkit::Table>(m, "Table", "Per-account attributes keyed by account id (C++ core).")
      .def(py::init<>())
      .def_static(
          "from_arrays",
          [](const std::string& key_name, const std::vector<std::string>& keys, const py::list& columns,
             const std::string& source) {
            // Columns are read from Python objects with the GIL; interning the keys and building
            // (hashing, validation) run without it, like every other long C++ step.
            std::vector<cxkit::Column> cols;
            for (auto spec : columns) cols.push_back(column_from_spec(spec.cast<py::tuple>()));
            py::gil_scoped_release release;
            cxkit::TableBuilder builder(key_name, source);
            for (const auto& k : keys) builder.add_row(k);
            for (auto& c : cols) builder.add_full_column(std::move(c));
            return builder.build();
          },
          py::arg("key_name"), py::arg("keys"), py::arg("columns"), py::arg("source") = "DataFrame")
      .def("__len__", &cxkit::Table::size)
      .def_property_readonly("key_name", &cxkit::Table::key_name)
      .def("keys",
           [](const cxkit::Table& t) {
             return names_of(t.keys());
           })
      .def("column_names",
           [](const cxkit::Table& t) {
             std::vector<std::string> names;
             for (const auto& c : t.columns()) names.push_back(c.name());
             return names;
           })
      .def("column", [](py::object self, const std::string& name) {
        return column_to_python(self.cast<const cxkit::Table&>().column(name), self);
      });
}

}  // namespace cxkit_bind
