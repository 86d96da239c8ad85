#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "cxkit/core/error.hpp"
#include "cxkit/io/csv.hpp"

using namespace cxkit;
using cxkit::io::CsvOptions;
using cxkit::io::read_csv;
using cxkit::io::read_csv_buffer;

namespace {

const std::string kData = CXKIT_SHARED_DATA_DIR;

CsvOptions short_names() {
  CsvOptions o;
  o.case_column = "case";
  o.activity_column = "activity";
  o.timestamp_column = "time";
  return o;
}

EventLog read(std::string_view csv, CsvOptions o = short_names()) { return read_csv_buffer(csv, o, "test.csv"); }

std::int64_t iso(std::string_view s) {
  Timestamp t{};
  EXPECT_TRUE(parse_iso8601(s, t)) << s;
  return to_micros(t);
}

/// (case, activity) of every event in log order.
std::vector<std::pair<std::string, std::string>> events(const EventLog& log) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < log.size(); ++i)
    out.emplace_back(log.case_names().name(log.case_ids()[i]), log.activity_names().name(log.activity_ids()[i]));
  return out;
}

std::vector<std::string> values(const EventLog& log, std::string_view column) {
  std::vector<std::string> out;
  const Column& c = log.attribute(column);
  for (std::size_t i = 0; i < c.size(); ++i) out.push_back(c.is_missing(i) ? "<missing>" : c.value_string(i));
  return out;
}

/// Runs `f`, expecting an InputError; returns it.
template <class F>
InputError input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got: " << e.what();
    return InputError("");
  }
  ADD_FAILURE() << "expected InputError, nothing thrown";
  return InputError("");
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// Asserts that the message and the location name the line, column and (when given) value.
void expect_located(const InputError& e, std::int64_t line, const std::string& column, const std::string& value) {
  const std::string msg = e.what();
  EXPECT_EQ(e.location().source, "test.csv");
  EXPECT_EQ(e.location().line, line) << msg;
  EXPECT_EQ(e.location().column, column) << msg;
  EXPECT_EQ(e.location().value, value) << msg;
  EXPECT_TRUE(contains(msg, "test.csv")) << msg;
  EXPECT_TRUE(contains(msg, "line " + std::to_string(line))) << msg;
  EXPECT_TRUE(contains(msg, "column '" + column + "'")) << msg;
  if (!value.empty()) EXPECT_TRUE(contains(msg, "'" + value.substr(0, 80))) << msg;
}

}  // namespace

// ---------------------------------------------------------------- RFC 4180 structure

TEST(Csv, ReadsAPlainFile) {
  const auto log = read("case,activity,time\nc1,a,2020-01-01T10:00:00Z\nc1,b,2020-01-01T11:00:00Z\nc2,a,2020-01-02\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.n_cases(), 2u);
  EXPECT_EQ(log.activity_names().size(), 2u);
  EXPECT_EQ(events(log), (std::vector<std::pair<std::string, std::string>>{{"c1", "a"}, {"c1", "b"}, {"c2", "a"}}));
  EXPECT_EQ(log.timestamps()[1], iso("2020-01-01T11:00:00Z"));
  EXPECT_EQ(log.timestamps()[2], iso("2020-01-02T00:00:00Z"));
  EXPECT_EQ(log.source(), "test.csv");
  EXPECT_TRUE(log.skipped_rows().empty());
}

TEST(Csv, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  const auto log = read(
      "case,activity,time,note\n"
      "\"c,1\",\"say \"\"hi\"\"\",2020-01-01,\"line one\nline two\"\n"
      "\"c,1\",\"\"\"\",2020-01-02,\"\"\n"
      "c2,plain,2020-01-03,\"a\r\nb\"\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(events(log), (std::vector<std::pair<std::string, std::string>>{
                             {"c,1", "say \"hi\""}, {"c,1", "\""}, {"c2", "plain"}}));
  // Quotes removed, embedded line breaks kept byte for byte, "" is a missing value.
  EXPECT_EQ(values(log, "note"), (std::vector<std::string>{"line one\nline two", "<missing>", "a\r\nb"}));
}

TEST(Csv, QuoteInsideAnUnquotedFieldIsData) {
  const auto log = read("case,activity,time,size\nc1,a,2020-01-01,12\" screen\n");
  EXPECT_EQ(values(log, "size"), std::vector<std::string>{"12\" screen"});
}

