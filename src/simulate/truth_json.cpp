// Truth::to_json: the ground truth as a JSON document, keys in schema order.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cxkit/simulate/rng.hpp"
#include "cxkit/simulate/truth.hpp"

namespace cxkit::simulate {

namespace {

using json = nlohmann::ordered_json;

std::string clock_time(std::chrono::minutes m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60), static_cast<int>(m.count() % 60));
  return buf;
}

json week_json(const Calendar::Week& week) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  json out = json::object();
  for (std::size_t d = 0; d < 7; ++d) {
    json intervals = json::array();
    for (const auto& w : week[d]) intervals.push_back({clock_time(w.begin), clock_time(w.end)});
    out[kDays[d]] = std::move(intervals);
  }
  return out;
}

template <std::size_t N>
json by_name(const std::array<double, N>& values, const std::array<std::string_view, N>& names) {
  json out = json::object();
  for (std::size_t i = 0; i < N; ++i) out[std::string(names[i])] = values[i];
  return out;
}

}  // namespace

std::string Truth::to_json() const {
  json j;
  j["schema"] = "cxkit.simulate.truth/1";
  j["seed"] = seed;
  j["start"] = format_iso8601(start);
  j["end"] = format_iso8601(end);

  json drivers = json::array();
  for (const auto& d : churn.drivers)
    drivers.push_back({{"name", d.name},
                       {"definition", d.definition},
                       {"coefficient", d.coefficient},
                       {"hazard_ratio", detail::exp_det(d.coefficient)}});
  j["churn"] = {
      {"model",
       "piecewise-constant hazard per tenure period k: intensity exp(b0 + sum beta_j x_j(signup + k P)) per "
       "period, P(churn within a whole period) = 1 - exp(-exp(b0 + sum beta x))"},
      {"period_days", churn.period_days},
      {"baseline_log_hazard", churn.baseline_log_hazard},
      {"target_annual_rate", churn.target_annual_rate},
      {"realised_annual_rate", churn.realised_annual_rate},
      {"churned_accounts", churn.churned_accounts},
      {"exposure_periods", churn.exposure_periods},
      {"drivers", std::move(drivers)}};

  json moments_json = json::array();
  for (const auto& m : moments)
    moments_json.push_back({{"name", m.name},
                            {"start_activity", m.start_activity},
                            {"stop_activity", m.stop_activity},
                            {"target_hours", m.target_hours},
                            {"clock", m.clock},
                            {"hazard_driver", m.hazard_driver},
                            {"hazard_coefficient", m.hazard_coefficient},
                            {"nps_effect", m.nps_effect},
                            {"nps_definition", m.nps_definition},
                            {"opportunities", m.opportunities},
                            {"missed", m.missed}});
  j["moments"] = std::move(moments_json);

  j["nps"] = {
      {"model",
       "score = clamp(round(mu + sigma z), 0, 10); mu = intercept[tier] + engagement_coefficient e + "
       "missed_welcome_effect [welcome missed] + missed_first_reply_effect min(2, late first replies in 90d) + "
       "open_p0_p1_effect min(2, open P0/P1 tickets)"},
      {"intercept_by_tier", by_name(nps.intercept_by_tier, kTierNames)},
      {"engagement_coefficient", nps.engagement_coefficient},
      {"missed_welcome_effect", nps.missed_welcome_effect},
      {"missed_first_reply_effect", nps.missed_first_reply_effect},
      {"open_p0_p1_effect", nps.open_p0_p1_effect},
      {"sigma", nps.sigma},
      {"response_rate", nps.response_rate},
      {"survey_days", nps.survey_days},
      {"expected_shares",
       {{"promoter", nps.expected_promoter_share},
        {"passive", nps.expected_passive_share},
        {"detractor", nps.expected_detractor_share}}},
      {"answers", nps.answers}};

  json stages = json::array();
  for (const auto& s : onboarding.stages)
    stages.push_back({{"activity", s.activity},
                      {"optional", s.optional},
                      {"actor", s.actor},
                      {"clock", s.clock},
                      {"median_delay_hours", s.median_delay_hours},
                      {"delay_sigma", s.delay_sigma},
                      {"skip", s.skip},
                      {"stall", s.stall},
                      {"loop", s.loop},
                      {"out_of_order", s.out_of_order},
                      {"abandon", s.abandon}});
  j["onboarding"] = {{"stages", std::move(stages)},
                     {"stall_factor", {onboarding.stall_factor_min, onboarding.stall_factor_max}}};

  json months = json::array();
  for (auto t : feedback.month_starts) months.push_back(format_iso8601(t));
  json themes = json::array();
  for (const auto& t : feedback.themes)
    themes.push_back({{"key", t.key},
                      {"label", t.label},
                      {"shape", t.shape},
                      {"base_rate", t.base_rate},
                      {"type_shares", by_name(t.type_shares, kFeedbackTypeNames)},
                      {"shape_values", t.shape_values},
                      {"expected_items", t.expected_items},
                      {"realised_items", t.realised_items}});
  j["feedback"] = {{"month_starts", std::move(months)},
                   {"active_account_months", feedback.active_account_months},
                   {"noise_rate", feedback.noise_rate},
                   {"praise_rate", feedback.praise_rate},
                   {"verbatim_rate", feedback.verbatim_rate},
                   {"detractor_theme_weights", by_name(feedback.detractor_theme_weights, kThemeKeys)},
                   {"passive_theme_weights", by_name(feedback.passive_theme_weights, kThemeKeys)},
                   {"themes", std::move(themes)}};

  json hubs = json::array();
  for (const auto& h : support_hubs) {
    json holidays = json::array();
    for (const auto& d : h.holidays) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), static_cast<int>(d.month().as_number()),
                    static_cast<int>(d.day()));
      holidays.push_back(buf);
    }
    hubs.push_back({{"name", h.name},
                    {"timezone", h.timezone},
                    {"week", week_json(h.week)},
                    {"holidays", std::move(holidays)},
                    {"csms", h.csms},
                    {"reply_delay_factor", h.reply_delay_factor}});
  }
  j["support_hubs"] = std::move(hubs);
  return j.dump(2);
}

}  // namespace cxkit::simulate
