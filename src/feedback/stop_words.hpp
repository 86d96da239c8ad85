// Built-in stop-word lists (internal). Short lists of the most frequent function words;
// they are stored normalised with diacritics stripped so lookups can use either form.
#pragma once

#include <cxkit/feedback/language.hpp>

#include <string>
#include <string_view>
#include <unordered_set>

namespace cxkit::feedback::detail {

/// The stop set of `language` (empty for languages without a list). Built once, thread-safe.
const std::unordered_set<std::string>& stop_words(Language language);

}  // namespace cxkit::feedback::detail
