// schedule.cpp: the three formulas, each computed in double and handed to the optimizer as a float.
#include "optim/schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace tg::optim {

int iwae_stage(int epoch) {
  int stage = 0;
  for (long long end = 1; epoch > end; end += std::llround(std::pow(3.0, stage + 1)), ++stage) {}
  return stage;
}

Schedule::Schedule(const std::string& name, double lr0, int epochs) : name_(name), lr0_(lr0), epochs_(epochs) {
  if (name != "constant" && name != "iwae" && name != "cosine")
    throw std::invalid_argument(fmt::format("learning-rate schedule {}: expected constant, iwae or cosine", name));
}

double Schedule::lr(int epoch) const {
  if (name_ == "iwae") return lr0_ * std::pow(10.0, -iwae_stage(epoch) / 7.0);
  if (name_ == "cosine") return lr0_ * 0.5 * (1 + std::cos(M_PI * (epoch - 1) / epochs_));
  return lr0_;
}

std::string Schedule::announcement(int epoch) const {
  if (name_ == "iwae" && (epoch == 1 || iwae_stage(epoch) != iwae_stage(epoch - 1)))
    return fmt::format("learning rate {:.6g} from epoch {} (stage {} of the IWAE schedule, {:.0f} epochs)", lr(epoch), epoch,
                       iwae_stage(epoch), std::pow(3.0, iwae_stage(epoch)));
  if (name_ == "cosine" && (epoch == 1 || (epoch - 1) % std::max(1, epochs_ / 10) == 0))
    return fmt::format("learning rate {:.6g} at epoch {} (cosine)", lr(epoch), epoch);
  return "";
}

}  // namespace tg::optim