TEST(Csv, LineEndingsLfCrlfAndMixed) {
  const std::string lf = "case,activity,time\nc1,a,2020-01-01\nc1,b,2020-01-02\n";
  const std::string crlf = "case,activity,time\r\nc1,a,2020-01-01\r\nc1,b,2020-01-02\r\n";
  for (const auto& text : {lf, crlf}) {
    const auto log = read(text);
    EXPECT_EQ(events(log), (std::vector<std::pair<std::string, std::string>>{{"c1", "a"}, {"c1", "b"}}));
    EXPECT_EQ(log.timestamps()[1], iso("2020-01-02"));
  }
  // The last field before CRLF never keeps the CR, quoted or not.
  const auto m = read("case,activity,time\r\nc1,a,2020-01-01\nc1,\"b\",2020-01-02\r\nc2,\"c\",\"2020-01-03\"\r\n");
  EXPECT_EQ(events(m), (std::vector<std::pair<std::string, std::string>>{{"c1", "a"}, {"c1", "b"}, {"c2", "c"}}));
  EXPECT_EQ(m.timestamps()[2], iso("2020-01-03"));
}

TEST(Csv, BomIsSkippedAndLastLineNeedsNoNewline) {
  const auto log = read("\xEF\xBB\xBF" "case,activity,time\nc1,a,2020-01-01\nc1,b,2020-01-02");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.case_names().name(0), "c1");
  const auto crlf_end = read("case,activity,time\r\nc1,a,2020-01-01\r\nc1,b,2020-01-02\r");
  EXPECT_EQ(events(crlf_end), events(log));
  const auto quoted_end = read("case,activity,time\nc1,a,2020-01-01\nc1,b,\"2020-01-02\"");
  EXPECT_EQ(events(quoted_end), events(log));
}

TEST(Csv, BlankLinesAreNotRows) {
  const auto log = read("\n\r\ncase,activity,time\n\nc1,a,2020-01-01\r\n\r\n\n,,,\nc1,b,2020-01-02\n\n\n",
                        [] {
                          auto o = short_names();
                          o.on_bad_row = OnBadRow::skip;
                          return o;
                        }());
  ASSERT_EQ(log.size(), 2u);
  // ",,," is not blank: it is a (ragged) row, skipped at its own line.
  ASSERT_EQ(log.skipped_rows().size(), 1u);
  EXPECT_EQ(log.skipped_rows()[0].line, 8);
}

TEST(Csv, DelimiterIsDetectedFromTheHeader) {
  const std::string body = "c1|a|2020-01-01\n";
  EXPECT_EQ(read("case;activity;time\nc1;a;2020-01-01\n").size(), 1u);
  EXPECT_EQ(read("case\tactivity\ttime\nc1\ta\t2020-01-01\n").size(), 1u);
  EXPECT_EQ(read("case|activity|time\n" + body).size(), 1u);
  // Counting ignores quoted text: two ';' inside quotes lose to two ',' outside.
  const auto q = read("\"case;x;y\",activity,time\nc1,a,2020-01-01\n", [] {
    auto o = short_names();
    o.case_column = "case;x;y";
    return o;
  }());
  EXPECT_EQ(q.case_names().name(0), "c1");
  // A tie goes to ','.
  const auto tie = read("case,activity;x,time;y\nc1,a;1,2020-01-01\n", [] {
    auto o = short_names();
    o.activity_column = "activity;x";
    o.timestamp_column = "time;y";
    return o;
  }());
  EXPECT_EQ(tie.activity_names().name(0), "a;1");
  // An explicit delimiter wins over detection.
  auto o = short_names();
  o.delimiter = ';';
  o.activity_column = "activity,x";
  EXPECT_EQ(read("case;activity,x;time\nc1;a,b;2020-01-01\n", o).activity_names().name(0), "a,b");
}

TEST(Csv, HeaderNamesMapColumnsInAnyOrder) {
  const auto log = read("extra,time,activity,case\n1,2020-01-01,a,c1\n");
  EXPECT_EQ(events(log), (std::vector<std::pair<std::string, std::string>>{{"c1", "a"}}));
  EXPECT_EQ(log.attributes().size(), 1u);
  EXPECT_EQ(log.attributes()[0].name(), "extra");
}

TEST(Csv, EmptyHeaderNamesAreUnnamedLikePandas) {
  const auto log = read(",case,activity,,time\n7,c1,a,x,2020-01-01\n");
  ASSERT_EQ(log.attributes().size(), 2u);
  EXPECT_EQ(log.attributes()[0].name(), "Unnamed: 0");
  EXPECT_EQ(log.attributes()[1].name(), "Unnamed: 3");
  EXPECT_EQ(values(log, "Unnamed: 3"), std::vector<std::string>{"x"});
}

