// What the sample company looks like: size, period, seed and the knobs of its generative
// model. Every default is documented in docs/simulator.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cxkit/core/progress.hpp"
#include "cxkit/core/time.hpp"

namespace cxkit::simulate {

/// Shares of accounts per tier (normalised; must not all be zero).
struct TierMix {
  double smb = 0.60;
  double mid_market = 0.30;
  double enterprise = 0.10;
};

/// Shares of accounts per language (normalised; must not all be zero). The language fixes
/// the account's region, time zone and support hub (see Truth::support_hubs).
struct LanguageMix {
  double en = 0.55;
  double ru = 0.15;
  double pt = 0.18;
  double fa = 0.12;
};

/// How messy feedback text is. Rates are probabilities in [0, 1].
struct TextNoise {
  double typo_rate = 0.03;           ///< per word of 4+ letters: swap, drop or double a letter
  double lowercase_rate = 0.15;      ///< per item: written all in lower case
  double uppercase_rate = 0.03;      ///< per item: WRITTEN IN CAPITALS
  double arabic_letter_rate = 0.30;  ///< per Persian item: Arabic yeh/kaf (U+064A/U+0643) for Persian ones
  double zwnj_drop_rate = 0.20;      ///< per Persian item: zero-width non-joiners left out
  double zwnj_space_rate = 0.20;     ///< per Persian item: zero-width non-joiners typed as spaces
  double english_share = 0.10;       ///< share of a non-English account's feedback written in English
};

struct CompanyOptions {
  /// Number of accounts (>= 1). Ids are "A000001", "A000002", ... in order of signup date.
  std::size_t n_accounts = 2000;
  /// Start of the observed period (2024-01-01T00:00:00Z). Every account signs up in
  /// [start, end - 60 days]; the period ends `months` calendar months after start.
  Timestamp start = from_micros(1704067200LL * 1000000LL);
  /// Length of the period in calendar months, 3..600.
  int months = 24;
  std::uint64_t seed = 7;

  /// The churn rate the baseline hazard is calibrated to: the probability that an account
  /// churns within a year, 1 - exp(-12 * lambda), where lambda is churns per account-month
  /// of exposure. In (0, 1).
  double annual_churn_rate = 0.15;

  TierMix tiers;
  LanguageMix languages;

  /// Moment of truth: the first reply to a ticket is due within this many business hours
  /// of the account's support hub calendar (> 0).
  double first_reply_target_hours = 4.0;
  /// Moment of truth: the welcome is due within this many elapsed hours of signing (> 0).
  double welcome_target_hours = 24.0;
  /// Probability that a surveyed account answers an NPS survey, in [0, 1].
  double nps_response_rate = 0.45;
  /// Multiplier on every feedback rate (themes, praise, noise, NPS verbatims), >= 0.
  double feedback_rate = 1.0;
  TextNoise text;

  /// Worker threads; 0 = std::thread::hardware_concurrency(). The output never depends on it.
  unsigned threads = 0;

  /// Optional progress: (account simulations done, 2 * n_accounts), as every account is
  /// simulated twice (calibration pass, then generation pass); called on the calling thread
  /// about every 256 accounts. Returning false throws Cancelled. Never changes the output,
  /// and is not kept in Company::options.
  Progress progress;

  /// Throws InputError naming the offending option (as `column`) when a value is out of range.
  void validate() const;
};

}  // namespace cxkit::simulate
