// The bad-input matrix (issue #9), C++ side: one test per (input kind, fault) with its
// defined outcome. docs/bad_input.md lists each test with what it proves; the Python side is
// tests/python/test_bad_input_matrix.py.
//
// Outcomes: a typed error whose location names source, line, column and value; skip-and-count
// (every skipped row recorded, kept + skipped == rows in the input); or acceptance with a
// stated meaning. Expected values are worked out by hand from the inputs.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "cxkit/churn/scorecard.hpp"
#include "cxkit/core/calendar.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/core/event_log_from_columns.hpp"
#include "cxkit/feedback/normalize.hpp"
#include "cxkit/io/csv.hpp"
#include "cxkit/io/xes.hpp"
#include "cxkit/journey/business_duration.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/playbook.hpp"
#include "cxkit/moments/milestones.hpp"
#include "cxkit/moments/moment.hpp"
#include "cxkit/moments/notification_policy.hpp"
#include "cxkit/moments/nps.hpp"

using namespace cxkit;
using cxkit::io::CsvOptions;
using cxkit::io::XesOptions;

namespace {

const std::string kFixtures = CXKIT_TEST_DATA_DIR;
constexpr std::int64_t kDay = 86'400'000'000LL;

CsvOptions csv_options(OnBadRow policy = OnBadRow::raise) {
  CsvOptions o;
  o.case_column = "case";
  o.activity_column = "activity";
  o.timestamp_column = "time";
  o.on_bad_row = policy;
  return o;
}

EventLog csv(std::string_view text, OnBadRow policy = OnBadRow::raise) {
  return io::read_csv_buffer(text, csv_options(policy), "t.csv");
}

/// The InputError `f` throws (fails the test when it throws nothing or something else).
template <class F>
InputError input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got: " << e.what();
    return InputError("wrong exception");
  }
  ADD_FAILURE() << "expected InputError, nothing thrown";
  return InputError("nothing thrown");
}

std::string activity_of(const EventLog& log, std::size_t event) {
  return std::string(log.activity_names().name(log.activity_ids()[event]));
}

// ---------------------------------------------------------------------------------------
// CSV event log
// ---------------------------------------------------------------------------------------

TEST(BadInputCsv, EmptyAndBlankInput) {
  for (const std::string text : {"", "\xEF\xBB\xBF", "\r\n\n \t\n"}) {
    const InputError e = input_error([&] { csv(text); });
    EXPECT_EQ(e.reason(), "empty file");
    EXPECT_EQ(e.location().source, "t.csv");
  }
}

TEST(BadInputCsv, HeaderOnlyIsAnEmptyLog) {
  const EventLog log = csv("case,activity,time\r\n");
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.n_cases(), 0u);
  EXPECT_TRUE(log.skipped_rows().empty());
}

TEST(BadInputCsv, MissingColumnIsNotFound) {
  try {
    csv("case,activity\nc1,a\n");
    FAIL() << "no error";
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("timestamp column 'time' not found in t.csv"), std::string::npos);
  }
}

TEST(BadInputCsv, WrongTypeInForcedNumericColumn) {
  CsvOptions o = csv_options();
  o.numeric_columns = {"seats"};
  const InputError e = input_error(
      [&] { io::read_csv_buffer("case,activity,time,seats\nc1,a,2024-01-01,3\nc1,b,2024-01-02,three\n", o, "t.csv"); });
  EXPECT_EQ(e.location().line, 3);
  EXPECT_EQ(e.location().column, "seats");
  EXPECT_EQ(e.location().value, "three");
  EXPECT_EQ(e.reason(), "not a finite number");
}

TEST(BadInputCsv, NanTextInNumericColumn) {
  CsvOptions o = csv_options();
  o.numeric_columns = {"v"};
  for (const char* nan : {"NaN", "nan", "inf", "-Infinity"}) {
    const std::string text = std::string("case,activity,time,v\nc1,a,2024-01-01,") + nan + "\n";
    const InputError e = input_error([&] { io::read_csv_buffer(text, o, "t.csv"); });
    EXPECT_EQ(e.location().value, nan);
  }
  // Inferred columns holding "NaN" turn categorical: the text is kept, nothing is lost.
  const EventLog log = csv("case,activity,time,v\nc1,a,2024-01-01,NaN\nc1,b,2024-01-02,2\n");
  ASSERT_NE(log.find_attribute("v"), nullptr);
  EXPECT_EQ(log.find_attribute("v")->type(), ColumnType::categorical);
}