TEST(Csv, DuplicateHeaderNamesAreAnInputError) {
  const auto e = input_error([] { read("case,activity,time,x,x\nc1,a,2020-01-01,1,2\n"); });
  EXPECT_EQ(e.location().line, 1);
  EXPECT_EQ(e.location().column, "x");
  EXPECT_TRUE(contains(e.what(), "duplicate")) << e.what();
}

TEST(Csv, MissingMainColumnIsNotFoundAndListsTheAvailableOnes) {
  try {
    read("case,activity,timestamp\nc1,a,2020-01-01\n");
    FAIL() << "no error";
  } catch (const NotFoundError& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(contains(msg, "'time'")) << msg;
    EXPECT_TRUE(contains(msg, "'case', 'activity', 'timestamp'")) << msg;
  }
  EXPECT_THROW(read("kase,activity,time\n"), NotFoundError);
  EXPECT_THROW(read("case,act,time\n"), NotFoundError);
  auto o = short_names();
  o.numeric_columns = {"nope"};
  EXPECT_THROW(read("case,activity,time\n", o), NotFoundError);
}

// ---------------------------------------------------------------- whole-file outcomes

TEST(Csv, EmptyInputIsAnInputError) {
  for (const std::string text : {"", "\xEF\xBB\xBF", "  \r\n\t\n", "\xEF\xBB\xBF\n\n"}) {
    const auto e = input_error([&] { read(text); });
    EXPECT_TRUE(contains(e.what(), "empty file")) << e.what();
    EXPECT_TRUE(contains(e.what(), "test.csv")) << e.what();
  }
}

TEST(Csv, HeaderOnlyGivesAnEmptyLog) {
  for (const char* text : {"case,activity,time,cost", "case,activity,time,cost\n", "case,activity,time,cost\r\n\r\n"}) {
    const auto log = read(text);
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(log.n_cases(), 0u);
    ASSERT_EQ(log.attributes().size(), 1u);
    EXPECT_EQ(log.attributes()[0].size(), 0u);
  }
}

TEST(Csv, FileNotFoundIsNotFoundError) {
  EXPECT_THROW(read_csv("/nonexistent/dir/log.csv"), NotFoundError);
}

TEST(Csv, ReadsAFileFromDisk) {
  const auto path = std::filesystem::temp_directory_path() / "cxkit_test_csv_read.csv";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string text = "case,activity,time\nc1,a,2020-01-01\nc1,b,x\n";
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  auto o = short_names();
  o.on_bad_row = OnBadRow::skip;
  const auto log = read_csv(path.string(), o);
  EXPECT_EQ(log.size(), 1u);
  EXPECT_EQ(log.source(), path.string());
  ASSERT_EQ(log.skipped_rows().size(), 1u);
  EXPECT_TRUE(contains(log.skipped_rows()[0].reason, path.string()));
  std::filesystem::remove(path);
}

TEST(Csv, UnterminatedQuoteIsAlwaysAnError) {
  const std::string text = "case,activity,time\nc1,a,2020-01-01\nc1,\"b,2020-01-02\nc2,c,2020-01-03\n";
  for (auto mode : {OnBadRow::raise, OnBadRow::skip}) {
    auto o = short_names();
    o.on_bad_row = mode;
    const auto e = input_error([&] { read(text, o); });
    expect_located(e, 3, "activity", "\"b,2020-01-02");
    EXPECT_TRUE(contains(e.what(), "unterminated")) << e.what();
  }
  EXPECT_THROW(read("case,\"activity,time\nc1,a,2020-01-01\n"), InputError);
}

// ---------------------------------------------------------------- bad rows

namespace {
struct BadRowCase {
  std::string row;  // the data row, placed on line 3 after a good row
  std::string column;
  std::string value;
  std::string reason;
};
}  // namespace

TEST(Csv, BadRowsRaiseWithLineColumnAndValue) {
  auto o = short_names();
  o.numeric_columns = {"cost"};
  o.timestamp_columns = {"due"};
  const std::vector<BadRowCase> cases = {
      {"c1,b,2020-01-02,5,2020-02-01,extra", "field 6", "c1,b,2020-01-02,5,2020-02-01,extra", "fields"},
      {"c1,b,2020-01-02,5", "due", "c1,b,2020-01-02,5", "fields"},
      {",b,2020-01-02,5,2020-02-01", "case", "", "empty case"},
      {"c1,,2020-01-02,5,2020-02-01", "activity", "", "empty activity"},
      {"c1,b,2020-13-02,5,2020-02-01", "time", "2020-13-02", "timestamp"},
      {"c1,b,,5,2020-02-01", "time", "", "timestamp"},
      {"c1,b,2020-01-02,5 EUR,2020-02-01", "cost", "5 EUR", "number"},
      {"c1,b,2020-01-02,inf,2020-02-01", "cost", "inf", "number"},
      {"c1,b,2020-01-02,5,soon", "due", "soon", "timestamp"},
      {"c1,b\xC3,2020-01-02,5,2020-02-01", "activity", "b\\xC3", "UTF-8"},
      {"c1,\xED\xA0\x80,2020-01-02,5,2020-02-01", "activity", "\\xED\\xA0\\x80", "UTF-8"},  // a surrogate
      {"c1,\"b\"x,2020-01-02,5,2020-02-01", "activity", "\"b\"x", "closing quote"},
  };
  for (const auto& c : cases) {
    const std::string text = "case,activity,time,cost,due\nc1,a,2020-01-01,1,2020-02-01\n" + c.row + "\n";
    const auto e = input_error([&] { read(text, o); });
    SCOPED_TRACE(c.row);
    expect_located(e, 3, c.column, c.value);
    EXPECT_TRUE(contains(e.reason(), c.reason)) << e.what();
  }
}

