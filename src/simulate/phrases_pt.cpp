// Portuguese (Brazilian) phrase bank. Terms carry their article where the frames need one.
#include "phrase_banks.hpp"

namespace cxkit::simulate::detail {

namespace {

using sv = std::string_view;

constexpr sv kOpeners[] = {"", "", "", "Olá,", "Oi pessoal,", "Bom dia,", "Boa tarde,"};
constexpr sv kRequestFrames[] = {"Por favor, adicionem {t}. {d}", "Existe previsão para {t}? {d}",
                                 "Seria ótimo ter {t} no {p}. {d}", "Pedido de funcionalidade: {t}. {d}",
                                 "{d} Vocês podem incluir {t}?"};
constexpr sv kProblemFrames[] = {"Problema com {t}: {d}", "Estamos tendo dificuldades com {t}. {d}",
                                 "{d} Por favor, corrijam {t}.", "Reclamação sobre {t}: {d}",
                                 "Insatisfeitos com {t}. {d}"};
constexpr sv kPraise[] = {"Produto excelente, parabéns à equipe!", "O suporte resolveu nosso problema em minutos.",
                          "O {p} economiza horas do nosso time toda semana.",
                          "Tudo funcionando muito bem, estamos satisfeitos.",
                          "Nossa gerente de sucesso do cliente é fantástica."};
constexpr sv kNoise[] = {"Obrigado pelo webinar de ontem.", "Podem enviar os slides da reunião?",
                         "Quem é o nosso gerente de conta agora?", "Estou de férias até segunda.", "teste",
                         "Feliz Natal a toda a equipe!", "Vai ter conferência de usuários este ano?"};

constexpr sv kDarkTerms[] = {"o modo escuro", "um tema escuro", "o modo noturno"};
constexpr sv kDarkRequest[] = {"Nossa equipe trabalha até tarde e a tela branca cansa a vista.",
                               "Metade do time pede isso.", "Todas as outras ferramentas que usamos já têm."};
constexpr sv kDarkProblem[] = {"A interface clara é cansativa depois das 20h.",
                               "Ainda não existe opção escura e o pessoal reclama todo dia."};

constexpr sv kMobileTerms[] = {"o aplicativo móvel", "o app para Android", "o app para iOS"};
constexpr sv kMobileRequest[] = {"Consulto o status dos clientes entre reuniões e a versão web no celular é ruim.",
                                 "Nossa equipe de campo precisa atualizar tarefas na rua."};
constexpr sv kMobileProblem[] = {"A versão móvel é travada e não dá para adicionar notas.",
                                 "O app fecha sozinho quando abro um projeto no celular."};

constexpr sv kTemplateTerms[] = {"os modelos de onboarding", "modelos de projeto", "checklists reutilizáveis"};
constexpr sv kTemplateRequest[] = {"Recrio o mesmo checklist de 20 tarefas para cada cliente novo.",
                                   "Duplicar um projeto economizaria horas."};
constexpr sv kTemplateProblem[] = {"Montar o onboarding na mão para cada cliente gera erros.",
                                   "Ao copiar um projeto metade das tarefas se perde."};

constexpr sv kNotifyTerms[] = {"notificações inteligentes", "o resumo diário", "filtros de notificação"};
constexpr sv kNotifyRequest[] = {"Urgente na hora, o resto num resumo pela manhã.",
                                 "Recebo uma notificação para cada comentário."};
constexpr sv kNotifyProblem[] = {"São tantas notificações que perco as escalações críticas.",
                                 "O pessoal simplesmente desativa os alertas."};

constexpr sv kSsoTerms[] = {"o SSO", "login único", "login via SAML"};
constexpr sv kSsoRequest[] = {"Nossa equipe de segurança exige isso para liberar mais usuários.",
                              "A TI não aprova a renovação sem isso."};
constexpr sv kSsoProblem[] = {"O login via SAML falha para metade dos usuários.", "Somos desconectados a cada hora."};

constexpr sv kExportTerms[] = {"a exportação para Excel", "exportação em CSV", "a exportação de dados"};
constexpr sv kExportRequest[] = {"O financeiro precisa dos números em planilha todo mês.",
                                 "Queremos levar todos os dados para o nosso BI."};
constexpr sv kExportProblem[] = {"A exportação para depois de 1.000 linhas.",
                                 "Os arquivos exportados vêm com acentos quebrados."};

constexpr sv kPerfTerms[] = {"o desempenho", "a velocidade", "o tempo de carregamento"};
constexpr sv kPerfRequest[] = {"Um painel mais rápido faria muita diferença.",
                               "Projetos grandes precisam abrir mais rápido."};
constexpr sv kPerfProblem[] = {"As páginas levam mais de 10 segundos para carregar.",
                               "O sistema trava quando abrimos quadros grandes.",
                               "Está tudo muito lento desde a semana passada."};

constexpr sv kBillingTerms[] = {"a cobrança", "as faturas", "o pagamento"};
constexpr sv kBillingRequest[] = {"Permitam pagamento por boleto ou Pix.",
                                  "Precisamos de notas fiscais com o nosso CNPJ."};
constexpr sv kBillingProblem[] = {"Fomos cobrados duas vezes este mês.",
                                  "A fatura mostra o número errado de licenças."};

constexpr sv kIntegrationTerms[] = {"a integração com Salesforce", "a integração com Slack", "as integrações"};
constexpr sv kIntegrationRequest[] = {"Queremos que as atualizações entrem no CRM automaticamente.",
                                      "Integrar com as outras ferramentas tiraria muito trabalho manual."};
constexpr sv kIntegrationProblem[] = {"A sincronização parou depois da última atualização.",
                                      "Cada sincronização cria registros duplicados."};

constexpr sv kReportTerms[] = {"os relatórios", "relatórios personalizados", "o gerador de relatórios"};
constexpr sv kReportRequest[] = {"A diretoria quer uma visão semanal da saúde das contas.",
                                 "Precisamos filtrar relatórios por campos personalizados."};
constexpr sv kReportProblem[] = {"Os números do relatório não batem com o painel.",
                                 "O gerador de relatórios perde meus filtros."};

}  // namespace

const LanguagePhrases& portuguese_phrases() noexcept {
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
