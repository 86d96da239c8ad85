// JourneyMap serialisation: a little-endian, length-prefixed, checksummed byte format.
//
// Loading validates every invariant the rest of the library relies on (sorted unique
// activities and edges, positions in range, statistics consistent with their counts), so
// bytes that load give a map no algorithm can be tripped by, and anything else is an
// InputError naming the byte offset.
#include "cxkit/journey/journey_map_io.hpp"

#include <algorithm>
#include <bit>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "cxkit/core/error.hpp"
#include "variant_summary.hpp"

namespace cxkit::journey {
namespace {

constexpr char kMagic[4] = {'C', 'X', 'J', 'M'};
constexpr std::size_t kHeaderBytes = 4 + 4 + 8;  // magic, version, payload length
constexpr std::size_t kTrailerBytes = 8;         // checksum
constexpr const char* kSource = "JourneyMap bytes";

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { le(v, 4); }
  void u64(std::uint64_t v) { le(v, 8); }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void i128(detail::Int128 v) {
    const auto u = static_cast<detail::UInt128>(v);
    u64(static_cast<std::uint64_t>(u));
    u64(static_cast<std::uint64_t>(u >> 64));
  }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  std::string& out() { return out_; }

 private:
  void le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string out_;
};

// Bounds-checked reads; `base` is the offset of the payload in the whole input so that
// errors name positions in the bytes the caller passed.
class Reader {
 public:
  Reader(std::string_view s, std::size_t base) : s_(s), base_(base) {}

  std::size_t offset() const noexcept { return base_ + pos_; }
  std::size_t remaining() const noexcept { return s_.size() - pos_; }
  bool at_end() const noexcept { return pos_ == s_.size(); }

  [[noreturn]] void fail(const std::string& what, const std::string& field) const { fail_at(what, field, offset()); }
  [[noreturn]] static void fail_at(const std::string& what, const std::string& field, std::size_t at) {
    InputLocation loc{kSource, static_cast<std::int64_t>(at), field, ""};
    loc.line_label = "byte";
    throw InputError(what, loc);
  }

  std::uint8_t u8(const char* field) { return static_cast<std::uint8_t>(le(1, field)); }
  std::uint32_t u32(const char* field) { return static_cast<std::uint32_t>(le(4, field)); }
  std::uint64_t u64(const char* field) { return le(8, field); }
  std::int32_t i32(const char* field) { return static_cast<std::int32_t>(u32(field)); }
  std::int64_t i64(const char* field) { return static_cast<std::int64_t>(u64(field)); }
  double f64(const char* field) { return std::bit_cast<double>(u64(field)); }
  detail::Int128 i128(const char* field) {
    const detail::UInt128 lo = u64(field);
    const detail::UInt128 hi = u64(field);
    return static_cast<detail::Int128>(lo | (hi << 64));
  }
  /// A count of items each at least `min_bytes` long: rejected when the rest of the input
  /// cannot hold that many, so that a corrupt count never drives a huge allocation.
  std::uint64_t count(const char* field, std::size_t min_bytes) {
    const std::size_t at = offset();
    const std::uint64_t n = u64(field);
    if (min_bytes != 0 && n > remaining() / min_bytes)
      fail_at("corrupt: " + std::to_string(n) + " items claimed, more than the remaining " +
                  std::to_string(remaining()) + " bytes can hold",
              field, at);
    return n;
  }
  std::string str(const char* field) {
    const std::uint64_t n = count(field, 1);
    std::string out(s_.substr(pos_, static_cast<std::size_t>(n)));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }

 private:
  std::uint64_t le(std::size_t n, const char* field) {
    if (remaining() < n)
      fail("truncated: " + std::to_string(n) + " bytes needed, " + std::to_string(remaining()) + " left", field);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }
  std::string_view s_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::uint64_t fmix64(std::uint64_t k) noexcept {  // MurmurHash3's finaliser
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// Payload field names, for error messages.
constexpr const char* kActivity = "activity";
constexpr const char* kEdge = "edge";
constexpr const char* kVariant = "variant";

}  // namespace

namespace detail {

// Reads and restores the private state of DurationStats (a friend of it).
struct DurationStatsIo {
  static void write(Writer& w, const DurationStats& d) {
    w.u64(d.count_);
    switch (d.mode_) {
      case DurationMode::none:
        return;
      case DurationMode::exact:
        // The durations determine everything else; they are written in the order added.
        for (std::int64_t v : d.values_) w.i64(v);
        return;
      case DurationMode::moments:
      case DurationMode::sketch:
        w.i64(d.min_);
        w.i64(d.max_);
        w.i128(d.sum_);
        w.u64(static_cast<std::uint64_t>(d.sum_sq_.lo));
        w.u64(static_cast<std::uint64_t>(d.sum_sq_.lo >> 64));
        w.u64(d.sum_sq_.hi);
        if (d.mode_ == DurationMode::sketch) {
          w.i32(d.first_);
          w.u64(d.buckets_.size());
          for (std::uint64_t b : d.buckets_) w.u64(b);
        }
        return;
    }
  }

