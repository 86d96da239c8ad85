// The sample company's fixed vocabularies: activity names, event attributes, the feature
// catalogue, feedback themes, channels, types, languages, tiers and plans.
//
// These names are part of the simulator's documented output: the EventLog's activity
// dictionary holds kActivities in this order (activity id == enum value), and the
// categorical attributes' dictionaries hold their catalogues in this order. Changing a name
// or the order changes every generated data set, so they only ever grow at the end.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cxkit::simulate {

/// Every activity the simulator emits. Grouped by what produces it.
enum class Activity : std::uint8_t {
  // Onboarding (the designed journey, in its designed order; see Truth::onboarding).
  signed_contract,         ///< "signed": the first event of every account (seats; amount = ARR)
  welcome_sent,            ///< "welcome sent" by the CSM (moment of truth: within 1 day)
  kickoff_call,            ///< "kickoff call" (CSM, business hours)
  workspace_set_up,        ///< "workspace set up" (customer)
  users_invited,           ///< "users invited" (customer)
  integrations_connected,  ///< "integrations connected" (customer; optional)
  training_completed,      ///< "training completed" (CSM-led; optional)
  first_value_reached,     ///< "first value reached" (customer)
  go_live,                 ///< "go-live" (CSM)
  // Product usage.
  login,         ///< "login": a sampled user session
  feature_used,  ///< "feature used", attribute feature
  seats_active,  ///< "seats active": weekly snapshot, attribute seats
  // Support tickets (attributes ticket and priority on every one).
  ticket_opened,  ///< "ticket opened" (customer)
  first_reply,    ///< "first reply" (support, inside the hub's working hours)
  agent_update,   ///< "agent update" (support)
  pending,        ///< "pending": waiting on the customer (support)
  resolved,       ///< "resolved" (support)
  reopened,       ///< "reopened" (customer)
  closed,         ///< "closed": 72 hours after the last resolution (system)
  // Customer-success touches.
  check_in,  ///< "check-in" (CSM; also the follow-up of a detractor)
  qbr,       ///< "QBR": quarterly business review (CSM)
  // Surveys.
  nps_answered,   ///< "nps answered", attribute score 0..10
  csat_answered,  ///< "csat answered", attribute score 1..5 (after a ticket: ticket, priority too)
  // Commercial.
  renewal,    ///< "renewal": contract renewed (seats; amount = ARR at renewal)
  expansion,  ///< "expansion": seats added (seats = new seat count, amount = ARR change > 0)
  downgrade,  ///< "downgrade": seats removed (seats = new seat count, amount = ARR change < 0)
  churned,    ///< "churned": the last event of a churned account (seats; amount = -ARR)
};

inline constexpr std::size_t kActivityCount = 27;
inline constexpr std::array<std::string_view, kActivityCount> kActivityNames = {
    "signed", "welcome sent", "kickoff call", "workspace set up", "users invited",
    "integrations connected", "training completed", "first value reached", "go-live",
    "login", "feature used", "seats active",
    "ticket opened", "first reply", "agent update", "pending", "resolved", "reopened", "closed",
    "check-in", "QBR",
    "nps answered", "csat answered",
    "renewal", "expansion", "downgrade", "churned"};

/// The name of an activity.
constexpr std::string_view activity_name(Activity a) noexcept { return kActivityNames[static_cast<std::size_t>(a)]; }

/// Event attribute columns, in the order the EventLog and events.csv carry them.
namespace attribute {
inline constexpr std::string_view ticket = "ticket";      ///< categorical "T0000001"
inline constexpr std::string_view priority = "priority";  ///< categorical P0..P3
inline constexpr std::string_view feature = "feature";    ///< categorical, kFeatureNames
inline constexpr std::string_view actor = "actor";        ///< categorical, kActorNames
inline constexpr std::string_view score = "score";        ///< numeric (NPS 0..10, CSAT 1..5)
inline constexpr std::string_view seats = "seats";        ///< numeric (whole seats)
inline constexpr std::string_view amount = "amount";      ///< numeric (whole US dollars of ARR)
}  // namespace attribute

/// Who performed an event.
enum class Actor : std::uint8_t { customer, csm, support, system };
inline constexpr std::array<std::string_view, 4> kActorNames = {"customer", "csm", "support", "system"};

inline constexpr std::array<std::string_view, 4> kPriorityNames = {"P0", "P1", "P2", "P3"};

/// The product's feature catalogue ("feature used" events name one of these).
inline constexpr std::array<std::string_view, 12> kFeatureNames = {
    "dashboards", "comments", "reports", "notifications", "templates", "calendar view",
    "automations", "mobile app", "export", "integrations", "api", "sso"};

/// Planted feedback themes: the key (Feedback "theme" column, Truth) and a readable label.
inline constexpr std::size_t kThemeCount = 10;
inline constexpr std::array<std::string_view, kThemeCount> kThemeKeys = {
    "dark_mode", "mobile_app", "onboarding_templates", "smart_notifications", "sso",
    "export",    "performance", "billing",             "integrations",        "reporting"};
inline constexpr std::array<std::string_view, kThemeCount> kThemeLabels = {
    "dark mode", "mobile app", "onboarding templates", "smart notifications", "SSO",
    "export",    "performance", "billing",             "integrations",        "reporting"};

inline constexpr std::array<std::string_view, 5> kChannelNames = {"email", "in-app", "call", "NPS survey",
                                                                  "feature-request form"};
enum class Channel : std::uint8_t { email, in_app, call, nps_survey, feature_request_form };

inline constexpr std::array<std::string_view, 5> kFeedbackTypeNames = {"feature request", "bug", "praise",
                                                                       "complaint", "NPS verbatim"};
enum class FeedbackType : std::uint8_t { feature_request, bug, praise, complaint, nps_verbatim };

/// Languages of customers and feedback (ISO 639-1).
inline constexpr std::array<std::string_view, 4> kLanguageCodes = {"en", "ru", "pt", "fa"};
enum class Language : std::uint8_t { en, ru, pt, fa };

inline constexpr std::array<std::string_view, 3> kTierNames = {"SMB", "Mid-market", "Enterprise"};
enum class Tier : std::uint8_t { smb, mid_market, enterprise };

inline constexpr std::array<std::string_view, 4> kPlanNames = {"Starter", "Growth", "Business", "Enterprise"};
/// List price per seat per month in US dollars, by plan.
inline constexpr std::array<double, 4> kPlanSeatPrice = {20.0, 35.0, 55.0, 80.0};

inline constexpr std::array<std::string_view, 2> kContractNames = {"annual", "monthly"};

}  // namespace cxkit::simulate
