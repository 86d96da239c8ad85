// Moment definitions: JSON round trip, errors that name the field, validation against a log.
#include "cxkit/moments/moment.hpp"

#include <gtest/gtest.h>

using namespace cxkit;
using namespace cxkit::moments;
using namespace std::chrono_literals;

namespace {

Moment full() {
  Moment m;
  m.name = "first reply";
  m.trigger = {"ticket_opened", {{"priority", "P0"}, {"channel", "email"}}};
  m.fulfil = {"agent_replied", {}};
  m.within = 4h;
  m.targets = TargetsBy{"priority", {{"P1", 4h}, {"P0", 90min}, {"P2", std::chrono::microseconds{1500000}}}};
  m.calendar = Calendar("Europe/Berlin",
                        Calendar::Week{std::vector<WorkingInterval>{{9h, 12h}, {13h, 17h}}, {{9h, 17h}}, {{9h, 17h}},
                                       {{9h, 17h}}, {{9h, 15h}}, {}, {}},
                        {boost::gregorian::date(2026, 12, 25)});
  m.pause_on = {{"waiting_on_customer", {}}};
  m.resume_on = {{"customer_replied", {}}, {"customer_called", {}}};
  m.cancel_on = {{"ticket_withdrawn", {}}};
  m.repeat = true;
  m.key = "ticket";
  m.owner = "support";
  m.stage = "support";
  m.urgency = Urgency::high;
  m.desired_emotion = "reassured";
  return m;
}

// The field an InputError names.
std::string field_of(const std::string& text) {
  try {
    Moment::from_json_text(text);
  } catch (const InputError& e) {
    return e.location().column;
  }
  return "<no error>";
}

}  // namespace

TEST(MomentsMoment, JsonRoundTrip) {
  const Moment m = full();
  const nlohmann::json j = m.to_json();
  EXPECT_EQ(j["within"], "4h");
  EXPECT_EQ(j["targets"]["values"]["P0"], "90m");
  EXPECT_EQ(j["targets"]["values"]["P2"], "1.5s");
  EXPECT_EQ(j["fulfil"], "agent_replied");  // a bare activity
  EXPECT_EQ(j["calendar"]["week"][0][1][0], "13:00");
  EXPECT_EQ(j["calendar"]["holidays"][0], "2026-12-25");
  EXPECT_EQ(Moment::from_json(j), m);
  EXPECT_EQ(Moment::from_json_text(j.dump()), m);

  Moment minimal;
  minimal.name = "welcome";
  minimal.trigger = {"signed_up", {}};
  minimal.fulfil = {"welcome_sent", {}};
  minimal.within = 1min;
  EXPECT_EQ(Moment::from_json(minimal.to_json()), minimal);
  EXPECT_FALSE(minimal.to_json().contains("calendar"));
}

TEST(MomentsMoment, ReadsShorthandsAndNumbers) {
  const Moment m = Moment::from_json_text(R"({"name": "p0", "trigger": {"activity": "opened", "where": {"sev": 1}},
      "fulfil": "replied", "within": "1.5h", "pause_on": "hold", "resume_on": ["unhold"]})");
  EXPECT_EQ(m.within, Duration{90min});
  ASSERT_EQ(m.trigger.where.size(), 1u);
  EXPECT_EQ(m.trigger.where[0].value, "1");
  ASSERT_EQ(m.pause_on.size(), 1u);
  EXPECT_EQ(m.resume_on[0].activity, "unhold");
  EXPECT_EQ(m.urgency, Urgency::normal);
}