TEST(Csv, LineNumbersCountLinesInsideQuotesAndBlankLines) {
  const std::string text =
      "case,activity,time,note\n"           // 1
      "c1,a,2020-01-01,\"two\nlines\"\n"    // 2-3
      "\n"                                  // 4
      "c1,b,2020-01-02,\"three\r\n\r\nx\"\r\n"  // 5-7
      "c1,c,never,x\n";                     // 8
  const auto e = input_error([&] { read(text); });
  expect_located(e, 8, "time", "never");
}

TEST(Csv, SkipModeRecordsExactlyTheBadLines) {
  auto o = short_names();
  o.on_bad_row = OnBadRow::skip;
  const std::string text =
      "case,activity,time,cost\n"        // 1
      "c1,a,2020-01-01,1\n"              // 2
      "c1,,2020-01-02,2\n"               // 3 bad: empty activity
      "c2,\"multi\nline\",2020-01-03,3\n"  // 4-5
      "c2,b,yesterday,4\n"               // 6 bad: timestamp
      "c3,b,2020-01-04\n"                // 7 bad: ragged
      "\n"                               // 8
      "c3,\"x\"y,2020-01-05,5\n"         // 9 bad: text after quote
      "c3,c,2020-01-06,6\n";             // 10
  const auto log = read(text, o);
  EXPECT_EQ(events(log), (std::vector<std::pair<std::string, std::string>>{
                             {"c1", "a"}, {"c2", "multi\nline"}, {"c3", "c"}}));
  EXPECT_EQ(values(log, "cost"), (std::vector<std::string>{"1", "3", "6"}));
  ASSERT_EQ(log.skipped_rows().size(), 4u);
  const std::vector<std::int64_t> lines = {3, 6, 7, 9};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(log.skipped_rows()[i].line, lines[i]);
    EXPECT_TRUE(contains(log.skipped_rows()[i].reason, "line " + std::to_string(lines[i])))
        << log.skipped_rows()[i].reason;
  }
  // The recorded reason is the message raise mode throws.
  const auto e = input_error([&] { read("case,activity,time,cost\nc1,a,2020-01-01,1\nc1,,2020-01-02,2\n"); });
  EXPECT_EQ(log.skipped_rows()[0].reason, e.what());
}

TEST(Csv, ASkippedRowLeavesNoTraceInAnyColumn) {
  auto o = short_names();
  o.on_bad_row = OnBadRow::skip;
  // The bad row holds the only non-numeric value of "kind" and the first appearance of case
  // c9: neither may survive.
  const auto log = read("case,activity,time,kind\nc1,a,2020-01-01,1\nc9,b,bad,word\nc1,c,2020-01-02,2\n", o);
  EXPECT_EQ(log.n_cases(), 1u);
  EXPECT_EQ(log.attribute("kind").type(), ColumnType::numeric);
  EXPECT_EQ(log.activity_names().find("b"), std::nullopt);
}

// ---------------------------------------------------------------- order

TEST(Csv, SortsByCaseFirstAppearanceThenTimeKeepingFileOrderOnTies) {
  const auto log = read(
      "case,activity,time,row\n"
      "b,x1,2020-01-01T10:00:00Z,1\n"
      "a,y1,2020-01-01T09:00:00Z,2\n"
      "b,x2,2020-01-01T08:00:00Z,3\n"
      "a,y2,2020-01-01T09:00:00Z,4\n"
      "b,x3,2020-01-01T08:00:00Z,5\n");
  EXPECT_EQ(log.case_names().name(0), "b");
  EXPECT_EQ(log.case_names().name(1), "a");
  EXPECT_EQ(events(log), (std::vector<std::pair<std::string, std::string>>{
                             {"b", "x2"}, {"b", "x3"}, {"b", "x1"}, {"a", "y1"}, {"a", "y2"}}));
  EXPECT_EQ(values(log, "row"), (std::vector<std::string>{"3", "5", "1", "2", "4"}));
}

