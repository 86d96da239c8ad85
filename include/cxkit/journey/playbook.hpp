// Playbooks (journey templates): a task list with durations and dependencies, scheduled per
// customer on a business calendar, and progress of each customer's plan from the event log.
//
// Scheduling (instantiate), all in business time on the plan's calendar:
// - The plan starts at s0 = calendar.next_working_time(start).
// - A task starts at the next working time after the latest of: s0, s0 + offset (when the
//   task has a fixed offset: "start no earlier than"), and the due time of each dependency.
//   Its due time is calendar.add_business_time(start, duration) ("3D" = 3 business days, see
//   business_duration.hpp): a 3D task starting Monday 09:00 on a Mon-Fri 09:00-17:00 calendar
//   is due Wednesday 17:00, its successors start Thursday 09:00, and holidays are skipped.
// - The plan's finish is the latest due time. Slack (total float) of a task: business time
//   between its due time and its latest allowed finish, found by a backward pass (tasks
//   without successors may finish at the plan's finish; others must finish by the latest
//   start of every successor, latest start = latest finish - duration in business time).
//   Critical tasks have zero slack.
// - The critical path is the chain that determines the finish: from the task due last, back
//   through the dependency that determined each task's start (the one due last), until a task
//   whose start was set by s0 or its offset. Ties (several tasks due last, several
//   dependencies due at the same instant) go to the task listed first in the playbook.
//
// Progress (Playbook::progress), using only events strictly before as_of:
// - A task is completed by the first event of its activity (the task name, or
//   ProgressOptions::activities[task]) in the customer's case at or after the plan's start.
// - Task status: done (completed by its due time), done_late, pending (not done, due time not
//   passed: as_of <= due), overdue (not done and as_of > due).
// - Projection: done tasks finish when they were completed; every other task starts when its
//   dependencies (projected) and constraints allow, as in the schedule, takes its full
//   duration, and cannot finish before as_of. The projected finish is the latest projected
//   task finish; slip = business time from the planned to the projected finish, in business
//   days (negative when ahead).
// - Plan status: overdue when a task is overdue; else complete when every task is done; else
//   at_risk when the projected finish is later than the planned finish (the critical path
//   slips); else on_track.
//
// JSON: {"name": "onboarding", "tasks": [{"name": "kickoff", "duration": "1D",
//        "depends_on": ["contract"], "owner": "CSM", "offset": "2D"}, ...]}
// ("name" of the playbook, "depends_on", "owner" and "offset" are optional). Errors are
// InputError with source "Playbook" and the field path as column ("tasks[3].depends_on[1]").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/journey/business_duration.hpp"

