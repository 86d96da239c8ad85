#include "xes_merge.hpp"

#include <utility>

#include "cxkit/core/error.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit::io::detail {

XesMerger::XesMerger(std::string source) : source_(source), builder_(std::move(source)) {}

bool XesMerger::append(XesPartial&& part, std::int64_t line_offset) {
  const std::size_t first = builder_.size(), n = part.time.size();
  if (first + n > kNoId - 1) return false;
  if (first == 0) builder_.reserve(n);  // later parts grow the columns geometrically

  // Ids interned on first use by a kept event: first-appearance order across parts.
  std::vector<std::uint32_t> case_ids(part.cases.size(), kNoId), activity_ids(part.activities.size(), kNoId);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t& c = case_ids[part.case_id[i]];
    if (c == kNoId) c = builder_.intern_case(part.cases.name(part.case_id[i]));
    std::uint32_t& a = activity_ids[part.activity[i]];
    if (a == kNoId) a = builder_.intern_activity(part.activities.name(part.activity[i]));
    builder_.add_event_ids(c, a, from_micros(part.time[i]));
  }

  // A trace's problem is shared by all its events: format each message once.
  std::vector<std::string> reasons(part.problems.size());
  for (const XesSkip& s : part.skipped) {
    std::string& reason = reasons[s.problem];
    if (reason.empty()) {
      const XesProblem& p = part.problems[s.problem];
      reason = InputError(p.what, {source_, p.line + line_offset, p.key, p.value}).what();
    }
    builder_.add_skipped({s.line + line_offset, reason});
  }

  for (std::uint32_t a = 0; a < part.columns.size(); ++a) {
    const std::uint32_t g = columns_.intern(part.columns.name(a));
    if (g == attributes_.size()) attributes_.emplace_back();
    attributes_[g].append(std::move(part.attributes[a]), static_cast<std::uint32_t>(first));
  }
  part = XesPartial{};  // release it now rather than when the caller's copy dies
  return true;
}

EventLog XesMerger::finish() {
  const std::size_t n = builder_.size();
  for (std::uint32_t a = 0; a < attributes_.size(); ++a) {
    if (!attributes_[a].empty()) builder_.add_column(attributes_[a].to_column(std::string(columns_.name(a)), n));
    attributes_[a] = XesAttributeBuffer{};  // release each buffer once its column exists
  }
  return builder_.build();
}

}  // namespace cxkit::io::detail
