// Moment definitions: validation, validation against a log, JSON round trip.
#include "cxkit/moments/moment.hpp"

#include "../core/json_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

#include <boost/date_time/gregorian/gregorian.hpp>

namespace cxkit::moments {

using nlohmann::json;

const char* to_string(Urgency u) noexcept {
  switch (u) {
    case Urgency::low: return "low";
    case Urgency::normal: return "normal";
    case Urgency::high: return "high";
    case Urgency::critical: return "critical";
  }
  return "?";
}

std::optional<Duration> parse_target(std::string_view text) noexcept {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  std::string_view num = text.substr(0, text.size() - 1);
  double per = 0;
  switch (unit) {
    case 'h': per = 3600e6; break;
    case 'm': per = 60e6; break;
    case 's': per = 1e6; break;
    default: return std::nullopt;
  }
  // Digits, optionally '.' and digits: no signs, blanks or exponents.
  std::size_t dots = 0, digits = 0;
  for (char c : num) {
    if (c == '.') ++dots;
    else if (c >= '0' && c <= '9') ++digits;
    else return std::nullopt;
  }
  if (dots > 1 || digits == 0 || num.front() == '.' || num.back() == '.') return std::nullopt;
  const double amount = std::strtod(std::string(num).c_str(), nullptr);
  const double us = amount * per;
  if (!(us <= 3600e6 * 1e7)) return std::nullopt;
  return Duration{static_cast<std::int64_t>(std::llround(us))};
}

std::string format_target(Duration d) {
  const std::int64_t us = d.count();
  if (us % 3600000000LL == 0) return std::to_string(us / 3600000000LL) + "h";
  if (us % 60000000LL == 0) return std::to_string(us / 60000000LL) + "m";
  if (us % 1000000LL == 0) return std::to_string(us / 1000000LL) + "s";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000));
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  return s + "s";
}

namespace {

// Errors name the moment as source and the field path as column.
struct Ctx : cxkit::detail::JsonFields {
  Duration target(const json& v, const std::string& path) const {
    if (v.is_string())
      if (auto d = parse_target(v.get<std::string>())) return *d;
    fail(path, "expected a target such as \"4h\", \"30m\" or \"90s\" (business hours, minutes, seconds)", shown(v));
  }
};

json condition_to_json(const EventCondition& c) {
  if (c.where.empty()) return c.activity;
  json where = json::object();
  for (const auto& a : c.where) where[a.attribute] = a.value;
  return json{{"activity", c.activity}, {"where", where}};
}

EventCondition condition_from_json(const Ctx& ctx, const json& v, const std::string& path) {
  EventCondition c;
  if (v.is_string()) {
    c.activity = v.get<std::string>();
    return c;
  }
  if (!v.is_object()) ctx.fail(path, "expected an activity name or {\"activity\", \"where\"}", Ctx::shown(v));
  ctx.only_keys(v, path, {"activity", "where"});
  if (!v.contains("activity")) ctx.fail(Ctx::join(path, "activity"), "missing");
  c.activity = ctx.string(v["activity"], Ctx::join(path, "activity"));
  if (v.contains("where")) {
    const std::string wp = Ctx::join(path, "where");
    const json& w = v["where"];
    if (!w.is_object()) ctx.fail(wp, "expected an object of attribute: value", Ctx::shown(w));
    for (auto it = w.begin(); it != w.end(); ++it) {
      const std::string ap = Ctx::join(wp, it.key());
      if (it->is_string()) c.where.push_back({it.key(), it->get<std::string>()});
      else if (it->is_number()) c.where.push_back({it.key(), it->dump()});
      else ctx.fail(ap, "expected a string or a number", Ctx::shown(*it));
    }
  }
  return c;
}

std::vector<EventCondition> conditions_from_json(const Ctx& ctx, const json& v, const std::string& path) {
  std::vector<EventCondition> out;
  if (!v.is_array()) {
    out.push_back(condition_from_json(ctx, v, path));
    return out;
  }
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(condition_from_json(ctx, v[i], Ctx::index(path, i)));
  return out;
}

std::string hhmm(std::chrono::minutes m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60), static_cast<int>(m.count() % 60));
  return buf;
}

