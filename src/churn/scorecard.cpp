// Health scorecard validation and scoring (the JSON side is scorecard_json.cpp).
#include "cxkit/churn/scorecard.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "cxkit/core/error.hpp"
#include "validate.hpp"

namespace cxkit::churn {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void bad(const std::string& field, const std::string& reason, const std::string& value = {}) {
  throw InputError(reason, {"Scorecard", -1, field, value});
}

std::string num(double v) { return detail::format_value(v); }

void check_weight(double w, const std::string& field) {
  if (!(std::isfinite(w) && w > 0.0)) bad(field, "weight must be finite and > 0", num(w));
}

void check_scheme(const ScoringScheme& s, const std::string& at) {
  if (s.kind == ScoringScheme::Kind::linear) {
    if (!std::isfinite(s.lower)) bad(at + ".lower", "must be a finite number", num(s.lower));
    if (!std::isfinite(s.upper)) bad(at + ".upper", "must be a finite number", num(s.upper));
    if (!(s.lower < s.upper)) bad(at + ".upper", "must be greater than lower (" + num(s.lower) + ")", num(s.upper));
    return;
  }
  if (s.steps.empty()) bad(at + ".steps", "a thresholds scheme needs at least one step");
  for (std::size_t k = 0; k < s.steps.size(); ++k) {
    const std::string step = at + ".steps[" + std::to_string(k) + "]";
    if (!std::isfinite(s.steps[k].bound)) bad(step + ".bound", "must be a finite number", num(s.steps[k].bound));
    if (k > 0 && !(s.steps[k].bound > s.steps[k - 1].bound)) {
      bad(step + ".bound", "bounds must be strictly increasing (previous " + num(s.steps[k - 1].bound) + ")",
          num(s.steps[k].bound));
    }
    if (!(s.steps[k].points >= 0.0 && s.steps[k].points <= 100.0)) {
      bad(step + ".points", "points must be in [0, 100]", num(s.steps[k].points));
    }
  }
  if (!(s.otherwise >= 0.0 && s.otherwise <= 100.0)) bad(at + ".otherwise", "points must be in [0, 100]", num(s.otherwise));
}

}  // namespace

double ScoringScheme::points(double v) const noexcept {
  if (kind == Kind::linear) {
    const double t = direction == Direction::higher_is_better ? (v - lower) / (upper - lower) : (upper - v) / (upper - lower);
    return 100.0 * std::clamp(t, 0.0, 1.0);
  }
  const auto by_bound = [](const Threshold& s, double x) { return s.bound < x; };
  if (direction == Direction::higher_is_better) {
    // Last step with bound <= v = the step before the first with bound > v.
    const auto it = std::upper_bound(steps.begin(), steps.end(), v,
                                     [](double x, const Threshold& s) { return x < s.bound; });
    return it == steps.begin() ? otherwise : std::prev(it)->points;
  }
  // First step with v <= bound.
  const auto it = std::lower_bound(steps.begin(), steps.end(), v, by_bound);
  return it == steps.end() ? otherwise : it->points;
}

std::vector<Band> Scorecard::default_bands() { return {{"red", 0, 50}, {"yellow", 51, 75}, {"green", 76, 100}}; }

Scorecard::Scorecard(std::vector<MeasureGroup> groups, std::vector<Band> bands, double min_coverage, std::string name)
    : name_(std::move(name)), groups_(std::move(groups)), bands_(std::move(bands)), min_coverage_(min_coverage) {
  validate();
  index();
}

void Scorecard::validate() const {
  if (!(min_coverage_ >= 0.0 && min_coverage_ <= 1.0)) bad("min_coverage", "must be in [0, 1]", num(min_coverage_));
  if (groups_.empty()) bad("groups", "a scorecard needs at least one group of measures");
  std::set<std::string> group_names, measure_names;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const MeasureGroup& grp = groups_[g];
    const std::string at = "groups[" + std::to_string(g) + "]";
    if (grp.name.empty()) bad(at + ".name", "must not be empty");
    if (!group_names.insert(grp.name).second) bad(at + ".name", "duplicate group name", grp.name);
    check_weight(grp.weight, at + ".weight");
    if (grp.measures.empty()) bad(at + ".measures", "a group needs at least one measure");
    for (std::size_t k = 0; k < grp.measures.size(); ++k) {
      const Measure& m = grp.measures[k];
      const std::string mat = at + ".measures[" + std::to_string(k) + "]";
      if (m.name.empty()) bad(mat + ".name", "must not be empty");
      if (!measure_names.insert(m.name).second) bad(mat + ".name", "duplicate measure name", m.name);
      check_weight(m.weight, mat + ".weight");
      check_scheme(m.scheme, mat + ".scheme");
    }
  }
  if (bands_.empty()) bad("bands", "at least one band is needed, covering 0-100");
  std::set<std::string> band_names;
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    const Band& band = bands_[b];
    const std::string at = "bands[" + std::to_string(b) + "]";
    if (band.name.empty()) bad(at + ".name", "must not be empty");
    if (!band_names.insert(band.name).second) bad(at + ".name", "duplicate band name", band.name);
    const int expected_min = b == 0 ? 0 : bands_[b - 1].max + 1;
    if (band.min != expected_min) {
      bad(at + ".min",
          b == 0 ? "the first band must start at 0"
                 : "bands must be in increasing order without gap or overlap: expected " + std::to_string(expected_min),
          std::to_string(band.min));
    }
    if (band.max < band.min) bad(at + ".max", "must be >= min (" + std::to_string(band.min) + ")", std::to_string(band.max));
    if (band.max > 100) bad(at + ".max", "bands end at 100", std::to_string(band.max));
  }
  if (bands_.back().max != 100) {
    bad("bands[" + std::to_string(bands_.size() - 1) + "].max", "the last band must end at 100",
        std::to_string(bands_.back().max));
  }
}

