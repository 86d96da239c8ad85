// A designed journey: the stages a company wants customers to pass, in which order, and
// how long each should take.
//
// Stages are activities of the event log (a stage is reached when an event of that activity
// happens). Each stage is mandatory (every customer should pass it) or optional, may have a
// target time in stage (a business duration such as "3D", counted on a Calendar), and lists
// the stages allowed to follow it. The allowed order is a directed acyclic graph over the
// stages; stages nothing points to are entry stages. Conformance of a log to a design is in
// conformance.hpp (JourneyDesign::check).
//
// JSON (to_json / from_json; every field but "stages" and a stage's "name" is optional):
//   {"name": "onboarding",
//    "stages": [{"name": "signed", "mandatory": true, "target": "2D", "next": ["kickoff"]},
//               {"name": "kickoff", "next": ["training", "live"]},
//               {"name": "training", "mandatory": false, "target": "5D", "next": ["live"]},
//               {"name": "live"}],
//    "relevant_activities": ["escalation"]}
// Errors name the field: InputError with location source "JourneyDesign", column the field
// path ("stages[2].target", "stages[0].next[1]") and the value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/journey/business_duration.hpp"

namespace cxkit::journey {

struct CheckOptions;
struct ConformanceResult;

struct DesignStage {
  /// The activity that marks reaching this stage; unique within the design, not empty.
  std::string name;
  /// Mandatory stages that a customer goes past without reaching are "skipped".
  bool mandatory = true;
  /// Target time in stage (business time on the check's calendar).
  std::optional<BusinessDuration> target;
  /// Stages allowed to follow this one (names of stages of the design, each once).
  std::vector<std::string> next;
  friend bool operator==(const DesignStage&, const DesignStage&) = default;
};

class JourneyDesign {
 public:
  /// An empty design (no stages); check() on it reports nobody as entered.
  JourneyDesign() = default;

  /// Validates and builds. Throws InputError naming the field: an empty or repeated stage
  /// name ("stages[i].name"), a `next` entry that is not a stage or is listed twice
  /// ("stages[i].next[j]"), a cycle (column "stages", the message naming the stages on the
  /// cycle as "a -> b -> c -> a"), or a relevant activity that is empty, repeated or a stage
  /// ("relevant_activities[i]"). O(stages^2 + edges).
  explicit JourneyDesign(std::vector<DesignStage> stages, std::vector<std::string> relevant_activities = {},
                         std::string name = {});

  /// Reads the JSON form (schema above). Unknown fields are errors (a typo must not be
  /// silently ignored). Throws InputError naming the field and value.
  static JourneyDesign from_json(const nlohmann::json& j);
  /// Parses JSON text first (syntax errors: InputError).
  static JourneyDesign from_json_text(std::string_view text);
  /// The JSON form; from_json(to_json()) == *this. Optional fields at their defaults
  /// ("mandatory": true, no target, no next, no relevant activities, empty name) are left out.
  nlohmann::json to_json() const;

  const std::string& name() const noexcept { return name_; }
  const std::vector<DesignStage>& stages() const noexcept { return stages_; }
  /// Non-stage activities that count as unexpected when a customer does them.
  const std::vector<std::string>& relevant_activities() const noexcept { return relevant_; }
  std::size_t size() const noexcept { return stages_.size(); }

  /// Position of a stage; NotFoundError listing the stages.
  std::size_t stage_index(std::string_view name) const;
  /// Successor / predecessor stage indices.
  const std::vector<std::vector<std::uint32_t>>& next_indices() const noexcept { return next_; }
  const std::vector<std::vector<std::uint32_t>>& previous_indices() const noexcept { return prev_; }
  /// Whether stage `a` comes before stage `b` on some path of the design (a is an ancestor
  /// of b). O(1).
  bool precedes(std::size_t a, std::size_t b) const noexcept {
    return (ancestors_[b * words_ + a / 64] >> (a % 64)) & 1u;
  }
  /// Stages with no predecessor.
  std::vector<std::uint32_t> entry_stages() const;

  /// Throws NotFoundError when a stage or relevant activity is not an activity of `log`,
  /// naming every missing one and listing the log's activities. O(stages).
  void validate_against(const EventLog& log) const;

  /// Per-customer conformance and the aggregate (conformance.hpp).
  ConformanceResult check(const EventLog& log, const CheckOptions& options) const;
  ConformanceResult check(const EventLog& log) const;

  friend bool operator==(const JourneyDesign& a, const JourneyDesign& b) {
    return a.name_ == b.name_ && a.stages_ == b.stages_ && a.relevant_ == b.relevant_;
  }

  /// Internal: ancestor bit rows, `words()` 64-bit words per stage.
  std::span<const std::uint64_t> ancestor_bits(std::size_t stage) const noexcept {
    return std::span<const std::uint64_t>(ancestors_).subspan(stage * words_, words_);
  }
  std::size_t words() const noexcept { return words_; }

 private:
  std::string name_;
  std::vector<DesignStage> stages_;
  std::vector<std::string> relevant_;
  std::vector<std::vector<std::uint32_t>> next_, prev_;
  std::size_t words_ = 0;
  std::vector<std::uint64_t> ancestors_;  // stages x words_: bit a of row b = a precedes b
};

}  // namespace cxkit::journey
