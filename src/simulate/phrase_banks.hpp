// The four phrase banks (phrases_en.cpp, phrases_ru.cpp, phrases_pt.cpp, phrases_fa.cpp).
#pragma once

#include "cxkit/simulate/phrases.hpp"

namespace cxkit::simulate::detail {

const LanguagePhrases& english_phrases() noexcept;
const LanguagePhrases& russian_phrases() noexcept;
const LanguagePhrases& portuguese_phrases() noexcept;
const LanguagePhrases& persian_phrases() noexcept;

}  // namespace cxkit::simulate::detail
