// invocation_log.h: the invocations of a program whose run folder holds several models, each with a checkpoint of
// its own (the semi-supervised program), kept in the folder's invocations.json: read back when resuming, this one
// appended, and the file rewritten atomically after every saved epoch of any model, so a killed run loses at most
// its last epoch's seconds. (The vae program, one model, keeps them inside its checkpoint instead.)
// Read next: provenance.h (what an Invocation holds), ../experiments/semisupervised.cpp (the user).
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "io/json.h"
#include "io/provenance.h"

namespace tg::io {

class InvocationLog {
 public:
  /// Opens `folder`/invocations.json. `resume`: the earlier invocations are read back; a resumed folder without
  /// the file but with `earlier_work` (checkpoints made by a version that kept no log) is marked incomplete.
  InvocationLog(const std::string& folder, bool resume, int threads, bool earlier_work);
  /// One more epoch of some model is saved: counted, and the file rewritten.
  void epoch_saved();
  /// summary.json's "provenance" (provenance.h: provenance_json), the file rewritten first.
  Json provenance();

 private:
  void save();
  std::string path_;
  std::vector<Invocation> all_;
  bool complete_ = true;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace tg::io
