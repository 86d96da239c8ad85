// NPS, CSAT and CES tallies and their intervals (formulas in nps.hpp).
#include "cxkit/moments/nps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "cxkit/churn/normal.hpp"
#include "cxkit/core/error.hpp"

namespace cxkit::moments {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string shown(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Returns the integer score, or throws naming the value (and its position when known).
int checked(double v, int lo, int hi, const char* scale, std::int64_t position = -1) {
  if (!(v >= lo && v <= hi) || v != std::floor(v))
    throw InputError("not an integer score on the " + std::string(scale) + " scale",
                     {"scores", position, "score", shown(v), "position"});
  return static_cast<int>(v);
}

double z_of(double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw InputError("confidence must lie strictly between 0 and 1", {"", -1, "confidence", shown(confidence)});
  return churn::normal_quantile(1 - (1 - confidence) / 2);
}

template <class Tally>
Tally tally_of(std::span<const double> scores, int lo, int hi, const char* scale) {
  Tally t;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    checked(scores[i], lo, hi, scale, static_cast<std::int64_t>(i));
    t.add(scores[i]);
  }
  return t;
}

}  // namespace

const char* to_string(NpsBand b) noexcept {
  switch (b) {
    case NpsBand::poor: return "poor";
    case NpsBand::good: return "good";
    case NpsBand::great: return "great";
    case NpsBand::excellent: return "excellent";
  }
  return "?";
}

NpsBand nps_band(double nps) noexcept {
  if (nps >= 70) return NpsBand::excellent;
  if (nps >= 30) return NpsBand::great;
  if (nps >= 0) return NpsBand::good;
  return NpsBand::poor;
}

void NpsTally::add(double score) {
  const int s = checked(score, 0, 10, "0-10 NPS");
  if (s >= 9) ++promoters;
  else if (s >= 7) ++passives;
  else ++detractors;
}

NpsResult summarize(const NpsTally& t, double confidence) {
  const double z = z_of(confidence);
  NpsResult r;
  r.n = t.n();
  r.promoters = t.promoters;
  r.passives = t.passives;
  r.detractors = t.detractors;
  const double n = static_cast<double>(r.n);
  r.nps = r.n == 0 ? kNaN : 100.0 * (static_cast<double>(t.promoters) - static_cast<double>(t.detractors)) / n;
  // Rocks (2016) adjusted Wald.
  const double n_adj = n + 3;
  const double p_pro = (static_cast<double>(t.promoters) + 0.75) / n_adj;
  const double p_det = (static_cast<double>(t.detractors) + 0.75) / n_adj;
  const double centre = p_pro - p_det;
  const double se = std::sqrt(std::max(0.0, p_pro + p_det - centre * centre) / n_adj);
  r.se = 100 * se;
  r.ci_low = 100 * std::max(-1.0, centre - z * se);
  r.ci_high = 100 * std::min(1.0, centre + z * se);
  r.band = nps_band(r.n == 0 ? 0 : r.nps);
  return r;
}

NpsResult nps(std::span<const double> scores, double confidence) {
  return summarize(tally_of<NpsTally>(scores, 0, 10, "0-10 NPS"), confidence);
}

void CsatTally::add(double score) {
  const int s = checked(score, 1, 5, "1-5 CSAT");
  ++n;
  if (s >= 4) ++satisfied;
}

ProportionResult summarize(const CsatTally& t, double confidence) {
  const double z = z_of(confidence);
  ProportionResult r;
  r.n = t.n;
  if (t.n == 0) {
    r.value = r.ci_low = r.ci_high = kNaN;
    return r;
  }
  const double n = static_cast<double>(t.n), p = static_cast<double>(t.satisfied) / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  r.value = 100 * p;
  r.ci_low = 100 * std::max(0.0, centre - half);
  r.ci_high = 100 * std::min(1.0, centre + half);
  return r;
}

ProportionResult csat(std::span<const double> scores, double confidence) {
  return summarize(tally_of<CsatTally>(scores, 1, 5, "1-5 CSAT"), confidence);
}

void CesTally::add(double score) {
  checked(score, 1, 7, "1-7 CES");
  ++n;
  sum += score;
  sum_squares += score * score;
}

MeanResult summarize(const CesTally& t, double confidence) {
  const double z = z_of(confidence);
  MeanResult r;
  r.n = t.n;
  r.mean = r.sd = r.ci_low = r.ci_high = kNaN;
  if (t.n == 0) return r;
  const double n = static_cast<double>(t.n);
  r.mean = t.sum / n;
  if (t.n < 2) return r;
  // n * sum_squares and sum^2 are exact integers for integer scores (below 2^53), so the
  // numerator has no cancellation error.
  const double num = std::max(0.0, n * t.sum_squares - t.sum * t.sum);
  r.sd = std::sqrt(num / (n * (n - 1)));
  const double half = z * r.sd / std::sqrt(n);
  r.ci_low = r.mean - half;
  r.ci_high = r.mean + half;
  return r;
}

MeanResult ces(std::span<const double> scores, double confidence) {
  return summarize(tally_of<CesTally>(scores, 1, 7, "1-7 CES"), confidence);
}

}  // namespace cxkit::moments