namespace cxkit::journey {

struct PlaybookTask {
  std::string name;  ///< unique, not empty
  BusinessDuration duration;
  std::vector<std::string> depends_on;  ///< names of other tasks, each once
  std::string owner;                    ///< role ("CSM", "Solutions engineer"); may be empty
  /// Start no earlier than this much business time after the plan's start.
  std::optional<BusinessDuration> offset;
  friend bool operator==(const PlaybookTask&, const PlaybookTask&) = default;
};

struct PlannedTask {
  std::string name;
  std::string owner;
  Timestamp start{};
  Timestamp due{};
  Duration duration{0};  ///< business time
  Duration slack{0};     ///< business time
  double slack_days = 0; ///< slack / business_day(calendar)
  bool critical = false; ///< slack == 0
};

struct Plan {
  std::string customer;
  Timestamp start{};   ///< as requested
  Timestamp finish{};  ///< latest due time
  Calendar calendar = Calendar::always();
  std::vector<PlannedTask> tasks;           ///< in playbook order
  std::vector<std::uint32_t> critical_path; ///< task indices, first to last
};

enum class TaskStatus : std::uint8_t { done, done_late, pending, overdue };
enum class PlanStatus : std::uint8_t { on_track, at_risk, overdue, complete };
const char* to_string(TaskStatus s) noexcept;
const char* to_string(PlanStatus s) noexcept;

struct TaskProgress {
  TaskStatus status = TaskStatus::pending;
  std::optional<Timestamp> completed;
  Timestamp projected_finish{};
};

struct PlanProgress {
  std::string customer;
  PlanStatus status = PlanStatus::on_track;
  std::uint32_t done = 0, done_late = 0, pending = 0, overdue = 0;
  Timestamp planned_finish{};
  Timestamp projected_finish{};
  Duration slip{0};       ///< business time, negative when ahead
  double slip_days = 0;   ///< slip / business_day(calendar)
  std::vector<TaskProgress> tasks;  ///< in playbook order
};

struct ProgressOptions {
  /// task name -> activity completing it; tasks not listed use their own name.
  std::map<std::string, std::string> activities;
};

class Playbook {
 public:
  Playbook() = default;
  /// Validates and builds. Throws InputError naming the field: an empty or repeated task
  /// name ("tasks[i].name"), a dependency that is not a task or is listed twice
  /// ("tasks[i].depends_on[j]"), a duration or offset out of range ("tasks[i].duration"), a
  /// dependency cycle (column "tasks", the message naming the tasks as "a -> b -> c -> a";
  /// a task depending on itself is the cycle "a -> a"). O(tasks^2 + dependencies).
  explicit Playbook(std::vector<PlaybookTask> tasks, std::string name = {});

  /// Reads the JSON form (see above); unknown fields are errors. "duration" is required.
  static Playbook from_json(const nlohmann::json& j);
  static Playbook from_json_text(std::string_view text);
  /// from_json(to_json()) == *this; empty owner, no offset and no dependencies are left out.
  nlohmann::json to_json() const;

  const std::string& name() const noexcept { return name_; }
  const std::vector<PlaybookTask>& tasks() const noexcept { return tasks_; }
  std::size_t size() const noexcept { return tasks_.size(); }
  /// Position of a task; NotFoundError listing the tasks.
  std::size_t task_index(std::string_view name) const;
  /// Dependencies and dependants as task indices.
  const std::vector<std::vector<std::uint32_t>>& dependency_indices() const noexcept { return deps_; }
  const std::vector<std::vector<std::uint32_t>>& dependant_indices() const noexcept { return succ_; }
  /// A topological order (dependencies first, otherwise playbook order).
  const std::vector<std::uint32_t>& topological_order() const noexcept { return topo_; }

  /// The schedule of one customer (rules above). O(tasks + dependencies) calendar operations.
  /// Throws InputError when a date falls outside 0001-9999 (from Calendar).
  Plan instantiate(std::string customer, Timestamp start, const Calendar& calendar = Calendar::always()) const;
  /// One plan per customer; throws InputError when the spans differ in length.
  std::vector<Plan> instantiate(std::span<const std::string> customers, std::span<const Timestamp> starts,
                                const Calendar& calendar = Calendar::always()) const;

  /// Progress of each plan as of `as_of` (rules above), in the order of `plans`.
  /// Throws InputError when a plan's tasks are not this playbook's (naming "plans[i]");
  /// NotFoundError when options.activities names a task that is not in the playbook.
  /// An activity the log does not have simply never completes its task; a customer with no
  /// case in the log has no completed task. Complexity: O(events of the planned customers +
  /// plans x (tasks + dependencies)) calendar operations.
  std::vector<PlanProgress> progress(std::span<const Plan> plans, const EventLog& log, Timestamp as_of,
                                     const ProgressOptions& options = {}) const;

  friend bool operator==(const Playbook& a, const Playbook& b) { return a.name_ == b.name_ && a.tasks_ == b.tasks_; }

 private:
  std::string name_;
  std::vector<PlaybookTask> tasks_;
  std::vector<std::vector<std::uint32_t>> deps_, succ_;
  std::vector<std::uint32_t> topo_;
};

}  // namespace cxkit::journey
