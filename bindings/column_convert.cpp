// Column <-> Python conversion shared by the EventLog and Table bindings.
#include "column_convert.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "numpy_views.hpp"

namespace cxkit_bind {

using I64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using F64Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::list names_of(const cxkit::Dictionary& d) {
  py::list out(d.size());
  for (std::uint32_t i = 0; i < d.size(); ++i) {
    const auto v = d.name(i);
    out[i] = py::str(v.data(), v.size());
  }
  return out;
}

/// A column from a Python tuple (kind, name, data...) built by cxkit._pandas.
cxkit::Column column_from_spec(const py::tuple& spec) {
  const auto kind = spec[0].cast<std::string>();
  auto name = spec[1].cast<std::string>();
  if (kind == "numeric") {
    auto values = spec[2].cast<F64Array>();
    cxkit::Column col(std::move(name), cxkit::ColumnType::numeric);
    col.reserve(static_cast<std::size_t>(values.size()));
    for (double v : span_of(values)) col.append_number(v);
    return col;
  }
  if (kind == "timestamp") {
    auto values = spec[2].cast<I64Array>();
    cxkit::Column col(std::move(name), cxkit::ColumnType::timestamp);
    col.reserve(static_cast<std::size_t>(values.size()));
    for (std::int64_t v : span_of(values)) col.append_time(v);
    return col;
  }
  if (kind == "categorical") {
    auto codes = spec[2].cast<I64Array>();
    auto names = spec[3].cast<std::vector<std::string>>();
    cxkit::Column col(std::move(name), cxkit::ColumnType::categorical);
    std::vector<std::uint32_t> ids(names.size());
    for (std::size_t k = 0; k < names.size(); ++k) ids[k] = col.mutable_categories().intern(names[k]);
    col.reserve(static_cast<std::size_t>(codes.size()));
    for (std::int64_t c : span_of(codes)) {
      if (c >= static_cast<std::int64_t>(ids.size())) throw py::value_error("category code out of range");
      col.append_code(c < 0 ? cxkit::kNoId : ids[static_cast<std::size_t>(c)]);
    }
    return col;
  }
  if (kind == "text") {
    auto values = spec[2].cast<py::list>();
    cxkit::Column col(std::move(name), cxkit::ColumnType::text);
    col.reserve(values.size());
    for (auto v : values) {
      if (v.is_none()) col.append_missing();
      else col.append_text(v.cast<std::string>());
    }
    return col;
  }
  throw py::value_error("unknown attribute kind '" + kind + "'");
}

/// The column as Python data: (kind, values[, categories]). Numeric and timestamp values are
/// zero-copy views kept alive by `owner`.
py::tuple column_to_python(const cxkit::Column& col, py::handle owner) {
  switch (col.type()) {
    case cxkit::ColumnType::numeric:
      return py::make_tuple("numeric", readonly_view(col.numbers(), owner));
    case cxkit::ColumnType::timestamp:
      return py::make_tuple("timestamp", readonly_view(col.times(), owner));
    case cxkit::ColumnType::categorical:
      return py::make_tuple("categorical", readonly_view(col.codes(), owner), names_of(col.categories()));
    case cxkit::ColumnType::text: {
      py::list values(col.size());
      for (std::size_t i = 0; i < col.size(); ++i) {
        if (col.is_missing(i)) {
          values[i] = py::none();
        } else {
          const auto v = col.text(i);
          values[i] = py::str(v.data(), v.size());
        }
      }
      return py::make_tuple("text", values);
    }
  }
  throw py::value_error("unknown column type");
}

}  // namespace cxkit_bind
