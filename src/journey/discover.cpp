// Journey discovery: one pass over each case, in parallel over contiguous case ranges.
//
// Determinism: every thread takes a contiguous range of cases and the per-thread results
// are merged in range order, so per-edge durations end up in log order whatever the thread
// count, and every statistic is computed from exact integers or the multiset of durations.
// Variants are counted exactly over the whole log, then capped once (variant_summary.hpp),
// so the cap does not depend on the thread count either.
//
// Progress: each thread adds the events of its cases to the reporter every block of about
// kProgressEvents; only the calling thread's additions call the callback. Once its own range
// is done, the calling thread keeps reporting while it waits for the others. A cancellation
// (or any error) raises a stop flag that the other threads check at every block, so they
// end within one block; the calling thread joins them before the exception leaves.
#include "cxkit/journey/discover.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>

#include "tables.hpp"
#include "variant_summary.hpp"

namespace cxkit::journey {
namespace {

using detail::EdgeIndex;
using detail::VariantEntry;
using detail::VariantTable;

/// Events between two progress reports: a few milliseconds of scanning, so Ctrl-C is prompt
/// and the callback (a Python call under the GIL) costs nothing measurable.
constexpr std::uint64_t kProgressEvents = std::uint64_t{1} << 16;

/// Thrown inside a worker that saw the stop flag; never leaves discover().
struct Stopped {};

struct EdgeAcc {
  std::uint32_t a = 0, b = 0;
  std::uint64_t count = 0;
  DurationStats durations;
};

// What one thread accumulates over its range of cases, keyed by the log's activity ids.
struct Partial {
  Partial(std::size_t n_act, const EventLog& log, const DurationStats& proto)
      : events(n_act), cases(n_act), starts(n_act), ends(n_act), rework(n_act), seen(n_act, kNoId),
        marked(n_act, kNoId), index(n_act), variants(log.activity_ids(), log.case_offsets(), proto) {}
  std::vector<std::uint64_t> events, cases, starts, ends, rework;
  std::vector<std::uint32_t> seen, marked;  // last case that held / repeated the activity
  std::uint64_t n_cases = 0, n_events = 0, rework_cases = 0;
  std::uint64_t unreported = 0;  // events scanned since the last progress report
  EdgeIndex index;
  std::vector<EdgeAcc> edges;
  VariantTable variants;
};

// The cases a discovery covers: all of the log, or a list.
struct CaseSet {
  std::span<const std::uint32_t> list;
  bool all = true;
  std::size_t n = 0;
  std::uint32_t at(std::size_t k) const noexcept { return all ? static_cast<std::uint32_t>(k) : list[k]; }
};

class Discoverer {
 public:
  Discoverer(const EventLog& log, const DiscoverOptions& opt)
      : log_(log), opt_(opt), act_(log.activity_ids()), time_(log.timestamps()), off_(log.case_offsets()),
        proto_(opt.durations, opt.sketch_bits) {}

