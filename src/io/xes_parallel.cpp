#include "xes_parallel.hpp"

#include <expat.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "xes_handler.hpp"
#include "xes_merge.hpp"
#include "xes_progress.hpp"

namespace cxkit::io::detail {

namespace {

enum class Outcome : std::uint8_t { queued, ok, maybe_cut, failed };

struct Parsed {
  Outcome outcome = Outcome::queued;
  XesPartial part;
  std::int64_t breaks = 0;  // line breaks in the chunks' bytes (counted under skip only)
};

struct ParserFree {
  void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};

// Parses `texts` (consecutive chunks) as one document: see xes_parallel.hpp.
Parsed parse_chunks(const std::vector<std::string_view>& texts, bool first, bool last, const XesLayout& layout,
                    const XesOptions& options, const std::string& source) {
  Parsed out;
  out.outcome = Outcome::failed;
  std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate(nullptr));
  if (!parser) return out;
  XesHandler handler(parser.get(), options, source);
  XML_Index fed = 0;
  const auto feed = [&](std::string_view s, bool final) {
    do {  // in expat-buffer-sized pieces, as one parser is fed
      const std::size_t n = std::min(s.size(), kXesChunk);
      const bool end = final && n == s.size();
      if (XML_Parse(parser.get(), s.data(), static_cast<int>(n), end ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR)
        return false;
      fed += static_cast<XML_Index>(n);
      s.remove_prefix(n);
    } while (!s.empty());
    return true;
  };
  bool ok = first || feed(layout.prefix, false);
  for (std::size_t i = 0; ok && i < texts.size(); ++i) ok = feed(texts[i], false);
  const XML_Index own_bytes_end = fed;
  if (ok) ok = feed(last ? std::string_view() : std::string_view(layout.suffix), true);
  if (handler.error()) return out;  // in the chunks' own bytes: the suffix only closes the root
  if (!ok) {
    const XML_Error code = XML_GetErrorCode(parser.get());
    const bool at_cut = XML_GetCurrentByteIndex(parser.get()) >= own_bytes_end || code == XML_ERROR_UNCLOSED_TOKEN ||
                        code == XML_ERROR_UNCLOSED_CDATA_SECTION || code == XML_ERROR_NO_ELEMENTS ||
                        code == XML_ERROR_PARTIAL_CHAR;
    out.outcome = !last && at_cut ? Outcome::maybe_cut : Outcome::failed;
    return out;
  }
  out.part = handler.take();
  // Lines only reach the log through skipped rows, which raise never leaves.
  if (options.on_bad_row == OnBadRow::skip)
    for (const auto& t : texts) out.breaks += count_line_breaks(t);
  out.outcome = Outcome::ok;
  return out;
}

class Pipeline {
 public:
  Pipeline(XesChunker& chunker, const XesOptions& options, const std::string& source, XesProgress& progress)
      : chunker_(chunker), options_(options), source_(source), progress_(progress), merger_(source) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline() { stop(); }

  std::optional<EventLog> run(unsigned threads);

 private:
  struct Slot {
    XesChunk chunk;
    std::size_t span = 1;  // chunks its current parse covers (more than one after failed cuts)
    Parsed parsed;         // outcome queued until that parse is done
  };
  struct Job {
    std::size_t slot, span;
  };

  void work() noexcept;
  void stop() noexcept;
  bool merge(Parsed& parsed);  // the front slot's part; false when the log is too large
  void enqueue(Job job, bool urgent);  // under the lock

  XesChunker& chunker_;
  const XesOptions& options_;
  const std::string& source_;
  XesProgress& progress_;
  XesMerger merger_;
  std::int64_t breaks_before_ = 0;  // line breaks before slot base_

