// Per-item language guess: by script first, then by stop-word and letter profiles.
#pragma once

#include <string_view>

namespace cxkit::feedback {

/// Languages the guesser can return. Only en, ru, pt, es, de, fr and fa get stop words
/// and (except fa, which Snowball does not cover) stemming; the others are recognised by
/// script so that they are not mistaken for one of those.
enum class Language { unknown, en, ru, pt, es, de, fr, fa, ar, uk, zh, ja, ko };

/// ISO 639-1 code ("en", ...; "" for unknown). noexcept.
std::string_view language_code(Language language) noexcept;

/// Inverse of language_code, case-insensitive; also accepts region forms ("zh-CN",
/// "pt_BR"). Throws cxkit::NotFoundError for an unsupported code.
Language language_from_code(std::string_view code);

/// Guesses the language of one item. Rules, in order:
///  - letters are counted per script; a non-Latin script wins when its weighted count
///    (CJK ideographs and kana x4, since one carries a word's worth of meaning) reaches
///    25% of the Latin letters (code, logs and product names are Latin in every language);
///  - kana -> ja, Han -> zh, Hangul -> ko; Cyrillic -> uk if і ї є ґ occur, else ru;
///    Arabic script -> fa if a Persian-only letter (پ چ ژ گ ک ی) occurs, else ar;
///  - Latin: each word scores for every language whose stop-word list has it (1/k for a
///    word shared by k languages) plus letters typical of one language (ã õ -> pt, ñ ¿ ¡
///    -> es, ß ä ö ü -> de, è ê ë à â ù û î ô œ -> fr, ç -> pt/fr); the best score wins,
///    en on ties. Latin text with no evidence at all is "unknown".
/// O(n); never throws except std::bad_alloc.
Language guess_language(std::string_view text);

}  // namespace cxkit::feedback
