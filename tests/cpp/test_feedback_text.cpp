// Text pipeline: UTF-8 repair, normalisation, tokenisation, stemming, n-grams, language guess.
#include <cxkit/core/error.hpp>
#include <cxkit/feedback/language.hpp>
#include <cxkit/feedback/normalize.hpp>
#include <cxkit/feedback/text.hpp>
#include <cxkit/feedback/tokenize.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace cxkit::feedback;
using Strings = std::vector<std::string>;

TEST(FeedbackUtf8, ValidInputUnchanged) {
  const std::string s = "héllo мир سلام 半角";
  const auto r = repair_utf8(s);
  EXPECT_EQ(r.text, s);
  EXPECT_EQ(r.replacements, 0u);
}

TEST(FeedbackUtf8, MaximalSubpartsReplacedAndCounted) {
  // Expectations follow Unicode 3.9 / Python bytes.decode("utf-8", "replace").
  EXPECT_EQ(repair_utf8("a\xff" "b").text, "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(repair_utf8("a\xff" "b").replacements, 1u);
  EXPECT_EQ(repair_utf8("\xe2\x82").replacements, 1u);          // truncated 3-byte: one subpart
  EXPECT_EQ(repair_utf8("\xf0\x9f\x98").replacements, 1u);      // truncated 4-byte
  EXPECT_EQ(repair_utf8("\xed\xa0\x80").replacements, 3u);      // surrogate: ED, A0, 80
  EXPECT_EQ(repair_utf8("\xc0\xaf").replacements, 2u);          // overlong lead C0 is never valid
  EXPECT_EQ(repair_utf8("\xe2\x82" "x").text, "\xEF\xBF\xBD" "x");  // x is not swallowed
  const auto n = normalize_text("Caf\xc3\xa9 \xff\xfe ok");
  EXPECT_EQ(n.invalid_utf8, 2u);
  EXPECT_EQ(n.text, "cafe \xEF\xBF\xBD\xEF\xBF\xBD ok");
  std::size_t count = 0;
  EXPECT_EQ(decode_utf8("\x80z", &count), std::u32string(U"\uFFFDz"));
  EXPECT_EQ(count, 1u);
}

TEST(FeedbackUtf8, ArbitraryBytesNeverCrash) {
  std::string bytes;
  for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>((i * 131 + 17) & 0xFF));
  const auto n = normalize_text(bytes);
  EXPECT_GT(n.invalid_utf8, 0u);
  EXPECT_EQ(repair_utf8(n.text).replacements, 0u);  // output is well-formed
  EXPECT_NO_THROW(tokenize(bytes));
  EXPECT_NO_THROW(guess_language(bytes));
  // Short random strings biased to UTF-8 lead and continuation bytes.
  std::uint64_t state = 12345;
  for (int k = 0; k < 3000; ++k) {
    std::string s;
    const int len = k % 13;
    for (int i = 0; i < len; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const unsigned r = static_cast<unsigned>(state >> 40);
      static const unsigned char kBytes[] = {0x41, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x8F, 0xD9};
      s.push_back(static_cast<char>(r % 3 ? kBytes[r % 16] : (r & 0xFF)));
    }
    const auto n = normalize_text(s);
    ASSERT_EQ(repair_utf8(n.text).replacements, 0u);
    ASSERT_EQ(n.invalid_utf8, repair_utf8(s).replacements);
    ASSERT_NO_THROW(tokenize(s));
  }
}

TEST(FeedbackNormalize, CaseFoldingAndDiacritics) {
  EXPECT_EQ(normalize("Café Déjà VU"), "cafe deja vu");
  EXPECT_EQ(normalize("Café", NormalizeOptions{false}), "caf\xc3\xa9");
  EXPECT_EQ(normalize("Straße"), "strasse");            // full case folding: ß -> ss
  EXPECT_EQ(normalize("STRASSE"), normalize("straße"));
  EXPECT_EQ(normalize("İstanbul"), "istanbul");          // İ -> i + U+0307 -> i
  EXPECT_EQ(normalize("ı"), "ı");                        // dotless i is not folded to i
  EXPECT_EQ(normalize("ﬁle"), "file");                   // NFKC ligature
  EXPECT_EQ(normalize("ＡＢＣ１２"), "abc12");           // full-width forms
  EXPECT_EQ(normalize("ação coração"), "acao coracao");
}

TEST(FeedbackNormalize, Russian) {
  EXPECT_EQ(normalize("Ёлка"), "елка");   // ё -> е
  EXPECT_EQ(normalize("ЙОД"), "йод");     // й keeps its breve
  EXPECT_EQ(normalize("Привет"), "привет");
}

