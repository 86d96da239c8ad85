// ThemeCounts (theme_counts.hpp).
#include <cxkit/feedback/theme_counts.hpp>

#include <cxkit/core/error.hpp>

#include <algorithm>
#include <cmath>

namespace cxkit::feedback {
namespace {

using Customers = std::vector<std::pair<std::uint64_t, double>>;

// Sorted merge keeping the larger weight per customer (the cell's semantics).
void merge_customers(Customers& into, const Customers& from) {
  Customers out;
  out.reserve(into.size() + from.size());
  std::size_t i = 0, j = 0;
  while (i < into.size() || j < from.size()) {
    if (j == from.size() || (i < into.size() && into[i].first < from[j].first)) out.push_back(into[i++]);
    else if (i == into.size() || from[j].first < into[i].first) out.push_back(from[j++]);
    else {
      out.emplace_back(into[i].first, std::max(into[i].second, from[j].second));
      ++i, ++j;
    }
  }
  into.swap(out);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

double ThemeCounts::Cell::weight() const noexcept {
  double w = 0.0;
  for (const auto& c : customers) w += c.second;
  return w;
}

ThemeCounts::ThemeCounts(Duration width, Timestamp origin) : width_(width), origin_(origin) {
  if (width_.count() <= 0) throw InputError("ThemeCounts bucket width must be positive");
}

std::int64_t ThemeCounts::bucket_of(Timestamp t) const noexcept {
  return floor_div((t - origin_).count(), width_.count());
}

Timestamp ThemeCounts::bucket_start(std::int64_t bucket) const noexcept { return origin_ + width_ * bucket; }

void ThemeCounts::add(std::int64_t theme, Timestamp time, std::uint64_t customer, double weight) {
  if (theme < 0) return;
  if (std::isnan(weight) || weight < 0.0) throw InputError("ThemeCounts weight must be a non-negative number");
  Cell& cell = cells_[{theme, bucket_of(time)}];
  ++cell.items;
  auto it = std::lower_bound(cell.customers.begin(), cell.customers.end(), customer,
                             [](const auto& p, std::uint64_t k) { return p.first < k; });
  if (it != cell.customers.end() && it->first == customer) it->second = std::max(it->second, weight);
  else cell.customers.insert(it, {customer, weight});
}

void ThemeCounts::merge(const ThemeCounts& other) {
  if (other.width_ != width_ || other.origin_ != origin_)
    throw InputError("ThemeCounts.merge needs the same bucket width and origin");
  for (const auto& [key, cell] : other.cells_) {
    Cell& mine = cells_[key];
    mine.items += cell.items;
    merge_customers(mine.customers, cell.customers);
  }
}

std::vector<ThemeCounts::Row> ThemeCounts::cells() const {
  std::vector<Row> out;
  out.reserve(cells_.size());
  for (const auto& [key, cell] : cells_)
    out.push_back({key.first, key.second, cell.items, cell.customers.size(), cell.weight()});
  return out;
}

ThemeCounts::Row ThemeCounts::total(std::int64_t theme, std::int64_t first, std::int64_t last) const {
  Row row{theme, first, 0, 0, 0.0};
  Customers all;
  for (auto it = cells_.lower_bound({theme, first}); it != cells_.end() && it->first.first == theme &&
                                                     it->first.second <= last; ++it) {
    row.items += it->second.items;
    merge_customers(all, it->second.customers);
  }
  row.customers = all.size();
  for (const auto& c : all) row.weight += c.second;
  return row;
}

std::vector<std::uint64_t> ThemeCounts::customers(std::int64_t theme, std::int64_t first, std::int64_t last) const {
  Customers all;
  for (auto it = cells_.lower_bound({theme, first}); it != cells_.end() && it->first.first == theme &&
                                                     it->first.second <= last; ++it)
    merge_customers(all, it->second.customers);
  std::vector<std::uint64_t> keys;
  keys.reserve(all.size());
  for (const auto& c : all) keys.push_back(c.first);
  return keys;
}

bool ThemeCounts::operator==(const ThemeCounts& other) const {
  if (width_ != other.width_ || origin_ != other.origin_ || cells_.size() != other.cells_.size()) return false;
  auto a = cells_.begin();
  for (auto b = other.cells_.begin(); b != other.cells_.end(); ++a, ++b)
    if (a->first != b->first || a->second.items != b->second.items || a->second.customers != b->second.customers)
      return false;
  return true;
}

}  // namespace cxkit::feedback
