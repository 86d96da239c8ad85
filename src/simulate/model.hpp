// Internal declarations shared by the simulator's source files (not installed).
//
// One account is simulated at a time by one thread, from its own random stream, into an
// AccountSim: the processes (onboarding, engagement, commercial, usage, support, surveys,
// CSM touches) run in a fixed order and append RawEvents; the churn process then reads the
// timelines they recorded. Nothing here is shared between accounts except the immutable
// Context.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cxkit/core/calendar.hpp"
#include "cxkit/simulate/catalogue.hpp"
#include "cxkit/simulate/options.hpp"
#include "cxkit/simulate/rng.hpp"
#include "cxkit/simulate/truth.hpp"

namespace cxkit::simulate::detail {

// ---- time units (microseconds) ----
inline constexpr std::int64_t kSecond = 1000000;
inline constexpr std::int64_t kMinute = 60 * kSecond;
inline constexpr std::int64_t kHour = 60 * kMinute;
inline constexpr std::int64_t kDay = 24 * kHour;
inline constexpr std::int64_t kWeek = 7 * kDay;
/// The hazard period: 365.2425 / 12 days, so 12 periods make a Gregorian year.
inline constexpr std::int64_t kPeriod = 2629746LL * kSecond;
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
inline constexpr std::uint8_t kNone = 0xFF;
/// The third moment of truth: a detractor is due a follow-up within this many business hours.
inline constexpr double kFollowUpTargetHours = 24;

/// Random streams: (seed, stream, index) names an independent generator.
enum StreamId : std::uint64_t {
  kSignupStream = 1,    ///< index = account draw order: signup dates
  kAccountStream = 2,   ///< index = account: everything the account does
  kChurnStream = 3,     ///< index = account: the Exp(1) churn threshold
  kTextStream = 4,      ///< index = account * 256 + answer number: wording of an NPS verbatim
  kFeedbackStream = 5,  ///< index = month * 64 + source: scheduled feedback
};

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
inline std::int64_t floor_to_second(std::int64_t t) noexcept { return floor_div(t, kSecond) * kSecond; }
/// A duration of h hours in whole microseconds (h >= 0).
inline std::int64_t hours(double h) noexcept { return static_cast<std::int64_t>(std::floor(h * 3600.0e6)); }
/// Weekday of a day number (days since 1970-01-01, a Thursday); Monday = 0.
inline int weekday(std::int64_t day) noexcept { return static_cast<int>(((day % 7) + 7 + 3) % 7); }
/// t plus n calendar months (n years = 12 n months), same time of day; the 31st becomes the
/// month's last day where needed.
std::int64_t add_months(std::int64_t t, int n);

// ---- raw output ----
struct RawEvent {
  std::int64_t t;
  double value;          ///< score or amount (by activity); NaN when none
  std::int32_t seats;    ///< seats attribute; -1 when none
  std::uint32_t ticket;  ///< the account's ticket number + 1; 0 = none
  Activity activity;
  std::uint8_t priority;  ///< 0..3 or kNone
  std::uint8_t feature;   ///< kFeatureNames index or kNone
  Actor actor;
};

struct RawFeedback {
  std::int64_t t;
  std::uint32_t account;
  std::int8_t theme;  ///< kThemeKeys index, -1 for none
  bool scheduled;     ///< from the theme/noise/praise schedule (not an NPS verbatim)
  FeedbackType type;
  Channel channel;
  Language language;
  std::string text;
};

// ---- geography and teams (calendars.cpp) ----
struct ZoneDef {
  std::string_view name;
  std::uint8_t region;
  std::uint8_t hub;
};
inline constexpr std::size_t kZoneCount = 15;
inline constexpr std::array<ZoneDef, kZoneCount> kZones = {{
    {"America/New_York", 0, 0},   {"America/Chicago", 0, 0},  {"America/Los_Angeles", 0, 0},
    {"Europe/London", 1, 1},      {"Europe/Berlin", 1, 1},    {"Europe/Amsterdam", 1, 1},
    {"Asia/Singapore", 2, 2},     {"Australia/Sydney", 2, 2}, {"Europe/Moscow", 3, 3},
    {"Asia/Almaty", 3, 3},        {"Asia/Yekaterinburg", 3, 3}, {"America/Sao_Paulo", 4, 4},
    {"Europe/Lisbon", 1, 1},      {"Asia/Tehran", 5, 5},      {"Asia/Dubai", 5, 5},
}};
inline constexpr std::array<std::string_view, 6> kRegionNames = {
    "North America", "Europe", "APAC", "CIS", "Latin America", "Middle East"};
/// P(zone | language), rows in Language order.
inline constexpr std::array<std::array<double, kZoneCount>, 4> kZoneWeights = {{
    {0.275, 0.11, 0.165, 0.15, 0.0625, 0.0375, 0.12, 0.08, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0.70, 0.15, 0.15, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.85, 0.15, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.90, 0.10},
}};

inline constexpr std::array<std::string_view, 10> kIndustryNames = {
    "Software", "Retail", "Financial services", "Healthcare", "Education",
    "Manufacturing", "Logistics", "Media", "Professional services", "Nonprofit"};
inline constexpr std::array<double, 10> kIndustryWeights = {0.22, 0.12, 0.11, 0.09, 0.08,
                                                            0.10, 0.08, 0.07, 0.09, 0.04};

/// The six support/CSM hubs with holidays for the years [first_year, last_year].
std::vector<SupportHub> make_support_hubs(int first_year, int last_year);

/// UTC offsets of kZones per UTC day (taken at noon UTC), so local times of customer actions
/// cost an array lookup. The offset is exact except during the few night hours of a
/// daylight-saving change, when no customer activity is scheduled anyway.
class ZoneOffsets {
 public:
  ZoneOffsets() = default;
  /// Throws NotFoundError when the time-zone database lacks one of kZones.
  ZoneOffsets(std::int64_t first_day, std::int64_t last_day);
  /// Local time minus UTC, in microseconds, at UTC instant t.
  std::int64_t offset(std::size_t zone, std::int64_t t) const noexcept;

