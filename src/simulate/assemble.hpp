// Assembling the output: what pass 2 keeps of each account, per block, and the tables and
// event log built from the blocks in account order.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "model.hpp"

namespace cxkit::simulate::detail {

/// What pass 2 keeps of one account.
struct AccountRow {
  Profile profile;
  std::int64_t churn = kNever;
  std::int64_t seats = 0;
  double arr = 0;
  std::int64_t renewal = kNever;
  std::uint32_t events = 0;
  std::uint32_t tickets = 0;
};

/// A block's accounts, in order, and its partial sums.
struct BlockOutput {
  std::vector<RawEvent> events;
  std::vector<AccountRow> rows;
  std::vector<RawFeedback> verbatims;
  double promoter = 0, passive = 0, detractor = 0;  ///< model-implied NPS category probabilities
  std::size_t answers = 0;
  std::array<std::array<std::size_t, 2>, 3> moments{};  ///< (opportunities, missed) per moment
  double exposure = 0;                                 ///< periods
};

/// "A000001": prefix and number padded to `width` digits.
std::string padded(char prefix, std::size_t number, int width);
/// Decimal digits of n (1 for 0).
int digits(std::size_t n);

/// Moves a finished account (pass 2) into its block.
void collect(const Context&, AccountSim&, BlockOutput&);
Table build_accounts(const Context&, const std::vector<BlockOutput>&, int id_width);
/// Releases each block's events once copied, so the peak stays near one copy of the log.
EventLog build_events(std::vector<BlockOutput>& blocks, std::size_t n_accounts, int id_width);
Table build_feedback(const std::vector<RawFeedback>& items, int id_width);

}  // namespace cxkit::simulate::detail