void Scorecard::index() {
  double group_total = 0;
  for (const auto& g : groups_) group_total += g.weight;
  std::vector<double> w;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    double measure_total = 0;
    for (const auto& m : groups_[g].measures) measure_total += m.weight;
    for (std::size_t k = 0; k < groups_[g].measures.size(); ++k) {
      measure_group_.push_back(g);
      measure_pos_.push_back(k);
      w.push_back(100.0 * groups_[g].weight / group_total * groups_[g].measures[k].weight / measure_total);
    }
  }
  full_weight_ = Eigen::Map<const Vector>(w.data(), static_cast<Eigen::Index>(w.size()));
  band_by_point_.assign(101, -1);
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    for (int s = bands_[b].min; s <= bands_[b].max; ++s) band_by_point_[static_cast<std::size_t>(s)] = static_cast<int>(b);
  }
}

int Scorecard::band_of(double score) const noexcept {
  if (!std::isfinite(score)) return -1;
  const double r = std::clamp(std::round(score), 0.0, 100.0);
  return band_by_point_[static_cast<std::size_t>(r)];
}

ScoreResult Scorecard::score(const MatrixRef& values) const {
  return score(values, Vector::Constant(values.rows(), kNaN));
}

ScoreResult Scorecard::score(const MatrixRef& values, const VectorRef& previous) const {
  const Eigen::Index n = values.rows();
  const auto M = static_cast<Eigen::Index>(measure_count());
  if (values.cols() != M) {
    throw InputError("Scorecard.score: values have " + std::to_string(values.cols()) + " columns, the scorecard has " +
                     std::to_string(M) + " measures");
  }
  detail::check_same_length(n, previous.size(), "values rows", "previous");
  for (Eigen::Index m = 0; m < M; ++m) {
    for (Eigen::Index i = 0; i < n; ++i) {
      if (std::isinf(values(i, m))) {
        throw InputError("infinite value (use NaN for a missing measure)",
                         {"values", i, measure(static_cast<std::size_t>(m)).name, num(values(i, m)), "row"});
      }
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (std::isinf(previous[i])) throw InputError("infinite previous score", {"previous", i, "", num(previous[i]), "row"});
  }

  ScoreResult r;
  r.score.setConstant(n, kNaN);
  r.band.assign(static_cast<std::size_t>(n), -1);
  r.points.setConstant(n, M, kNaN);
  r.weight.setZero(n, M);
  r.contribution.setConstant(n, M, kNaN);
  r.coverage.setZero(n);
  r.change.setConstant(n, kNaN);
  const std::size_t G = groups_.size();
  std::vector<double> present_weight(G);  // per row: sum of present measure weights per group
  for (Eigen::Index i = 0; i < n; ++i) {
    std::fill(present_weight.begin(), present_weight.end(), 0.0);
    double coverage = 0;
    for (Eigen::Index m = 0; m < M; ++m) {
      const double v = values(i, m);
      if (std::isnan(v)) continue;
      const auto mu = static_cast<std::size_t>(m);
      r.points(i, m) = measure(mu).scheme.points(v);
      present_weight[measure_group_[mu]] += measure(mu).weight;
      coverage += full_weight_[m];
    }
    coverage /= 100.0;
    r.coverage[i] = std::min(coverage, 1.0);
    double group_total = 0;
    for (std::size_t g = 0; g < G; ++g)
      if (present_weight[g] > 0) group_total += groups_[g].weight;
    if (group_total == 0) continue;  // nothing present
    for (Eigen::Index m = 0; m < M; ++m) {
      if (std::isnan(r.points(i, m))) continue;
      const auto mu = static_cast<std::size_t>(m);
      const std::size_t g = measure_group_[mu];
      r.weight(i, m) = 100.0 * groups_[g].weight / group_total * measure(mu).weight / present_weight[g];
    }
    // Coverage is compared with a little slack so that, e.g., 0.3 + 0.2 counts as 0.5.
    if (coverage + 1e-12 < min_coverage_) continue;
    double s = 0;
    for (Eigen::Index m = 0; m < M; ++m) {
      if (std::isnan(r.points(i, m))) continue;
      r.contribution(i, m) = r.points(i, m) * r.weight(i, m) / 100.0;
      s += r.contribution(i, m);
    }
    r.score[i] = std::clamp(s, 0.0, 100.0);  // rounding may leave 100 + 1e-14
    r.band[static_cast<std::size_t>(i)] = band_of(r.score[i]);
    if (!std::isnan(previous[i])) r.change[i] = r.score[i] - previous[i];
  }
  return r;
}

}  // namespace cxkit::churn
