// libFuzzer target for the JSON definition readers: journey design, playbook, moment,
// milestone rule, scorecard and notification policy.
//
// The first byte picks the reader, the rest is the JSON text. Any input must end in a
// definition or a cxkit::Error; a definition that was accepted must survive its own round
// trip (from_json_text(to_json().dump()) == itself). Anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cxkit/churn/scorecard.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/playbook.hpp"
#include "cxkit/moments/milestones.hpp"
#include "cxkit/moments/moment.hpp"
#include "cxkit/moments/notification_policy.hpp"

namespace {

template <class Definition>
void check(std::string_view text) {
  try {
    const Definition d = Definition::from_json_text(text);
    const Definition again = Definition::from_json_text(d.to_json().dump());
    if (!(again == d)) __builtin_trap();
  } catch (const cxkit::Error&) {
    // a clear, typed rejection is the defined outcome for bad definitions
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: check<cxkit::journey::JourneyDesign>(text); break;
    case 1: check<cxkit::journey::Playbook>(text); break;
    case 2: check<cxkit::moments::Moment>(text); break;
    case 3: check<cxkit::moments::MilestoneRule>(text); break;
    case 4: check<cxkit::churn::Scorecard>(text); break;
    default: check<cxkit::moments::NotificationPolicy>(text); break;
  }
  return 0;
}
