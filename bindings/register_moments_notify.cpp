// Bindings for notification policies: the policy crosses as JSON text, occurrences as arrays,
// results as dicts of arrays (python/cxkit/_notifications.py builds the DataFrames).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <limits>

#include "cxkit/moments/notification_policy.hpp"
#include "cxkit/moments/notification_replay.hpp"
#include "register.hpp"

namespace cxkit_bind {
namespace {

namespace mo = cxkit::moments;
using I64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using U32 = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
constexpr std::int64_t kNat = std::numeric_limits<std::int64_t>::min();

mo::Status parse_status(const std::string& s, std::size_t row) {
  if (s == "met") return mo::Status::met;
  if (s == "breached") return mo::Status::breached;
  if (s == "pending") return mo::Status::pending;
  if (s == "overdue") return mo::Status::overdue;
  if (s == "cancelled") return mo::Status::cancelled;
  throw cxkit::InputError("not a status (met, breached, pending, overdue, cancelled)",
                          {"occurrences", static_cast<std::int64_t>(row), "status", s, "row"});
}

std::int64_t or_nat(const std::optional<cxkit::Timestamp>& t) { return t ? cxkit::to_micros(*t) : kNat; }

}  // namespace

void register_moments_notify(py::module_& m) {
  m.def("notification_policy_normalize",
        [](const std::string& text) { return mo::NotificationPolicy::from_json_text(text).to_json().dump(); });
  m.def(
      "notification_replay",
      [](const std::string& policy_json, const std::vector<std::string>& moments_json, const cxkit::EventLog* log,
         const std::vector<std::string>& case_names, const cxkit::Table* accounts, const U32& case_id,
         const U32& moment, const std::vector<std::string>& keys, const I64& started, const I64& stopped,
         const I64& deadline, const std::vector<std::string>& status, std::optional<std::int64_t> until_us) {
        const auto policy = mo::NotificationPolicy::from_json_text(policy_json);
        std::vector<mo::Moment> moments;
        for (const auto& d : moments_json) moments.push_back(mo::Moment::from_json_text(d));
        const auto n = static_cast<std::size_t>(case_id.size());
        if (static_cast<std::size_t>(moment.size()) != n || keys.size() != n ||
            static_cast<std::size_t>(started.size()) != n || static_cast<std::size_t>(stopped.size()) != n ||
            static_cast<std::size_t>(deadline.size()) != n || status.size() != n)
          throw cxkit::InputError("occurrence columns differ in length", {"occurrences", -1, "", ""});
        std::vector<mo::Occurrence> occ(n);
        for (std::size_t i = 0; i < n; ++i) {
          auto& o = occ[i];
          o.case_id = case_id.at(i);
          o.moment = moment.at(i);
          o.key = keys[i];
          o.started = cxkit::from_micros(started.at(i));
          if (stopped.at(i) != kNat) o.stopped = cxkit::from_micros(stopped.at(i));
          o.deadline = cxkit::from_micros(deadline.at(i));
          o.status = parse_status(status[i], i);
        }
        cxkit::Dictionary own_cases;
        if (!log)
          for (const auto& c : case_names) own_cases.intern(c);
        mo::ReplayInput in;
        in.cases = log ? &log->case_names() : &own_cases;
        in.occurrences = occ;
        in.moments = moments;
        in.log = log;
        in.accounts = accounts;
        mo::ReplayOptions opt;
        if (until_us) opt.until = cxkit::from_micros(*until_us);
        mo::ReplayResult r;
        {
          py::gil_scoped_release release;
          r = mo::replay(policy, in, opt);
        }
        const std::size_t ni = r.items.size(), nn = r.notifications.size();
        py::array_t<std::uint32_t> occurrence(ni), notifications_per_item(ni);
        py::array_t<std::int64_t> at(ni), resolved(ni), acknowledged(ni), first_notified(ni);
        py::array_t<std::int32_t> route(ni);
        py::list kind, urgency, fate, recipients, immediate, escalated;
        for (std::size_t i = 0; i < ni; ++i) {
          const auto& it = r.items[i];
          occurrence.mutable_at(i) = it.occurrence;
          notifications_per_item.mutable_at(i) = it.notifications;
          at.mutable_at(i) = cxkit::to_micros(it.at);
          resolved.mutable_at(i) = or_nat(it.resolved);
          acknowledged.mutable_at(i) = or_nat(it.acknowledged);
          first_notified.mutable_at(i) = or_nat(it.first_notified);
          route.mutable_at(i) = it.route;
          kind.append(mo::to_string(it.kind));
          urgency.append(mo::to_string(it.urgency));
          fate.append(mo::to_string(it.fate));
          immediate.append(it.immediate);
          escalated.append(it.escalated);
          py::list rs;
          for (auto k : it.recipients) rs.append(policy.recipients[k].id);
          recipients.append(rs);
        }
        py::dict items;
        items["occurrence"] = occurrence;
        items["kind"] = kind;
        items["urgency"] = urgency;
        items["at"] = at;
        items["resolved"] = resolved;
        items["acknowledged"] = acknowledged;
        items["route"] = route;
        items["recipients"] = recipients;
        items["immediate"] = immediate;
        items["escalated"] = escalated;
        items["fate"] = fate;
        items["first_notified"] = first_notified;
        items["notifications"] = notifications_per_item;

        py::array_t<std::int64_t> n_at(nn);
        py::array_t<std::uint32_t> level(nn), first(nn), count(nn);
        py::array_t<std::int32_t> n_route(nn);
        py::array_t<bool> repeat(nn);
        py::list recipient, n_kind;
        for (std::size_t i = 0; i < nn; ++i) {
          const auto& x = r.notifications[i];
          n_at.mutable_at(i) = cxkit::to_micros(x.at);
          level.mutable_at(i) = x.level;
          first.mutable_at(i) = x.first;
          count.mutable_at(i) = x.count;
          n_route.mutable_at(i) = x.route;
          repeat.mutable_at(i) = x.repeat;
          recipient.append(policy.recipients[x.recipient].id);
          n_kind.append(mo::to_string(x.kind));
        }
        py::dict notes;
        notes["at"] = n_at;
        notes["recipient"] = recipient;
        notes["kind"] = n_kind;
        notes["level"] = level;
        notes["repeat"] = repeat;
        notes["route"] = n_route;
        notes["first"] = first;
        notes["count"] = count;
        py::array_t<std::uint32_t> flat(static_cast<py::ssize_t>(r.notification_items.size()));
        for (std::size_t i = 0; i < r.notification_items.size(); ++i) flat.mutable_at(i) = r.notification_items[i];

        const auto& s = r.summary;
        py::dict summary;
        summary["items"] = s.items;
        summary["naive_notifications"] = s.naive_notifications;
        summary["notifications"] = s.notifications;
        summary["immediate"] = s.immediate;
        summary["digest"] = s.digest;
        summary["escalation"] = s.escalation;
        summary["notified"] = s.notified;
        summary["inhibited"] = s.inhibited;
        summary["resolved"] = s.resolved;
        summary["dropped"] = s.dropped;
        summary["unrouted"] = s.unrouted;
        summary["pending"] = s.pending;
        summary["ratio"] = s.ratio;

        py::dict out;
        out["items"] = items;
        out["notifications"] = notes;
        out["notification_items"] = flat;
        out["summary"] = summary;
        return out;
      },
      py::arg("policy"), py::arg("moments"), py::arg("log"), py::arg("case_names"), py::arg("accounts"),
      py::arg("case_id"), py::arg("moment"), py::arg("key"), py::arg("started"), py::arg("stopped"),
      py::arg("deadline"), py::arg("status"), py::arg("until_us"));
}

}  // namespace cxkit_bind
