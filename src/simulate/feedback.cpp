// Scheduled feedback: each theme's demand rises and fades on its own schedule.
//
// In calendar month m the company's active base is A_m account-months (each account counts
// the fraction of the month it was a customer). A theme with base rate r (items per 1000
// account-months) and shape s(x) yields Poisson(r s(x_m) A_m / 1000) items, x_m the month's
// midpoint as a fraction of the period; each item goes to an account chosen in proportion to
// its active time in the month, at a uniform instant of that time. Praise and off-topic
// noise follow the same rule with flat shapes.
#include <algorithm>

#include "cxkit/simulate/phrases.hpp"
#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

enum class ShapeKind { linear, bump, logistic };

struct ThemeModel {
  double base_rate;
  std::array<double, 5> type_shares;  // by FeedbackType
  std::string_view shape_name;
  ShapeKind kind;
  double a, b, c, d;  // linear: a + b x; bump: a + b exp(-((x-c)/d)^2/2); logistic: a + b / (1 + exp(-(x-c)/d))
};

// Index order is kThemeKeys.
constexpr std::array<ThemeModel, kThemeCount> kThemeModels = {{
    {6, {1.0, 0, 0, 0, 0}, "rising", ShapeKind::linear, 0.3, 1.4, 0, 0},
    {7, {0.6, 0.2, 0, 0.2, 0}, "steady", ShapeKind::linear, 1.0, 0, 0, 0},
    {5, {1.0, 0, 0, 0, 0}, "bump", ShapeKind::bump, 0.25, 1.5, 0.35, 0.15},
    {5, {0.7, 0, 0, 0.3, 0}, "late rise", ShapeKind::logistic, 0.2, 1.3, 0.6, 0.07},
    {3, {0.9, 0.1, 0, 0, 0}, "steady", ShapeKind::linear, 1.0, 0, 0, 0},
    {5, {0.5, 0.5, 0, 0, 0}, "fading", ShapeKind::linear, 1.4, -1.1, 0, 0},
    {4, {0, 0.5, 0, 0.5, 0}, "spike", ShapeKind::bump, 0.4, 2.5, 0.75, 0.05},
    {4, {0, 0.3, 0, 0.7, 0}, "spike", ShapeKind::bump, 0.3, 2.0, 0.2, 0.06},
    {6, {0.6, 0.4, 0, 0, 0}, "steady", ShapeKind::linear, 0.9, 0, 0, 0},
    {5, {0.8, 0.2, 0, 0, 0}, "rising", ShapeKind::linear, 0.6, 0.6, 0, 0},
}};
constexpr double kNoiseRate = 10, kPraiseRate = 8, kVerbatimRate = 0.5;
constexpr std::array<double, kThemeCount> kDetractorThemes = {0, 0.15, 0.02, 0.05, 0.05, 0.10, 0.25, 0.20, 0.10, 0.08};
constexpr std::array<double, kThemeCount> kPassiveThemes = {0.20, 0.12, 0.15, 0.12, 0.08, 0.08, 0, 0, 0.10, 0.15};
// Off-topic items get whatever type the sender picked.
constexpr std::array<double, 5> kNoiseTypes = {0.2, 0.2, 0.3, 0.3, 0};
// P(channel | type) over kChannelNames (email, in-app, call, NPS survey, feature-request form).
constexpr std::array<std::array<double, 5>, 4> kChannelByType = {{
    {0.25, 0.25, 0.10, 0, 0.40},  // feature request
    {0.45, 0.45, 0.10, 0, 0},     // bug
    {0.45, 0.40, 0.15, 0, 0},     // praise
    {0.50, 0.20, 0.30, 0, 0},     // complaint
}};

double shape_value(const ThemeModel& m, double x) {
  switch (m.kind) {
    case ShapeKind::linear: return m.a + m.b * x;
    case ShapeKind::bump: {
      const double z = (x - m.c) / m.d;
      return m.a + m.b * exp_det(-z * z / 2.0);
    }
    case ShapeKind::logistic: return m.a + m.b * logistic((x - m.c) / m.d);
  }
  return 0;
}

// Sources of scheduled items: the themes, then noise, then praise (the last).
constexpr std::size_t kNoiseSource = kThemeCount, kSources = kThemeCount + 2;

}  // namespace

