// progress.h: what a long run prints. Within an epoch, a live line (batch i/n, loss, examples/s) redrawn on
// stderr when it is a terminal; at the end of an epoch, one permanent line on stdout with the caller's
// numbers, the throughput and an ETA for the whole run. Read next: summary.h.
#pragma once
#include <chrono>
#include <deque>
#include <string>

namespace tg::io {

/// The time a run has left, from its recent epochs: the median of the last few whole epochs (training and
/// evaluation), times the epochs to go. A median, not a mean: an epoch that stalled (the process stopped, the
/// machine busy for a while) would otherwise inflate the estimate for the rest of the run.
class EtaEstimate {
 public:
  void add_epoch(double seconds);
  double seconds_left(int epochs_left) const;  // NaN before any epoch

 private:
  static constexpr size_t kRecent = 9;
  std::deque<double> recent_;
};

class Progress {
 public:
  Progress(int total_epochs, int64_t examples_per_epoch);
  void start_epoch(int epoch);                       // epoch counts from 1
  void batch_done(int64_t examples, double loss);    // live line (terminal only)
  /// Prints "epoch 3/10  <numbers>  41,200 ex/s  ETA 0:42" and returns the epoch's training seconds.
  double end_epoch(const std::string& numbers, double seconds_excluded = 0);

 private:
  using Clock = std::chrono::steady_clock;
  int total_epochs_, epoch_ = 0;
  int64_t examples_per_epoch_, examples_ = 0;
  Clock::time_point epoch_start_, last_draw_;
  EtaEstimate eta_;
  bool live_;
};

std::string format_duration(double seconds);  // "1:02:03" or "4:05"

}  // namespace tg::io