TEST(Csv, OffsetsAreAppliedAndFormatsHonoured) {
  const auto log = read("case,activity,time\nc,a,2010-12-30 14:32:00+01:00\nc,b,2010-12-30T13:33:00Z\n");
  EXPECT_EQ(log.timestamps()[0], iso("2010-12-30T13:32:00Z"));
  auto o = short_names();
  o.timestamp_format = "%d.%m.%Y %H:%M";
  o.timestamp_columns = {"due"};
  const auto f = read("case;activity;time;due\nc;a;30.12.2010 14:32;31.12.2010 08:00\n", o);
  EXPECT_EQ(f.timestamps()[0], iso("2010-12-30T14:32:00Z"));
  EXPECT_EQ(f.attribute("due").times()[0], iso("2010-12-31T08:00:00Z"));
  o.timestamp_format = "%Q";
  EXPECT_THROW(read("case,activity,time\n", o), InputError);
}

// ---------------------------------------------------------------- attributes

TEST(Csv, InfersNumericAndCategoricalColumns) {
  const auto log = read(
      "case,activity,time,cost,who,code,blank,mixed\n"
      "c,a,2020-01-01,1.5,Pete,007,,1\n"
      "c,b,2020-01-02,,Mike,-2e3,,2\n"
      "c,c,2020-01-03,-3,Pete,8,,N/A\n");
  EXPECT_EQ(log.attribute("cost").type(), ColumnType::numeric);
  EXPECT_EQ(log.attribute("cost").numbers()[0], 1.5);
  EXPECT_TRUE(log.attribute("cost").is_missing(1));
  EXPECT_EQ(log.attribute("cost").numbers()[2], -3.0);
  EXPECT_EQ(log.attribute("code").type(), ColumnType::numeric);  // "007" reads as 7, as pandas does
  EXPECT_EQ(log.attribute("code").numbers()[1], -2000.0);
  EXPECT_EQ(log.attribute("who").type(), ColumnType::categorical);
  EXPECT_EQ(log.attribute("who").categories().size(), 2u);
  EXPECT_EQ(log.attribute("blank").type(), ColumnType::numeric);  // no value contradicts "numeric"
  EXPECT_TRUE(log.attribute("blank").is_missing(0));
  EXPECT_EQ(log.attribute("mixed").type(), ColumnType::categorical);
  EXPECT_EQ(values(log, "mixed"), (std::vector<std::string>{"1", "2", "N/A"}));
}

TEST(Csv, ALateNonNumberTurnsTheWholeColumnCategoricalWithExactValues) {
  // 3000 numeric-looking rows (past the reader's sampling point), some quoted with doubled
  // quotes, some empty, then one word.
  std::string text = "case,activity,time,v\n";
  std::vector<std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    std::string v;
    if (i % 7 == 3) {
      text += "c" + std::to_string(i % 5) + ",a,2020-01-01,\n";
      expected.push_back("<missing>");
      continue;
    }
    v = std::to_string(i * 3) + (i % 2 ? ".5" : "");
    if (i % 11 == 0) {
      text += "c" + std::to_string(i % 5) + ",a,2020-01-01,\"" + v + "\"\n";
    } else {
      text += "c" + std::to_string(i % 5) + ",a,2020-01-01," + v + "\n";
    }
    expected.push_back(v);
  }
  text += "c0,a,2020-01-01,\"a \"\"word\"\"\"\n";
  expected.push_back("a \"word\"");
  const auto log = read(text);
  const Column& v = log.attribute("v");
  ASSERT_EQ(v.type(), ColumnType::categorical);
  // Events are grouped by case; map back through the original row order per case.
  std::vector<std::vector<std::string>> by_case(5);
  for (std::size_t i = 0; i < expected.size(); ++i) by_case[i == 3000 ? 0 : i % 5].push_back(expected[i]);
  std::vector<std::string> want;
  for (const std::string name : {"c0", "c1", "c2", "c3", "c4"})
    for (const auto& s : by_case[std::stoi(name.substr(1))]) want.push_back(s);
  EXPECT_EQ(values(log, "v"), want);
}

