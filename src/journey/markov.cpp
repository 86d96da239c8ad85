// Absorbing Markov chains from journey maps (formulas in markov.hpp and docs/journeys.md).
#include "cxkit/journey/markov.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cxkit/journey/discover.hpp"

namespace cxkit::journey {
namespace detail {

struct MarkovBuilder {
  // `known` lists names accepted as absorbing even when the map lacks them (segments: the
  // whole log's activities); such states get a zero column.
  static MarkovChain build(const JourneyMap& map, std::span<const std::string> absorbing, const MarkovOptions& opt,
                           std::span<const std::string> known) {
    const auto& acts = map.activities();
    const std::size_t n_act = acts.size();
    std::vector<std::uint32_t> state_of(n_act, kNoId);
    std::vector<bool> is_absorbing(n_act, false);
    for (std::size_t k = 0; k < absorbing.size(); ++k) {
      const std::string& name = absorbing[k];
      for (std::size_t j = 0; j < k; ++j)
        if (absorbing[j] == name) throw InputError("absorbing state '" + name + "' listed twice");
      if (auto a = map.find_activity(name)) {
        is_absorbing[*a] = true;
      } else if (std::find(known.begin(), known.end(), name) == known.end()) {
        map.activity_index(name);  // throws NotFoundError listing the activities
      }
      if (opt.end_state && name == opt.end_name)
        throw InputError("the END state name '" + opt.end_name + "' is an absorbing activity; choose another end_name");
    }
    if (opt.end_state && map.find_activity(opt.end_name))
      throw InputError("the END state name '" + opt.end_name + "' is an activity; choose another end_name");

    MarkovChain m;
    m.n_cases_ = map.n_cases();
    for (std::uint32_t a = 0; a < n_act; ++a)
      if (!is_absorbing[a]) {
        state_of[a] = static_cast<std::uint32_t>(m.states_.size());
        m.states_.push_back(acts[a].name);
      }
    m.n_transient_ = m.states_.size();
    for (const std::string& name : absorbing) {
      if (auto a = map.find_activity(name)) state_of[*a] = static_cast<std::uint32_t>(m.states_.size());
      m.states_.push_back(name);
    }
    const std::size_t end = m.states_.size();
    if (opt.end_state) m.states_.push_back(opt.end_name);
    const auto n = static_cast<Eigen::Index>(m.states_.size());
    const auto nt = static_cast<Eigen::Index>(m.n_transient_);

    // Counts, and per transient state the durations of its steps to a next event.
    m.counts_ = Eigen::MatrixXd::Zero(n, n);
    const bool timed = map.settings().durations != DurationMode::none;
    std::vector<long double> dur_sum(m.n_transient_, 0.0L);
    std::vector<std::uint64_t> dur_count(m.n_transient_, 0);
    for (const Edge& e : map.edges()) {
      const std::uint32_t i = state_of[e.source];
      if (i >= m.n_transient_) continue;  // nothing leaves an absorbing state
      m.counts_(i, state_of[e.target]) += static_cast<double>(e.count);
      if (timed) {
        dur_sum[i] += detail::to_long_double(e.durations.sum_micros()) / 1e6L;
        dur_count[i] += e.count;
      }
    }
    if (opt.end_state)
      for (std::uint32_t a = 0; a < n_act; ++a)
        if (!is_absorbing[a]) m.counts_(state_of[a], static_cast<Eigen::Index>(end)) += static_cast<double>(acts[a].ends);

    // Every transient state must reach an absorbing one: search backwards from them.
    std::vector<bool> reaches(static_cast<std::size_t>(n), false);
    for (auto s = nt; s < n; ++s) reaches[static_cast<std::size_t>(s)] = true;
    for (bool changed = true; changed;) {
      changed = false;
      for (Eigen::Index i = 0; i < nt; ++i) {
        if (reaches[static_cast<std::size_t>(i)]) continue;
        for (Eigen::Index j = 0; j < n; ++j)
          if (m.counts_(i, j) > 0 && reaches[static_cast<std::size_t>(j)]) {
            reaches[static_cast<std::size_t>(i)] = changed = true;
            break;
          }
      }
    }
    std::string stuck;
    for (Eigen::Index i = 0; i < nt; ++i)
      if (!reaches[static_cast<std::size_t>(i)]) stuck += (stuck.empty() ? "'" : ", '") + m.states_[i] + "'";
    if (!stuck.empty())
      throw InputError("these states cannot reach any absorbing state, so absorption is not certain: " + stuck +
                       (opt.end_state ? "" : " (end_state = true adds an absorbing END)"));

    m.p_ = Eigen::MatrixXd::Zero(n, n);
    m.step_time_ = Eigen::VectorXd::Constant(nt, std::numeric_limits<double>::quiet_NaN());
    m.holding_ = m.step_time_;
    for (Eigen::Index i = 0; i < nt; ++i) {
      const double total = m.counts_.row(i).sum();
      m.p_.row(i) = m.counts_.row(i) / total;
      if (timed) {
        const auto k = static_cast<std::size_t>(i);
        m.step_time_(i) = static_cast<double>(dur_sum[k] / static_cast<long double>(total));
        if (dur_count[k] != 0) m.holding_(i) = static_cast<double>(dur_sum[k] / static_cast<long double>(dur_count[k]));
      }
    }
    for (auto s = nt; s < n; ++s) m.p_(s, s) = 1.0;

    const Eigen::MatrixXd i_minus_q = Eigen::MatrixXd::Identity(nt, nt) - m.p_.topLeftCorner(nt, nt);
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(i_minus_q);
    if (nt > 0) {
      m.n_ = lu.solve(Eigen::MatrixXd::Identity(nt, nt));
      m.b_ = lu.solve(Eigen::MatrixXd(m.p_.topRightCorner(nt, n - nt)));
      m.steps_ = lu.solve(Eigen::VectorXd::Ones(nt));
      m.time_ = timed ? Eigen::VectorXd(lu.solve(m.step_time_))
                      : Eigen::VectorXd::Constant(nt, std::numeric_limits<double>::quiet_NaN());
    } else {
      m.n_.resize(0, 0);
      m.b_.resize(0, n);
      m.steps_.resize(0);
      m.time_.resize(0);
    }

    m.start_ = Eigen::VectorXd::Zero(n);
    if (map.n_cases() != 0)
      for (std::uint32_t a = 0; a < n_act; ++a)
        m.start_(state_of[a]) = static_cast<double>(acts[a].starts) / static_cast<double>(map.n_cases());
    return m;
  }
};

}  // namespace detail

std::size_t MarkovChain::state_index(std::string_view name) const {
  for (std::size_t i = 0; i < states_.size(); ++i)
    if (states_[i] == name) return i;
  std::string known;
  for (const auto& s : states_) known += (known.empty() ? "'" : ", '") + s + "'";
  throw NotFoundError("unknown state '" + std::string(name) + "'; states: " + (known.empty() ? "(none)" : known));
}

Eigen::VectorXd MarkovChain::absorption_from_start() const {
  const auto nt = static_cast<Eigen::Index>(n_transient_);
  const auto na = static_cast<Eigen::Index>(n_absorbing());
  Eigen::VectorXd out = start_.tail(na);
  if (nt > 0) out += b_.transpose() * start_.head(nt);
  return out;
}

double MarkovChain::expected_steps_from_start() const {
  const auto nt = static_cast<Eigen::Index>(n_transient_);
  return nt == 0 ? 0.0 : start_.head(nt).dot(steps_);
}

double MarkovChain::expected_time_from_start() const {
  const auto nt = static_cast<Eigen::Index>(n_transient_);
  return nt == 0 ? 0.0 : start_.head(nt).dot(time_);
}

MarkovChain markov(const JourneyMap& map, std::span<const std::string> absorbing, const MarkovOptions& options) {
  return detail::MarkovBuilder::build(map, absorbing, options, {});
}

namespace {
DiscoverOptions discover_options_for(const MarkovOptions& options) {
  DiscoverOptions d;
  d.durations = DurationMode::moments;
  d.quantiles = {};
  d.variants = false;
  d.calendar = options.calendar;
  d.threads = options.threads;
  return d;
}
}  // namespace

MarkovChain markov(const EventLog& log, std::span<const std::string> absorbing, const MarkovOptions& options) {
  return markov(discover(log, discover_options_for(options)), absorbing, options);
}

std::vector<SegmentChain> markov_by_segment(const EventLog& log, std::span<const std::uint32_t> segment_of_case,
                                            const Dictionary& labels, std::span<const std::string> absorbing,
                                            const MarkovOptions& options) {
  if (segment_of_case.size() != log.n_cases())
    throw InputError("segment labels: " + std::to_string(segment_of_case.size()) + " for " +
                     std::to_string(log.n_cases()) + " cases");
  // Absorbing names are checked against the whole log once, so a segment that never
  // reaches one still gets its (zero) column.
  std::vector<std::string> known;
  const Dictionary& names = log.activity_names();
  for (const std::string& a : absorbing) {
    if (!names.find(a)) {
      std::string list;
      for (std::uint32_t i = 0; i < names.size(); ++i) list += (list.empty() ? "'" : ", '") + std::string(names.name(i)) + "'";
      throw NotFoundError("unknown activity '" + a + "'; known activities: " + (list.empty() ? "(none)" : list));
    }
    known.push_back(a);
  }
  std::vector<std::vector<std::uint32_t>> members(labels.size());
  for (std::uint32_t c = 0; c < segment_of_case.size(); ++c) {
    const std::uint32_t s = segment_of_case[c];
    if (s == kNoId) continue;
    if (s >= labels.size())
      throw InputError("segment label id out of range (" + std::to_string(labels.size()) + " labels)",
                       {log.source(), -1, "segment", std::to_string(s)});
    members[s].push_back(c);
  }
  const DiscoverOptions dopt = discover_options_for(options);
  std::vector<SegmentChain> out;
  for (std::uint32_t s = 0; s < members.size(); ++s) {
    if (members[s].empty()) continue;
    SegmentChain sc;
    sc.segment = std::string(labels.name(s));
    sc.n_cases = members[s].size();
    try {
      sc.chain = detail::MarkovBuilder::build(discover_cases(log, members[s], dopt), absorbing, options, known);
    } catch (const InputError& e) {
      throw InputError("segment '" + sc.segment + "': " + e.reason(), e.location());
    }
    out.push_back(std::move(sc));
  }
  return out;
}

std::vector<SegmentChain> markov_by_segment(const EventLog& log, const Table& accounts, std::string_view column,
                                            std::span<const std::string> absorbing, const MarkovOptions& options) {
  const Column& col = accounts.column(column);
  const auto codes = col.codes();
  const std::vector<std::uint32_t> rows = accounts.rows_for(log);
  std::vector<std::uint32_t> seg(log.n_cases(), kNoId);
  for (std::size_t c = 0; c < seg.size(); ++c)
    if (rows[c] != kNoId && !col.is_missing(rows[c])) seg[c] = codes[rows[c]];
  return markov_by_segment(log, seg, col.categories(), absorbing, options);
}

}  // namespace cxkit::journey
