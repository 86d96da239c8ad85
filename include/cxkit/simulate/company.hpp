// The sample company: a B2B SaaS customer base with known ground truth.
//
//   auto c = cxkit::simulate::company({.n_accounts = 5000, .seed = 42});
//   c.events   // onboarding, usage, tickets, CSM touches, surveys, renewals, churn
//   c.accounts // one row per account: tier, plan, arr, owner, region, churn outcome
//   c.feedback // multilingual feedback text with its true theme
//   c.truth    // the coefficients, schedules and calendars that generated all of it
//   cxkit::simulate::save(c, "out/");
//
// The output is a pure function of the options except `threads`: the same options give
// identical tables and logs on every platform and for any number of threads.
#pragma once

#include <string>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/simulate/catalogue.hpp"
#include "cxkit/simulate/options.hpp"
#include "cxkit/simulate/truth.hpp"

namespace cxkit::simulate {

struct Company {
  /// Key "account" ("A000001", ...). Columns: name (text), tier, plan (categorical),
  /// arr (numeric, US dollars at the end or at churn), seats (numeric, at the end or at
  /// churn), signup (timestamp), contract ("annual"/"monthly"), renewal_date (timestamp: the
  /// next renewal after the period's end; missing once churned), owner (CSM), region,
  /// timezone (IANA), support_hub, industry, language (categorical), churned (numeric 0/1),
  /// churn_date (timestamp, missing while active).
  Table accounts;
  /// Case = account id; activities from kActivityNames; attributes ticket, priority,
  /// feature, actor (categorical) and score, seats, amount (numeric), see catalogue.hpp.
  EventLog events;
  /// Key "feedback" ("F0000001", ... in time order). Columns: customer (account id),
  /// time (timestamp), channel, type, language (categorical), text (text),
  /// theme (categorical theme key; missing for items without a theme).
  Table feedback;
  Truth truth;
  CompanyOptions options;
};

/// Generates the company. Throws InputError for invalid options (see
/// CompanyOptions::validate) and NotFoundError if the system's time-zone database lacks one
/// of the hubs' zones. Time and memory are linear in n_accounts * months (about 15 events
/// per account-month); work is spread over `options.threads` threads.
Company company(const CompanyOptions& options = {});

/// Writes accounts.csv, events.csv, feedback.csv (RFC 4180, UTF-8, timestamps in ISO 8601
/// UTC) and truth.json into `directory`, creating it if needed. events.csv has the columns
/// case, activity, timestamp, then the attributes; the tables start with their key column.
/// Missing values are empty fields. The same company gives byte-identical files.
/// Throws Error when a file cannot be written.
void save(const Company& company, const std::string& directory);

}  // namespace cxkit::simulate
