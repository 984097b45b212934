// run_folder.cpp: mkdir, flock, and the one question a re-run must answer: resume or another folder.
#include "io/run_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "io/safetensors.h"

namespace tg::io {

namespace fs = std::filesystem;

void require_writable_folder(const std::string& folder, const std::string& what) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw std::runtime_error(fmt::format("{} {}: cannot create the folder ({})", what, folder,
                                         ec ? ec.message() : "a file of that name is in the way"));
  if (::access(folder.c_str(), W_OK) != 0)
    throw std::runtime_error(fmt::format("{} {}: the folder is not writable ({})", what, folder, std::strerror(errno)));
}

RunFolder::RunFolder(std::string folder, const std::string& state_file, bool resume) : folder_(std::move(folder)) {
  require_writable_folder(folder_, "run folder");
  const std::string lock = path(".lock");
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw std::runtime_error(fmt::format("{}: cannot create the lock file ({})", lock, std::strerror(errno)));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    std::string holder(64, '\0');
    const ssize_t n = ::pread(lock_fd_, holder.data(), holder.size() - 1, 0);
    holder.resize(n > 0 ? static_cast<size_t>(n) : 0);
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw std::runtime_error(fmt::format("run folder {} is in use by another run ({}); wait for it, or use another OUT=",
                                         folder_, holder.empty() ? "process unknown" : "pid " + holder));
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(lock_fd_, 0) == 0 && ::pwrite(lock_fd_, pid.data(), pid.size(), 0) < 0) { /* the pid is only a courtesy */ }
  const std::string state = path(state_file);
  if (!state_file.empty() && !resume && fs::exists(state)) {
    std::string epoch = "epoch unknown";
    try {
      const SafeTensors f = load_safetensors(state);
      if (auto it = f.metadata.find("epoch"); it != f.metadata.end()) epoch = "epoch " + it->second;
    } catch (const std::exception&) {
      epoch = "unreadable";
    }
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw std::runtime_error(fmt::format("{} holds a run ({}, {}): RESUME=1 (--resume) continues it; OUT=<another folder> "
                                         "starts afresh; nothing was changed",
                                         folder_, state_file, epoch));
  }
}

RunFolder::~RunFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

}  // namespace tg::io
