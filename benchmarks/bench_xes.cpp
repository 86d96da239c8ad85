// Reading XES: synthetic logs generated in memory (plain and gzip) and the real logs.
//
//   build/<dir>/benchmarks/bench_xes --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
// items_per_second is events/s; bytes_per_second counts the XML text (decompressed bytes
// for gzip input), so plain and gzip figures compare directly. Each benchmark runs with
// threads:1 (one parser on the calling thread) and threads:0 (XesOptions::threads = 0, a
// parser thread per hardware thread); the logs are identical (tests/cpp/test_xes_parallel).
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>

#include <date/date.h>

#include "cxkit/io/xes.hpp"

namespace {

// Deterministic 64-bit LCG (Knuth's MMIX constants): the same log on every machine.
struct Lcg {
  std::uint64_t s;
  std::uint32_t next(std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>((s >> 33) % n);
  }
};

void append_time(std::string& out, std::int64_t seconds, int millis) {
  // Local time at +01:00 with milliseconds, as OpenXES writes it.
  const std::int64_t local = seconds + 3600;
  const auto day = date::sys_days{date::days{local / 86400}};
  const date::year_month_day ymd{day};
  const std::int64_t s = local % 86400;
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d+01:00", int(ymd.year()),
                              unsigned(ymd.month()), unsigned(ymd.day()), int(s / 3600), int(s / 60 % 60),
                              int(s % 60), millis);
  out.append(buf, static_cast<std::size_t>(n));
}

// A log shaped like real exports: traces of 2-18 events, 25 activities with start/complete
// transitions, 200 resources, an int amount per event.
std::string make_xes(std::size_t n_events) {
  Lcg rng{20240601};
  std::string out;
  out.reserve(n_events * 340 + 4096);
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
      "<log xes.version=\"1.0\" xes.features=\"nested-attributes\" xmlns=\"http://www.xes-standard.org/\">\n"
      "\t<extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n"
      "\t<extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
      "\t<extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
      "\t<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
      "\t<global scope=\"trace\">\n\t\t<string key=\"concept:name\" value=\"UNKNOWN\"/>\n\t</global>\n"
      "\t<global scope=\"event\">\n\t\t<date key=\"time:timestamp\" value=\"1970-01-01T00:00:00.000+01:00\"/>\n"
      "\t\t<string key=\"concept:name\" value=\"UNKNOWN\"/>\n\t</global>\n"
      "\t<classifier name=\"Activity classifier\" keys=\"concept:name lifecycle:transition\"/>\n";
  std::size_t written = 0;
  std::int64_t clock = 1609459200;  // 2021-01-01T00:00:00Z
  for (std::size_t trace = 0; written < n_events; ++trace) {
    out += "\t<trace>\n\t\t<string key=\"concept:name\" value=\"case-";
    out += std::to_string(100000 + trace);
    out += "\"/>\n";
    const std::size_t len = std::min<std::size_t>(2 + rng.next(17), n_events - written);
    std::int64_t t = clock;
    clock += 37;
    for (std::size_t k = 0; k < len; ++k, ++written) {
      t += 1 + rng.next(7200);
      out += "\t\t<event>\n\t\t\t<string key=\"concept:name\" value=\"Activity ";
      out += std::to_string(rng.next(25));
      out += "\"/>\n\t\t\t<string key=\"lifecycle:transition\" value=\"";
      out += (k % 2 == 0) ? "start" : "complete";
      out += "\"/>\n\t\t\t<string key=\"org:resource\" value=\"User ";
      out += std::to_string(rng.next(200));
      out += "\"/>\n\t\t\t<date key=\"time:timestamp\" value=\"";
      append_time(out, t, static_cast<int>(rng.next(1000)));
      out += "\"/>\n\t\t\t<int key=\"amount\" value=\"";
      out += std::to_string(rng.next(100000));
      out += "\"/>\n\t\t</event>\n";
    }
    out += "\t</trace>\n";
  }
  out += "</log>\n";
  return out;
}

std::string gzip(const std::string& text) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, text.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// The last generated log only: the 10M-event text is 3.4 GB.
const std::string& synthetic(std::size_t n_events) {
  static std::pair<std::size_t, std::string> cache;
  if (cache.first != n_events) {
    cache.second.clear();
    cache.second.shrink_to_fit();
    cache = {n_events, make_xes(n_events)};
  }
  return cache.second;
}

void report(benchmark::State& state, std::size_t events, std::size_t xml_bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml_bytes));
}

cxkit::io::XesOptions with_threads(std::int64_t threads) {
  cxkit::io::XesOptions o;
  o.threads = static_cast<unsigned>(threads);
  return o;
}

void BM_ReadXesPlain(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto options = with_threads(state.range(1));
  const std::string& text = synthetic(n);
  for (auto _ : state) {
    auto log = cxkit::io::read_xes_buffer(text, options);
    if (log.size() != n) state.SkipWithError("wrong event count");
    benchmark::DoNotOptimize(log);
  }
  report(state, n, text.size());
}
BENCHMARK(BM_ReadXesPlain)->ArgNames({"events", "threads"})->Args({1000000, 1})->Args({1000000, 0})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadXesPlain)->ArgNames({"events", "threads"})->Args({10000000, 1})->Args({10000000, 0})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void BM_ReadXesGzip(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string& text = synthetic(n);
  const auto options = with_threads(state.range(1));
  static std::pair<std::size_t, std::string> zipped;
  if (zipped.first != n) zipped = {n, gzip(text)};
  for (auto _ : state) {
    auto log = cxkit::io::read_xes_buffer(zipped.second, options);
    if (log.size() != n) state.SkipWithError("wrong event count");
    benchmark::DoNotOptimize(log);
  }
  report(state, n, text.size());
  state.counters["gzip_bytes"] = static_cast<double>(zipped.second.size());
}
BENCHMARK(BM_ReadXesGzip)->ArgNames({"events", "threads"})->Args({1000000, 1})->Args({1000000, 0})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

std::size_t gunzipped_size(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return 0;
  static char buf[1 << 16];
  std::size_t total = 0;
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) total += static_cast<std::size_t>(n);
  gzclose(f);
  return total;
}

void BM_ReadXesFile(benchmark::State& state, const char* name) {
  const std::string path = std::string(CXKIT_SHARED_DATA_DIR) + "/journeys/" + name;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError(("shared data absent: " + path).c_str());
    for (auto _ : state) {
    }
    return;
  }
  const std::size_t xml_bytes = gunzipped_size(path);
  const auto options = with_threads(state.range(0));
  std::size_t events = 0;
  for (auto _ : state) {
    auto log = cxkit::io::read_xes(path, options);
    events = log.size();
    benchmark::DoNotOptimize(log);
  }
  report(state, events, xml_bytes);
}
BENCHMARK_CAPTURE(BM_ReadXesFile, bpic2012, "bpic2012.xes.gz")->ArgName("threads")->Arg(1)->Arg(0)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_ReadXesFile, helpdesk, "helpdesk.xes.gz")->ArgName("threads")->Arg(1)->Arg(0)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
