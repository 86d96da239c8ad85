// Inputs libFuzzer found (fuzz/fuzz_definitions.cpp, fuzz/fuzz_text.cpp), kept as tests; the
// raw inputs are also in the seed corpora (fuzz/corpus/*/regression-*).
#include <gtest/gtest.h>

#include <string>

#include "cxkit/churn/scorecard.hpp"
#include "cxkit/core/error.hpp"
#include "cxkit/feedback/normalize.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/playbook.hpp"
#include "cxkit/moments/milestones.hpp"
#include "cxkit/moments/moment.hpp"
#include "cxkit/moments/notification_policy.hpp"

namespace {

// A number beyond double's range made nlohmann throw out_of_range (not parse_error), which
// escaped the definition readers as a foreign exception. Every reader must say InputError.
TEST(FuzzRegressions, NumbersOutOfRangeAreInputErrorsInEveryDefinitionReader) {
  const std::string text = R"({"name": 6640000e0465082960})";
  EXPECT_THROW(cxkit::journey::JourneyDesign::from_json_text(text), cxkit::InputError);
  EXPECT_THROW(cxkit::journey::Playbook::from_json_text(text), cxkit::InputError);
  EXPECT_THROW(cxkit::moments::Moment::from_json_text(text), cxkit::InputError);
  EXPECT_THROW(cxkit::moments::MilestoneRule::from_json_text(text), cxkit::InputError);
  EXPECT_THROW(cxkit::churn::Scorecard::from_json_text(text), cxkit::InputError);
  EXPECT_THROW(cxkit::moments::NotificationPolicy::from_json_text(text), cxkit::InputError);
}

// U+FE7D (ARABIC SHADDA MEDIAL FORM) decomposes to tatweel + shadda. The tatweel rule ran only
// on input code points, so the first pass kept a tatweel that the second removed.
TEST(FuzzRegressions, NormalisationIsIdempotentOnPresentationForms) {
  const std::string shadda_medial = "\xEF\xB9\xBD";  // U+FE7D
  const std::string once = cxkit::feedback::normalize("a" + shadda_medial + "b");
  EXPECT_EQ(once, "ab");  // tatweel dropped, shadda stripped as a diacritic
  EXPECT_EQ(cxkit::feedback::normalize(once), once);
  const std::string tatweel_word = "\xD9\x83\xD9\x80\xD8\xAA\xD8\xA7\xD8\xA8";  // كـتاب with a tatweel
  EXPECT_EQ(cxkit::feedback::normalize(tatweel_word), cxkit::feedback::normalize("\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8"));
}

}  // namespace

namespace {

// A milestone rule carrying another kind's field ("event" on days_after_signup) was accepted
// but to_json() dropped the field, so the round trip changed the rule. Such fields are errors.
TEST(FuzzRegressions, MilestoneFieldsOfAnotherKindAreRejected) {
  EXPECT_THROW(cxkit::moments::MilestoneRule::from_json_text(
                   R"({"name": "m", "kind": "days_after_signup", "event": "login", "days": 32})"),
               cxkit::InputError);
  const auto ok = cxkit::moments::MilestoneRule::from_json_text(R"({"name": "m", "kind": "days_after_signup", "days": 32})");
  EXPECT_EQ(cxkit::moments::MilestoneRule::from_json_text(ok.to_json().dump()), ok);
}

}  // namespace