TEST(Csv, ALateNonNumberPassesOverSkippedRowsAndBlankLines) {
  auto o = short_names();
  o.on_bad_row = OnBadRow::skip;
  const auto log = read(
      "case,activity,time,v\r\n"
      "c,a,2020-01-01,1\r\n"
      "\r\n"
      "c,,2020-01-02,99\r\n"           // skipped: empty activity
      "c,b,2020-01-03,99,extra\r\n"    // skipped: ragged
      "\n"
      "c,\"c\r\nc\",2020-01-04,\r\n"   // missing value
      "c,d,2020-01-05,3\r\n"
      "c,e,2020-01-06,x\r\n",
      o);
  EXPECT_EQ(log.skipped_rows().size(), 2u);
  EXPECT_EQ(log.attribute("v").type(), ColumnType::categorical);
  EXPECT_EQ(values(log, "v"), (std::vector<std::string>{"1", "<missing>", "3", "x"}));
}

TEST(Csv, ValuesAreKeptExactly) {
  const auto log = read(
      "case,activity,time,who\n Case 1 ,Register ,2020-01-01 ,\" Pete \"\nCASE 1,register,2020-01-02,pete\n");
  EXPECT_EQ(log.case_names().name(0), " Case 1 ");
  EXPECT_EQ(log.n_cases(), 2u);  // case-sensitive
  EXPECT_EQ(log.activity_names().size(), 2u);
  EXPECT_EQ(log.activity_names().name(0), "Register ");
  EXPECT_EQ(values(log, "who")[0], " Pete ");
}

TEST(Csv, ForcedTypesOverrideInference) {
  auto o = short_names();
  o.categorical_columns = {"zip"};
  o.text_columns = {"comment"};
  o.numeric_columns = {"amount"};
  o.timestamp_columns = {"due"};
  const auto log = read(
      "case,activity,time,zip,comment,amount,due\n"
      "c,a,2020-01-01,01234,\"hello, \"\"world\"\"\",12,2020-03-01T00:00:00+01:00\n"
      "c,b,2020-01-02,01234,,3.25,\n",
      o);
  EXPECT_EQ(log.attribute("zip").type(), ColumnType::categorical);
  EXPECT_EQ(values(log, "zip"), (std::vector<std::string>{"01234", "01234"}));
  EXPECT_EQ(log.attribute("comment").type(), ColumnType::text);
  EXPECT_EQ(log.attribute("comment").text(0), "hello, \"world\"");
  EXPECT_TRUE(log.attribute("comment").is_missing(1));
  EXPECT_EQ(log.attribute("amount").numbers()[1], 3.25);
  EXPECT_EQ(log.attribute("due").type(), ColumnType::timestamp);
  EXPECT_EQ(log.attribute("due").times()[0], iso("2020-02-29T23:00:00Z"));
  EXPECT_TRUE(log.attribute("due").is_missing(1));

  auto both = short_names();
  both.numeric_columns = {"zip"};
  both.text_columns = {"zip"};
  EXPECT_THROW(read("case,activity,time,zip\n", both), InputError);
  auto main = short_names();
  main.numeric_columns = {"time"};
  EXPECT_THROW(read("case,activity,time\n", main), InputError);
}

TEST(Csv, KeepOtherColumnsFalseKeepsOnlyListedOnes) {
  auto o = short_names();
  o.keep_other_columns = false;
  o.numeric_columns = {"cost"};
  const auto log = read("case,activity,time,cost,who\nc,a,2020-01-01,3,Pete\n", o);
  ASSERT_EQ(log.attributes().size(), 1u);
  EXPECT_EQ(log.attributes()[0].name(), "cost");
}

// ---------------------------------------------------------------- round trip property

