// cxkit::moments: definitions cross as JSON text, occurrences as dicts of arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string_view>
#include <unordered_map>

#include "cxkit/core/table.hpp"
#include "cxkit/moments/compliance.hpp"
#include "cxkit/moments/evaluate.hpp"
#include "cxkit/moments/milestones.hpp"
#include "cxkit/moments/moment.hpp"
#include "cxkit/moments/nps.hpp"
#include "cxkit/moments/staffing.hpp"
#include "py_progress.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace mo = cxkit::moments;
using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;
using I64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using I32 = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using U32 = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using U8 = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;
constexpr std::int64_t kNat = std::numeric_limits<std::int64_t>::min();

template <class T>
py::array_t<T> array_of(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

// Compliance rows as a dict of columns (durations in microseconds, kNat when none).
py::dict rows_dict(const std::vector<mo::ComplianceRow>& rows) {
  const std::size_t n = rows.size();
  std::vector<std::uint32_t> moment(n);
  std::vector<std::int32_t> period(n);
  std::vector<std::uint64_t> count(n), met(n), breached(n), pending(n), overdue(n), cancelled(n);
  std::vector<double> rate(n);
  std::vector<std::int64_t> median(n), p90(n);
  py::list group;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = rows[i];
    moment[i] = r.moment;
    period[i] = r.period;
    count[i] = r.count;
    met[i] = r.met;
    breached[i] = r.breached;
    pending[i] = r.pending;
    overdue[i] = r.overdue;
    cancelled[i] = r.cancelled;
    rate[i] = r.met_rate;
    median[i] = r.median_elapsed == cxkit::Duration::min() ? kNat : r.median_elapsed.count();
    p90[i] = r.p90_elapsed == cxkit::Duration::min() ? kNat : r.p90_elapsed.count();
    group.append(r.group);
  }
  py::dict d;
  d["moment"] = array_of(moment);
  d["group"] = group;
  d["period"] = array_of(period);
  d["count"] = array_of(count);
  d["met"] = array_of(met);
  d["breached"] = array_of(breached);
  d["pending"] = array_of(pending);
  d["overdue"] = array_of(overdue);
  d["cancelled"] = array_of(cancelled);
  d["met_rate"] = array_of(rate);
  d["median_elapsed_us"] = array_of(median);
  d["p90_elapsed_us"] = array_of(p90);
  return d;
}

std::span<const double> values_of(const F64& a) { return {a.data(), static_cast<std::size_t>(a.size())}; }

// Occurrences as a dict of columns: numbers as arrays, status as codes (mo::Status order),
// keys as codes into the list of distinct key values (a Python string per distinct key only).
// `progress`: None or f(done, total) in cases; Ctrl-C is checked either way (py_progress.hpp).
py::dict evaluate_dict(const cxkit::EventLog& log, const std::vector<mo::Moment>& moments,
                       std::optional<std::int64_t> as_of_us, unsigned threads, py::object progress) {
  mo::EvaluateOptions o;
  if (as_of_us) o.as_of = cxkit::from_micros(*as_of_us);
  o.threads = threads;
  PyProgress py_progress{std::move(progress), {}};
  const std::vector<mo::Occurrence> occ = py_progress.run([&](cxkit::Progress p) {
    o.progress = std::move(p);
    return mo::evaluate(log, moments, o);
  });
  const std::size_t n = occ.size();
  py::array_t<std::uint32_t> case_id(n), moment(n), key_code(n);
  py::array_t<std::uint8_t> status(n);
  py::array_t<std::int64_t> started(n), stopped(n), elapsed(n), target(n), deadline(n), remaining(n);
  std::vector<const std::string*> distinct;
  {
    std::uint32_t* c = case_id.mutable_data();
    std::uint32_t* mm = moment.mutable_data();
    std::uint32_t* kc = key_code.mutable_data();
    std::uint8_t* st = status.mutable_data();
    std::int64_t *s0 = started.mutable_data(), *s1 = stopped.mutable_data(), *el = elapsed.mutable_data(),
                 *tg = target.mutable_data(), *dl = deadline.mutable_data(), *rm = remaining.mutable_data();
    py::gil_scoped_release release;
    std::unordered_map<std::string_view, std::uint32_t> codes;
    codes.reserve(n / 4 + 16);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& x = occ[i];
      c[i] = x.case_id;
      mm[i] = x.moment;
      s0[i] = cxkit::to_micros(x.started);
      s1[i] = x.stopped ? cxkit::to_micros(*x.stopped) : kNat;
      el[i] = x.elapsed.count();
      tg[i] = x.target.count();
      dl[i] = cxkit::to_micros(x.deadline);
      rm[i] = x.remaining ? x.remaining->count() : kNat;
      st[i] = static_cast<std::uint8_t>(x.status);
      const auto [it, added] = codes.try_emplace(x.key, static_cast<std::uint32_t>(distinct.size()));
      if (added) distinct.push_back(&x.key);
      kc[i] = it->second;
    }
  }
  py::list key_values(distinct.size());
  for (std::size_t i = 0; i < distinct.size(); ++i) key_values[i] = py::str(*distinct[i]);
  py::dict d;
  d["case_id"] = case_id;
  d["moment"] = moment;
  d["key_code"] = key_code;
  d["key_values"] = key_values;
  d["started"] = started;
  d["stopped"] = stopped;
  d["elapsed"] = elapsed;
  d["target"] = target;
  d["deadline"] = deadline;
  d["status"] = status;
  d["remaining"] = remaining;
  return d;
}

}  // namespace