  static DurationStats read(Reader& r, DurationMode mode, int bits, const char* field) {
    DurationStats d(mode, bits);
    const std::size_t start = r.offset();
    const std::uint64_t count = r.u64(field);
    if (mode == DurationMode::none) {
      d.count_ = count;
      return d;
    }
    if (mode == DurationMode::exact) {
      if (count > r.remaining() / 8)
        Reader::fail_at("corrupt: " + std::to_string(count) + " durations claimed, more than the remaining bytes hold",
                        field, start);
      d.reserve(static_cast<std::size_t>(count));
      for (std::uint64_t i = 0; i < count; ++i) d.add(r.i64(field));
      return d;
    }
    d.count_ = count;
    d.min_ = r.i64(field);
    d.max_ = r.i64(field);
    d.sum_ = r.i128(field);
    const UInt128 sq_lo = r.u64(field);
    const UInt128 sq_mid = r.u64(field);
    d.sum_sq_.lo = sq_lo | (sq_mid << 64);
    d.sum_sq_.hi = r.u64(field);
    check_moments(d, field, start);
    if (mode == DurationMode::sketch) {
      d.first_ = r.i32(field);
      const std::uint64_t n = r.count(field, 8);
      d.buckets_.resize(static_cast<std::size_t>(n));
      for (auto& b : d.buckets_) b = r.u64(field);
      check_sketch(d, field, start);
    }
    return d;
  }

  // What summarize() relies on: the extremes, the sum and the sum of squares are those of
  // some multiset of `count` durations (n Σx² >= (Σx)², so the variance is not negative).
  static void check_moments(const DurationStats& d, const char* field, std::size_t at) {
    if (d.count_ == 0) {
      if (d.min_ != std::numeric_limits<std::int64_t>::max() || d.max_ != std::numeric_limits<std::int64_t>::min() ||
          d.sum_ != 0 || !(d.sum_sq_ == UInt192{}))
        Reader::fail_at("corrupt duration statistics: moments recorded without durations", field, at);
      return;
    }
    if (d.min_ > d.max_) Reader::fail_at("corrupt duration statistics: min > max", field, at);
    const Int128 n = static_cast<Int128>(d.count_);
    if (d.sum_ < n * d.min_ || d.sum_ > n * d.max_)
      Reader::fail_at("corrupt duration statistics: sum outside count * [min, max]", field, at);
    const UInt256 a = times(d.count_, d.sum_sq_);
    const UInt256 b = square(magnitude(d.sum_));
    for (int i = 3; i >= 0; --i) {
      if (a.w[i] > b.w[i]) break;
      if (a.w[i] < b.w[i])
        Reader::fail_at("corrupt duration statistics: sum of squares below (sum)^2 / count", field, at);
    }
  }

