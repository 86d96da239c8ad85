#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "cxkit/io/xes.hpp"

using namespace cxkit;
using cxkit::io::read_xes;
using cxkit::io::read_xes_buffer;
using cxkit::io::XesOptions;

namespace {

constexpr std::int64_t kSecond = 1000000;

// A whole document around `body`; the header is 2 lines, so body line k is file line k + 2.
std::string xes(const std::string& body, bool with_namespace = true) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\"") +
         (with_namespace ? " xmlns=\"http://www.xes-standard.org/\"" : "") + ">\n" + body + "</log>\n";
}

std::string event(const std::string& activity, const std::string& time, const std::string& extra = "") {
  return "<event><string key=\"concept:name\" value=\"" + activity + "\"/><date key=\"time:timestamp\" value=\"" +
         time + "\"/>" + extra + "</event>\n";
}

std::string trace(const std::string& name, const std::string& events, const std::string& extra = "") {
  return "<trace><string key=\"concept:name\" value=\"" + name + "\"/>" + extra + "\n" + events + "</trace>\n";
}

std::string gzip(const std::string& text, int level = 6) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string gunzip_file(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  return out;
}

std::string activity(const EventLog& log, std::size_t e) { return std::string(log.activity_names().name(log.activity_ids()[e])); }
std::string case_of(const EventLog& log, std::size_t e) { return std::string(log.case_names().name(log.case_ids()[e])); }

XesOptions skipping() {
  XesOptions o;
  o.on_bad_row = OnBadRow::skip;
  return o;
}

// The InputError read_xes_buffer throws (fails the test when nothing is thrown).
InputError error_of(const std::string& text, const XesOptions& options = {}) {
  try {
    read_xes_buffer(text, options, "t.xes");
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError";
  return InputError("none");
}

}  // namespace

TEST(Xes, ReadsCasesActivitiesAndTimes) {
  const auto log = read_xes_buffer(xes(trace("c1", event("a", "1970-01-01T00:00:10Z") + event("b", "1970-01-01T00:00:20Z")) +
                                       trace("c2", event("a", "1970-01-02T00:00:00+01:00"))));
  ASSERT_EQ(log.size(), 3u);
  ASSERT_EQ(log.n_cases(), 2u);
  EXPECT_EQ(log.case_names().name(0), "c1");
  EXPECT_EQ(log.case_names().name(1), "c2");
  EXPECT_EQ(activity(log, 0), "a");
  EXPECT_EQ(activity(log, 1), "b");
  EXPECT_EQ(activity(log, 2), "a");
  EXPECT_EQ(log.activity_names().size(), 2u);
  EXPECT_EQ(log.timestamps()[0], 10 * kSecond);
  EXPECT_EQ(log.timestamps()[1], 20 * kSecond);
  EXPECT_EQ(log.timestamps()[2], 23LL * 3600 * kSecond);  // midnight at +01:00 is 23:00 UTC the day before
  EXPECT_TRUE(log.attributes().empty());
  EXPECT_TRUE(log.skipped_rows().empty());
  EXPECT_EQ(log.source(), "<string>");
}

TEST(Xes, SortsEventsByTimeWithinACaseAndMergesTracesOfTheSameName) {
  const auto log = read_xes_buffer(xes(trace("c1", event("late", "1970-01-01T00:00:30Z") + event("early", "1970-01-01T00:00:10Z")) +
                                       trace("c2", event("x", "1970-01-01T00:00:05Z")) +
                                       trace("c1", event("middle", "1970-01-01T00:00:20Z"))));
  ASSERT_EQ(log.n_cases(), 2u);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(activity(log, 0), "early");
  EXPECT_EQ(activity(log, 1), "middle");
  EXPECT_EQ(activity(log, 2), "late");
  EXPECT_EQ(case_of(log, 3), "c2");
}

