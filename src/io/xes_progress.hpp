// Progress of one read_xes call (XesOptions::progress), on the calling thread only.
//
// Units are bytes of the input as given: the file or buffer size, so compressed bytes for
// gzip input (the decompressed size is unknown until the end). The position is what the
// reader has used up: bytes read for plain input, bytes inflated for gzip. Work is counted
// in text bytes: a report at most once per kStepBytes of (decompressed) text handled, so a
// callback costs nothing next to the parsing and Ctrl-C is seen within milliseconds even
// when gzip packs that much text into a few compressed kilobytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "cxkit/core/progress.hpp"

namespace cxkit::io::detail {

class XesProgress {
 public:
  /// Text bytes between two reports.
  static constexpr std::size_t kStepBytes = std::size_t{1} << 20;

  XesProgress(const Progress& progress, std::uint64_t total) : reporter_(progress, total), on_(progress) {}

  /// After `text_bytes` more bytes of text were read or parsed on the calling thread;
  /// `position()` gives the input bytes used up so far (called only when reporting).
  /// A read started again from the beginning (the one-parser fallback after a parallel
  /// attempt) reports no progress until it passes the furthest position reported, but
  /// still calls back, so a cancel is seen. Throws what the callback throws, and Cancelled.
  template <class Position>
  void step(std::size_t text_bytes, Position&& position) {
    if (!on_) return;
    pending_ += text_bytes;
    if (pending_ < kStepBytes) return;
    pending_ = 0;
    const std::uint64_t at = position();
    try {
      reporter_.advance(at > reported_ ? at - reported_ : 0);
    } catch (...) {
      failed_ = true;
      throw;
    }
    reported_ = std::max(reported_, at);
  }

  /// True when a callback is set.
  bool on() const noexcept { return on_; }

  /// The last report, done == total; call once the log is built.
  void finish() { reporter_.finish(); }

  /// True once the callback threw or cancelled: the error must reach the caller as it is,
  /// never be taken for a reason to read the document again.
  bool failed() const noexcept { return failed_; }

 private:
  ProgressReporter reporter_;
  bool on_;
  bool failed_ = false;
  std::size_t pending_ = 0;
  std::uint64_t reported_ = 0;
};

}  // namespace cxkit::io::detail
