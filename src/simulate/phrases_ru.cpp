// Russian phrase bank. Terms are chosen so nominative and accusative coincide (masculine
// inanimate, neuter, plural, or feminine in -ь), so every frame reads grammatically.
#include "phrase_banks.hpp"

namespace cxkit::simulate::detail {

namespace {

using sv = std::string_view;

constexpr sv kOpeners[] = {"", "", "", "Здравствуйте!", "Добрый день.", "Привет,", "Коллеги,"};
constexpr sv kRequestFrames[] = {"Добавьте, пожалуйста, {t}. {d}", "Планируется ли {t}? {d}",
                                 "Очень не хватает: {t}. {d}", "Запрос на функцию: {t}. {d}",
                                 "{d} Можно ли сделать {t}?"};
constexpr sv kProblemFrames[] = {"Проблема: {t}. {d}", "Снова сложности, тема — {t}. {d}",
                                 "{d} Почините, пожалуйста, {t}.", "Жалоба на {t}: {d}", "Не устраивает {t}. {d}"};
constexpr sv kPraise[] = {"Отличный продукт, спасибо команде!", "Поддержка решила нашу проблему за несколько минут.",
                          "{p} экономит нам часы каждую неделю.", "Всё работает стабильно, мы довольны.",
                          "Наш менеджер по успеху клиентов — просто супер."};
constexpr sv kNoise[] = {"Спасибо за вчерашний вебинар.", "Пришлите, пожалуйста, презентацию со встречи.",
                         "Кто теперь наш аккаунт-менеджер?", "Я в отпуске до понедельника.", "тест",
                         "С Новым годом всю команду!", "Будет ли в этом году конференция пользователей?"};

constexpr sv kDarkTerms[] = {"тёмный режим", "ночной режим", "тёмный интерфейс"};
constexpr sv kDarkRequest[] = {"Мы работаем допоздна, и белый экран режет глаза.",
                               "Половина команды просит об этом.",
                               "Во всех остальных наших инструментах это уже есть."};
constexpr sv kDarkProblem[] = {"После восьми вечера яркий интерфейс очень утомляет.",
                               "Тёмной темы до сих пор нет, люди жалуются каждый день."};

constexpr sv kMobileTerms[] = {"мобильное приложение", "приложение для iOS", "мобильный доступ"};
constexpr sv kMobileRequest[] = {"Я проверяю статус клиентов между встречами, а мобильная веб-версия неудобная.",
                                 "Нашей выездной команде нужно обновлять задачи на ходу.",
                                 "Мы бы пользовались им каждый день."};
constexpr sv kMobileProblem[] = {"Мобильная версия неуклюжая, нельзя добавить заметку.",
                                 "Приложение вылетает при открытии проекта на телефоне."};

constexpr sv kTemplateTerms[] = {"шаблоны онбординга", "шаблоны проектов", "готовые чек-листы"};
constexpr sv kTemplateRequest[] = {"Я вручную пересоздаю один и тот же чек-лист из 20 задач для каждого клиента.",
                                   "Возможность дублировать проект сэкономила бы нам часы.",
                                   "В этом квартале мы копировали одну и ту же структуру 15 раз."};
constexpr sv kTemplateProblem[] = {"Пересоздавать онбординг вручную для каждого клиента — источник ошибок.",
                                   "При копировании проекта теряется половина задач."};

constexpr sv kNotifyTerms[] = {"умные уведомления", "утренний дайджест", "фильтры уведомлений"};
constexpr sv kNotifyRequest[] = {"Срочное — сразу, всё остальное — в утренний дайджест.",
                                 "Я получаю уведомление о каждом комментарии.",
                                 "Нужна автоэскалация, если задачу P0 не трогали 2 часа."};
constexpr sv kNotifyProblem[] = {"Уведомлений слишком много, и я пропускаю критичные эскалации.",
                                 "Люди просто отключают оповещения."};

constexpr sv kSsoTerms[] = {"SSO", "единый вход", "вход через SAML"};
constexpr sv kSsoRequest[] = {"Без этого служба безопасности не разрешит подключить больше пользователей.",
                              "ИТ не согласует продление без этого."};
constexpr sv kSsoProblem[] = {"Вход через SAML не работает у половины сотрудников.",
                              "Нас выкидывает из системы каждый час."};

constexpr sv kExportTerms[] = {"экспорт в Excel", "экспорт в CSV", "экспорт данных"};
constexpr sv kExportRequest[] = {"Финансам каждый месяц нужны цифры в таблице.",
                                 "Хотим выгружать все данные в свою BI-систему."};
constexpr sv kExportProblem[] = {"Экспорт обрывается после 1000 строк.", "В выгруженных файлах ломается кириллица."};

constexpr sv kPerfTerms[] = {"скорость", "производительность", "время загрузки"};
constexpr sv kPerfRequest[] = {"Быстрый дашборд очень облегчил бы работу команды.",
                               "Большие проекты должны открываться быстрее."};
constexpr sv kPerfProblem[] = {"Страницы грузятся больше 10 секунд.", "Всё зависает, когда открываем большие доски.",
                               "С прошлой недели всё очень медленно."};

constexpr sv kBillingTerms[] = {"биллинг", "счета", "выставление счетов"};
constexpr sv kBillingRequest[] = {"Добавьте оплату банковским переводом.", "Нужны счета с нашим ИНН и КПП."};
constexpr sv kBillingProblem[] = {"С нас дважды списали деньги в этом месяце.",
                                  "В счёте указано неверное количество мест."};

constexpr sv kIntegrationTerms[] = {"интеграции", "коннектор к Salesforce", "обмен данными с CRM"};
constexpr sv kIntegrationRequest[] = {"Хотим, чтобы обновления автоматически попадали в CRM.",
                                      "Интеграция со Slack убрала бы много ручной работы."};
constexpr sv kIntegrationProblem[] = {"Синхронизация перестала работать после обновления.",
                                      "При каждой синхронизации появляются дубли."};

constexpr sv kReportTerms[] = {"отчёты", "конструктор отчётов", "дашборды"};
constexpr sv kReportRequest[] = {"Руководству нужен еженедельный обзор здоровья клиентов.",
                                 "Нужно фильтровать отчёты по полям tier и ARR."};
constexpr sv kReportProblem[] = {"Цифры в отчёте не совпадают с дашбордом.", "Конструктор отчётов сбрасывает мои фильтры."};

}  // namespace

const LanguagePhrases& russian_phrases() noexcept {
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