TEST(Xes, KeepsTypedEventAttributes) {
  const std::string e1 = event("a", "1970-01-01T00:00:01Z",
                               "<string key=\"lifecycle:transition\" value=\"start\"/>"
                               "<id key=\"ref\" value=\"id-1\"/>"
                               "<int key=\"n\" value=\"-42\"/>"
                               "<float key=\"cost\" value=\"2.5\"/>"
                               "<boolean key=\"ok\" value=\"true\"/>"
                               "<date key=\"due\" value=\"1970-01-01T00:01:00Z\"/>");
  const std::string e2 = event("b", "1970-01-01T00:00:02Z",
                               "<string key=\"lifecycle:transition\" value=\"complete\"/>"
                               "<int key=\"n\" value=\"+7\"/>"
                               "<float key=\"cost\" value=\"1e3\"/>"
                               "<boolean key=\"ok\" value=\"false\"/>");
  const auto log = read_xes_buffer(xes(trace("c", e1 + e2)));
  ASSERT_EQ(log.size(), 2u);

  const Column& life = log.attribute("lifecycle:transition");
  ASSERT_EQ(life.type(), ColumnType::categorical);
  EXPECT_EQ(life.value_string(0), "start");
  EXPECT_EQ(life.value_string(1), "complete");

  const Column& ref = log.attribute("ref");
  ASSERT_EQ(ref.type(), ColumnType::categorical);
  EXPECT_EQ(ref.value_string(0), "id-1");
  EXPECT_TRUE(ref.is_missing(1));

  const Column& n = log.attribute("n");
  ASSERT_EQ(n.type(), ColumnType::numeric);
  EXPECT_EQ(n.numbers()[0], -42.0);
  EXPECT_EQ(n.numbers()[1], 7.0);

  const Column& cost = log.attribute("cost");
  ASSERT_EQ(cost.type(), ColumnType::numeric);
  EXPECT_EQ(cost.numbers()[0], 2.5);
  EXPECT_EQ(cost.numbers()[1], 1000.0);

  const Column& ok = log.attribute("ok");
  ASSERT_EQ(ok.type(), ColumnType::numeric);
  EXPECT_EQ(ok.numbers()[0], 1.0);
  EXPECT_EQ(ok.numbers()[1], 0.0);

  const Column& due = log.attribute("due");
  ASSERT_EQ(due.type(), ColumnType::timestamp);
  EXPECT_EQ(due.times()[0], 60 * kSecond);
  EXPECT_TRUE(due.is_missing(1));

  // The activity and timestamp are not repeated as attribute columns.
  EXPECT_EQ(log.find_attribute("concept:name"), nullptr);
  EXPECT_EQ(log.find_attribute("time:timestamp"), nullptr);
  EXPECT_EQ(log.attributes().size(), 6u);
}

TEST(Xes, KeysInAnyOrderLandInTheirOwnColumns) {
  // The reader remembers each event's key order; a different order must not mix columns up.
  const auto log = read_xes_buffer(xes(trace(
      "c", event("a", "1970-01-01T00:00:01Z", "<int key=\"p\" value=\"1\"/><int key=\"q\" value=\"2\"/>") +
               event("a", "1970-01-01T00:00:02Z", "<int key=\"q\" value=\"3\"/><int key=\"p\" value=\"4\"/>") +
               event("a", "1970-01-01T00:00:03Z", "<int key=\"pq\" value=\"5\"/><int key=\"p\" value=\"6\"/>"))));
  const auto p = log.attribute("p").numbers(), q = log.attribute("q").numbers(), pq = log.attribute("pq").numbers();
  EXPECT_EQ(p[0], 1.0);
  EXPECT_EQ(q[0], 2.0);
  EXPECT_EQ(q[1], 3.0);
  EXPECT_EQ(p[1], 4.0);
  EXPECT_EQ(pq[2], 5.0);
  EXPECT_EQ(p[2], 6.0);
  EXPECT_TRUE(std::isnan(q[2]));
}

