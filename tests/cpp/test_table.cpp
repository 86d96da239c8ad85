#include <gtest/gtest.h>

#include "cxkit/core/table.hpp"

using namespace cxkit;

TEST(Table, BuildsRowsAndLinesUpWithALog) {
  TableBuilder t("account");
  const auto arr = t.add_column("arr", ColumnType::numeric);
  const auto tier = t.add_column("tier", ColumnType::categorical);
  t.add_row("A1");
  t.set_number(arr, 410000);
  t.set_category(tier, "Enterprise");
  t.add_row("A2");
  t.set_category(tier, "SMB");
  const Table table = t.build();
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.row_of("A2"), 1u);
  EXPECT_FALSE(table.row_of("A3").has_value());
  EXPECT_EQ(table.column("arr").numbers()[0], 410000);
  EXPECT_TRUE(table.column("arr").is_missing(1));
  EXPECT_THROW((void)table.column("plan"), NotFoundError);

  EventLogBuilder b;
  b.add_event("A3", "login", from_micros(1));
  b.add_event("A2", "login", from_micros(2));
  const auto rows = table.rows_for(b.build());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], kNoId);  // A3 has no row
  EXPECT_EQ(rows[1], 1u);
}

TEST(Table, RejectsDuplicateAndEmptyKeys) {
  TableBuilder t("account", "accounts.csv");
  t.add_row("A1");
  try {
    t.add_row("A1");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'A1'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("accounts.csv"), std::string::npos);
  }
  EXPECT_THROW(t.add_row(""), InputError);
  EXPECT_THROW(t.add_column("x", ColumnType::numeric), InputError);  // after rows
}
