// libFuzzer target for the feedback text path: UTF-8 repair, normalisation, tokenising in
// every language, language guessing and shingling, on arbitrary bytes.
//
// Invalid bytes must be replaced (never crash), normalisation must be idempotent, and every
// token must be valid, non-empty UTF-8. Anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cxkit/core/error.hpp"
#include "cxkit/feedback/language.hpp"
#include "cxkit/feedback/normalize.hpp"
#include "cxkit/feedback/text.hpp"
#include "cxkit/feedback/tokenize.hpp"

namespace {

bool valid_utf8(std::string_view s) { return cxkit::feedback::repair_utf8(s).replacements == 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fb = cxkit::feedback;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const fb::Utf8Repair repaired = fb::repair_utf8(bytes);
  if (!valid_utf8(repaired.text)) __builtin_trap();
  const std::string once = fb::normalize(bytes);
  if (!valid_utf8(once)) __builtin_trap();
  if (fb::normalize(once) != once) __builtin_trap();  // idempotent
  const fb::Language guessed = fb::guess_language(bytes);
  for (const fb::Language language : {fb::Language::unknown, guessed, fb::Language::fa, fb::Language::ru}) {
    for (const std::string& token : fb::tokenize(bytes, language)) {
      if (token.empty() || !valid_utf8(token)) __builtin_trap();
    }
  }
  return 0;
}
