// schedule.h: learning-rate schedules, the rate for each epoch from the base rate lr0. An optimizer takes it with
// set_learning_rate before the epoch; its state (Adam's moments) carries over.
//   constant: lr0 in every epoch
//   iwae (Burda et al. 2015): stage i = 0, 1, ..., lasting 3^i epochs, at lr0 x 10^(-i/7) (3,280 epochs to i = 7)
//   cosine (Loshchilov & Hutter 2017, no restarts): epoch e of E at lr0 (1 + cos(pi (e - 1) / E)) / 2, from lr0 to
//           near 0 in the last epoch. It depends on E, so a run that uses it cannot be stretched by a resume.
// Read next: ../experiments/vae.cpp (run() sets the rate from one each epoch).
#pragma once
#include <string>

namespace tg::optim {

class Schedule {
 public:
  /// name: constant, iwae or cosine (anything else throws, naming it); epochs: E, for cosine.
  Schedule(const std::string& name, double lr0, int epochs);
  /// The rate in epoch `epoch` (from 1).
  double lr(int epoch) const;
  /// "" or the line worth printing before this epoch: where the rate changes stage, or every tenth of a cosine run.
  std::string announcement(int epoch) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  double lr0_;
  int epochs_;
};

/// The IWAE schedule's stage (0, 1, 2, ...) for epoch e (from 1): stage i ends after 1 + 3 + ... + 3^i epochs.
int iwae_stage(int epoch);

}  // namespace tg::optim
