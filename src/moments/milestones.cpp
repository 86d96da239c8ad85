// Milestone triggers: signup-based rules from the accounts table, event-based rules in one
// pass over each case, recovered rules on top of the clock evaluation (rules in milestones.hpp).
#include "cxkit/moments/milestones.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>

#include "../core/json_fields.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/moments/evaluate.hpp"

namespace cxkit::moments {

using json = nlohmann::json;

const char* to_string(MilestoneKind k) noexcept {
  switch (k) {
    case MilestoneKind::days_after_signup: return "days_after_signup";
    case MilestoneKind::anniversary: return "anniversary";
    case MilestoneKind::nth_activity: return "nth_activity";
    case MilestoneKind::cumulative: return "cumulative";
    case MilestoneKind::activity: return "activity";
    case MilestoneKind::recovered: return "recovered";
  }
  return "?";
}

namespace {

constexpr std::int64_t kDayUs = 86'400'000'000LL;
constexpr std::int64_t kMissingTime = std::numeric_limits<std::int64_t>::min();

std::string shown(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string date_text(std::int64_t us) {
  const date::year_month_day ymd{date::floor<date::days>(from_micros(us))};
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return buf;
}

std::string ordinal(std::uint64_t n) {
  const std::uint64_t h = n % 100, t = n % 10;
  const char* suffix = (h >= 11 && h <= 13) ? "th" : t == 1 ? "st" : t == 2 ? "nd" : t == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

struct Ctx {
  std::string source;
  [[noreturn]] void fail(const std::string& field, const std::string& reason, const std::string& value = {}) const {
    throw InputError(reason, {source, -1, field, value});
  }
};

json condition_json(const EventCondition& c) {
  if (c.where.empty()) return c.activity;
  json where = json::object();
  for (const auto& a : c.where) where[a.attribute] = a.value;
  return json{{"activity", c.activity}, {"where", where}};
}

EventCondition condition_of(const Ctx& ctx, const json& v, const std::string& path) {
  EventCondition c;
  if (v.is_string()) {
    c.activity = v.get<std::string>();
    return c;
  }
  if (!v.is_object()) ctx.fail(path, "expected an activity name or {\"activity\", \"where\"}", shown(v));
  for (auto it = v.begin(); it != v.end(); ++it)
    if (it.key() != "activity" && it.key() != "where") ctx.fail(path + "." + it.key(), "unknown field");
  if (v.contains("activity")) {
    if (!v["activity"].is_string()) ctx.fail(path + ".activity", "expected a string", shown(v["activity"]));
    c.activity = v["activity"].get<std::string>();
  }
  if (v.contains("where")) {
    const json& w = v["where"];
    if (!w.is_object()) ctx.fail(path + ".where", "expected an object of attribute: value", shown(w));
    for (auto it = w.begin(); it != w.end(); ++it) {
      if (it->is_string()) c.where.push_back({it.key(), it->get<std::string>()});
      else if (it->is_number()) c.where.push_back({it.key(), it->dump()});
      else ctx.fail(path + ".where." + it.key(), "expected a string or a number", shown(*it));
    }
  }
  return c;
}

// An EventCondition resolved against a log: activity id plus attribute predicates.
struct Matcher {
  bool any_activity = false;
  bool never = false;
  std::uint32_t activity = kNoId;
  struct Pred {
    const Column* column = nullptr;
    std::uint32_t code = kNoId;
    double number = 0;
    std::string text;
  };
  std::vector<Pred> preds;

  Matcher(const EventLog& log, const EventCondition& c) {
    if (c.activity.empty()) {
      any_activity = true;
    } else if (auto id = log.activity_names().find(c.activity)) {
      activity = *id;
    } else {
      never = true;  // the log lacks the activity
    }
    for (const auto& w : c.where) {
      Pred p;
      p.column = log.find_attribute(w.attribute);
      if (!p.column) { never = true; continue; }
      switch (p.column->type()) {
        case ColumnType::categorical:
          if (auto code = p.column->categories().find(w.value)) p.code = *code;
          else never = true;
          break;
        case ColumnType::numeric: {
          char* end = nullptr;
          p.number = std::strtod(w.value.c_str(), &end);
          if (w.value.empty() || *end != '\0') never = true;
          break;
        }
        case ColumnType::text: p.text = w.value; break;
        case ColumnType::timestamp: never = true; break;
      }
      preds.push_back(std::move(p));
    }
  }

  bool matches(const EventLog& log, std::size_t row) const {
    if (never) return false;
    if (!any_activity && log.activity_ids()[row] != activity) return false;
    for (const Pred& p : preds) {
      switch (p.column->type()) {
        case ColumnType::categorical: if (p.column->codes()[row] != p.code) return false; break;
        case ColumnType::numeric: if (!(p.column->numbers()[row] == p.number)) return false; break;
        case ColumnType::text:
          if (p.column->is_missing(row) || p.column->text(row) != p.text) return false;
          break;
        case ColumnType::timestamp: return false;
      }
    }
    return true;
  }
};

std::string describe(const EventCondition& c) {
  std::string s = c.activity.empty() ? std::string("any event") : "'" + c.activity + "'";
  for (const auto& w : c.where) s += " " + w.attribute + "=" + w.value;
  return s;
}

// signup + k calendar years, same UTC time of day; 29 February becomes 28 February.
std::int64_t plus_years(std::int64_t signup_us, int k) {
  const auto t = from_micros(signup_us);
  const auto day = date::floor<date::days>(t);
  const auto time_of_day = t - day;
  date::year_month_day ymd{day};
  date::year_month_day moved{ymd.year() + date::years{k}, ymd.month(), ymd.day()};
  if (!moved.ok()) moved = date::year_month_day{moved.year() / moved.month() / date::last};
  return to_micros(date::sys_days{moved} + time_of_day);
}

}  // namespace

void MilestoneRule::validate() const {
  const Ctx ctx{"MilestoneRule '" + name + "'"};
  if (name.empty()) ctx.fail("name", "must not be empty");
  switch (kind) {
    case MilestoneKind::days_after_signup:
      if (days < 0) ctx.fail("days", "must be 0 or more", std::to_string(days));
      break;
    case MilestoneKind::anniversary: break;
    case MilestoneKind::nth_activity:
      if (event.activity.empty()) ctx.fail("event.activity", "must name an activity");
      if (count < 1) ctx.fail("count", "must be 1 or more", std::to_string(count));
      break;
    case MilestoneKind::cumulative:
      if (attribute.empty()) ctx.fail("attribute", "must name a numeric event attribute");
      if (!std::isfinite(threshold)) ctx.fail("threshold", "must be a finite number", number_text(threshold));
      break;
    case MilestoneKind::activity:
      if (event.activity.empty()) ctx.fail("event.activity", "must name an activity");
      break;
    case MilestoneKind::recovered:
      if (!moment) ctx.fail("moment", "a recovered rule needs the moment whose breach is made good");
      moment->validate();
      if (then_attribute && !then) ctx.fail("then_attribute", "needs `then`");
      if (then && then->activity.empty()) ctx.fail("then.activity", "must name an activity");
      if (then_attribute && !std::isfinite(at_least)) ctx.fail("at_least", "must be a finite number");
      break;
  }
}

json MilestoneRule::to_json() const {
  json j{{"name", name}, {"kind", to_string(kind)}};
  switch (kind) {
    case MilestoneKind::days_after_signup: j["days"] = days; break;
    case MilestoneKind::anniversary: break;
    case MilestoneKind::nth_activity: j["event"] = condition_json(event); j["count"] = count; break;
    case MilestoneKind::cumulative:
      if (!event.activity.empty() || !event.where.empty()) j["event"] = condition_json(event);
      j["attribute"] = attribute;
      j["threshold"] = threshold;
      break;
    case MilestoneKind::activity: j["event"] = condition_json(event); break;
    case MilestoneKind::recovered:
      if (moment) j["moment"] = moment->to_json();
      if (then) j["then"] = condition_json(*then);
      if (then_attribute) {
        j["then_attribute"] = *then_attribute;
        j["at_least"] = at_least;
      }
      break;
  }
  return j;
}

MilestoneRule MilestoneRule::from_json(const json& j) {
  MilestoneRule r;
  Ctx ctx{"MilestoneRule"};
  if (!j.is_object()) ctx.fail("", "expected a JSON object", shown(j));
  if (j.contains("name") && j["name"].is_string()) r.name = j["name"].get<std::string>();
  ctx.source = "MilestoneRule '" + r.name + "'";
  if (!j.contains("name") || !j["name"].is_string()) ctx.fail("name", "expected a string");
  if (!j.contains("kind") || !j["kind"].is_string()) ctx.fail("kind", "expected a string");
  const std::string kind = j["kind"].get<std::string>();
  static const MilestoneKind kinds[] = {MilestoneKind::days_after_signup, MilestoneKind::anniversary,
                                        MilestoneKind::nth_activity, MilestoneKind::cumulative,
                                        MilestoneKind::activity, MilestoneKind::recovered};
  bool found = false;
  for (auto k : kinds)
    if (kind == to_string(k)) r.kind = k, found = true;
  if (!found)
    ctx.fail("kind", "expected days_after_signup, anniversary, nth_activity, cumulative, activity or recovered",
             kind);
  // Fields another kind uses are rejected too: to_json() writes only the kind's own fields,
  // so accepting them would break the round trip (and hide a mistaken kind).
  const auto uses = [&](std::string_view field) {
    switch (r.kind) {
      case MilestoneKind::days_after_signup: return field == "days";
      case MilestoneKind::anniversary: return false;
      case MilestoneKind::nth_activity: return field == "event" || field == "count";
      case MilestoneKind::cumulative: return field == "event" || field == "attribute" || field == "threshold";
      case MilestoneKind::activity: return field == "event";
      case MilestoneKind::recovered:
        return field == "moment" || field == "then" || field == "then_attribute" || field == "at_least";
    }
    return false;
  };
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = *it;
    if (k == "name" || k == "kind") continue;
    static constexpr std::string_view kFields[] = {"days", "event", "count", "attribute", "then_attribute",
                                                   "threshold", "at_least", "moment", "then"};
    if (std::find(std::begin(kFields), std::end(kFields), k) != std::end(kFields) && !uses(k))
      ctx.fail(k, "not a field of kind " + kind, shown(v));
    if (k == "days") {
      if (!v.is_number_integer()) ctx.fail(k, "expected an integer", shown(v));
      r.days = v.get<std::int64_t>();
    } else if (k == "event") {
      r.event = condition_of(ctx, v, k);
    } else if (k == "count") {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 1) ctx.fail(k, "expected an integer of 1 or more", shown(v));
      r.count = v.get<std::uint64_t>();
    } else if (k == "attribute" || k == "then_attribute") {
      if (!v.is_string()) ctx.fail(k, "expected a string", shown(v));
      (k == "attribute" ? r.attribute : r.then_attribute.emplace()) = v.get<std::string>();
    } else if (k == "threshold" || k == "at_least") {
      if (!v.is_number()) ctx.fail(k, "expected a number", shown(v));
      (k == "threshold" ? r.threshold : r.at_least) = v.get<double>();
    } else if (k == "moment") {
      r.moment = Moment::from_json(v);
    } else if (k == "then") {
      r.then = condition_of(ctx, v, k);
    } else {
      ctx.fail(k, "unknown field");
    }
  }
  r.validate();
  return r;
}

MilestoneRule MilestoneRule::from_json_text(std::string_view text) {
  cxkit::detail::check_json_depth(text, "MilestoneRule");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // syntax errors, and numbers out of range (1e99999)
    throw InputError(std::string("MilestoneRule: not valid JSON: ") + e.what());
  }
  return from_json(j);
}

