// libFuzzer target for the XES reader: bytes -> read_xes_buffer under both bad-row modes.
//
// cxkit::Error is the only acceptable failure; any other exception, crash or sanitizer
// report is a bug. Beyond not crashing it checks four properties:
//   - a document that reads under raise reads identically under skip, with nothing skipped;
//   - skip never fails where raise succeeds;
//   - the same bytes gzip-compressed read exactly as the plain ones (the gzip path), unless
//     they already start with the gzip magic, in which case the plain run took that path;
//   - two parser threads on small chunks (1-64 bytes, from the input's first byte) give
//     the very log one parser gives (every column, dictionary and skipped row), or the
//     same error message.
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "cxkit/io/xes.hpp"

namespace {

struct Outcome {
  bool ok = false;
  std::size_t events = 0, cases = 0, skipped = 0, columns = 0;
  std::int64_t time_sum = 0;  // wraps harmlessly; compared between runs only
};

cxkit::io::XesOptions options_for(cxkit::OnBadRow mode, unsigned threads = 1, std::size_t chunk_bytes = 1 << 20) {
  cxkit::io::XesOptions options;
  options.on_bad_row = mode;
  options.threads = threads;
  options.chunk_bytes = chunk_bytes;
  return options;
}

Outcome run(std::string_view bytes, cxkit::OnBadRow mode) {
  const auto options = options_for(mode);
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

bool same_dictionary(const cxkit::Dictionary& a, const cxkit::Dictionary& b) {
  if (a.size() != b.size()) return false;
  for (std::uint32_t i = 0; i < a.size(); ++i)
    if (a.name(i) != b.name(i)) return false;
  return true;
}

bool same_column(const cxkit::Column& a, const cxkit::Column& b) {
  if (a.name() != b.name() || a.type() != b.type() || a.size() != b.size()) return false;
  if (a.type() == cxkit::ColumnType::categorical && !same_dictionary(a.categories(), b.categories())) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    switch (a.type()) {
      case cxkit::ColumnType::numeric:  // bits: NaN (missing) equals NaN
        if (std::bit_cast<std::uint64_t>(a.numbers()[i]) != std::bit_cast<std::uint64_t>(b.numbers()[i])) return false;
        break;
      case cxkit::ColumnType::categorical: if (a.codes()[i] != b.codes()[i]) return false; break;
      case cxkit::ColumnType::timestamp: if (a.times()[i] != b.times()[i]) return false; break;
      case cxkit::ColumnType::text: if (a.value_string(i) != b.value_string(i)) return false; break;
    }
  }
  return true;
}

bool same_log(const cxkit::EventLog& a, const cxkit::EventLog& b) {
  if (a.size() != b.size() || a.n_cases() != b.n_cases() || a.attributes().size() != b.attributes().size() ||
      a.skipped_rows().size() != b.skipped_rows().size())
    return false;
  if (!same_dictionary(a.case_names(), b.case_names()) || !same_dictionary(a.activity_names(), b.activity_names()))
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.case_ids()[i] != b.case_ids()[i] || a.activity_ids()[i] != b.activity_ids()[i] ||
        a.timestamps()[i] != b.timestamps()[i])
      return false;
  for (std::size_t k = 0; k < a.attributes().size(); ++k)
    if (!same_column(a.attributes()[k], b.attributes()[k])) return false;
  for (std::size_t k = 0; k < a.skipped_rows().size(); ++k)
    if (a.skipped_rows()[k].line != b.skipped_rows()[k].line || a.skipped_rows()[k].reason != b.skipped_rows()[k].reason)
      return false;
  return true;
}

// The log, or the error's message.
struct Read {
  std::optional<cxkit::EventLog> log;
  std::string error;
};

Read read(std::string_view bytes, const cxkit::io::XesOptions& options) {
  Read out;
  try {
    out.log = cxkit::io::read_xes_buffer(bytes, options, "fuzz");
  } catch (const cxkit::Error& e) {
    out.error = e.what();
  }
  return out;
}

// Threads 1 and 2 agree exactly: the same log or the same error.
void check_parallel(std::string_view bytes, cxkit::OnBadRow mode, std::size_t chunk_bytes) {
  const Read one = read(bytes, options_for(mode, 1));
  const Read two = read(bytes, options_for(mode, 2, chunk_bytes));
  if (one.log.has_value() != two.log.has_value()) std::abort();
  if (one.log ? !same_log(*one.log, *two.log) : one.error != two.error) std::abort();
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
  const std::size_t chunk_bytes = size == 0 ? 1 : 1 + data[0] % 64;
  check_parallel(bytes, cxkit::OnBadRow::skip, chunk_bytes);
  check_parallel(bytes, cxkit::OnBadRow::raise, chunk_bytes);
  return 0;
}
