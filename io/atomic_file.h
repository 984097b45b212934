// atomic_file.h: write a whole file so that readers see either the old version or the new one, never a
// half-written one: write "<path>.tmp", flush, fsync, rename over <path>, fsync the folder. A crash while
// saving a checkpoint therefore never destroys the last good checkpoint. Read next: safetensors.h.
#pragma once
#include <string>
#include <string_view>

namespace tg::io {

void write_file_atomically(const std::string& path, std::string_view bytes);
std::string read_file(const std::string& path);  // throws naming the path if it cannot be read

}  // namespace tg::io
