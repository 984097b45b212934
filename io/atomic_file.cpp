// atomic_file.cpp: POSIX mkstemp/write/fsync/rename, and a bounded read of regular files. Read next: safetensors.cpp.
#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace tg::io {

namespace {
[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(path + ": " + what + " (" + std::strerror(errno) + ")");
}
}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  // "<path>.tmp-XXXXXX": mkstemp makes the name unique, so a second writer never truncates ours.
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0)  // a folder that became read-only, was removed or is full: the target is named, and it is untouched
    fail(path, "could not be written: no temporary copy could be created beside it; it is unchanged");
  ::fchmod(fd, 0644);  // mkstemp's 0600 would hide results from other users of the machine
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      errno = saved;
      // The target is named (the temporary name means nothing to a user), and what is left of it: nothing changed.
      const bool no_room = saved == ENOSPC || saved == EDQUOT || saved == EFBIG;
      fail(path, fmt::format("could not be written{}; it is unchanged, and the partial copy {} was removed",
                             no_room ? ": the disk is full or a file-size limit was reached" : "", tmp));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    fail(path, fmt::format("could not be written (fsync/close of {} failed); it is unchanged", tmp));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    fail(path, fmt::format("could not be written: the finished copy {} could not be renamed over it; it is unchanged", tmp));
  }
  // Make the rename itself durable.
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::string read_file(const std::string& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // O_NONBLOCK: a FIFO must not hang us
  if (fd < 0) fail(path, "cannot open for reading");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    fail(path, "cannot stat");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(fmt::format("{}: is {}, expected a regular file", path,
                                         S_ISDIR(st.st_mode) ? "a folder" : S_ISCHR(st.st_mode) ? "a device" : "not a regular file"));
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw std::runtime_error(fmt::format("{}: is {} bytes, more than the {} this reader accepts", path, st.st_size, max_bytes));
  }
  std::string out;
  out.reserve(static_cast<size_t>(st.st_size));
  std::vector<char> buf(1 << 16);
  for (;;) {  // read to the end, but never past the cap (a file may grow while we read)
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      fail(path, "read failed");
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      throw std::runtime_error(fmt::format("{}: grew past the {} bytes this reader accepts while being read", path, max_bytes));
    }
  }
  ::close(fd);
  return out;
}

}  // namespace tg::io
