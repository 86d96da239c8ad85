// An absorbing Markov chain of customer journeys.
//
// States are the activities of a journey map plus, by default, an implicit absorbing END
// state ("(end)"): a case's last event moves to END unless it is itself absorbing. The
// transition probability i -> j is the number of times j directly follows i, divided by
// everything leaving i (its outgoing directly-follows edges plus the cases ending at i).
// Absorbing activities (given by name, e.g. "renewed", "churned") keep all their mass:
// events after an absorbing activity in a case are ignored. The chain is in canonical form
// with transient states first, then the absorbing ones in the order given, END last:
//   P = [Q R; 0 I],  N = (I - Q)^-1,  B = N R,  t = N 1,  T = N r
// N, B, t and T are computed by LU solves of (I - Q) X = rhs (I - Q is never inverted
// explicitly for B, t and T). r_i is the expected duration of the step out of i:
//   r_i = sum_j P_ij * mean_duration(i -> j),  with duration 0 for i -> END,
// so T_i (expected time to absorption from i, in seconds) follows the renewal equation
// T_i = r_i + sum_j Q_ij T_j. docs/journeys.md has the derivation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "cxkit/core/calendar.hpp"
#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/journey/journey_map.hpp"

namespace cxkit::journey {

namespace detail {
struct MarkovBuilder;
}

struct MarkovOptions {
  /// Add the implicit absorbing END state. Without it, a case's end is not a transition;
  /// a state whose only continuations are case ends then cannot reach absorption and
  /// markov() throws InputError naming it.
  bool end_state = true;
  /// Name of the END state (must not be an activity name).
  std::string end_name = "(end)";
  /// markov(EventLog): durations in business time on this calendar when set.
  std::optional<Calendar> calendar;
  /// markov(EventLog): discovery threads (0 = all cores).
  unsigned threads = 0;
};

class MarkovChain {
 public:
  /// All states: transient ones (sorted by name), then the absorbing ones.
  const std::vector<std::string>& states() const noexcept { return states_; }
  std::size_t n_transient() const noexcept { return n_transient_; }
  std::size_t n_absorbing() const noexcept { return states_.size() - n_transient_; }
  std::span<const std::string> transient_states() const noexcept {
    return std::span<const std::string>(states_).first(n_transient_);
  }
  std::span<const std::string> absorbing_states() const noexcept {
    return std::span<const std::string>(states_).subspan(n_transient_);
  }
  /// Position of a state in states(); throws NotFoundError listing the states.
  std::size_t state_index(std::string_view name) const;

  /// Observed transitions between states (rows of absorbing states are zero).
  const Eigen::MatrixXd& transition_counts() const noexcept { return counts_; }
  /// P: rows sum to 1; absorbing rows are unit rows.
  const Eigen::MatrixXd& transition_matrix() const noexcept { return p_; }
  /// Q (transient x transient) and R (transient x absorbing) blocks of P.
  Eigen::MatrixXd q() const { return p_.topLeftCorner(n_transient_, n_transient_); }
  Eigen::MatrixXd r() const { return p_.topRightCorner(n_transient_, n_absorbing()); }
  /// N = (I - Q)^-1: expected visits to transient j starting from transient i.
  const Eigen::MatrixXd& fundamental_matrix() const noexcept { return n_; }
  /// B = N R: probability of ending in each absorbing state (columns, in absorbing_states()
  /// order) from each transient state (rows). Rows sum to 1.
  const Eigen::MatrixXd& absorption_probabilities() const noexcept { return b_; }
  /// t = N 1: expected number of transitions until absorption from each transient state.
  const Eigen::VectorXd& expected_steps() const noexcept { return steps_; }
  /// r: expected duration (seconds) of the step out of each transient state; NaN when the
  /// map has no duration statistics.
  const Eigen::VectorXd& step_time() const noexcept { return step_time_; }
  /// Mean duration (seconds) of the transitions out of each transient state to another
  /// event (END excluded); NaN when there are none or no durations.
  const Eigen::VectorXd& holding_time() const noexcept { return holding_; }
  /// T = N r: expected time (seconds) until absorption from each transient state.
  const Eigen::VectorXd& expected_time() const noexcept { return time_; }

  /// Share of cases starting in each state (all states; sums to 1 when there are cases).
  const Eigen::VectorXd& start_distribution() const noexcept { return start_; }
  /// Probability of ending in each absorbing state for a case drawn from the start
  /// distribution (cases starting in an absorbing state are absorbed there at once).
  Eigen::VectorXd absorption_from_start() const;
  /// Expected transitions / time (seconds) until absorption from the start distribution.
  double expected_steps_from_start() const;
  double expected_time_from_start() const;

  std::uint64_t n_cases() const noexcept { return n_cases_; }

 private:
  friend struct detail::MarkovBuilder;
  std::vector<std::string> states_;
  std::size_t n_transient_ = 0;
  std::uint64_t n_cases_ = 0;
  Eigen::MatrixXd counts_, p_, n_, b_;
  Eigen::VectorXd steps_, step_time_, holding_, time_, start_;
};

/// The chain of a journey map. `absorbing` names activities (each once).
/// Throws NotFoundError for an absorbing name that is not an activity of the map (the
/// message lists the known activities); InputError for a repeated name, an END name that
/// is an activity, or (end_state = false) transient states that cannot reach any absorbing
/// state (named). Complexity: O(states^3) for the LU factorisation and solves.
MarkovChain markov(const JourneyMap& map, std::span<const std::string> absorbing, const MarkovOptions& options = {});

/// discover() (durations as moments, no variants) then markov(map).
MarkovChain markov(const EventLog& log, std::span<const std::string> absorbing, const MarkovOptions& options = {});

/// A chain per segment.
struct SegmentChain {
  std::string segment;
  std::uint64_t n_cases = 0;
  MarkovChain chain;
};

/// One chain per segment label: `segment_of_case[c]` is case c's label (an id into
/// `labels`, or kNoId to leave the case out). Segments without cases are left out; the
/// result is in label-id order. Each chain's states are the activities its cases hold,
/// plus every absorbing state (an absorbing activity of the whole log that a segment never
/// reaches has a zero column). Throws as markov(), plus InputError when
/// segment_of_case.size() != log.n_cases() or a label id is >= labels.size(); an error
/// about one segment names it.
std::vector<SegmentChain> markov_by_segment(const EventLog& log, std::span<const std::uint32_t> segment_of_case,
                                            const Dictionary& labels, std::span<const std::string> absorbing,
                                            const MarkovOptions& options = {});

/// Segments from a categorical column of a per-account Table keyed by the log's case names
/// (cases missing from the table or with a missing value are left out).
/// Throws NotFoundError for an unknown column, TypeMismatchError for a non-categorical one.
std::vector<SegmentChain> markov_by_segment(const EventLog& log, const Table& accounts, std::string_view column,
                                            std::span<const std::string> absorbing,
                                            const MarkovOptions& options = {});

}  // namespace cxkit::journey
