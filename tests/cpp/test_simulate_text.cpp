// Feedback text: phrase banks, rendering and the noise functions.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "cxkit/simulate/phrases.hpp"

namespace cs = cxkit::simulate;
namespace sd = cxkit::simulate::detail;
using cs::Language;
using cs::TextKind;

namespace {

constexpr Language kLanguages[] = {Language::en, Language::ru, Language::pt, Language::fa};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

cs::TextNoise clean() {
  cs::TextNoise n;
  n.typo_rate = n.lowercase_rate = n.uppercase_rate = 0;
  n.arabic_letter_rate = n.zwnj_drop_rate = n.zwnj_space_rate = n.english_share = 0;
  return n;
}

}  // namespace

TEST(SimulateText, FillFrameReplacesEveryPlaceholder) {
  EXPECT_EQ(sd::fill_frame("Please add {t}. {d}", "dark mode", "We work late."), "Please add dark mode. We work late.");
  EXPECT_EQ(sd::fill_frame("{T} is slow in {p}.", "export", ""), "Export is slow in Beacon.");
  EXPECT_EQ(sd::fill_frame("{x} and {", "a", "b"), "{x} and {");
}

TEST(SimulateText, CaseMappingCoversLatinOneAndCyrillic) {
  EXPECT_EQ(sd::to_upper("ação rápida"), "AÇÃO RÁPIDA");
  EXPECT_EQ(sd::to_lower("AÇÃO RÁPIDA"), "ação rápida");
  EXPECT_EQ(sd::to_upper("тёмный режим"), "ТЁМНЫЙ РЕЖИМ");
  EXPECT_EQ(sd::to_lower("ТЁМНЫЙ РЕЖИМ"), "тёмный режим");
  EXPECT_EQ(sd::to_upper("× ÷ ß"), "× ÷ ß");            // no case pairs in Latin-1 for these
  EXPECT_EQ(sd::to_upper("حالت تاریک"), "حالت تاریک");  // Persian has no case
  EXPECT_EQ(sd::capitalise("экспорт данных"), "Экспорт данных");
  EXPECT_EQ(sd::capitalise("ótimo"), "Ótimo");
}

TEST(SimulateText, PersianVariantsSwapLettersAndZwnj) {
  const std::string word = "می\u200cکنیم";  // mi-konim with Persian yeh (U+06CC) and kaf (U+06A9)
  EXPECT_EQ(sd::persian_variant(word, false, 0), word);
  // Arabic yeh U+064A (D9 8A), Arabic kaf U+0643 (D9 83).
  EXPECT_EQ(sd::persian_variant(word, true, 0), "\u0645\u064a\u200c\u0643\u0646\u064a\u0645");
  EXPECT_EQ(sd::persian_variant(word, false, 1), "\u0645\u06cc\u06a9\u0646\u06cc\u0645");
  EXPECT_EQ(sd::persian_variant(word, false, 2), "\u0645\u06cc \u06a9\u0646\u06cc\u0645");
}

TEST(SimulateText, TyposKeepUtf8AndChangeAtMostOneLetterPerWord) {
  cs::detail::Rng rng(1, 9, 0);
  const std::string text = "Добавьте, пожалуйста, тёмный режим. Reclamação sobre a cobrança: لطفاً گزارش\u200cها";
  EXPECT_EQ(sd::add_typos(text, 0.0, rng), text);
  int changed = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string t = sd::add_typos(text, 1.0, rng);
    ASSERT_TRUE(sd::is_valid_utf8(t)) << t;
    // Every 4+ letter word got one swap (same length), drop (-1) or double (+1).
    const auto a = code_points(text), b = code_points(t);
    EXPECT_LE(b, a + 9);
    EXPECT_GE(b + 9, a);
    changed += t != text ? 1 : 0;
  }
  EXPECT_GT(changed, 190);
  // Short words are never touched.
  EXPECT_EQ(sd::add_typos("a to the P0", 1.0, rng), "a to the P0");
}

