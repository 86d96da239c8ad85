// Parallel XES parsing: any thread count and chunk size gives the log one parser gives
// (every column, dictionary and skipped row), and the same error.
//
// Two kinds of check: the public API compared across thread counts, and the parallel path
// itself (detail::read_xes_parallel, which returns std::nullopt instead of falling back to
// one parser) so that a test cannot pass merely because every document fell back.
#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../../src/io/xes_parallel.hpp"
#include "cxkit/io/xes.hpp"

using namespace cxkit;
using cxkit::io::read_xes;
using cxkit::io::read_xes_buffer;
using cxkit::io::XesOptions;

namespace {

const std::string kHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\" xmlns=\"http://www.xes-standard.org/\">\n";

std::string event(const std::string& activity, const std::string& time, const std::string& extra = "") {
  return "<event><string key=\"concept:name\" value=\"" + activity + "\"/><date key=\"time:timestamp\" value=\"" +
         time + "\"/>" + extra + "</event>\n";
}

std::string trace(const std::string& name, const std::string& events, const std::string& extra = "") {
  return "<trace><string key=\"concept:name\" value=\"" + name + "\"/>" + extra + "\n" + events + "</trace>\n";
}

// Second s of 2020-01-01 (UTC), as XES text.
std::string at(int s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2020-01-01T%02d:%02d:%02dZ", s / 3600 % 24, s / 60 % 60, s % 60);
  return buf;
}

std::string gzip(const std::string& text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
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

XesOptions options(unsigned threads, std::size_t chunk_bytes = std::size_t{1} << 20, OnBadRow mode = OnBadRow::raise) {
  XesOptions o;
  o.threads = threads;
  o.chunk_bytes = chunk_bytes;
  o.on_bad_row = mode;
  return o;
}

// The parallel path alone: the log, or std::nullopt where read_xes would fall back.
std::optional<EventLog> parallel_only(const std::string& bytes, unsigned threads, std::size_t chunk_bytes,
                                      OnBadRow mode = OnBadRow::raise, const std::string& source = "t.xes") {
  const XesOptions o = options(threads, chunk_bytes, mode);
  const bool gz = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f;
  io::detail::MemoryReader reader(bytes);
  io::detail::XesChunker from_reader(reader, chunk_bytes, source);
  io::detail::XesChunker from_memory(bytes, chunk_bytes);
  return io::detail::read_xes_parallel(gz ? from_reader : from_memory, o, source, threads);
}

void expect_same_dictionary(const Dictionary& a, const Dictionary& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::uint32_t i = 0; i < a.size(); ++i) ASSERT_EQ(a.name(i), b.name(i)) << what << " #" << i;
}

void expect_same_column(const Column& a, const Column& b) {
  ASSERT_EQ(a.name(), b.name());
  ASSERT_EQ(a.type(), b.type()) << a.name();
  ASSERT_EQ(a.size(), b.size()) << a.name();
  switch (a.type()) {
    case ColumnType::numeric:
      for (std::size_t i = 0; i < a.size(); ++i)  // bits, so that NaN (missing) equals NaN
        ASSERT_EQ(std::bit_cast<std::uint64_t>(a.numbers()[i]), std::bit_cast<std::uint64_t>(b.numbers()[i])) << a.name() << " row " << i;
      break;
    case ColumnType::categorical:
      expect_same_dictionary(a.categories(), b.categories(), a.name());
      for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a.codes()[i], b.codes()[i]) << a.name() << " row " << i;
      break;
    case ColumnType::timestamp:
      for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a.times()[i], b.times()[i]) << a.name() << " row " << i;
      break;
    case ColumnType::text:
      for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a.is_missing(i), b.is_missing(i));
        ASSERT_EQ(a.value_string(i), b.value_string(i));
      }
      break;
  }
}