namespace {
std::string quote_if_needed(const std::string& v, bool force, char delim) {
  const bool special = v.find_first_of(std::string("\"\r\n") + delim) != std::string::npos;
  if (!special && !force && !(v.size() > 0 && v[0] == '"')) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

TEST(Csv, RandomTablesRoundTripThroughAnRfc4180Writer) {
  // A writer that follows RFC 4180 (quote when needed, double the quotes) and a reader must
  // agree on every value, whatever the delimiter, line ending and quoting choices.
  std::mt19937 rng(12345);
  const std::vector<std::string> alphabet = {"a", "b",  " ", ",", ";",          "|", "\t",
                                             "\"", "\r", "\n", "x", "\xC3\xA9", "1"};
  for (int trial = 0; trial < 200; ++trial) {
    const char delim = ",;|\t"[trial % 4];
    const int rows = 1 + static_cast<int>(rng() % 20);
    std::vector<std::string> cases, notes;
    std::string text = quote_if_needed("case", rng() % 2, delim) + delim + "activity" + delim + "time" + delim + "note";
    for (int r = 0; r < rows; ++r) {
      std::string note;
      for (int k = static_cast<int>(rng() % 6); k > 0; --k) note += alphabet[rng() % alphabet.size()];
      const std::string c = "case" + std::to_string(rng() % 4);
      cases.push_back(c);
      notes.push_back(note);
      text += (rng() % 3 == 0) ? "\r\n" : "\n";
      text += quote_if_needed(c, rng() % 2, delim) + delim + "go" + delim + "2020-01-0" + std::to_string(1 + r % 9) +
              delim + quote_if_needed(note, rng() % 2 == 0, delim);
      if (rng() % 4 == 0) text += "\n";  // a blank line now and then
    }
    if (rng() % 2) text += "\n";
    auto o = short_names();
    o.text_columns = {"note"};
    const auto log = read(text, o);
    ASSERT_EQ(log.size(), static_cast<std::size_t>(rows)) << text;
    // Rebuild the expected order: cases by first appearance, stable by time within a case.
    std::vector<std::size_t> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::string> first;
    for (const auto& c : cases)
      if (std::find(first.begin(), first.end(), c) == first.end()) first.push_back(c);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto ca = std::find(first.begin(), first.end(), cases[a]) - first.begin();
      const auto cb = std::find(first.begin(), first.end(), cases[b]) - first.begin();
      if (ca != cb) return ca < cb;
      return a % 9 < b % 9;
    });
    const Column& note = log.attribute("note");
    for (std::size_t i = 0; i < order.size(); ++i) {
      EXPECT_EQ(log.case_names().name(log.case_ids()[i]), cases[order[i]]) << text;
      const std::string want = notes[order[i]];
      if (want.empty()) {
        EXPECT_TRUE(note.is_missing(i)) << text;
      } else {
        EXPECT_EQ(note.text(i), want) << text;
      }
    }
  }
}

// The reader parses timestamps and numbers with fast paths of its own; whatever the text,
// it must accept exactly what parse_iso8601 / std::from_chars (finite) accept, with the same
// result. One case per row keeps the log in row order.
TEST(Csv, TimestampsAgreeWithParseIso8601) {
  std::mt19937 rng(777);
  const auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(options.begin()[rng() % options.size()]);
  };
  const auto num = [&](int lo, int hi) {
    const int v = lo + static_cast<int>(rng() % static_cast<unsigned>(hi - lo + 1));
    return (v < 10 ? "0" : "") + std::to_string(v);
  };
  std::vector<std::string> stamps;
  for (int i = 0; i < 4000; ++i) {
    std::string s = pick({"2021", "1970", "0001", "9999", "2020", "0000", "20x1"}) + pick({"-", "-", "-", "/"}) +
                    num(0, 13) + "-" + num(0, 32);
    if (rng() % 8 != 0) {
      s += pick({"T", "T", " ", "t", "_"}) + num(0, 24) + ":" + num(0, 60);
      if (rng() % 6 != 0) s += ":" + num(0, 60);
      if (rng() % 2) {
        s += pick({".", ".", ","});
        for (int k = static_cast<int>(rng() % 10); k > 0; --k) s += static_cast<char>('0' + rng() % 10);
      }
      s += pick({"", "", "Z", "+01:00", "-05:30", "+0100", "+01", " +02:00", "+24:00", "+01:60", "z", "+1:00"});
    }
    if (rng() % 20 == 0) s = " " + s;
    if (rng() % 20 == 0) s += " ";
    if (rng() % 20 == 0) s = s.substr(0, rng() % (s.size() + 1));
    if (s.empty()) s = "x";
    stamps.push_back(s);
  }
  std::string text = "case,activity,time\n";
  for (std::size_t i = 0; i < stamps.size(); ++i) text += "c" + std::to_string(i) + ",a,\"" + stamps[i] + "\"\n";
  auto o = short_names();
  o.on_bad_row = OnBadRow::skip;
  const auto log = read(text, o);
  std::size_t row = 0, accepted = 0;
  for (const auto& s : stamps) {
    Timestamp want{};
    if (!parse_iso8601(s, want)) continue;
    ++accepted;
    ASSERT_LT(row, log.size()) << s;
    EXPECT_EQ(log.case_names().name(log.case_ids()[row]), "c" + std::to_string(&s - stamps.data())) << s;
    EXPECT_EQ(log.timestamps()[row], to_micros(want)) << s;
    ++row;
  }
  EXPECT_EQ(log.size(), accepted);
  EXPECT_EQ(log.skipped_rows().size(), stamps.size() - accepted);
  EXPECT_GT(accepted, 500u);  // the generator must exercise both outcomes
  EXPECT_GT(stamps.size() - accepted, 1000u);
}

