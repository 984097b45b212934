// run_folder.h: the folder a run writes, held by one program at a time and never overwritten by accident.
// Opening it creates it (so an unwritable OUT= fails before the first epoch, not after training), takes an
// exclusive lock on <folder>/.lock (a second run on the same folder is refused, naming the process that holds
// it), and refuses to start over a previous run's training state unless asked to resume it:
//   "runs/vae-z200 holds a run (checkpoint.safetensors, epoch 37); RESUME=1 continues it, OUT=<another folder> starts afresh"
// The lock is released when the RunFolder is destroyed or the process ends (flock), so a crash never leaves
// a stale lock behind. Read next: ../nn/training_state.h.
#pragma once
#include <string>

namespace tg::io {

class RunFolder {
 public:
  /// `state_file` is the run's training state inside the folder ("checkpoint.safetensors"); empty: the folder
  /// only holds other run folders (each opened as a RunFolder of its own), so it is only locked.
  RunFolder(std::string folder, const std::string& state_file, bool resume);
  ~RunFolder();
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;

  const std::string& folder() const { return folder_; }
  std::string path(const std::string& name) const { return folder_ + "/" + name; }

 private:
  std::string folder_;
  int lock_fd_ = -1;
};

/// Creates `folder` if needed and checks that a file can be written there; throws naming `what` (an option).
void require_writable_folder(const std::string& folder, const std::string& what);

}  // namespace tg::io
