// fit.h: the resumable epoch loop every long run here uses (the VAE study, M1, M2), written once: for each epoch
// not yet in the history, train and measure it, append its values to the history, save the whole training state
// (atomically: a kill leaves the previous epoch's), then let the caller write its tables. What an epoch is
// stays the caller's: `train_and_measure(epoch)` trains it (nn/train_loop.h), measures it, prints its line and
// returns one value per series of the history, its seconds included.
// Read next: ../experiments/vae.cpp (its run's loop), training_state.h (what is saved).
#pragma once
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "io/progress.h"
#include "nn/training_state.h"

namespace tg::nn {

/// One epoch's value of each series of the history ("train_elbo" -> -98.7, "seconds" -> 4.2, ...).
using EpochValues = std::map<std::string, double>;

/// Runs epochs epochs_done(state.history) + 1 .. epochs (none when the history holds them all), saving the state to
/// `checkpoint` after each. after_save(epoch), if given, runs after the save. A run stops early only by an exception
/// (Ctrl-C's is thrown after the save, by io::stop_here_if_requested in after_save), so when fit returns, every
/// epoch is done.
inline void fit(int epochs, const TrainingState& state, const std::string& checkpoint, io::Progress& progress,
                const std::function<EpochValues(int epoch)>& train_and_measure,
                const std::function<void(int epoch)>& after_save = nullptr) {
  for (int epoch = static_cast<int>(epochs_done(state.history)) + 1; epoch <= epochs; ++epoch) {
    progress.start_epoch(epoch);
    const EpochValues values = train_and_measure(epoch);
    // Every series grows by one, or the history's columns would no longer line up epoch by epoch.
    if (values.size() != state.history.size())
      throw std::logic_error(fmt::format("fit: epoch {} gave {} values for a history of {} series", epoch, values.size(),
                                         state.history.size()));
    for (const auto& [name, value] : values) {
      const auto series = state.history.find(name);
      if (series == state.history.end()) throw std::logic_error(fmt::format("fit: epoch {} gave '{}', which is no series of the history", epoch, name));
      series->second.push_back(value);
    }
    save_training_state(checkpoint, state);
    if (after_save) after_save(epoch);
  }
}

}  // namespace tg::nn
