// training_state.h: everything a run needs to continue exactly where it stopped, saved and loaded together in
// one safetensors file, atomically: the model's parameters ("model.*"), the optimizer's state ("optim.*"), the
// random generator ("rng"), the per-epoch history ("history.<series>") and the run's identity (metadata: its
// configuration and its data's content hash). Loading refuses a file made by another run (naming the setting
// that differs), and checks every tensor's presence, dtype, shape and finiteness, naming the file and the tensor.
// Read next: ../experiments/vae.cpp, which saves one after every epoch.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "autograd/rng.h"
#include "autograd/parameters.h"
#include "optim/optimizer.h"

namespace tg::nn {

/// Per-epoch series, one value per finished epoch ("train_elbo" -> {-150.2, -130.1, ...}); all the same length.
using History = std::map<std::string, std::vector<double>>;

struct TrainingState {
  const Parameters<float>& parameters;
  optim::Optimizer& optimizer;
  Rng& rng;
  History& history;
  /// What must match for a resume (latent size, seed, data hash, ...). Saved as metadata; checked on load.
  std::map<std::string, std::string> identity;
  /// Recorded but not enforced (the learning rate may change on resume, to fine-tune).
  std::map<std::string, std::string> notes;
  /// Written as metadata as they are, for other tools and readers (the layout of the tensors, say); never read.
  std::map<std::string, std::string> about = {};
  /// Identity keys added after checkpoints were first written: a checkpoint without one was made with this value
  /// (so older runs stay resumable, and a run that set it differently is still refused).
  std::map<std::string, std::string> identity_defaults = {};
};

/// The number of epochs a history holds (the length of its series).
size_t epochs_done(const History& h);

void save_training_state(const std::string& path, const TrainingState& s);
/// Restores parameters, optimizer state, RNG and history. The history's series names are taken from `s.history`'s
/// keys (each must be present). Returns the file's notes, so a caller can say what changed.
std::map<std::string, std::string> load_training_state(const std::string& path, const TrainingState& s);
/// The same from a file already decoded (`path` only names it in errors); the fuzz target's entry.
std::map<std::string, std::string> load_training_state(const io::SafeTensors& f, const std::string& path, const TrainingState& s);

}  // namespace tg::nn