// Every part of two logs, field by field.
void expect_same(const EventLog& a, const EventLog& b) {
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.n_cases(), b.n_cases());
  expect_same_dictionary(a.case_names(), b.case_names(), "cases");
  expect_same_dictionary(a.activity_names(), b.activity_names(), "activities");
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.case_ids()[i], b.case_ids()[i]) << i;
    ASSERT_EQ(a.activity_ids()[i], b.activity_ids()[i]) << i;
    ASSERT_EQ(a.timestamps()[i], b.timestamps()[i]) << i;
  }
  for (std::size_t c = 0; c <= a.n_cases(); ++c) ASSERT_EQ(a.case_offsets()[c], b.case_offsets()[c]);
  ASSERT_EQ(a.attributes().size(), b.attributes().size());
  for (std::size_t k = 0; k < a.attributes().size(); ++k) expect_same_column(a.attributes()[k], b.attributes()[k]);
  ASSERT_EQ(a.skipped_rows().size(), b.skipped_rows().size());
  for (std::size_t k = 0; k < a.skipped_rows().size(); ++k) {
    EXPECT_EQ(a.skipped_rows()[k].line, b.skipped_rows()[k].line) << k;
    EXPECT_EQ(a.skipped_rows()[k].reason, b.skipped_rows()[k].reason) << k;
  }
  EXPECT_EQ(a.source(), b.source());
}

// A log or the message of the error, whichever read_xes_buffer gives.
struct Attempt {
  std::optional<EventLog> log;
  std::string error;
  std::int64_t line = -2;
};

Attempt attempt(const std::string& bytes, const XesOptions& o) {
  Attempt out;
  try {
    out.log = read_xes_buffer(bytes, o, "t.xes");
  } catch (const InputError& e) {
    out.error = e.what();
    out.line = e.location().line;
  }
  return out;
}

void expect_same(const Attempt& a, const Attempt& b) {
  ASSERT_EQ(a.log.has_value(), b.log.has_value()) << a.error << " | " << b.error;
  if (a.log) {
    expect_same(*a.log, *b.log);
  } else {
    EXPECT_EQ(a.error, b.error);
    EXPECT_EQ(a.line, b.line);
  }
}

// The document read by one parser, by the parallel path alone (which must not give up)
// and through the public API, for several thread counts and chunk sizes.
void expect_parallel_equals_one_parser(const std::string& bytes, OnBadRow mode = OnBadRow::raise,
                                       std::vector<std::size_t> chunk_sizes = {1, 7, 64, 300, 4096}) {
  const EventLog one = read_xes_buffer(bytes, options(1, 1, mode), "t.xes");
  for (std::size_t chunk : chunk_sizes) {
    for (unsigned threads : {2u, 4u, 7u}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", chunk_bytes " + std::to_string(chunk));
      const auto parallel = parallel_only(bytes, threads, chunk, mode);
      ASSERT_TRUE(parallel.has_value()) << "the parallel path gave up";
      expect_same(*parallel, one);
      expect_same(read_xes_buffer(bytes, options(threads, chunk, mode), "t.xes"), one);
    }
  }
}

std::string activity(const EventLog& log, std::size_t e) { return std::string(log.activity_names().name(log.activity_ids()[e])); }
std::string case_of(const EventLog& log, std::size_t e) { return std::string(log.case_names().name(log.case_ids()[e])); }

}  // namespace

// ---- the pieces ----

TEST(XesSplit, FindsTraceStartTagsOnly) {
  using io::detail::find_cut;
  constexpr auto npos = std::string_view::npos;
  EXPECT_EQ(find_cut("<traces/><trace-x/><trace>", 0, "<trace"), 19u);
  EXPECT_EQ(find_cut("<trace/>", 0, "<trace"), 0u);
  EXPECT_EQ(find_cut("<trace\tkey=\"\">", 0, "<trace"), 0u);
  EXPECT_EQ(find_cut("ab<trace>", 3, "<trace"), npos);  // before `from`
  EXPECT_EQ(find_cut("ab<trace", 0, "<trace"), npos);   // its next byte is not known yet
  EXPECT_EQ(find_cut("<trace><x:trace>", 1, "<x:trace"), 7u);
}

TEST(XesSplit, CountsLineBreaksAsExpatDoes) {
  using io::detail::count_line_breaks;
  EXPECT_EQ(count_line_breaks(""), 0);
  EXPECT_EQ(count_line_breaks("a\nb\r\nc\rd\r"), 4);  // LF, CR LF, CR, CR
  EXPECT_EQ(count_line_breaks("\r\r\n\n"), 3);
  // The word-at-a-time path against a byte-by-byte count, on lengths around 8 x 255.
  std::string text;
  std::uint64_t state = 7;
  for (std::size_t n = 0; n < 5000; ++n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    text.push_back("ab\n<>\"="[(state >> 33) % 7]);
  }
  for (std::size_t len : {0u, 7u, 8u, 9u, 2039u, 2040u, 2041u, 4999u, 5000u}) {
    std::int64_t expected = 0;
    for (std::size_t i = 0; i < len; ++i) expected += text[i] == '\n';
    EXPECT_EQ(count_line_breaks(std::string_view(text).substr(0, len)), expected) << len;
  }
}

