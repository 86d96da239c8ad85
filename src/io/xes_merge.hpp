// Joins the XesPartials of consecutive parts of one XES document into its EventLog.
//
// Parts are appended in document order. Case and activity names are interned as their
// first kept event is appended, attribute columns as their name is first seen, so every
// dictionary comes out in the same first-appearance order one parser would have given it;
// attribute values keep their order too, so each column's type is decided on all of them
// (see XesAttributeBuffer::to_column). Skipped rows get their final lines and messages here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/event_log.hpp"
#include "xes_partial.hpp"

namespace cxkit::io::detail {

class XesMerger {
 public:
  explicit XesMerger(std::string source);

  /// Appends the next part. `line_offset` turns the part's line numbers into the
  /// document's. Returns false, appending nothing, when the log would exceed 4,294,967,294
  /// events (one parser reports that with the line where it happens). O(events + values of
  /// the part + its distinct names).
  bool append(XesPartial&& part, std::int64_t line_offset);

  /// The log of every part appended. O(events x columns), plus the sort EventLogBuilder does.
  EventLog finish();

 private:
  std::string source_;
  EventLogBuilder builder_;
  Dictionary columns_;
  std::vector<XesAttributeBuffer> attributes_;  // one per name in columns_
};

}  // namespace cxkit::io::detail