json calendar_to_json(const Calendar& cal) {
  json week = json::array();
  for (const auto& day : cal.week()) {
    json d = json::array();
    for (const auto& iv : day) d.push_back(json::array({hhmm(iv.begin), hhmm(iv.end)}));
    week.push_back(d);
  }
  json hol = json::array();
  for (const auto& h : cal.holidays()) hol.push_back(boost::gregorian::to_iso_extended_string(h));
  return json{{"timezone", cal.timezone()}, {"week", week}, {"holidays", hol}};
}

std::chrono::minutes read_hhmm(const Ctx& ctx, const json& v, const std::string& path) {
  const std::string s = ctx.string(v, path);
  int h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':' || std::sscanf(s.c_str(), "%2d:%2d", &h, &m) != 2 || h < 0 || h > 24 || m < 0 ||
      m > 59 || (h == 24 && m != 0))
    ctx.fail(path, "expected a time HH:MM between 00:00 and 24:00", s);
  return std::chrono::minutes{h * 60 + m};
}

Calendar calendar_from_json(const Ctx& ctx, const json& v, const std::string& path) {
  if (!v.is_object()) ctx.fail(path, "expected {\"timezone\", \"week\", \"holidays\"}", Ctx::shown(v));
  ctx.only_keys(v, path, {"timezone", "week", "holidays"});
  std::string tz = "UTC";
  if (v.contains("timezone")) tz = ctx.string(v["timezone"], Ctx::join(path, "timezone"));
  Calendar::Week week;
  const std::string wp = Ctx::join(path, "week");
  if (!v.contains("week") || !v["week"].is_array() || v["week"].size() != 7)
    ctx.fail(wp, "expected 7 lists of [\"HH:MM\", \"HH:MM\"] intervals, Monday first",
             v.contains("week") ? Ctx::shown(v["week"]) : "");
  for (std::size_t d = 0; d < 7; ++d) {
    const json& day = v["week"][d];
    const std::string dp = Ctx::index(wp, d);
    if (!day.is_array()) ctx.fail(dp, "expected a list of intervals", Ctx::shown(day));
    for (std::size_t i = 0; i < day.size(); ++i) {
      const std::string ip = Ctx::index(dp, i);
      if (!day[i].is_array() || day[i].size() != 2) ctx.fail(ip, "expected [\"HH:MM\", \"HH:MM\"]", Ctx::shown(day[i]));
      week[d].push_back({read_hhmm(ctx, day[i][0], ip), read_hhmm(ctx, day[i][1], ip)});
    }
  }
  std::vector<boost::gregorian::date> holidays;
  if (v.contains("holidays")) {
    const std::string hp = Ctx::join(path, "holidays");
    if (!v["holidays"].is_array()) ctx.fail(hp, "expected a list of dates", Ctx::shown(v["holidays"]));
    for (std::size_t i = 0; i < v["holidays"].size(); ++i) {
      const std::string s = ctx.string(v["holidays"][i], Ctx::index(hp, i));
      try {
        holidays.push_back(boost::gregorian::from_simple_string(s));
      } catch (const std::exception&) {
        ctx.fail(Ctx::index(hp, i), "expected a date YYYY-MM-DD", s);
      }
    }
  }
  try {
    return Calendar(tz, std::move(week), std::move(holidays));
  } catch (const InputError& e) {
    ctx.fail(path, e.reason());
  } catch (const NotFoundError& e) {
    ctx.fail(Ctx::join(path, "timezone"), e.what(), tz);
  }
}

Ctx context_of(const std::string& name) { return Ctx{"Moment '" + name + "'"}; }

void check_condition(const Ctx& ctx, const EventCondition& c, const std::string& path) {
  if (c.activity.empty()) ctx.fail(Ctx::join(path, "activity"), "must not be empty");
  for (const auto& a : c.where)
    if (a.attribute.empty()) ctx.fail(Ctx::join(path, "where"), "attribute name must not be empty");
}

}  // namespace