TEST(Csv, NumbersAgreeWithFromChars) {
  std::mt19937 rng(4242);
  std::vector<std::string> numbers;
  for (int i = 0; i < 4000; ++i) {
    std::string s;
    switch (rng() % 10) {
      case 0: s = std::string(1, "+-.eE "[rng() % 6]); break;
      case 1: s = std::to_string(rng()) + std::to_string(rng()); break;  // many digits
      default: break;
    }
    if (rng() % 4 == 0) s += '-';
    for (int k = static_cast<int>(rng() % 18); k > 0; --k) s += static_cast<char>('0' + rng() % 10);
    if (rng() % 2) {
      s += '.';
      for (int k = static_cast<int>(rng() % 12); k > 0; --k) s += static_cast<char>('0' + rng() % 10);
    }
    if (rng() % 10 == 0) s += "e" + std::to_string(static_cast<int>(rng() % 700) - 350);
    if (rng() % 50 == 0) s = (rng() % 2) ? "inf" : "nan";
    if (s.empty()) s = "0";
    numbers.push_back(s);
  }
  std::string text = "case,activity,time,v\n";
  for (std::size_t i = 0; i < numbers.size(); ++i)
    text += "c" + std::to_string(i) + ",a,2020-01-01,\"" + numbers[i] + "\"\n";
  auto o = short_names();
  o.on_bad_row = OnBadRow::skip;
  o.numeric_columns = {"v"};
  const auto log = read(text, o);
  const auto got = log.attribute("v").numbers();
  std::size_t row = 0, accepted = 0;
  for (const auto& s : numbers) {
    double want = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), want);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(want)) continue;
    ++accepted;
    ASSERT_LT(row, got.size()) << s;
    EXPECT_EQ(std::memcmp(&got[row], &want, sizeof want), 0) << s << ": " << got[row] << " vs " << want;
    ++row;
  }
  EXPECT_EQ(log.size(), accepted);
  EXPECT_GT(accepted, 1000u);
  EXPECT_GT(numbers.size() - accepted, 100u);
}

// ---------------------------------------------------------------- real logs

namespace {
bool have(const std::string& path) { return std::filesystem::exists(path); }
}  // namespace

TEST(CsvRealData, RunningExample) {
  const std::string path = kData + "/journeys/running-example.csv";
  if (!have(path)) GTEST_SKIP() << "shared data not found: " << path;
  const auto log = read_csv(path);
  EXPECT_EQ(log.size(), 42u);
  EXPECT_EQ(log.n_cases(), 6u);
  EXPECT_EQ(log.activity_names().size(), 8u);
  EXPECT_EQ(log.attribute("Costs").type(), ColumnType::numeric);
  EXPECT_EQ(log.attribute("org:resource").type(), ColumnType::categorical);
  EXPECT_EQ(log.attribute("Unnamed: 0").type(), ColumnType::numeric);
  // Its first line: 0,register request,Pete,2010-12-30 14:32:00+01:00,...,50,3,...
  EXPECT_EQ(log.case_names().name(0), "3");
  EXPECT_EQ(log.activity_names().name(log.activity_ids()[0]), "register request");
  EXPECT_EQ(log.timestamps()[0], iso("2010-12-30T13:32:00Z"));
  EXPECT_EQ(log.attribute("Costs").numbers()[0], 50.0);
  for (std::size_t c = 0; c < log.n_cases(); ++c)
    for (std::size_t i = log.case_begin(c) + 1; i < log.case_end(c); ++i)
      EXPECT_LE(log.timestamps()[i - 1], log.timestamps()[i]);
}

TEST(CsvRealData, Receipt) {
  const std::string path = kData + "/journeys/receipt.csv";
  if (!have(path)) GTEST_SKIP() << "shared data not found: " << path;
  const auto log = read_csv(path);
  EXPECT_EQ(log.size(), 8577u);
  EXPECT_EQ(log.n_cases(), 1434u);
  EXPECT_EQ(log.activity_names().size(), 27u);
  EXPECT_TRUE(log.skipped_rows().empty());
}

TEST(CsvRealData, SepsisWithAFormat) {
  const std::string path = kData + "/journeys/sepsis.csv";
  if (!have(path)) GTEST_SKIP() << "shared data not found: " << path;
  CsvOptions o;
  o.case_column = "Case ID";
  o.activity_column = "Activity";
  o.timestamp_column = "Complete Timestamp";
  o.timestamp_format = "%Y/%m/%d %H:%M:%S.%f";
  const auto log = read_csv(path, o);
  EXPECT_EQ(log.size(), 15214u);
  EXPECT_EQ(log.n_cases(), 1050u);
  // Its first data line: A;ER Registration;2014/10/22 11:15:41.000;...
  EXPECT_EQ(log.case_names().name(0), "A");
  EXPECT_EQ(log.timestamps()[0], iso("2014-10-22T11:15:41Z"));
}
