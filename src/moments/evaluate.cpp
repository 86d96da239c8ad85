// SLA clock evaluation: one pass per case, a small state machine per (moment, key).
//
// Determinism: the cases are cut into contiguous blocks of about 16k events (by the log
// alone); threads take blocks from a counter and write each block's rows to its own vector,
// and the blocks are concatenated in order, so the result does not depend on the thread
// count. Inside a case, rows are emitted when a clock stops and at the case's end, then put
// in (started, moment) order by a stable insertion sort (nearly sorted already).
#include "cxkit/moments/evaluate.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iterator>
#include <mutex>
#include <thread>

namespace cxkit::moments {

const char* to_string(Status s) noexcept {
  switch (s) {
    case Status::met: return "met";
    case Status::breached: return "breached";
    case Status::pending: return "pending";
    case Status::overdue: return "overdue";
    case Status::cancelled: return "cancelled";
  }
  return "?";
}

namespace {

enum Role : std::uint8_t { kTrigger = 1, kFulfil = 2, kPause = 4, kResume = 8, kCancel = 16 };

// attribute == value, resolved against the log's column.
struct Pred {
  ColumnType type = ColumnType::categorical;
  const Column* column = nullptr;
  std::span<const std::uint32_t> codes;
  std::span<const double> numbers;
  std::uint32_t code = kNoId;
  double number = 0;
  std::string text;

  bool matches(std::size_t row) const {
    switch (type) {
      case ColumnType::categorical: return codes[row] == code;  // code != kNoId (checked at compile)
      case ColumnType::numeric: return numbers[row] == number;  // NaN (missing) never equals
      case ColumnType::text: return !column->is_missing(row) && column->text(row) == text;
      case ColumnType::timestamp: return false;
    }
    return false;
  }
};

struct Rule {
  std::uint32_t moment = 0;
  std::uint8_t role = 0;
  std::vector<Pred> preds;
};

// A moment resolved against the log.
struct Compiled {
  Calendar calendar = Calendar::always();
  bool repeat = false;
  // key
  ColumnType key_type = ColumnType::categorical;
  const Column* key = nullptr;  // null: one clock per case
  bool key_unusable = false;    // non-strict and the log lacks the key: never matches
  // targets
  std::int64_t within = -1;     // -1: no default target
  const Column* by = nullptr;
  std::vector<std::int64_t> target_by_code;  // categorical: code -> target us, -1 none
  std::vector<std::pair<double, std::int64_t>> target_by_number;
  std::vector<std::pair<std::string, std::int64_t>> target_by_text;
};

enum Phase : std::uint8_t { kIdle, kRunning, kPaused, kDone };

struct Clock {
  std::uint64_t key = 0;
  std::uint32_t moment = 0;
  std::uint32_t slot = 0;
  Phase phase = kIdle;
  std::int64_t started = 0;
  std::int64_t seg_start = 0;  // start of the current running segment
  std::int64_t before = 0;     // business time accumulated before seg_start
  std::int64_t target = 0;
  std::size_t key_row = 0;     // an event row holding the key value (for its text)
};

// Open addressing (linear probing) from (moment, key) to an index into clocks_. Clocks are
// never erased within a case, and clear() resets only the slots in use, so a case costs
// O(its clocks), and the storage is reused from case to case.
class ClockTable {
 public:
  ClockTable() : slots_(64, kEmpty) {}