  JourneyMap run(const CaseSet& cases) {
    validate_quantiles(opt_.quantiles);
    if (opt_.max_variants == 0)
      throw InputError("max_variants must be at least 1 (kUnlimitedVariants for no cap)",
                       {"DiscoverOptions", -1, "max_variants", "0"});
    const std::size_t n_act = log_.activity_names().size();
    unsigned threads = opt_.threads != 0 ? opt_.threads : std::max(1u, std::thread::hardware_concurrency());
    std::uint64_t total_events = 0;
    if (cases.all) {
      total_events = log_.size();
    } else {
      for (std::size_t k = 0; k < cases.n; ++k) total_events += off_[cases.at(k) + 1] - off_[cases.at(k)];
    }
    // Below ~1M events per thread, starting threads and merging their partial maps (exact
    // duration vectors, variant tables) costs more than it saves (measured: bpic2012, 262k
    // events, 26.6x pm4py with 2 threads vs 33x with 1; 10M events 84x with 2 vs 56x with 1).
    // An explicit thread count is honoured down to 64k events per thread (starting a thread for
    // less costs more than it saves in any case).
    const std::uint64_t min_per_thread = opt_.threads != 0 ? 65536 : (std::uint64_t{1} << 20);
    threads = static_cast<unsigned>(std::clamp<std::uint64_t>(total_events / min_per_thread, 1, threads));

    // Contiguous ranges [bounds[t], bounds[t+1]) of case positions with about equal events.
    std::vector<std::size_t> bounds(threads + 1, cases.n);
    bounds[0] = 0;
    {
      std::uint64_t acc = 0;
      unsigned t = 1;
      for (std::size_t k = 0; k < cases.n && t < threads; ++k) {
        acc += off_[cases.at(k) + 1] - off_[cases.at(k)];
        while (t < threads && acc * threads >= total_events * t) bounds[t++] = k + 1;
      }
    }

    std::vector<Partial> parts;
    parts.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) parts.emplace_back(n_act, log_, proto_);
    ProgressReporter progress(opt_.progress, total_events);
    progress_ = &progress;
    std::vector<std::exception_ptr> errors(threads);
    std::mutex mutex;
    std::condition_variable all_done;
    unsigned running = threads - 1;  // workers still scanning (guarded by mutex)
    const auto work = [&](unsigned t) {
      try {
        process(cases, bounds[t], bounds[t + 1], parts[t]);
        progress.advance(parts[t].unreported);
      } catch (const Stopped&) {
        // Another thread failed or was cancelled; its exception is the one reported.
      } catch (...) {
        errors[t] = std::current_exception();
        stop_.store(true, std::memory_order_relaxed);
      }
    };
    if (threads == 1) {
      work(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back([&, t] {
          work(t);
          const std::lock_guard lock(mutex);
          --running;
          all_done.notify_one();
        });
      work(0);
      // Report the workers' progress (and let the callback cancel) until they are done.
      if (opt_.progress) {
        std::unique_lock lock(mutex);
        while (running != 0 && !stop_.load(std::memory_order_relaxed)) {
          if (all_done.wait_for(lock, std::chrono::milliseconds(20), [&] { return running == 0; })) break;
          lock.unlock();
          try {
            progress.advance(0);
          } catch (...) {
            errors[0] = std::current_exception();
            stop_.store(true, std::memory_order_relaxed);
          }
          lock.lock();
        }
      }
      for (auto& th : pool) th.join();
    }
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    JourneyMap map = finish(parts, threads, progress);
    progress.finish();  // after assembly, so the last report means the map is ready
    return map;
  }

 private:
  std::int64_t duration(std::int64_t from, std::int64_t to) const {
    if (!opt_.calendar) return to - from;
    return opt_.calendar->business_duration(from_micros(from), from_micros(to)).count();
  }

  void process(const CaseSet& cases, std::size_t k0, std::size_t k1, Partial& p) {
    if (opt_.durations == DurationMode::exact) reserve_exact(cases, k0, k1, p);
    if (opt_.durations == DurationMode::none) {
      if (opt_.variants) scan<false, true>(cases, k0, k1, p); else scan<false, false>(cases, k0, k1, p);
    } else {
      if (opt_.variants) scan<true, true>(cases, k0, k1, p); else scan<true, false>(cases, k0, k1, p);
    }
  }

  // Exact mode: count the edges first so that every duration vector is allocated once, at
  // its final size (8 bytes per occurrence, no regrowth slack).
  void reserve_exact(const CaseSet& cases, std::size_t k0, std::size_t k1, Partial& p) {
    std::vector<std::uint64_t> counts;
    for (std::size_t k = k0; k < k1; ++k) {
      const std::uint32_t c = cases.at(k);
      for (std::size_t i = off_[c] + 1; i < off_[c + 1]; ++i) {
        bool inserted = false;
        const std::uint32_t s = p.index.slot(act_[i - 1], act_[i], inserted);
        if (inserted) {
          p.edges.push_back(EdgeAcc{act_[i - 1], act_[i], 0, proto_});
          counts.push_back(0);
        }
        ++counts[s];
      }
    }
    for (std::size_t s = 0; s < counts.size(); ++s) p.edges[s].durations.reserve(counts[s]);
  }

  // Called between cases: hands a block of scanned events to the reporter (which runs the
  // callback on the calling thread and may throw Cancelled there) and stops a worker when
  // another thread has failed.
  void report_block(Partial& p) {
    progress_->advance(p.unreported);
    p.unreported = 0;
    if (stop_.load(std::memory_order_relaxed)) throw Stopped{};
  }