  std::mutex mutex_;
  std::condition_variable work_ready_, parse_done_;
  std::deque<Slot> slots_;  // chunks not yet merged; slots_[i] is chunk base_ + i
  std::size_t base_ = 0;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::size_t max_threads_ = 0, idle_ = 0;  // workers are started as jobs find none idle
};

void Pipeline::stop() noexcept {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  work_ready_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Pipeline::work() noexcept {
  std::vector<std::string_view> texts;
  std::vector<std::shared_ptr<const char[]>> owners;  // the bytes outlive their slots if need be
  for (;;) {
    Job job{};
    bool first = false, last = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_;
      work_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (stopping_) return;
      job = jobs_.front();
      jobs_.pop_front();
      if (job.slot < base_) continue;  // joined into an earlier chunk's parse and merged
      texts.clear();
      owners.clear();
      for (std::size_t i = job.slot; i < job.slot + job.span; ++i) {
        texts.push_back(slots_[i - base_].chunk.text);
        owners.push_back(slots_[i - base_].chunk.owner);
      }
      first = job.slot == 0;
      last = slots_[job.slot + job.span - 1 - base_].chunk.last;
    }
    Parsed parsed;
    parsed.outcome = Outcome::failed;
    try {
      parsed = parse_chunks(texts, first, last, chunker_.layout(), options_, source_);
    } catch (...) {
      // std::bad_alloc: one parser will meet it again, or not.
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (job.slot >= base_) {
        Slot& s = slots_[job.slot - base_];
        if (s.span == job.span && s.parsed.outcome == Outcome::queued) s.parsed = std::move(parsed);
      }
    }
    owners.clear();
    parse_done_.notify_one();
  }
}

void Pipeline::enqueue(Job job, bool urgent) {
  if (urgent) jobs_.push_front(job);
  else jobs_.push_back(job);
  if (idle_ < jobs_.size() && threads_.size() < max_threads_) {
    try {
      threads_.emplace_back(&Pipeline::work, this);
    } catch (const std::system_error&) {
      max_threads_ = threads_.size();  // as many as there are; at least one runs (see run)
    }
  }
  work_ready_.notify_one();
}

bool Pipeline::merge(Parsed& parsed) {
  // Chunk 0 is numbered as the document; later ones after a copy of its prolog.
  const std::int64_t offset = base_ == 0 ? 0 : breaks_before_ - chunker_.layout().prefix_breaks;
  return merger_.append(std::move(parsed.part), offset);
}

std::optional<EventLog> Pipeline::run(unsigned threads) {
  XesChunk chunk;
  if (!chunker_.next(chunk)) return std::nullopt;
  if (chunk.last) {  // one chunk: no thread to start
    // A document with no cut after its first MiB (one huge trace) would be parsed here with
    // no report at all; one parser reports as it goes (and Ctrl-C reaches it).
    if (progress_.on() && chunk.text.size() > XesProgress::kStepBytes) return std::nullopt;
    Parsed p = parse_chunks({chunk.text}, true, true, chunker_.layout(), options_, source_);
    if (p.outcome != Outcome::ok || !merge(p)) return std::nullopt;
    return merger_.finish();
  }
  const std::size_t max_pending = 2 * static_cast<std::size_t>(threads) + 2;
  bool read_all = false;
  std::unique_lock<std::mutex> lock(mutex_);
  max_threads_ = threads;
  slots_.push_back(Slot{std::move(chunk), 1, Parsed{}});
  enqueue({0, 1}, false);
  if (threads_.empty()) return std::nullopt;  // no thread to be had: one parser it is
  for (;;) {
    // Merge whatever is parsed, in order, outside the lock.
    while (!slots_.empty() && slots_.front().parsed.outcome == Outcome::ok) {
      Parsed parsed = std::move(slots_.front().parsed);
      const std::size_t span = slots_.front().span;
      lock.unlock();
      if (!merge(parsed)) return std::nullopt;
      lock.lock();
      for (std::size_t i = 0; i < span; ++i) slots_.pop_front();
      base_ += span;
      breaks_before_ += parsed.breaks;
    }
    if (slots_.empty() && read_all) break;

    bool need_chunk = false;
    if (!slots_.empty()) {
      Slot& front = slots_.front();
      if (front.parsed.outcome == Outcome::failed) return std::nullopt;
      if (front.parsed.outcome == Outcome::maybe_cut) {
        // Parse it again with as many chunks more (before anything else): doubling keeps
        // the work linear however many "<trace" in a row turn out not to be boundaries.
        std::size_t bytes = 0;
        for (std::size_t i = 0; i < front.span; ++i) bytes += slots_[i].chunk.text.size();
        if (bytes > chunker_.max_chunk() || (read_all && front.span >= slots_.size())) return std::nullopt;
        if (2 * front.span <= slots_.size() || read_all) {
          front.span = std::min(2 * front.span, slots_.size());
          front.parsed = Parsed{};
          enqueue({base_, front.span}, true);
          continue;
        }
        need_chunk = true;
      }
    }
    if (!read_all && (need_chunk || slots_.size() < max_pending)) {
      lock.unlock();
      XesChunk next;
      const bool got = chunker_.next(next);
      // The callback runs here, on the calling thread and without the lock: the workers
      // parse on. Reading keeps pace with parsing (at most max_pending chunks ahead).
      if (got) progress_.step(next.text.size(), [this] { return chunker_.consumed(); });
      lock.lock();
      if (!got) return std::nullopt;  // cannot happen: the last chunk says so
      read_all = next.last;
      slots_.push_back(Slot{std::move(next), 1, Parsed{}});
      enqueue({base_ + slots_.size() - 1, 1}, false);
      continue;
    }
    parse_done_.wait(lock);
  }
  lock.unlock();
  stop();
  return merger_.finish();
}

}  // namespace

std::optional<EventLog> read_xes_parallel(XesChunker& chunker, const XesOptions& options, const std::string& source,
                                          unsigned threads, XesProgress& progress) {
  try {
    if (!chunker.start()) return std::nullopt;
    Pipeline pipeline(chunker, options, source, progress);
    return pipeline.run(threads);
  } catch (...) {
    if (progress.failed()) throw;  // cancelled: the pipeline has stopped its threads
    // Broken gzip, a chunk too large, no memory: one parser reports it, or gets further.
    return std::nullopt;
  }
}

std::optional<EventLog> read_xes_parallel(XesChunker& chunker, const XesOptions& options, const std::string& source,
                                          unsigned threads) {
  static const Progress kQuiet;
  XesProgress quiet(kQuiet, 0);
  return read_xes_parallel(chunker, options, source, threads, quiet);
}

}  // namespace cxkit::io::detail
