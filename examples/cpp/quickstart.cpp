// The README's C++ quick start, compiled by the test suite so that it stays true.
#include <cxkit/cxkit.hpp>
#include <iostream>

int main(int argc, char** argv) {
  cxkit::io::CsvOptions opt;  // pm4py's column names by default
  cxkit::EventLog log = cxkit::io::read_csv(argc > 1 ? argv[1] : "events.csv", opt);
  std::cout << log.size() << " events, " << log.n_cases() << " cases\n";
  auto cal = cxkit::Calendar::business_hours("Europe/Berlin");  // Mon-Fri 09:00-17:00
  auto first = log.timestamp(log.case_begin(0)), last = log.timestamp(log.case_end(0) - 1);
  std::cout << "case 0 took " << cal.business_duration(first, last).count() / 3.6e9 << " business hours\n";
}
