// company(): runs the two passes over fixed blocks of accounts on worker threads, then
// assembles the tables, the event log and the truth in account order.
//
// Pass 1 simulates every account without churn and records its hazard path; the baseline
// b0 is calibrated on those paths; pass 2 simulates again (identically) and cuts each
// history at its churn instant. Blocks have a fixed size, and every sum over accounts runs
// in block order, so nothing depends on the number of threads.
#include <algorithm>

#include "assemble.hpp"
#include "cxkit/simulate/company.hpp"
#include "model.hpp"

namespace cxkit::simulate {

using namespace detail;

namespace {
constexpr std::size_t kBlock = 256;
}  // namespace

Company company(const CompanyOptions& options) {
  options.validate();
  Context ctx = make_context(options);
  const std::size_t n = options.n_accounts;
  const std::size_t n_blocks = (n + kBlock - 1) / kBlock;
  const unsigned threads = resolve_threads(options.threads);
  std::vector<AccountSim> scratch(threads);
  // Each block adds its accounts once done; only the calling thread runs the callback.
  ProgressReporter progress(options.progress, 2 * static_cast<std::uint64_t>(n));

  // Pass 1: hazard paths of the uncut histories, then the baseline.
  {
    std::vector<HazardPaths> paths(n_blocks);
    parallel_for(n_blocks, threads, [&](std::size_t b, unsigned worker) {
      AccountSim& a = scratch[worker];
      HazardPaths& hp = paths[b];
      for (std::size_t k = b * kBlock; k < std::min(n, (b + 1) * kBlock); ++k) {
        simulate_account(ctx, k, Pass::calibrate, a);
        hp.weights.insert(hp.weights.end(), a.hazard_weights.begin(), a.hazard_weights.end());
        hp.offsets.push_back(static_cast<std::uint32_t>(hp.weights.size()));
        hp.last_length.push_back(a.last_period_length);
      }
      progress.advance(std::min(n, (b + 1) * kBlock) - b * kBlock);
    });
    ctx.baseline = calibrate_baseline(paths, options.annual_churn_rate, threads);
  }

  // Pass 2: the same histories, cut at churn.
  std::vector<BlockOutput> blocks(n_blocks);
  parallel_for(n_blocks, threads, [&](std::size_t b, unsigned worker) {
    AccountSim& a = scratch[worker];
    for (std::size_t k = b * kBlock; k < std::min(n, (b + 1) * kBlock); ++k) {
      simulate_account(ctx, k, Pass::generate, a);
      collect(ctx, a, blocks[b]);
    }
    progress.advance(std::min(n, (b + 1) * kBlock) - b * kBlock);
  });
  scratch.clear();

  Company c;
  c.options = options;
  c.options.progress = {};  // the callback may hold caller state (a Python callable) that must not outlive the call
  const int id_width = std::max(6, digits(n));
  c.accounts = build_accounts(ctx, blocks, id_width);

  // Truth: realised figures, summed in block order.
  Truth& t = ctx.truth;
  t.churn.baseline_log_hazard = ctx.baseline;
  std::vector<std::int64_t> signup(n), stop(n);
  std::vector<Language> language(n);
  std::size_t k = 0;
  for (const auto& b : blocks) {
    t.churn.exposure_periods += b.exposure;
    t.nps.expected_promoter_share += b.promoter;
    t.nps.expected_passive_share += b.passive;
    t.nps.expected_detractor_share += b.detractor;
    t.nps.answers += b.answers;
    for (std::size_t m = 0; m < 3; ++m) {
      t.moments[m].opportunities += b.moments[m][0];
      t.moments[m].missed += b.moments[m][1];
    }
    for (const auto& r : b.rows) {
      t.churn.churned_accounts += r.churn != kNever ? 1 : 0;
      signup[k] = r.profile.signup;
      stop[k] = std::min(r.churn, ctx.end);
      language[k] = r.profile.language;
      ++k;
    }
  }
  t.churn.realised_annual_rate =
      1.0 - exp_det(-12.0 * static_cast<double>(t.churn.churned_accounts) / t.churn.exposure_periods);
  if (t.nps.answers > 0) {
    const auto answers = static_cast<double>(t.nps.answers);
    t.nps.expected_promoter_share /= answers;
    t.nps.expected_passive_share /= answers;
    t.nps.expected_detractor_share /= answers;
  }

  std::vector<RawFeedback> feedback = scheduled_feedback(ctx, signup, stop, language, t.feedback, threads);
  for (auto& b : blocks)
    for (auto& v : b.verbatims) feedback.push_back(std::move(v));
  std::stable_sort(feedback.begin(), feedback.end(), [](const RawFeedback& x, const RawFeedback& y) { return x.t < y.t; });
  c.feedback = build_feedback(feedback, id_width);
  feedback = {};

  c.events = build_events(blocks, n, id_width);
  c.truth = std::move(t);
  progress.finish();  // after assembly, so 100% means the result is ready
  return c;
}

}  // namespace cxkit::simulate