// ---- documents made to put cuts in awkward places ----

TEST(XesParallel, TraceTextInCommentsCdataAndProcessingInstructionsIsNoBoundary) {
  std::string body;
  for (int t = 0; t < 12; ++t) {
    body += "<!-- <trace> a commented-out trace <trace><event/></trace> -->\n";
    body += "<?note <trace here ?>\n";
    const std::string cdata = "<string key=\"s\" value=\"v\"><![CDATA[ <trace> ]]></string>";
    const std::string pi_in_event = "<?keep <trace>?>";
    body += trace("c" + std::to_string(t), event("&lt;trace&gt;", at(10 * t), cdata) + event("b", at(10 * t + 1), pi_in_event) +
                                               "<!-- <trace -->\n" + event("c", at(10 * t + 2)));
  }
  const std::string text = kHead + body + "</log>\n<!-- after the root: <trace> -->\n";
  expect_parallel_equals_one_parser(text);

  // Independent of either path: 12 traces of 3 events, none from the comments.
  const auto log = read_xes_buffer(text, options(4, 1), "t.xes");
  ASSERT_EQ(log.size(), 36u);
  ASSERT_EQ(log.n_cases(), 12u);
  EXPECT_EQ(activity(log, 0), "<trace>");
  EXPECT_EQ(log.attribute("s").value_string(0), "v");
}

TEST(XesParallel, TraceElementsNestedInEventsAreNoBoundary) {
  std::string body;
  for (int t = 0; t < 10; ++t)
    body += trace("c" + std::to_string(t),
                  event("a", at(t), "<container key=\"box\">\n<trace><string key=\"concept:name\" value=\"WRONG\"/></trace>\n</container>") +
                      event("b", at(t + 1), "<list key=\"l\"><values>\n<trace/>\n<trace>x</trace></values></list>"));
  const std::string text = kHead + body + "</log>\n";
  expect_parallel_equals_one_parser(text);
  const auto log = read_xes_buffer(text, options(2, 1), "t.xes");
  EXPECT_EQ(log.n_cases(), 10u);
  EXPECT_FALSE(log.case_names().find("WRONG").has_value());
}

TEST(XesParallel, ACommentSpanningManyChunksJoinsThem) {
  std::string comment = "<!--";
  for (int k = 0; k < 40; ++k) comment += "\n</trace> <trace>" + std::string(20, 'x');
  comment += "-->\n";
  const std::string text = kHead + trace("c1", event("a", at(1))) + comment + trace("c2", event("b", at(2))) + "</log>\n";
  // About 1,300 bytes of comment: up to 130 chunks of 10 bytes are joined.
  for (std::size_t chunk : {10u, 200u}) {
    const auto joined = parallel_only(text, 2, chunk);
    ASSERT_TRUE(joined.has_value());
    expect_same(*joined, read_xes_buffer(text, options(1), "t.xes"));
    EXPECT_EQ(joined->n_cases(), 2u);
  }
}

TEST(XesParallel, ATraceLargerThanAChunkMayHoldIsReadByOneParser) {
  // 70 MB in one trace: more than a chunk may hold (64 MiB) when read from a stream.
  std::string events;
  const std::string one = event("a", at(5));
  while (events.size() < (std::size_t{70} << 20)) events += one;
  const std::string text = kHead + trace("small", event("x", at(1))) + trace("big", events) + "</log>\n";
  const std::string zipped = gzip(text);
  EXPECT_FALSE(parallel_only(zipped, 2, 1024).has_value());
  const auto log = read_xes_buffer(zipped, options(2, 1024), "t.xes");
  EXPECT_EQ(log.size(), 1 + events.size() / one.size());
  EXPECT_EQ(log.n_cases(), 2u);
}