TEST(Xes, TraceAttributesBecomeEventAttributesWithThePrefix) {
  const std::string text = xes(trace("c1", event("a", "1970-01-01T00:00:01Z") + event("b", "1970-01-01T00:00:02Z"),
                                     "<string key=\"tier\" value=\"gold\"/><float key=\"arr\" value=\"410.5\"/>"
                                     "<date key=\"signup\" value=\"1970-01-01T00:00:00Z\"/>") +
                               trace("c2", event("a", "1970-01-01T00:00:03Z"), "<string key=\"tier\" value=\"basic\"/>"));
  const auto log = read_xes_buffer(text);
  ASSERT_EQ(log.size(), 3u);
  const Column& tier = log.attribute("case:tier");
  EXPECT_EQ(tier.value_string(0), "gold");
  EXPECT_EQ(tier.value_string(1), "gold");
  EXPECT_EQ(tier.value_string(2), "basic");
  const Column& arr = log.attribute("case:arr");
  EXPECT_EQ(arr.numbers()[0], 410.5);
  EXPECT_EQ(arr.numbers()[1], 410.5);
  EXPECT_TRUE(arr.is_missing(2));
  EXPECT_EQ(log.attribute("case:signup").type(), ColumnType::timestamp);
  EXPECT_EQ(log.find_attribute("tier"), nullptr);
  EXPECT_EQ(log.find_attribute("case:concept:name"), nullptr);  // the trace name is the case

  XesOptions o;
  o.trace_attribute_prefix = "account.";
  const auto renamed = read_xes_buffer(text, o);
  EXPECT_EQ(renamed.attribute("account.tier").value_string(2), "basic");
  EXPECT_EQ(renamed.find_attribute("case:tier"), nullptr);
}

TEST(Xes, TraceAttributesAfterTheEventsStillApply) {
  const auto log = read_xes_buffer(xes("<trace>\n" + event("a", "1970-01-01T00:00:01Z") +
                                       "<string key=\"tier\" value=\"gold\"/><string key=\"concept:name\" value=\"late-name\"/></trace>\n"));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.case_names().name(0), "late-name");
  EXPECT_EQ(log.attribute("case:tier").value_string(0), "gold");
}

TEST(Xes, IgnoresNestedAttributesGlobalsClassifiersAndLogAttributes) {
  const std::string head =
      "<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
      "<global scope=\"event\"><string key=\"concept:name\" value=\"UNKNOWN\"/><string key=\"g\" value=\"x\"/></global>\n"
      "<classifier name=\"Activity\" keys=\"concept:name\"/>\n"
      "<string key=\"origin\" value=\"csv\"><string key=\"nested-log\" value=\"1\"/></string>\n";
  const std::string nested =
      "<string key=\"outer\" value=\"kept\"><string key=\"concept:name\" value=\"WRONG\"/><int key=\"inner\" value=\"1\"/></string>"
      "<list key=\"items\"><values><string key=\"concept:name\" value=\"WRONG\"/><int key=\"item\" value=\"2\"/></values></list>"
      "<container key=\"box\"><date key=\"time:timestamp\" value=\"2000-01-01T00:00:00Z\"/></container>";
  const auto log = read_xes_buffer(xes(head + trace("c", event("right", "1970-01-01T00:00:01Z", nested),
                                                    "<list key=\"tl\"><values><string key=\"concept:name\" value=\"WRONG\"/></values></list>")));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.case_names().name(0), "c");
  EXPECT_EQ(activity(log, 0), "right");
  EXPECT_EQ(log.timestamps()[0], 1 * kSecond);
  ASSERT_EQ(log.attributes().size(), 1u);
  EXPECT_EQ(log.attribute("outer").value_string(0), "kept");
}

