// Feedback text: phrase banks in English, Russian, Portuguese and Persian, and the noise
// real feedback carries (typos, odd casing, Persian letter and ZWNJ variants).
//
// A themed item is an optional greeting plus a frame ("Please add {t}. {d}") filled with one
// of the theme's terms ({t}) and one of its details ({d}); {p} is the product's name. Frames
// are per language and kind (request, problem); terms and details per language and theme,
// written so every combination reads as a sentence. Praise and off-topic noise are whole
// sentences. Persian text is written with Persian yeh/kaf (U+06CC, U+06A9) and ZWNJ (U+200C).
//
// Internal to the simulator (namespace detail), exposed for tests.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "cxkit/simulate/catalogue.hpp"
#include "cxkit/simulate/options.hpp"
#include "cxkit/simulate/rng.hpp"

namespace cxkit::simulate {

/// What a feedback text says.
enum class TextKind : std::uint8_t {
  request,  ///< asks for something about a theme (feature requests, passives' verbatims)
  problem,  ///< reports a problem with a theme (bugs, complaints, detractors' verbatims)
  praise,   ///< generic praise, no theme
  noise,    ///< off-topic, no theme
};

/// The product every text talks about.
inline constexpr std::string_view kProductName = "Beacon";

namespace detail {

struct ThemePhrases {
  std::span<const std::string_view> terms;
  std::span<const std::string_view> request_details;
  std::span<const std::string_view> problem_details;
};

struct LanguagePhrases {
  std::span<const std::string_view> openers;  ///< "" entries mean "no greeting"
  std::span<const std::string_view> request_frames;
  std::span<const std::string_view> problem_frames;
  std::span<const std::string_view> praise;
  std::span<const std::string_view> noise;
  std::array<ThemePhrases, kThemeCount> themes;
};

/// The phrase bank of a language (static data).
const LanguagePhrases& phrases(Language language) noexcept;

/// A fresh feedback text. `theme` (kThemeKeys index) is used for request and problem only.
/// Applies casing and typos from `noise`, and for Persian the letter/ZWNJ variants.
std::string render_text(Language language, TextKind kind, std::size_t theme, const TextNoise& noise, Rng& rng);

/// Replaces {t}, {T} (term with a capital first letter), {d} and {p} in a frame.
std::string fill_frame(std::string_view frame, std::string_view term, std::string_view detail);

/// With probability `rate` per word of 4+ code points, swaps two neighbouring letters,
/// drops one or doubles one. Works on code points, so UTF-8 stays valid.
std::string add_typos(std::string_view text, double rate, Rng& rng);

/// Lower/upper case for ASCII, Latin-1 letters (Portuguese accents) and Cyrillic; other
/// scripts pass through unchanged.
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
/// The first letter in upper case (same scripts as to_upper).
std::string capitalise(std::string_view text);

/// Persian spelling variants: Arabic yeh/kaf (U+064A/U+0643) for Persian yeh/kaf
/// (U+06CC/U+06A9) when `arabic_letters`; ZWNJ kept (zwnj = 0), dropped (1) or typed as a
/// space (2).
std::string persian_variant(std::string_view text, bool arabic_letters, int zwnj);

/// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace detail
}  // namespace cxkit::simulate