void register_moments(py::module_& m) {
  m.def("moment_normalize", [](const std::string& text) { return mo::Moment::from_json_text(text).to_json().dump(); });
  py::class_<mo::Moment>(m, "MomentDef", "A validated moment definition (C++ core); calendars built once.")
      .def_static("from_json_text", &mo::Moment::from_json_text, py::arg("text"))
      .def("to_json_text", [](const mo::Moment& d) { return d.to_json().dump(); })
      .def_property_readonly("name", [](const mo::Moment& d) { return d.name; });
  m.def(
      "moments_evaluate",
      [](const cxkit::EventLog& log, const std::vector<mo::Moment>& moments, std::optional<std::int64_t> as_of_us,
         unsigned threads, py::object progress) {
        return evaluate_dict(log, moments, as_of_us, threads, std::move(progress));
      },
      py::arg("log"), py::arg("moments"), py::arg("as_of_us"), py::arg("threads"), py::arg("progress") = py::none());
  m.def(
      "moments_evaluate",
      [](const cxkit::EventLog& log, const std::vector<std::string>& definitions, std::optional<std::int64_t> as_of_us,
         unsigned threads, py::object progress) {
        std::vector<mo::Moment> moments;
        for (const auto& d : definitions) moments.push_back(mo::Moment::from_json_text(d));
        return evaluate_dict(log, moments, as_of_us, threads, std::move(progress));
      },
      py::arg("log"), py::arg("definitions"), py::arg("as_of_us"), py::arg("threads"),
      py::arg("progress") = py::none());
  // Compliance: cells keyed by (moment, group label, period); Python computes the labels and
  // period ordinals, C++ keeps the counts and the exact elapsed values (mergeable).
  py::class_<mo::Compliance>(m, "Compliance", "Mergeable compliance cells (C++ core).")
      .def(py::init<bool>(), py::arg("by_period"))
      .def_property_readonly("by_period", &mo::Compliance::by_period)
      .def("copy", [](const mo::Compliance& c) { return mo::Compliance(c); })
      .def(
          "add_arrays",
          [](mo::Compliance& c, const U32& moment, const I64& group, const std::vector<std::string>& labels,
             const I32& period, const U8& status, const I64& elapsed) {
            const auto n = static_cast<std::size_t>(moment.size());
            if (static_cast<std::size_t>(group.size()) != n || static_cast<std::size_t>(status.size()) != n ||
                static_cast<std::size_t>(elapsed.size()) != n ||
                (period.size() != 0 && static_cast<std::size_t>(period.size()) != n))
              throw cxkit::InputError("compliance arrays differ in length");
            const std::uint32_t* mo_ = moment.data();
            const std::int64_t* g = group.data();
            const std::int32_t* p = period.size() ? period.data() : nullptr;
            const std::uint8_t* st = status.data();
            const std::int64_t* el = elapsed.data();
            for (std::size_t i = 0; i < n; ++i) {
              if (g[i] < 0 || static_cast<std::size_t>(g[i]) >= labels.size())
                throw cxkit::InputError("group code out of range", {"occurrences", static_cast<std::int64_t>(i),
                                                                    "group", std::to_string(g[i]), "row"});
              if (st[i] > static_cast<std::uint8_t>(mo::Status::cancelled))
                throw cxkit::InputError("unknown status code", {"occurrences", static_cast<std::int64_t>(i), "status",
                                                                std::to_string(st[i]), "row"});
            }
            py::gil_scoped_release release;
            for (std::size_t i = 0; i < n; ++i)
              c.add(mo_[i], labels[static_cast<std::size_t>(g[i])], p ? p[i] : mo::kAllPeriods,
                    static_cast<mo::Status>(st[i]), cxkit::Duration{el[i]});
          },
          py::arg("moment"), py::arg("group"), py::arg("labels"), py::arg("period"), py::arg("status"),
          py::arg("elapsed_us"))
      .def(
          "merge",
          [](mo::Compliance& c, const mo::Compliance& other, std::optional<std::vector<std::uint32_t>> moment_map) {
            py::gil_scoped_release release;
            if (moment_map) c.merge(other, *moment_map);
            else c.merge(other);
          },
          py::arg("other"), py::arg("moment_map") = std::nullopt)
      .def("rows",
           [](const mo::Compliance& c) {
             std::vector<mo::ComplianceRow> rows;
             {
               py::gil_scoped_release release;
               rows = c.rows();
             }
             return rows_dict(rows);
           })
      .def("cells",
           [](const mo::Compliance& c) {
             py::list out;
             for (const auto& [k, cell] : c.cells())
               out.append(py::make_tuple(std::get<0>(k), std::get<1>(k), std::get<2>(k), cell.count, cell.met,
                                         cell.breached, cell.pending, cell.overdue, cell.cancelled,
                                         array_of(cell.elapsed_us)));
             return out;
           })
      .def(
          "add_cell",
          [](mo::Compliance& c, std::uint32_t moment, const std::string& group, std::int32_t period,
             std::uint64_t count, std::uint64_t met, std::uint64_t breached, std::uint64_t pending,
             std::uint64_t overdue, std::uint64_t cancelled, const I64& elapsed) {
            mo::ComplianceCell cell;
            cell.count = count;
            cell.met = met;
            cell.breached = breached;
            cell.pending = pending;
            cell.overdue = overdue;
            cell.cancelled = cancelled;
            cell.elapsed_us.assign(elapsed.data(), elapsed.data() + elapsed.size());
            if (cell.elapsed_us.size() != met + breached || count != met + breached + pending + overdue + cancelled)
              throw cxkit::InputError("inconsistent compliance cell (counts do not add up)");
            c.add_cell({moment, group, period}, cell);
          });
  m.def(
      "nps_summaries",
      [](const I64& promoters, const I64& passives, const I64& detractors, double confidence) {
        const auto n = static_cast<std::size_t>(promoters.size());
        if (static_cast<std::size_t>(passives.size()) != n || static_cast<std::size_t>(detractors.size()) != n)
          throw cxkit::InputError("tally arrays differ in length");
        std::vector<double> nps(n), se(n), lo(n), hi(n);
        py::list band;
        for (std::size_t i = 0; i < n; ++i) {
          mo::NpsTally t;
          t.promoters = static_cast<std::uint64_t>(promoters.data()[i]);
          t.passives = static_cast<std::uint64_t>(passives.data()[i]);
          t.detractors = static_cast<std::uint64_t>(detractors.data()[i]);
          const auto r = mo::summarize(t, confidence);
          nps[i] = r.nps;
          se[i] = r.se;
          lo[i] = r.ci_low;
          hi[i] = r.ci_high;
          band.append(mo::to_string(r.band));
        }
        py::dict d;
        d["nps"] = array_of(nps);
        d["se"] = array_of(se);
        d["ci_low"] = array_of(lo);
        d["ci_high"] = array_of(hi);
        d["band"] = band;
        return d;
      },
      py::arg("promoters"), py::arg("passives"), py::arg("detractors"), py::arg("confidence") = 0.95);
  m.def("milestone_rule_normalize",
        [](const std::string& text) { return mo::MilestoneRule::from_json_text(text).to_json().dump(); });
  m.def(
      "milestones_due",
      [](const cxkit::EventLog& log, const cxkit::Table& accounts, const std::vector<std::string>& rules_json,
         std::int64_t start_us, std::int64_t end_us, const std::string& signup_column) {
        std::vector<mo::MilestoneRule> rules;
        for (const auto& t : rules_json) rules.push_back(mo::MilestoneRule::from_json_text(t));
        mo::DueOptions o;
        o.start = cxkit::from_micros(start_us);
        o.end = cxkit::from_micros(end_us);
        o.signup_column = signup_column;
        std::vector<mo::DueItem> items;
        {
          py::gil_scoped_release release;
          items = mo::due(log, accounts, rules, o);
        }
        std::vector<std::uint32_t> rule(items.size());
        std::vector<std::int64_t> at(items.size());
        py::list account, reason;
        for (std::size_t i = 0; i < items.size(); ++i) {
          rule[i] = items[i].rule;
          at[i] = cxkit::to_micros(items[i].due);
          account.append(items[i].account);
          reason.append(items[i].reason);
        }
        py::dict d;
        d["account"] = account;
        d["rule"] = array_of(rule);
        d["due"] = array_of(at);
        d["reason"] = reason;
        return d;
      },
      py::arg("log"), py::arg("accounts"), py::arg("rules"), py::arg("start_us"), py::arg("end_us"),
      py::arg("signup_column"));
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