void Moment::validate() const {
  const Ctx ctx = context_of(name);
  if (name.empty()) ctx.fail("name", "must not be empty");
  check_condition(ctx, trigger, "trigger");
  check_condition(ctx, fulfil, "fulfil");
  for (std::size_t i = 0; i < pause_on.size(); ++i) check_condition(ctx, pause_on[i], Ctx::index("pause_on", i));
  for (std::size_t i = 0; i < resume_on.size(); ++i) check_condition(ctx, resume_on[i], Ctx::index("resume_on", i));
  for (std::size_t i = 0; i < cancel_on.size(); ++i) check_condition(ctx, cancel_on[i], Ctx::index("cancel_on", i));
  if (!pause_on.empty() && resume_on.empty())
    ctx.fail("resume_on", "pause_on needs resume_on (a paused clock would never run again)");
  if (pause_on.empty() && !resume_on.empty()) ctx.fail("pause_on", "resume_on needs pause_on");
  if (!within && !targets) ctx.fail("within", "a moment needs a target: within, targets, or both");
  if (within && within->count() < 0) ctx.fail("within", "must not be negative", format_target(*within));
  if (targets) {
    if (targets->by.empty()) ctx.fail("targets.by", "must name an attribute");
    if (targets->values.empty()) ctx.fail("targets.values", "must hold at least one value: target");
    for (std::size_t i = 0; i < targets->values.size(); ++i) {
      const auto& [value, d] = targets->values[i];
      if (d.count() < 0) ctx.fail("targets.values." + value, "must not be negative", format_target(d));
      for (std::size_t k = 0; k < i; ++k)
        if (targets->values[k].first == value) ctx.fail("targets.values." + value, "listed twice", value);
    }
  }
  if (key && key->empty()) ctx.fail("key", "must not be empty when given");
}

void Moment::validate_against(const EventLog& log) const {
  validate();
  const std::string who = "Moment '" + name + "': ";
  const auto activity = [&](const EventCondition& c, const std::string& path) {
    if (!log.activity_names().find(c.activity))
      throw NotFoundError(who + path + ".activity '" + c.activity + "' is not an activity in the event log");
    for (const auto& a : c.where) {
      const Column* col = log.find_attribute(a.attribute);
      if (!col) throw NotFoundError(who + path + ".where '" + a.attribute + "' is not an attribute of the event log");
      if (col->type() == ColumnType::timestamp)
        throw TypeMismatchError(who + path + ".where '" + a.attribute + "' is a timestamp attribute; conditions "
                                "compare categorical, text or numeric values");
      if (col->type() == ColumnType::numeric) {
        char* end = nullptr;
        std::strtod(a.value.c_str(), &end);
        if (a.value.empty() || *end != '\0')
          throw InputError("not a number, but attribute '" + a.attribute + "' is numeric",
                           {"Moment '" + name + "'", -1, path + ".where." + a.attribute, a.value});
      }
    }
  };
  activity(trigger, "trigger");
  activity(fulfil, "fulfil");
  for (std::size_t i = 0; i < pause_on.size(); ++i) activity(pause_on[i], Ctx::index("pause_on", i));
  for (std::size_t i = 0; i < resume_on.size(); ++i) activity(resume_on[i], Ctx::index("resume_on", i));
  for (std::size_t i = 0; i < cancel_on.size(); ++i) activity(cancel_on[i], Ctx::index("cancel_on", i));
  if (key) {
    const Column* col = log.find_attribute(*key);
    if (!col) throw NotFoundError(who + "key '" + *key + "' is not an attribute of the event log");
    if (col->type() != ColumnType::categorical && col->type() != ColumnType::numeric)
      throw TypeMismatchError(who + "key '" + *key + "' is a " + cxkit::to_string(col->type()) +
                              " attribute; keys must be categorical or numeric");
  }
  if (targets) {
    const Column* col = log.find_attribute(targets->by);
    if (!col) throw NotFoundError(who + "targets.by '" + targets->by + "' is not an attribute of the event log");
    if (col->type() == ColumnType::timestamp)
      throw TypeMismatchError(who + "targets.by '" + targets->by + "' is a timestamp attribute");
  }
}

