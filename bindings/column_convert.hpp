// Column <-> Python conversion shared by the EventLog and Table bindings.
//
// A column travels as a tuple (kind, name, data...) built by cxkit._pandas:
//   ("numeric", name, float64 array)       NaN = missing
//   ("timestamp", name, int64 us array)    INT64_MIN = missing
//   ("categorical", name, int64 codes, [distinct strings])   code -1 = missing
//   ("text", name, [str or None])
// and comes back as (kind, values[, categories]) with zero-copy numpy views.
#pragma once

#include <pybind11/pybind11.h>

#include "cxkit/core/column.hpp"
#include "cxkit/core/dictionary.hpp"

namespace cxkit_bind {
namespace py = pybind11;

py::list names_of(const cxkit::Dictionary& d);
cxkit::Column column_from_spec(const py::tuple& spec);
/// Numeric, timestamp and code arrays are views kept alive by `owner`.
py::tuple column_to_python(const cxkit::Column& col, py::handle owner);
}  // namespace cxkit_bind
