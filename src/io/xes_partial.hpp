// What one XES parser collects from its part of a document (the whole document, or one
// chunk of it when chunks are parsed in parallel), before it becomes an EventLog.
//
// Everything is in the parser's own terms: dictionaries in its order of first sight, rows
// counted from its first kept event, lines as its expat parser numbered them. XesMerger
// translates parts into the log's terms, in document order, so that any number of parts
// gives the log one parser would have built.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cxkit/core/dictionary.hpp"
#include "xes_attributes.hpp"

namespace cxkit::io::detail {

/// A reason to skip rows, kept unformatted: its line is only final once the part's place in
/// the document is known.
struct XesProblem {
  const char* what;  // a string literal
  std::int64_t line;
  std::string key, value;
};

/// A skipped event: the line of its start and the problem that sank it (its own, or its
/// trace's, shared by every event of the trace).
struct XesSkip {
  std::int64_t line;
  std::uint32_t problem;  // index into XesPartial::problems
};

struct XesPartial {
  // Kept events in input order; case and activity are ids into `cases` and `activities`,
  // which also hold names seen only in skipped traces and events.
  Dictionary cases, activities;
  std::vector<std::uint32_t> case_id, activity;
  std::vector<std::int64_t> time;  // UTC microseconds

  std::vector<XesProblem> problems;
  std::vector<XesSkip> skipped;  // in input order

  Dictionary columns;  // attribute column names, in order of first sight (skipped rows too)
  std::vector<XesAttributeBuffer> attributes;  // one per column, rows = kept events above
};

}  // namespace cxkit::io::detail
