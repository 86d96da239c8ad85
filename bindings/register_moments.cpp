// cxkit::moments: definitions cross as JSON text, occurrences as dicts of arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cxkit/moments/evaluate.hpp"
#include "cxkit/moments/moment.hpp"
#include "cxkit/moments/nps.hpp"
#include "cxkit/moments/staffing.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace mo = cxkit::moments;
using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

std::span<const double> values_of(const F64& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }

}  // namespace

void register_moments(py::module_& m) {
  m.def("moment_normalize", [](const std::string& text) { return mo::Moment::from_json_text(text).to_json().dump(); });
  m.def(
      "moments_evaluate",
      [](const cxkit::EventLog& log, const std::vector<std::string>& definitions, std::optional<std::int64_t> as_of_us,
         unsigned threads) {
        std::vector<mo::Moment> moments;
        for (const auto& d : definitions) moments.push_back(mo::Moment::from_json_text(d));
        mo::EvaluateOptions o;
        if (as_of_us) o.as_of = cxkit::from_micros(*as_of_us);
        o.threads = threads;
        std::vector<mo::Occurrence> occ;
        {
          py::gil_scoped_release release;
          occ = mo::evaluate(log, moments, o);
        }
        const std::size_t n = occ.size();
        constexpr std::int64_t kNat = std::numeric_limits<std::int64_t>::min();
        py::array_t<std::uint32_t> case_id(n), moment(n);
        py::array_t<std::int64_t> started(n), stopped(n), elapsed(n), target(n), deadline(n), remaining(n);
        py::list key, status;
        for (std::size_t i = 0; i < n; ++i) {
          const auto& o2 = occ[i];
          case_id.mutable_at(i) = o2.case_id;
          moment.mutable_at(i) = o2.moment;
          started.mutable_at(i) = cxkit::to_micros(o2.started);
          stopped.mutable_at(i) = o2.stopped ? cxkit::to_micros(*o2.stopped) : kNat;
          elapsed.mutable_at(i) = o2.elapsed.count();
          target.mutable_at(i) = o2.target.count();
          deadline.mutable_at(i) = cxkit::to_micros(o2.deadline);
          remaining.mutable_at(i) = o2.remaining ? o2.remaining->count() : kNat;
          key.append(o2.key);
          status.append(mo::to_string(o2.status));
        }
        py::dict d;
        d["case_id"] = case_id;
        d["moment"] = moment;
        d["key"] = key;
        d["started"] = started;
        d["stopped"] = stopped;
        d["elapsed"] = elapsed;
        d["target"] = target;
        d["deadline"] = deadline;
        d["status"] = status;
        d["remaining"] = remaining;
        return d;
      },
      py::arg("log"), py::arg("definitions"), py::arg("as_of_us"), py::arg("threads"));
  m.def(
      "nps",
      [](const F64& scores, double confidence) {
        const auto r = mo::nps(values_of(scores), confidence);
        return py::make_tuple(r.n, r.promoters, r.passives, r.detractors, r.nps, r.se, r.ci_low, r.ci_high,
                              mo::to_string(r.band));
      },
      py::arg("scores"), py::arg("confidence") = 0.95);
  m.def(
      "csat",
      [](const F64& scores, double confidence) {
        const auto r = mo::csat(values_of(scores), confidence);
        return py::make_tuple(r.n, r.value, r.ci_low, r.ci_high);
      },
      py::arg("scores"), py::arg("confidence") = 0.95);
  m.def(
      "ces",
      [](const F64& scores, double confidence) {
        const auto r = mo::ces(values_of(scores), confidence);
        return py::make_tuple(r.n, r.mean, r.sd, r.ci_low, r.ci_high);
      },
      py::arg("scores"), py::arg("confidence") = 0.95);
  m.def(
      "staffing",
      [](double arrivals, std::int64_t interval_us, std::int64_t aht_us, std::int64_t answer_within_us,
         double service_level, double max_occupancy, double shrinkage) {
        mo::StaffingRequest q;
        q.arrivals = arrivals;
        q.interval = cxkit::Duration{interval_us};
        q.aht = cxkit::Duration{aht_us};
        q.answer_within = cxkit::Duration{answer_within_us};
        q.service_level = service_level;
        q.max_occupancy = max_occupancy;
        q.shrinkage = shrinkage;
        const auto r = mo::staffing(q);
        py::dict d;
        d["agents"] = r.agents;
        d["rostered_agents"] = r.rostered_agents;
        d["traffic"] = r.traffic;
        d["service_level"] = r.service_level;
        d["occupancy"] = r.occupancy;
        d["waiting_probability"] = r.waiting_probability;
        d["average_speed_of_answer_us"] = r.average_speed_of_answer.count();
        return d;
      },
      py::arg("arrivals"), py::arg("interval_us"), py::arg("aht_us"), py::arg("answer_within_us"),
      py::arg("service_level"), py::arg("max_occupancy"), py::arg("shrinkage"));
}

}  // namespace cxkit_bind
