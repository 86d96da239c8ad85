// cxkit::journey funnels, designed journeys (conformance) and playbooks. Definitions cross as
// JSON text; results as dicts of lists that cxkit.journey turns into DataFrames.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include "cxkit/core/table.hpp"
#include "cxkit/journey/conformance.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/funnel.hpp"
#include "cxkit/journey/playbook.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace jr = cxkit::journey;
using cxkit::to_micros;

py::dict funnel_group(const jr::FunnelGroup& g) {
  py::dict d;
  py::list activity, customers, dropped, conv_prev, conv_first, med_entry, med_prev, next;
  for (const auto& s : g.steps) {
    activity.append(s.activity);
    customers.append(s.customers);
    dropped.append(s.dropped);
    conv_prev.append(s.conversion_from_previous);
    conv_first.append(s.conversion_from_first);
    med_entry.append(s.from_entry.median);
    med_prev.append(s.from_previous.median);
    py::list n;
    for (const auto& x : s.next_after_drop) n.append(py::make_tuple(x.activity, x.customers));
    next.append(n);
  }
  d["segment"] = g.segment;
  d["n_customers"] = g.n_customers;
  d["activity"] = activity;
  d["customers"] = customers;
  d["dropped"] = dropped;
  d["conversion_from_previous"] = conv_prev;
  d["conversion_from_first"] = conv_first;
  d["median_seconds_from_entry"] = med_entry;
  d["median_seconds_from_previous"] = med_prev;
  d["next_after_drop"] = next;
  return d;
}

py::dict conformance_of(const jr::ConformanceResult& r) {
  py::dict out;
  py::list customer, entered, fitness, skipped, ooo, unexpected, current, time_in, overdue, first_dev;
  for (const auto& c : r.customers) {
    customer.append(c.customer);
    entered.append(c.entered);
    fitness.append(c.fitness);
    py::list sk, oo;
    for (auto i : c.skipped) sk.append(r.stage_names[i]);
    for (auto i : c.out_of_order) oo.append(r.stage_names[i]);
    skipped.append(sk);
    ooo.append(oo);
    unexpected.append(c.unexpected);
    current.append(c.current_stage == cxkit::kNoId ? py::object(py::none()) : py::object(py::str(r.stage_names[c.current_stage])));
    time_in.append(c.time_in_current.count());
    overdue.append(c.overdue);
    first_dev.append(c.first_deviation == jr::DeviationKind::none
                         ? std::string()
                         : std::string(jr::to_string(c.first_deviation)) + ": " + c.first_deviation_name);
  }
  py::dict cust;
  cust["customer"] = customer;
  cust["entered"] = entered;
  cust["fitness"] = fitness;
  cust["skipped"] = skipped;
  cust["out_of_order"] = ooo;
  cust["unexpected"] = unexpected;
  cust["current_stage"] = current;
  cust["time_in_current_us"] = time_in;
  cust["overdue"] = overdue;
  cust["first_deviation"] = first_dev;
  out["customers"] = cust;
  py::dict st;
  py::list name, reached, skip, bypass, not_reached, out_of_order, cur, od, over;
  for (const auto& s : r.summary.stages) {
    name.append(s.stage);
    reached.append(s.reached);
    skip.append(s.skipped);
    bypass.append(s.bypassed);
    not_reached.append(s.not_reached);
    out_of_order.append(s.out_of_order);
    cur.append(s.current);
    od.append(s.overdue);
    over.append(s.over_target);
  }
  st["stage"] = name;
  st["reached"] = reached;
  st["skipped"] = skip;
  st["bypassed"] = bypass;
  st["not_reached"] = not_reached;
  st["out_of_order"] = out_of_order;
  st["current"] = cur;
  st["overdue"] = od;
  st["over_target"] = over;
  out["stages"] = st;
  py::list devs;
  for (const auto& d : r.summary.first_deviations)
    devs.append(py::make_tuple(jr::to_string(d.kind), d.name, d.from_stage, d.customers));
  out["first_deviations"] = devs;
  py::list eff;
  for (const auto& e : r.summary.outcome_effects)
    eff.append(py::make_tuple(jr::to_string(e.kind), e.name, e.n_with, e.rate_with, e.n_without, e.rate_without,
                              e.difference));
  out["outcome_effects"] = eff;
  out["mean_fitness"] = r.summary.mean_fitness;
  out["n_entered"] = r.summary.n_entered;
  out["n_conforming"] = r.summary.n_conforming;
  out["n_overdue"] = r.summary.n_overdue;
  return out;
}

py::dict plan_of(const jr::Plan& p) {
  py::dict d;
  py::list name, owner, start, due, slack, critical;
  for (const auto& t : p.tasks) {
    name.append(t.name);
    owner.append(t.owner);
    start.append(to_micros(t.start));
    due.append(to_micros(t.due));
    slack.append(t.slack_days);
    critical.append(t.critical);
  }
  d["customer"] = p.customer;
  d["finish"] = to_micros(p.finish);
  d["task"] = name;
  d["owner"] = owner;
  d["start_us"] = start;
  d["due_us"] = due;
  d["slack_days"] = slack;
  d["critical"] = critical;
  py::list path;
  for (auto i : p.critical_path) path.append(p.tasks[i].name);
  d["critical_path"] = path;
  return d;
}

}  // namespace