TEST(MomentsMoment, ErrorsNameTheField) {
  const std::string head = R"({"name": "x", "trigger": "a", "fulfil": "b", )";
  EXPECT_EQ(field_of(head + R"("within": "4 hours"})"), "within");
  EXPECT_EQ(field_of(head + R"("within": "4d"})"), "within");
  EXPECT_EQ(field_of(head + R"("withn": "4h"})"), "withn");
  EXPECT_EQ(field_of(head + R"("within": "4h", "urgency": "urgent"})"), "urgency");
  EXPECT_EQ(field_of(head + R"("targets": {"by": "priority", "values": {"P0": "-1h"}}})"), "targets.values.P0");
  EXPECT_EQ(field_of(head + R"("targets": {"values": {"P0": "1h"}}})"), "targets.by");
  EXPECT_EQ(field_of(head + R"("repeat": "yes", "within": "1h"})"), "repeat");
  EXPECT_EQ(field_of(head + R"("pause_on": "hold", "within": "1h"})"), "resume_on");
  EXPECT_EQ(field_of(head + R"("within": "1h", "calendar": {"timezone": "Mars/Olympus", "week": [[],[],[],[],[],[],[["09:00","17:00"]]]}})"),
            "calendar.timezone");
  EXPECT_EQ(field_of(head + R"("within": "1h", "calendar": {"week": [[["09:00","25:00"]],[],[],[],[],[],[]]}})"),
            "calendar.week[0][0]");
  EXPECT_EQ(field_of(R"({"name": "x", "trigger": {"activity": ""}, "fulfil": "b", "within": "1h"})"), "trigger.activity");
  EXPECT_EQ(field_of(R"({"name": "x", "trigger": "a", "fulfil": "b"})"), "within");
  EXPECT_EQ(field_of(R"({"name": "", "trigger": "a", "fulfil": "b", "within": "1h"})"), "name");
  EXPECT_EQ(field_of(R"({"name": "x", "fulfil": "b", "within": "1h"})"), "trigger");
  EXPECT_EQ(field_of("{not json"), "");
  try {
    Moment::from_json_text(head + R"("within": "4 hours"})");
  } catch (const InputError& e) {
    EXPECT_EQ(e.location().source, "Moment 'x'");
    EXPECT_EQ(e.location().value, "4 hours");
  }
}

TEST(MomentsMoment, ValidateAgainstNamesWhatTheLogLacks) {
  EventLogBuilder b("log");
  const auto prio = b.add_attribute("priority", ColumnType::categorical);
  b.add_attribute("note", ColumnType::text);
  const auto sev = b.add_attribute("sev", ColumnType::numeric);
  b.add_event("acme", "ticket_opened", from_micros(0));
  b.set_category(prio, "P0");
  b.set_number(sev, 1);
  b.add_event("acme", "agent_replied", from_micros(1));
  const EventLog log = b.build();

  Moment m;
  m.name = "reply";
  m.trigger = {"ticket_opened", {{"priority", "P0"}}};
  m.fulfil = {"agent_replied", {}};
  m.within = 1h;
  EXPECT_NO_THROW(m.validate_against(log));

  const auto message = [&](const Moment& x) -> std::string {
    try {
      x.validate_against(log);
    } catch (const Error& e) {
      return e.what();
    }
    return "<no error>";
  };
  Moment bad = m;
  bad.fulfil.activity = "agent_answered";
  EXPECT_EQ(message(bad), "Moment 'reply': fulfil.activity 'agent_answered' is not an activity in the event log");
  bad = m;
  bad.cancel_on = {{"closed", {}}};
  EXPECT_NE(message(bad).find("cancel_on[0].activity 'closed'"), std::string::npos);
  bad = m;
  bad.key = "ticket";
  EXPECT_THROW(bad.validate_against(log), NotFoundError);
  bad.key = "note";
  EXPECT_THROW(bad.validate_against(log), TypeMismatchError);
  bad = m;
  bad.trigger.where = {{"tier", "gold"}};
  EXPECT_NE(message(bad).find("trigger.where 'tier'"), std::string::npos);
  bad = m;
  bad.trigger.where = {{"sev", "high"}};
  EXPECT_THROW(bad.validate_against(log), InputError);
  bad = m;
  bad.targets = TargetsBy{"tier", {{"gold", 1h}}};
  EXPECT_NE(message(bad).find("targets.by 'tier'"), std::string::npos);
}

TEST(MomentsMoment, TargetText) {
  EXPECT_EQ(parse_target("4h"), Duration{4h});
  EXPECT_EQ(parse_target("0.5m"), Duration{30s});
  EXPECT_EQ(parse_target("90s"), Duration{90s});
  EXPECT_FALSE(parse_target("h").has_value());
  EXPECT_FALSE(parse_target("-1h").has_value());
  EXPECT_FALSE(parse_target("1e3h").has_value());
  EXPECT_FALSE(parse_target("1.h").has_value());
  EXPECT_EQ(format_target(Duration{90min}), "90m");
  EXPECT_EQ(format_target(Duration{std::chrono::microseconds{1}}), "0.000001s");
  EXPECT_EQ(parse_target(format_target(Duration{std::chrono::microseconds{123456789}})),
            Duration{std::chrono::microseconds{123456789}});
}
