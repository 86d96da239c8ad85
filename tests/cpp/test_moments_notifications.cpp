// Notification policies: hand-computed timelines for digests, immediate notifications,
// Alertmanager grouping (group_wait / group_interval / repeat_interval), inhibition, routing,
// PagerDuty-style escalation with acknowledgement, quiet hours, and the JSON form.
//
// Dates: 2024-03-04 is a Monday. Europe/Berlin leaves CET (UTC+1) for CEST (UTC+2) on Sunday
// 2024-03-31 at 02:00 local, so 09:00 local is 08:00Z until Saturday 2024-03-30 and 07:00Z
// from Sunday 2024-03-31.
#include "cxkit/moments/notification_replay.hpp"

#include <gtest/gtest.h>

#include "cxkit/moments/evaluate.hpp"

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char* iso) {
  Timestamp t;
  if (!parse_iso8601(iso, t)) throw std::runtime_error(std::string("bad test timestamp ") + iso);
  return t;
}

Moment moment(const char* name, Urgency u) {
  Moment m;
  m.name = name;
  m.trigger = {"start", {}};
  m.fulfil = {"stop", {}};
  m.within = 1h;
  m.urgency = u;
  return m;
}

/// A clock of `moment` on case `c` with deadline `deadline`; stopped at `stop` ("" = open).
Occurrence clock(std::uint32_t c, std::uint32_t m, const char* deadline, const char* stop, const char* key = "") {
  Occurrence o;
  o.case_id = c;
  o.moment = m;
  o.key = key;
  o.deadline = at(deadline);
  o.started = o.deadline - 1h;
  o.target = 1h;
  if (*stop) {
    o.stopped = at(stop);
    o.status = *o.stopped <= o.deadline ? Status::met : Status::breached;
  } else {
    o.status = Status::overdue;
  }
  return o;
}

struct Fixture {
  Dictionary cases;
  std::vector<Moment> moments;
  std::vector<Occurrence> occ;
  const Table* accounts = nullptr;
  const EventLog* log = nullptr;

  ReplayResult run(const NotificationPolicy& p, const char* until) {
    ReplayInput in;
    in.cases = log ? &log->case_names() : &cases;
    in.occurrences = occ;
    in.moments = moments;
    in.accounts = accounts;
    in.log = log;
    ReplayOptions o;
    o.until = at(until);
    return replay(p, in, o);
  }
};

NotificationPolicy policy(const char* json_text) { return NotificationPolicy::from_json_text(json_text); }

/// "recipient kind time [occurrence/kind ...]" per notification, for readable comparisons.
std::vector<std::string> describe(const NotificationPolicy& p, const ReplayResult& r) {
  std::vector<std::string> out;
  for (const auto& n : r.notifications) {
    std::string s = p.recipients[n.recipient].id + " " + to_string(n.kind) + " " + format_iso8601(n.at);
    if (n.kind == NotificationKind::escalation) s += " L" + std::to_string(n.level);
    if (n.repeat) s += " repeat";
    for (std::uint32_t k = 0; k < n.count; ++k) {
      const auto& item = r.items[r.notification_items[n.first + k]];
      s += " " + std::to_string(item.occurrence) + "/" + to_string(item.kind);
    }
    out.push_back(s);
  }
  return out;
}

const NotificationItem& item_of(const ReplayResult& r, std::uint32_t occurrence, ItemKind k) {
  for (const auto& it : r.items)
    if (it.occurrence == occurrence && it.kind == k) return it;
  throw std::runtime_error("no such item");
}

}  // namespace