TEST(XesParallel, TracesSharingANameAcrossChunksAreOneCase) {
  std::string body = trace("c1", event("first", at(100)) + event("second", at(300)));
  for (int t = 0; t < 30; ++t) body += trace("other" + std::to_string(t % 7), event("x", at(t)));
  body += trace("c1", event("middle", at(200)) + event("last", at(400)));
  const std::string text = kHead + body + "</log>\n";
  expect_parallel_equals_one_parser(text);

  const auto log = read_xes_buffer(text, options(3, 1), "t.xes");
  ASSERT_EQ(log.n_cases(), 8u);  // c1 and other0..other6
  EXPECT_EQ(log.case_names().name(0), "c1");
  ASSERT_EQ(log.case_end(0), 4u);
  EXPECT_EQ(activity(log, 0), "first");
  EXPECT_EQ(activity(log, 1), "middle");
  EXPECT_EQ(activity(log, 2), "second");
  EXPECT_EQ(activity(log, 3), "last");
  EXPECT_EQ(log.case_names().name(1), "other0");
  EXPECT_EQ(log.case_end(1) - log.case_begin(1), 5u);  // traces 0, 7, 14, 21, 28
}

TEST(XesParallel, AttributeTypesAreDecidedOnEveryChunk) {
  std::string body;
  for (int t = 0; t < 40; ++t) {
    std::string extra;
    if (t == 0) extra = "<int key=\"x\" value=\"5\"/><int key=\"m\" value=\"1\"/><boolean key=\"b\" value=\"true\"/>";
    if (t == 39) extra = "<string key=\"x\" value=\"five\"/><float key=\"m\" value=\"0.5\"/><int key=\"b\" value=\"7\"/>";
    if (t == 20) extra = "<date key=\"d\" value=\"2020-01-02T00:00:00Z\"/>";
    const std::string trace_extra = t == 3 ? "<string key=\"t\" value=\"gold\"/>" : t == 33 ? "<int key=\"t\" value=\"3\"/>" : "";
    body += trace("c" + std::to_string(t), event("a", at(t), extra), trace_extra);
  }
  const std::string text = kHead + body + "</log>\n";
  expect_parallel_equals_one_parser(text);

  // By hand: x and b mixed kinds -> categorical text; m int and float -> numeric.
  const auto log = read_xes_buffer(text, options(7, 1), "t.xes");
  ASSERT_EQ(log.attribute("x").type(), ColumnType::categorical);
  EXPECT_EQ(log.attribute("x").value_string(0), "5");
  EXPECT_EQ(log.attribute("x").value_string(39), "five");
  ASSERT_EQ(log.attribute("m").type(), ColumnType::numeric);
  EXPECT_EQ(log.attribute("m").numbers()[39], 0.5);
  ASSERT_EQ(log.attribute("b").type(), ColumnType::categorical);
  EXPECT_EQ(log.attribute("b").value_string(0), "true");
  EXPECT_EQ(log.attribute("b").value_string(39), "7");
  EXPECT_EQ(log.attribute("d").type(), ColumnType::timestamp);
  ASSERT_EQ(log.attribute("case:t").type(), ColumnType::categorical);
  EXPECT_EQ(log.attribute("case:t").value_string(33), "3");
  // Column order is the order of first sight in the document.
  std::vector<std::string> names;
  for (const auto& c : log.attributes()) names.push_back(c.name());
  EXPECT_EQ(names, (std::vector<std::string>{"x", "m", "b", "case:t", "d"}));
}

namespace {
// A document as lines, so that tests know the line of everything; joined with `eol`.
struct Lines {
  std::vector<std::string> lines{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<log xmlns=\"http://www.xes-standard.org/\">"};
  std::int64_t add(std::string line) {
    lines.push_back(std::move(line));
    return static_cast<std::int64_t>(lines.size());
  }
  std::string join(const std::string& eol) const {
    std::string out;
    for (const auto& l : lines) out += l + eol;
    return out;
  }
};

std::string one_line_event(const std::string& activity, const std::string& time) {
  return "<event><string key=\"concept:name\" value=\"" + activity + "\"/><date key=\"time:timestamp\" value=\"" + time + "\"/></event>";
}
}  // namespace

