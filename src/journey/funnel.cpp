// Conversion funnels (semantics in funnel.hpp and docs/journey_funnels_conformance_playbooks.md).
#include "cxkit/journey/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace cxkit::journey {

const char* to_string(FunnelOrder o) noexcept { return o == FunnelOrder::strict ? "strict" : "any"; }
const char* to_string(FunnelEntry e) noexcept { return e == FunnelEntry::first ? "first" : "best"; }

namespace {

std::string known_activities(const Dictionary& names) {
  constexpr std::size_t kShown = 100;  // a log with 10,000 activities must not make a 10,000-name message
  std::vector<std::string> all;
  all.reserve(names.size());
  for (std::uint32_t i = 0; i < names.size(); ++i) all.emplace_back(names.name(i));
  std::sort(all.begin(), all.end());
  std::string list;
  for (std::size_t i = 0; i < all.size() && i < kShown; ++i) list += (list.empty() ? "'" : ", '") + all[i] + "'";
  if (all.size() > kShown) list += ", ... (" + std::to_string(all.size() - kShown) + " more)";
  return list.empty() ? "(none)" : list;
}

void validate(const FunnelOptions& o) {
  if (o.steps.empty()) throw InputError("a funnel needs at least one step", {"FunnelOptions", -1, "steps", ""});
  if (o.within && o.within->count() < 0)
    throw InputError("the conversion window must not be negative",
                     {"FunnelOptions", -1, "within", std::to_string(o.within->count()) + " us"});
  for (double p : o.quantiles)
    if (!(p >= 0.0 && p <= 1.0))
      throw InputError("quantile probabilities must lie in [0, 1]", {"FunnelOptions", -1, "quantiles", std::to_string(p)});
  if (o.steps.size() >= 0xFFFFFFFFu) throw InputError("too many steps", {"FunnelOptions", -1, "steps", ""});
}

// The steps compiled against one log's activity ids.
struct Compiled {
  std::size_t k = 0;
  std::vector<std::uint32_t> step_id;           // activity id of each step
  // Any order: distinct step activities are "slots"; step j needs occurrence occ[j] (1-based)
  // of slot_of_step[j]; occurrence positions live in a flat array at slot_offset[slot].
  std::vector<std::uint32_t> slot_of_activity;  // activity id -> slot or kNoId
  std::vector<std::uint32_t> slot_of_step, occ_of_step, slot_need, slot_offset;
  std::uint32_t total_need = 0;
  bool has_window = false, business = false;
  std::int64_t window = 0;
  const Calendar* calendar = nullptr;

  Compiled(const EventLog& log, const FunnelOptions& o) : k(o.steps.size()) {
    const Dictionary& names = log.activity_names();
    // A step the log lacks (allowed with require_activities = false) gets an id past the
    // dictionary that no event carries, one per distinct name.
    std::vector<std::string_view> missing;
    for (std::size_t j = 0; j < k; ++j) {
      if (const auto id = names.find(o.steps[j])) {
        step_id.push_back(*id);
        continue;
      }
      if (o.require_activities)
        throw NotFoundError("unknown activity '" + o.steps[j] + "' in steps[" + std::to_string(j) +
                            "]; known activities: " + known_activities(names));
      auto it = std::find(missing.begin(), missing.end(), std::string_view(o.steps[j]));
      if (it == missing.end()) it = missing.insert(missing.end(), o.steps[j]);
      step_id.push_back(static_cast<std::uint32_t>(names.size() + static_cast<std::size_t>(it - missing.begin())));
    }
    if (names.find(o.end_name))
      throw InputError("end_name is an activity of the log; choose another", {"FunnelOptions", -1, "end_name", o.end_name});
    slot_of_activity.assign(names.size() + missing.size(), kNoId);
    for (std::size_t j = 0; j < k; ++j) {
      std::uint32_t& s = slot_of_activity[step_id[j]];
      if (s == kNoId) {
        s = static_cast<std::uint32_t>(slot_need.size());
        slot_need.push_back(0);
      }
      slot_of_step.push_back(s);
      occ_of_step.push_back(++slot_need[s]);
    }
    std::uint32_t off = 0;
    for (std::uint32_t need : slot_need) {
      slot_offset.push_back(off);
      off += need;
    }
    total_need = off;
    has_window = o.within.has_value();
    if (has_window) window = o.within->count();
    if (o.calendar) {
      calendar = &*o.calendar;
      business = !o.calendar->is_always();
    }
  }