TEST(Xes, PromotesAKeyWithSeveralTypesToCategoricalText) {
  const auto log = read_xes_buffer(xes(trace(
      "c", event("a", "1970-01-01T00:00:01Z", "<int key=\"x\" value=\"5\"/><int key=\"m\" value=\"1\"/>") +
               event("a", "1970-01-01T00:00:02Z", "<string key=\"x\" value=\"abc\"/><float key=\"m\" value=\"0.25\"/>") +
               event("a", "1970-01-01T00:00:03Z", "<float key=\"x\" value=\"2.50\"/>") +
               event("a", "1970-01-01T00:00:04Z", "<boolean key=\"x\" value=\"TRUE\"/>") +
               event("a", "1970-01-01T00:00:05Z", "<date key=\"x\" value=\"1970-01-01T01:00:00+01:00\"/>") +
               event("a", "1970-01-01T00:00:06Z"))));
  const Column& x = log.attribute("x");
  ASSERT_EQ(x.type(), ColumnType::categorical);
  EXPECT_EQ(x.value_string(0), "5");
  EXPECT_EQ(x.value_string(1), "abc");
  EXPECT_EQ(x.value_string(2), "2.5");
  EXPECT_EQ(x.value_string(3), "true");
  EXPECT_EQ(x.value_string(4), "1970-01-01T00:00:00Z");
  EXPECT_TRUE(x.is_missing(5));
  // int and float are both numbers: no promotion.
  const Column& m = log.attribute("m");
  ASSERT_EQ(m.type(), ColumnType::numeric);
  EXPECT_EQ(m.numbers()[0], 1.0);
  EXPECT_EQ(m.numbers()[1], 0.25);
}

TEST(Xes, MatchesLocalNamesWithOrWithoutNamespace) {
  const std::string body = trace("c", event("a", "1970-01-01T00:00:01Z", "<int key=\"n\" value=\"3\"/>"));
  const auto with = read_xes_buffer(xes(body, true));
  const auto without = read_xes_buffer(xes(body, false));
  const auto prefixed = read_xes_buffer(
      "<x:log xmlns:x=\"http://www.xes-standard.org/\"><x:trace><x:string key=\"concept:name\" value=\"c\"/>"
      "<x:event><x:string key=\"concept:name\" value=\"a\"/><x:date key=\"time:timestamp\" value=\"1970-01-01T00:00:01Z\"/>"
      "<x:int key=\"n\" value=\"3\"/></x:event></x:trace></x:log>");
  for (const EventLog* log : {&with, &without, &prefixed}) {
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ(activity(*log, 0), "a");
    EXPECT_EQ(log->timestamps()[0], kSecond);
    EXPECT_EQ(log->attribute("n").numbers()[0], 3.0);
  }
}

TEST(Xes, UnescapesEntitiesAndReadsUtf8) {
  const auto log = read_xes_buffer(xes(trace("caf\xC3\xA9 &amp; co", event("R&amp;D &lt;review&gt;", "1970-01-01T00:00:01Z"))));
  EXPECT_EQ(log.case_names().name(0), "caf\xC3\xA9 & co");
  EXPECT_EQ(activity(log, 0), "R&D <review>");
}

TEST(Xes, ALogWithoutTracesIsEmpty) {
  const auto log = read_xes_buffer(xes("<string key=\"origin\" value=\"csv\"/>\n"));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(log.n_cases(), 0u);
  EXPECT_TRUE(read_xes_buffer("<log/>").empty());
}

TEST(Xes, MalformedXmlNamesTheLine) {
  // Lines 3-5: <trace>, <event>, then the mismatched </trace>.
  const auto e = error_of(xes("<trace>\n<event>\n</trace>\n"));
  EXPECT_EQ(e.location().source, "t.xes");
  EXPECT_EQ(e.location().line, 5);
  EXPECT_NE(e.reason().find("malformed XML"), std::string::npos) << e.what();
  EXPECT_NE(e.reason().find("mismatched tag"), std::string::npos) << e.what();

  const auto unclosed = error_of("<log>\n<trace>\n");
  EXPECT_NE(unclosed.reason().find("no element found"), std::string::npos) << unclosed.what();

  const auto bad_utf8 = error_of(xes(trace("\xFF", event("a", "1970-01-01T00:00:01Z"))));
  EXPECT_EQ(bad_utf8.location().line, 3);
  EXPECT_NE(bad_utf8.reason().find("malformed XML"), std::string::npos);
}

TEST(Xes, RejectsEmptyInputAndOtherDocuments) {
  EXPECT_NE(error_of("").reason().find("empty"), std::string::npos);
  EXPECT_NE(error_of("<html><body/></html>").reason().find("not an XES log"), std::string::npos);
  EXPECT_THROW(read_xes_buffer("   \n"), InputError);
  EXPECT_THROW(read_xes_buffer(xes("") + "<log/>"), InputError);  // two root elements
}

