// Zero-copy numpy views of columns owned by an immutable C++ object.
#pragma once

#include <span>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

namespace cxkit_bind {
namespace py = pybind11;

/// A read-only numpy array over `data`; `owner` (a Python object holding the C++ data) is
/// kept alive as the array's base, so no copy is made.
template <class T>
py::array_t<T> readonly_view(std::span<const T> data, py::handle owner) {
  py::array_t<T> a({static_cast<py::ssize_t>(data.size())}, {static_cast<py::ssize_t>(sizeof(T))}, data.data(),
                   owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

/// A contiguous 1-d span over a numpy array argument (the caller keeps `a` alive).
template <class T>
std::span<const T> span_of(const py::array_t<T, py::array::c_style | py::array::forcecast>& a) {
  if (a.ndim() != 1) throw py::value_error("expected a 1-dimensional array");
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}
}  // namespace cxkit_bind
