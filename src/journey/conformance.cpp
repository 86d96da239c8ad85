// Conformance checking of event logs against a JourneyDesign (rules in conformance.hpp).
#include "cxkit/journey/conformance.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace cxkit::journey {

const char* to_string(DeviationKind k) noexcept {
  switch (k) {
    case DeviationKind::none: return "none";
    case DeviationKind::skipped: return "skipped";
    case DeviationKind::out_of_order: return "out_of_order";
    case DeviationKind::unexpected: return "unexpected";
    case DeviationKind::over_target: return "over_target";
    case DeviationKind::any: return "any";
  }
  return "?";
}

namespace {

constexpr std::uint64_t kNone = ~std::uint64_t{0};
const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool test_bit(const std::vector<std::uint64_t>& bits, std::size_t i) { return (bits[i / 64] >> (i % 64)) & 1u; }
void set_bit(std::vector<std::uint64_t>& bits, std::size_t i) { bits[i / 64] |= std::uint64_t{1} << (i % 64); }

double rate(std::uint64_t k, std::uint64_t n) { return n == 0 ? kNaN : static_cast<double>(k) / static_cast<double>(n); }

void sort_first_deviations(std::vector<DeviationCount>& v) {
  std::sort(v.begin(), v.end(), [](const DeviationCount& a, const DeviationCount& b) {
    return std::tie(b.customers, a.kind, a.name, a.from_stage) < std::tie(a.customers, b.kind, b.name, b.from_stage);
  });
}
void sort_unexpected(std::vector<UnexpectedCount>& v) {
  std::sort(v.begin(), v.end(), [](const UnexpectedCount& a, const UnexpectedCount& b) {
    return a.customers != b.customers ? a.customers > b.customers : a.activity < b.activity;
  });
}

// Rates and ordering of the outcome effects from their counts and the totals.
void finish_effects(ConformanceSummary& s) {
  for (auto& e : s.outcome_effects) {
    e.n_without = s.n_with_outcome - e.n_with;
    e.positive_without = s.n_positive - e.positive_with;
    e.rate_with = rate(e.positive_with, e.n_with);
    e.rate_without = rate(e.positive_without, e.n_without);
    e.difference = e.rate_with - e.rate_without;
  }
  std::sort(s.outcome_effects.begin(), s.outcome_effects.end(), [](const DeviationEffect& a, const DeviationEffect& b) {
    const bool an = std::isnan(a.difference), bn = std::isnan(b.difference);
    if (an != bn) return bn;
    if (!an && a.difference != b.difference) return a.difference > b.difference;
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
}

void finish_summary(ConformanceSummary& s) {
  s.mean_fitness = s.n_entered == 0 ? kNaN : s.fitness_sum / static_cast<double>(s.n_entered);
  for (auto& st : s.stages) st.stay_summary = st.stay.summarize(s.quantiles);
  sort_first_deviations(s.first_deviations);
  sort_unexpected(s.unexpected);
  finish_effects(s);
}

// Dense per-(kind, index) counters for the outcome effects of one check.
struct EffectCounts {
  std::vector<std::uint64_t> with, positive;
  void add(std::size_t i, bool pos) {
    ++with[i];
    if (pos) ++positive[i];
  }
};

}  // namespace

void ConformanceSummary::merge(const ConformanceSummary& other) {
  if (stages.empty() && n_customers == 0) {
    *this = other;
    return;
  }
  if (other.stages.empty() && other.n_customers == 0) return;
  bool same = stages.size() == other.stages.size() && quantiles == other.quantiles;
  for (std::size_t i = 0; same && i < stages.size(); ++i) same = stages[i].stage == other.stages[i].stage;
  if (!same) throw InputError("cannot merge conformance summaries of different designs or quantiles");
  n_customers += other.n_customers;
  n_entered += other.n_entered;
  n_conforming += other.n_conforming;
  n_overdue += other.n_overdue;
  fitness_sum += other.fitness_sum;
  n_with_outcome += other.n_with_outcome;
  n_positive += other.n_positive;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    StageConformance& a = stages[i];
    const StageConformance& b = other.stages[i];
    a.reached += b.reached;
    a.skipped += b.skipped;
    a.bypassed += b.bypassed;
    a.not_reached += b.not_reached;
    a.out_of_order += b.out_of_order;
    a.current += b.current;
    a.overdue += b.overdue;
    a.over_target += b.over_target;
    a.stay.merge(b.stay);
  }
  for (const auto& d : other.first_deviations) {
    auto it = std::find_if(first_deviations.begin(), first_deviations.end(), [&](const DeviationCount& x) {
      return x.kind == d.kind && x.name == d.name && x.from_stage == d.from_stage;
    });
    if (it == first_deviations.end()) first_deviations.push_back(d);
    else it->customers += d.customers;
  }
  for (const auto& u : other.unexpected) {
    auto it = std::find_if(unexpected.begin(), unexpected.end(), [&](const UnexpectedCount& x) { return x.activity == u.activity; });
    if (it == unexpected.end()) {
      unexpected.push_back(u);
    } else {
      it->customers += u.customers;
      it->events += u.events;
    }
  }
  for (const auto& e : other.outcome_effects) {
    auto it = std::find_if(outcome_effects.begin(), outcome_effects.end(),
                           [&](const DeviationEffect& x) { return x.kind == e.kind && x.name == e.name; });
    if (it == outcome_effects.end()) {
      DeviationEffect f;
      f.kind = e.kind;
      f.name = e.name;
      f.n_with = e.n_with;
      f.positive_with = e.positive_with;
      outcome_effects.push_back(std::move(f));
    } else {
      it->n_with += e.n_with;
      it->positive_with += e.positive_with;
    }
  }
  finish_summary(*this);
}

ConformanceResult check(const JourneyDesign& design, const EventLog& log, const CheckOptions& options) {
  const std::size_t n_cases = log.n_cases();
  for (double p : options.quantiles)
    if (!(p >= 0.0 && p <= 1.0))
      throw InputError("quantile probabilities must lie in [0, 1]", {"CheckOptions", -1, "quantiles", std::to_string(p)});
  const bool has_outcome = !options.outcome.empty();
  if (has_outcome) {
    if (options.outcome.size() != n_cases)
      throw InputError("outcome: " + std::to_string(options.outcome.size()) + " values for " + std::to_string(n_cases) +
                       " cases", {"CheckOptions", -1, "outcome", ""});
    for (std::size_t c = 0; c < n_cases; ++c) {
      const double v = options.outcome[c];
      if (!(std::isnan(v) || v == 0.0 || v == 1.0))
        throw InputError("outcome must be 0, 1 or NaN (unknown) for case '" +
                             std::string(log.case_names().name(static_cast<std::uint32_t>(c))) + "'",
                         {"CheckOptions", static_cast<std::int64_t>(c), "outcome", std::to_string(v), "case"});
    }
  }

  const std::size_t n = design.size();
  const std::size_t words = design.words();
  const auto& stages = design.stages();
  const Calendar calendar = options.calendar ? *options.calendar : Calendar::always();
  const Dictionary& act_names = log.activity_names();
  const std::size_t n_act = act_names.size();

  // Activity id -> stage index; relevance of non-stage activities.
  std::vector<std::uint32_t> stage_of(n_act, kNoId);
  for (std::uint32_t s = 0; s < n; ++s)
    if (auto id = act_names.find(stages[s].name)) stage_of[*id] = s;
  std::vector<std::uint8_t> relevant(n_act, 0);
  if (options.all_activities_relevant) {
    for (std::size_t a = 0; a < n_act; ++a) relevant[a] = stage_of[a] == kNoId;
  } else {
    for (const auto& name : design.relevant_activities())
      if (auto id = act_names.find(name)) relevant[*id] = 1;
  }
  std::vector<std::int64_t> target(n, -1);
  for (std::size_t s = 0; s < n; ++s)
    if (stages[s].target) target[s] = stages[s].target->resolve(calendar).count();
  std::vector<std::uint64_t> mandatory(words, 0);
  for (std::size_t s = 0; s < n; ++s)
    if (stages[s].mandatory) set_bit(mandatory, s);

  const auto time = log.timestamps();
  const auto act = log.activity_ids();
  std::int64_t ref_us = 0;
  if (options.as_of) {
    ref_us = to_micros(*options.as_of);
  } else if (!log.empty()) {
    ref_us = std::numeric_limits<std::int64_t>::min();
    for (std::size_t c = 0; c < n_cases; ++c)
      if (log.case_end(c) > log.case_begin(c)) ref_us = std::max(ref_us, time[log.case_end(c) - 1]);
  }
  const bool business = !calendar.is_always();
  const auto dur = [&](std::int64_t a, std::int64_t b) -> std::int64_t {
    return business ? calendar.business_duration(from_micros(a), from_micros(b)).count() : b - a;
  };

  ConformanceResult result;
  result.reference = from_micros(ref_us);
  for (const auto& s : stages) result.stage_names.push_back(s.name);
  ConformanceSummary& sum = result.summary;
  sum.quantiles = options.quantiles;
  sum.stages.resize(n);
  for (std::size_t s = 0; s < n; ++s) sum.stages[s].stage = stages[s].name;
  if (options.customers) result.customers.reserve(n_cases);

  // Aggregation state.
  std::map<std::tuple<DeviationKind, std::uint32_t, std::uint32_t>, std::uint64_t> first_dev;
  std::vector<std::uint64_t> unexp_customers(n_act, 0), unexp_events(n_act, 0);
  // Effects: [skipped | out_of_order | over_target] x stages, then unexpected x activities, then any.
  EffectCounts eff{std::vector<std::uint64_t>(3 * n + n_act + 1, 0), std::vector<std::uint64_t>(3 * n + n_act + 1, 0)};

  // Per-case scratch, reset through the lists of what was touched.
  std::vector<std::uint64_t> first_pos(n, kNone), stay_end(n, kNone);
  std::vector<std::uint32_t> order;  // observed stages by first occurrence
  std::vector<std::uint64_t> observed(words), past(words);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> unexp;  // (activity, events) in first-seen order
  std::vector<std::uint32_t> skipped, ooo, over;

  for (std::size_t c = 0; c < n_cases; ++c) {
    const std::size_t begin = log.case_begin(c);
    std::size_t end = log.case_end(c);
    if (options.as_of)
      end = static_cast<std::size_t>(std::lower_bound(time.begin() + static_cast<std::ptrdiff_t>(begin),
                                                      time.begin() + static_cast<std::ptrdiff_t>(end), ref_us) -
                                     time.begin());
    for (std::uint32_t s : order) first_pos[s] = stay_end[s] = kNone;
    order.clear();
    unexp.clear();
    std::uint32_t cur = kNoId;
    std::uint64_t cur_entered = kNone, first_unexp = kNone;
    bool cur_first_visit = false;
    std::uint32_t unexpected_events = 0;

    for (std::size_t e = begin; e < end; ++e) {
      const std::uint32_t a = act[e];
      const std::uint32_t s = stage_of[a];
      if (s != kNoId) {
        if (s == cur) continue;
        if (cur != kNoId && cur_first_visit) stay_end[cur] = e;
        cur = s;
        cur_entered = e;
        cur_first_visit = first_pos[s] == kNone;
        if (cur_first_visit) {
          first_pos[s] = e;
          order.push_back(s);
        }
      } else if (relevant[a]) {
        ++unexpected_events;
        if (first_unexp == kNone) first_unexp = e;
        auto it = std::find_if(unexp.begin(), unexp.end(), [&](const auto& p) { return p.first == a; });
        if (it == unexp.end()) unexp.emplace_back(a, 1);
        else ++it->second;
      }
    }

    ++sum.n_customers;
    const bool entered = !order.empty();
    std::fill(observed.begin(), observed.end(), 0);
    std::fill(past.begin(), past.end(), 0);
    for (std::uint32_t s : order) {
      set_bit(observed, s);
      const auto anc = design.ancestor_bits(s);
      for (std::size_t w = 0; w < words; ++w) past[w] |= anc[w];
    }
    skipped.clear();
    ooo.clear();
    over.clear();
    for (std::uint32_t s = 0; s < n; ++s) {
      if (test_bit(observed, s)) continue;
      if (test_bit(past, s)) {
        if (test_bit(mandatory, s)) {
          skipped.push_back(s);
          ++sum.stages[s].skipped;
        } else {
          ++sum.stages[s].bypassed;
        }
      } else if (entered) {
        ++sum.stages[s].not_reached;
      }
    }
    // order is sorted by first occurrence: t is out of order when a later-observed stage
    // precedes it in the design.
    for (std::size_t i = 0; i < order.size(); ++i)
      for (std::size_t j = i + 1; j < order.size(); ++j)
        if (design.precedes(order[j], order[i])) {
          ooo.push_back(order[i]);
          break;
        }
    std::sort(ooo.begin(), ooo.end());

    // Stays and time in the current stage.
    std::int64_t time_in = 0;
    bool overdue = false;
    for (std::uint32_t s : order) {
      ++sum.stages[s].reached;
      std::int64_t stay = -1;
      if (stay_end[s] != kNone) {
        stay = dur(time[first_pos[s]], time[stay_end[s]]);
        sum.stages[s].stay.add(stay);
      } else if (s == cur && cur_first_visit) {
        stay = dur(time[first_pos[s]], ref_us);
      }
      if (target[s] >= 0 && stay > target[s]) over.push_back(s);
    }
    if (cur != kNoId) {
      time_in = dur(time[cur_entered], ref_us);
      overdue = target[cur] >= 0 && time_in > target[cur];
      ++sum.stages[cur].current;
      if (overdue) {
        ++sum.stages[cur].overdue;
        ++sum.n_overdue;
        if (std::find(over.begin(), over.end(), cur) == over.end()) over.push_back(cur);
      }
    }
    std::sort(over.begin(), over.end());
    for (std::uint32_t s : over) ++sum.stages[s].over_target;
    for (std::uint32_t s : ooo) ++sum.stages[s].out_of_order;

    const double denom = static_cast<double>(order.size() + skipped.size() + unexpected_events);
    const double fitness =
        denom == 0 ? 1.0 : 1.0 - static_cast<double>(skipped.size() + ooo.size() + unexpected_events) / denom;
    if (entered) {
      ++sum.n_entered;
      sum.fitness_sum += fitness;
      if (fitness == 1.0) ++sum.n_conforming;
    }
    for (const auto& [a, k] : unexp) {
      ++unexp_customers[a];
      unexp_events[a] += k;
    }

    // First deviation: (position, kind, index) smallest.
    DeviationKind fd_kind = DeviationKind::none;
    std::uint64_t fd_pos = kNone;
    std::uint32_t fd_index = kNoId;
    const auto consider = [&](std::uint64_t pos, DeviationKind kind, std::uint32_t index) {
      if (std::tie(pos, kind, index) < std::tie(fd_pos, fd_kind, fd_index) || fd_kind == DeviationKind::none) {
        fd_pos = pos;
        fd_kind = kind;
        fd_index = index;
      }
    };
    for (std::uint32_t s : skipped)
      for (std::uint32_t t : order)
        if (design.precedes(s, t)) {
          consider(first_pos[t], DeviationKind::skipped, s);
          break;
        }
    for (std::uint32_t t : ooo) consider(first_pos[t], DeviationKind::out_of_order, t);
    if (first_unexp != kNone) consider(first_unexp, DeviationKind::unexpected, act[first_unexp]);
    std::uint32_t fd_from = kNoId;
    if (fd_kind != DeviationKind::none) {
      for (std::uint64_t e = fd_pos; e > begin; --e)
        if (stage_of[act[e - 1]] != kNoId) {
          fd_from = stage_of[act[e - 1]];
          break;
        }
      ++first_dev[{fd_kind, fd_index, fd_from}];
    }

    if (has_outcome && entered && !std::isnan(options.outcome[c])) {
      const bool pos = options.outcome[c] == 1.0;
      ++sum.n_with_outcome;
      if (pos) ++sum.n_positive;
      for (std::uint32_t s : skipped) eff.add(s, pos);
      for (std::uint32_t s : ooo) eff.add(n + s, pos);
      for (std::uint32_t s : over) eff.add(2 * n + s, pos);
      for (const auto& [a, k] : unexp) eff.add(3 * n + a, pos);
      if (fd_kind != DeviationKind::none) eff.add(3 * n + n_act, pos);
    }

    if (options.customers) {
      CustomerConformance cc;
      cc.customer = std::string(log.case_names().name(static_cast<std::uint32_t>(c)));
      cc.entered = entered;
      cc.fitness = fitness;
      cc.observed_stages = static_cast<std::uint32_t>(order.size());
      cc.unexpected_events = unexpected_events;
      cc.skipped = skipped;
      cc.out_of_order = ooo;
      cc.over_target = over;
      for (const auto& [a, k] : unexp) cc.unexpected.emplace_back(act_names.name(a));
      cc.current_stage = cur;
      if (cur != kNoId) {
        cc.entered_current = from_micros(time[cur_entered]);
        cc.time_in_current = Duration{time_in};
        cc.overdue = overdue;
      }
      cc.first_deviation = fd_kind;
      if (fd_kind != DeviationKind::none) {
        cc.first_deviation_name = fd_kind == DeviationKind::unexpected ? std::string(act_names.name(fd_index))
                                                                       : stages[fd_index].name;
        cc.first_deviation_from = fd_from;
        cc.first_deviation_at = from_micros(time[fd_pos]);
      }
      result.customers.push_back(std::move(cc));
    }
  }

  // Names for the aggregate.
  for (const auto& [key, count] : first_dev) {
    const auto& [kind, index, from] = key;
    DeviationCount d;
    d.kind = kind;
    d.name = kind == DeviationKind::unexpected ? std::string(act_names.name(index)) : stages[index].name;
    d.from_stage = from == kNoId ? std::string() : stages[from].name;
    d.customers = count;
    sum.first_deviations.push_back(std::move(d));
  }
  for (std::uint32_t a = 0; a < n_act; ++a)
    if (unexp_customers[a] != 0) sum.unexpected.push_back({std::string(act_names.name(a)), unexp_customers[a], unexp_events[a]});
  if (has_outcome) {
    const auto add_effect = [&](std::size_t i, DeviationKind kind, std::string name) {
      if (eff.with[i] == 0) return;
      DeviationEffect e;
      e.kind = kind;
      e.name = std::move(name);
      e.n_with = eff.with[i];
      e.positive_with = eff.positive[i];
      sum.outcome_effects.push_back(std::move(e));
    };
    for (std::size_t s = 0; s < n; ++s) {
      add_effect(s, DeviationKind::skipped, stages[s].name);
      add_effect(n + s, DeviationKind::out_of_order, stages[s].name);
      add_effect(2 * n + s, DeviationKind::over_target, stages[s].name);
    }
    for (std::uint32_t a = 0; a < n_act; ++a) add_effect(3 * n + a, DeviationKind::unexpected, std::string(act_names.name(a)));
    add_effect(3 * n + n_act, DeviationKind::any, "");
  }
  finish_summary(sum);
  return result;
}

}  // namespace cxkit::journey
