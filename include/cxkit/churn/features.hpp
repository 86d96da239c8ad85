// Point-in-time account features for churn models: one row per account, every value computed
// only from what was known strictly before `as_of`.
//
// One pass over each account's events (the log is sorted by case and time, so the events
// before as_of are a prefix of the case's span, found by binary search); accounts are
// independent, so rows are computed in parallel and are identical for any thread count and
// for any partition of the accounts (partition by customer, compute, concatenate).
// docs/churn_features.md defines every column.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cxkit/churn/feature_spec.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/progress.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit::churn {

/// Moments-of-truth breaches (from moments::evaluate): one entry per clock that missed its
/// target, i.e. was not stopped by its deadline (statuses breached and overdue). A breach
/// counts at as_of when its deadline is before as_of. `row` indexes the feature rows (the
/// account table's rows, or the log's cases without a table); rows out of range throw.
struct Breaches {
  std::vector<std::string> moment_names;  ///< column stems: <snake name>_breaches
  std::vector<std::uint32_t> row;
  std::vector<std::uint32_t> moment;      ///< index into moment_names
  std::vector<std::int64_t> started;      ///< clock start, UTC microseconds
  std::vector<std::int64_t> deadline;     ///< UTC microseconds
};

/// Survey answers kept outside the log (e.g. an NPS export): when given, they replace the
/// log's nps_activity events. `row` as in Breaches.
struct ScoreList {
  std::vector<std::uint32_t> row;
  std::vector<std::int64_t> time;  ///< UTC microseconds
  std::vector<double> score;       ///< 0..10
};

/// Where an account stands at as_of.
enum class AccountStatus : std::uint8_t {
  active = 0,      ///< signed up before as_of and not churned before it
  not_yet = 1,     ///< signup (or first event) at or after as_of
  churned = 2,     ///< a churn event, or churn_date, before as_of
};

/// The feature matrix: column-major doubles (NaN where a value is undefined, see the docs).
struct FeatureMatrix {
  std::vector<std::string> names;   ///< column names
  std::vector<std::string> keys;    ///< row keys (account ids)
  std::vector<AccountStatus> status;
  std::vector<double> values;       ///< values[c * rows() + r]

  std::size_t rows() const noexcept { return keys.size(); }
  std::size_t cols() const noexcept { return names.size(); }
  double at(std::size_t r, std::size_t c) const noexcept { return values[c * rows() + r]; }
  std::span<const double> column(std::size_t c) const noexcept { return {values.data() + c * rows(), rows()}; }
  /// Index of a column; throws NotFoundError naming it.
  std::size_t column_index(std::string_view name) const;
};

/// Builds the features of every account as of `as_of`.
///
/// Rows: the account table's rows in order when `accounts` is given (accounts without events
/// get zero counts), else the log's cases. Only events with timestamp < as_of are read.
/// Throws InputError for an empty or non-positive window, NotFoundError for a named account
/// column that is missing, TypeMismatchError for a column or attribute of the wrong type, and
/// InputError for a breach/score row out of range. O(events before as_of + rows * columns),
/// parallel over rows.
///
/// `progress` (optional) counts rows (accounts): (rows built, rows()), called on the calling
/// thread once per block of 256 rows it builds (other threads' rows included in `done`) and
/// once at the end. A callback returning false stops the work with Cancelled (no result).
/// FeatureSpec holds what the features are; how a run is watched stays out of it.
FeatureMatrix build_features(const EventLog& log, const Table* accounts, Timestamp as_of,
                             const FeatureSpec& spec = {}, const Breaches* breaches = nullptr,
                             const ScoreList* nps = nullptr, const Progress& progress = {});

/// The same with an as_of per row (e.g. each account's renewal date or tenure anniversary):
/// row r uses as_of[r]; a row whose as_of is the missing timestamp (kMissingTime) gets NaN
/// values and status not_yet. Throws InputError unless as_of has 1 or rows() instants.
FeatureMatrix build_features(const EventLog& log, const Table* accounts, std::span<const Timestamp> as_of,
                             const FeatureSpec& spec = {}, const Breaches* breaches = nullptr,
                             const ScoreList* nps = nullptr, const Progress& progress = {});

/// The first renewal on or after as_of of a contract signed at `signup` with a term of
/// `term_months`: signup + n * term for the smallest n >= 1 with that instant >= as_of (day of
/// month clamped to the month's end, time of day kept, as the simulator renews).
/// Pre: term_months >= 1. O(1).
Timestamp next_renewal(Timestamp signup, int term_months, Timestamp as_of) noexcept;

/// Per case of the log: its first event and its first `churn_activity` event (kMissingTime
/// when none), for labelling from a log alone. O(events).
struct CaseSpans {
  std::vector<std::int64_t> first;
  std::vector<std::int64_t> churned;
};
CaseSpans case_spans(const EventLog& log, std::string_view churn_activity = "churned");

/// A column name from free text: ASCII letters lower-cased, ASCII digits and non-ASCII UTF-8
/// characters kept, every run of other characters one '_', no leading/trailing '_'
/// ("Welcome within 1 day" -> "welcome_within_1_day", "Inês Costa" -> "inês_costa").
std::string snake_name(std::string_view text);

/// A window as a name suffix: "7d", "12h", "90m", "30s" (the largest whole unit).
std::string window_name(Duration w);

}  // namespace cxkit::churn
