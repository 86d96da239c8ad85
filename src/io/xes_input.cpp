#include "xes_input.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <system_error>

#include "cxkit/core/error.hpp"
#include "xes_progress.hpp"

namespace cxkit::io::detail {

std::size_t MemoryReader::read(char* dst, std::size_t n) {
  const std::size_t k = n < data_.size() ? n : data_.size();
  if (k != 0) std::memcpy(dst, data_.data(), k);
  data_.remove_prefix(k);
  consumed_.fetch_add(k, std::memory_order_relaxed);
  return k;
}

FileReader::FileReader(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "rb")) {
  if (file_ == nullptr) {
    const int err = errno;
    if (err == ENOENT) throw NotFoundError("file not found: '" + path + "'");
    throw InputError(std::string("cannot open the file: ") + std::strerror(err), {path, -1, "", ""});
  }
}

FileReader::~FileReader() {
  if (file_ != nullptr) std::fclose(file_);
}

std::size_t FileReader::read(char* dst, std::size_t n) {
  const std::size_t k = std::fread(dst, 1, n, file_);
  if (k < n && std::ferror(file_))
    throw InputError(std::string("cannot read the file: ") + std::strerror(errno), {path_, -1, "", ""});
  consumed_.fetch_add(k, std::memory_order_relaxed);
  return k;
}

// ---- gzip ----

struct GunzipReader::State {
  z_stream zs{};
};

GunzipReader::GunzipReader(ByteReader& compressed, std::unique_ptr<char[]> head, std::size_t n, std::string source)
    : compressed_(compressed), in_(std::move(head)), source_(std::move(source)), z_(std::make_unique<State>()),
      fed_(n) {
  if (inflateInit2(&z_->zs, 15 + 16) != Z_OK) throw std::bad_alloc();  // 15-bit window, gzip wrapper
  z_->zs.next_in = reinterpret_cast<Bytef*>(in_.get());
  z_->zs.avail_in = static_cast<uInt>(n);
}

GunzipReader::~GunzipReader() { inflateEnd(&z_->zs); }

std::size_t GunzipReader::read(char* dst, std::size_t n) {
  z_stream& zs = z_->zs;
  const auto broken = [&](const char* what) {
    std::string msg = what;
    if (zs.msg != nullptr) msg += std::string(": ") + zs.msg;
    return InputError(msg, {source_, -1, "", ""});
  };
  zs.next_out = reinterpret_cast<Bytef*>(dst);
  zs.avail_out = static_cast<uInt>(n);
  while (zs.avail_out != 0) {
    if (zs.avail_in == 0 && !input_done_) {
      const std::size_t k = compressed_.read(in_.get(), kXesChunk);
      input_done_ = k == 0;
      fed_ += k;
      zs.next_in = reinterpret_cast<Bytef*>(in_.get());
      zs.avail_in = static_cast<uInt>(k);
    }
    if (member_done_) {
      if (zs.avail_in == 0) break;  // the last member ended with the input
      if (inflateReset(&zs) != Z_OK) throw broken("broken gzip data");
      member_done_ = false;  // another member follows, as `cat a.gz b.gz` makes
    }
    if (zs.avail_in == 0) throw broken("truncated gzip data");
    const int rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) member_done_ = true;
    else if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_in == 0)) throw broken("broken gzip data");
  }
  consumed_.store(fed_ - zs.avail_in, std::memory_order_relaxed);
  return n - zs.avail_out;
}

// ---- read-ahead ----

PrefetchReader::PrefetchReader(ByteReader& inner) : inner_(inner) {
  for (auto& b : blocks_) b.data = std::make_unique<char[]>(kXesChunk);
  try {
    thread_ = std::thread(&PrefetchReader::run, this);
  } catch (const std::system_error&) {
    // No thread to be had: read() reads `inner` itself.
  }
}