json Moment::to_json() const {
  json j = json::object();
  j["name"] = name;
  j["trigger"] = condition_to_json(trigger);
  j["fulfil"] = condition_to_json(fulfil);
  if (within) j["within"] = format_target(*within);
  if (targets) {
    json values = json::object();
    for (const auto& [v, d] : targets->values) values[v] = format_target(d);
    j["targets"] = json{{"by", targets->by}, {"values", values}};
  }
  if (calendar) j["calendar"] = calendar_to_json(*calendar);
  const auto list = [](const std::vector<EventCondition>& cs) {
    json a = json::array();
    for (const auto& c : cs) a.push_back(condition_to_json(c));
    return a;
  };
  if (!pause_on.empty()) j["pause_on"] = list(pause_on);
  if (!resume_on.empty()) j["resume_on"] = list(resume_on);
  if (!cancel_on.empty()) j["cancel_on"] = list(cancel_on);
  j["repeat"] = repeat;
  if (key) j["key"] = *key;
  if (owner) j["owner"] = *owner;
  if (stage) j["stage"] = *stage;
  j["urgency"] = to_string(urgency);
  if (desired_emotion) j["desired_emotion"] = *desired_emotion;
  return j;
}

Moment Moment::from_json(const json& j) {
  Ctx ctx{"Moment"};
  if (!j.is_object()) ctx.fail("", "expected a JSON object", Ctx::shown(j));
  Moment m;
  if (j.contains("name")) m.name = ctx.string(j["name"], "name");
  ctx = context_of(m.name);
  ctx.only_keys(j, "", {"name", "trigger", "fulfil", "within", "targets", "calendar", "pause_on", "resume_on",
                        "cancel_on", "repeat", "key", "owner", "stage", "urgency", "desired_emotion"});
  if (!j.contains("trigger")) ctx.fail("trigger", "missing");
  if (!j.contains("fulfil")) ctx.fail("fulfil", "missing");
  m.trigger = condition_from_json(ctx, j["trigger"], "trigger");
  m.fulfil = condition_from_json(ctx, j["fulfil"], "fulfil");
  if (j.contains("within")) m.within = ctx.target(j["within"], "within");
  if (j.contains("targets")) {
    const json& t = j["targets"];
    if (!t.is_object()) ctx.fail("targets", "expected {\"by\": attribute, \"values\": {value: target}}", Ctx::shown(t));
    ctx.only_keys(t, "targets", {"by", "values"});
    TargetsBy tb;
    if (t.contains("by")) tb.by = ctx.string(t["by"], "targets.by");
    if (t.contains("values")) {
      if (!t["values"].is_object()) ctx.fail("targets.values", "expected an object of value: target", Ctx::shown(t["values"]));
      for (auto it = t["values"].begin(); it != t["values"].end(); ++it)
        tb.values.emplace_back(it.key(), ctx.target(*it, "targets.values." + it.key()));
    }
    m.targets = std::move(tb);
  }
  if (j.contains("calendar") && !j["calendar"].is_null()) m.calendar = calendar_from_json(ctx, j["calendar"], "calendar");
  if (j.contains("pause_on")) m.pause_on = conditions_from_json(ctx, j["pause_on"], "pause_on");
  if (j.contains("resume_on")) m.resume_on = conditions_from_json(ctx, j["resume_on"], "resume_on");
  if (j.contains("cancel_on")) m.cancel_on = conditions_from_json(ctx, j["cancel_on"], "cancel_on");
  if (j.contains("repeat")) {
    if (!j["repeat"].is_boolean()) ctx.fail("repeat", "expected true or false", Ctx::shown(j["repeat"]));
    m.repeat = j["repeat"].get<bool>();
  }
  const auto opt = [&](const char* f, std::optional<std::string>& out) {
    if (j.contains(f) && !j[f].is_null()) out = ctx.string(j[f], f);
  };
  opt("key", m.key);
  opt("owner", m.owner);
  opt("stage", m.stage);
  opt("desired_emotion", m.desired_emotion);
  if (j.contains("urgency")) {
    const std::string u = ctx.string(j["urgency"], "urgency");
    bool found = false;
    for (Urgency c : {Urgency::low, Urgency::normal, Urgency::high, Urgency::critical})
      if (u == to_string(c)) m.urgency = c, found = true;
    if (!found) ctx.fail("urgency", "expected one of: low, normal, high, critical", u);
  }
  m.validate();
  return m;
}

Moment Moment::from_json_text(std::string_view text) {
  cxkit::detail::check_json_depth(text, "Moment");
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // syntax errors, and numbers out of range (1e99999)
    throw InputError(std::string("invalid JSON: ") + e.what(), {"Moment", -1, "", ""});
  }
  return from_json(j);
}

}  // namespace cxkit::moments
