// Playbook: validation, JSON round trip, and per-customer scheduling (rules in playbook.hpp).
#include "cxkit/journey/playbook.hpp"

#include <algorithm>

#include "dag.hpp"
#include "json_fields.hpp"

namespace cxkit::journey {

namespace {
const detail::JsonContext kCtx{"Playbook"};

void check_amount(const BusinessDuration& d, const std::string& path) {
  if (!(d.amount >= 0 && d.amount <= BusinessDuration::kMaxAmount))
    kCtx.fail(path, "must be between 0 and 1e6 units", std::to_string(d.amount));
}
}  // namespace

const char* to_string(TaskStatus s) noexcept {
  switch (s) {
    case TaskStatus::done: return "done";
    case TaskStatus::done_late: return "done_late";
    case TaskStatus::pending: return "pending";
    case TaskStatus::overdue: return "overdue";
  }
  return "?";
}

const char* to_string(PlanStatus s) noexcept {
  switch (s) {
    case PlanStatus::on_track: return "on_track";
    case PlanStatus::at_risk: return "at_risk";
    case PlanStatus::overdue: return "overdue";
    case PlanStatus::complete: return "complete";
  }
  return "?";
}

Playbook::Playbook(std::vector<PlaybookTask> tasks, std::string name) : name_(std::move(name)), tasks_(std::move(tasks)) {
  const std::size_t n = tasks_.size();
  if (n >= kNoId) kCtx.fail("tasks", "too many tasks");
  Dictionary index;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string path = detail::JsonContext::index("tasks", i);
    if (tasks_[i].name.empty()) kCtx.fail(path + ".name", "a task needs a name");
    if (index.intern(tasks_[i].name) != i) kCtx.fail(path + ".name", "task listed twice", tasks_[i].name);
    check_amount(tasks_[i].duration, path + ".duration");
    if (tasks_[i].offset) check_amount(*tasks_[i].offset, path + ".offset");
  }
  deps_.assign(n, {});
  succ_.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const auto& d = tasks_[i].depends_on;
    for (std::size_t j = 0; j < d.size(); ++j) {
      const std::string path = detail::JsonContext::index(detail::JsonContext::index("tasks", i) + ".depends_on", j);
      const auto id = index.find(d[j]);
      if (!id) kCtx.fail(path, "not a task of the playbook", d[j]);
      if (std::find(deps_[i].begin(), deps_[i].end(), *id) != deps_[i].end()) kCtx.fail(path, "listed twice", d[j]);
      deps_[i].push_back(*id);
      succ_[*id].push_back(static_cast<std::uint32_t>(i));
    }
  }
  // A cycle in "a depends on b" is a cycle in "b before a"; report it in the order of work
  // (dependency first) so "a -> b" reads "a, then b".
  if (const auto cycle = detail::find_cycle(succ_); !cycle.empty())
    kCtx.fail("tasks", "dependencies must not form a cycle; cycle (each task must finish before the next "
                           "starts): " +
                           detail::describe_cycle(cycle, [&](std::uint32_t t) { return tasks_[t].name; }));
  topo_ = detail::topological_order(succ_);
}

std::size_t Playbook::task_index(std::string_view name) const {
  for (std::size_t i = 0; i < tasks_.size(); ++i)
    if (tasks_[i].name == name) return i;
  std::string list;
  for (const auto& t : tasks_) list += (list.empty() ? "'" : ", '") + t.name + "'";
  throw NotFoundError("unknown task '" + std::string(name) + "'; tasks: " + (list.empty() ? "(none)" : list));
}

Playbook Playbook::from_json(const nlohmann::json& j) {
  using detail::JsonContext;
  kCtx.object(j, "");
  kCtx.only_keys(j, "", {"name", "tasks"});
  std::string name;
  if (j.contains("name")) name = kCtx.string(j["name"], "name", true);
  if (!j.contains("tasks")) kCtx.fail("tasks", "missing; a playbook needs a list of tasks");
  const auto& arr = kCtx.array(j["tasks"], "tasks");
  std::vector<PlaybookTask> tasks;
  tasks.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string path = JsonContext::index("tasks", i);
    const auto& t = kCtx.object(arr[i], path);
    kCtx.only_keys(t, path, {"name", "duration", "depends_on", "owner", "offset"});
    PlaybookTask task;
    if (!t.contains("name")) kCtx.fail(path + ".name", "missing; every task needs a name");
    task.name = kCtx.string(t["name"], path + ".name");
    if (!t.contains("duration")) kCtx.fail(path + ".duration", "missing; every task needs a duration such as \"3D\" or \"4h\"");
    task.duration = kCtx.duration(t["duration"], path + ".duration");
    if (t.contains("depends_on")) {
      const auto& d = kCtx.array(t["depends_on"], path + ".depends_on");
      for (std::size_t k = 0; k < d.size(); ++k)
        task.depends_on.push_back(kCtx.string(d[k], JsonContext::index(path + ".depends_on", k)));
    }
    if (t.contains("owner")) task.owner = kCtx.string(t["owner"], path + ".owner", true);
    if (t.contains("offset") && !t["offset"].is_null()) task.offset = kCtx.duration(t["offset"], path + ".offset");
    tasks.push_back(std::move(task));
  }
  return Playbook(std::move(tasks), std::move(name));
}