  // What the sketch's order statistics rely on: buckets that add up to the count, trimmed
  // to the buckets of the smallest and largest durations (as add() and merge() leave them).
  static void check_sketch(const DurationStats& d, const char* field, std::size_t at) {
    const auto& b = d.buckets_;
    if (d.count_ == 0) {
      if (!b.empty() || d.first_ != 0) Reader::fail_at("corrupt duration sketch: buckets without durations", field, at);
      return;
    }
    const std::int32_t lo = DurationStats::bucket_of(std::max<std::int64_t>(d.min_, 0), d.bits_);
    const std::int32_t hi = DurationStats::bucket_of(std::max<std::int64_t>(d.max_, 0), d.bits_);
    if (b.empty() || d.first_ != lo || b.size() != static_cast<std::size_t>(hi - lo) + 1 || b.front() == 0 ||
        b.back() == 0)
      Reader::fail_at("corrupt duration sketch: buckets do not span the buckets of min and max", field, at);
    std::uint64_t total = 0;
    for (std::uint64_t c : b)
      if (__builtin_add_overflow(total, c, &total))
        Reader::fail_at("corrupt duration sketch: bucket counts overflow", field, at);
    if (total != d.count_)
      Reader::fail_at("corrupt duration sketch: bucket counts do not add up to the count", field, at);
  }
};

}  // namespace detail

namespace {

void write_calendar(Writer& w, const Calendar& cal) {
  w.str(cal.timezone());
  for (const auto& day : cal.week()) {
    w.u64(day.size());
    for (const auto& iv : day) {
      w.i32(static_cast<std::int32_t>(iv.begin.count()));
      w.i32(static_cast<std::int32_t>(iv.end.count()));
    }
  }
  const boost::gregorian::date epoch(1970, 1, 1);
  w.u64(cal.holidays().size());
  for (const auto& h : cal.holidays()) w.i64((h - epoch).days());
}

Calendar read_calendar(Reader& r) {
  const std::size_t at = r.offset();
  std::string tz = r.str("calendar.timezone");
  Calendar::Week week;
  for (auto& day : week) {
    const std::uint64_t n = r.count("calendar.week", 8);
    day.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::int32_t b = r.i32("calendar.week");
      const std::int32_t e = r.i32("calendar.week");
      day.push_back(WorkingInterval{std::chrono::minutes{b}, std::chrono::minutes{e}});
    }
  }
  // Boost's gregorian dates cover the years 1400-9999; anything else cannot be a holiday.
  const boost::gregorian::date epoch(1970, 1, 1);
  const std::int64_t first = (boost::gregorian::date(1400, 1, 1) - epoch).days();
  const std::int64_t last = (boost::gregorian::date(9999, 12, 31) - epoch).days();
  std::vector<boost::gregorian::date> holidays;
  const std::uint64_t n = r.count("calendar.holidays", 8);
  holidays.reserve(static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::int64_t days = r.i64("calendar.holidays");
    if (days < first || days > last)
      r.fail("corrupt holiday: " + std::to_string(days) + " days from 1970-01-01", "calendar.holidays");
    holidays.push_back(epoch + boost::gregorian::date_duration(static_cast<long>(days)));
  }
  try {
    return Calendar(std::move(tz), std::move(week), std::move(holidays));
  } catch (const InputError& e) {
    Reader::fail_at("invalid business calendar: " + e.reason(), "calendar", at);
  } catch (const std::exception& e) {  // NotFoundError for an unknown time zone, and the like
    Reader::fail_at(std::string("invalid business calendar: ") + e.what(), "calendar", at);
  }
}

MapSettings read_settings(Reader& r, std::uint32_t version) {
  MapSettings s;
  const std::uint8_t mode = r.u8("settings.durations");
  if (mode > static_cast<std::uint8_t>(DurationMode::sketch))
    r.fail("corrupt: unknown duration mode " + std::to_string(mode), "settings.durations");
  s.durations = static_cast<DurationMode>(mode);
  const std::uint32_t bits = r.u32("settings.sketch_bits");
  if (bits < 1 || bits > 12)
    r.fail("corrupt: sketch_bits " + std::to_string(bits) + " outside 1..12", "settings.sketch_bits");
  s.sketch_bits = static_cast<int>(bits);
  const std::uint8_t variants = r.u8("settings.variants");
  if (variants > 1) r.fail("corrupt: variants flag " + std::to_string(variants), "settings.variants");
  s.variants = variants == 1;
  const std::uint64_t nq = r.count("settings.quantiles", 8);
  for (std::uint64_t i = 0; i < nq; ++i) {
    const double p = r.f64("settings.quantiles");
    if (!(p >= 0.0 && p <= 1.0)) r.fail("corrupt: quantile probability outside [0, 1]", "settings.quantiles");
    s.quantiles.push_back(p);
  }
  const std::uint8_t has_calendar = r.u8("settings.calendar");
  if (has_calendar > 1) r.fail("corrupt: calendar flag " + std::to_string(has_calendar), "settings.calendar");
  if (has_calendar == 1) s.calendar = read_calendar(r);
  if (version >= 2) {
    s.max_variants = r.u64("settings.max_variants");
    if (s.max_variants == 0) r.fail("corrupt: max_variants 0", "settings.max_variants");
  }
  return s;
}

void check_stats_mode(const DurationStats& d, const MapSettings& s) {
  if (d.mode() != s.durations || (s.durations == DurationMode::sketch && d.sketch_bits() != s.sketch_bits))
    throw InputError(std::string("cannot serialise a JourneyMap whose duration statistics (") + to_string(d.mode()) +
                     ") disagree with its settings (" + to_string(s.durations) + ")");
}

bool variant_before(const Variant& a, const Variant& b) {
  return a.count != b.count ? a.count > b.count : a.activities < b.activities;
}

}  // namespace

std::uint64_t journey_map_checksum(std::string_view payload) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ payload.size();
  std::size_t i = 0;
  for (; i + 8 <= payload.size(); i += 8) h = fmix64(h ^ load_le64(payload.data() + i)) + 0x632BE59BD9B4E019ULL;
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < payload.size(); ++k)
    tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(payload[i + k])) << (8 * k);
  return fmix64(h ^ tail ^ (static_cast<std::uint64_t>(payload.size() - i) << 59));
}

