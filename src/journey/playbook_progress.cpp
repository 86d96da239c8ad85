// Playbook::progress: completed tasks from the event log, statuses and the re-projected finish
// (rules in playbook.hpp).
#include <algorithm>

#include "cxkit/journey/playbook.hpp"

namespace cxkit::journey {

std::vector<PlanProgress> Playbook::progress(std::span<const Plan> plans, const EventLog& log, Timestamp as_of,
                                             const ProgressOptions& options) const {
  const std::size_t n = tasks_.size();
  for (const auto& [task, activity] : options.activities) task_index(task);  // NotFoundError for a typo
  for (std::size_t i = 0; i < plans.size(); ++i) {
    bool same = plans[i].tasks.size() == n;
    for (std::size_t t = 0; same && t < n; ++t) same = plans[i].tasks[t].name == tasks_[t].name;
    if (!same)
      throw InputError("the plan's tasks are not this playbook's",
                       {"progress", -1, "plans[" + std::to_string(i) + "]", plans[i].customer});
  }

  // Activity id -> tasks it completes (several tasks may share an activity).
  const Dictionary& names = log.activity_names();
  std::vector<std::vector<std::uint32_t>> tasks_of(names.size());
  for (std::uint32_t t = 0; t < n; ++t) {
    auto it = options.activities.find(tasks_[t].name);
    const std::string& activity = it == options.activities.end() ? tasks_[t].name : it->second;
    if (auto id = names.find(activity)) tasks_of[*id].push_back(t);
  }

  const auto time = log.timestamps();
  const auto act = log.activity_ids();
  const std::int64_t as_of_us = to_micros(as_of);
  std::vector<PlanProgress> out;
  out.reserve(plans.size());
  std::vector<Timestamp> projected(n);
  for (const Plan& plan : plans) {
    const Calendar& cal = plan.calendar;
    PlanProgress pp;
    pp.customer = plan.customer;
    pp.planned_finish = plan.finish;
    pp.tasks.assign(n, {});
    if (auto c = log.case_names().find(plan.customer)) {
      const std::int64_t from = to_micros(plan.start);
      for (std::size_t e = log.case_begin(*c); e < log.case_end(*c); ++e) {
        if (time[e] >= as_of_us) break;  // sorted by time within the case
        if (time[e] < from) continue;
        for (std::uint32_t t : tasks_of[act[e]])
          if (!pp.tasks[t].completed) pp.tasks[t].completed = from_micros(time[e]);
      }
    }

    const Timestamp s0 = cal.next_working_time(plan.start);
    for (std::uint32_t v : topo_) {
      TaskProgress& tp = pp.tasks[v];
      const PlannedTask& planned = plan.tasks[v];
      if (tp.completed) {
        tp.status = *tp.completed <= planned.due ? TaskStatus::done : TaskStatus::done_late;
        projected[v] = *tp.completed;
      } else {
        tp.status = as_of > planned.due ? TaskStatus::overdue : TaskStatus::pending;
        Timestamp earliest = s0;
        if (tasks_[v].offset) earliest = std::max(earliest, cal.add_business_time(s0, tasks_[v].offset->resolve(cal)));
        for (std::uint32_t d : deps_[v]) earliest = std::max(earliest, projected[d]);
        const Timestamp start = cal.next_working_time(earliest);
        projected[v] = std::max(cal.add_business_time(start, planned.duration), as_of);
      }
      tp.projected_finish = projected[v];
      switch (tp.status) {
        case TaskStatus::done: ++pp.done; break;
        case TaskStatus::done_late: ++pp.done_late; break;
        case TaskStatus::pending: ++pp.pending; break;
        case TaskStatus::overdue: ++pp.overdue; break;
      }
    }
    pp.projected_finish = plan.finish;
    if (n != 0) pp.projected_finish = *std::max_element(projected.begin(), projected.end());
    pp.slip = cal.business_duration(pp.planned_finish, pp.projected_finish);
    pp.slip_days = static_cast<double>(pp.slip.count()) / static_cast<double>(business_day(cal).count());
    if (pp.overdue != 0) pp.status = PlanStatus::overdue;
    else if (pp.done + pp.done_late == n) pp.status = PlanStatus::complete;
    else if (pp.slip.count() > 0) pp.status = PlanStatus::at_risk;
    else pp.status = PlanStatus::on_track;
    out.push_back(std::move(pp));
  }
  return out;
}

}  // namespace cxkit::journey
