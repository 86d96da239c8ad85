// A row a reader skipped under on_bad_row="skip": nothing is dropped without a record.
#pragma once

#include <cstdint>
#include <string>

namespace cxkit {

struct SkippedRow {
  std::int64_t line = -1;  ///< 1-based physical line of the row's start (or row number)
  std::string reason;      ///< the same message on_bad_row="raise" would have thrown
};

/// What to do with a row that cannot be read.
enum class OnBadRow : std::uint8_t {
  raise,  ///< throw InputError naming source, line, column and value (the default)
  skip,   ///< keep going; every skipped row is recorded with its reason
};

}  // namespace cxkit
