// Resolving a FeatureSpec against a log and an account table (names -> ids and pointers) and
// numbering the output columns. Every string compare of build_features happens here, once.
#include <algorithm>
#include <unordered_set>

#include "cxkit/core/error.hpp"
#include "features_layout.hpp"

namespace cxkit::churn::detail {

namespace {

void mark(const EventLog& log, Layout& L, const std::vector<std::string>& names, std::uint16_t role) {
  for (const auto& n : names)
    if (auto id = log.activity_names().find(n)) L.roles[*id] |= role;
}
void mark(const EventLog& log, Layout& L, const std::string& name, std::uint16_t role) {
  if (auto id = log.activity_names().find(name)) L.roles[*id] |= role;
}

// An event attribute of the expected type, or nullptr when absent or empty-named.
const Column* attribute(const EventLog& log, const std::string& name, ColumnType type) {
  if (name.empty()) return nullptr;
  const Column* c = log.find_attribute(name);
  if (c == nullptr) return nullptr;
  if (c->type() != type)
    throw TypeMismatchError("event attribute '" + name + "' is " + to_string(c->type()) + ", the feature spec needs " +
                            to_string(type));
  return c;
}

const Column* table_column(const Table* t, const std::string& name, ColumnType type, bool required) {
  if (t == nullptr || name.empty()) return nullptr;
  const Column* c = t->find_column(name);
  if (c == nullptr) {
    if (required) throw NotFoundError("the account table has no column '" + name + "'");
    return nullptr;
  }
  if (c->type() != type)
    throw TypeMismatchError("account column '" + name + "' is " + to_string(c->type()) + ", the feature spec needs " +
                            to_string(type));
  return c;
}

}  // namespace

Layout make_layout(const EventLog& log, const Table* accounts, const FeatureSpec& spec, const Breaches* breaches) {
  Layout L;
  if (spec.windows.empty()) throw InputError("the feature spec needs at least one window", {"FeatureSpec", -1, "windows", ""});
  for (const auto w : spec.windows)
    if (w.count() <= 0)
      throw InputError("windows must be positive", {"FeatureSpec", -1, "windows", window_name(w)});
  if (!spec.user_attribute.empty() && spec.active_window.count() <= 0)
    throw InputError("active_window must be positive", {"FeatureSpec", -1, "active_window", window_name(spec.active_window)});
  for (const auto w : spec.windows) L.windows.push_back(w.count());
  L.longest = *std::max_element(L.windows.begin(), L.windows.end());
  L.active_window = spec.active_window.count();
  const std::string W = window_name(Duration{L.longest});

  // ---- activities ----
  const std::size_t n_act = log.activity_names().size();
  L.roles.assign(n_act, 0);
  L.count_index.assign(n_act, kNone);
  L.n_counts = spec.count_activities.size();
  for (std::size_t k = 0; k < spec.count_activities.size(); ++k)
    if (auto id = log.activity_names().find(spec.count_activities[k])) L.count_index[*id] = static_cast<std::int32_t>(k);
  mark(log, L, spec.usage_activities, kUsage);
  mark(log, L, spec.feature_activity, kFeature);
  mark(log, L, spec.seat_snapshot_activity, kSeatSnapshot);
  mark(log, L, spec.licence_activities, kLicence);
  mark(log, L, spec.arr_set_activities, kArrSet);
  mark(log, L, spec.arr_delta_activities, kArrDelta);
  mark(log, L, spec.ticket_open_activity, kTicketOpen);
  mark(log, L, spec.ticket_close_activities, kTicketClose);
  mark(log, L, spec.ticket_reopen_activities, kTicketReopen);
  mark(log, L, spec.nps_activity, kNps);
  mark(log, L, spec.churn_activity, kChurn);

  // ---- attributes ----
  if (const Column* c = attribute(log, spec.feature_attribute, ColumnType::categorical)) {
    L.feature_code = c->codes().data();
    L.n_feature_codes = c->categories().size();
    L.premium_by_code.assign(L.n_feature_codes, 0);
    for (const auto& p : spec.premium_features)
      if (auto id = c->categories().find(p)) L.premium_by_code[*id] = 1;
  }
  if (const Column* c = attribute(log, spec.seat_snapshot_attribute, ColumnType::numeric)) L.snapshot_value = c->numbers().data();
  if (const Column* c = attribute(log, spec.user_attribute, ColumnType::categorical)) {
    L.user_code = c->codes().data();
    L.n_user_codes = c->categories().size();
  }
  if (const Column* c = attribute(log, spec.licence_attribute, ColumnType::numeric)) L.licence_value = c->numbers().data();
  if (const Column* c = attribute(log, spec.amount_attribute, ColumnType::numeric)) L.amount = c->numbers().data();
  if (const Column* c = attribute(log, spec.ticket_attribute, ColumnType::categorical)) {
    L.ticket_code = c->codes().data();
    L.n_ticket_codes = c->categories().size();
  }
  L.urgent_priority.assign(spec.priorities.size(), 0);
  for (std::size_t p = 0; p < spec.priorities.size(); ++p)
    for (const auto& u : spec.urgent_priorities)
      if (u == spec.priorities[p]) L.urgent_priority[p] = 1;
  if (const Column* c = attribute(log, spec.priority_attribute, ColumnType::categorical)) {
    L.priority_code = c->codes().data();
    L.priority_index.assign(c->categories().size(), -1);
    for (std::size_t p = 0; p < spec.priorities.size(); ++p)
      if (auto id = c->categories().find(spec.priorities[p])) L.priority_index[*id] = static_cast<std::int8_t>(p);
  }
  if (spec.priorities.size() > 100) throw InputError("at most 100 priorities", {"FeatureSpec", -1, "priorities", ""});
  if (const Column* c = attribute(log, spec.score_attribute, ColumnType::numeric)) L.score = c->numbers().data();

  // ---- rows and account columns ----
  if (accounts != nullptr) {
    L.row_case.assign(accounts->size(), kNoId);
    for (std::uint32_t r = 0; r < accounts->size(); ++r)
      if (auto c = log.case_names().find(accounts->keys().name(r))) L.row_case[r] = *c;
  } else {
    L.row_case.resize(log.n_cases());
    for (std::uint32_t c = 0; c < L.row_case.size(); ++c) L.row_case[c] = c;
  }
  if (const Column* c = table_column(accounts, spec.signup_column, ColumnType::timestamp, false)) L.signup = c->times().data();
  if (const Column* c = table_column(accounts, spec.churn_date_column, ColumnType::timestamp, false))
    L.churn_date = c->times().data();
  if (const Column* c = table_column(accounts, spec.contract_column, ColumnType::categorical, false)) {
    L.contract_code = c->codes().data();
    L.term_by_contract_code.assign(c->categories().size(), spec.default_term_months);
    for (const auto& [name, months] : spec.contract_months) {
      if (months < 1)
        throw InputError("contract terms must be at least 1 month", {"FeatureSpec", -1, "contract_months", name});
      if (auto id = c->categories().find(name)) L.term_by_contract_code[*id] = months;
    }
  }
  if (spec.default_term_months < 1)
    throw InputError("default_term_months must be at least 1", {"FeatureSpec", -1, "default_term_months",
                                                                std::to_string(spec.default_term_months)});
  if (const Column* c = table_column(accounts, spec.licensed_seats_column, ColumnType::numeric, false))
    L.licensed_fallback = c->numbers().data();
  if (const Column* c = table_column(accounts, spec.arr_column, ColumnType::numeric, false)) L.arr_fallback = c->numbers().data();
  if (accounts == nullptr && (!spec.numeric_columns.empty() || !spec.categorical_columns.empty()))
    throw InputError("account columns were requested but no account table was given",
                     {"FeatureSpec", -1, "numeric_columns", ""});
  for (const auto& n : spec.numeric_columns)
    L.numeric.push_back(table_column(accounts, n, ColumnType::numeric, true)->numbers().data());

  // ---- names ----
  auto& N = L.names;
  std::vector<std::string> wn;
  for (auto w : L.windows) wn.push_back(window_name(Duration{w}));
  L.col_count = N.size();
  for (const auto& a : spec.count_activities)
    for (const auto& w : wn) N.push_back(snake_name(a) + "_" + w);
  L.col_trend = N.size();
  for (const auto& a : spec.count_activities)
    for (const auto& w : wn) N.push_back(snake_name(a) + "_trend_" + w);
  L.col_events = N.size();
  for (const auto& w : wn) N.push_back("events_" + w);
  L.col_recency = N.size();
  N.insert(N.end(), {"days_since_last_use", "days_since_last_event"});
  L.col_features = N.size();
  for (const auto& w : wn) N.push_back("features_used_" + w);
  N.insert(N.end(), {"features_adopted", "premium_features_" + W});
  L.col_seats = N.size();
  N.insert(N.end(), {"active_seats", "active_seats_change_" + W, "licensed_seats", "seat_utilisation", "arr"});
  L.col_tickets = N.size();
  for (const auto& w : wn) N.push_back("tickets_" + w);
  for (const auto& p : spec.priorities) N.push_back("tickets_" + snake_name(p) + "_" + W);
  N.push_back("open_tickets");
  for (const auto& p : spec.priorities) N.push_back("open_tickets_" + snake_name(p));
  N.push_back("open_tickets_urgent");
  L.col_breaches = N.size();
  if (breaches != nullptr && !breaches->moment_names.empty()) {
    for (const auto& m : breaches->moment_names) {
      N.push_back(snake_name(m) + "_breaches");
      N.push_back(snake_name(m) + "_breaches_" + W);
    }
    N.push_back("breaches_" + W);
  }
  L.col_nps = N.size();
  N.insert(N.end(), {"nps_last", "nps_detractor", "nps_promoter", "nps_responses", "days_since_nps"});
  L.col_tenure = N.size();
  N.insert(N.end(), {"tenure_days", "days_to_renewal"});
  L.col_numeric = N.size();
  for (const auto& n : spec.numeric_columns) N.push_back(n);
  for (const auto& cat : spec.categorical_columns) {
    const Column* c = table_column(accounts, cat.name, ColumnType::categorical, true);
    const Dictionary& dict = c->categories();
    std::vector<std::string> levels = cat.levels;
    if (levels.empty()) {
      std::vector<std::uint8_t> seen(dict.size(), 0);
      for (auto code : c->codes())
        if (code != kNoId) seen[code] = 1;
      for (std::uint32_t k = 0; k < dict.size(); ++k)
        if (seen[k]) levels.emplace_back(dict.name(k));
      std::sort(levels.begin(), levels.end());
    }
    Layout::OneHot oh{c->codes().data(), std::vector<std::int32_t>(dict.size(), kNone)};
    for (const auto& level : levels) {
      if (auto id = dict.find(level)) oh.column_by_code[*id] = static_cast<std::int32_t>(N.size());
      N.push_back(snake_name(cat.name) + "_" + snake_name(level));
    }
    L.one_hot.push_back(std::move(oh));
  }
  std::unordered_set<std::string> unique;
  for (const auto& n : N)
    if (!unique.insert(n).second)
      throw InputError("two features would share the name '" + n + "'; rename an activity, moment, column or level",
                       {"FeatureSpec", -1, "", n});
  return L;
}

}  // namespace cxkit::churn::detail
