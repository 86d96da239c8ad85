// NPS surveys: sent at fixed tenure days, answered by some accounts; the score's latent
// mean carries the true effects of missed moments of truth. Half the answers come with a
// verbatim: detractors name a problem theme, passives ask for something, promoters praise.
#include <algorithm>

#include "cxkit/simulate/phrases.hpp"
#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

constexpr std::array<double, 3> kIntercept = {8.5, 8.7, 8.9};  // by tier
constexpr double kEngagementCoefficient = 1.0;
constexpr double kMissedWelcomeEffect = -0.8;
constexpr double kMissedFirstReplyEffect = -1.0;  // per miss in the last 90 days, up to 2
constexpr double kOpenP0P1Effect = -0.9;          // per open P0/P1 ticket, up to 2
constexpr double kSigma = 1.7;
constexpr int kFirstSurveyDay = 90, kSurveyEveryDays = 180;
// Disengaged accounts answer less often (non-response bias, as in real surveys).
constexpr double kLowEngagement = -0.5, kLowEngagementResponse = 0.7;
constexpr double kAnswerDelayMedian = 18, kAnswerDelaySigma = 1.0;  // elapsed hours after sending

}  // namespace

NpsTruth nps_parameters(const CompanyOptions& o) {
  NpsTruth t;
  t.intercept_by_tier = kIntercept;
  t.engagement_coefficient = kEngagementCoefficient;
  t.missed_welcome_effect = kMissedWelcomeEffect;
  t.missed_first_reply_effect = kMissedFirstReplyEffect;
  t.open_p0_p1_effect = kOpenP0P1Effect;
  t.sigma = kSigma;
  t.response_rate = o.nps_response_rate;
  const int horizon_days = o.months * 31;
  for (int d = kFirstSurveyDay; d < horizon_days; d += kSurveyEveryDays) t.survey_days.push_back(d);
  return t;
}

void simulate_surveys(const Context& ctx, AccountSim& a, Rng& rng, bool render_text_now) {
  const Profile& p = a.profile;
  const NpsTruth& m = ctx.truth.nps;
  const FeedbackTruth& f = ctx.truth.feedback;
  const double verbatim_probability = std::min(1.0, f.verbatim_rate * ctx.options.feedback_rate);
  for (const int day : m.survey_days) {
    const std::int64_t sent = p.signup + day * kDay;
    if (sent >= ctx.end) break;
    const double e_sent = a.engagement_at(sent);
    const double respond = m.response_rate * (e_sent < kLowEngagement ? kLowEngagementResponse : 1.0);
    if (!rng.bernoulli(respond)) continue;
    const std::int64_t t =
        customer_time_after(ctx, p, sent + hours(lognormal_median(rng, kAnswerDelayMedian, kAnswerDelaySigma)), rng);
    const double mu = m.intercept_by_tier[static_cast<std::size_t>(p.tier)] +
                      m.engagement_coefficient * a.engagement_at(t) +
                      (welcome_missed(ctx, a, t) ? m.missed_welcome_effect : 0.0) +
                      m.missed_first_reply_effect * std::min(2, missed_first_replies(a, t)) +
                      m.open_p0_p1_effect * std::min(2, open_p0_p1(a, t));
    const int score = static_cast<int>(std::clamp(std::floor(mu + m.sigma * normal(rng) + 0.5), 0.0, 10.0));
    a.emit(t, Activity::nps_answered, Actor::customer, score);
    a.nps.push_back(NpsAnswer{t, score, mu});

    if (!rng.bernoulli(verbatim_probability)) continue;
    TextKind kind = TextKind::praise;
    int theme = -1;
    if (score <= 6) {
      kind = TextKind::problem;
      theme = static_cast<int>(categorical(rng, f.detractor_theme_weights));
    } else if (score <= 8) {
      kind = TextKind::request;
      theme = static_cast<int>(categorical(rng, f.passive_theme_weights));
    }
    const Language lang = feedback_language(p.language, ctx.options.text, rng);
    std::string text;
    if (render_text_now) {
      // Wording comes from its own stream, so pass 1 (which skips it) and pass 2 draw the
      // same account history.
      Rng words(ctx.options.seed, kTextStream, (static_cast<std::uint64_t>(a.index) << 8) + a.nps.size());
      text = render_text(lang, kind, theme < 0 ? 0 : static_cast<std::size_t>(theme), ctx.options.text, words);
    }
    a.verbatims.push_back(RawFeedback{t, static_cast<std::uint32_t>(a.index), static_cast<std::int8_t>(theme), false,
                                      FeedbackType::nps_verbatim, Channel::nps_survey, lang, std::move(text)});
  }
}

}  // namespace cxkit::simulate::detail