  std::int64_t elapsed(std::int64_t a, std::int64_t b) const {
    return business ? calendar->business_duration(from_micros(a), from_micros(b)).count() : b - a;
  }
  bool in_window(std::int64_t entry, std::int64_t t) const { return !has_window || elapsed(entry, t) <= window; }
};

// Matching one attempt. `done[j]` receives the event that completed step j; returns the
// number of steps reached (>= 1: the entry event is step 1).
class Matcher {
 public:
  Matcher(const EventLog& log, const Compiled& c)
      : time_(log.timestamps()), act_(log.activity_ids()), c_(c), count_(c.slot_need.size()), occ_pos_(c.total_need) {}

  std::uint32_t strict(std::size_t entry, std::size_t end, std::uint64_t* done) const {
    done[0] = entry;
    std::uint32_t level = 1;
    const std::int64_t t0 = time_[entry];
    for (std::size_t e = entry + 1; e < end && level < c_.k; ++e) {
      if (act_[e] != c_.step_id[level]) {
        // Elapsed windows are cheap to test on every event and let the scan stop early.
        if (c_.has_window && !c_.business && time_[e] - t0 > c_.window) break;
        continue;
      }
      if (!c_.in_window(t0, time_[e])) break;  // sorted by time: later events are later still
      done[level++] = e;
    }
    return level;
  }

  std::uint32_t any(std::size_t entry, std::size_t end, std::uint64_t* done) {
    std::fill(count_.begin(), count_.end(), 0u);
    const std::int64_t t0 = time_[entry];
    std::uint32_t remaining = c_.total_need;
    const auto take = [&](std::size_t e, std::uint32_t s) {
      if (count_[s] < c_.slot_need[s]) {
        occ_pos_[c_.slot_offset[s] + count_[s]++] = e;
        --remaining;
      }
    };
    take(entry, c_.slot_of_step[0]);
    for (std::size_t e = entry + 1; e < end && remaining != 0; ++e) {
      const std::uint32_t s = c_.slot_of_activity[act_[e]];
      if (s == kNoId || count_[s] >= c_.slot_need[s]) {
        if (c_.has_window && !c_.business && time_[e] - t0 > c_.window) break;
        continue;
      }
      if (!c_.in_window(t0, time_[e])) break;
      take(e, s);
    }
    std::uint32_t level = 0;
    std::uint64_t latest = entry;
    for (; level < c_.k; ++level) {
      const std::uint32_t s = c_.slot_of_step[level], need = c_.occ_of_step[level];
      if (count_[s] < need) break;
      latest = std::max<std::uint64_t>(latest, occ_pos_[c_.slot_offset[s] + need - 1]);
      done[level] = latest;
    }
    return level;
  }

 private:
  std::span<const std::int64_t> time_;
  std::span<const std::uint32_t> act_;
  const Compiled& c_;
  std::vector<std::uint32_t> count_;
  std::vector<std::uint64_t> occ_pos_;
};

struct GroupAcc {
  std::uint64_t n_customers = 0;
  std::vector<std::uint64_t> reached;
  std::vector<DurationStats> from_entry, from_previous;
  std::vector<std::vector<std::uint64_t>> next;  // per step: activity id -> count; last slot = end

  GroupAcc(std::size_t k, DurationMode mode) : reached(k, 0), next(k) {
    from_entry.assign(k, DurationStats(mode));
    from_previous.assign(k, DurationStats(mode));
  }
};

void refresh(FunnelGroup& g, std::span<const double> quantiles) {
  const std::size_t k = g.steps.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t j = 0; j < k; ++j) {
    FunnelStep& s = g.steps[j];
    s.dropped = j + 1 < k ? s.customers - g.steps[j + 1].customers : 0;
    const std::uint64_t prev = j == 0 ? s.customers : g.steps[j - 1].customers;
    const std::uint64_t first = g.steps[0].customers;
    s.conversion_from_previous = prev == 0 ? nan : static_cast<double>(s.customers) / static_cast<double>(prev);
    s.conversion_from_first = first == 0 ? nan : static_cast<double>(s.customers) / static_cast<double>(first);
    s.from_entry = s.time_from_entry.summarize(quantiles);
    s.from_previous = s.time_from_previous.summarize(quantiles);
    std::sort(s.next_after_drop.begin(), s.next_after_drop.end(),
              [](const NextActivityCount& a, const NextActivityCount& b) {
                return a.customers != b.customers ? a.customers > b.customers : a.activity < b.activity;
              });
  }
}

