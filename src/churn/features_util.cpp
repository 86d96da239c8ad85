// Small helpers of the feature layer: names, renewal dates, case spans.
#include <algorithm>
#include <cstdint>
#include <string>

#include <date/date.h>

#include "cxkit/churn/features.hpp"
#include "cxkit/core/error.hpp"

namespace cxkit::churn {

namespace {
constexpr std::int64_t kDayUs = 86'400'000'000LL;

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// signup + n months, the day clamped to the month's end, the time of day kept.
std::int64_t add_months(std::int64_t t, std::int64_t n) noexcept {
  const std::int64_t day = floor_div(t, kDayUs);
  const std::int64_t time_of_day = t - day * kDayUs;
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  date::year_month_day shifted = ymd + date::months{n};
  if (!shifted.ok()) shifted = date::year_month_day{shifted.year() / shifted.month() / date::last};
  return static_cast<std::int64_t>(date::sys_days{shifted}.time_since_epoch().count()) * kDayUs + time_of_day;
}
}  // namespace

std::size_t FeatureMatrix::column_index(std::string_view name) const {
  for (std::size_t c = 0; c < names.size(); ++c)
    if (names[c] == name) return c;
  throw NotFoundError("the feature matrix has no column '" + std::string(name) + "'");
}

std::string snake_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool gap = false;
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    // Bytes of multi-byte UTF-8 characters are kept: "Inês Costa" -> "inês_costa".
    const bool alnum = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
    if (!alnum) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out.push_back('_');
    gap = false;
    out.push_back(u >= 'A' && u <= 'Z' ? static_cast<char>(u - 'A' + 'a') : ch);
  }
  return out;
}

std::string window_name(Duration w) {
  const std::int64_t us = w.count();
  constexpr std::int64_t s = 1'000'000, m = 60 * s, h = 60 * m;
  if (us != 0 && us % kDayUs == 0) return std::to_string(us / kDayUs) + "d";
  if (us != 0 && us % h == 0) return std::to_string(us / h) + "h";
  if (us != 0 && us % m == 0) return std::to_string(us / m) + "m";
  if (us % s == 0) return std::to_string(us / s) + "s";
  return std::to_string(us) + "us";
}

Timestamp next_renewal(Timestamp signup, int term_months, Timestamp as_of) noexcept {
  const std::int64_t s = to_micros(signup), t = to_micros(as_of);
  const std::int64_t term = std::max(1, term_months);
  // First guess from whole months elapsed, then step to the first anniversary >= as_of.
  const date::year_month_day a{date::floor<date::days>(signup)}, b{date::floor<date::days>(as_of)};
  const std::int64_t months = (int(b.year()) - int(a.year())) * 12LL +
                              (static_cast<std::int64_t>(unsigned(b.month())) - unsigned(a.month()));
  std::int64_t n = std::max<std::int64_t>(1, months / term - 1);
  while (n > 1 && add_months(s, (n - 1) * term) >= t) --n;
  while (add_months(s, n * term) < t) ++n;
  return from_micros(add_months(s, n * term));
}

CaseSpans case_spans(const EventLog& log, std::string_view churn_activity) {
  CaseSpans out;
  const std::size_t n = log.n_cases();
  out.first.assign(n, kMissingTime);
  out.churned.assign(n, kMissingTime);
  const auto churn = log.activity_names().find(churn_activity);
  const auto times = log.timestamps();
  const auto acts = log.activity_ids();
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t b = log.case_begin(c), e = log.case_end(c);
    if (b == e) continue;
    out.first[c] = times[b];
    if (!churn) continue;
    for (std::size_t i = b; i < e; ++i)
      if (acts[i] == *churn) {
        out.churned[c] = times[i];
        break;
      }
  }
  return out;
}

}  // namespace cxkit::churn
