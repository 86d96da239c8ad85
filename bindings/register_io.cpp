// Readers: read_csv and read_xes, file or bytes. The GIL is released while parsing.
#include <optional>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/io/csv.hpp"
#include "cxkit/io/xes.hpp"
#include "py_progress.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {


cxkit::OnBadRow on_bad_row_from(const std::string& s) {
  if (s == "raise") return cxkit::OnBadRow::raise;
  if (s == "skip") return cxkit::OnBadRow::skip;
  throw py::value_error("on_bad_row must be 'raise' or 'skip', not '" + s + "'");
}

cxkit::io::CsvOptions csv_options(const std::string& case_col, const std::string& activity_col,
                                  const std::string& timestamp_col, const std::string& sep,
                                  const std::string& timestamp_format, const std::string& on_bad_row,
                                  std::vector<std::string> numeric, std::vector<std::string> categorical,
                                  std::vector<std::string> text, std::vector<std::string> timestamps,
                                  bool keep_other_columns) {
  if (sep.size() > 1) throw py::value_error("sep must be a single character, not '" + sep + "'");
  cxkit::io::CsvOptions o;
  o.case_column = case_col;
  o.activity_column = activity_col;
  o.timestamp_column = timestamp_col;
  o.delimiter = sep.empty() ? '\0' : sep[0];
  o.timestamp_format = timestamp_format;
  o.on_bad_row = on_bad_row_from(on_bad_row);
  o.numeric_columns = std::move(numeric);
  o.categorical_columns = std::move(categorical);
  o.text_columns = std::move(text);
  o.timestamp_columns = std::move(timestamps);
  o.keep_other_columns = keep_other_columns;
  return o;
}

}  // namespace

void register_io(py::module_& m) {
  m.def(
      "read_csv",
      [](const std::string& path, const std::string& case_col, const std::string& activity_col,
         const std::string& timestamp_col, const std::string& sep, const std::string& timestamp_format,
         const std::string& on_bad_row, std::vector<std::string> numeric, std::vector<std::string> categorical,
         std::vector<std::string> text, std::vector<std::string> timestamps, bool keep_other_columns,
         py::object progress) {
        auto o = csv_options(case_col, activity_col, timestamp_col, sep, timestamp_format, on_bad_row,
                             std::move(numeric), std::move(categorical), std::move(text), std::move(timestamps),
                             keep_other_columns);
        PyProgress py_progress{std::move(progress), {}};
        return py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return cxkit::io::read_csv(path, o);
        });
      },
      py::arg("path"), py::arg("case"), py::arg("activity"), py::arg("timestamp"), py::arg("sep"),
      py::arg("timestamp_format"), py::arg("on_bad_row"), py::arg("numeric_columns"),
      py::arg("categorical_columns"), py::arg("text_columns"), py::arg("timestamp_columns"),
      py::arg("keep_other_columns"), py::arg("progress") = py::none());
  m.def(
      "read_csv_bytes",
      [](const py::bytes& data, const std::string& source, const std::string& case_col,
         const std::string& activity_col, const std::string& timestamp_col, const std::string& sep,
         const std::string& timestamp_format, const std::string& on_bad_row, std::vector<std::string> numeric,
         std::vector<std::string> categorical, std::vector<std::string> text, std::vector<std::string> timestamps,
         bool keep_other_columns, py::object progress) {
        auto o = csv_options(case_col, activity_col, timestamp_col, sep, timestamp_format, on_bad_row,
                             std::move(numeric), std::move(categorical), std::move(text), std::move(timestamps),
                             keep_other_columns);
        const std::string_view buf = data;
        PyProgress py_progress{std::move(progress), {}};
        return py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return cxkit::io::read_csv_buffer(buf, o, source);
        });
      },
      py::arg("data"), py::arg("source"), py::arg("case"), py::arg("activity"), py::arg("timestamp"),
      py::arg("sep"), py::arg("timestamp_format"), py::arg("on_bad_row"), py::arg("numeric_columns"),
      py::arg("categorical_columns"), py::arg("text_columns"), py::arg("timestamp_columns"),
      py::arg("keep_other_columns"), py::arg("progress") = py::none());
  // XES progress is in bytes of the input as given (compressed bytes for gzip).
  m.def(
      "read_xes",
      [](const std::string& path, const std::string& on_bad_row, unsigned threads, py::object progress) {
        cxkit::io::XesOptions o;
        o.on_bad_row = on_bad_row_from(on_bad_row);
        o.threads = threads;
        PyProgress py_progress{std::move(progress), {}};
        return py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return cxkit::io::read_xes(path, o);
        });
      },
      py::arg("path"), py::arg("on_bad_row") = "raise", py::arg("threads") = 0u, py::arg("progress") = py::none());
  m.def(
      "read_xes_bytes",
      [](const py::bytes& data, const std::string& source, const std::string& on_bad_row, unsigned threads,
         py::object progress) {
        cxkit::io::XesOptions o;
        o.on_bad_row = on_bad_row_from(on_bad_row);
        o.threads = threads;
        const std::string_view buf = data;
        PyProgress py_progress{std::move(progress), {}};
        return py_progress.run([&](cxkit::Progress p) {
          o.progress = std::move(p);
          return cxkit::io::read_xes_buffer(buf, o, source);
        });
      },
      py::arg("data"), py::arg("source") = "<bytes>", py::arg("on_bad_row") = "raise", py::arg("threads") = 0u,
      py::arg("progress") = py::none());
}

}  // namespace cxkit_bind