TEST(MomentsNotifications, DigestAtNineLocalAcrossDaylightSavingChange) {
  Fixture f;
  f.cases.intern("A");
  f.cases.intern("B");
  f.moments = {moment("welcome", Urgency::normal)};
  f.occ = {clock(0, 0, "2024-03-29T12:00:00Z", "2024-03-29T13:00:00Z"),   // Friday
           clock(1, 0, "2024-03-30T12:00:00Z", "2024-03-30T13:00:00Z")};  // Saturday
  const auto p = policy(R"({"recipients": [{"id": "anna", "timezone": "Europe/Berlin", "digest_at": "09:00"}],
                            "routes": [{"recipient": "anna"}], "notify_on": ["breached"]})");
  const auto r = f.run(p, "2024-03-30T23:00:00Z");
  // Saturday 09:00 CET = 08:00Z; Sunday 09:00 CEST = 07:00Z (delivered after `until`: first
  // deliveries of items already fired are always completed).
  EXPECT_EQ(describe(p, r), (std::vector<std::string>{"anna digest 2024-03-30T08:00:00Z 0/breached",
                                                      "anna digest 2024-03-31T07:00:00Z 1/breached"}));
  // Breaches stay in the digest although their clocks stopped before it.
  EXPECT_EQ(r.summary.notified, 2u);

  // Weekdays only: both wait for Monday 09:00 CEST = 07:00Z, in one digest.
  const auto weekdays = policy(R"({"recipients": [{"id": "anna", "timezone": "Europe/Berlin", "digest_at": ["09:00"],
                                   "digest_days": ["mon", "tue", "wed", "thu", "fri"]}],
                                   "routes": [{"recipient": "anna"}], "notify_on": ["breached"]})");
  EXPECT_EQ(describe(weekdays, f.run(weekdays, "2024-03-30T23:00:00Z")),
            (std::vector<std::string>{"anna digest 2024-04-01T07:00:00Z 0/breached 1/breached"}));
}

TEST(MomentsNotifications, CriticalAtOnceNormalInDigest) {
  Fixture f;
  f.cases.intern("A");
  f.cases.intern("B");
  f.moments = {moment("P0 reply", Urgency::critical), moment("welcome", Urgency::normal)};
  f.occ = {clock(0, 0, "2024-03-04T10:00:00Z", ""), clock(1, 1, "2024-03-04T10:00:00Z", "")};
  const auto p = policy(R"({"recipients": [{"id": "r"}], "routes": [{"recipient": "r"}], "notify_on": ["breached"]})");
  const auto r = f.run(p, "2024-03-04T12:00:00Z");
  // group_wait 30 s for the critical breach; 09:00 UTC next day for the normal one. The next
  // repeat (14:00:30) lies after `until`.
  EXPECT_EQ(describe(p, r), (std::vector<std::string>{"r immediate 2024-03-04T10:00:30Z 0/breached",
                                                      "r digest 2024-03-05T09:00:00Z 1/breached"}));
  EXPECT_TRUE(item_of(r, 0, ItemKind::breached).immediate);
  EXPECT_FALSE(item_of(r, 1, ItemKind::breached).immediate);
  EXPECT_EQ(r.summary.naive_notifications, 2u);
}

TEST(MomentsNotifications, GroupWaitGroupIntervalRepeatIntervalMinuteByMinute) {
  // Alertmanager: a new group waits group_wait before its first notification; alerts joining
  // later wait for the next group_interval tick after the last flush; with nothing new the
  // group is re-sent once repeat_interval has passed (at a group_interval tick); a group whose
  // alerts all resolved is deleted, so the next alert starts a new group (group_wait again).
  Fixture f;
  f.cases.intern("A");
  f.moments = {moment("P0 reply", Urgency::critical)};
  const auto trig = [&](const char* start, const char* stop) {
    Occurrence o;
    o.case_id = 0;
    o.started = at(start);
    o.stopped = at(stop);
    o.deadline = o.started + 24h;
    o.status = Status::met;
    f.occ.push_back(o);
  };
  trig("2024-03-04T10:00:00Z", "2024-03-04T15:00:00Z");  // 0
  trig("2024-03-04T10:01:00Z", "2024-03-04T15:00:00Z");  // 1
  trig("2024-03-04T10:12:00Z", "2024-03-04T15:00:00Z");  // 2
  trig("2024-03-04T15:02:00Z", "2024-03-04T15:30:00Z");  // 3
  trig("2024-03-04T16:00:00Z", "2024-03-04T16:00:10Z");  // 4: resolved within group_wait
  const auto p = policy(R"({"recipients": [{"id": "r"}], "routes": [{"recipient": "r"}], "notify_on": ["triggered"],
                            "grouping": {"group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h"}})");
  const auto r = f.run(p, "2024-03-04T17:00:00Z");
  EXPECT_EQ(describe(p, r),
            (std::vector<std::string>{
                "r immediate 2024-03-04T10:00:30Z 0/triggered",                           // group_wait
                "r immediate 2024-03-04T10:05:30Z 0/triggered 1/triggered",               // next tick
                // 10:10:30: nothing new, nothing sent
                "r immediate 2024-03-04T10:15:30Z 0/triggered 1/triggered 2/triggered",  // 10:12 joins
                // 10:15:30 + 4 h = 14:15:30 is a tick (48 intervals): repeat
                "r immediate 2024-03-04T14:15:30Z repeat 0/triggered 1/triggered 2/triggered",
                // all resolve at 15:00, the group goes at 15:00:30; a new group for 15:02
                "r immediate 2024-03-04T15:02:30Z 3/triggered"}));
  EXPECT_EQ(r.items[4].fate, ItemFate::resolved);
  EXPECT_EQ(r.summary.resolved, 1u);
  EXPECT_EQ(r.summary.notified, 4u);

  // group_by: one group per case, each with its own group_wait.
  f.cases.intern("B");
  f.occ.resize(2);
  f.occ[1].case_id = 1;
  const auto by_case = policy(R"({"recipients": [{"id": "r"}], "routes": [{"recipient": "r"}], "notify_on": ["triggered"],
                                  "grouping": {"group_by": ["case"]}})");
  EXPECT_EQ(describe(by_case, f.run(by_case, "2024-03-04T12:00:00Z")),
            (std::vector<std::string>{"r immediate 2024-03-04T10:00:30Z 0/triggered",
                                      "r immediate 2024-03-04T10:01:30Z 1/triggered"}));
}

