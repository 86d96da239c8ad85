#include "xes_split.hpp"

#include <expat.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

namespace cxkit::io::detail {

namespace {

constexpr std::size_t kProbeMax = 1 << 20;  // a prolog longer than this is not worth cutting

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

struct Probe {
  XML_Parser parser;
  bool found = false, refused = false;
  XML_Index start = 0;
  int count = 0;
};

void XMLCALL probe_start(void* p, const XML_Char*, const XML_Char**) {
  auto* probe = static_cast<Probe*>(p);
  probe->found = true;
  probe->start = XML_GetCurrentByteIndex(probe->parser);
  probe->count = XML_GetCurrentByteCount(probe->parser);
  XML_StopParser(probe->parser, XML_FALSE);
}

void XMLCALL probe_doctype(void* p, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* probe = static_cast<Probe*>(p);
  probe->refused = true;
  XML_StopParser(probe->parser, XML_FALSE);
}

void XMLCALL probe_xml_decl(void* p, const XML_Char*, const XML_Char* encoding, int) {
  auto* probe = static_cast<Probe*>(p);
  if (encoding == nullptr) return;
  const std::string_view e(encoding);
  if (!iequals(e, "UTF-8") && !iequals(e, "US-ASCII") && !iequals(e, "ISO-8859-1")) {
    probe->refused = true;
    XML_StopParser(probe->parser, XML_FALSE);
  }
}

struct ParserFree {
  void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};

// Zero bytes of a word: 0x80 in each byte that is zero, nothing elsewhere (no carries).
inline std::uint64_t zero_bytes(std::uint64_t x) noexcept {
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
  return ~(((x & low7) + low7) | x) & ~low7;
}

// Occurrences of `c`, eight bytes at a time (no per-byte branch).
std::int64_t count_byte(std::string_view s, char c) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  const std::uint64_t pattern = ones * static_cast<unsigned char>(c);
  std::int64_t n = 0;
  std::size_t i = 0;
  while (i + 8 <= s.size()) {
    std::uint64_t lanes = 0;  // one counter per byte, flushed before any can pass 255
    for (int k = 0; k < 255 && i + 8 <= s.size(); ++k, i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      lanes += zero_bytes(w ^ pattern) >> 7;
    }
    // Eight counters of up to 255: add pairs into 16-bit lanes first (up to 510 each), whose
    // sum (up to 2,040) the multiply gathers in the top 16 bits without overflow.
    constexpr std::uint64_t even_bytes = 0x00ff00ff00ff00ffULL;
    const std::uint64_t pairs = (lanes & even_bytes) + ((lanes >> 8) & even_bytes);
    n += static_cast<std::int64_t>((pairs * 0x0001000100010001ULL) >> 48);
  }
  for (; i < s.size(); ++i) n += s[i] == c;
  return n;
}

}  // namespace