FeedbackTruth feedback_parameters(const CompanyOptions& o, std::span<const std::int64_t> month_starts) {
  FeedbackTruth f;
  for (auto t : month_starts) f.month_starts.push_back(from_micros(t));
  const std::size_t months = month_starts.size() - 1;
  f.noise_rate = kNoiseRate * o.feedback_rate;
  f.praise_rate = kPraiseRate * o.feedback_rate;
  f.verbatim_rate = kVerbatimRate;
  f.detractor_theme_weights = kDetractorThemes;
  f.passive_theme_weights = kPassiveThemes;
  for (std::size_t th = 0; th < kThemeCount; ++th) {
    const ThemeModel& m = kThemeModels[th];
    ThemeTruth t;
    t.key = std::string(kThemeKeys[th]);
    t.label = std::string(kThemeLabels[th]);
    t.type_shares = m.type_shares;
    t.base_rate = m.base_rate * o.feedback_rate;
    t.shape = std::string(m.shape_name);
    for (std::size_t mo = 0; mo < months; ++mo)
      t.shape_values.push_back(shape_value(m, (static_cast<double>(mo) + 0.5) / static_cast<double>(months)));
    t.expected_items.assign(months, 0.0);
    t.realised_items.assign(months, 0);
    f.themes.push_back(std::move(t));
  }
  f.active_account_months.assign(months, 0.0);
  return f;
}

Language feedback_language(Language account_language, const TextNoise& noise, Rng& rng) {
  if (account_language != Language::en && rng.bernoulli(noise.english_share)) return Language::en;
  return account_language;
}

std::vector<RawFeedback> scheduled_feedback(const Context& ctx, std::span<const std::int64_t> signup,
                                            std::span<const std::int64_t> stop,
                                            std::span<const Language> language, FeedbackTruth& truth,
                                            unsigned threads) {
  const std::size_t months = truth.month_starts.size() - 1;
  const std::size_t n = signup.size();
  std::vector<std::vector<RawFeedback>> per_month(months);
  std::vector<std::array<double, kSources>> expected(months);
  std::vector<double> active(months);
  parallel_for(months, threads, [&](std::size_t m, unsigned) {
    const std::int64_t lo = to_micros(truth.month_starts[m]), hi = to_micros(truth.month_starts[m + 1]);
    // Active seconds per account in the month, as a running total: an item's position in
    // [0, total) picks the account and the instant at once, exactly, in integers.
    std::vector<std::int64_t> cumulative(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t a = std::max(signup[i], lo), b = std::min(stop[i], hi);
      cumulative[i + 1] = cumulative[i] + (b > a ? floor_div(b - a, kSecond) : 0);
    }
    const std::int64_t total = cumulative[n];
    active[m] = static_cast<double>(total) / static_cast<double>(floor_div(hi - lo, kSecond));
    auto& items = per_month[m];
    for (std::size_t source = 0; source < kSources; ++source) {
      double rate = 0;
      if (source < kThemeCount)
        rate = truth.themes[source].base_rate * truth.themes[source].shape_values[m];
      else
        rate = source == kNoiseSource ? truth.noise_rate : truth.praise_rate;
      expected[m][source] = rate * active[m] / 1000.0;
      if (total == 0) continue;
      Rng rng(ctx.options.seed, kFeedbackStream, m * 64 + source);
      const auto count = poisson(rng, expected[m][source]);
      for (std::uint64_t j = 0; j < count; ++j) {
        const auto position = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total)));
        const auto i = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), position) - cumulative.begin() - 1);
        const std::int64_t t = std::max(signup[i], lo) + (position - cumulative[i]) * kSecond;
        RawFeedback item{t, static_cast<std::uint32_t>(i), -1, true, FeedbackType::praise, Channel::email,
                         Language::en, {}};
        TextKind kind = TextKind::praise;
        if (source < kThemeCount) {
          item.theme = static_cast<std::int8_t>(source);
          item.type = static_cast<FeedbackType>(categorical(rng, kThemeModels[source].type_shares));
          kind = item.type == FeedbackType::feature_request ? TextKind::request : TextKind::problem;
        } else if (source == kNoiseSource) {
          item.type = static_cast<FeedbackType>(categorical(rng, kNoiseTypes));
          kind = TextKind::noise;
        }
        item.channel = static_cast<Channel>(categorical(rng, kChannelByType[static_cast<std::size_t>(item.type)]));
        item.language = feedback_language(language[i], ctx.options.text, rng);
        item.text = render_text(item.language, kind, source < kThemeCount ? source : 0, ctx.options.text, rng);
        items.push_back(std::move(item));
      }
    }
    std::stable_sort(items.begin(), items.end(), [](const RawFeedback& x, const RawFeedback& y) { return x.t < y.t; });
  });

  std::vector<RawFeedback> out;
  for (std::size_t m = 0; m < months; ++m) {
    truth.active_account_months[m] = active[m];
    for (std::size_t th = 0; th < kThemeCount; ++th) truth.themes[th].expected_items[m] = expected[m][th];
    for (auto& item : per_month[m]) {
      if (item.theme >= 0) ++truth.themes[static_cast<std::uint8_t>(item.theme)].realised_items[m];
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace cxkit::simulate::detail