 private:
  std::int64_t first_day_ = 0, n_days_ = 0;
  std::vector<std::int32_t> seconds_;  // [zone * n_days_ + day]
};

// ---- the shared, immutable context ----
struct Context {
  CompanyOptions options;
  Truth truth;  ///< parameters; realised figures are filled in at the end
  std::int64_t start = 0, end = 0;
  std::vector<Calendar> calendars;  ///< per hub
  ZoneOffsets zones;
  std::vector<std::int64_t> signup_day;  ///< per account, UTC day number, ascending
  std::array<double, 3> tier_weights{};
  std::array<double, 4> language_weights{};
  double baseline = 0;  ///< b0, set between the two passes
};

/// The context of a run: clocks, calendars, mixes, truth parameters, signup days.
/// Throws NotFoundError when the time-zone database lacks a zone.
Context make_context(const CompanyOptions&);

// ---- one account ----
struct Profile {
  Tier tier = Tier::smb;
  std::uint8_t plan = 0;
  Language language = Language::en;
  std::uint8_t zone = 0, region = 0, hub = 0, industry = 0, owner = 0;
  bool monthly = false;
  std::int64_t signup = 0;
  std::int64_t seats = 1;
  double seat_price_year = 0;  ///< dollars per seat per year after discount
  std::string name;
};

struct Ticket {
  std::int64_t opened = 0, deadline = 0, first_reply = 0;
  std::int64_t resolved1 = kNever, reopened = kNever, resolved2 = kNever;
  std::uint8_t priority = 0;
  bool late = false;
  /// Opened before t and not resolved as of t.
  bool open_at(std::int64_t t) const noexcept {
    if (opened >= t) return false;
    if (resolved1 >= t) return true;
    if (reopened >= t) return false;
    return resolved2 >= t;
  }
};

struct NpsAnswer {
  std::int64_t t;
  int score;
  double mu;  ///< latent mean (for the model-implied shares)
};

struct AccountSim {
  std::size_t index = 0;
  Profile profile;
  std::vector<RawEvent> events;
  // Timelines the churn drivers and survey answers read.
  std::vector<std::int64_t> logins;                             // ascending
  std::vector<std::pair<std::int64_t, std::uint8_t>> features;  // ascending after usage
  std::vector<Ticket> tickets;                                  // by opening time
  std::vector<NpsAnswer> nps;                                   // ascending
  std::vector<std::pair<std::int64_t, std::int64_t>> follow_ups;  // (detractor answer, check-in or kNever)
  std::vector<RawFeedback> verbatims;
  std::int64_t welcome = kNever;
  std::int64_t usage_start = 0;
  std::int64_t first_value = kNever;
  double engagement_base = 0;
  double onboarding_effect = 0;    // shift of the engagement level earned in onboarding
  std::vector<double> engagement;  // per week from usage_start
  std::vector<std::pair<std::int64_t, std::int64_t>> seat_changes;  // (time, seats), first at signup
  // Churn process.
  std::vector<double> hazard_weights;  // exp(sum beta x) per period
  double last_period_length = 1;       // fraction of the last period before the end
  std::int64_t churn_time = kNever;