TEST(Xes, BadRowsRaiseWithSourceLineKeyAndValue) {
  // Lines: 1 xml declaration, 2 <log>, 3 <trace> + name, 4 first event, 5 second event.
  const auto no_activity = error_of(xes(
      trace("c", event("a", "1970-01-01T00:00:01Z") + "<event><date key=\"time:timestamp\" value=\"1970-01-01T00:00:02Z\"/></event>\n")));
  EXPECT_EQ(no_activity.location().line, 5);
  EXPECT_EQ(no_activity.location().column, "concept:name");
  EXPECT_NE(no_activity.reason().find("without concept:name"), std::string::npos);

  const auto no_time = error_of(xes(trace("c", "<event><string key=\"concept:name\" value=\"a\"/></event>\n")));
  EXPECT_EQ(no_time.location().line, 4);
  EXPECT_EQ(no_time.location().column, "time:timestamp");

  const auto bad_time = error_of(xes(trace("c", event("a", "1970-01-01T00:00:01Z") + event("a", "yesterday"))));
  EXPECT_EQ(bad_time.location().line, 5);
  EXPECT_EQ(bad_time.location().column, "time:timestamp");
  EXPECT_EQ(bad_time.location().value, "yesterday");
  EXPECT_NE(std::string(bad_time.what()).find("t.xes, line 5"), std::string::npos) << bad_time.what();

  const auto nameless = error_of(xes("<string key=\"origin\" value=\"x\"/>\n<trace>\n" + event("a", "1970-01-01T00:00:01Z") + "</trace>\n"));
  EXPECT_EQ(nameless.location().line, 4);
  EXPECT_NE(nameless.reason().find("trace without concept:name"), std::string::npos);

  const auto bad_int = error_of(xes(trace("c", event("a", "1970-01-01T00:00:01Z", "<int key=\"n\" value=\"4.5\"/>"))));
  EXPECT_EQ(bad_int.location().column, "n");
  EXPECT_EQ(bad_int.location().value, "4.5");
  EXPECT_EQ(bad_int.reason(), "unparsable int");

  const auto bad_trace_value = error_of(xes(trace("c", event("a", "1970-01-01T00:00:01Z"), "<boolean key=\"vip\" value=\"maybe\"/>")));
  EXPECT_EQ(bad_trace_value.location().column, "case:vip");
  EXPECT_EQ(bad_trace_value.location().line, 3);
}

TEST(Xes, SkipModeLeavesBadEventsOutAndRecordsEachOne) {
  const std::string text = xes(
      trace("c1", event("a", "1970-01-01T00:00:01Z", "<string key=\"r\" value=\"kept\"/>") +                       // line 4
                      event("b", "not a time", "<string key=\"r\" value=\"from-bad-event\"/><int key=\"only_bad\" value=\"1\"/>") +  // 5
                      "<event><date key=\"time:timestamp\" value=\"1970-01-01T00:00:03Z\"/></event>\n" +      // 6
                      event("d", "1970-01-01T00:00:04Z")) +                                                   // 7
      "<trace>\n" +                                                                                           // 9
      event("e", "1970-01-01T00:00:05Z", "<string key=\"r\" value=\"from-nameless\"/>") +                   // 10
      event("f", "1970-01-01T00:00:06Z") +                                                                    // 11
      "</trace>\n" +
      trace("c3", event("g", "1970-01-01T00:00:07Z")));
  EXPECT_THROW(read_xes_buffer(text), InputError);

  const auto log = read_xes_buffer(text, skipping(), "s.xes");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(activity(log, 0), "a");
  EXPECT_EQ(activity(log, 1), "d");
  EXPECT_EQ(activity(log, 2), "g");
  ASSERT_EQ(log.n_cases(), 2u);
  EXPECT_EQ(log.case_names().name(1), "c3");
  // Only the activities of kept events are in the dictionary.
  EXPECT_EQ(log.activity_names().size(), 3u);

  const auto& skipped = log.skipped_rows();
  ASSERT_EQ(skipped.size(), 4u);
  EXPECT_EQ(skipped[0].line, 5);
  EXPECT_NE(skipped[0].reason.find("unparsable timestamp"), std::string::npos);
  EXPECT_NE(skipped[0].reason.find("not a time"), std::string::npos);
  EXPECT_EQ(skipped[1].line, 6);
  EXPECT_NE(skipped[1].reason.find("without concept:name"), std::string::npos);
  EXPECT_EQ(skipped[2].line, 10);  // both events of the nameless trace
  EXPECT_EQ(skipped[3].line, 11);
  EXPECT_NE(skipped[2].reason.find("s.xes, line 9"), std::string::npos) << skipped[2].reason;
  EXPECT_NE(skipped[3].reason.find("trace without concept:name"), std::string::npos);

  // Values of skipped events leave nothing behind: no column, no category.
  EXPECT_EQ(log.find_attribute("only_bad"), nullptr);
  const Column& r = log.attribute("r");
  EXPECT_EQ(r.value_string(0), "kept");
  EXPECT_TRUE(r.is_missing(1));
  EXPECT_EQ(r.categories().size(), 1u);
}

