// NotificationPolicy: validation and JSON round trip.
#include "cxkit/moments/notification_policy.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "../core/calendar_zone.hpp"
#include "../core/json_fields.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/moments/moment.hpp"

namespace cxkit::moments {

using nlohmann::json;

const char* to_string(ItemKind k) noexcept {
  switch (k) {
    case ItemKind::triggered: return "triggered";
    case ItemKind::about_to_breach: return "about_to_breach";
    case ItemKind::breached: return "breached";
  }
  return "?";
}

namespace {

constexpr const char* kSource = "NotificationPolicy";
constexpr const char* kWeekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

[[noreturn]] void fail(const std::string& field, const std::string& reason, const std::string& value = "") {
  throw InputError(reason, {kSource, -1, field, value});
}

std::string at(const std::string& field, std::size_t i) { return field + "[" + std::to_string(i) + "]"; }

std::string format_local(LocalTime t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u:%02u", unsigned(t / 60), unsigned(t % 60));
  return buf;
}

LocalTime parse_local(const json& j, const std::string& field) {
  if (!j.is_string()) fail(field, "expected a local time \"HH:MM\"", j.dump());
  const std::string s = j.get<std::string>();
  const bool shape = s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
                     std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[3])) &&
                     std::isdigit(static_cast<unsigned char>(s[4]));
  const int h = shape ? (s[0] - '0') * 10 + (s[1] - '0') : 99;
  const int m = shape ? (s[3] - '0') * 10 + (s[4] - '0') : 99;
  if (h > 23 || m > 59) fail(field, "expected a local time \"HH:MM\" between 00:00 and 23:59", s);
  return static_cast<LocalTime>(h * 60 + m);
}

Duration parse_duration(const json& j, const std::string& field) {
  if (!j.is_string()) fail(field, "expected a duration such as \"30s\", \"5m\" or \"4h\"", j.dump());
  const auto d = parse_target(j.get<std::string>());
  if (!d) fail(field, "expected a duration such as \"30s\", \"5m\" or \"4h\"", j.get<std::string>());
  return *d;
}

std::string get_string(const json& j, const std::string& field) {
  if (!j.is_string()) fail(field, "expected a string", j.dump());
  return j.get<std::string>();
}

bool get_bool(const json& j, const std::string& field) {
  if (!j.is_boolean()) fail(field, "expected true or false", j.dump());
  return j.get<bool>();
}

const json& get_array(const json& j, const std::string& field) {
  if (!j.is_array()) fail(field, "expected a list", j.dump());
  return j;
}

void check_object(const json& j, const std::string& field, std::initializer_list<const char*> allowed) {
  if (!j.is_object()) fail(field.empty() ? "(policy)" : field, "expected an object", j.dump());
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();  // a plain variable: Clang 14 cannot capture structured bindings
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }))
      fail(field.empty() ? k : field + "." + k, "unknown field", k);
  }
}

std::vector<std::string> string_list(const json& j, const std::string& field) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < get_array(j, field).size(); ++i) out.push_back(get_string(j[i], at(field, i)));
  return out;
}

// {"label": "value"} or {"label": ["v1", "v2"]}
std::vector<LabelMatcher> parse_matchers(const json& j, const std::string& field) {
  if (!j.is_object()) fail(field, "expected an object {label: value or [values]}", j.dump());
  std::vector<LabelMatcher> out;
  for (const auto& [label, v] : j.items()) {
    const std::string f = field + "." + label;
    LabelMatcher m{label, {}};
    if (v.is_string()) m.values.push_back(v.get<std::string>());
    else if (v.is_array()) m.values = string_list(v, f);
    else fail(f, "expected a string or a list of strings", v.dump());
    out.push_back(std::move(m));
  }
  return out;
}

json matchers_json(const std::vector<LabelMatcher>& ms) {
  json o = json::object();
  for (const auto& m : ms) o[m.label] = m.values.size() == 1 ? json(m.values[0]) : json(m.values);
  return o;
}