  template <bool kDurations, bool kVariants>
  void scan(const CaseSet& cases, std::size_t k0, std::size_t k1, Partial& p) {
    std::uint64_t* events = p.events.data();
    std::uint64_t* in_cases = p.cases.data();
    std::uint32_t* seen = p.seen.data();
    std::uint32_t* marked = p.marked.data();
    for (std::size_t k = k0; k < k1; ++k) {
      if (p.unreported >= kProgressEvents) report_block(p);
      const std::uint32_t c = cases.at(k);
      const std::size_t b = off_[c], e = off_[c + 1];
      p.unreported += e - b;
      if (b == e) continue;
      ++p.n_cases;
      p.n_events += e - b;
      ++p.starts[act_[b]];
      ++p.ends[act_[e - 1]];
      bool repeated = false;
      detail::SequenceHash hash;
      std::uint32_t prev = kNoId;
      for (std::size_t i = b; i < e; ++i) {
        const std::uint32_t a = act_[i];
        ++events[a];
        if (seen[a] != c) {
          seen[a] = c;
          ++in_cases[a];
        } else if (marked[a] != c) {
          marked[a] = c;
          ++p.rework[a];
          repeated = true;
        }
        if constexpr (kVariants) hash.add(a);
        if (prev != kNoId) {
          bool inserted = false;
          const std::uint32_t s = p.index.slot(prev, a, inserted);
          if (inserted) p.edges.push_back(EdgeAcc{prev, a, 0, proto_});
          EdgeAcc& edge = p.edges[s];
          ++edge.count;
          if constexpr (kDurations) edge.durations.add(duration(time_[i - 1], time_[i]));
        }
        prev = a;
      }
      if (repeated) ++p.rework_cases;
      if constexpr (kVariants) {
        const std::uint32_t v = p.variants.find_or_add(hash.finish(e - b), c);
        ++p.variants.entries()[v].count;
        if constexpr (kDurations) p.variants.durations()[v].add(duration(time_[b], time_[e - 1]));
      }
    }
  }

  JourneyMap finish(std::vector<Partial>& parts, unsigned threads, ProgressReporter& progress) {
    const std::size_t n_act = log_.activity_names().size();
    Partial& g = parts[0];
    // Edge counts for mode none live in EdgeAcc::count; DurationStats then only counts.
    if (opt_.durations == DurationMode::exact && parts.size() > 1) {
      // Size every duration vector once for all ranges before appending them in order.
      std::vector<std::uint64_t> total(g.edges.size());
      for (std::size_t s = 0; s < g.edges.size(); ++s) total[s] = g.edges[s].count;
      for (std::size_t t = 1; t < parts.size(); ++t)
        for (const EdgeAcc& x : parts[t].edges) {
          bool inserted = false;
          const std::uint32_t s = g.index.slot(x.a, x.b, inserted);
          if (inserted) {
            g.edges.push_back(EdgeAcc{x.a, x.b, 0, proto_});
            total.push_back(0);
          }
          total[s] += x.count;
        }
      for (std::size_t s = 0; s < g.edges.size(); ++s) g.edges[s].durations.reserve(total[s]);
    }
    for (std::size_t t = 1; t < parts.size(); ++t) {
      Partial& p = parts[t];
      for (std::size_t a = 0; a < n_act; ++a) {
        g.events[a] += p.events[a];
        g.cases[a] += p.cases[a];
        g.starts[a] += p.starts[a];
        g.ends[a] += p.ends[a];
        g.rework[a] += p.rework[a];
      }
      g.n_cases += p.n_cases;
      g.n_events += p.n_events;
      g.rework_cases += p.rework_cases;
      for (EdgeAcc& x : p.edges) {
        bool inserted = false;
        const std::uint32_t s = g.index.slot(x.a, x.b, inserted);
        if (inserted) g.edges.push_back(EdgeAcc{x.a, x.b, 0, proto_});
        g.edges[s].count += x.count;
        g.edges[s].durations.merge(std::move(x.durations));
      }
      p.edges.clear();
      p.edges.shrink_to_fit();
      for (std::size_t k = 0; k < p.variants.entries().size(); ++k) {
        const VariantEntry& x = p.variants.entries()[k];
        const std::uint32_t v = g.variants.find_or_add(x.hash, x.first_case);
        g.variants.entries()[v].count += x.count;
        g.variants.durations()[v].merge(std::move(p.variants.durations()[k]));
      }
      p.variants.clear();
    }

    // Activities that occur, sorted by name; pos maps a log id to its map position.
    std::vector<std::uint32_t> present;
    for (std::uint32_t a = 0; a < n_act; ++a)
      if (g.events[a] != 0) present.push_back(a);
    const Dictionary& names = log_.activity_names();
    std::sort(present.begin(), present.end(),
              [&](std::uint32_t x, std::uint32_t y) { return names.name(x) < names.name(y); });
    std::vector<std::uint32_t> pos(n_act, kNoId);
    std::vector<ActivityStats> activities(present.size());
    for (std::uint32_t i = 0; i < present.size(); ++i) {
      const std::uint32_t a = present[i];
      pos[a] = i;
      ActivityStats& s = activities[i];
      s.name = std::string(names.name(a));
      s.events = g.events[a];
      s.cases = g.cases[a];
      s.starts = g.starts[a];
      s.ends = g.ends[a];
      s.rework_cases = g.rework[a];
    }

    std::vector<Edge> edges;
    edges.reserve(g.edges.size());
    for (EdgeAcc& x : g.edges) {
      Edge e{pos[x.a], pos[x.b], x.count, std::move(x.durations), {}};
      if (opt_.durations == DurationMode::none) e.durations.add_count(x.count);
      edges.push_back(std::move(e));
    }
    progress.advance(0);  // a chance to cancel between the merge and the variants

    // The cap (variant_summary.hpp) on the exact counts, before any Variant is built: keep the
    // entries counted more than the (cap+1)-th largest count c, with rank count - c. The
    // sketch of all distinct sequences is kept only when some are left out.
    const std::vector<VariantEntry>& entries = g.variants.entries();
    std::uint64_t threshold = 0;
    std::vector<std::uint8_t> sketch;
    if (entries.size() > opt_.max_variants) {
      std::vector<std::uint64_t> counts(entries.size());
      for (std::size_t k = 0; k < entries.size(); ++k) counts[k] = entries[k].count;
      const auto kth = counts.begin() + static_cast<std::ptrdiff_t>(opt_.max_variants);
      std::nth_element(counts.begin(), kth, counts.end(), std::greater<>());
      threshold = *kth;
      std::vector<std::uint64_t> name_hashes(n_act);
      for (std::uint32_t a = 0; a < n_act; ++a) name_hashes[a] = detail::name_hash(names.name(a));
      sketch.assign(detail::kSketchRegisters, 0);
      for (const VariantEntry& x : entries) {
        detail::NameSequenceHash h;
        const std::size_t b = off_[x.first_case];
        for (std::size_t i = 0; i < x.length; ++i) h.add(name_hashes[act_[b + i]]);
        detail::sketch_add(sketch, h.finish(x.length));
      }
    }
    std::vector<Variant> variants;
    variants.reserve(std::min<std::uint64_t>(entries.size(), opt_.max_variants));
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const VariantEntry& x = entries[k];
      if (x.count <= threshold) continue;  // threshold 0: every entry (counts are >= 1)
      Variant v;
      const std::size_t b = off_[x.first_case];
      v.activities.resize(x.length);
      for (std::size_t i = 0; i < x.length; ++i) v.activities[i] = pos[act_[b + i]];
      v.count = x.count;
      v.rank_count = x.count - threshold;
      v.durations = std::move(g.variants.durations()[k]);
      if (opt_.durations == DurationMode::none) v.durations.add_count(x.count);
      variants.push_back(std::move(v));
    }
    // The per-thread tables are spent: free them before sorting and summarising.
    const std::uint64_t n_cases = g.n_cases, n_events = g.n_events, rework_cases = g.rework_cases;
    parts.clear();
    parts.shrink_to_fit();