PrefetchReader::~PrefetchReader() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void PrefetchReader::run() noexcept {
  for (;;) {
    std::size_t slot = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || produced_ - consumed_ < kBlocks; });
      if (stop_) return;
      slot = produced_ % kBlocks;
    }
    std::size_t k = 0;
    std::exception_ptr error;
    try {
      k = inner_.read(blocks_[slot].data.get(), kXesChunk);
    } catch (...) {
      error = std::current_exception();
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      blocks_[slot].size = k;
      if (error || k == 0) {
        error_ = error;
        done_ = true;
      } else {
        ++produced_;
      }
    }
    changed_.notify_all();
    if (error || k == 0) return;
  }
}

std::size_t PrefetchReader::read(char* dst, std::size_t n) {
  if (!thread_.joinable()) return inner_.read(dst, n);
  std::size_t total = 0;
  while (total < n) {
    std::size_t slot = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return consumed_ < produced_ || done_; });
      if (consumed_ == produced_) {  // the producer finished
        if (error_ && total == 0) std::rethrow_exception(error_);
        return total;
      }
      slot = consumed_ % kBlocks;
    }
    const Block& b = blocks_[slot];
    const std::size_t k = std::min(n - total, b.size - offset_);
    std::memcpy(dst + total, b.data.get() + offset_, k);
    total += k;
    offset_ += k;
    if (offset_ == b.size) {
      offset_ = 0;
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        ++consumed_;
      }
      changed_.notify_all();
    }
  }
  return total;
}

// ---- expat ----

namespace {
// Expat's own buffer, so read bytes land where expat parses them (one copy fewer than
// XML_Parse, which copies its argument into that buffer anyway).
char* expat_buffer(XML_Parser parser) {
  void* buf = XML_GetBuffer(parser, static_cast<int>(kXesChunk));
  if (buf == nullptr) throw std::bad_alloc();
  return static_cast<char*>(buf);
}

bool parse(XML_Parser parser, std::size_t n, bool final) {
  return XML_ParseBuffer(parser, static_cast<int>(n), final ? XML_TRUE : XML_FALSE) != XML_STATUS_ERROR;
}

// Everything `reader` yields, then the end of the document. `seen` counts bytes already fed;
// `input` is the reader whose position progress reports (the file, or the decompressor).
bool feed_all(XML_Parser parser, ByteReader& reader, std::size_t seen, const std::string& source,
              const ByteReader& input, XesProgress& progress) {
  for (;;) {
    const std::size_t k = reader.read(expat_buffer(parser), kXesChunk);
    seen += k;
    if (k == 0 && seen == 0) throw InputError("empty input (the gzip data holds no bytes)", {source, -1, "", ""});
    if (!parse(parser, k, k == 0)) return false;
    if (k == 0) return true;
    progress.step(k, [&] { return input.consumed(); });
  }
}
}  // namespace

bool feed_expat(XML_Parser parser, ByteReader& reader, const std::string& source, XesProgress& progress) {
  // The first chunk decides between plain and gzip; compressed bytes need a buffer of their own.
  auto head = std::make_unique<char[]>(kXesChunk);
  const std::size_t n = reader.read(head.get(), kXesChunk);
  if (n == 0) throw InputError("empty input", {source, -1, "", ""});
  if (n >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b) {
    GunzipReader gunzip(reader, std::move(head), n, source);
    // Decompression takes about a sixth of the time parsing does: worth a thread once the
    // input is more than a chunk, not for small inputs.
    if (n < kXesChunk) return feed_all(parser, gunzip, 0, source, gunzip, progress);
    PrefetchReader ahead(gunzip);
    return feed_all(parser, ahead, 0, source, gunzip, progress);
  }
  std::memcpy(expat_buffer(parser), head.get(), n);
  if (!parse(parser, n, false)) return false;
  progress.step(n, [&] { return reader.consumed(); });
  return feed_all(parser, reader, n, source, reader, progress);
}

}  // namespace cxkit::io::detail