  Clock* find(std::uint32_t moment, std::uint64_t key) noexcept {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(moment, key) & mask;; i = (i + 1) & mask) {
      const std::uint32_t s = slots_[i];
      if (s == kEmpty) return nullptr;
      Clock& c = clocks_[s];
      if (c.key == key && c.moment == moment) return &c;
    }
  }
  // Pre: (moment, key) is not present.
  Clock& insert(std::uint32_t moment, std::uint64_t key) {
    if ((clocks_.size() + 1) * 2 > slots_.size()) grow();
    Clock c;
    c.moment = moment;
    c.key = key;
    c.slot = place(moment, key, static_cast<std::uint32_t>(clocks_.size()));
    clocks_.push_back(c);
    return clocks_.back();
  }
  std::vector<Clock>& clocks() noexcept { return clocks_; }
  void clear() noexcept {
    for (const Clock& c : clocks_) slots_[c.slot] = kEmpty;
    clocks_.clear();
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  static std::uint64_t hash(std::uint32_t moment, std::uint64_t key) noexcept {
    std::uint64_t h = (key ^ (std::uint64_t{moment} << 56)) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }
  std::uint32_t place(std::uint32_t moment, std::uint64_t key, std::uint32_t index) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash(moment, key) & mask;
    while (slots_[i] != kEmpty) i = (i + 1) & mask;
    slots_[i] = index;
    return static_cast<std::uint32_t>(i);
  }
  void grow() {
    slots_.assign(slots_.size() * 2, kEmpty);
    for (std::uint32_t k = 0; k < clocks_.size(); ++k) clocks_[k].slot = place(clocks_[k].moment, clocks_[k].key, k);
  }
  std::vector<std::uint32_t> slots_;
  std::vector<Clock> clocks_;
};

class Evaluator {
 public:
  Evaluator(const EventLog& log, std::span<const Moment> moments, const EvaluateOptions& opt) : log_(log), opt_(opt) {
    for (const Moment& m : moments) {
      if (opt.strict) m.validate_against(log);
      else m.validate();
    }
    compile(moments);
    as_of_ = opt.as_of ? to_micros(*opt.as_of) : latest();
  }