std::string to_bytes(const JourneyMap& map) {
  const MapSettings& s = map.settings();
  Writer w;
  w.out().append(kMagic, 4);
  w.u32(kJourneyMapFormatVersion);
  w.u64(0);  // payload length, patched below

  w.u8(static_cast<std::uint8_t>(s.durations));
  w.u32(static_cast<std::uint32_t>(s.sketch_bits));
  w.u8(s.variants ? 1 : 0);
  w.u64(s.quantiles.size());
  for (double p : s.quantiles) w.f64(p);
  w.u8(s.calendar ? 1 : 0);
  if (s.calendar) write_calendar(w, *s.calendar);
  w.u64(s.max_variants);

  w.u64(map.n_cases());
  w.u64(map.n_events());
  w.u64(map.rework_cases());
  w.u64(map.activities().size());
  for (const auto& a : map.activities()) {
    w.str(a.name);
    w.u64(a.events);
    w.u64(a.cases);
    w.u64(a.starts);
    w.u64(a.ends);
    w.u64(a.rework_cases);
  }
  w.u64(map.edges().size());
  for (const auto& e : map.edges()) {
    check_stats_mode(e.durations, s);
    w.u32(e.source);
    w.u32(e.target);
    w.u64(e.count);
    detail::DurationStatsIo::write(w, e.durations);
  }
  w.u64(map.variants().size());
  for (const auto& v : map.variants()) {
    check_stats_mode(v.durations, s);
    w.u64(v.activities.size());
    for (std::uint32_t a : v.activities) w.u32(a);
    w.u64(v.count);
    w.u64(v.rank_count);
    detail::DurationStatsIo::write(w, v.durations);
  }
  w.u64(map.variant_sketch().size());
  for (std::uint8_t b : map.variant_sketch()) w.u8(b);

  std::string& out = w.out();
  const std::uint64_t payload_size = out.size() - kHeaderBytes;
  for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<char>((payload_size >> (8 * i)) & 0xFF);
  w.u64(journey_map_checksum(std::string_view(out).substr(kHeaderBytes)));
  return std::move(out);
}