TEST(XesParallel, SkippedRowsInLateChunksKeepTheirLines) {
  Lines doc;
  std::vector<std::int64_t> bad_lines;
  std::int64_t nameless_trace_line = 0;
  for (int t = 0; t < 60; ++t) {
    if (t == 45) {
      nameless_trace_line = doc.add("<trace>");
      bad_lines.push_back(doc.add(one_line_event("n1", at(1))));
      bad_lines.push_back(doc.add(one_line_event("n2", at(2))));
      doc.add("</trace>");
      continue;
    }
    doc.add("<trace><string key=\"concept:name\" value=\"c" + std::to_string(t) + "\"/>");
    doc.add(one_line_event("a", at(t)));
    if (t == 30 || t == 59) bad_lines.push_back(doc.add(one_line_event("b", "not a time")));
    doc.add("</trace>");
  }
  doc.add("</log>");
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    SCOPED_TRACE("line ends " + std::to_string(eol.size()) + " bytes");
    const std::string text = doc.join(eol);
    expect_parallel_equals_one_parser(text, OnBadRow::skip);
    const auto log = read_xes_buffer(text, options(4, 1, OnBadRow::skip), "s.xes");
    ASSERT_EQ(log.size(), 59u);
    ASSERT_EQ(log.skipped_rows().size(), 4u);
    // Document order: the event of trace 30, the two of the nameless trace, trace 59's.
    const std::vector<std::int64_t> expected{bad_lines[0], bad_lines[1], bad_lines[2], bad_lines[3]};
    for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(log.skipped_rows()[k].line, expected[k]) << k;
    EXPECT_NE(log.skipped_rows()[0].reason.find("s.xes, line " + std::to_string(bad_lines[0])), std::string::npos)
        << log.skipped_rows()[0].reason;
    EXPECT_NE(log.skipped_rows()[1].reason.find("s.xes, line " + std::to_string(nameless_trace_line)), std::string::npos)
        << log.skipped_rows()[1].reason;
    EXPECT_NE(log.skipped_rows()[2].reason.find("trace without concept:name"), std::string::npos);
  }
}

TEST(XesParallel, SkippedRowsKeepTheirLinesWithLargeChunks) {
  Lines doc;
  std::vector<std::int64_t> bad_lines;
  for (int t = 0; t < 20000; ++t) {
    doc.add("<trace>");
    doc.add("<string key=\"concept:name\" value=\"c" + std::to_string(t) + "\"/>");
    doc.add(one_line_event("a", at(t)));
    if (t % 997 == 0) bad_lines.push_back(doc.add(one_line_event("b", "not a time")));
    doc.add("</trace>");
  }
  doc.add("</log>");
  const std::string text = doc.join("\n");
  for (std::size_t chunk : {4096u, 100000u, 1000000u}) {
    const auto log = parallel_only(text, 2, chunk, OnBadRow::skip);
    ASSERT_TRUE(log.has_value());
    ASSERT_EQ(log->skipped_rows().size(), bad_lines.size());
    for (std::size_t k = 0; k < bad_lines.size(); ++k) ASSERT_EQ(log->skipped_rows()[k].line, bad_lines[k]) << chunk;
    expect_same(*log, read_xes_buffer(text, options(1, 1, OnBadRow::skip), "t.xes"));
  }
}