void validate_matchers(const std::vector<LabelMatcher>& ms, const std::string& field) {
  std::set<std::string> seen;
  for (const auto& m : ms) {
    const std::string f = field + "." + m.label;
    if (m.label.empty()) fail(f, "empty label name");
    if (!seen.insert(m.label).second) fail(f, "label matched twice", m.label);
    if (m.values.empty()) fail(f, "no values to match");
    for (const auto& v : m.values) {
      if (m.label == "urgency" && v != "low" && v != "normal" && v != "high" && v != "critical")
        fail(f, "not an urgency (low, normal, high, critical)", v);
      if (m.label == "kind" && v != "triggered" && v != "about_to_breach" && v != "breached")
        fail(f, "not an item kind (triggered, about_to_breach, breached)", v);
    }
  }
}

ItemKind parse_kind(const std::string& s, const std::string& field) {
  if (s == "triggered") return ItemKind::triggered;
  if (s == "about_to_breach") return ItemKind::about_to_breach;
  if (s == "breached") return ItemKind::breached;
  fail(field, "not an item kind (triggered, about_to_breach, breached)", s);
}

}  // namespace

std::int64_t NotificationPolicy::find_recipient(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < recipients.size(); ++i)
    if (recipients[i].id == id) return static_cast<std::int64_t>(i);
  return -1;
}

void NotificationPolicy::validate() const {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    const auto& r = recipients[i];
    const std::string f = at("recipients", i);
    if (r.id.empty()) fail(f + ".id", "empty recipient id");
    if (!ids.insert(r.id).second) fail(f + ".id", "duplicate recipient id", r.id);
    try {
      detail::ZoneRules zone(r.timezone);
      (void)zone;
    } catch (const NotFoundError&) {
      fail(f + ".timezone", "unknown IANA time zone", r.timezone);
    }
    if (r.digest_at.empty()) fail(f + ".digest_at", "at least one digest time is needed");
    for (std::size_t k = 0; k < r.digest_at.size(); ++k) {
      if (r.digest_at[k] >= 24 * 60) fail(at(f + ".digest_at", k), "not a time of day", std::to_string(r.digest_at[k]));
      if (k > 0 && r.digest_at[k] <= r.digest_at[k - 1])
        fail(at(f + ".digest_at", k), "digest times must be sorted and distinct", format_local(r.digest_at[k]));
    }
    if ((r.digest_days & 0x7F) == 0 || (r.digest_days & 0x80) != 0)
      fail(f + ".digest_days", "at least one weekday is needed");
    if (r.quiet_hours) {
      const auto [from, to] = *r.quiet_hours;
      if (from >= 24 * 60 || to >= 24 * 60 || from == to)
        fail(f + ".quiet_hours", "quiet hours need two different times of day", format_local(from) + "-" + format_local(to));
    }
  }
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    const auto& r = recipients[i];
    if (!r.manager.empty() && !ids.count(r.manager))
      fail(at("recipients", i) + ".manager", "not a recipient id", r.manager);
  }
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const auto& rt = routes[i];
    const std::string f = at("routes", i);
    validate_matchers(rt.match, f + ".match");
    switch (rt.target) {
      case Route::Target::recipient:
        if (!ids.count(rt.value)) fail(f + ".recipient", "not a recipient id", rt.value);
        break;
      case Route::Target::recipient_from:
        if (rt.value.empty()) fail(f + ".recipient_from", "empty label name");
        break;
      case Route::Target::role:
        if (std::none_of(recipients.begin(), recipients.end(), [&](const Recipient& r) { return r.role == rt.value; }))
          fail(f + ".role", "no recipient has this role", rt.value);
        break;
      case Route::Target::drop: break;
    }
  }
  if (!default_recipient.empty() && !ids.count(default_recipient))
    fail("default_recipient", "not a recipient id", default_recipient);
  if (notify_on.empty()) fail("notify_on", "at least one item kind is needed");
  for (std::size_t i = 0; i < notify_on.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (notify_on[k] == notify_on[i]) fail(at("notify_on", i), "listed twice", to_string(notify_on[i]));
  if (warn_before.count() < 0) fail("warn_before", "must not be negative", format_target(warn_before));
  if (grouping.group_wait.count() < 0) fail("grouping.group_wait", "must not be negative");
  if (grouping.group_interval.count() <= 0) fail("grouping.group_interval", "must be positive");
  if (grouping.repeat_interval.count() <= 0) fail("grouping.repeat_interval", "must be positive");
  for (std::size_t i = 0; i < grouping.group_by.size(); ++i)
    if (grouping.group_by[i].empty()) fail(at("grouping.group_by", i), "empty label name");
  for (std::size_t i = 0; i < inhibit.size(); ++i) {
    const std::string f = at("inhibit", i);
    validate_matchers(inhibit[i].source, f + ".source");
    validate_matchers(inhibit[i].target, f + ".target");
    if (inhibit[i].source.empty()) fail(f + ".source", "an inhibit rule needs source matchers");
    if (inhibit[i].target.empty()) fail(f + ".target", "an inhibit rule needs target matchers");
    for (std::size_t k = 0; k < inhibit[i].equal.size(); ++k)
      if (inhibit[i].equal[k].empty()) fail(at(f + ".equal", k), "empty label name");
  }
  if (escalation) {
    validate_matchers(escalation->match, "escalation.match");
    if (escalation->levels.empty()) fail("escalation.levels", "an escalation needs at least one level");
    for (std::size_t i = 0; i < escalation->levels.size(); ++i) {
      const auto& l = escalation->levels[i];
      const std::string f = at("escalation.levels", i);
      if (l.target == EscalationLevel::Target::recipient && !ids.count(l.recipient))
        fail(f + ".recipient", "not a recipient id", l.recipient);
      if (l.timeout.count() < 0) fail(f + ".timeout", "must not be negative");
    }
    for (std::size_t i = 0; i < escalation->acknowledge_on.size(); ++i)
      if (escalation->acknowledge_on[i].empty()) fail(at("escalation.acknowledge_on", i), "empty activity name");
  }
}