TEST(Xes, SkipModeDropsAWholeTraceWithABadTraceAttribute) {
  const auto log = read_xes_buffer(xes(trace("c1", event("a", "1970-01-01T00:00:01Z") + event("b", "1970-01-01T00:00:02Z"),
                                             "<int key=\"n\" value=\"many\"/>") +
                                       trace("c2", event("a", "1970-01-01T00:00:03Z"))),
                                   skipping());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.case_names().name(0), "c2");
  ASSERT_EQ(log.skipped_rows().size(), 2u);
  EXPECT_NE(log.skipped_rows()[0].reason.find("case:n"), std::string::npos);
  EXPECT_EQ(log.find_attribute("case:n"), nullptr);
}

TEST(Xes, GzipRoundTripEqualsPlain) {
  // Enough traces that the text spans several of the reader's 256 KiB chunks.
  std::string body;
  for (int c = 0; c < 4000; ++c) {
    std::string events;
    for (int k = 0; k < 5; ++k)
      events += event("step " + std::to_string((c + k) % 7), "1970-01-0" + std::to_string(1 + k) + "T00:00:" +
                      (c % 60 < 10 ? "0" : "") + std::to_string(c % 60) + "Z",
                      "<int key=\"i\" value=\"" + std::to_string(c * 5 + k) + "\"/>");
    body += trace("case " + std::to_string(c), events);
  }
  const std::string text = xes(body);
  ASSERT_GT(text.size(), 2u * 256 * 1024);
  const auto plain = read_xes_buffer(text);
  const auto zipped = read_xes_buffer(gzip(text, 1));
  ASSERT_EQ(plain.size(), 20000u);
  ASSERT_EQ(zipped.size(), plain.size());
  EXPECT_EQ(zipped.n_cases(), 4000u);
  for (std::size_t e = 0; e < plain.size(); ++e) {
    ASSERT_EQ(zipped.timestamps()[e], plain.timestamps()[e]);
    ASSERT_EQ(activity(zipped, e), activity(plain, e));
    ASSERT_EQ(case_of(zipped, e), case_of(plain, e));
    ASSERT_EQ(zipped.attribute("i").numbers()[e], plain.attribute("i").numbers()[e]);
  }
  // Every event's int is distinct (c*5+k): the sum is that of 0..19999.
  double sum = 0;
  for (double v : plain.attribute("i").numbers()) sum += v;
  EXPECT_EQ(sum, 19999.0 * 20000 / 2);

  // Concatenated gzip members read as one stream, split anywhere.
  const std::size_t cut = text.size() / 3;
  const auto members = read_xes_buffer(gzip(text.substr(0, cut)) + gzip(text.substr(cut)));
  EXPECT_EQ(members.size(), plain.size());
}