Playbook Playbook::from_json_text(std::string_view text) { return from_json(detail::parse_json_text(text, "Playbook")); }

nlohmann::json Playbook::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  if (!name_.empty()) j["name"] = name_;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& t : tasks_) {
    nlohmann::json o = nlohmann::json::object();
    o["name"] = t.name;
    o["duration"] = t.duration.to_string();
    if (!t.depends_on.empty()) o["depends_on"] = t.depends_on;
    if (!t.owner.empty()) o["owner"] = t.owner;
    if (t.offset) o["offset"] = t.offset->to_string();
    arr.push_back(std::move(o));
  }
  j["tasks"] = std::move(arr);
  return j;
}

Plan Playbook::instantiate(std::string customer, Timestamp start, const Calendar& calendar) const {
  const std::size_t n = tasks_.size();
  Plan plan;
  plan.customer = std::move(customer);
  plan.start = start;
  plan.calendar = calendar;
  plan.tasks.resize(n);
  const Timestamp s0 = calendar.next_working_time(start);
  const Duration day = business_day(calendar);

  // Forward pass. driver[v]: the dependency that set v's start, or kNoId when s0 / the
  // offset did.
  std::vector<std::uint32_t> driver(n, kNoId);
  for (std::uint32_t v : topo_) {
    PlannedTask& p = plan.tasks[v];
    const PlaybookTask& t = tasks_[v];
    p.name = t.name;
    p.owner = t.owner;
    p.duration = t.duration.resolve(calendar);
    Timestamp fixed = s0;
    if (t.offset) fixed = std::max(fixed, calendar.add_business_time(s0, t.offset->resolve(calendar)));
    Timestamp earliest = fixed;
    if (!deps_[v].empty()) {
      std::uint32_t best = kNoId;
      for (std::uint32_t d : deps_[v])
        if (best == kNoId || plan.tasks[d].due > plan.tasks[best].due ||
            (plan.tasks[d].due == plan.tasks[best].due && d < best))
          best = d;
      const Timestamp dep_due = plan.tasks[best].due;
      if (calendar.next_working_time(dep_due) >= calendar.next_working_time(fixed)) driver[v] = best;
      earliest = std::max(earliest, dep_due);
    }
    p.start = calendar.next_working_time(earliest);
    p.due = calendar.add_business_time(p.start, p.duration);
  }
  plan.finish = s0;
  std::uint32_t last = kNoId;
  for (std::uint32_t v = 0; v < n; ++v)
    if (last == kNoId || plan.tasks[v].due > plan.tasks[last].due) last = v;
  if (last != kNoId) plan.finish = std::max(s0, plan.tasks[last].due);

  // Backward pass: latest finish and slack.
  std::vector<Timestamp> latest_finish(n), latest_start(n);
  for (auto it = topo_.rbegin(); it != topo_.rend(); ++it) {
    const std::uint32_t v = *it;
    Timestamp lf = plan.finish;
    for (std::uint32_t u : succ_[v]) lf = std::min(lf, latest_start[u]);
    latest_finish[v] = lf;
    latest_start[v] = calendar.add_business_time(lf, -plan.tasks[v].duration);
    PlannedTask& p = plan.tasks[v];
    p.slack = calendar.business_duration(p.due, lf);
    if (p.slack.count() < 0) p.slack = Duration{0};
    p.slack_days = static_cast<double>(p.slack.count()) / static_cast<double>(day.count());
    p.critical = p.slack.count() == 0;
  }

  for (std::uint32_t v = last; v != kNoId; v = driver[v]) plan.critical_path.push_back(v);
  std::reverse(plan.critical_path.begin(), plan.critical_path.end());
  return plan;
}

std::vector<Plan> Playbook::instantiate(std::span<const std::string> customers, std::span<const Timestamp> starts,
                                        const Calendar& calendar) const {
  if (customers.size() != starts.size())
    throw InputError(std::to_string(customers.size()) + " customers but " + std::to_string(starts.size()) + " start times");
  std::vector<Plan> plans;
  plans.reserve(customers.size());
  for (std::size_t i = 0; i < customers.size(); ++i) plans.push_back(instantiate(customers[i], starts[i], calendar));
  return plans;
}

}  // namespace cxkit::journey
