// libFuzzer target for JourneyMap deserialisation (journey_map_io.hpp).
//
// Any input must load into a valid map or throw cxkit::InputError; anything else (another
// exception, a crash, a sanitizer report, a map that does not survive its own round trip) is
// a bug. A checksum guards the payload, so random bytes would almost never get past it: each
// input is therefore also tried as a payload framed with a correct header and checksum (a
// seed that is a whole serialisation contributes its own payload), which lets the fuzzer
// reach the field parser and the invariant checks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cxkit/core/error.hpp"
#include "cxkit/journey/journey_map_io.hpp"

namespace {

std::string frame(std::string_view payload) {
  std::string out = "CXJM";
  const auto put = [&out](std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put(cxkit::journey::kJourneyMapFormatVersion, 4);
  put(payload.size(), 8);
  out.append(payload);
  put(cxkit::journey::journey_map_checksum(payload), 8);
  return out;
}

void check_invariants(const cxkit::journey::JourneyMap& m) {
  const std::size_t n = m.activities().size();
  for (std::size_t i = 1; i < n; ++i)
    if (!(m.activities()[i - 1].name < m.activities()[i].name)) __builtin_trap();
  for (const auto& e : m.edges()) {
    if (e.source >= n || e.target >= n) __builtin_trap();
    if (m.find_edge(e.source, e.target) != &e) __builtin_trap();
    (void)e.durations.summarize(m.quantile_probs());
  }
  for (const auto& v : m.variants())
    for (std::uint32_t a : v.activities)
      if (a >= n) __builtin_trap();
  (void)m.variants_covering(0.5);
  // Loading what we write gives the same map back.
  if (!(cxkit::journey::from_bytes(cxkit::journey::to_bytes(m)) == m)) __builtin_trap();
}

void try_load(std::string_view bytes) {
  try {
    check_invariants(cxkit::journey::from_bytes(bytes));
  } catch (const cxkit::InputError&) {
    // Rejecting bad input with a typed error is the expected outcome.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try_load(input);
  const bool whole = size >= 24 && input.substr(0, 4) == "CXJM";
  try_load(frame(whole ? input.substr(16, size - 24) : input));
  return 0;
}