TEST(SimulateText, Utf8ValidatorRejectsMalformedInput) {
  EXPECT_TRUE(sd::is_valid_utf8("plain ascii"));
  EXPECT_TRUE(sd::is_valid_utf8("Ёлка حالت 😀"));
  EXPECT_FALSE(sd::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(sd::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(sd::is_valid_utf8("\xE2\x80"));          // truncated
  EXPECT_FALSE(sd::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(sd::is_valid_utf8("\x80"));
}

TEST(SimulateText, PhraseBanksAreCompleteAndPersianUsesPersianLetters) {
  for (Language lang : kLanguages) {
    const auto& bank = sd::phrases(lang);
    EXPECT_GE(bank.request_frames.size(), 5u);
    EXPECT_GE(bank.problem_frames.size(), 5u);
    EXPECT_GE(bank.praise.size(), 4u);
    EXPECT_GE(bank.noise.size(), 6u);
    for (auto f : bank.request_frames) {
      EXPECT_NE(f.find("{t}"), std::string_view::npos) << f;
      EXPECT_NE(f.find("{d}"), std::string_view::npos) << f;
    }
    for (const auto& theme : bank.themes) {
      EXPECT_GE(theme.terms.size(), 3u);
      EXPECT_GE(theme.request_details.size(), 2u);
      EXPECT_GE(theme.problem_details.size(), 2u);
    }
  }
  // The bank is written in standard Persian: no Arabic yeh (D9 8A) or kaf (D9 83), and
  // ZWNJ inside words.
  const auto& fa = sd::phrases(Language::fa);
  std::size_t zwnj = 0;
  auto check = [&](std::string_view s) {
    EXPECT_EQ(s.find("\u064a"), std::string_view::npos) << s;
    EXPECT_EQ(s.find("\u0643"), std::string_view::npos) << s;
    zwnj += s.find("\u200c") != std::string_view::npos ? 1 : 0;
  };
  for (auto s : fa.request_frames) check(s);
  for (const auto& theme : fa.themes) {
    for (auto s : theme.terms) check(s);
    for (auto s : theme.request_details) check(s);
    for (auto s : theme.problem_details) check(s);
  }
  EXPECT_GT(zwnj, 20u);
}

TEST(SimulateText, CleanRenderingNamesTheThemeInItsLanguage) {
  const cs::TextNoise noise = clean();
  for (Language lang : kLanguages) {
    const auto& bank = sd::phrases(lang);
    for (std::size_t theme = 0; theme < cs::kThemeCount; ++theme) {
      for (TextKind kind : {TextKind::request, TextKind::problem}) {
        cs::detail::Rng rng(3, theme, static_cast<std::uint64_t>(lang) * 2 + (kind == TextKind::problem));
        for (int i = 0; i < 20; ++i) {
          const std::string text = sd::render_text(lang, kind, theme, noise, rng);
          ASSERT_TRUE(sd::is_valid_utf8(text));
          // The text holds one of the theme's terms (first letter possibly lowered/raised).
          bool found = false;
          for (auto term : bank.themes[theme].terms)
            found |= text.find(term) != std::string::npos || text.find(sd::capitalise(term)) != std::string::npos;
          EXPECT_TRUE(found) << text;
          EXPECT_EQ(text.find('{'), std::string::npos) << text;
        }
      }
    }
  }
}

TEST(SimulateText, NoiseProducesVariantsAtTheirRates) {
  cs::TextNoise noise = clean();
  noise.arabic_letter_rate = 0.5;
  noise.zwnj_drop_rate = 0.25;
  noise.zwnj_space_rate = 0.25;
  noise.uppercase_rate = 0.2;
  cs::detail::Rng rng(4, 4, 4);
  int arabic = 0, with_zwnj = 0, upper = 0;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    const std::string fa = sd::render_text(Language::fa, TextKind::request, 2, noise, rng);  // templates: ZWNJ-rich
    ASSERT_TRUE(sd::is_valid_utf8(fa));
    arabic += (fa.find("\u064a") != std::string::npos || fa.find("\u0643") != std::string::npos) ? 1 : 0;
    with_zwnj += fa.find("\u200c") != std::string::npos ? 1 : 0;
    const std::string ru = sd::render_text(Language::ru, TextKind::noise, 0, noise, rng);
    upper += (ru == sd::to_upper(ru) && ru != sd::to_lower(ru)) ? 1 : 0;
  }
  // Every Persian template text has yeh or kaf and a ZWNJ, so the shares are the rates.
  EXPECT_NEAR(arabic / double(n), 0.5, 0.05);
  EXPECT_NEAR(with_zwnj / double(n), 0.5, 0.05);
  EXPECT_NEAR(upper / double(n), 0.2, 0.04);
}

TEST(SimulateText, PraiseAndNoiseCoverEveryLanguage) {
  const cs::TextNoise noise = clean();
  for (Language lang : kLanguages) {
    cs::detail::Rng rng(5, 5, static_cast<std::uint64_t>(lang));
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
      seen.insert(sd::render_text(lang, TextKind::praise, 0, noise, rng));
      seen.insert(sd::render_text(lang, TextKind::noise, 0, noise, rng));
    }
    EXPECT_GE(seen.size(), 10u);
    for (const auto& s : seen) EXPECT_EQ(s.find("{p}"), std::string::npos) << s;
  }
}
