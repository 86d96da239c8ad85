// Validation of CompanyOptions: every bad value is reported with the option's name.
#include <cmath>
#include <cstdio>
#include <string>

#include "cxkit/core/error.hpp"
#include "cxkit/simulate/options.hpp"

namespace cxkit::simulate {

namespace {

std::string show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

[[noreturn]] void bad(const char* option, const std::string& value, const char* requirement) {
  throw InputError(std::string("must be ") + requirement, InputLocation{"CompanyOptions", -1, option, value});
}

void in_range(const char* option, double v, double lo, double hi, const char* requirement) {
  if (!(v >= lo && v <= hi)) bad(option, show(v), requirement);
}

void shares(const char* option, std::initializer_list<double> values) {
  double total = 0;
  for (double v : values) {
    if (!(v >= 0 && std::isfinite(v))) bad(option, show(v), "non-negative shares");
    total += v;
  }
  if (!(total > 0)) bad(option, show(total), "shares with a positive sum");
}

}  // namespace

void CompanyOptions::validate() const {
  if (n_accounts < 1 || n_accounts > 10'000'000)
    bad("n_accounts", std::to_string(n_accounts), "between 1 and 10,000,000");
  if (months < 3 || months > 600) bad("months", std::to_string(months), "between 3 and 600");
  // Calendars precompute 1900-2200; the whole period must fit.
  const std::int64_t s = to_micros(start);
  if (s < -2208988800LL * 1000000 || s > 7258118400LL * 1000000 - 600LL * 31 * 86400 * 1000000)
    bad("start", format_iso8601(start), "between 1900-01-01 and 2150-01-01");
  in_range("annual_churn_rate", annual_churn_rate, 1e-6, 0.999, "in (0, 1)");
  shares("tiers", {tiers.smb, tiers.mid_market, tiers.enterprise});
  shares("languages", {languages.en, languages.ru, languages.pt, languages.fa});
  in_range("first_reply_target_hours", first_reply_target_hours, 1.0 / 60.0, 10000, "between 1 minute and 10000 hours");
  in_range("welcome_target_hours", welcome_target_hours, 1.0 / 60.0, 10000, "between 1 minute and 10000 hours");
  in_range("nps_response_rate", nps_response_rate, 0, 1, "in [0, 1]");
  in_range("feedback_rate", feedback_rate, 0, 100, "in [0, 100]");
  in_range("text.typo_rate", text.typo_rate, 0, 1, "in [0, 1]");
  in_range("text.lowercase_rate", text.lowercase_rate, 0, 1, "in [0, 1]");
  in_range("text.uppercase_rate", text.uppercase_rate, 0, 1 - text.lowercase_rate,
           "in [0, 1 - lowercase_rate]");
  in_range("text.arabic_letter_rate", text.arabic_letter_rate, 0, 1, "in [0, 1]");
  in_range("text.zwnj_drop_rate", text.zwnj_drop_rate, 0, 1, "in [0, 1]");
  in_range("text.zwnj_space_rate", text.zwnj_space_rate, 0, 1 - text.zwnj_drop_rate, "in [0, 1 - zwnj_drop_rate]");
  in_range("text.english_share", text.english_share, 0, 1, "in [0, 1]");
  if (threads > 1024) bad("threads", std::to_string(threads), "at most 1024");
}

}  // namespace cxkit::simulate
