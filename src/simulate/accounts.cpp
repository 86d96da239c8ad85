// Who the customers are (tier, size, plan, price, place, language, owner, name, signup)
// and when their people and ours are at work.
#include <algorithm>
#include <string>

#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

// Seats: log-normal around a tier's typical size, clamped to the tier's range.
struct SeatModel {
  double median, sigma;
  std::int64_t min, max;
};
constexpr std::array<SeatModel, 3> kSeatModels = {{{8, 0.6, 2, 60}, {60, 0.45, 20, 400}, {350, 0.6, 100, 5000}}};
// P(plan | tier) over kPlanNames.
constexpr std::array<std::array<double, 4>, 3> kPlanWeights = {{{0.55, 0.45, 0, 0}, {0, 0.35, 0.65, 0}, {0, 0, 0, 1}}};
// Negotiated discount off list price: none for SMB, up to 15% mid-market, 10-30% enterprise.
constexpr std::array<std::array<double, 2>, 3> kDiscount = {{{1.0, 1.0}, {0.85, 1.0}, {0.70, 0.90}}};
// P(monthly contract | tier).
constexpr std::array<double, 3> kMonthlyShare = {0.55, 0.15, 0.0};

// Company names in the customer's language (commas and quotes exercise CSV quoting).
constexpr std::array<std::string_view, 20> kEnFirst = {
    "Blue", "Bright", "North", "Silver", "Summit", "Harbor", "Pioneer", "Apex", "Cedar", "Granite",
    "Maple", "Lumen", "Vertex", "Evergreen", "Atlas", "Crescent", "Redwood", "Ironclad", "Sterling", "Prairie"};
constexpr std::array<std::string_view, 14> kEnSecond = {
    "Logistics", "Health", "Analytics", "Foods", "Labs", "Systems", "Partners",
    "Capital", "Media", "Works", "Robotics", "Retail", "Learning", "Energy"};
constexpr std::array<std::string_view, 5> kEnSuffix = {", Inc.", " LLC", " Ltd", " Group", " & Co."};
constexpr std::array<std::string_view, 12> kRuWords = {
    "Вектор", "Техносфера", "Альфа Логистик", "ТрансКом", "Меридиан", "Звезда",
    "Горизонт", "Сибирь Софт", "Импульс", "Кварц", "Волга Трейд", "Северный ветер"};
constexpr std::array<std::string_view, 3> kRuForms = {"ООО «", "АО «", "ГК «"};
constexpr std::array<std::string_view, 10> kPtFirst = {
    "Horizonte", "Aurora", "Cerrado", "Atlântico", "Ipê", "Mantiqueira", "Pampa", "Serra", "Litoral", "Carioca"};
constexpr std::array<std::string_view, 8> kPtSecond = {
    "Tecnologia", "Logística", "Alimentos", "Saúde", "Educação", "Varejo", "Consultoria", "Engenharia"};
constexpr std::array<std::string_view, 3> kPtSuffix = {" Ltda.", " S.A.", " ME"};
constexpr std::array<std::string_view, 10> kFaFirst = {
    "آریا", "پارس", "سپهر", "نوآوران", "البرز", "کوروش", "مهر", "آسمان", "دماوند", "ستاره"};
constexpr std::array<std::string_view, 7> kFaSecond = {"فناوری", "تجارت", "پخش", "سلامت", "آموزش", "صنعت", "داده"};

template <std::size_t N>
std::string_view pick(Rng& rng, const std::array<std::string_view, N>& a) {
  return a[static_cast<std::size_t>(rng.below(N))];
}

std::string company_name(Language lang, Rng& rng) {
  std::string s;
  switch (lang) {
    case Language::en:
      s.append(pick(rng, kEnFirst)).append(" ").append(pick(rng, kEnSecond)).append(pick(rng, kEnSuffix));
      break;
    case Language::ru:
      s.append(pick(rng, kRuForms)).append(pick(rng, kRuWords)).append("»");
      break;
    case Language::pt:
      s.append(pick(rng, kPtFirst)).append(" ").append(pick(rng, kPtSecond)).append(pick(rng, kPtSuffix));
      break;
    case Language::fa:
      s.append("شرکت ").append(pick(rng, kFaFirst)).append(" ").append(pick(rng, kFaSecond));
      break;
  }
  return s;
}

/// Relative chance that a customer acts on a local weekday (Monday = 0). Iran's weekend is
/// Friday (and for many offices Thursday afternoon).
double weekday_weight(const Profile& p, int wd) noexcept {
  constexpr std::uint8_t kTehran = 13;  // kZones index of Asia/Tehran
  if (p.zone == kTehran) {
    constexpr std::array<double, 7> w = {1, 1, 1, 0.5, 0.15, 1, 1};
    return w[static_cast<std::size_t>(wd)];
  }
  constexpr std::array<double, 7> w = {1, 1, 1, 1, 1, 0.2, 0.15};
  return w[static_cast<std::size_t>(wd)];
}