FunnelGroup finish(GroupAcc& acc, const EventLog& log, const FunnelOptions& o, std::string segment) {
  FunnelGroup g;
  g.segment = std::move(segment);
  g.n_customers = acc.n_customers;
  const Dictionary& names = log.activity_names();
  g.steps.resize(o.steps.size());
  for (std::size_t j = 0; j < g.steps.size(); ++j) {
    FunnelStep& s = g.steps[j];
    s.activity = o.steps[j];
    s.customers = acc.reached[j];
    s.time_from_entry = std::move(acc.from_entry[j]);
    s.time_from_previous = std::move(acc.from_previous[j]);
    const auto& counts = acc.next[j];
    for (std::size_t a = 0; a < counts.size(); ++a)
      if (counts[a] != 0)
        s.next_after_drop.push_back({a < names.size() ? std::string(names.name(static_cast<std::uint32_t>(a))) : o.end_name,
                                     counts[a]});
  }
  refresh(g, o.quantiles);
  return g;
}

FunnelResult run(const EventLog& log, const FunnelOptions& o, std::span<const std::uint32_t> segment_of_case,
                 const Dictionary* labels) {
  validate(o);
  const Compiled c(log, o);
  const std::size_t k = c.k;
  if (!segment_of_case.empty() || labels) {
    if (segment_of_case.size() != log.n_cases())
      throw InputError("segment labels: " + std::to_string(segment_of_case.size()) + " for " +
                       std::to_string(log.n_cases()) + " cases");
    for (std::uint32_t s : segment_of_case)
      if (s != kNoId && s >= labels->size())
        throw InputError("segment label id out of range (" + std::to_string(labels->size()) + " labels)",
                         {log.source(), -1, "segment", std::to_string(s)});
  }
  const std::size_t n_labels = labels ? labels->size() : 0;
  GroupAcc overall(k, o.durations);
  std::vector<GroupAcc> seg;
  seg.reserve(n_labels);
  for (std::size_t s = 0; s < n_labels; ++s) seg.emplace_back(k, o.durations);

  FunnelResult result;
  result.options = o;
  Matcher matcher(log, c);
  const auto time = log.timestamps();
  const auto act = log.activity_ids();
  const std::size_t n_act = log.activity_names().size();
  std::vector<std::uint64_t> done(k), trial(k);
  const std::uint32_t step0 = c.step_id[0];

  for (std::size_t cs = 0; cs < log.n_cases(); ++cs) {
    const std::size_t begin = log.case_begin(cs), end = log.case_end(cs);
    const std::uint32_t label = segment_of_case.empty() ? kNoId : segment_of_case[cs];
    ++overall.n_customers;
    if (label != kNoId) ++seg[label].n_customers;

    std::uint32_t level = 0;
    for (std::size_t p = begin; p < end; ++p) {
      if (act[p] != step0) continue;
      const std::uint32_t got = o.order == FunnelOrder::strict ? matcher.strict(p, end, trial.data())
                                                               : matcher.any(p, end, trial.data());
      if (got > level) {  // strictly more: the earliest attempt wins a tie
        level = got;
        std::swap(done, trial);
      }
      if (o.entry == FunnelEntry::first || level == k) break;
    }
    if (level == 0) continue;

    const auto record = [&](GroupAcc& g) {
      for (std::uint32_t j = 0; j < level; ++j) {
        ++g.reached[j];
        if (j == 0) continue;
        g.from_entry[j].add(c.elapsed(time[done[0]], time[done[j]]));
        g.from_previous[j].add(c.elapsed(time[done[j - 1]], time[done[j]]));
      }
      if (level < k) {
        auto& counts = g.next[level - 1];
        if (counts.empty()) counts.assign(n_act + 1, 0);
        const std::uint64_t after = done[level - 1] + 1;
        ++counts[after < end ? act[after] : n_act];
      }
    };
    record(overall);
    if (label != kNoId) record(seg[label]);
    if (o.customers) {
      FunnelCustomer fc;
      fc.customer = std::string(log.case_names().name(static_cast<std::uint32_t>(cs)));
      if (label != kNoId) fc.segment = std::string(labels->name(label));
      fc.steps_reached = level;
      for (std::uint32_t j = 0; j < level; ++j) fc.reached_at.push_back(from_micros(time[done[j]]));
      result.customers.push_back(std::move(fc));
    }
  }

  result.overall = finish(overall, log, o, "");
  for (std::size_t s = 0; s < n_labels; ++s)
    if (seg[s].n_customers != 0)
      result.segments.push_back(finish(seg[s], log, o, std::string(labels->name(static_cast<std::uint32_t>(s)))));
  return result;
}