TEST(BadInputCsv, UnparsableTimestampNamesLineColumnValue) {
  const InputError e = input_error([] { csv("case,activity,time\nc1,a,2024-01-01\nc1,b,2024-02-30\n"); });
  EXPECT_EQ(std::string(e.what()),
            "t.csv, line 3, column 'time', value '2024-02-30': unparsable timestamp (expected ISO 8601)");
}

TEST(BadInputCsv, TimestampsBefore1970AreNegative) {
  const EventLog log = csv("case,activity,time\nc1,a,1969-12-31T23:59:59.5Z\nc1,b,1900-01-01T00:00:00Z\n");
  ASSERT_EQ(log.size(), 2u);
  // 1900-01-01 is 25,567 days before the epoch (70 years, 17 of them leap).
  EXPECT_EQ(log.timestamps()[0], -25'567 * kDay);
  EXPECT_EQ(log.timestamps()[1], -500'000);
}

TEST(BadInputCsv, TimestampsAfter2262AreKept) {
  const EventLog log = csv("case,activity,time\nc1,a,2300-01-01T00:00:00Z\nc1,b,9999-12-31T23:59:59.999999Z\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.timestamps()[0], 120'530 * kDay);  // 330 years, 80 of them leap
  EXPECT_EQ(log.timestamps()[1], kMaxTimestampMicros);
  const InputError e = input_error([] { csv("case,activity,time\nc1,a,10000-01-01T00:00:00Z\n"); });
  EXPECT_EQ(e.location().value, "10000-01-01T00:00:00Z");
}

TEST(BadInputCsv, DuplicatesKeptUnsortedSortedStably) {
  const EventLog log = csv(
      "case,activity,time\n"
      "c2,z,2024-01-05\nc1,late,2024-01-03\nc1,dup,2024-01-01\nc1,dup,2024-01-01\nc1,tie,2024-01-03\n");
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log.case_names().name(0), "c2");  // first appearance order
  const std::vector<std::string> want = {"z", "dup", "dup", "late", "tie"};
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(activity_of(log, i), want[i]) << i;
}

TEST(BadInputCsv, InvalidUtf8RaiseAndSkip) {
  const std::string text = "case,activity,time\nc1,caf\xE9,2024-01-01\nc1,b,2024-01-02\n";
  const InputError e = input_error([&] { csv(text); });
  EXPECT_EQ(e.location().line, 2);
  EXPECT_EQ(e.location().column, "activity");
  EXPECT_EQ(e.location().value, "caf\\xE9");
  const EventLog log = csv(text, OnBadRow::skip);
  EXPECT_EQ(log.size(), 1u);
  ASSERT_EQ(log.skipped_rows().size(), 1u);
  EXPECT_EQ(log.skipped_rows()[0].line, 2);
}

TEST(BadInputCsv, MixedCrlfAndLf) {
  const EventLog log = csv("case,activity,time\r\nc1,a,2024-01-01\nc1,b,2024-01-02\r\n\r\nc1,c,2024-01-03");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(activity_of(log, 2), "c");
}

TEST(BadInputCsv, BareCrJoinsRecordsAndSaysSo) {
  const std::string text = "case,activity,time\nc1,a,2024-01-01\rc1,b,2024-01-02\nc1,c,2024-01-03\n";
  const InputError e = input_error([&] { csv(text); });
  EXPECT_EQ(e.location().line, 2);
  EXPECT_NE(e.reason().find("the row has 5 fields, the header has 3"), std::string::npos);
  EXPECT_NE(e.reason().find("CR without LF"), std::string::npos);
  // The CR is shown escaped, so a terminal does not hide the start of the message.
  EXPECT_EQ(e.location().value, "c1,a,2024-01-01\\rc1,b,2024-01-02");
  EXPECT_EQ(std::string(e.what()).find('\r'), std::string::npos);
}

TEST(BadInputCsv, TenMegabyteFieldIsLinear) {
  const std::string big(10u << 20, 'x');
  const auto t0 = std::chrono::steady_clock::now();
  CsvOptions o = csv_options();
  o.text_columns = {"note"};
  const EventLog log =
      io::read_csv_buffer("case,activity,time,note\nc1,a,2024-01-01,\"" + big + "\"\n", o, "t.csv");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(log.find_attribute("note")->text(0).size(), big.size());
  EXPECT_LT(seconds, 5.0);  // about 0.03 s measured
  // The same field where a timestamp belongs: the message quotes 80 bytes, not 10 MB.
  const InputError e = input_error([&] { csv("case,activity,time\nc1,a," + big + "\n"); });
  EXPECT_LT(std::string(e.what()).size(), 400u);
}

TEST(BadInputCsv, UnterminatedQuoteIsFatalUnderSkip) {
  const InputError e = input_error([] { csv("case,activity,time\nc1,\"a,2024-01-01\n", OnBadRow::skip); });
  EXPECT_EQ(e.location().line, 2);
  EXPECT_EQ(e.location().column, "activity");
}

TEST(BadInputCsv, FixtureSkipCountsAddUp) {
  // badinput-mixed.csv: CRLF with one LF line, 10 data rows (lines 2-11), 4 of them bad.
  const std::string path = kFixtures + "/badinput-mixed.csv";
  EXPECT_THROW(io::read_csv(path, csv_options()), InputError);
  const EventLog log = io::read_csv(path, csv_options(OnBadRow::skip));
  const auto& skipped = log.skipped_rows();
  EXPECT_EQ(log.size(), 6u);
  ASSERT_EQ(skipped.size(), 4u);
  EXPECT_EQ(log.size() + skipped.size(), 10u);
  const std::vector<std::int64_t> lines = {4, 6, 8, 9};
  const std::vector<std::string> reasons = {"invalid UTF-8", "unparsable timestamp", "empty case id",
                                            "the row has 5 fields"};
  for (std::size_t i = 0; i < skipped.size(); ++i) {
    EXPECT_EQ(skipped[i].line, lines[i]);
    EXPECT_NE(skipped[i].reason.find(reasons[i]), std::string::npos) << skipped[i].reason;
    EXPECT_NE(skipped[i].reason.find(path), std::string::npos);
  }
  // The duplicates on lines 10 and 11 are both kept; seats stayed numeric.
  EXPECT_EQ(log.case_end(2) - log.case_begin(2), 2u);
  EXPECT_EQ(log.find_attribute("seats")->type(), ColumnType::numeric);
}

// ---------------------------------------------------------------------------------------
// XES event log
// ---------------------------------------------------------------------------------------

TEST(BadInputXes, EmptyInput) {
  const InputError e = input_error([] { io::read_xes_buffer("", {}, "t.xes"); });
  EXPECT_EQ(e.location().source, "t.xes");
}

TEST(BadInputXes, FixtureSkipCountsAddUp) {
  const std::string path = kFixtures + "/badinput-mixed.xes";
  XesOptions raise;
  raise.threads = 1;
  const InputError e = input_error([&] { io::read_xes(path, raise); });
  EXPECT_EQ(e.location().line, 5);
  EXPECT_EQ(e.location().column, "time:timestamp");
  XesOptions skip = raise;
  skip.on_bad_row = OnBadRow::skip;
  const EventLog log = io::read_xes(path, skip);
  ASSERT_EQ(log.skipped_rows().size(), 2u);
  EXPECT_EQ(log.skipped_rows()[0].line, 5);
  EXPECT_EQ(log.skipped_rows()[1].line, 6);
  EXPECT_NE(log.skipped_rows()[1].reason.find("value '2024-13-01T09:00:00Z'"), std::string::npos);
  EXPECT_EQ(log.size() + log.skipped_rows().size(), 5u);  // 5 <event> elements
  // The duplicate 1900 events are both kept, before the epoch.
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.timestamps()[1], -25'567 * kDay);
  EXPECT_EQ(log.timestamps()[2], -25'567 * kDay);
}

TEST(BadInputXes, InvalidUtf8IsMalformedXml) {
  const std::string text =
      "<log>\n<trace><string key=\"concept:name\" value=\"c\xFF\"/></trace>\n</log>";
  XesOptions skip;
  skip.on_bad_row = OnBadRow::skip;
  const InputError e = input_error([&] { io::read_xes_buffer(text, skip, "t.xes"); });
  EXPECT_EQ(e.location().line, 2);
  EXPECT_NE(e.reason().find("malformed XML"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Columns (the DataFrame path)
// ---------------------------------------------------------------------------------------

EventColumns columns(const std::vector<std::int64_t>& cases, const std::vector<std::int64_t>& acts,
                     const std::vector<std::int64_t>& times) {
  EventColumns in;
  in.case_column = "case";
  in.activity_column = "activity";
  in.timestamp_column = "time";
  in.cases = {cases, {"a", "b"}};
  in.activities = {acts, {"x", "y"}};
  in.timestamps = times;
  return in;
}

TEST(BadInputColumns, MissingValuesNameTheRow) {
  const std::vector<std::int64_t> ok = {0, 1, 0}, missing = {0, -1, 0};
  const std::vector<std::int64_t> t = {0, 1, 2};
  const std::vector<std::int64_t> nat = {0, kMissingTime, 2};
  InputError e = input_error([&] { event_log_from_columns(columns(missing, ok, t)); });
  EXPECT_EQ(e.location().line, 1);
  EXPECT_EQ(e.location().column, "case");
  EXPECT_EQ(e.location().line_label, "row");
  e = input_error([&] { event_log_from_columns(columns(ok, ok, nat)); });
  EXPECT_EQ(std::string(e.what()), "DataFrame, row 1, column 'time': missing timestamp (NaT)");
}

TEST(BadInputColumns, TimestampRange) {
  const std::vector<std::int64_t> c = {0, 0};
  const std::vector<std::int64_t> ok = {kMinTimestampMicros, kMaxTimestampMicros};
  EXPECT_EQ(event_log_from_columns(columns(c, c, ok)).size(), 2u);
  const std::vector<std::int64_t> bad = {0, kMaxTimestampMicros + 1};
  const InputError e = input_error([&] { event_log_from_columns(columns(c, c, bad)); });
  EXPECT_EQ(e.location().line, 1);
  EXPECT_EQ(e.reason(), "timestamp outside the years 0001-9999");
}

// ---------------------------------------------------------------------------------------
// JSON definitions
// ---------------------------------------------------------------------------------------

TEST(BadInputDefinitions, InvalidUtf8IsAnInputError) {
  EXPECT_THROW(journey::Playbook::from_json_text("{\"tasks\": [{\"name\": \"caf\xE9\", \"duration\": \"1D\"}]}"),
               InputError);
  EXPECT_THROW(journey::JourneyDesign::from_json_text("{\"stages\": [{\"name\": \"\xFF\"}]}"), InputError);
  EXPECT_THROW(moments::Moment::from_json_text("{\"name\": \"\xC3\", \"trigger\": \"a\", \"fulfil\": \"b\"}"),
               InputError);
  EXPECT_THROW(moments::MilestoneRule::from_json_text("{\"name\": \"\xED\xA0\x80\", \"kind\": \"anniversary\"}"),
               InputError);
}

TEST(BadInputDefinitions, CyclicPlaybookNamesTheCycle) {
  const InputError e = input_error([] {
    journey::Playbook::from_json_text(
        R"({"tasks": [{"name": "a", "duration": "1D", "depends_on": ["c"]},
                      {"name": "b", "duration": "1D", "depends_on": ["a"]},
                      {"name": "c", "duration": "1D", "depends_on": ["b"]}]})");
  });
  EXPECT_EQ(e.location().column, "tasks");
  EXPECT_NE(e.reason().find("a -> b -> c -> a"), std::string::npos) << e.reason();
}

TEST(BadInputDefinitions, NegativeDurations) {
  using journey::BusinessDuration;
  for (const char* text : {"-1D", "-0.5h", "1e3D", " 1D", "1000001D", "NaND", "infh"})
    EXPECT_FALSE(BusinessDuration::parse(text).has_value()) << text;
  EXPECT_TRUE(BusinessDuration::parse("0h").has_value());
  for (const char* text : {"-4h", "-1s", "4 h"}) EXPECT_FALSE(moments::parse_target(text).has_value()) << text;
}

/// 100,000 nested arrays as the value of `field`: the json library parses it, but copying,
/// dumping or comparing it recurses once per level.
std::string deeply_nested(const std::string& field) {
  constexpr std::size_t kLevels = 100'000;
  return "{\"" + field + "\": " + std::string(kLevels, '[') + std::string(kLevels, ']') + "}";
}

void expect_too_deep(const std::function<void()>& read, const std::string& source) {
  const InputError e = input_error(read);
  EXPECT_EQ(e.location().source, source);
  EXPECT_NE(e.reason().find("nested deeper than 256 levels"), std::string::npos) << e.what();
}

TEST(BadInputDefinitions, DeepNestingIsAnInputErrorNotAStackOverflow) {
  expect_too_deep([] { journey::Playbook::from_json_text(deeply_nested("tasks")); }, "Playbook");
  expect_too_deep([] { journey::JourneyDesign::from_json_text(deeply_nested("stages")); }, "JourneyDesign");
  expect_too_deep([] { moments::Moment::from_json_text(deeply_nested("trigger")); }, "Moment");
  expect_too_deep([] { moments::NotificationPolicy::from_json_text(deeply_nested("routes")); },
                  "NotificationPolicy");
  // MilestoneRule's errors name no source; its message starts with "MilestoneRule".
  const InputError e = input_error([] { moments::MilestoneRule::from_json_text(deeply_nested("event")); });
  EXPECT_NE(std::string(e.what()).find("nested deeper than 256 levels"), std::string::npos) << e.what();
  // Brackets inside strings do not count, and ordinary nesting is untouched.
  EXPECT_NO_THROW(journey::Playbook::from_json_text(
      R"({"tasks": [{"name": ")" + std::string(1000, '[') + R"(", "duration": "1D"}]})"));
  EXPECT_NO_THROW(journey::Playbook::from_json_text(
      R"({"tasks": [{"name": "a\"\\)" + std::string(1000, '{') + R"(", "duration": "1D"}]})"));
}

TEST(BadInputDefinitions, DeepNestingScorecard) {
  expect_too_deep([] { churn::Scorecard::from_json_text(deeply_nested("measures")); }, "Scorecard");
}

// ---------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------

TEST(BadInputScores, OutsideTheirScales) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> nps_bad = {-1, 11, 7.5, nan}, csat_bad = {0, 6, 4.5, nan}, ces_bad = {0, 8, nan};
  for (double v : nps_bad) {
    const std::vector<double> s = {10, v};
    const InputError e = input_error([&] { moments::nps(s); });
    EXPECT_EQ(e.location().line, 1) << v;
  }
  for (double v : csat_bad) {
    const std::vector<double> s = {5, v};
    EXPECT_EQ(input_error([&] { moments::csat(s); }).location().line, 1) << v;
  }
  for (double v : ces_bad) {
    const std::vector<double> s = {1, v};
    EXPECT_EQ(input_error([&] { moments::ces(s); }).location().line, 1) << v;
  }
  // The scale ends themselves are fine: 0 and 10 give 50% promoters and 50% detractors.
  const std::vector<double> ends = {0, 10};
  EXPECT_DOUBLE_EQ(moments::nps(ends).nps, 0.0);
}

// ---------------------------------------------------------------------------------------
// Calendars
// ---------------------------------------------------------------------------------------

TEST(BadInputCalendar, NoWorkingTimeIsRefused) {
  const InputError e = input_error([] { Calendar("UTC", Calendar::Week{}); });
  EXPECT_NE(e.reason().find("no working time"), std::string::npos);
}

TEST(BadInputCalendar, YearsOfHolidaysTerminate) {
  // Monday 09:00-17:00 only; 520 Mondays from 2024-01-01 are holidays. One business hour
  // from 2024-01-01 ends on the next Monday, 2033-12-19, at 10:00. Run with a deadline so a
  // loop that never ends fails instead of hanging the suite.
  Calendar::Week week;
  week[0] = {WorkingInterval{std::chrono::hours(9), std::chrono::hours(17)}};
  std::vector<boost::gregorian::date> holidays;
  for (int i = 0; i < 520; ++i)
    holidays.push_back(boost::gregorian::date(2024, 1, 1) + boost::gregorian::days(7 * i));
  auto done = std::async(std::launch::async, [&] {
    const Calendar cal("UTC", week, holidays);
    Timestamp start{};
    EXPECT_TRUE(parse_iso8601("2024-01-01T00:00:00Z", start));
    return to_micros(cal.add_business_time(start, std::chrono::hours(1)));
  });
  ASSERT_EQ(done.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  Timestamp want{};
  ASSERT_TRUE(parse_iso8601("2033-12-19T10:00:00Z", want));
  EXPECT_EQ(done.get(), to_micros(want));
}

// ---------------------------------------------------------------------------------------
// Feedback text
// ---------------------------------------------------------------------------------------

TEST(BadInputFeedback, InvalidUtf8IsRepairedAndCounted) {
  const feedback::NormalizedText out = feedback::normalize_text("caf\xE9 ok \xFF\xFE");
  EXPECT_GE(out.invalid_utf8, 2u);
  EXPECT_NE(out.text.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

}  // namespace