    MapSettings settings;
    settings.durations = opt_.durations;
    settings.sketch_bits = opt_.sketch_bits;
    settings.quantiles = opt_.quantiles;
    settings.calendar = opt_.calendar;
    settings.variants = opt_.variants;
    settings.max_variants = opt_.max_variants;
    progress.advance(0);
    return JourneyMap::assemble(std::move(settings), n_cases, n_events, rework_cases, std::move(activities),
                                std::move(edges), std::move(variants), threads, std::move(sketch));
  }

  const EventLog& log_;
  const DiscoverOptions& opt_;
  std::span<const std::uint32_t> act_;
  std::span<const std::int64_t> time_;
  std::span<const std::uint64_t> off_;
  DurationStats proto_;
  ProgressReporter* progress_ = nullptr;  // set by run() for the scan
  std::atomic<bool> stop_{false};         // a thread failed or was cancelled: the others stop
};

}  // namespace

JourneyMap discover(const EventLog& log, const DiscoverOptions& options) {
  Discoverer d(log, options);
  return d.run(CaseSet{{}, true, log.n_cases()});
}

JourneyMap discover_cases(const EventLog& log, std::span<const std::uint32_t> cases, const DiscoverOptions& options) {
  std::vector<bool> taken(log.n_cases(), false);
  for (std::uint32_t c : cases) {
    if (c >= log.n_cases())
      throw InputError("case id out of range (the log has " + std::to_string(log.n_cases()) + " cases)",
                       {log.source(), -1, "case", std::to_string(c)});
    if (taken[c])
      throw InputError("case listed twice", {log.source(), -1, "case", std::string(log.case_names().name(c))});
    taken[c] = true;
  }
  Discoverer d(log, options);
  return d.run(CaseSet{cases, false, cases.size()});
}

}  // namespace cxkit::journey