std::optional<XesLayout> probe_layout(std::string_view head, bool complete, bool& need_more) {
  need_more = false;
  const auto* u = reinterpret_cast<const unsigned char*>(head.data());
  // UTF-16 (a byte-order mark, or the zero bytes of "<?" without one) is not cut.
  if (head.size() >= 2 && ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe))) return std::nullopt;
  for (std::size_t i = 0; i < std::min<std::size_t>(head.size(), 4); ++i)
    if (u[i] == 0) return std::nullopt;

  std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate(nullptr));
  if (!parser) throw std::bad_alloc();
  Probe probe{parser.get()};
  XML_SetUserData(parser.get(), &probe);
  XML_SetStartElementHandler(parser.get(), &probe_start);
  XML_SetStartDoctypeDeclHandler(parser.get(), &probe_doctype);
  XML_SetXmlDeclHandler(parser.get(), &probe_xml_decl);
  const bool parsed =
      XML_Parse(parser.get(), head.data(), static_cast<int>(head.size()), complete ? XML_TRUE : XML_FALSE) != XML_STATUS_ERROR;
  if (probe.refused) return std::nullopt;
  if (!probe.found) {
    need_more = parsed && !complete;
    return std::nullopt;
  }
  const auto end = static_cast<std::size_t>(probe.start) + static_cast<std::size_t>(probe.count);
  if (probe.start < 0 || end > head.size() || end < 2) return std::nullopt;
  const std::string_view tag = head.substr(static_cast<std::size_t>(probe.start), static_cast<std::size_t>(probe.count));
  if (tag.front() != '<' || tag.back() != '>' || tag[tag.size() - 2] == '/') return std::nullopt;  // <log/>: no content

  std::size_t name_end = 1;
  while (name_end < tag.size() && !is_space(tag[name_end]) && tag[name_end] != '/' && tag[name_end] != '>') ++name_end;
  const std::string_view name = tag.substr(1, name_end - 1);
  const std::size_t colon = name.rfind(':');
  XesLayout layout;
  layout.prefix.assign(head.substr(0, end));
  layout.suffix = "</" + std::string(name) + ">";
  const std::string ns = std::string(colon == std::string_view::npos ? "" : name.substr(0, colon + 1));
  layout.trace_tag = "<" + ns + "trace";
  layout.trace_end = "</" + ns + "trace>";
  layout.prefix_breaks = count_line_breaks(layout.prefix);
  return layout;
}

std::size_t find_cut(std::string_view text, std::size_t from, std::string_view trace_tag) noexcept {
  const std::size_t m = trace_tag.size();
  while (from < text.size()) {
    const std::size_t at = text.find(trace_tag, from);
    if (at == std::string_view::npos || at + m >= text.size()) return std::string_view::npos;
    const char c = text[at + m];
    if (is_space(c) || c == '>' || c == '/') return at;
    from = at + 1;  // "<traces", "<trace-x": another element
  }
  return std::string_view::npos;
}

std::int64_t count_line_breaks(std::string_view text) noexcept {
  if (std::memchr(text.data(), '\r', text.size()) == nullptr) return count_byte(text, '\n');
  std::int64_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++n;
    else if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) ++n;
  }
  return n;
}

// ---- XesChunker ----

namespace {
std::size_t max_chunk_for(std::size_t chunk_bytes) noexcept {
  constexpr std::size_t floor = std::size_t{64} << 20;
  if (chunk_bytes > std::numeric_limits<std::size_t>::max() / 16) return std::numeric_limits<std::size_t>::max();
  return std::max(floor, 16 * chunk_bytes);
}
}  // namespace

XesChunker::XesChunker(std::string_view plain_text, std::size_t chunk_bytes) noexcept
    : chunk_bytes_(chunk_bytes),
      max_chunk_(max_chunk_for(chunk_bytes)),
      at_end_(true),
      rest_(plain_text),
      memory_size_(plain_text.size()) {}

XesChunker::XesChunker(ByteReader& reader, std::size_t chunk_bytes, std::string source) noexcept
    : chunk_bytes_(chunk_bytes), max_chunk_(max_chunk_for(chunk_bytes)), source_(std::move(source)), raw_(&reader) {}

XesChunker::~XesChunker() = default;

std::uint64_t XesChunker::consumed() const noexcept {
  if (raw_ == nullptr) return memory_size_ - rest_.size();
  return input_ != nullptr ? input_->consumed() : raw_->consumed();
}

std::string_view XesChunker::available() const noexcept {
  return raw_ == nullptr ? rest_ : std::string_view(buf_.get(), size_);
}

bool XesChunker::start() {
  if (raw_ != nullptr) {
    // The first bytes decide between plain and gzip, as for one parser (feed_expat).
    auto head = std::make_unique<char[]>(kXesChunk);
    const std::size_t n = raw_->read(head.get(), kXesChunk);
    if (n == 0) return false;  // one parser reports the empty input
    reserve(std::max(chunk_bytes_, kXesChunk) + kXesChunk);
    if (n >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b) {
      gunzip_ = std::make_unique<GunzipReader>(*raw_, std::move(head), n, source_);
      input_ = gunzip_.get();
    } else {
      std::memcpy(buf_.get(), head.get(), n);
      size_ = n;
      input_ = raw_;
    }
  }
  for (;;) {
    const std::string_view all = available();
    const bool complete = at_end_ && all.size() <= kProbeMax;
    if (!all.empty() || complete) {
      bool need_more = false;
      if (auto layout = probe_layout(all.substr(0, kProbeMax), complete, need_more)) {
        layout_ = std::move(*layout);
        return true;
      }
      if (!need_more) return false;
    }
    if (all.size() >= kProbeMax || !read_more()) return false;
  }
}

