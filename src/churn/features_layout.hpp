// Internal: a FeatureSpec resolved against one log and account table - activity ids turned
// into per-activity role flags, attribute and column pointers found, output columns numbered.
// Built once per build_features() call, read-only while the rows are computed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cxkit/churn/features.hpp"

namespace cxkit::churn::detail {

/// What an activity means to the feature pass (bit flags; several may apply).
enum Role : std::uint16_t {
  kUsage = 1 << 0,
  kFeature = 1 << 1,
  kSeatSnapshot = 1 << 2,
  kLicence = 1 << 3,
  kArrSet = 1 << 4,
  kArrDelta = 1 << 5,
  kTicketOpen = 1 << 6,
  kTicketClose = 1 << 7,
  kTicketReopen = 1 << 8,
  kNps = 1 << 9,
  kChurn = 1 << 10,
};

inline constexpr std::int32_t kNone = -1;

struct Layout {
  // ---- per activity id ----
  std::vector<std::uint16_t> roles;
  std::vector<std::int32_t> count_index;  ///< index into count_activities, or kNone

  // ---- event attributes (nullptr when the log lacks them) ----
  const std::uint32_t* feature_code = nullptr;
  std::vector<std::uint8_t> premium_by_code;
  std::size_t n_feature_codes = 0;
  const double* snapshot_value = nullptr;
  const std::uint32_t* user_code = nullptr;
  std::size_t n_user_codes = 0;
  const double* licence_value = nullptr;
  const double* amount = nullptr;
  const std::uint32_t* ticket_code = nullptr;
  std::size_t n_ticket_codes = 0;
  const std::uint32_t* priority_code = nullptr;
  std::vector<std::int8_t> priority_index;  ///< by priority code: index into spec.priorities, or -1
  std::vector<std::uint8_t> urgent_priority;  ///< by index into spec.priorities
  const double* score = nullptr;

  // ---- windows (microseconds), longest last in `longest` ----
  std::vector<std::int64_t> windows;
  std::int64_t longest = 0;
  std::int64_t active_window = 0;

  // ---- account table ----
  std::vector<std::uint32_t> row_case;  ///< feature row -> log case, kNoId without events
  const std::int64_t* signup = nullptr;
  const std::int64_t* churn_date = nullptr;
  const std::uint32_t* contract_code = nullptr;
  std::vector<int> term_by_contract_code;
  const double* licensed_fallback = nullptr;
  const double* arr_fallback = nullptr;
  std::vector<const double*> numeric;                ///< one per spec.numeric_columns
  struct OneHot {
    const std::uint32_t* codes;
    std::vector<std::int32_t> column_by_code;  ///< output column, or kNone for unlisted values
  };
  std::vector<OneHot> one_hot;

  // ---- output column numbers ----
  std::size_t n_counts = 0;  ///< count activities
  std::size_t col_count = 0;       ///< [activity][window]
  std::size_t col_trend = 0;       ///< [activity][window]
  std::size_t col_events = 0;      ///< [window]
  std::size_t col_recency = 0;     ///< days_since_last_use, days_since_last_event
  std::size_t col_features = 0;    ///< features_used_[window], features_adopted, premium_features_W
  std::size_t col_seats = 0;       ///< active_seats, active_seats_change_W, licensed_seats, seat_utilisation, arr
  std::size_t col_tickets = 0;     ///< tickets_[window], tickets_[prio]_W, open_tickets, open_[prio], urgent
  std::size_t col_breaches = 0;    ///< per moment: <m>_breaches, <m>_breaches_W; then breaches_W
  std::size_t col_nps = 0;         ///< nps_last, detractor, promoter, responses, days_since_nps
  std::size_t col_tenure = 0;      ///< tenure_days, days_to_renewal
  std::size_t col_numeric = 0;
  std::vector<std::string> names;
};

/// Resolves `spec` against the log and table; throws as build_features documents.
Layout make_layout(const EventLog& log, const Table* accounts, const FeatureSpec& spec,
                   const Breaches* breaches);

}  // namespace cxkit::churn::detail
