// Cutting an XES document into chunks that expat parses independently (see
// xes_parallel.hpp for how the chunks are parsed and checked).
//
// A chunk boundary is placed just before a `<trace` start tag (with the root's namespace
// prefix, if any). Nothing here decides whether that `<trace` is a real top-level tag: it
// might sit in a comment, a CDATA section or a processing instruction, or inside another
// element. The parse of the chunk before the cut decides: that chunk is parsed as a whole
// document closed with the root's end tag, which is well-formed exactly when the cut lies
// in the root's content between two of its children (not inside any markup). A cut that
// fails this check is removed (the chunks on both sides are parsed as one), so such
// `<trace` text never becomes a boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "xes_input.hpp"

namespace cxkit::io::detail {

/// What every chunk after the first needs around its bytes to be a document of its own.
struct XesLayout {
  std::string prefix;   // the document up to the end of the root's start tag, verbatim
  std::string suffix;   // the root's end tag
  std::string trace_tag;  // "<trace", or "<p:trace" when the root is "p:log"
  std::string trace_end;  // "</trace>", or "</p:trace>"
  std::int64_t prefix_breaks = 0;  // line breaks in prefix
};

/// The layout of a document whose first bytes are `head` (all of it when `complete`).
/// std::nullopt with `need_more` set when `head` ends before the root's start tag does;
/// std::nullopt without it when the document is not one to cut: malformed before the root,
/// a DOCTYPE (its declarations would need replicating), an encoding other than UTF-8,
/// US-ASCII or ISO-8859-1 (the cuts search bytes for ASCII text), or an empty root.
std::optional<XesLayout> probe_layout(std::string_view head, bool complete, bool& need_more);

/// The first position >= from where `trace_tag` starts and is followed by white space, '>'
/// or '/'; npos when there is none whose follower is within `text`. O(|text| - from).
std::size_t find_cut(std::string_view text, std::size_t from, std::string_view trace_tag) noexcept;

/// Line breaks as expat counts them: LF, CR LF and a lone CR each end a line. O(|text|).
std::int64_t count_line_breaks(std::string_view text) noexcept;

/// Bytes of one chunk; `owner` keeps them alive when they are not the caller's buffer.
struct XesChunk {
  std::shared_ptr<const char[]> owner;
  std::string_view text;
  bool last = false;
};

/// Cuts a document into chunks of at least `chunk_bytes` (each runs on to the next cut,
/// preferably one right after a </trace>), from memory (plain text, no copy) or from a
/// reader (plain or gzip, decompressed here).
class XesChunker {
 public:
  XesChunker(std::string_view plain_text, std::size_t chunk_bytes) noexcept;
  XesChunker(ByteReader& reader, std::size_t chunk_bytes, std::string source) noexcept;
  XesChunker(const XesChunker&) = delete;
  XesChunker& operator=(const XesChunker&) = delete;
  ~XesChunker();

  /// Reads the prolog. False when the document is not one to cut (see probe_layout).
  /// Throws what the reader throws (InputError for empty input or broken gzip).
  bool start();
  const XesLayout& layout() const noexcept { return layout_; }
  /// The most bytes a chunk (or chunks parsed as one) may hold.
  std::size_t max_chunk() const noexcept { return max_chunk_; }

  /// The next chunk; false once the last one was returned. Throws what the reader throws,
  /// and XesUncuttable when a chunk would hold more than max(16 x chunk_bytes, 64 MiB) from
  /// a reader (memory stays bounded; the caller reads the document with one parser instead).
  bool next(XesChunk& out);

  /// Input bytes used up so far (compressed bytes for gzip), for progress: the bytes of the
  /// chunks returned from memory, what the reader read (or inflated) otherwise.
  std::uint64_t consumed() const noexcept;

  struct XesUncuttable {};

 private:
  std::string_view available() const noexcept;
  std::size_t choose_cut(std::string_view all, std::size_t from);
  bool read_more();  // false at the end of the input
  void reserve(std::size_t capacity);

  std::size_t chunk_bytes_;
  std::size_t max_chunk_;
  std::string source_;
  XesLayout layout_;
  bool first_ = true, done_ = false;
  bool at_end_ = false;  // every byte of the input is in rest_ or buf_
  std::size_t scan_ = 0, first_any_ = 0;  // choose_cut's progress in the current chunk

  // From memory: the bytes not yet returned, out of memory_size_.
  std::string_view rest_;
  std::size_t memory_size_ = 0;
  // From a reader: the bytes read and not yet returned, in an owned buffer.
  ByteReader* raw_ = nullptr;
  std::unique_ptr<GunzipReader> gunzip_;
  ByteReader* input_ = nullptr;  // raw_ or gunzip_
  std::shared_ptr<char[]> buf_;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace cxkit::io::detail
