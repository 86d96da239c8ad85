// Persian phrase bank, in standard Persian orthography: Persian yeh and kaf (U+06CC, U+06A9)
// and the zero-width non-joiner (written \u200c) inside words such as "mi\u200ckonim". The
// renderer produces the common variants (Arabic letters, ZWNJ left out or typed as a space).
#include "phrase_banks.hpp"

namespace cxkit::simulate::detail {

namespace {

using sv = std::string_view;

constexpr sv kOpeners[] = {"", "", "", "سلام،", "با سلام و احترام،", "درود،", "وقت بخیر،"};
constexpr sv kRequestFrames[] = {"لطفاً {t} را اضافه کنید. {d}", "آیا برای {t} برنامه\u200cای دارید؟ {d}",
                                 "خیلی به {t} نیاز داریم. {d}", "درخواست قابلیت: {t}. {d}",
                                 "{d} امکانش هست {t} را اضافه کنید؟"};
constexpr sv kProblemFrames[] = {"مشکل در {t}: {d}", "با {t} مشکل داریم. {d}", "{d} لطفاً {t} را درست کنید.",
                                 "شکایت درباره {t}: {d}", "از {t} راضی نیستیم. {d}"};
constexpr sv kPraise[] = {"محصول عالی است، خسته نباشید!", "پشتیبانی مشکل ما را در چند دقیقه حل کرد.",
                          "{p} هر هفته ساعت\u200cها در وقت تیم ما صرفه\u200cجویی می\u200cکند.",
                          "همه چیز به خوبی کار می\u200cکند، از شما راضی هستیم.",
                          "مدیر موفقیت مشتری ما فوق\u200cالعاده است."};
constexpr sv kNoise[] = {"بابت وبینار دیروز ممنون.", "لطفاً اسلایدهای جلسه را بفرستید.",
                         "مدیر حساب ما الان چه کسی است؟", "تا شنبه در مرخصی هستم.", "تست", "نوروز مبارک!",
                         "آیا امسال همایش کاربران برگزار می\u200cشود؟"};

constexpr sv kDarkTerms[] = {"حالت تاریک", "تم تیره", "حالت شب"};
constexpr sv kDarkRequest[] = {"تیم ما تا دیروقت کار می\u200cکند و صفحه سفید چشم را اذیت می\u200cکند.",
                               "نصف اعضای تیم این را خواسته\u200cاند.",
                               "همه ابزارهای دیگری که استفاده می\u200cکنیم این را دارند."};
constexpr sv kDarkProblem[] = {"بعد از ساعت هشت شب رابط کاربری روشن خیلی خسته\u200cکننده است.",
                               "هنوز گزینه تیره وجود ندارد و همکاران هر روز شکایت می\u200cکنند."};

constexpr sv kMobileTerms[] = {"اپلیکیشن موبایل", "نسخه موبایل", "اپ آی\u200cاواس"};
constexpr sv kMobileRequest[] = {"بین جلسه\u200cها وضعیت مشتری\u200cها را چک می\u200cکنم و نسخه وب موبایل خیلی ناجور است.",
                                 "تیم میدانی ما باید در مسیر کارها را به\u200cروز کند."};
constexpr sv kMobileProblem[] = {"نسخه موبایل کند است و نمی\u200cشود یادداشت اضافه کرد.",
                                 "وقتی پروژه را روی گوشی باز می\u200cکنم برنامه بسته می\u200cشود."};

constexpr sv kTemplateTerms[] = {"قالب\u200cهای آنبوردینگ", "قالب پروژه", "چک\u200cلیست\u200cهای آماده"};
constexpr sv kTemplateRequest[] = {"برای هر مشتری جدید همان چک\u200cلیست ۲۰ مرحله\u200cای را دستی می\u200cسازم.",
                                   "اگر می\u200cشد پروژه را کپی کرد ساعت\u200cها وقت صرفه\u200cجویی می\u200cشد."};
constexpr sv kTemplateProblem[] = {"ساختن دستی آنبوردینگ برای هر مشتری پر از خطاست.",
                                   "با کپی کردن پروژه نیمی از کارها از بین می\u200cرود."};

constexpr sv kNotifyTerms[] = {"اعلان\u200cهای هوشمند", "خلاصه روزانه اعلان\u200cها", "فیلتر اعلان\u200cها"};
constexpr sv kNotifyRequest[] = {"موارد فوری همان لحظه و بقیه در خلاصه صبحگاهی.",
                                 "برای هر کامنت یک اعلان می\u200cگیرم."};
constexpr sv kNotifyProblem[] = {"تعداد اعلان\u200cها آن\u200cقدر زیاد است که موارد فوری را از دست می\u200cدهم.",
                                 "همکاران اعلان\u200cها را کلاً خاموش کرده\u200cاند."};

constexpr sv kSsoTerms[] = {"ورود یکپارچه", "SSO", "ورود با SAML"};
constexpr sv kSsoRequest[] = {"تیم امنیت بدون این اجازه اضافه کردن کاربر بیشتر را نمی\u200cدهد.",
                              "واحد فناوری اطلاعات بدون این تمدید را تأیید نمی\u200cکند."};
constexpr sv kSsoProblem[] = {"ورود با SAML برای نیمی از کاربران کار نمی\u200cکند.", "هر ساعت از سیستم بیرون می\u200cافتیم."};

constexpr sv kExportTerms[] = {"خروجی اکسل", "خروجی CSV", "خروجی گرفتن از داده\u200cها"};
constexpr sv kExportRequest[] = {"واحد مالی هر ماه اعداد را در اکسل لازم دارد.",
                                 "می\u200cخواهیم همه داده\u200cها را به ابزار BI خودمان ببریم."};
constexpr sv kExportProblem[] = {"خروجی بعد از ۱۰۰۰ ردیف قطع می\u200cشود.",
                                 "در فایل\u200cهای خروجی حروف فارسی به هم ریخته است."};

constexpr sv kPerfTerms[] = {"سرعت سیستم", "کندی صفحات", "عملکرد داشبورد"};
constexpr sv kPerfRequest[] = {"اگر داشبورد سریع\u200cتر بود کار تیم خیلی راحت\u200cتر می\u200cشد.",
                               "پروژه\u200cهای بزرگ باید سریع\u200cتر باز شوند."};
constexpr sv kPerfProblem[] = {"باز شدن صفحات بیش از ۱۰ ثانیه طول می\u200cکشد.",
                               "با باز کردن بردهای بزرگ همه چیز هنگ می\u200cکند.", "از هفته پیش همه چیز خیلی کند شده است."};

constexpr sv kBillingTerms[] = {"صورتحساب", "فاکتورها", "پرداخت"};
constexpr sv kBillingRequest[] = {"لطفاً امکان پرداخت با کارت بانکی داخلی را فراهم کنید.",
                                  "فاکتورها باید شناسه ملی شرکت را داشته باشند."};
constexpr sv kBillingProblem[] = {"این ماه دو بار از ما پول کسر شد.", "در فاکتور تعداد کاربران اشتباه است."};

constexpr sv kIntegrationTerms[] = {"یکپارچه\u200cسازی با سیلزفورس", "اتصال به اسلک", "یکپارچه\u200cسازی\u200cها"};
constexpr sv kIntegrationRequest[] = {"می\u200cخواهیم به\u200cروزرسانی\u200cها خودکار به CRM برسد.",
                                      "اتصال به ابزارهای دیگر کلی کار دستی را حذف می\u200cکند."};
constexpr sv kIntegrationProblem[] = {"همگام\u200cسازی بعد از آخرین به\u200cروزرسانی از کار افتاده است.",
                                      "هر بار همگام\u200cسازی رکوردهای تکراری می\u200cسازد."};

constexpr sv kReportTerms[] = {"گزارش\u200cگیری", "گزارش\u200cهای سفارشی", "داشبورد تحلیلی"};
constexpr sv kReportRequest[] = {"مدیران هر هفته گزارشی از سلامت مشتری\u200cها می\u200cخواهند.",
                                 "باید بتوانیم گزارش\u200cها را بر اساس فیلدهای سفارشی فیلتر کنیم."};
constexpr sv kReportProblem[] = {"اعداد گزارش با داشبورد یکی نیست.", "سازنده گزارش فیلترهای من را پاک می\u200cکند."};

}  // namespace

const LanguagePhrases& persian_phrases() noexcept {
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