TEST(MomentsNotifications, InhibitionByOpenP0BreachOnTheSameAccount) {
  Fixture f;
  f.cases.intern("A");
  f.cases.intern("B");
  f.moments = {moment("P0 reply", Urgency::critical), moment("welcome", Urgency::normal)};
  f.occ = {clock(0, 0, "2024-03-04T10:00:00Z", ""), clock(0, 1, "2024-03-04T10:30:00Z", ""),
           clock(1, 1, "2024-03-04T10:30:00Z", "")};
  const char* text = R"({"recipients": [{"id": "r"}], "routes": [{"recipient": "r"}], "notify_on": ["breached"],
      "grouping": {"repeat_interval": "48h"},
      "inhibit": [{"source": {"moment": "P0 reply", "kind": "breached"}, "target": {"urgency": ["low", "normal"]},
                   "equal": ["case"]}]})";
  const auto p = policy(text);
  const auto r = f.run(p, "2024-03-05T12:00:00Z");
  EXPECT_EQ(describe(p, r), (std::vector<std::string>{"r immediate 2024-03-04T10:00:30Z 0/breached",
                                                      "r digest 2024-03-05T09:00:00Z 2/breached"}));
  EXPECT_EQ(item_of(r, 1, ItemKind::breached).fate, ItemFate::inhibited);
  EXPECT_EQ(r.summary.inhibited, 1u);

  // Once the P0 clock stopped (08:00, before the digest) nothing inhibits A's welcome breach.
  f.occ[0] = clock(0, 0, "2024-03-04T10:00:00Z", "2024-03-05T08:00:00Z");
  EXPECT_EQ(describe(p, f.run(p, "2024-03-05T12:00:00Z")),
            (std::vector<std::string>{"r immediate 2024-03-04T10:00:30Z 0/breached",
                                      "r digest 2024-03-05T09:00:00Z 1/breached 2/breached"}));
}