bool same_settings(const FunnelOptions& a, const FunnelOptions& b) {
  return a.steps == b.steps && a.within == b.within && a.order == b.order && a.entry == b.entry &&
         a.calendar == b.calendar && a.durations == b.durations && a.quantiles == b.quantiles && a.end_name == b.end_name;
}

void merge_group(FunnelGroup& into, const FunnelGroup& from, std::span<const double> quantiles) {
  into.n_customers += from.n_customers;
  for (std::size_t j = 0; j < into.steps.size(); ++j) {
    FunnelStep& a = into.steps[j];
    const FunnelStep& b = from.steps[j];
    a.customers += b.customers;
    a.time_from_entry.merge(b.time_from_entry);
    a.time_from_previous.merge(b.time_from_previous);
    std::map<std::string, std::uint64_t> counts;
    for (const auto& n : a.next_after_drop) counts[n.activity] += n.customers;
    for (const auto& n : b.next_after_drop) counts[n.activity] += n.customers;
    a.next_after_drop.clear();
    for (auto& [name, n] : counts) a.next_after_drop.push_back({name, n});
  }
  refresh(into, quantiles);
}

}  // namespace

std::vector<NextActivityCount> FunnelResult::top_next(std::size_t step, std::size_t n) const {
  if (step >= overall.steps.size())
    throw InputError("step out of range (" + std::to_string(overall.steps.size()) + " steps)",
                     {"FunnelResult", -1, "step", std::to_string(step)});
  const auto& all = overall.steps[step].next_after_drop;
  const std::size_t m = n == 0 ? all.size() : std::min(n, all.size());
  return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m)};
}

void FunnelResult::merge(const FunnelResult& other) {
  if (options.steps.empty()) {
    *this = other;
    return;
  }
  if (other.options.steps.empty()) return;
  if (!same_settings(options, other.options))
    throw InputError("cannot merge funnels computed with different steps, order, entry, window, calendar, "
                     "duration mode, quantiles or end_name");
  merge_group(overall, other.overall, options.quantiles);
  for (const FunnelGroup& g : other.segments) {
    auto it = std::find_if(segments.begin(), segments.end(), [&](const FunnelGroup& s) { return s.segment == g.segment; });
    if (it == segments.end()) segments.push_back(g);
    else merge_group(*it, g, options.quantiles);
  }
  customers.insert(customers.end(), other.customers.begin(), other.customers.end());
}

FunnelResult funnel(const EventLog& log, const FunnelOptions& options) { return run(log, options, {}, nullptr); }

FunnelResult funnel(const EventLog& log, const FunnelOptions& options, std::span<const std::uint32_t> segment_of_case,
                    const Dictionary& labels) {
  if (segment_of_case.size() != log.n_cases())
    throw InputError("segment labels: " + std::to_string(segment_of_case.size()) + " for " +
                     std::to_string(log.n_cases()) + " cases");
  return run(log, options, segment_of_case, &labels);
}

FunnelResult funnel(const EventLog& log, const FunnelOptions& options, const Table& accounts, std::string_view column) {
  const Column& col = accounts.column(column);
  const auto codes = col.codes();
  const std::vector<std::uint32_t> rows = accounts.rows_for(log);
  std::vector<std::uint32_t> seg(log.n_cases(), kNoId);
  for (std::size_t c = 0; c < seg.size(); ++c)
    if (rows[c] != kNoId && !col.is_missing(rows[c])) seg[c] = codes[rows[c]];
  return funnel(log, options, seg, col.categories());
}

}  // namespace cxkit::journey
