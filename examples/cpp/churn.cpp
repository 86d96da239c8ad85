// Churn risk: retention curve of the sample company (Kaplan-Meier) and a Cox model of
// how tier and size shift the hazard.
#include <cxkit/cxkit.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>

int main() {
  cxkit::simulate::CompanyOptions options;
  options.n_accounts = 2000;
  options.months = 24;
  const auto company = cxkit::simulate::company(options);
  const cxkit::Table& accounts = company.accounts;

  // Duration: months from signup to churn, or to the end of the period (censored).
  const auto signup = accounts.column("signup").times();
  const auto& churn_date = accounts.column("churn_date");
  const auto churned = accounts.column("churned").numbers();
  const auto seats = accounts.column("seats").numbers();
  const auto& tier = accounts.column("tier");
  const auto times = company.events.timestamps();
  const std::int64_t end_us = *std::max_element(times.begin(), times.end());  // end of observation
  const auto n = static_cast<Eigen::Index>(accounts.size());
  Eigen::VectorXd months(n), event(n);
  Eigen::MatrixXd X(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::int64_t stop = churned[i] == 1 ? churn_date.times()[i] : end_us;
    months(i) = static_cast<double>(stop - signup[i]) / (30.4375 * 86400e6);
    event(i) = churned[i];
    X(i, 0) = std::log(seats[i]);
    X(i, 1) = tier.categories().name(tier.codes()[i]) == "Enterprise" ? 1.0 : 0.0;
  }

  cxkit::churn::KaplanMeier km;
  km.fit(months, event);
  std::cout << "retention after 12 months: " << km.survival_at(12.0) * 100 << "%\n";

  cxkit::churn::CoxPH cox;
  cox.fit(X, months, event);
  std::cout << "hazard ratio per doubling of seats: " << std::exp(cox.params()(0) * std::log(2.0))
            << ", enterprise vs others: " << std::exp(cox.params()(1)) << '\n';
}