TEST(MomentsNotifications, RoutingFirstMatchAndAllMatches) {
  TableBuilder tb("account");
  const auto tier = tb.add_column("tier", ColumnType::categorical);
  const auto owner = tb.add_column("owner", ColumnType::categorical);
  tb.add_row("A");
  tb.set_category(tier, "Enterprise");
  tb.set_category(owner, "maria");
  tb.add_row("B");
  tb.set_category(tier, "SMB");
  tb.set_category(owner, "tom");
  const Table accounts = tb.build();
  Fixture f;
  f.cases.intern("A");
  f.cases.intern("B");
  f.accounts = &accounts;
  f.moments = {moment("welcome", Urgency::normal), moment("reply", Urgency::normal)};
  f.occ = {clock(0, 0, "2024-03-04T10:00:00Z", ""), clock(0, 1, "2024-03-04T10:00:00Z", ""),
           clock(1, 0, "2024-03-04T10:00:00Z", ""), clock(1, 1, "2024-03-04T10:00:00Z", "")};
  const char* text = R"({"recipients": [{"id": "maria"}, {"id": "tom"}, {"id": "lead"}],
      "routes": [{"match": {"tier": "Enterprise"}, "recipient_from": "owner"},
                 {"match": {"moment": "welcome"}, "drop": true},
                 {"recipient": "lead"}],
      "notify_on": ["breached"]})";
  auto p = policy(text);
  const auto recipients = [&](const ReplayResult& r, std::uint32_t o) {
    std::vector<std::string> ids;
    for (auto k : item_of(r, o, ItemKind::breached).recipients) ids.push_back(p.recipients[k].id);
    return ids;
  };
  auto r = f.run(p, "2024-03-04T12:00:00Z");
  EXPECT_EQ(recipients(r, 0), std::vector<std::string>{"maria"});
  EXPECT_EQ(recipients(r, 1), std::vector<std::string>{"maria"});
  EXPECT_EQ(item_of(r, 2, ItemKind::breached).fate, ItemFate::dropped);
  EXPECT_EQ(recipients(r, 3), std::vector<std::string>{"lead"});
  EXPECT_EQ(item_of(r, 0, ItemKind::breached).route, 0);
  EXPECT_EQ(item_of(r, 3, ItemKind::breached).route, 2);

  // All matches: the Enterprise reply also reaches the lead; a drop ends matching but keeps
  // the recipients already found (maria still hears of A's welcome).
  p.routing = NotificationPolicy::Routing::all_matches;
  r = f.run(p, "2024-03-04T12:00:00Z");
  EXPECT_EQ(recipients(r, 0), std::vector<std::string>{"maria"});
  EXPECT_EQ(recipients(r, 1), (std::vector<std::string>{"maria", "lead"}));
  EXPECT_EQ(item_of(r, 2, ItemKind::breached).fate, ItemFate::dropped);
  EXPECT_EQ(recipients(r, 3), std::vector<std::string>{"lead"});
  EXPECT_EQ(r.summary.naive_notifications, 5u);  // 1 + 2 + 1 (dropped) + 1

  // An unknown label names the policy field.
  p.routes[0].match[0].label = "tierr";
  try {
    f.run(p, "2024-03-04T12:00:00Z");
    FAIL() << "expected NotFoundError";
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("routes[0].match.tierr"), std::string::npos) << e.what();
  }
}

TEST(MomentsNotifications, EscalationToManagerStoppedByAcknowledgement) {
  EventLogBuilder b("test");
  const auto ticket = b.add_attribute("ticket", ColumnType::categorical);
  const auto add = [&](const char* c, const char* a, const char* t, const char* k) {
    b.add_event(c, a, at(t));
    b.set_category(ticket, k);
  };
  add("A", "ticket opened", "2024-03-04T08:00:00Z", "T1");
  add("A", "agent update", "2024-03-04T12:30:00Z", "T1");  // acknowledges after level 1
  add("A", "first reply", "2024-03-04T15:00:00Z", "T1");
  add("B", "ticket opened", "2024-03-04T08:00:00Z", "T2");
  add("B", "first reply", "2024-03-04T11:00:00Z", "T2");   // the fulfilment acknowledges
  add("C", "ticket opened", "2024-03-04T08:00:00Z", "T3");
  add("C", "agent update", "2024-03-04T10:30:00Z", "T4");  // another ticket: not an ack
  const EventLog log = b.build();
  Moment m;
  m.name = "first reply";
  m.trigger = {"ticket opened", {}};
  m.fulfil = {"first reply", {}};
  m.within = 2h;
  m.key = "ticket";
  m.urgency = Urgency::high;
  Fixture f;
  f.log = &log;
  f.moments = {m};
  EvaluateOptions eo;
  eo.as_of = at("2024-03-04T20:00:00Z");
  f.occ = evaluate(log, f.moments, eo);
  ASSERT_EQ(f.occ.size(), 3u);  // A, B, C in case order; every deadline 10:00Z
  const auto p = policy(R"({"recipients": [{"id": "csm", "manager": "lead"}, {"id": "lead", "manager": "vp"}, {"id": "vp"}],
      "routes": [{"recipient": "csm"}], "notify_on": ["breached"],
      "escalation": {"acknowledge_on": ["agent update"],
                     "levels": [{"target": "owner", "timeout": "2h"}, {"target": "manager", "timeout": "2h"},
                                {"target": "manager"}]}})");
  const auto r = f.run(p, "2024-03-04T20:00:00Z");
  EXPECT_EQ(describe(p, r), (std::vector<std::string>{
                                "csm escalation 2024-03-04T10:00:00Z L0 0/breached",
                                "csm escalation 2024-03-04T10:00:00Z L0 1/breached",
                                "csm escalation 2024-03-04T10:00:00Z L0 2/breached",
                                "lead escalation 2024-03-04T12:00:00Z L1 0/breached",  // A: acked only at 12:30
                                "lead escalation 2024-03-04T12:00:00Z L1 2/breached",  // B: fulfilled 11:00, no L1
                                "vp escalation 2024-03-04T14:00:00Z L2 2/breached"}));  // C never acked
  EXPECT_EQ(item_of(r, 0, ItemKind::breached).acknowledged, at("2024-03-04T12:30:00Z"));
  EXPECT_EQ(item_of(r, 1, ItemKind::breached).acknowledged, at("2024-03-04T11:00:00Z"));
  EXPECT_EQ(item_of(r, 2, ItemKind::breached).acknowledged, std::nullopt);
}