json NotificationPolicy::to_json() const {
  json j = json::object();
  json rs = json::array();
  for (const auto& r : recipients) {
    json o = {{"id", r.id}, {"timezone", r.timezone}};
    if (!r.role.empty()) o["role"] = r.role;
    if (!r.manager.empty()) o["manager"] = r.manager;
    json times = json::array();
    for (auto t : r.digest_at) times.push_back(format_local(t));
    o["digest_at"] = times;
    if (r.digest_days != 0x7F) {
      json days = json::array();
      for (int d = 0; d < 7; ++d)
        if (r.digest_days & (1u << d)) days.push_back(kWeekdays[d]);
      o["digest_days"] = days;
    }
    if (r.quiet_hours)
      o["quiet_hours"] = {{"from", format_local(r.quiet_hours->first)}, {"to", format_local(r.quiet_hours->second)}};
    rs.push_back(std::move(o));
  }
  j["recipients"] = rs;
  json routes_j = json::array();
  for (const auto& rt : routes) {
    json o = json::object();
    if (!rt.name.empty()) o["name"] = rt.name;
    o["match"] = matchers_json(rt.match);
    switch (rt.target) {
      case Route::Target::recipient: o["recipient"] = rt.value; break;
      case Route::Target::recipient_from: o["recipient_from"] = rt.value; break;
      case Route::Target::role: o["role"] = rt.value; break;
      case Route::Target::drop: o["drop"] = true; break;
    }
    if (rt.immediate) o["immediate"] = *rt.immediate;
    if (rt.continue_matching) o["continue"] = true;
    routes_j.push_back(std::move(o));
  }
  j["routes"] = routes_j;
  j["routing"] = routing == Routing::first_match ? "first_match" : "all_matches";
  if (!default_recipient.empty()) j["default_recipient"] = default_recipient;
  json kinds = json::array();
  for (auto k : notify_on) kinds.push_back(to_string(k));
  j["notify_on"] = kinds;
  j["warn_before"] = format_target(warn_before);
  j["grouping"] = {{"group_by", grouping.group_by},
                   {"group_wait", format_target(grouping.group_wait)},
                   {"group_interval", format_target(grouping.group_interval)},
                   {"repeat_interval", format_target(grouping.repeat_interval)}};
  json inh = json::array();
  for (const auto& r : inhibit)
    inh.push_back({{"source", matchers_json(r.source)}, {"target", matchers_json(r.target)}, {"equal", r.equal}});
  j["inhibit"] = inh;
  if (escalation) {
    json levels = json::array();
    for (const auto& l : escalation->levels) {
      json o = json::object();
      if (l.target == EscalationLevel::Target::recipient) o["recipient"] = l.recipient;
      else o["target"] = l.target == EscalationLevel::Target::owner ? "owner" : "manager";
      o["timeout"] = format_target(l.timeout);
      levels.push_back(std::move(o));
    }
    j["escalation"] = {{"match", matchers_json(escalation->match)},
                       {"acknowledge_on", escalation->acknowledge_on},
                       {"levels", levels}};
  }
  return j;
}

