// Stop-word lists written for cxkit: the commonest articles, pronouns, prepositions,
// conjunctions and auxiliaries of each language (not copied from any package).
#include "stop_words.hpp"

#include <cxkit/feedback/normalize.hpp>

#include <array>
#include <sstream>

namespace cxkit::feedback::detail {
namespace {

constexpr const char* kEn =
    "a an the and or but if then else of to in on at by for with from into onto about as is are "
    "was were be been being am do does did done have has had having i me my mine we us our you your "
    "he him his she her it its they them their this that these those there here what which who whom "
    "whose when where why how all any both each few more most other some such no nor not only own "
    "same so than too very can could will would shall should may might must just also out up down "
    "over under again further once s t don doesn didn isn aren wasn weren won wouldn can't it's "
    "i'm please";
constexpr const char* kRu =
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её "
    "мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть "
    "был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо "
    "ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот "
    "того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда "
    "зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас "
    "про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть "
    "том нельзя такой им более всегда конечно всю между это при";
constexpr const char* kPt =
    "a o as os um uma uns umas de do da dos das no na nos nas em e é ou mas se que por para com "
    "sem ao aos à às pelo pela pelos pelas eu tu ele ela nós vós eles elas me te lhe nos vos lhes "
    "meu minha meus minhas seu sua seus suas nosso nossa este esta isto esse essa isso aquele "
    "aquela aquilo não sim mais muito já também só quando como onde foi ser está estão estou era "
    "são tem têm ter há num numa quem qual seja pois até";
constexpr const char* kEs =
    "el la los las un una unos unas de del al a en y o u e pero si que por para con sin sobre "
    "entre es son fue era ser está están estoy yo tú él ella nosotros vosotros ellos ellas me te "
    "se nos os le les lo mi mis tu tus su sus nuestro nuestra este esta esto ese esa eso aquel no "
    "sí más muy ya también solo sólo cuando como donde porque hay ha han he tiene tengo qué cómo "
    "cuál hasta desde pero";
constexpr const char* kDe =
    "der die das den dem des ein eine einer eines einem einen und oder aber wenn dann nicht kein "
    "keine ist sind war waren sein bin bist hat haben habe hatte wird werden wurde ich du er sie es "
    "wir ihr mich mir dich dir uns euch sich mein meine dein sein ihr unser zu in im an am auf aus "
    "bei mit nach von vom zum zur für über unter vor durch gegen ohne um als wie auch noch nur so "
    "schon sehr was wer wo warum dass daß man kann können muss soll will bitte";
constexpr const char* kFr =
    "le la les l un une des du de d au aux et ou mais si que qu qui quoi ne pas plus je j tu il "
    "elle on nous vous ils elles me m te t se s lui leur leurs mon ma mes ton ta tes son sa ses "
    "notre nos votre vos ce cet cette ces c est sont été être était avoir ai as a avons avez ont "
    "dans en sur sous par pour avec sans chez entre vers comme quand où y très aussi bien tout "
    "tous toute toutes même fait faire peut n";
constexpr const char* kFa =
    "و در به از که این را با است برای آن یک خود تا کرد بر هم نیز شده شد می ها های اما یا "
    "هر ای بود دارد کند باید شود کنند او من ما شما آنها ایشان وی چه چون اگر پس همه دیگر "
    "هست نیست بین روی پیش بعد بدون هیچ ولی حتی";

std::unordered_set<std::string> build(const char* words) {
  std::unordered_set<std::string> set;
  std::istringstream in(words);
  std::string w;
  while (in >> w) set.insert(normalize(w));  // stripped form, same pipeline as the tokens
  return set;
}

}  // namespace

const std::unordered_set<std::string>& stop_words(Language language) {
  static const std::array<std::unordered_set<std::string>, 8> sets = {
      std::unordered_set<std::string>{}, build(kEn), build(kRu), build(kPt),
      build(kEs), build(kDe), build(kFr), build(kFa)};
  switch (language) {
    case Language::en: return sets[1];
    case Language::ru: return sets[2];
    case Language::pt: return sets[3];
    case Language::es: return sets[4];
    case Language::de: return sets[5];
    case Language::fr: return sets[6];
    case Language::fa: return sets[7];
    default: return sets[0];
  }
}

}  // namespace cxkit::feedback::detail