TEST(MomentsNotifications, EventAttributesAreLabels) {
  EventLogBuilder b("test");
  const auto priority = b.add_attribute("priority", ColumnType::categorical);
  b.add_event("A", "start", at("2024-03-04T09:00:00Z"));
  b.set_category(priority, "P0");
  b.add_event("B", "start", at("2024-03-04T09:00:00Z"));
  b.set_category(priority, "P3");
  const EventLog log = b.build();
  Fixture f;
  f.log = &log;
  f.moments = {moment("reply", Urgency::normal)};
  f.occ = {clock(0, 0, "2024-03-04T10:00:00Z", ""), clock(1, 0, "2024-03-04T10:00:00Z", "")};
  const auto p = policy(R"({"recipients": [{"id": "oncall"}, {"id": "team"}],
      "routes": [{"match": {"event.priority": "P0"}, "recipient": "oncall", "immediate": true}, {"recipient": "team"}],
      "notify_on": ["breached"]})");
  EXPECT_EQ(describe(p, f.run(p, "2024-03-04T12:00:00Z")),
            (std::vector<std::string>{"oncall immediate 2024-03-04T10:00:30Z 0/breached",
                                      "team digest 2024-03-05T09:00:00Z 1/breached"}));
}

TEST(MomentsNotifications, QuietHoursDeferAllButCritical) {
  Fixture f;
  f.cases.intern("A");
  f.moments = {moment("high", Urgency::high), moment("critical", Urgency::critical)};
  // 22:00Z on 2024-01-10 is 23:00 in Berlin (CET), inside quiet hours 22:00-07:00.
  f.occ = {clock(0, 0, "2024-01-10T22:00:00Z", ""), clock(0, 1, "2024-01-10T22:00:00Z", "")};
  const auto p = policy(R"({"recipients": [{"id": "r", "timezone": "Europe/Berlin",
                                            "quiet_hours": {"from": "22:00", "to": "07:00"}}],
                            "routes": [{"match": {"moment": "high"}, "recipient": "r"},
                                       {"match": {"moment": "critical"}, "recipient": "r"}],
                            "notify_on": ["breached"], "grouping": {"repeat_interval": "24h"}})");
  EXPECT_EQ(describe(p, f.run(p, "2024-01-11T12:00:00Z")),
            (std::vector<std::string>{"r immediate 2024-01-10T22:00:30Z 1/breached",
                                      "r immediate 2024-01-11T06:00:00Z 0/breached"}));  // 07:00 CET
}

TEST(MomentsNotifications, AboutToBreachOnlyWhileTheClockRuns) {
  Fixture f;
  f.cases.intern("A");
  f.moments = {moment("m", Urgency::normal)};
  f.occ = {clock(0, 0, "2024-03-04T10:00:00Z", "2024-03-04T09:10:00Z"),   // met before the warning
           clock(0, 0, "2024-03-04T12:00:00Z", "2024-03-04T11:30:00Z")};  // met after it
  auto p = policy(R"({"recipients": [{"id": "r"}], "routes": [{"recipient": "r"}], "warn_before": "45m"})");
  const auto r = f.run(p, "2024-03-04T13:00:00Z");
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].occurrence, 1u);
  EXPECT_EQ(r.items[0].at, at("2024-03-04T11:15:00Z"));
  EXPECT_EQ(r.items[0].fate, ItemFate::resolved);  // stopped before the 09:00 digest
  EXPECT_TRUE(r.notifications.empty());
}

