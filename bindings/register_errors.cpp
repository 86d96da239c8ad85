// cxkit exceptions -> Python built-in exceptions, so users catch what they already know.
#include <pybind11/pybind11.h>

#include "cxkit/core/error.hpp"
#include "register.hpp"

namespace cxkit_bind {

void register_errors(py::module_& m) {
  (void)m;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const cxkit::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const cxkit::NotFoundError& e) {
      PyErr_SetString(PyExc_KeyError, e.what());
    } catch (const cxkit::TypeMismatchError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const cxkit::Error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });
}

}  // namespace cxkit_bind