  std::vector<Occurrence> run() {
    const std::uint64_t total = log_.size();
    unsigned threads = opt_.threads != 0 ? opt_.threads : std::max(1u, std::thread::hardware_concurrency());
    // Below ~64k events per thread, starting threads costs more than it saves.
    threads = static_cast<unsigned>(std::clamp<std::uint64_t>(total / 65536, 1, threads));
    const std::vector<std::size_t> bounds = block_bounds();
    const std::size_t n_blocks = bounds.size() - 1;
    ProgressReporter progress(opt_.progress, log_.n_cases());
    std::vector<Occurrence> out;
    if (threads == 1 || n_blocks == 1) {
      // Blocks in order into one vector: the same rows as the parallel path, no concatenation.
      for (std::size_t b = 0; b < n_blocks; ++b) {
        run_range(bounds[b], bounds[b + 1], out);
        progress.advance(bounds[b + 1] - bounds[b]);
      }
      progress.finish();
      return out;
    }
    // Workers take blocks from a counter; the calling thread takes its share too, so the
    // callback runs between its blocks while the others work. Any failure (the callback's
    // Cancelled included) stops the others at their next block.
    std::vector<std::vector<Occurrence>> parts(n_blocks);
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    const auto work = [&]() noexcept {
      try {
        for (std::size_t b; (b = next.fetch_add(1, std::memory_order_relaxed)) < n_blocks;) {
          run_range(bounds[b], bounds[b + 1], parts[b]);
          progress.advance(bounds[b + 1] - bounds[b]);
        }
      } catch (...) {
        next.store(n_blocks, std::memory_order_relaxed);
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    try {
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    } catch (...) {  // no more threads: the ones started and this one do the work
    }
    work();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
    std::size_t n = 0;
    for (const auto& p : parts) n += p.size();
    out.reserve(n);
    for (auto& p : parts) std::move(p.begin(), p.end(), std::back_inserter(out));
    progress.finish();
    return out;
  }

 private:
  // Events per block of cases: a few milliseconds of work, so the progress callback and
  // Ctrl-C come often while the per-block cost (a vector, a counter) stays negligible.
  static constexpr std::uint64_t kBlockEvents = 16384;

  // Case boundaries of the blocks: block b holds cases [bounds[b], bounds[b + 1]), starting
  // at the first case whose events begin at or after b x kBlockEvents (a case is never
  // split). They depend on the log alone, so the output does not depend on the threads.
  std::vector<std::size_t> block_bounds() const {
    const std::size_t n_cases = log_.n_cases();
    const auto offs = log_.case_offsets();
    std::vector<std::size_t> bounds{0};
    for (std::uint64_t goal = kBlockEvents; goal < log_.size(); goal += kBlockEvents) {
      const auto c = static_cast<std::size_t>(std::lower_bound(offs.begin(), offs.end() - 1, goal) - offs.begin());
      if (c > bounds.back() && c < n_cases) bounds.push_back(c);
    }
    bounds.push_back(n_cases);
    return bounds;
  }

  std::int64_t latest() const noexcept {
    std::int64_t t = kMinTimestampMicros;
    const auto ts = log_.timestamps();
    for (std::size_t c = 0; c < log_.n_cases(); ++c)
      if (log_.case_end(c) > log_.case_begin(c)) t = std::max(t, ts[log_.case_end(c) - 1]);
    return t;
  }

  // ---- compiling the definitions against the log ----
  void compile(std::span<const Moment> moments) {
    const Dictionary& acts = log_.activity_names();
    std::vector<std::vector<Rule>> per_activity(acts.size());
    compiled_.resize(moments.size());
    for (std::uint32_t m = 0; m < moments.size(); ++m) {
      const Moment& def = moments[m];
      Compiled& c = compiled_[m];
      c.calendar = def.effective_calendar();
      c.repeat = def.repeat;
      if (def.within) c.within = def.within->count();
      if (def.key) {
        c.key = log_.find_attribute(*def.key);
        if (c.key && c.key->type() != ColumnType::categorical && c.key->type() != ColumnType::numeric) c.key = nullptr;
        c.key_unusable = c.key == nullptr;
        if (c.key) c.key_type = c.key->type();
      }
      if (def.targets) compile_targets(*def.targets, c);
      const auto add = [&](const EventCondition& cond, std::uint8_t role) {
        const auto a = acts.find(cond.activity);
        if (!a) return;  // non-strict: never matches
        Rule r;
        r.moment = m;
        r.role = role;
        for (const auto& w : cond.where) {
          Pred p;
          if (!compile_pred(w, p)) return;  // can never match
          r.preds.push_back(std::move(p));
        }
        per_activity[*a].push_back(std::move(r));
      };
      add(def.trigger, kTrigger);
      add(def.fulfil, kFulfil);
      for (const auto& x : def.pause_on) add(x, kPause);
      for (const auto& x : def.resume_on) add(x, kResume);
      for (const auto& x : def.cancel_on) add(x, kCancel);
    }
    // Flatten, rules of one activity sorted by moment so one event visits each moment once.
    rule_offsets_.assign(acts.size() + 1, 0);
    for (std::size_t a = 0; a < acts.size(); ++a) {
      auto& v = per_activity[a];
      std::stable_sort(v.begin(), v.end(), [](const Rule& x, const Rule& y) { return x.moment < y.moment; });
      for (auto& r : v) rules_.push_back(std::move(r));
      rule_offsets_[a + 1] = rules_.size();
    }
  }

  bool compile_pred(const AttributeCondition& w, Pred& p) const {
    const Column* col = log_.find_attribute(w.attribute);
    if (!col) return false;
    p.column = col;
    p.type = col->type();
    switch (col->type()) {
      case ColumnType::categorical: {
        const auto code = col->categories().find(w.value);
        if (!code) return false;
        p.code = *code;
        p.codes = col->codes();
        return true;
      }
      case ColumnType::numeric: {
        char* end = nullptr;
        p.number = std::strtod(w.value.c_str(), &end);
        if (w.value.empty() || *end != '\0') return false;
        p.numbers = col->numbers();
        return true;
      }
      case ColumnType::text: p.text = w.value; return true;
      case ColumnType::timestamp: return false;
    }
    return false;
  }

  void compile_targets(const TargetsBy& t, Compiled& c) const {
    const Column* col = log_.find_attribute(t.by);
    if (!col || col->type() == ColumnType::timestamp) return;  // non-strict: `within` applies
    c.by = col;
    switch (col->type()) {
      case ColumnType::categorical:
        c.target_by_code.assign(col->categories().size(), -1);
        for (const auto& [v, d] : t.values)
          if (auto code = col->categories().find(v)) c.target_by_code[*code] = d.count();
        break;
      case ColumnType::numeric:
        for (const auto& [v, d] : t.values) {
          char* end = nullptr;
          const double x = std::strtod(v.c_str(), &end);
          if (!v.empty() && *end == '\0') c.target_by_number.emplace_back(x, d.count());
        }
        break;
      case ColumnType::text:
        for (const auto& [v, d] : t.values) c.target_by_text.emplace_back(v, d.count());
        break;
      case ColumnType::timestamp: break;
    }
  }

  // The target of a clock started by event `row` of a case starting at `first`, or -1.
  std::int64_t target_for(const Compiled& c, std::size_t first, std::size_t row) const {
    if (!c.by) return c.within;
    // The value in force: on the trigger event, else the case's latest earlier event with one.
    std::size_t r = row + 1;
    while (r > first && c.by->is_missing(r - 1)) --r;
    if (r == first) return c.within;
    const std::size_t at = r - 1;
    std::int64_t found = -1;
    switch (c.by->type()) {
      case ColumnType::categorical: found = c.target_by_code[c.by->codes()[at]]; break;
      case ColumnType::numeric:
        for (const auto& [x, d] : c.target_by_number)
          if (c.by->numbers()[at] == x) found = d;
        break;
      case ColumnType::text:
        for (const auto& [x, d] : c.target_by_text)
          if (c.by->text(at) == x) found = d;
        break;
      case ColumnType::timestamp: break;
    }
    return found >= 0 ? found : c.within;
  }

  // ---- running ----
  void run_range(std::size_t case_first, std::size_t case_last, std::vector<Occurrence>& out) {
    ClockTable table;
    const auto acts = log_.activity_ids();
    const auto times = log_.timestamps();
    for (std::size_t cs = case_first; cs < case_last; ++cs) {
      const std::size_t first = log_.case_begin(cs), last = log_.case_end(cs);
      const std::size_t row0 = out.size();
      for (std::size_t i = first; i < last; ++i) {
        const std::int64_t t = times[i];
        if (t > as_of_) break;  // sorted by time within the case
        const std::uint32_t a = acts[i];
        std::size_t r = rule_offsets_[a];
        const std::size_t r_end = rule_offsets_[a + 1];
        while (r < r_end) {
          const std::uint32_t m = rules_[r].moment;
          std::uint8_t mask = 0;
          for (; r < r_end && rules_[r].moment == m; ++r) {
            bool ok = true;
            for (const Pred& p : rules_[r].preds) ok = ok && p.matches(i);
            if (ok) mask |= rules_[r].role;
          }
          if (mask) apply(table, static_cast<std::uint32_t>(cs), m, mask, first, i, t, out);
        }
      }
      for (Clock& c : table.clocks())
        if (c.phase == kRunning || c.phase == kPaused) emit(c, static_cast<std::uint32_t>(cs), as_of_, End::open, out);
      table.clear();
      order_rows(out, row0);
    }
  }

  void apply(ClockTable& table, std::uint32_t cs, std::uint32_t m, std::uint8_t mask, std::size_t first,
             std::size_t i, std::int64_t t, std::vector<Occurrence>& out) {
    const Compiled& cm = compiled_[m];
    std::uint64_t key = 0;
    if (cm.key_unusable) return;
    if (cm.key) {
      if (cm.key_type == ColumnType::categorical) {
        const std::uint32_t code = cm.key->codes()[i];
        if (code == kNoId) return;
        key = code;
      } else {
        double v = cm.key->numbers()[i];
        if (std::isnan(v)) return;
        if (v == 0) v = 0;  // -0 and +0 are one key
        key = std::bit_cast<std::uint64_t>(v);
      }
    }
    Clock* c = table.find(m, key);
    if (c && (c->phase == kRunning || c->phase == kPaused)) {
      if (mask & kCancel) {
        emit(*c, cs, t, End::cancelled, out);
        c->phase = kIdle;
      } else if (mask & kFulfil) {
        emit(*c, cs, t, End::stopped, out);
        c->phase = cm.repeat ? kIdle : kDone;
      } else if ((mask & kPause) && c->phase == kRunning) {
        c->before += cm.calendar.business_duration(from_micros(c->seg_start), from_micros(t)).count();
        c->phase = kPaused;
      } else if ((mask & kResume) && c->phase == kPaused) {
        c->seg_start = t;
        c->phase = kRunning;
      }
    }
    if ((mask & kTrigger) && (!c || c->phase == kIdle)) {
      const std::int64_t target = target_for(cm, first, i);
      if (target < 0) return;  // no target applies: no clock (docs/moments.md)
      if (!c) c = &table.insert(m, key);
      c->phase = kRunning;
      c->started = c->seg_start = t;
      c->before = 0;
      c->target = target;
      c->key_row = i;
    }
  }

  enum class End { stopped, cancelled, open };

  // Writes the row of clock `c` ending at `end`: a stop, a cancel, or as_of for an open clock.
  void emit(const Clock& c, std::uint32_t cs, std::int64_t end, End how, std::vector<Occurrence>& out) const {
    const Compiled& cm = compiled_[c.moment];
    Occurrence o;
    o.case_id = cs;
    o.moment = c.moment;
    if (cm.key) o.key = key_text(cm, c.key_row);
    o.started = from_micros(c.started);
    std::int64_t elapsed = c.before;
    std::int64_t resume_point = end;  // a clock that ended paused: as if resumed at the end
    if (c.phase == kRunning) {
      elapsed += cm.calendar.business_duration(from_micros(c.seg_start), from_micros(end)).count();
      resume_point = c.seg_start;
    }
    o.elapsed = Duration{elapsed};
    o.target = Duration{c.target};
    o.deadline = cm.calendar.add_business_time(from_micros(resume_point), Duration{c.target - c.before});
    const bool within = elapsed <= c.target;
    switch (how) {
      case End::stopped:
        o.stopped = from_micros(end);
        o.status = within ? Status::met : Status::breached;
        break;
      case End::cancelled:
        o.stopped = from_micros(end);
        o.status = Status::cancelled;
        break;
      case End::open:
        o.status = within ? Status::pending : Status::overdue;
        o.remaining = Duration{c.target - elapsed};
        break;
    }
    out.push_back(std::move(o));
  }

  std::string key_text(const Compiled& cm, std::size_t row) const {
    if (cm.key_type == ColumnType::categorical) return std::string(cm.key->categories().name(cm.key->codes()[row]));
    const double v = cm.key->numbers()[row];
    char buf[32];
    const int n = (v == std::floor(v) && std::fabs(v) < 9e15) ? std::snprintf(buf, sizeof buf, "%.0f", v)
                                                               : std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf, static_cast<std::size_t>(n));
  }

  // Stable insertion sort of the case's rows by (started, moment).
  static void order_rows(std::vector<Occurrence>& out, std::size_t row0) {
    const auto less = [](const Occurrence& a, const Occurrence& b) {
      return a.started != b.started ? a.started < b.started : a.moment < b.moment;
    };
    if (out.size() - row0 > 64) {
      std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(row0), out.end(), less);
      return;
    }
    for (std::size_t k = row0 + 1; k < out.size(); ++k) {
      if (!less(out[k], out[k - 1])) continue;
      Occurrence x = std::move(out[k]);
      std::size_t j = k;
      for (; j > row0 && less(x, out[j - 1]); --j) out[j] = std::move(out[j - 1]);
      out[j] = std::move(x);
    }
  }

  const EventLog& log_;
  const EvaluateOptions& opt_;
  std::vector<Compiled> compiled_;
  std::vector<Rule> rules_;
  std::vector<std::size_t> rule_offsets_;
  std::int64_t as_of_ = 0;
};

}  // namespace

std::vector<Occurrence> evaluate(const EventLog& log, std::span<const Moment> moments, const EvaluateOptions& options) {
  Evaluator e(log, moments, options);
  return e.run();
}

}  // namespace cxkit::moments