JourneyMap from_bytes(std::string_view bytes) {
  // Header: magic, version, length, checksum, in that order, so that the message names the
  // first thing wrong (a newer version is reported even when the rest is unreadable).
  if (!bytes.empty() && std::memcmp(bytes.data(), kMagic, std::min<std::size_t>(bytes.size(), 4)) != 0)
    Reader::fail_at("not a serialised JourneyMap (the bytes do not start with \"CXJM\")", "magic", 0);
  std::uint32_t version = 0;
  if (bytes.size() >= 8) {
    Reader version_reader(bytes.substr(4, 4), 4);
    version = version_reader.u32("version");
    if (version == 0) Reader::fail_at("corrupt: format version 0", "version", 4);
    if (version > kJourneyMapFormatVersion)
      Reader::fail_at("this JourneyMap was written in format version " + std::to_string(version) +
                          " by a newer cxkit; this build reads versions up to " +
                          std::to_string(kJourneyMapFormatVersion) + ": upgrade cxkit to load it",
                      "version", 4);
  }
  if (bytes.size() < kHeaderBytes)
    Reader::fail_at("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the " +
                        std::to_string(kHeaderBytes) + "-byte header",
                    "header", bytes.size());
  Reader header(bytes.substr(8, 8), 8);
  const std::uint64_t length = header.u64("length");
  const std::size_t available = bytes.size() - kHeaderBytes;
  if (available < kTrailerBytes || length > available - kTrailerBytes)
    Reader::fail_at("truncated: the header announces " + std::to_string(length) + " payload bytes plus an " +
                        std::to_string(kTrailerBytes) + "-byte checksum, " + std::to_string(available) +
                        " bytes follow it",
                    "length", bytes.size());
  if (length < available - kTrailerBytes)
    Reader::fail_at(
        "corrupt: " + std::to_string(available - kTrailerBytes - length) + " unexpected bytes after the checksum",
        "length", kHeaderBytes + length + kTrailerBytes);
  const std::string_view payload = bytes.substr(kHeaderBytes, static_cast<std::size_t>(length));
  const std::uint64_t stored = load_le64(bytes.data() + kHeaderBytes + length);
  if (stored != journey_map_checksum(payload))
    Reader::fail_at("corrupt: checksum mismatch (the bytes were altered or damaged)", "checksum",
                    kHeaderBytes + length);

  Reader r(payload, kHeaderBytes);
  MapSettings settings = read_settings(r, version);
  const std::uint64_t n_cases = r.u64("n_cases");
  const std::uint64_t n_events = r.u64("n_events");
  const std::uint64_t rework_cases = r.u64("rework_cases");
  if (rework_cases > n_cases) r.fail("corrupt: more rework cases than cases", "rework_cases");

  // Activities: names strictly increasing (lookups bisect them), counts consistent.
  const std::uint64_t n_activities = r.count(kActivity, 8 + 5 * 8);
  if (n_activities > std::numeric_limits<std::uint32_t>::max()) r.fail("corrupt: too many activities", kActivity);
  std::vector<ActivityStats> activities(static_cast<std::size_t>(n_activities));
  detail::UInt128 events_total = 0, starts_total = 0, ends_total = 0;
  for (std::size_t i = 0; i < activities.size(); ++i) {
    ActivityStats& a = activities[i];
    const std::size_t at = r.offset();
    a.name = r.str(kActivity);
    a.events = r.u64(kActivity);
    a.cases = r.u64(kActivity);
    a.starts = r.u64(kActivity);
    a.ends = r.u64(kActivity);
    a.rework_cases = r.u64(kActivity);
    if (i > 0 && !(activities[i - 1].name < a.name))
      Reader::fail_at("corrupt: activity names not in strictly increasing order", kActivity, at);
    if (a.cases > a.events || a.starts > a.cases || a.ends > a.cases || a.rework_cases > a.cases || a.cases > n_cases)
      Reader::fail_at("corrupt: inconsistent counts for activity '" + a.name + "'", kActivity, at);
    events_total += a.events;
    starts_total += a.starts;
    ends_total += a.ends;
  }
  if (events_total != n_events) r.fail("corrupt: activity occurrences do not add up to n_events", kActivity);
  if (starts_total != n_cases || ends_total != n_cases)
    r.fail("corrupt: start or end counts do not add up to n_cases", kActivity);

  // Edges: positions in range, (source, target) strictly increasing, one duration per count.
  const std::uint64_t n_edges = r.count(kEdge, 4 + 4 + 8 + 8);
  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(n_edges));
  detail::UInt128 edge_total = 0;
  for (std::uint64_t i = 0; i < n_edges; ++i) {
    const std::size_t at = r.offset();
    Edge e;
    e.source = r.u32(kEdge);
    e.target = r.u32(kEdge);
    e.count = r.u64(kEdge);
    if (e.source >= n_activities || e.target >= n_activities)
      Reader::fail_at("corrupt: edge refers to activity " + std::to_string(std::max(e.source, e.target)) + " of " +
                          std::to_string(n_activities),
                      kEdge, at);
    if (!edges.empty() &&
        !(edges.back().source < e.source || (edges.back().source == e.source && edges.back().target < e.target)))
      Reader::fail_at("corrupt: edges not in strictly increasing (source, target) order", kEdge, at);
    if (e.count == 0) Reader::fail_at("corrupt: edge with count 0", kEdge, at);
    e.durations = detail::DurationStatsIo::read(r, settings.durations, settings.sketch_bits, kEdge);
    if (e.durations.count() != e.count) Reader::fail_at("corrupt: edge durations do not match its count", kEdge, at);
    edge_total += e.count;
    edges.push_back(std::move(e));
  }
  if (edge_total + n_cases != n_events) r.fail("corrupt: edge counts do not add up to n_events - n_cases", kEdge);

  // Variants: non-empty sequences of known activities, in the map's order (count descending,
  // then sequence), which also rules out duplicates; their counts add up to n_cases.
  // Version 2 adds each variant's rank count, the cap and the distinct-sequence sketch.
  const std::uint64_t n_variants = r.count(kVariant, 8 + 4 + 8 + (version >= 2 ? 8 : 0) + 8);
  if (!settings.variants && n_variants != 0) r.fail("corrupt: variants in a map discovered without them", kVariant);
  if (n_variants > settings.max_variants) r.fail("corrupt: more variants than max_variants", kVariant);
  bool ranks_equal_counts = true;
  std::vector<Variant> variants;
  variants.reserve(static_cast<std::size_t>(n_variants));
  detail::UInt128 variant_total = 0;
  for (std::uint64_t i = 0; i < n_variants; ++i) {
    const std::size_t at = r.offset();
    Variant v;
    const std::uint64_t len = r.count(kVariant, 4);
    if (len == 0) Reader::fail_at("corrupt: empty variant", kVariant, at);
    v.activities.resize(static_cast<std::size_t>(len));
    for (auto& a : v.activities) {
      a = r.u32(kVariant);
      if (a >= n_activities) r.fail("corrupt: variant refers to activity " + std::to_string(a), kVariant);
    }
    v.count = r.u64(kVariant);
    if (v.count == 0) Reader::fail_at("corrupt: variant with count 0", kVariant, at);
    v.rank_count = version >= 2 ? r.u64(kVariant) : v.count;
    if (v.rank_count == 0 || v.rank_count > v.count)
      Reader::fail_at("corrupt: variant rank count outside [1, count]", kVariant, at);
    ranks_equal_counts &= v.rank_count == v.count;
    if (!variants.empty() && !variant_before(variants.back(), v))
      Reader::fail_at("corrupt: variants out of order or repeated", kVariant, at);
    v.durations = detail::DurationStatsIo::read(r, settings.durations, settings.sketch_bits, kVariant);
    if (v.durations.count() != v.count)
      Reader::fail_at("corrupt: variant durations do not match its count", kVariant, at);
    variant_total += v.count;
    variants.push_back(std::move(v));
  }
  // A map is exact (every case counted, no sketch) or has left sequences out (a sketch, and
  // fewer cases counted than it holds); discover() and merge() produce nothing else.
  std::vector<std::uint8_t> sketch;
  if (version >= 2) {
    const std::uint64_t n_registers = r.count("variant_sketch", 1);
    if (n_registers != 0 && n_registers != detail::kSketchRegisters)
      r.fail("corrupt: variant sketch of " + std::to_string(n_registers) + " registers", "variant_sketch");
    if (n_registers != 0 && !settings.variants) r.fail("corrupt: variant sketch without variants", "variant_sketch");
    sketch.resize(static_cast<std::size_t>(n_registers));
    for (auto& b : sketch) {
      b = r.u8("variant_sketch");
      if (b > detail::kSketchMaxRank) r.fail("corrupt: variant sketch register out of range", "variant_sketch");
    }
  } else {
    // Version 1 had no cap: its maps hold every variant, so they load exact, with the
    // default cap or, when they hold more variants, a cap of exactly their number.
    settings.max_variants = std::max<std::uint64_t>(kDefaultMaxVariants, n_variants);
  }
  if (settings.variants && sketch.empty() && (variant_total != n_cases || !ranks_equal_counts))
    r.fail("corrupt: variant counts do not add up to n_cases", kVariant);
  if (!sketch.empty() && variant_total >= n_cases)
    r.fail("corrupt: a variant sketch in a map whose variants count every case", "variant_sketch");
  if (!r.at_end()) r.fail("corrupt: " + std::to_string(r.remaining()) + " unread payload bytes", "payload");

  return JourneyMap::assemble(std::move(settings), n_cases, n_events, rework_cases, std::move(activities),
                              std::move(edges), std::move(variants), 1, std::move(sketch));
}

}  // namespace cxkit::journey
