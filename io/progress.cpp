// progress.cpp: the live line and the per-epoch line. Read next: summary.cpp.
#include "io/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

namespace tg::io {

Progress::Progress(int total_epochs, int64_t examples_per_epoch)
    : total_epochs_(total_epochs), examples_per_epoch_(examples_per_epoch), live_(isatty(STDERR_FILENO) == 1) {}

void Progress::start_epoch(int epoch) {
  epoch_ = epoch;
  examples_ = 0;
  epoch_start_ = last_draw_ = Clock::now();
}

void Progress::batch_done(int64_t examples, double loss) {
  examples_ += examples;
  if (!live_) return;
  const auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200) && examples_ < examples_per_epoch_) return;
  last_draw_ = now;
  const double s = std::chrono::duration<double>(now - epoch_start_).count();
  std::fprintf(stderr, "\r  epoch %d/%d  %lld/%lld  loss %.4f  %.0f ex/s   ", epoch_, total_epochs_,
               static_cast<long long>(examples_), static_cast<long long>(examples_per_epoch_), loss,
               s > 0 ? examples_ / s : 0.0);
  std::fflush(stderr);
}

void EtaEstimate::add_epoch(double seconds) {
  recent_.push_back(seconds);
  if (recent_.size() > kRecent) recent_.pop_front();
}

double EtaEstimate::seconds_left(int epochs_left) const {
  if (recent_.empty()) return NAN;
  std::vector<double> sorted(recent_.begin(), recent_.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return median * epochs_left;
}

double Progress::end_epoch(const std::string& numbers, double seconds_excluded) {
  const double whole = std::chrono::duration<double>(Clock::now() - epoch_start_).count();
  const double s = whole - seconds_excluded;  // training alone, for the throughput
  eta_.add_epoch(whole);                      // the wait includes the evaluation
  const double eta = eta_.seconds_left(total_epochs_ - epoch_);
  if (live_) std::fprintf(stderr, "\r%100s\r", "");
  std::printf("epoch %d/%d  %s  %.0f ex/s  ETA %s\n", epoch_, total_epochs_, numbers.c_str(),
              s > 0 ? examples_per_epoch_ / s : 0.0, format_duration(eta).c_str());
  std::fflush(stdout);
  return s;
}

std::string format_duration(double seconds) {
  const long t = static_cast<long>(seconds + 0.5);
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}

}  // namespace tg::io