TEST(FeedbackNormalize, PersianArabicUnification) {
  EXPECT_EQ(normalize("\u0643\u062A\u0627\u0628"), "\u06A9\u062A\u0627\u0628");  // Arabic kaf -> keheh
  EXPECT_EQ(normalize("\u0639\u0644\u064A"), "\u0639\u0644\u06CC");              // Arabic yeh -> Persian yeh
  EXPECT_EQ(normalize("\u0645\u0648\u0633\u0649"), "\u0645\u0648\u0633\u06CC");  // alef maksura -> yeh
  EXPECT_EQ(normalize("\u0645\u062F\u0631\u0633\u0629"), "\u0645\u062F\u0631\u0633\u0647");  // teh marbuta -> heh
  EXPECT_EQ(normalize("\u062E\u0627\u0646\u06C0"), "\u062E\u0627\u0646\u0647");  // heh with yeh -> heh
  // Harakat (fatha, damma, shadda, kasra, superscript alef) removed.
  EXPECT_EQ(normalize("\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F"), "\u0645\u062D\u0645\u062F");
  EXPECT_EQ(normalize("\u0647\u0670\u0630\u0627"), "\u0647\u0630\u0627");
  EXPECT_EQ(normalize("\u0623\u062D\u0645\u062F"), "\u0627\u062D\u0645\u062F");  // hamza on alef removed
  EXPECT_EQ(normalize("\u06A9\u0640\u0640\u062A\u0627\u0628"), "\u06A9\u062A\u0627\u0628");  // tatweel removed
}

TEST(FeedbackNormalize, ZwnjIsAJoinerAndRemoved) {
  const std::string with = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";   // می‌خواهم
  const std::string without = "\u0645\u06CC\u062E\u0648\u0627\u0647\u0645";      // میخواهم
  EXPECT_EQ(normalize(with), without);
  EXPECT_EQ(tokenize(with, Language::fa), Strings{without});  // one token, not two
  EXPECT_EQ(tokenize(with, Language::fa), tokenize(without, Language::fa));
}

TEST(FeedbackNormalize, DigitsOfEveryScriptFoldToAscii) {
  EXPECT_EQ(normalize("\u06F1\u06F2\u06F3"), "123");        // Persian digits
  EXPECT_EQ(normalize("\u0664\u0665\u0660"), "450");        // Arabic-Indic digits
  EXPECT_EQ(normalize("\u096D"), "7");                      // Devanagari seven
  EXPECT_EQ(normalize("\U0001D7D7"), "9");                  // mathematical bold nine
  EXPECT_EQ(decimal_digit_value(U'\u0DE8'), 2);             // Sinhala Lith digit two
  EXPECT_EQ(decimal_digit_value(U'a'), -1);
  EXPECT_EQ(decimal_digit_value(U'\u00B2'), -1);            // superscript two is No, not Nd
}

TEST(FeedbackStem, SnowballExamples) {
  Stemmer en(Language::en);
  EXPECT_EQ(en.stem("running"), "run");
  EXPECT_EQ(en.stem("connection"), "connect");
  EXPECT_EQ(en.stem("generously"), "generous");
  // Snowball's Russian sample vocabulary/output.
  Stemmer ru(Language::ru);
  EXPECT_EQ(ru.stem("вагона"), "вагон");
  EXPECT_EQ(ru.stem("вагонов"), "вагон");
  EXPECT_EQ(ru.stem("важная"), "важн");
  // Snowball's Portuguese sample vocabulary/output.
  Stemmer pt(Language::pt);
  EXPECT_EQ(pt.stem("químicas"), "químic");
  EXPECT_EQ(pt.stem("quilômetros"), "quilômetr");
  EXPECT_FALSE(has_stemmer(Language::fa));
  EXPECT_THROW(Stemmer{Language::fa}, cxkit::NotFoundError);
}

TEST(FeedbackTokenize, StopWordsStemsAndSeparators) {
  EXPECT_EQ(tokenize("The users are running the exports!", Language::en), (Strings{"user", "run", "export"}));
  EXPECT_EQ(tokenize("l'erreur", Language::fr), Strings{"erreur"});
  EXPECT_EQ(tokenize("Os vagões", Language::pt, TokenizeOptions{true, false}), Strings{"vagoes"});
  EXPECT_EQ(tokenize("Это вагоны", Language::ru), Strings{"вагон"});
  // Stop words survive when asked, digits are tokens.
  EXPECT_EQ(tokenize("The ٣ exports", Language::en, TokenizeOptions{false, false}), (Strings{"the", "3", "exports"}));
  // Ideographs are one token each.
  EXPECT_EQ(tokenize("语言", Language::zh), (Strings{"语", "言"}));
  EXPECT_TRUE(is_stop_word("não", Language::pt));
  EXPECT_TRUE(is_stop_word("nao", Language::pt));
  EXPECT_FALSE(is_stop_word("export", Language::en));
}

