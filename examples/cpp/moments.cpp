// Moments of truth: the first reply to every ticket, due within 4 business hours of the
// support hub in Berlin, evaluated on the sample company; compliance per month.
#include <cxkit/cxkit.hpp>

#include <iostream>

int main() {
  cxkit::simulate::CompanyOptions options;
  options.n_accounts = 300;
  options.months = 12;
  const auto company = cxkit::simulate::company(options);

  // Definitions are data: the same JSON the Python Moment and the report config use.
  const auto first_reply = cxkit::moments::Moment::from_json_text(R"({
    "name": "first reply", "trigger": "ticket opened", "fulfil": "first reply",
    "key": "ticket", "within": "4h", "owner": "support", "urgency": "high",
    "targets": {"by": "priority", "values": {"P0": "1h", "P1": "2h"}},
    "calendar": {"timezone": "Europe/Berlin",
                 "week": [[["09:00","17:00"]], [["09:00","17:00"]], [["09:00","17:00"]],
                          [["09:00","17:00"]], [["09:00","17:00"]], [], []],
                 "holidays": []}})");
  const std::vector<cxkit::moments::Moment> moments{first_reply};

  const auto occurrences = cxkit::moments::evaluate(company.events, moments);
  std::cout << occurrences.size() << " first-reply clocks\n";

  for (const auto& row : cxkit::moments::compliance(occurrences)) {
    if (row.period == cxkit::moments::kAllPeriods) continue;
    std::cout << "  " << cxkit::moments::period_label(row.period) << ": " << row.count << " tickets, "
              << row.met_rate * 100 << "% met, median " << row.median_elapsed.count() / 6e7 << " business min\n";
  }
}
