// atomic_file.h: write a whole file so that readers see either the old version or the new one, never a
// half-written one: write a temporary file of a unique name beside it, flush, fsync, rename over <path>, fsync
// the folder. A crash while saving a checkpoint therefore never destroys the last good checkpoint, and two
// programs saving to one folder never share a temporary file. Reading checks that the path is a regular file
// of at most `max_bytes` (a link to /dev/zero, a folder or a 50 GB file is refused by name, not read).
// Read next: safetensors.h.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace tg::io {

inline constexpr uint64_t kDefaultMaxFileBytes = uint64_t(2) << 30;  // 2 GiB: far above any file we write

void write_file_atomically(const std::string& path, std::string_view bytes);
std::string read_file(const std::string& path, uint64_t max_bytes = kDefaultMaxFileBytes);

}  // namespace tg::io