void XesChunker::reserve(std::size_t capacity) {
  if (capacity <= capacity_) return;
  std::shared_ptr<char[]> bigger(new char[capacity]);
  if (size_ != 0) std::memcpy(bigger.get(), buf_.get(), size_);
  buf_ = std::move(bigger);
  capacity_ = capacity;
}

bool XesChunker::read_more() {
  if (at_end_) return false;
  if (size_ > max_chunk_) throw XesUncuttable{};
  if (capacity_ - size_ < kXesChunk) reserve(std::max(2 * capacity_, size_ + kXesChunk));
  const std::size_t k = input_->read(buf_.get() + size_, kXesChunk);
  size_ += k;
  at_end_ = k == 0;
  return k != 0;
}

// Where the chunk starting at the front of `all` ends: the first candidate at or after
// `from` that follows a </trace> end tag (where real traces start; "<trace" text in
// comments and the like rarely does), else, once the search passed `from + chunk_bytes`
// (or the input ended), the first candidate of any kind. npos: more bytes are needed.
std::size_t XesChunker::choose_cut(std::string_view all, std::size_t from) {
  const std::size_t m = layout_.trace_tag.size();
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  const std::size_t limit = from > kMax - chunk_bytes_ ? kMax : from + chunk_bytes_;
  for (;;) {
    const std::size_t c = find_cut(all, scan_, layout_.trace_tag);
    if (c == std::string_view::npos) {
      if (first_any_ != std::string_view::npos && (all.size() > limit || at_end_)) return first_any_;
      scan_ = std::max(scan_, all.size() > m ? all.size() - m : 0);  // a tag may straddle the read
      return std::string_view::npos;
    }
    if (first_any_ == std::string_view::npos) first_any_ = c;
    if (c > limit) return first_any_;
    std::size_t j = c;
    while (j > 0 && is_space(all[j - 1])) --j;
    if (all.substr(0, j).ends_with(layout_.trace_end)) return c;
    scan_ = c + 1;
  }
}

bool XesChunker::next(XesChunk& out) {
  if (done_) return false;
  const std::size_t from = std::max<std::size_t>(chunk_bytes_, first_ ? layout_.prefix.size() : 1);
  scan_ = from;
  first_any_ = std::string_view::npos;
  std::size_t cut = std::string_view::npos;
  bool last = false;
  while ((cut = choose_cut(available(), from)) == std::string_view::npos) {
    if (!read_more()) {
      cut = choose_cut(available(), from);  // now at_end_: a candidate of any kind will do
      last = cut == std::string_view::npos;
      if (last) cut = available().size();
      break;
    }
  }
  first_ = false;
  done_ = last;
  out.last = last;
  if (raw_ == nullptr) {
    out.owner.reset();
    out.text = rest_.substr(0, cut);
    rest_.remove_prefix(cut);
    return true;
  }
  // The chunk keeps this buffer; what follows the cut moves to a fresh one.
  out.owner = buf_;
  out.text = std::string_view(buf_.get(), cut);
  if (!last) {
    const std::size_t tail = size_ - cut;
    capacity_ = std::max(chunk_bytes_, kXesChunk) + kXesChunk + tail;
    std::shared_ptr<char[]> next(new char[capacity_]);
    std::memcpy(next.get(), buf_.get() + cut, tail);
    buf_ = std::move(next);
    size_ = tail;
  }
  return true;
}

}  // namespace cxkit::io::detail