TEST(MomentsNotifications, JsonRoundTrip) {
  const auto p = policy(R"({
      "recipients": [{"id": "maria", "role": "csm", "manager": "lead", "timezone": "America/New_York",
                      "digest_at": ["08:30", "16:00"], "digest_days": ["mon", "wed"],
                      "quiet_hours": {"from": "21:00", "to": "07:30"}},
                     {"id": "lead", "role": "lead"}],
      "routes": [{"name": "enterprise", "match": {"tier": ["Enterprise", "Strategic"], "kind": "breached"},
                  "recipient_from": "owner", "immediate": true, "continue": true},
                 {"match": {"moment": "welcome"}, "drop": true}, {"role": "lead"}],
      "routing": "all_matches", "default_recipient": "lead", "notify_on": ["triggered", "breached"],
      "warn_before": "90m",
      "grouping": {"group_by": ["case", "moment"], "group_wait": "1m", "group_interval": "10m", "repeat_interval": "12h"},
      "inhibit": [{"source": {"priority": "P0"}, "target": {"urgency": ["low", "normal"]}, "equal": ["case"]}],
      "escalation": {"match": {"urgency": "critical"}, "acknowledge_on": ["agent update"],
                     "levels": [{"target": "owner", "timeout": "2h"}, {"recipient": "lead", "timeout": "1h"}]}})");
  EXPECT_EQ(p.recipients[0].digest_at, (std::vector<LocalTime>{8 * 60 + 30, 16 * 60}));
  EXPECT_EQ(p.recipients[0].digest_days, 0b101);
  EXPECT_EQ(p.warn_before, 90min);
  ASSERT_EQ(p.routes[0].match.size(), 2u);  // JSON objects are read in key order: kind, tier
  EXPECT_EQ(p.routes[0].match[1].label, "tier");
  EXPECT_EQ(p.routes[0].match[1].values, (std::vector<std::string>{"Enterprise", "Strategic"}));
  EXPECT_EQ(NotificationPolicy::from_json(p.to_json()), p);
  EXPECT_EQ(NotificationPolicy::from_json_text(p.to_json().dump()).to_json(), p.to_json());
}

TEST(MomentsNotifications, ErrorsNameTheField) {
  const auto field_of = [](const std::string& text) -> std::string {
    try {
      NotificationPolicy::from_json_text(text);
    } catch (const InputError& e) {
      return e.location().column;
    }
    return "(no error)";
  };
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a", "timezone": "Mars/Base"}]})"), "recipients[0].timezone");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a"}, {"id": "a"}]})"), "recipients[1].id");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a", "manager": "b"}]})"), "recipients[0].manager");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a", "digest_at": "9am"}]})"), "recipients[0].digest_at");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a", "digest_days": ["mon", "fun"]}]})"), "recipients[0].digest_days[1]");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a"}], "routes": [{"recipient": "a"}, {"match": {"urgency": "urgent"},
      "recipient": "a"}]})"), "routes[1].match.urgency");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a"}], "routes": [{"recipient": "b"}]})"), "routes[0].recipient");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a"}], "routes": [{"recipient": "a", "colour": "red"}]})"),
            "routes[0].colour");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a"}], "routes": [{"recipient": "a", "role": "x"}]})"), "routes[0]");
  EXPECT_EQ(field_of(R"({"grouping": {"group_interval": "0s"}})"), "grouping.group_interval");
  EXPECT_EQ(field_of(R"({"grouping": {"group_wait": "soon"}})"), "grouping.group_wait");
  EXPECT_EQ(field_of(R"({"notify_on": ["breached", "exploded"]})"), "notify_on[1]");
  EXPECT_EQ(field_of(R"({"default_recipient": "nobody"})"), "default_recipient");
  EXPECT_EQ(field_of(R"({"inhibit": [{"source": {"kind": "breached"}, "target": {"kind": "late"}}]})"),
            "inhibit[0].target.kind");
  EXPECT_EQ(field_of(R"({"escalation": {"levels": []}})"), "escalation.levels");
  EXPECT_EQ(field_of(R"({"escalation": {"levels": [{"target": "boss"}]}})"), "escalation.levels[0].target");
  EXPECT_EQ(field_of(R"({"routing": "best_match"})"), "routing");
  EXPECT_EQ(field_of(R"({"recipients": [{"id": "a"}]})"), "(no error)");
  EXPECT_THROW(NotificationPolicy::from_json_text("{not json"), InputError);
}
