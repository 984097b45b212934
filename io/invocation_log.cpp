#include "io/invocation_log.h"

#include <filesystem>

#include "io/atomic_file.h"

namespace tg::io {

InvocationLog::InvocationLog(const std::string& folder, bool resume, int threads, bool earlier_work)
    : path_((std::filesystem::path(folder) / "invocations.json").string()) {
  const bool earlier = resume && std::filesystem::exists(path_);
  all_ = invocations_with(earlier ? read_file(path_) : "", start_invocation(command_line().argc, command_line().argv, threads, 0), path_);
  // Epochs count those of all the models together: this invocation starts where the last one saved.
  if (all_.size() > 1) all_.back().from_epoch = all_.back().to_epoch = all_[all_.size() - 2].to_epoch;
  complete_ = !resume || earlier || !earlier_work;
  save();
}

void InvocationLog::epoch_saved() {
  ++all_.back().to_epoch;
  save();
}

Json InvocationLog::provenance() {
  save();
  return provenance_json(all_, complete_);
}

void InvocationLog::save() {
  all_.back().seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  write_file_atomically(path_, Json(all_).dump(1) + "\n");
}

}  // namespace tg::io
