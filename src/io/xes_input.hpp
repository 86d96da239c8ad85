// Streaming bytes into expat, plain or gzip-compressed, in fixed-size chunks: neither the
// file nor its decompressed text is ever held whole.
#pragma once

#include <expat.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace cxkit::io::detail {

/// Bytes per chunk handed to expat (and per compressed read).
inline constexpr std::size_t kXesChunk = 256 * 1024;

/// Bytes from memory, a file or a decompressor, in order.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  /// Copies up to n bytes to dst; returns how many, 0 only at the end. Throws InputError
  /// on a read or decompression error.
  virtual std::size_t read(char* dst, std::size_t n) = 0;
  /// Bytes of the original input used up so far (for a decompressor, compressed bytes it
  /// inflated): the position read_xes reports as progress. Safe from any thread.
  virtual std::uint64_t consumed() const noexcept = 0;
};

class MemoryReader final : public ByteReader {
 public:
  explicit MemoryReader(std::string_view data) noexcept : data_(data) {}
  std::size_t read(char* dst, std::size_t n) override;
  std::uint64_t consumed() const noexcept override { return consumed_.load(std::memory_order_relaxed); }

 private:
  std::string_view data_;
  std::atomic<std::uint64_t> consumed_{0};
};

class FileReader final : public ByteReader {
 public:
  /// Throws NotFoundError when `path` does not exist, InputError when it cannot be opened.
  explicit FileReader(const std::string& path);
  ~FileReader() override;
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;
  std::size_t read(char* dst, std::size_t n) override;
  std::uint64_t consumed() const noexcept override { return consumed_.load(std::memory_order_relaxed); }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::atomic<std::uint64_t> consumed_{0};
};

/// Decompresses gzip data from `compressed`, whose first `n` bytes were already read into
/// `head` (kXesChunk bytes). Concatenated members are read one after another; anything
/// else after a member, a corrupt or a truncated stream throws InputError.
/// read() fills `dst` completely except at the end.
class GunzipReader final : public ByteReader {
 public:
  GunzipReader(ByteReader& compressed, std::unique_ptr<char[]> head, std::size_t n, std::string source);
  ~GunzipReader() override;
  GunzipReader(const GunzipReader&) = delete;
  GunzipReader& operator=(const GunzipReader&) = delete;
  std::size_t read(char* dst, std::size_t n) override;
  /// Compressed bytes inflated so far (the bytes read from `compressed` but not yet inflated
  /// do not count), updated once per read().
  std::uint64_t consumed() const noexcept override { return consumed_.load(std::memory_order_relaxed); }

 private:
  ByteReader& compressed_;
  std::unique_ptr<char[]> in_;
  std::string source_;
  struct State;
  std::unique_ptr<State> z_;  // z_stream, kept out of this header
  bool input_done_ = false, member_done_ = false;
  std::uint64_t fed_ = 0;  // compressed bytes handed to zlib
  std::atomic<std::uint64_t> consumed_{0};
};

/// Reads `inner` ahead on a second thread, kXesChunk bytes at a time and up to 4 chunks
/// ahead, so that decompression overlaps parsing. Bytes, their chunking and errors (thrown
/// from read() at the same point of the stream) are exactly those of `inner`. Falls back
/// to reading on the caller's thread when no thread can be started.
class PrefetchReader final : public ByteReader {
 public:
  explicit PrefetchReader(ByteReader& inner);
  ~PrefetchReader() override;  // stops the thread and waits for it
  PrefetchReader(const PrefetchReader&) = delete;
  PrefetchReader& operator=(const PrefetchReader&) = delete;
  std::size_t read(char* dst, std::size_t n) override;
  /// The inner reader's position: ahead of what read() returned by the blocks read ahead.
  std::uint64_t consumed() const noexcept override { return inner_.consumed(); }

 private:
  void run() noexcept;
  static constexpr std::size_t kBlocks = 4;
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
  };
  ByteReader& inner_;
  Block blocks_[kBlocks];
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t produced_ = 0, consumed_ = 0;  // blocks; block i lives in blocks_[i % kBlocks]
  std::size_t offset_ = 0;                   // consumer's position in the current block
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

class XesProgress;

/// Feeds everything `reader` yields to `parser`, gunzipping when it starts with the gzip
/// magic bytes 1f 8b, and finishes the document. Returns false when expat stopped with an
/// error (the caller reports it). Throws InputError for empty input and broken gzip data,
/// and what `progress` throws (Cancelled), to which it reports after each chunk parsed.
bool feed_expat(XML_Parser parser, ByteReader& reader, const std::string& source, XesProgress& progress);

}  // namespace cxkit::io::detail