TEST(Xes, LargeGzipReadAheadMatchesPlainAndReportsErrors) {
  // Compressed input beyond one 256 KiB chunk is decompressed on a second thread: random
  // 16-hex-digit ids keep 60,000 events from compressing below that.
  std::uint64_t state = 12345;
  std::string body;
  for (int c = 0; c < 6000; ++c) {
    std::string events;
    for (int k = 0; k < 10; ++k) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      char id[17];
      std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(state));
      events += event("act " + std::to_string(k), "1970-01-02T00:00:0" + std::to_string(k) + "Z",
                      std::string("<id key=\"ref\" value=\"") + id + "\"/>");
    }
    body += trace("case " + std::to_string(c), events);
  }
  const std::string text = xes(body);
  const std::string zipped = gzip(text);
  ASSERT_GT(zipped.size(), 2u * 256 * 1024);
  const auto plain = read_xes_buffer(text);
  const auto unzipped = read_xes_buffer(zipped);
  ASSERT_EQ(plain.size(), 60000u);
  ASSERT_EQ(unzipped.size(), plain.size());
  EXPECT_EQ(unzipped.attribute("ref").categories().size(), 60000u);
  for (std::size_t e = 0; e < plain.size(); e += 997) {
    EXPECT_EQ(unzipped.attribute("ref").value_string(e), plain.attribute("ref").value_string(e));
    EXPECT_EQ(case_of(unzipped, e), case_of(plain, e));
  }

  EXPECT_THROW(read_xes_buffer(zipped.substr(0, zipped.size() - 100000)), InputError);  // truncated
  std::string corrupt = zipped;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0xff);
  EXPECT_THROW(read_xes_buffer(corrupt), InputError);
  // Malformed XML far into the stream: the parser stops early, the reader thread with it.
  std::string broken = text;
  const std::size_t at = broken.find("<event>", broken.size() / 3);
  broken.replace(at, 7, "<event<");
  const std::int64_t line = 1 + std::count(broken.begin(), broken.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  const auto e = error_of(gzip(broken));
  EXPECT_EQ(e.location().line, line);
  EXPECT_NE(e.reason().find("malformed XML"), std::string::npos);
}