std::vector<DueItem> due(const EventLog& log, const Table& accounts, std::span<const MilestoneRule> rules,
                         const DueOptions& options) {
  const std::int64_t start = to_micros(options.start), end = to_micros(options.end);
  if (start > end)
    throw InputError("due: start is after end", {"due", -1, "between", date_text(start) + " .. " + date_text(end)});
  for (const auto& r : rules) r.validate();
  std::vector<DueItem> out;
  const auto in_window = [&](std::int64_t t) { return t >= start && t < end; };

  // Signup-based rules: every account row.
  bool needs_signup = false;
  for (const auto& r : rules)
    needs_signup = needs_signup || r.kind == MilestoneKind::days_after_signup || r.kind == MilestoneKind::anniversary;
  if (needs_signup) {
    const Column* col = accounts.find_column(options.signup_column);
    if (!col) throw NotFoundError("the accounts table has no signup column '" + options.signup_column + "'");
    if (col->type() != ColumnType::timestamp)
      throw TypeMismatchError("signup column '" + options.signup_column + "' is " + to_string(col->type()) +
                              ", not a timestamp");
    const auto signup = col->times();
    for (std::uint32_t ri = 0; ri < rules.size(); ++ri) {
      const MilestoneRule& r = rules[ri];
      for (std::size_t a = 0; a < accounts.size(); ++a) {
        const std::int64_t s = signup[a];
        if (s == kMissingTime) continue;
        if (r.kind == MilestoneKind::days_after_signup) {
          const std::int64_t t = s + r.days * kDayUs;
          if (in_window(t))
            out.push_back({std::string(accounts.keys().name(static_cast<std::uint32_t>(a))), ri, from_micros(t),
                           std::to_string(r.days) + " days since signup on " + date_text(s)});
        } else if (r.kind == MilestoneKind::anniversary) {
          // First candidate year: the whole years between signup and start, minus one for
          // the date arithmetic's rounding; then walk forward while before end.
          int k = std::max<std::int64_t>(1, (start - s) / (366 * kDayUs));
          while (k > 1 && plus_years(s, k - 1) >= start) --k;
          for (;; ++k) {
            if (k > 10000) break;
            const std::int64_t t = plus_years(s, k);
            if (t >= end) break;
            if (in_window(t))
              out.push_back({std::string(accounts.keys().name(static_cast<std::uint32_t>(a))), ri, from_micros(t),
                             std::to_string(k) + (k == 1 ? " year" : " years") + " since signup on " + date_text(s)});
          }
        }
      }
    }
  }

  // Event-based rules: one pass per case over events before `end`.
  struct EventRule {
    std::uint32_t rule;
    Matcher matcher;
    std::span<const double> values;  // cumulative
  };
  std::vector<EventRule> event_rules;
  for (std::uint32_t ri = 0; ri < rules.size(); ++ri) {
    const MilestoneRule& r = rules[ri];
    if (r.kind != MilestoneKind::nth_activity && r.kind != MilestoneKind::cumulative &&
        r.kind != MilestoneKind::activity)
      continue;
    EventRule er{ri, Matcher(log, r.event), {}};
    if (r.kind == MilestoneKind::cumulative) {
      const Column* col = log.find_attribute(r.attribute);
      if (!col) throw NotFoundError("MilestoneRule '" + r.name + "': attribute '" + r.attribute + "' is not in the log");
      if (col->type() != ColumnType::numeric)
        throw TypeMismatchError("MilestoneRule '" + r.name + "': attribute '" + r.attribute + "' is " +
                                to_string(col->type()) + ", not numeric");
      er.values = col->numbers();
    }
    event_rules.push_back(std::move(er));
  }
  if (!event_rules.empty()) {
    std::vector<double> progress(event_rules.size());
    std::vector<char> done(event_rules.size());
    const auto times = log.timestamps();
    for (std::size_t c = 0; c < log.n_cases(); ++c) {
      std::fill(progress.begin(), progress.end(), 0.0);
      std::fill(done.begin(), done.end(), 0);
      std::size_t open = event_rules.size();
      for (std::size_t i = log.case_begin(c); i < log.case_end(c) && open > 0 && times[i] < end; ++i) {
        for (std::size_t k = 0; k < event_rules.size(); ++k) {
          if (done[k]) continue;
          const EventRule& er = event_rules[k];
          if (!er.matcher.matches(log, i)) continue;
          const MilestoneRule& r = rules[er.rule];
          bool reached = false;
          std::string reason;
          switch (r.kind) {
            case MilestoneKind::nth_activity:
              progress[k] += 1;
              reached = progress[k] >= static_cast<double>(r.count);
              if (reached) reason = ordinal(r.count) + " " + describe(r.event);
              break;
            case MilestoneKind::cumulative:
              if (!std::isnan(er.values[i])) progress[k] += er.values[i];
              reached = progress[k] >= r.threshold;
              if (reached)
                reason = "cumulative " + r.attribute + " reached " + number_text(r.threshold) + " (" +
                         number_text(progress[k]) + ")";
              break;
            default:
              reached = true;
              reason = describe(r.event) + " reached";
              break;
          }
          if (!reached) continue;
          done[k] = 1;
          --open;
          if (in_window(times[i]))
            out.push_back({std::string(log.case_names().name(static_cast<std::uint32_t>(c))), er.rule,
                           from_micros(times[i]), std::move(reason)});
        }
      }
    }
  }

  // Recovered rules: clocks of the moment that missed, then made good.
  for (std::uint32_t ri = 0; ri < rules.size(); ++ri) {
    const MilestoneRule& r = rules[ri];
    if (r.kind != MilestoneKind::recovered) continue;
    EvaluateOptions eo;
    eo.as_of = from_micros(end - 1);
    eo.strict = false;
    eo.threads = 1;
    const Moment ms[] = {*r.moment};
    const auto occ = evaluate(log, ms, eo);
    std::optional<Matcher> then;
    const Column* value_col = nullptr;
    if (r.then) {
      then.emplace(log, *r.then);
      if (r.then_attribute) {
        value_col = log.find_attribute(*r.then_attribute);
        if (!value_col)
          throw NotFoundError("MilestoneRule '" + r.name + "': attribute '" + *r.then_attribute + "' is not in the log");
        if (value_col->type() != ColumnType::numeric)
          throw TypeMismatchError("MilestoneRule '" + r.name + "': attribute '" + *r.then_attribute + "' is " +
                                  to_string(value_col->type()) + ", not numeric");
      }
    }
    const auto times = log.timestamps();
    std::set<std::pair<std::uint32_t, std::int64_t>> used;  // one item per making-good event
    for (const Occurrence& o : occ) {
      if (o.status != Status::breached && o.status != Status::overdue) continue;
      const std::string what = "'" + r.moment->name + "'" + (o.key.empty() ? "" : " (" + o.key + ")") + " missed";
      if (!then) {
        if (o.status != Status::breached) continue;  // not made good (yet)
        const std::int64_t t = to_micros(*o.stopped);
        if (in_window(t))
          out.push_back({std::string(log.case_names().name(o.case_id)), ri, *o.stopped,
                         what + ", fulfilled late on " + date_text(t)});
        continue;
      }
      std::int64_t after = to_micros(o.deadline);
      if (o.stopped) after = std::max(after, to_micros(*o.stopped));
      for (std::size_t i = log.case_begin(o.case_id); i < log.case_end(o.case_id) && times[i] < end; ++i) {
        if (times[i] < after || !then->matches(log, i)) continue;
        if (value_col && !(value_col->numbers()[i] >= r.at_least)) continue;
        if (!used.insert({o.case_id, times[i]}).second) break;
        if (in_window(times[i])) {
          std::string reason = what + ", then " + describe(*r.then);
          if (value_col) reason += " with " + *r.then_attribute + " " + number_text(value_col->numbers()[i]);
          out.push_back({std::string(log.case_names().name(o.case_id)), ri, from_micros(times[i]), std::move(reason)});
        }
        break;
      }
    }
  }

  std::stable_sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
    if (a.due != b.due) return a.due < b.due;
    if (a.account != b.account) return a.account < b.account;
    return a.rule < b.rule;
  });
  return out;
}

}  // namespace cxkit::moments
