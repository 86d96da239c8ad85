// English phrase bank. Frames take {t} (a theme term), {d} (a detail sentence), {p} (product).
#include "phrase_banks.hpp"

namespace cxkit::simulate::detail {

namespace {

using sv = std::string_view;

constexpr sv kOpeners[] = {"", "", "", "Hi team,", "Hello,", "Hey there,", "Hi,"};
constexpr sv kRequestFrames[] = {
    "Please add {t}. {d}", "Any plans for {t}? {d}",        "We would love {t} in {p}. {d}",
    "Feature request: {t}. {d}", "{d} Could you add {t}?", "Is {t} on the roadmap? {d}"};
constexpr sv kProblemFrames[] = {"Problem with {t}: {d}", "We keep having trouble with {t}. {d}",
                                 "{d} Please fix {t}.", "Complaint about {t}: {d}", "Not happy with {t}. {d}"};
constexpr sv kPraise[] = {"Love the product, keep up the great work!",
                          "Your support team solved our issue in minutes. Thank you!",
                          "{p} saves our team hours every week.",
                          "Everything works smoothly, very happy with {p}.",
                          "Thanks for the quick turnaround on our request.",
                          "Our CSM is fantastic, always one step ahead."};
constexpr sv kNoise[] = {"Thanks for the webinar yesterday.",
                         "Can you send me the slides from last week's call?",
                         "Who is our account manager now?",
                         "Please update our company address in your records.",
                         "Out of office until Monday.",
                         "test",
                         "Happy holidays to the whole team!",
                         "Is there a user conference this year?"};

constexpr sv kDarkTerms[] = {"dark mode", "a dark theme", "night mode", "a dark UI"};
constexpr sv kDarkRequest[] = {"Our team works late and the white screen hurts the eyes.",
                               "Half of my team keeps asking for it.",
                               "Every other tool we use already has one.",
                               "Evening check-ins across time zones are painful with the bright interface."};
constexpr sv kDarkProblem[] = {"The bright interface is exhausting after 8 pm.",
                               "There is still no dark option and people complain every day.",
                               "The white background is blinding on night shifts."};

constexpr sv kMobileTerms[] = {"the mobile app", "the iOS app", "the Android app", "mobile access"};
constexpr sv kMobileRequest[] = {"I check customer status between meetings and the mobile web version is clumsy.",
                                 "Our field team needs to update tasks on the go.",
                                 "We would use it on our phones every day."};
constexpr sv kMobileProblem[] = {"The mobile web version is clunky and I cannot add notes.",
                                 "It crashes whenever I open a project on my phone.",
                                 "Updating tasks from a phone is almost impossible."};

constexpr sv kTemplateTerms[] = {"onboarding templates", "project templates", "the template library",
                                 "reusable checklists"};
constexpr sv kTemplateRequest[] = {"I rebuild the same 20-task onboarding checklist for every new customer.",
                                   "Being able to duplicate a project would save us hours.",
                                   "We copied the same project structure 15 times this quarter."};
constexpr sv kTemplateProblem[] = {"Recreating the onboarding project by hand for each client is error-prone.",
                                   "Copying a project loses half of the tasks.",
                                   "There is no way to reuse our onboarding checklist."};

constexpr sv kNotifyTerms[] = {"smart notifications", "the morning digest", "notification filters",
                               "urgent-only alerts"};
constexpr sv kNotifyRequest[] = {"Alert me right away for urgent items and put everything else in a daily digest.",
                                 "I get a notification for every single comment.",
                                 "We need an escalation when a P0 task is untouched for 2 hours."};
constexpr sv kNotifyProblem[] = {"The notifications are overwhelming and I miss the critical ones.",
                                 "There are so many alerts that people just mute them.",
                                 "I turned notifications off and missed an escalation."};

constexpr sv kSsoTerms[] = {"SSO", "single sign-on", "SAML login", "the Okta integration"};
constexpr sv kSsoRequest[] = {"Our security team requires it before we roll out to more users.",
                              "IT will not approve the renewal without it.",
                              "Managing separate passwords for 300 people is not sustainable."};
constexpr sv kSsoProblem[] = {"The SAML login fails for half of our users.", "People get logged out every hour.",
                              "Provisioning through Okta does not remove people who left."};

constexpr sv kExportTerms[] = {"export to Excel", "CSV export", "data export", "PDF export"};
constexpr sv kExportRequest[] = {"Finance needs the numbers in a spreadsheet every month.",
                                 "We want to pull all our data into our own BI tool.",
                                 "Please let us schedule the export weekly."};
constexpr sv kExportProblem[] = {"The export cuts off after 1,000 rows.",
                                 "Exported files have broken characters in names.",
                                 "The export button times out on large projects."};

constexpr sv kPerfTerms[] = {"performance", "page load times", "speed", "the dashboard loading"};
constexpr sv kPerfRequest[] = {"A faster dashboard would make a big difference for our team.",
                               "Please make large projects load faster.", "Search should be instant."};
constexpr sv kPerfProblem[] = {"Pages take more than 10 seconds to load.",
                               "The app freezes when we open big boards.",
                               "Everything has been really slow since last week."};

constexpr sv kBillingTerms[] = {"billing", "the invoices", "pricing", "payments"};
constexpr sv kBillingRequest[] = {"Please allow paying by bank transfer.",
                                  "We need invoices that show our VAT number.",
                                  "Could seat changes be prorated automatically?"};
constexpr sv kBillingProblem[] = {"We were charged twice this month.",
                                  "The invoice shows the wrong number of seats.",
                                  "Our card was charged again after we downgraded."};

constexpr sv kIntegrationTerms[] = {"the Salesforce integration", "the Slack integration", "integrations",
                                    "the HubSpot sync"};
constexpr sv kIntegrationRequest[] = {"We want updates to flow into our CRM automatically.",
                                      "Syncing with our other tools would remove a lot of manual work.",
                                      "A webhook for ticket changes would help."};
constexpr sv kIntegrationProblem[] = {"The sync stopped working after the last update.",
                                      "Records are duplicated every time it syncs.",
                                      "The connection drops and has to be re-authorised daily."};

constexpr sv kReportTerms[] = {"reporting", "custom reports", "the report builder", "analytics dashboards"};
constexpr sv kReportRequest[] = {"Leadership wants a weekly view of account health.",
                                 "We need to filter reports by custom fields like tier and ARR.",
                                 "Please let us schedule reports by email."};
constexpr sv kReportProblem[] = {"The numbers in the report do not match the dashboard.",
                                 "Reports cannot be filtered by custom fields.",
                                 "The report builder loses my filters."};

}  // namespace

const LanguagePhrases& english_phrases() noexcept {
  static const LanguagePhrases bank{kOpeners,
                                    kRequestFrames,
                                    kProblemFrames,
                                    kPraise,
                                    kNoise,
                                    {{{kDarkTerms, kDarkRequest, kDarkProblem},
                                      {kMobileTerms, kMobileRequest, kMobileProblem},
                                      {kTemplateTerms, kTemplateRequest, kTemplateProblem},
                                      {kNotifyTerms, kNotifyRequest, kNotifyProblem},
                                      {kSsoTerms, kSsoRequest, kSsoProblem},
                                      {kExportTerms, kExportRequest, kExportProblem},
                                      {kPerfTerms, kPerfRequest, kPerfProblem},
                                      {kBillingTerms, kBillingRequest, kBillingProblem},
                                      {kIntegrationTerms, kIntegrationRequest, kIntegrationProblem},
                                      {kReportTerms, kReportRequest, kReportProblem}}}};
  return bank;
}

}  // namespace cxkit::simulate::detail
