// What build_features() reads from a log and an account table: which activities count as
// usage, which attribute names a feature, a ticket, a seat count, and so on.
//
// Everything is named, so the same spec applies to any log; names the log does not contain
// simply contribute nothing (a log without tickets gives zero ticket counts). The defaults
// match the names cxkit::simulate::company() produces (docs/simulator.md, "Catalogues").
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "cxkit/core/time.hpp"

namespace cxkit::churn {

/// A categorical account column to one-hot encode. Empty `levels` = every distinct value of
/// the column, sorted by name (give the levels explicitly when tables are partitioned and a
/// partition may lack a value, so every partition gets the same columns).
struct CategoricalColumn {
  std::string name;
  std::vector<std::string> levels;
};

struct FeatureSpec {
  /// Look-back windows [as_of - w, as_of); the longest is "the" window of the breadth,
  /// premium, per-priority and breach features. At least one, each > 0.
  std::vector<Duration> windows{std::chrono::days{7}, std::chrono::days{30}, std::chrono::days{90}};

  /// Activities counted per window, each with a trend between consecutive windows of equal length.
  std::vector<std::string> count_activities{"login", "feature used"};
  /// Activities that make an account "in use" (recency).
  std::vector<std::string> usage_activities{"login", "feature used"};

  /// Feature adoption: the event that uses a feature and the attribute naming it.
  std::string feature_activity = "feature used";
  std::string feature_attribute = "feature";
  /// Values of feature_attribute that belong to higher plans (expansion signals).
  std::vector<std::string> premium_features{"automations", "api", "sso"};

  /// Active seats: either the last snapshot (activity + numeric attribute) before as_of, or,
  /// when user_attribute is set, the distinct values of that categorical attribute (a user id)
  /// on usage events within active_window.
  std::string seat_snapshot_activity = "seats active";
  std::string seat_snapshot_attribute = "seats";
  std::string user_attribute;
  Duration active_window = std::chrono::days{30};

  /// Licensed seats: the numeric `licence_attribute` of the last licence event before as_of
  /// (falling back to the account column `licensed_seats_column` when there is none).
  std::vector<std::string> licence_activities{"signed", "renewal", "expansion", "downgrade"};
  std::string licence_attribute = "seats";

  /// ARR: set by the amount of the last `arr_set_activities` event, plus the amounts of the
  /// `arr_delta_activities` events after it (falling back to the account column `arr_column`).
  std::vector<std::string> arr_set_activities{"signed", "renewal"};
  std::vector<std::string> arr_delta_activities{"expansion", "downgrade"};
  std::string amount_attribute = "amount";

  /// Support tickets: events carry the ticket id and priority as categorical attributes; a
  /// ticket is open from its opening until a close event, again after a reopen event.
  std::string ticket_attribute = "ticket";
  std::string priority_attribute = "priority";
  std::string ticket_open_activity = "ticket opened";
  std::vector<std::string> ticket_close_activities{"resolved", "closed"};
  std::vector<std::string> ticket_reopen_activities{"reopened"};
  /// Priorities reported one by one; `urgent_priorities` are summed in open_tickets_urgent.
  std::vector<std::string> priorities{"P0", "P1", "P2", "P3"};
  std::vector<std::string> urgent_priorities{"P0", "P1"};

  /// Surveys: the event carrying an NPS answer in the numeric attribute score_attribute.
  std::string nps_activity = "nps answered";
  std::string score_attribute = "score";

  /// The event that marks an account as gone.
  std::string churn_activity = "churned";

  /// Account table columns. Missing optional columns are not an error: signup falls back to
  /// the account's first event, the fallbacks to NaN.
  std::string signup_column = "signup";          ///< timestamp
  std::string churn_date_column = "churn_date";  ///< timestamp, used only when before as_of
  std::string contract_column = "contract";      ///< categorical contract term name
  /// Term length in months per contract value; renewals fall on signup + n * term.
  std::vector<std::pair<std::string, int>> contract_months{{"monthly", 1}, {"annual", 12}};
  int default_term_months = 12;                  ///< for accounts whose contract is not listed
  std::string licensed_seats_column = "seats";   ///< fallback for licensed seats (numeric)
  std::string arr_column = "arr";                ///< fallback for ARR (numeric)

  /// Account attributes copied as features (numeric, as is) and one-hot encoded (categorical).
  /// These must exist (NotFoundError otherwise). They are used as the table holds them: keep
  /// outcome or end-of-period snapshot columns (churned, churn_date, final ARR) out.
  std::vector<std::string> numeric_columns;
  std::vector<CategoricalColumn> categorical_columns;

  /// Worker threads (0 = hardware concurrency). The result never depends on it.
  unsigned threads = 0;
};

}  // namespace cxkit::churn
