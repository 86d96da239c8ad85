// Journey modelling: discover the customer journey of the sample company and print its
// busiest paths and most common variants.
#include <cxkit/cxkit.hpp>

#include <algorithm>
#include <iostream>

int main() {
  cxkit::simulate::CompanyOptions options;
  options.n_accounts = 300;
  options.months = 12;
  const auto company = cxkit::simulate::company(options);

  const cxkit::journey::JourneyMap map = cxkit::journey::discover(company.events);
  std::cout << map.n_cases() << " journeys, " << map.n_events() << " events, " << map.activities().size()
            << " activities\n";

  // The five busiest directly-follows edges with their median time.
  std::vector<const cxkit::journey::Edge*> edges;
  for (const auto& e : map.edges()) edges.push_back(&e);
  const std::size_t top = std::min<std::size_t>(5, edges.size());
  std::partial_sort(edges.begin(), edges.begin() + static_cast<std::ptrdiff_t>(top), edges.end(),
                    [](const auto* a, const auto* b) { return a->count > b->count; });
  for (std::size_t i = 0; i < top; ++i)
    std::cout << "  " << map.activity_name(edges[i]->source) << " -> " << map.activity_name(edges[i]->target)
              << ": " << edges[i]->count << " times, median " << edges[i]->summary.median / 3600.0 << " h\n";

  // Every account's journey is its own sequence once usage is in it: variants show how varied.
  std::cout << map.variants().size() << " distinct variants; journeys start with:";
  for (const auto& [name, count] : map.start_activities()) std::cout << ' ' << name << " (" << count << ')';
  std::cout << '\n';
}
