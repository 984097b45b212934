// test_progress.cpp: io/progress.h's estimate of the time a run has left, and how it prints a duration; and when a
// one-process run says it started (io/provenance.h).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <ctime>

#include "io/progress.h"
#include "io/provenance.h"

namespace tg::io {
namespace {

// Epochs of 5 s with one that stalled for 15 minutes (the process stopped while another job had the machine): the
// estimate stays 5 s an epoch; a mean would have said 155 s an epoch, a 45-minute run then showing an ETA of 19 hours.
TEST(EtaEstimate, OneStalledEpochDoesNotInflateTheEstimate) {
  EtaEstimate eta;
  EXPECT_TRUE(std::isnan(eta.seconds_left(10)));
  for (double s : {5.0, 5.2, 900.0, 4.8, 5.0}) eta.add_epoch(s);
  EXPECT_DOUBLE_EQ(eta.seconds_left(100), 500.0);
  // It follows a lasting change of speed: after nine slower epochs the old ones are forgotten.
  for (int i = 0; i < 9; ++i) eta.add_epoch(10.0);
  EXPECT_DOUBLE_EQ(eta.seconds_left(3), 30.0);
}

TEST(EtaEstimate, DurationsPrintAsMinutesOrHours) {
  EXPECT_EQ(format_duration(42), "0:42");
  EXPECT_EQ(format_duration(3599.4), "59:59");
  EXPECT_EQ(format_duration(3723), "1:02:03");
}

}  // namespace
}  // namespace tg::io

// A one-process program's provenance (io/provenance.h) says when the process began, not when its summary was written:
// with its clock started 100 s ago, "started" is 100 s before now (to the second) and "seconds" is 100.
namespace tg::io {
namespace {
TEST(Provenance, AOneProcessRunStartedWhenItsProcessDid) {
  const double saved = command_line().started;
  command_line().started = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() - 100;
  const Json p = provenance_of_this_process(1);
  command_line().started = saved;
  const Json& now = p.at("invocations").at(0);
  EXPECT_NEAR(now.at("seconds").get<double>(), 100, 1);
  std::tm tm{};
  ASSERT_TRUE(strptime(now.at("started").get<std::string>().c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm));
  EXPECT_NEAR(double(std::time(nullptr) - timegm(&tm)), 100, 2) << now.at("started");
}
}  // namespace
}  // namespace tg::io
