// Progress and Ctrl-C for long C++ operations called from Python (shared by the bindings).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include <pybind11/pybind11.h>

#include "cxkit/core/progress.hpp"

namespace cxkit_bind {
namespace py = pybind11;

/// Progress from Python: the C++ callback runs on the calling thread (see progress.hpp),
/// takes the GIL, checks for Ctrl-C and then calls `callable(done, total)` if one was given.
/// A pending KeyboardInterrupt or an exception from the callable is kept and the callback
/// returns false, so the C++ side unwinds with Cancelled; run() then re-raises the Python
/// error. Installed even without a callable, so Ctrl-C always interrupts.
struct PyProgress {
  py::object callable;
  std::optional<py::error_already_set> pending;

  cxkit::Progress progress() {
    return {[this](std::uint64_t done, std::uint64_t total) {
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) {
        pending.emplace();  // fetches the KeyboardInterrupt the signal handler raised
        return false;
      }
      if (callable.is_none()) return true;
      try {
        callable(done, total);
      } catch (py::error_already_set& e) {
        pending.emplace(std::move(e));
        return false;
      }
      return true;
    }};
  }

  /// Runs f(progress) with the GIL released; a cancellation becomes the pending Python error.
  template <class F>
  auto run(F&& f) {
    try {
      py::gil_scoped_release release;
      return f(progress());
    } catch (const cxkit::Cancelled&) {
      if (pending) throw py::error_already_set(*pending);
      throw;
    }
  }
};

}  // namespace cxkit_bind
