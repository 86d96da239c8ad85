// Health scorecards in the style of Gainsight, HubSpot and ChurnZero: a transparent 0-100
// score from a few measures, each turned into points by a scoring scheme and weighted.
//
//   Scorecard card = Scorecard::from_json_text(R"({"groups": [...], "bands": [...]})");
//   ScoreResult r = card.score(values);            // values: n x card.measure_count(), NaN = missing
//   r.score[i]; card.bands()[r.band[i]].name; r.contribution(i, m);
//
// Semantics (docs/churn_scorecards.md has the full text and the JSON schema):
// - Every measure maps its input value to POINTS in [0, 100] with its scheme: a step
//   function of thresholds, or a linear scale between two bounds, in a direction.
// - Weights are relative. Measure weights are normalised to 100 within their group, group
//   weights to 100 across groups; a measure's effective weight is
//   group_weight / sum(group weights) * measure_weight / sum(weights in its group) * 100.
// - score = sum over measures of points * effective weight / 100, in [0, 100]; the
//   contribution of a measure is its term in that sum, so contributions add up to the score.
// - Missing measures (NaN input) are re-weighted away proportionally, level by level: the
//   other measures of the group share the group's weight in proportion to their own weights;
//   a group with no measure present gives its weight to the other groups in proportion to
//   theirs. Coverage = the share of the full (effective) weight that was present; below
//   min_coverage, or with nothing present, the account gets no score (NaN, band -1).
// - Bands are integer ranges [min, max] that cover 0..100 exactly, without gap or overlap
//   (e.g. 0-50 red, 51-75 yellow, 76-100 green); a score belongs to the band containing the
//   score rounded to the nearest integer (halves away from zero), the number vendors display.
// - change = score - previous score (NaN where either is missing).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cxkit/churn/arrays.hpp"

namespace cxkit::churn {

/// Which side of a bound earns the points.
enum class Direction {
  higher_is_better,  ///< thresholds: v >= bound; linear: points rise from lower to upper
  lower_is_better,   ///< thresholds: v <= bound; linear: points fall from lower to upper
};

/// One step of a threshold scheme.
struct Threshold {
  double bound = 0;
  double points = 0;  ///< in [0, 100]
  friend bool operator==(const Threshold&, const Threshold&) = default;
};

/// How a measure's value becomes points in [0, 100].
struct ScoringScheme {
  enum class Kind { thresholds, linear };
  Kind kind = Kind::linear;
  Direction direction = Direction::higher_is_better;
  /// kind == thresholds: bounds strictly increasing. higher_is_better: v gets the points of
  /// the LAST step with bound <= v; lower_is_better: of the FIRST step with v <= bound.
  /// A value no step accepts gets `otherwise`.
  std::vector<Threshold> steps;
  double otherwise = 0;
  /// kind == linear: lower < upper. higher_is_better: 100 * (v - lower) / (upper - lower),
  /// lower_is_better: 100 * (upper - v) / (upper - lower), clamped to [0, 100].
  double lower = 0, upper = 1;

  /// Points of one finite value. O(log steps).
  double points(double value) const noexcept;
  friend bool operator==(const ScoringScheme&, const ScoringScheme&) = default;
};

struct Measure {
  std::string name;     ///< unique across the scorecard
  std::string feature;  ///< input column read for it; empty = the measure's name
  double weight = 1;    ///< > 0, relative within the group
  ScoringScheme scheme;
  std::string description;  ///< free text kept for people (optional)

  const std::string& input() const noexcept { return feature.empty() ? name : feature; }
  friend bool operator==(const Measure&, const Measure&) = default;
};

struct MeasureGroup {
  std::string name;  ///< unique across groups
  double weight = 1;  ///< > 0, relative across groups
  std::vector<Measure> measures;  ///< at least one
  friend bool operator==(const MeasureGroup&, const MeasureGroup&) = default;
};

struct Band {
  std::string name;
  int min = 0, max = 100;  ///< inclusive integer bounds on the 0-100 scale
  friend bool operator==(const Band&, const Band&) = default;
};

/// Scores of n accounts. Measures are numbered in scorecard order (group by group).
struct ScoreResult {
  Vector score;              ///< n, NaN = no score (nothing present or coverage too low)
  std::vector<int> band;     ///< n, index into Scorecard::bands(); -1 without a score
  Matrix points;             ///< n x measures, NaN where the measure is missing
  Matrix weight;             ///< n x measures: effective weight after re-weighting (sums to 100), 0 if missing
  Matrix contribution;       ///< n x measures: points * weight / 100; NaN if missing or no score
  Vector coverage;           ///< n, share of the full weight present, in [0, 1]
  Vector change;             ///< n, score - previous; NaN without a previous score or a score
};

class Scorecard {
 public:
  /// Default bands: 0-50 red, 51-75 yellow, 76-100 green.
  static std::vector<Band> default_bands();

  /// Validates everything (see validate()); throws InputError naming the bad field.
  Scorecard(std::vector<MeasureGroup> groups, std::vector<Band> bands = default_bands(), double min_coverage = 0.0,
            std::string name = {});

  /// Reads the JSON schema of docs/churn_scorecards.md: {"name", "min_coverage", "bands",
  /// "groups": [{"name", "weight", "measures": [...]}]} or, for a flat scorecard, "measures"
  /// instead of "groups" (one group named "all"). Unknown fields are rejected. Throws
  /// InputError whose column is the field path, e.g. "groups[0].measures[1].scheme.upper".
  static Scorecard from_json(const nlohmann::json& j);
  static Scorecard from_json_text(std::string_view text);
  /// Always writes "groups"; from_json(to_json()) == *this.
  nlohmann::json to_json() const;

  const std::string& name() const noexcept { return name_; }
  const std::vector<MeasureGroup>& groups() const noexcept { return groups_; }
  const std::vector<Band>& bands() const noexcept { return bands_; }
  double min_coverage() const noexcept { return min_coverage_; }
  std::size_t measure_count() const noexcept { return measure_group_.size(); }
  /// Measure m in scoring order (group by group), and its group's index. Pre: m < measure_count().
  const Measure& measure(std::size_t m) const noexcept { return groups_[measure_group_[m]].measures[measure_pos_[m]]; }
  std::size_t measure_group(std::size_t m) const noexcept { return measure_group_[m]; }
  /// Effective weights with every measure present (sum 100), in measure order.
  const Vector& full_weights() const noexcept { return full_weight_; }
  /// Index of the band containing round(score); -1 for NaN. Pre: score in [0, 100].
  int band_of(double score) const noexcept;

  /// Scores each row of `values` (n x measure_count(), column m = measure m's input; NaN =
  /// missing). Throws InputError for a wrong column count or an infinite value (row and
  /// measure named). O(n * measures).
  ScoreResult score(const MatrixRef& values) const;
  /// Same, with each row's previous score (NaN = none) for `change`.
  ScoreResult score(const MatrixRef& values, const VectorRef& previous) const;

  friend bool operator==(const Scorecard& a, const Scorecard& b) {
    return a.name_ == b.name_ && a.groups_ == b.groups_ && a.bands_ == b.bands_ && a.min_coverage_ == b.min_coverage_;
  }

 private:
  void validate() const;
  void index();

  std::string name_;
  std::vector<MeasureGroup> groups_;
  std::vector<Band> bands_;
  double min_coverage_ = 0;
  std::vector<std::size_t> measure_group_, measure_pos_;  // indices, so copies stay valid
  Vector full_weight_;
  std::vector<int> band_by_point_;  // 101 entries: band index of each integer score
};

}  // namespace cxkit::churn
