// InsertPolls (src/passes/InsertPolls.cpp) alone, on the poll sites lean's planner chose for
// tests/passes/golden/insert_polls.input.wat: poll markers at the headers of the loops of unknown
// trip count (one unrolled later, weighing two iterations; one with a call), at the entry of
// the recursive function, none in the chunked loop or the short counted loop. The module is
// compared with golden/insert_polls.wat.
#include <gtest/gtest.h>

#include "planned_polls.h"

using namespace wasm_ckpt;

TEST(InsertPolls, GoldenOutput) {
  auto actual = test::runPlannedPass("insert_polls.input.wat", test::leanOptions(), createInsertPollsPass);
  EXPECT_EQ(actual, test::golden("insert_polls.wat", actual));
}

// Under full, every function gets an entry poll and every loop a header poll, chunked or not.
TEST(InsertPolls, GoldenOutputUnderFull) {
  auto actual = test::runPlannedPass("insert_polls.input.wat", InstrumentOptions{}, createInsertPollsPass);
  EXPECT_EQ(actual, test::golden("insert_polls_full.wat", actual));
}