void register_journey_plans(py::module_& m) {
  m.def(
      "funnel",
      [](const cxkit::EventLog& log, std::vector<std::string> steps, std::optional<std::int64_t> within_us,
         const std::string& order, const std::string& entry, std::optional<cxkit::Calendar> calendar,
         std::optional<cxkit::Table> accounts, const std::string& column) {
        jr::FunnelOptions o;
        o.steps = std::move(steps);
        if (within_us) o.within = cxkit::Duration{*within_us};
        if (order == "strict") o.order = jr::FunnelOrder::strict;
        else if (order == "any") o.order = jr::FunnelOrder::any;
        else throw py::value_error("order must be 'strict' or 'any', not '" + order + "'");
        if (entry == "first") o.entry = jr::FunnelEntry::first;
        else if (entry == "best") o.entry = jr::FunnelEntry::best;
        else throw py::value_error("entry must be 'first' or 'best', not '" + entry + "'");
        o.calendar = std::move(calendar);
        jr::FunnelResult r;
        {
          py::gil_scoped_release release;
          r = accounts ? jr::funnel(log, o, *accounts, column) : jr::funnel(log, o);
        }
        py::list segments;
        for (const auto& g : r.segments) segments.append(funnel_group(g));
        return py::make_tuple(funnel_group(r.overall), segments);
      },
      py::arg("log"), py::arg("steps"), py::arg("within_us"), py::arg("order"), py::arg("entry"),
      py::arg("calendar"), py::arg("accounts"), py::arg("column"));

  py::class_<jr::JourneyDesign>(m, "JourneyDesign", "A designed journey (C++ core).")
      .def_static("from_json_text", [](const std::string& text) { return jr::JourneyDesign::from_json_text(text); })
      .def("to_json_text", [](const jr::JourneyDesign& d) { return d.to_json().dump(); })
      .def("validate_against", &jr::JourneyDesign::validate_against)
      .def(
          "check",
          [](const jr::JourneyDesign& d, const cxkit::EventLog& log, std::optional<std::int64_t> as_of_us,
             std::optional<cxkit::Calendar> calendar, std::optional<std::vector<double>> outcome,
             bool all_activities_relevant) {
            jr::CheckOptions o;
            if (as_of_us) o.as_of = cxkit::from_micros(*as_of_us);
            o.calendar = std::move(calendar);
            o.all_activities_relevant = all_activities_relevant;
            if (outcome) o.outcome = *outcome;
            jr::ConformanceResult r;
            {
              py::gil_scoped_release release;
              r = d.check(log, o);
            }
            return conformance_of(r);
          },
          py::arg("log"), py::arg("as_of_us"), py::arg("calendar"), py::arg("outcome"),
          py::arg("all_activities_relevant"));

  py::class_<jr::Playbook>(m, "Playbook", "An onboarding playbook template (C++ core).")
      .def_static("from_json_text", [](const std::string& text) { return jr::Playbook::from_json_text(text); })
      .def("to_json_text", [](const jr::Playbook& p) { return p.to_json().dump(); })
      .def("instantiate",
           [](const jr::Playbook& p, const std::string& customer, std::int64_t start_us, const cxkit::Calendar& cal) {
             return plan_of(p.instantiate(customer, cxkit::from_micros(start_us), cal));
           })
      .def("progress",
           [](const jr::Playbook& p, const std::vector<std::string>& customers, const std::vector<std::int64_t>& starts,
              const cxkit::Calendar& cal, const cxkit::EventLog& log, std::int64_t as_of_us,
              std::map<std::string, std::string> activities) {
             std::vector<cxkit::Timestamp> ts;
             for (auto s : starts) ts.push_back(cxkit::from_micros(s));
             std::vector<jr::PlanProgress> prog;
             {
               py::gil_scoped_release release;
               const auto plans = p.instantiate(customers, ts, cal);
               jr::ProgressOptions o;
               o.activities = std::move(activities);
               prog = p.progress(plans, log, cxkit::from_micros(as_of_us), o);
             }
             py::dict d;
             py::list customer, status, done, done_late, pending, overdue, planned, projected, slip;
             for (const auto& x : prog) {
               customer.append(x.customer);
               status.append(jr::to_string(x.status));
               done.append(x.done);
               done_late.append(x.done_late);
               pending.append(x.pending);
               overdue.append(x.overdue);
               planned.append(to_micros(x.planned_finish));
               projected.append(to_micros(x.projected_finish));
               slip.append(x.slip_days);
             }
             d["customer"] = customer;
             d["status"] = status;
             d["done"] = done;
             d["done_late"] = done_late;
             d["pending"] = pending;
             d["overdue"] = overdue;
             d["planned_finish_us"] = planned;
             d["projected_finish_us"] = projected;
             d["slip_days"] = slip;
             return d;
           });
}

}  // namespace cxkit_bind
