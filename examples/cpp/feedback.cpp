// Feedback patterns: near-duplicate requests among the sample company's feedback, and the
// items most similar to a new request ("has this been asked before?").
#include <cxkit/cxkit.hpp>

#include <iostream>

int main() {
  cxkit::simulate::CompanyOptions options;
  options.n_accounts = 1000;
  options.months = 12;
  const auto company = cxkit::simulate::company(options);

  const auto& text = company.feedback.column("text");
  std::vector<std::string> texts;
  for (std::size_t r = 0; r < text.size(); ++r) texts.emplace_back(text.text(r));
  std::cout << texts.size() << " feedback items\n";

  const auto groups = cxkit::feedback::find_duplicates(texts, 0.7);
  std::cout << groups.groups.size() << " groups of near-duplicates (" << groups.verified_pairs
            << " verified pairs)\n";

  const cxkit::feedback::TextIndex index(texts);
  for (const auto& hit : index.similar("please add a dark mode", 3))
    std::cout << "  " << hit.score << "  " << texts[hit.index] << '\n';
}
