// libFuzzer target for the XES reader: bytes -> read_xes_buffer under both bad-row modes.
//
// cxkit::Error is the only acceptable failure; any other exception, crash or sanitizer
// report is a bug. Beyond not crashing it checks three properties:
//   - a document that reads under raise reads identically under skip, with nothing skipped;
//   - skip never fails where raise succeeds;
//   - the same bytes gzip-compressed read exactly as the plain ones (the gzip path), unless
//     they already start with the gzip magic, in which case the plain run took that path.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cxkit/io/xes.hpp"

namespace {

struct Outcome {
  bool ok = false;
  std::size_t events = 0, cases = 0, skipped = 0, columns = 0;
  std::int64_t time_sum = 0;  // wraps harmlessly; compared between runs only
};

Outcome run(std::string_view bytes, cxkit::OnBadRow mode) {
  cxkit::io::XesOptions options;
  options.on_bad_row = mode;
  Outcome out;
  try {
    const auto log = cxkit::io::read_xes_buffer(bytes, options, "fuzz");
    out.ok = true;
    out.events = log.size();
    out.cases = log.n_cases();
    out.skipped = log.skipped_rows().size();
    out.columns = log.attributes().size();
    for (std::int64_t t : log.timestamps()) out.time_sum = static_cast<std::int64_t>(static_cast<std::uint64_t>(out.time_sum) + static_cast<std::uint64_t>(t));
    for (const auto& col : log.attributes())
      if (col.size() != log.size()) std::abort();
    if (log.case_offsets().back() != log.size()) std::abort();
  } catch (const cxkit::Error&) {
    out.ok = false;
  }
  return out;
}

bool same(const Outcome& a, const Outcome& b) {
  return a.ok == b.ok && a.events == b.events && a.cases == b.cases && a.skipped == b.skipped &&
         a.columns == b.columns && a.time_sum == b.time_sum;
}

std::string gzip(std::string_view text) {
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Outcome raised = run(bytes, cxkit::OnBadRow::raise);
  const Outcome skipped = run(bytes, cxkit::OnBadRow::skip);
  if (raised.ok && (!same(raised, skipped) || skipped.skipped != 0)) std::abort();
  const bool is_gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (!is_gzip && size <= (1u << 20)) {
    const Outcome zipped = run(gzip(bytes), cxkit::OnBadRow::skip);
    if (!same(zipped, skipped)) std::abort();
  }
  return 0;
}
