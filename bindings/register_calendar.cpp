// cxkit::Calendar: instants and durations cross as int64 microseconds (UTC), weekly hours as
// minutes since local midnight, holidays as (year, month, day).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/column.hpp"
#include "numpy_views.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

using I64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using Interval = std::pair<int, int>;
using Ymd = std::tuple<int, int, int>;

cxkit::Calendar make_calendar(const std::string& tz, const std::vector<std::vector<Interval>>& week,
                              const std::vector<Ymd>& holidays) {
  if (week.size() != 7) throw py::value_error("working hours need 7 weekdays, Monday first");
  cxkit::Calendar::Week w;
  for (std::size_t d = 0; d < 7; ++d)
    for (auto [b, e] : week[d]) w[d].push_back({std::chrono::minutes{b}, std::chrono::minutes{e}});
  std::vector<boost::gregorian::date> days;
  for (auto [y, m, d] : holidays) {
    try {
      days.emplace_back(y, m, d);
    } catch (const std::exception& ex) {
      throw py::value_error("invalid holiday " + std::to_string(y) + "-" + std::to_string(m) + "-" +
                            std::to_string(d) + ": " + ex.what());
    }
  }
  return cxkit::Calendar(tz, std::move(w), std::move(days));
}

template <class F>
py::array_t<std::int64_t> elementwise(const I64Array& a, const I64Array& b, F f) {
  const auto x = span_of(a), y = span_of(b);
  if (x.size() != y.size()) throw py::value_error("arrays differ in length");
  py::array_t<std::int64_t> out(static_cast<py::ssize_t>(x.size()));
  std::int64_t* o = out.mutable_data();
  py::gil_scoped_release release;
  // NaT (kMissingTime, the same bits for datetime64 and timedelta64) in either input gives NaT,
  // as pandas arithmetic does: an unresolved ticket has no business duration yet.
  constexpr std::int64_t kNaT = cxkit::kMissingTime;
  for (std::size_t i = 0; i < x.size(); ++i) o[i] = x[i] == kNaT || y[i] == kNaT ? kNaT : f(x[i], y[i]);
  return out;
}

}  // namespace

void register_calendar(py::module_& m) {
  using cxkit::Calendar;
  using cxkit::from_micros;
  using cxkit::to_micros;
  py::class_<Calendar>(m, "Calendar", "Business calendar (C++ core).")
      .def(py::init(&make_calendar), py::arg("timezone"), py::arg("week"), py::arg("holidays"))
      .def_static("always", &Calendar::always)
      .def_static("business_hours", &Calendar::business_hours, py::arg("timezone") = "UTC")
      .def_property_readonly("timezone", &Calendar::timezone)
      .def_property_readonly("week",
                             [](const Calendar& c) {
                               std::vector<std::vector<Interval>> out(7);
                               for (std::size_t d = 0; d < 7; ++d)
                                 for (const auto& iv : c.week()[d])
                                   out[d].emplace_back(static_cast<int>(iv.begin.count()),
                                                       static_cast<int>(iv.end.count()));
                               return out;
                             })
      .def_property_readonly("holidays",
                             [](const Calendar& c) {
                               std::vector<Ymd> out;
                               for (const auto& d : c.holidays())
                                 out.emplace_back(int(d.year()), int(d.month()), int(d.day()));
                               return out;
                             })
      .def_property_readonly("is_always", &Calendar::is_always)
      .def_property_readonly("weekly_working_micros",
                             [](const Calendar& c) { return c.weekly_working_time().count(); })
      .def("business_duration",
           [](const Calendar& c, std::int64_t a, std::int64_t b) {
             return c.business_duration(from_micros(a), from_micros(b)).count();
           })
      .def("business_durations",
           [](const Calendar& c, const I64Array& a, const I64Array& b) {
             return elementwise(a, b, [&c](std::int64_t x, std::int64_t y) {
               return c.business_duration(from_micros(x), from_micros(y)).count();
             });
           })
      .def("add_business_time",
           [](const Calendar& c, std::int64_t t, std::int64_t d) {
             return to_micros(c.add_business_time(from_micros(t), cxkit::Duration{d}));
           })
      .def("add_business_times",
           [](const Calendar& c, const I64Array& t, const I64Array& d) {
             return elementwise(t, d, [&c](std::int64_t x, std::int64_t y) {
               return to_micros(c.add_business_time(from_micros(x), cxkit::Duration{y}));
             });
           })
      .def("is_working_time", [](const Calendar& c, std::int64_t t) { return c.is_working_time(from_micros(t)); })
      .def("next_working_time",
           [](const Calendar& c, std::int64_t t) { return to_micros(c.next_working_time(from_micros(t))); })
      .def("__eq__", [](const Calendar& a, const Calendar& b) { return a == b; });
}

}  // namespace cxkit_bind
