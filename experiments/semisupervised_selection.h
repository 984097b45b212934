// semisupervised_selection.h: which epochs of an M2's training a run reports, read from its history (one row per
// pass): the first with the lowest error on the whole validation split (the table's), the same on the small
// validation split (what 1,000 labelled validation images would choose), and the last, each with its test error.
// Shared by the program that trains (semisupervised.cpp) and the one that asks what a finished run would have
// reported after fewer passes (semisupervised_first_passes.cpp), so that both choose alike.
#pragma once
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "nn/training_state.h"

namespace tg {

/// A model's validation and test error at one epoch (1-based; 0: none chosen yet).
struct Errors {
  double valid = NAN, test = NAN;
  int epoch = 0;
};

struct ChosenEpochs {
  Errors best, small_valid_best, last;
  int epochs = 0;  // the passes the choice was made among
};

/// The choice among the history's first `passes` rows (all of them if `passes` is 0). Throws naming `where` (the
/// history's file) if it holds fewer rows than that.
inline ChosenEpochs choose_epochs(const nn::History& history, size_t passes = 0, const std::string& where = "the history") {
  const std::vector<double>&ve = history.at("valid_error"), &small = history.at("small_valid_error"), &test = history.at("test_error");
  const size_t done = nn::epochs_done(history);
  if (passes > done) throw std::runtime_error(fmt::format("{}: holds {} passes, fewer than the {} asked for", where, done, passes));
  if (passes == 0) passes = done;
  if (passes == 0) throw std::runtime_error(fmt::format("{}: holds no passes", where));
  ChosenEpochs c;
  c.epochs = static_cast<int>(passes);
  for (int i = 0; i < c.epochs; ++i) {
    if (c.best.epoch == 0 || ve[i] < c.best.valid) c.best = {ve[i], test[i], i + 1};
    if (c.small_valid_best.epoch == 0 || small[i] < c.small_valid_best.valid) c.small_valid_best = {small[i], test[i], i + 1};
  }
  c.last = {ve[passes - 1], test[passes - 1], c.epochs};
  return c;
}

}  // namespace tg