TEST(FeedbackTokenize, NGrams) {
  const Strings t{"dark", "mode", "please"};
  EXPECT_EQ(word_ngrams(t, 1, 2), (Strings{"dark", "mode", "please", "dark mode", "mode please"}));
  EXPECT_EQ(word_ngrams(t, 3, 3), Strings{"dark mode please"});
  EXPECT_THROW(word_ngrams(t, 0, 1), cxkit::InputError);
  EXPECT_EQ(char_ngrams({"ab"}, 3), (Strings{" ab", "ab "}));
  EXPECT_EQ(char_ngrams({"é"}, 2), (Strings{" é", "é "}));   // code points, not bytes
  EXPECT_EQ(char_ngrams({"a"}, 5), Strings{" a "});
}

TEST(FeedbackLanguage, HandPickedSentences) {
  EXPECT_EQ(guess_language("The program does not work when I open the file"), Language::en);
  EXPECT_EQ(guess_language("Não consigo editar nada no meu computador"), Language::pt);
  EXPECT_EQ(guess_language("El programa no funciona cuando abro el archivo"), Language::es);
  EXPECT_EQ(guess_language("Die Anwendung stürzt ab, wenn ich die Datei öffne"), Language::de);
  EXPECT_EQ(guess_language("Le programme ne fonctionne pas quand j'ouvre le fichier"), Language::fr);
  EXPECT_EQ(guess_language("Программа не работает"), Language::ru);
  EXPECT_EQ(guess_language("Програма не працює і зависає"), Language::uk);
  EXPECT_EQ(guess_language("برنامه کار نمی‌کند"), Language::fa);
  EXPECT_EQ(guess_language("半角のJが打てない"), Language::ja);
  EXPECT_EQ(guess_language("语言服务器崩溃"), Language::zh);
  EXPECT_EQ(guess_language("프로그램이 작동하지 않습니다"), Language::ko);
  EXPECT_EQ(guess_language("12345 !!"), Language::unknown);
  EXPECT_EQ(language_from_code("zh-CN"), Language::zh);
  EXPECT_EQ(language_from_code("PT_br"), Language::pt);
  EXPECT_THROW(language_from_code("xx"), cxkit::NotFoundError);
}

namespace {
// Minimal RFC 4180 reader (quoted fields with "" escapes and embedded newlines).
std::vector<Strings> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  std::vector<Strings> rows;
  Strings row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (quoted) {
      if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') field.push_back('"'), ++i;
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) row.push_back(std::move(field)), rows.push_back(std::move(row));
  return rows;
}
}  // namespace

// The guess against src_lang on real VS Code issues (title + body). Rows labelled "en" are
// mostly mixed (a Chinese or Korean title over an English body, tagged translation-required-*),
// so they are reported apart. Measured when written: 1200/1269 = 94.6% on the languages the
// guesser knows, 1112/1127 = 98.7% without the "en" rows; the minimums leave a small margin.
TEST(FeedbackLanguage, VsCodeMultilingualIssues) {
  const std::string path = std::string(CXKIT_SHARED_DATA_DIR) + "/feedback/vscode_multilingual_issues.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const auto rows = read_csv(path);
  ASSERT_GT(rows.size(), 1u);
  const Strings& header = rows[0];
  auto col = [&](const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    throw std::runtime_error("missing column " + name);
  };
  const std::size_t title = col("title"), body = col("body"), lang = col("src_lang");
  std::size_t covered = 0, correct = 0, all = 0, all_correct = 0;
  std::size_t non_en = 0, non_en_correct = 0;
  std::map<std::string, std::pair<int, int>> per;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != header.size() || rows[r][lang].empty()) continue;
    Language truth = Language::unknown;
    try {
      truth = language_from_code(rows[r][lang]);
    } catch (const cxkit::NotFoundError&) {
    }
    const std::string text = rows[r][title] + "\n" + rows[r][body];
    const Language guess = guess_language(text);
    ++all;
    all_correct += guess == truth;
    if (truth == Language::unknown) continue;
    ++covered;
    correct += guess == truth;
    if (truth != Language::en) ++non_en, non_en_correct += guess == truth;
    auto& p = per[rows[r][lang]];
    ++p.first;
    p.second += guess == truth;
  }
  const double acc = static_cast<double>(correct) / static_cast<double>(covered);
  std::cout << "language guess: " << correct << "/" << covered << " = " << acc << " on supported languages; "
            << all_correct << "/" << all << " on all labelled rows\n";
  for (const auto& [code, p] : per) std::cout << "  " << code << " " << p.second << "/" << p.first << "\n";
  EXPECT_GT(covered, 1000u);
  EXPECT_GE(acc, 0.93);
  EXPECT_GE(static_cast<double>(non_en_correct) / static_cast<double>(non_en), 0.97);
}