TEST(XesParallel, ErrorsInLateChunksAreThoseOfOneParser) {
  Lines doc;
  for (int t = 0; t < 50; ++t) {
    doc.add("<trace><string key=\"concept:name\" value=\"c" + std::to_string(t) + "\"/>");
    doc.add(one_line_event("a", at(t)));
    doc.add("</trace>");
  }
  const std::string good = doc.join("\n");
  const auto last_event_line = static_cast<std::int64_t>(doc.lines.size() - 1);

  struct Case {
    std::string name, text;
    std::int64_t line;  // by hand; -2 = not checked
  };
  std::string bad_time = good;
  bad_time.replace(bad_time.rfind(at(49)), at(49).size(), "yesterday");
  std::string mismatched = good;
  mismatched.replace(mismatched.rfind("</trace>"), 8, "</event>");
  std::string in_value = good;  // '<' is not allowed in an attribute value
  in_value.replace(in_value.rfind("value=\"a\""), 9, "value=\"<trace>\"");
  const std::vector<Case> cases{
      {"bad timestamp", bad_time + "</log>\n", last_event_line},
      {"mismatched tag", mismatched + "</log>\n", last_event_line + 1},
      {"<trace in a value", in_value + "</log>\n", last_event_line},
      {"unclosed root", good, -2},
      {"junk after the root", good + "</log>\n<trace/>\n", -2},
      {"year 0000", good.substr(0, good.rfind(at(49))) + "0001-01-01T00:00:00+01:00" +
                        good.substr(good.rfind(at(49)) + at(49).size()) + "</log>\n", -2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Attempt one = attempt(c.text, options(1));
    ASSERT_FALSE(one.log.has_value());
    if (c.line != -2) EXPECT_EQ(one.line, c.line) << one.error;
    for (std::size_t chunk : {1u, 50u, 1000u})
      for (unsigned threads : {2u, 4u, 7u}) {
        expect_same(attempt(c.text, options(threads, chunk)), one);
        expect_same(attempt(gzip(c.text), options(threads, chunk)), one);
        EXPECT_FALSE(parallel_only(c.text, threads, chunk).has_value());
      }
  }
}

TEST(XesParallel, NamespacePrefixesAndEncodings) {
  std::string body;
  for (int t = 0; t < 8; ++t)
    body += "<x:trace><x:string key=\"concept:name\" value=\"c" + std::to_string(t) +
            "\"/><x:event><x:string key=\"concept:name\" value=\"a\"/><x:date key=\"time:timestamp\" value=\"" + at(t) +
            "\"/></x:event></x:trace>\n";
  const std::string prefixed = "<x:log xmlns:x=\"http://www.xes-standard.org/\">\n" + body + "</x:log>\n";
  expect_parallel_equals_one_parser(prefixed);
  EXPECT_EQ(read_xes_buffer(prefixed, options(2, 1), "t.xes").n_cases(), 8u);

  // ISO-8859-1: the prolog travels with every chunk, so E9 is read as U+00E9 in all of them.
  std::string latin;
  for (int t = 0; t < 8; ++t) latin += trace("caf\xE9 " + std::to_string(t), event("r\xE9sum\xE9", at(t)));
  const std::string latin_doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<log>\n" + latin + "</log>\n";
  expect_parallel_equals_one_parser(latin_doc);
  expect_parallel_equals_one_parser("\xEF\xBB\xBF" + prefixed);  // a UTF-8 byte-order mark travels too
  const auto log = read_xes_buffer(latin_doc, options(2, 1), "t.xes");
  EXPECT_EQ(log.case_names().name(7), "caf\xC3\xA9 7");
  EXPECT_EQ(activity(log, 0), "r\xC3\xA9sum\xC3\xA9");
}

TEST(XesParallel, DocumentsWithADoctypeAreReadByOneParser) {
  std::string body;
  for (int t = 0; t < 8; ++t) body += trace("c" + std::to_string(t), event("&act;", at(t)));
  const std::string text = "<?xml version=\"1.0\"?>\n<!DOCTYPE log [<!ENTITY act \"approve\">]>\n<log>\n" + body + "</log>\n";
  EXPECT_FALSE(parallel_only(text, 2, 1).has_value());
  const auto log = read_xes_buffer(text, options(2, 1), "t.xes");
  expect_same(log, read_xes_buffer(text, options(1), "t.xes"));
  EXPECT_EQ(activity(log, 0), "approve");
}

TEST(XesParallel, GzipInputIsCutAsItIsDecompressed) {
  std::string body;
  for (int t = 0; t < 3000; ++t)
    body += trace("case " + std::to_string(t % 2500), event("a" + std::to_string(t % 13), at(t), "<int key=\"i\" value=\"" + std::to_string(t) + "\"/>") +
                                                      event("b", at(t + 1)));
  const std::string text = kHead + body + "</log>\n";
  const std::string zipped = gzip(text);
  const EventLog one = read_xes_buffer(text, options(1), "t.xes");
  ASSERT_EQ(one.size(), 6000u);
  ASSERT_EQ(one.n_cases(), 2500u);
  for (std::size_t chunk : {1000u, 20000u, 100000u}) {
    const auto parallel = parallel_only(zipped, 2, chunk);
    ASSERT_TRUE(parallel.has_value());
    expect_same(*parallel, one);
  }
  // Concatenated members, split mid-trace.
  const std::string members = gzip(text.substr(0, text.size() / 2)) + gzip(text.substr(text.size() / 2));
  const auto parallel = parallel_only(members, 3, 5000);
  ASSERT_TRUE(parallel.has_value());
  expect_same(*parallel, one);
}

namespace {
// Deterministic 64-bit LCG (Knuth's MMIX constants).
struct Lcg {
  std::uint64_t s;
  std::uint32_t next(std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>((s >> 33) % n);
  }
};

// A document mixing every construct above at random, now and then broken.
std::string random_document(Lcg& rng) {
  const char* values[] = {"<string key=\"x\" value=\"s\"/>", "<int key=\"x\" value=\"4\"/>", "<float key=\"x\" value=\"2.5\"/>",
                          "<boolean key=\"x\" value=\"false\"/>", "<date key=\"x\" value=\"2020-01-01T00:00:00Z\"/>",
                          "<int key=\"x\" value=\"four\"/>", "<id key=\"y\" value=\"&lt;trace&gt;\"/>", ""};
  const char* noise[] = {"<!-- <trace> -->", "<?pi <trace ?>", "<string key=\"l\" value=\"v\"/>", "\r\n", "\n\n", "",
                         "<list key=\"l\"><trace/></list>", "<![CDATA[<trace>]]>"};
  std::string doc = rng.next(2) ? kHead : "<log>";
  const int traces = 1 + static_cast<int>(rng.next(25));
  for (int t = 0; t < traces; ++t) {
    doc += noise[rng.next(6)];  // CDATA and nested elements are not allowed directly in <log>
    if (rng.next(3) == 0) doc += "<list key=\"l\"><trace/></list>";
    std::string events;
    const int n = static_cast<int>(rng.next(4));
    for (int e = 0; e < n; ++e) {
      const bool named = rng.next(15) != 0;
      std::string ev = "<event>";
      if (named) ev += "<string key=\"concept:name\" value=\"a" + std::to_string(rng.next(5)) + "\"/>";
      ev += noise[rng.next(8)];
      ev += "<date key=\"time:timestamp\" value=\"" + (rng.next(20) == 0 ? std::string("never") : at(static_cast<int>(rng.next(5000)))) + "\"/>";
      ev += values[rng.next(8)];
      ev += "</event>\n";
      events += ev;
    }
    const std::string name = rng.next(12) == 0 ? "" : "c" + std::to_string(rng.next(6));
    const std::string trace_value = rng.next(4) == 0 ? values[rng.next(8)] : "";
    doc += "<trace>" + (name.empty() ? "" : "<string key=\"concept:name\" value=\"" + name + "\"/>") + trace_value + "\n" + events + "</trace>\n";
  }
  doc += "</log>\n";
  if (rng.next(10) == 0) doc.insert(rng.next(static_cast<std::uint32_t>(doc.size())), "<");  // malformed somewhere
  return doc;
}
}  // namespace

TEST(XesParallel, RandomDocumentsReadAsOneParserReadsThem) {
  Lcg rng{2024};
  int parsed = 0;
  for (int k = 0; k < 400; ++k) {
    const std::string doc = random_document(rng);
    const OnBadRow mode = rng.next(2) ? OnBadRow::skip : OnBadRow::raise;
    const std::size_t chunk = 1 + rng.next(400);
    const unsigned threads = 2 + rng.next(6);
    SCOPED_TRACE("document " + std::to_string(k) + ": " + doc);
    const Attempt one = attempt(doc, options(1, chunk, mode));
    parsed += one.log.has_value();
    expect_same(attempt(doc, options(threads, chunk, mode)), one);
    if (k % 4 == 0) expect_same(attempt(gzip(doc), options(threads, chunk, mode)), one);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(parsed, 100);  // the property is not only about errors
}

// ---- the real logs ----

namespace {
std::string journey_file(const char* name) { return std::string(CXKIT_SHARED_DATA_DIR) + "/journeys/" + name; }
}  // namespace

TEST(XesParallelRealLogs, IdenticalForAnyThreadCount) {
  for (const char* name : {"helpdesk.xes.gz", "bpic2012.xes.gz"}) {
    const std::string path = journey_file(name);
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
    SCOPED_TRACE(name);
    const EventLog one = read_xes(path, options(1));
    // Data README: helpdesk 4,580 cases / 21,348 events, BPIC 2012 13,087 / 262,200.
    EXPECT_EQ(one.size(), std::string(name) == "helpdesk.xes.gz" ? 21348u : 262200u);
    for (unsigned threads : {0u, 2u, 4u, 7u}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      expect_same(read_xes(path, options(threads)), one);
    }
    expect_same(read_xes(path, options(2, 256 * 1024)), one);
    const std::string text = gunzip_file(path);
    const auto parallel = parallel_only(text, 2, 1 << 20, OnBadRow::raise, path);
    ASSERT_TRUE(parallel.has_value());
    expect_same(*parallel, one);
    const auto from_gzip = parallel_only(gzip(text), 3, 300 * 1024, OnBadRow::raise, path);
    ASSERT_TRUE(from_gzip.has_value());
    expect_same(*from_gzip, one);
  }
}