  void reset(std::size_t k) {
    index = k;
    events.clear();
    logins.clear();
    features.clear();
    tickets.clear();
    nps.clear();
    follow_ups.clear();
    verbatims.clear();
    welcome = kNever;
    usage_start = 0;
    first_value = kNever;
    engagement_base = 0;
    onboarding_effect = 0;
    engagement.clear();
    seat_changes.clear();
    hazard_weights.clear();
    last_period_length = 1;
    churn_time = kNever;
  }
  void emit(std::int64_t t, Activity a, Actor actor, double value = std::numeric_limits<double>::quiet_NaN(),
            std::int64_t seats = -1) {
    events.push_back(RawEvent{t, value, static_cast<std::int32_t>(seats), 0, a, kNone, kNone, actor});
  }
  void emit_ticket(std::int64_t t, Activity a, Actor actor, std::uint32_t ticket, std::uint8_t priority,
                   double value = std::numeric_limits<double>::quiet_NaN()) {
    events.push_back(RawEvent{t, value, -1, ticket, a, priority, kNone, actor});
  }
  void emit_feature(std::int64_t t, std::uint8_t feature) {
    events.push_back(RawEvent{t, std::numeric_limits<double>::quiet_NaN(), -1, 0, Activity::feature_used, kNone,
                              feature, Actor::customer});
  }
  /// Latent engagement in the week holding t (the first week's before usage starts).
  double engagement_at(std::int64_t t) const noexcept;
  std::int64_t seats_at(std::int64_t t) const noexcept;
  double arr_at(std::int64_t t) const noexcept {
    return std::round(static_cast<double>(seats_at(t)) * profile.seat_price_year);
  }
};

// ---- time helpers for people (accounts.cpp) ----
/// A customer-side instant in [a, b): a likely local working day and daytime hour.
std::int64_t customer_time_in(const Context&, const Profile&, std::int64_t a, std::int64_t b, Rng&);
/// The first customer daytime at or after t (t itself, to the second, when it is daytime on a
/// working day).
std::int64_t customer_time_after(const Context&, const Profile&, std::int64_t t, Rng&);
/// A staff action `business_hours` of working time after t on the calendar, to the second.
std::int64_t staff_time_after(const Calendar&, std::int64_t t, double business_hours);
/// A staff action at a working instant in [a, ...): a random start in [a, b) moved into
/// working time.
std::int64_t staff_time_in(const Calendar&, std::int64_t a, std::int64_t b, Rng&);

// ---- the processes, in the order they run ----
Profile draw_profile(const Context&, std::size_t k, Rng&);  // accounts.cpp
OnboardingTruth onboarding_parameters();                    // onboarding.cpp
void simulate_onboarding(const Context&, AccountSim&, Rng&);
void simulate_engagement(const Context&, AccountSim&, Rng&);  // usage.cpp
void simulate_commercial(const Context&, AccountSim&, Rng&);  // commercial.cpp
void simulate_usage(const Context&, AccountSim&, Rng&);       // usage.cpp
void simulate_support(const Context&, AccountSim&, Rng&);     // support.cpp
NpsTruth nps_parameters(const CompanyOptions&);              // surveys.cpp
void simulate_surveys(const Context&, AccountSim&, Rng&, bool render_text);
void simulate_touches(const Context&, AccountSim&, Rng&);     // success_touches.cpp

// ---- shared point-in-time measures (churn_process.cpp) ----
/// Tickets opened in [t - 90 days, t) whose first-reply deadline passed unanswered before t.
int missed_first_replies(const AccountSim&, std::int64_t t) noexcept;
/// P0/P1 tickets open at t.
int open_p0_p1(const AccountSim&, std::int64_t t) noexcept;
/// Whether the welcome deadline passed unmet before t.
bool welcome_missed(const Context&, const AccountSim&, std::int64_t t) noexcept;

// ---- churn (churn_process.cpp) ----
inline constexpr std::size_t kDriverCount = 10;
std::vector<ChurnDriver> churn_drivers_truth(const CompanyOptions&);
std::array<double, kDriverCount> churn_drivers(const Context&, const AccountSim&, std::int64_t tau);
/// Fills hazard_weights and last_period_length from the account's timelines.
void hazard_path(const Context&, AccountSim&);
/// The churn instant for threshold `threshold` (an Exp(1) draw) under baseline b0, or kNever.
std::int64_t churn_instant(const Context&, const AccountSim&, double b0, double threshold);

/// Hazard paths of a block of accounts (pass 1), for calibration.
struct HazardPaths {
  std::vector<double> weights;
  std::vector<std::uint32_t> offsets{0};  // account i: weights[offsets[i], offsets[i+1])
  std::vector<double> last_length;
};
/// b0 such that the expected churns per expected account-period over all paths equal
/// -log(1 - annual_rate) / 12. Deterministic for any `threads`.
double calibrate_baseline(std::span<const HazardPaths> blocks, double annual_rate, unsigned threads);

// ---- per account (account_sim.cpp) ----
enum class Pass { calibrate, generate };
void simulate_account(const Context&, std::size_t k, Pass, AccountSim&);

// ---- feedback (feedback.cpp, feedback_text.cpp) ----
FeedbackTruth feedback_parameters(const CompanyOptions&, std::span<const std::int64_t> month_starts);
/// The feedback language of an item from an account writing in `account_language`.
Language feedback_language(Language account_language, const TextNoise&, Rng&);
/// Scheduled items (themes, praise, noise) for accounts active over [signup, stop).
/// Fills the truth's expected/realised schedules and active account-months.
std::vector<RawFeedback> scheduled_feedback(const Context&, std::span<const std::int64_t> signup,
                                            std::span<const std::int64_t> stop,
                                            std::span<const Language> language, FeedbackTruth& truth,
                                            unsigned threads);

// ---- threads (parallel.cpp) ----
/// Runs task(i, worker) for i in [0, n) on up to `threads` threads (0 = hardware). Tasks are
/// handed out dynamically; the first exception is rethrown after all workers stop.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t, unsigned)>& task);
unsigned resolve_threads(unsigned threads) noexcept;

}  // namespace cxkit::simulate::detail