NotificationPolicy NotificationPolicy::from_json(const json& j) {
  check_object(j, "", {"recipients", "routes", "routing", "default_recipient", "notify_on", "warn_before", "grouping",
                       "inhibit", "escalation"});
  NotificationPolicy p;
  if (j.contains("recipients")) {
    const json& rs = get_array(j["recipients"], "recipients");
    for (std::size_t i = 0; i < rs.size(); ++i) {
      const std::string f = at("recipients", i);
      check_object(rs[i], f, {"id", "role", "manager", "timezone", "digest_at", "digest_days", "quiet_hours"});
      Recipient r;
      if (!rs[i].contains("id")) fail(f + ".id", "missing");
      r.id = get_string(rs[i]["id"], f + ".id");
      if (rs[i].contains("role")) r.role = get_string(rs[i]["role"], f + ".role");
      if (rs[i].contains("manager")) r.manager = get_string(rs[i]["manager"], f + ".manager");
      if (rs[i].contains("timezone")) r.timezone = get_string(rs[i]["timezone"], f + ".timezone");
      if (rs[i].contains("digest_at")) {
        const json& d = rs[i]["digest_at"];
        r.digest_at.clear();
        if (d.is_string()) {
          r.digest_at.push_back(parse_local(d, f + ".digest_at"));
        } else {
          for (std::size_t k = 0; k < get_array(d, f + ".digest_at").size(); ++k)
            r.digest_at.push_back(parse_local(d[k], at(f + ".digest_at", k)));
        }
      }
      if (rs[i].contains("digest_days")) {
        const auto days = string_list(rs[i]["digest_days"], f + ".digest_days");
        r.digest_days = 0;
        for (std::size_t k = 0; k < days.size(); ++k) {
          const auto* it = std::find_if(std::begin(kWeekdays), std::end(kWeekdays),
                                        [&](const char* w) { return days[k] == w; });
          if (it == std::end(kWeekdays)) fail(at(f + ".digest_days", k), "not a weekday (mon .. sun)", days[k]);
          r.digest_days |= static_cast<std::uint8_t>(1u << (it - std::begin(kWeekdays)));
        }
      }
      if (rs[i].contains("quiet_hours")) {
        const json& q = rs[i]["quiet_hours"];
        check_object(q, f + ".quiet_hours", {"from", "to"});
        if (!q.contains("from") || !q.contains("to")) fail(f + ".quiet_hours", "needs \"from\" and \"to\"", q.dump());
        r.quiet_hours = std::make_pair(parse_local(q["from"], f + ".quiet_hours.from"),
                                       parse_local(q["to"], f + ".quiet_hours.to"));
      }
      p.recipients.push_back(std::move(r));
    }
  }
  if (j.contains("routes")) {
    const json& rs = get_array(j["routes"], "routes");
    for (std::size_t i = 0; i < rs.size(); ++i) {
      const std::string f = at("routes", i);
      check_object(rs[i], f, {"name", "match", "recipient", "recipient_from", "role", "drop", "immediate", "continue"});
      Route r;
      if (rs[i].contains("name")) r.name = get_string(rs[i]["name"], f + ".name");
      if (rs[i].contains("match")) r.match = parse_matchers(rs[i]["match"], f + ".match");
      int targets = 0;
      for (const char* t : {"recipient", "recipient_from", "role", "drop"})
        if (rs[i].contains(t)) ++targets;
      if (targets != 1)
        fail(f, "a route needs exactly one of recipient, recipient_from, role, drop", rs[i].dump());
      if (rs[i].contains("recipient")) {
        r.target = Route::Target::recipient;
        r.value = get_string(rs[i]["recipient"], f + ".recipient");
      } else if (rs[i].contains("recipient_from")) {
        r.target = Route::Target::recipient_from;
        r.value = get_string(rs[i]["recipient_from"], f + ".recipient_from");
      } else if (rs[i].contains("role")) {
        r.target = Route::Target::role;
        r.value = get_string(rs[i]["role"], f + ".role");
      } else {
        if (!get_bool(rs[i]["drop"], f + ".drop")) fail(f + ".drop", "drop must be true when given", "false");
        r.target = Route::Target::drop;
      }
      if (rs[i].contains("immediate")) r.immediate = get_bool(rs[i]["immediate"], f + ".immediate");
      if (rs[i].contains("continue")) r.continue_matching = get_bool(rs[i]["continue"], f + ".continue");
      p.routes.push_back(std::move(r));
    }
  }
  if (j.contains("routing")) {
    const std::string s = get_string(j["routing"], "routing");
    if (s == "first_match") p.routing = Routing::first_match;
    else if (s == "all_matches") p.routing = Routing::all_matches;
    else fail("routing", "expected \"first_match\" or \"all_matches\"", s);
  }
  if (j.contains("default_recipient")) p.default_recipient = get_string(j["default_recipient"], "default_recipient");
  if (j.contains("notify_on")) {
    const auto kinds = string_list(j["notify_on"], "notify_on");
    p.notify_on.clear();
    for (std::size_t i = 0; i < kinds.size(); ++i) p.notify_on.push_back(parse_kind(kinds[i], at("notify_on", i)));
  }
  if (j.contains("warn_before")) p.warn_before = parse_duration(j["warn_before"], "warn_before");
  if (j.contains("grouping")) {
    const json& g = j["grouping"];
    check_object(g, "grouping", {"group_by", "group_wait", "group_interval", "repeat_interval"});
    if (g.contains("group_by")) p.grouping.group_by = string_list(g["group_by"], "grouping.group_by");
    if (g.contains("group_wait")) p.grouping.group_wait = parse_duration(g["group_wait"], "grouping.group_wait");
    if (g.contains("group_interval"))
      p.grouping.group_interval = parse_duration(g["group_interval"], "grouping.group_interval");
    if (g.contains("repeat_interval"))
      p.grouping.repeat_interval = parse_duration(g["repeat_interval"], "grouping.repeat_interval");
  }
  if (j.contains("inhibit")) {
    const json& is = get_array(j["inhibit"], "inhibit");
    for (std::size_t i = 0; i < is.size(); ++i) {
      const std::string f = at("inhibit", i);
      check_object(is[i], f, {"source", "target", "equal"});
      InhibitRule r;
      if (is[i].contains("source")) r.source = parse_matchers(is[i]["source"], f + ".source");
      if (is[i].contains("target")) r.target = parse_matchers(is[i]["target"], f + ".target");
      if (is[i].contains("equal")) r.equal = string_list(is[i]["equal"], f + ".equal");
      p.inhibit.push_back(std::move(r));
    }
  }
  if (j.contains("escalation")) {
    const json& e = j["escalation"];
    check_object(e, "escalation", {"match", "acknowledge_on", "levels"});
    EscalationPolicy ep;
    if (e.contains("match")) ep.match = parse_matchers(e["match"], "escalation.match");
    if (e.contains("acknowledge_on")) ep.acknowledge_on = string_list(e["acknowledge_on"], "escalation.acknowledge_on");
    if (e.contains("levels")) {
      const json& ls = get_array(e["levels"], "escalation.levels");
      for (std::size_t i = 0; i < ls.size(); ++i) {
        const std::string f = at("escalation.levels", i);
        check_object(ls[i], f, {"target", "recipient", "timeout"});
        EscalationLevel l;
        if (ls[i].contains("target") == ls[i].contains("recipient"))
          fail(f, "a level needs exactly one of target (owner, manager) or recipient", ls[i].dump());
        if (ls[i].contains("recipient")) {
          l.target = EscalationLevel::Target::recipient;
          l.recipient = get_string(ls[i]["recipient"], f + ".recipient");
        } else {
          const std::string t = get_string(ls[i]["target"], f + ".target");
          if (t == "owner") l.target = EscalationLevel::Target::owner;
          else if (t == "manager") l.target = EscalationLevel::Target::manager;
          else fail(f + ".target", "expected \"owner\" or \"manager\"", t);
        }
        if (ls[i].contains("timeout")) l.timeout = parse_duration(ls[i]["timeout"], f + ".timeout");
        ep.levels.push_back(std::move(l));
      }
    }
    p.escalation = std::move(ep);
  }
  p.validate();
  return p;
}

NotificationPolicy NotificationPolicy::from_json_text(std::string_view text) {
  cxkit::detail::check_json_depth(text, kSource);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw InputError(std::string("invalid JSON: ") + e.what(), {kSource, -1, "", ""});
  }
  return from_json(j);
}

}  // namespace cxkit::moments