TEST(Xes, BrokenGzipIsAnInputError) {
  const std::string zipped = gzip(xes(trace("c", event("a", "1970-01-01T00:00:01Z"))));
  EXPECT_THROW(read_xes_buffer(zipped.substr(0, zipped.size() / 2)), InputError);  // truncated
  std::string corrupt = zipped;
  for (std::size_t i = 12; i < corrupt.size() - 8; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  EXPECT_THROW(read_xes_buffer(corrupt), InputError);
  EXPECT_THROW(read_xes_buffer(std::string("\x1f\x8b", 2)), InputError);
  EXPECT_THROW(read_xes_buffer(zipped + "trailing junk"), InputError);
  EXPECT_THROW(read_xes_buffer(gzip("")), InputError);  // empty once decompressed
}

TEST(Xes, ReadsFilesAndReportsMissingOnes) {
  const auto dir = std::filesystem::temp_directory_path() / ("cxkit_test_xes_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string text = xes(trace("c", event("a", "1970-01-01T00:00:01Z") + event("b", "1970-01-01T00:00:02Z")));
  const auto plain_path = (dir / "log.xes").string(), gz_path = (dir / "log.xes.gz").string();
  std::ofstream(plain_path, std::ios::binary) << text;
  std::ofstream(gz_path, std::ios::binary) << gzip(text);
  const auto plain = read_xes(plain_path);
  const auto zipped = read_xes(gz_path);
  EXPECT_EQ(plain.size(), 2u);
  EXPECT_EQ(zipped.size(), 2u);
  EXPECT_EQ(plain.source(), plain_path);
  EXPECT_THROW(read_xes((dir / "absent.xes").string()), NotFoundError);
  const auto empty_path = (dir / "empty.xes").string();
  std::ofstream(empty_path, std::ios::binary).flush();
  EXPECT_THROW(read_xes(empty_path), InputError);
  std::filesystem::remove_all(dir);
}

// ---- the real logs (data README counts are the independent reference) ----

namespace {
std::string journey_file(const char* name) { return std::string(CXKIT_SHARED_DATA_DIR) + "/journeys/" + name; }
}  // namespace

TEST(XesRealLogs, Helpdesk) {
  const std::string path = journey_file("helpdesk.xes.gz");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const auto log = read_xes(path);
  EXPECT_EQ(log.n_cases(), 4580u);
  EXPECT_EQ(log.size(), 21348u);
  EXPECT_TRUE(log.skipped_rows().empty());

  // Independent reference: scan the decompressed text for the concept:name inside each
  // <event>...</event> and for each trace's event count.
  const std::string text = gunzip_file(path);
  std::set<std::string> names;
  std::vector<std::size_t> events_per_trace;
  const std::string key = "key=\"concept:name\" value=\"";
  for (std::size_t pos = text.find("<trace>"); pos != std::string::npos; pos = text.find("<trace>", pos + 1)) {
    const std::size_t end = text.find("</trace>", pos);
    std::size_t n = 0;
    for (std::size_t e = text.find("<event>", pos); e < end; e = text.find("<event>", e + 1)) {
      ++n;
      const std::size_t k = text.find(key, e) + key.size();
      names.insert(text.substr(k, text.find('"', k) - k));
    }
    events_per_trace.push_back(n);
  }
  EXPECT_GT(names.size(), 5u);
  EXPECT_EQ(log.activity_names().size(), names.size());
  for (const auto& n : names) EXPECT_TRUE(log.activity_names().find(n).has_value()) << n;
  // Case names are unique in this log, so case c is the c-th trace.
  ASSERT_EQ(events_per_trace.size(), log.n_cases());
  for (std::size_t c = 0; c < log.n_cases(); ++c)
    ASSERT_EQ(log.case_end(c) - log.case_begin(c), events_per_trace[c]) << "case " << c;

  // First event of "Case 1": 2012-10-09T14:50:17+00:00 (1349794217 s, computed by hand:
  // 15622 days to 2012-10-09 plus 53417 s).
  EXPECT_EQ(log.case_names().name(0), "Case 1");
  EXPECT_EQ(activity(log, 0), "Assign seriousness");
  EXPECT_EQ(log.timestamps()[0], 1349794217LL * kSecond);
  EXPECT_EQ(log.attribute("org:resource").type(), ColumnType::categorical);
  EXPECT_EQ(log.attribute("org:resource").value_string(0), "Value 1");
  EXPECT_EQ(log.find_attribute("origin"), nullptr);  // a log-level attribute
}

TEST(XesRealLogs, Bpic2012) {
  const std::string path = journey_file("bpic2012.xes.gz");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const auto log = read_xes(path);
  EXPECT_EQ(log.n_cases(), 13087u);
  EXPECT_EQ(log.size(), 262200u);
  EXPECT_TRUE(log.skipped_rows().empty());
  // README: lifecycle START/SCHEDULE/COMPLETE.
  const Column& life = log.attribute("lifecycle:transition");
  ASSERT_EQ(life.type(), ColumnType::categorical);
  std::set<std::string> transitions;
  for (std::uint32_t i = 0; i < life.categories().size(); ++i) transitions.emplace(life.categories().name(i));
  EXPECT_EQ(transitions, (std::set<std::string>{"START", "SCHEDULE", "COMPLETE"}));
  // Trace attributes: REG_DATE (date), AMOUNT_REQ (a string in this file).
  EXPECT_EQ(log.attribute("case:REG_DATE").type(), ColumnType::timestamp);
  EXPECT_EQ(log.attribute("case:AMOUNT_REQ").type(), ColumnType::categorical);
  // First trace 173688 submitted at 2011-10-01T00:38:44.546+02:00 = 1317422324.546 s UTC.
  EXPECT_EQ(log.case_names().name(0), "173688");
  EXPECT_EQ(activity(log, 0), "A_SUBMITTED");
  EXPECT_EQ(log.timestamps()[0], 1317422324546000LL);
  EXPECT_EQ(log.attribute("case:REG_DATE").times()[0], 1317422324546000LL);
  EXPECT_EQ(log.attribute("case:AMOUNT_REQ").value_string(0), "20000");
  // The nested meta_* log attributes leave no columns.
  for (const auto& col : log.attributes()) EXPECT_EQ(col.name().rfind("meta_", 0), std::string::npos) << col.name();
}
