// main.cpp: runs every gtest and ends with a one-line tally ("tests: N passed, M failed") that CI reads.
#include <gtest/gtest.h>

#include <cstdio>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const int status = RUN_ALL_TESTS();
  const ::testing::UnitTest& u = *::testing::UnitTest::GetInstance();
  std::printf("tests: %d passed, %d failed\n", u.successful_test_count(), u.failed_test_count());
  return status;
}