/// A local hour of day: mostly office hours around early afternoon, sometimes any time.
double daytime_hour(Rng& rng) {
  if (rng.bernoulli(0.88)) {
    for (;;) {
      const double h = normal(rng, 13.5, 2.7);
      if (h >= 7.0 && h < 22.0) return h;
    }
  }
  return rng.uniform(0.0, 24.0);
}

}  // namespace

Profile draw_profile(const Context& ctx, std::size_t k, Rng& rng) {
  Profile p;
  p.tier = static_cast<Tier>(categorical(rng, ctx.tier_weights));
  p.language = static_cast<Language>(categorical(rng, ctx.language_weights));
  p.zone = static_cast<std::uint8_t>(categorical(rng, kZoneWeights[static_cast<std::size_t>(p.language)]));
  p.region = kZones[p.zone].region;
  p.hub = kZones[p.zone].hub;
  p.industry = static_cast<std::uint8_t>(categorical(rng, kIndustryWeights));
  p.owner = static_cast<std::uint8_t>(rng.below(ctx.truth.support_hubs[p.hub].csms.size()));

  const auto tier = static_cast<std::size_t>(p.tier);
  const SeatModel& sm = kSeatModels[tier];
  const double seats = std::round(lognormal_median(rng, sm.median, sm.sigma));
  p.seats = std::clamp(static_cast<std::int64_t>(seats), sm.min, sm.max);
  p.plan = static_cast<std::uint8_t>(categorical(rng, kPlanWeights[tier]));
  const double discount = rng.uniform(kDiscount[tier][0], kDiscount[tier][1]);
  // Whole cents per seat-year keep ARR sums exact.
  p.seat_price_year = std::round(kPlanSeatPrice[p.plan] * 12.0 * discount * 100.0) / 100.0;
  p.monthly = rng.bernoulli(kMonthlyShare[tier]);
  p.name = company_name(p.language, rng);

  // Signup: the drawn calendar day, at a local daytime hour.
  const std::int64_t day = ctx.signup_day[k];
  const std::int64_t local = day * kDay + hours(daytime_hour(rng));
  std::int64_t t = floor_to_second(local - ctx.zones.offset(p.zone, day * kDay + kDay / 2));
  if (t < ctx.start) t += kDay;
  p.signup = t;
  return p;
}

std::int64_t customer_time_in(const Context& ctx, const Profile& p, std::int64_t a, std::int64_t b, Rng& rng) {
  if (b <= a) return a;
  const auto span = static_cast<std::uint64_t>(b - a);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::int64_t x = a + static_cast<std::int64_t>(rng.below(span));
    const std::int64_t off = ctx.zones.offset(p.zone, x);
    const std::int64_t local_day = floor_div(x + off, kDay);
    if (!rng.bernoulli(weekday_weight(p, weekday(local_day)))) continue;
    const std::int64_t t = floor_to_second(local_day * kDay + hours(daytime_hour(rng)) - off);
    if (t >= a && t < b) return t;
  }
  return floor_to_second(a + static_cast<std::int64_t>(rng.below(span)));
}

std::int64_t customer_time_after(const Context& ctx, const Profile& p, std::int64_t t, Rng& rng) {
  const std::int64_t off = ctx.zones.offset(p.zone, t);
  std::int64_t local_day = floor_div(t + off, kDay);
  const std::int64_t time_of_day = t + off - local_day * kDay;
  if (weekday_weight(p, weekday(local_day)) >= 0.9 && time_of_day >= 8 * kHour && time_of_day < 20 * kHour)
    return floor_to_second(t);
  if (time_of_day >= 8 * kHour) ++local_day;  // too late today: tomorrow morning
  while (weekday_weight(p, weekday(local_day)) < 0.9) ++local_day;
  const std::int64_t local = local_day * kDay + 8 * kHour + hours(rng.uniform(0.0, 3.0));
  return std::max(t, floor_to_second(local - off));
}

std::int64_t staff_time_after(const Calendar& cal, std::int64_t t, double business_hours) {
  // At least a business minute, so a staff action never ties with what triggered it.
  const Duration d{hours(std::max(business_hours, 1.0 / 60.0))};
  return floor_to_second(to_micros(cal.add_business_time(from_micros(t), d)));
}

std::int64_t staff_time_in(const Calendar& cal, std::int64_t a, std::int64_t b, Rng& rng) {
  const std::int64_t x = b > a ? a + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(b - a))) : a;
  return staff_time_after(cal, floor_to_second(x), rng.uniform(0.0, 2.0));
}

}  // namespace cxkit::simulate::detail
