// Compliance cells: counts by status and exact elapsed-time percentiles (rules in compliance.hpp).
#include "cxkit/moments/compliance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cxkit::moments {

namespace {

// Linear interpolation between order statistics of sorted, non-empty x.
std::int64_t percentile(const std::vector<std::int64_t>& x, double q) {
  const double h = q * static_cast<double>(x.size() - 1);
  const auto f = static_cast<std::size_t>(std::floor(h));
  if (f + 1 >= x.size()) return x.back();
  const double v = static_cast<double>(x[f]) + (h - static_cast<double>(f)) * static_cast<double>(x[f + 1] - x[f]);
  return static_cast<std::int64_t>(std::llround(v));
}

}  // namespace

std::int32_t period_of(Timestamp t) noexcept {
  const date::year_month_day ymd{date::floor<date::days>(t)};
  return static_cast<std::int32_t>(int(ymd.year()) * 12 + static_cast<int>(unsigned(ymd.month())) - 1);
}

std::string period_label(std::int32_t period) {
  if (period == kAllPeriods) return {};
  // Timestamps lie in the years 0001-9999, so periods are positive.
  const std::int32_t y = period / 12, m = period % 12 + 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(y), static_cast<int>(m));
  return buf;
}

void ComplianceCell::add(Status status, Duration elapsed) {
  ++count;
  switch (status) {
    case Status::met: ++met; elapsed_us.push_back(elapsed.count()); break;
    case Status::breached: ++breached; elapsed_us.push_back(elapsed.count()); break;
    case Status::pending: ++pending; break;
    case Status::overdue: ++overdue; break;
    case Status::cancelled: ++cancelled; break;
  }
}

void ComplianceCell::merge(const ComplianceCell& o) {
  count += o.count;
  met += o.met;
  breached += o.breached;
  pending += o.pending;
  overdue += o.overdue;
  cancelled += o.cancelled;
  elapsed_us.insert(elapsed_us.end(), o.elapsed_us.begin(), o.elapsed_us.end());
}

void Compliance::add(std::span<const Occurrence> occurrences, std::span<const std::string> case_groups) {
  static const std::string kNone;
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    const Occurrence& o = occurrences[i];
    if (!case_groups.empty() && o.case_id >= case_groups.size())
      throw InputError("case id has no group label (case_groups holds " + std::to_string(case_groups.size()) + ")",
                       {"occurrences", static_cast<std::int64_t>(i), "case_id", std::to_string(o.case_id), "row"});
    const std::string& g = case_groups.empty() ? kNone : case_groups[o.case_id];
    const std::int32_t p = by_period_ ? period_of(o.started) : kAllPeriods;
    cells_[{o.moment, g, p}].add(o);
  }
}

void Compliance::add(std::uint32_t moment, const std::string& group, std::int32_t period, Status status,
                     Duration elapsed) {
  cells_[{moment, group, by_period_ ? period : kAllPeriods}].add(status, elapsed);
}

void Compliance::merge(const Compliance& other) {
  if (other.by_period_ != by_period_)
    throw InputError("cannot merge compliance split by period with compliance that is not");
  for (const auto& [k, cell] : other.cells_) cells_[k].merge(cell);
}

void Compliance::merge(const Compliance& other, std::span<const std::uint32_t> moment_map) {
  if (other.by_period_ != by_period_)
    throw InputError("cannot merge compliance split by period with compliance that is not");
  for (const auto& [k, cell] : other.cells_)
    if (std::get<0>(k) >= moment_map.size())
      throw InputError("moment " + std::to_string(std::get<0>(k)) + " has no entry in the moment map (" +
                       std::to_string(moment_map.size()) + " entries)");
  for (const auto& [k, cell] : other.cells_)
    cells_[{moment_map[std::get<0>(k)], std::get<1>(k), std::get<2>(k)}].merge(cell);
}

std::vector<ComplianceRow> Compliance::rows() const {
  std::vector<ComplianceRow> out;
  out.reserve(cells_.size());
  for (const auto& [k, cell] : cells_) {
    ComplianceRow r;
    r.moment = std::get<0>(k);
    r.group = std::get<1>(k);
    r.period = std::get<2>(k);
    r.count = cell.count;
    r.met = cell.met;
    r.breached = cell.breached;
    r.pending = cell.pending;
    r.overdue = cell.overdue;
    r.cancelled = cell.cancelled;
    const std::uint64_t decided = cell.met + cell.breached + cell.overdue;
    r.met_rate = decided == 0 ? std::nan("") : static_cast<double>(cell.met) / static_cast<double>(decided);
    if (cell.elapsed_us.empty()) {
      r.median_elapsed = r.p90_elapsed = Duration::min();
    } else {
      std::vector<std::int64_t> v = cell.elapsed_us;
      std::sort(v.begin(), v.end());
      r.median_elapsed = Duration{percentile(v, 0.5)};
      r.p90_elapsed = Duration{percentile(v, 0.9)};
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ComplianceRow> compliance(std::span<const Occurrence> occurrences, std::span<const std::string> case_groups,
                                      bool by_period) {
  Compliance c(by_period);
  c.add(occurrences, case_groups);
  return c.rows();
}

}  // namespace cxkit::moments
