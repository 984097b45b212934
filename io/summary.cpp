// summary.cpp: the non-finite case and the atomic write.
#include "io/summary.h"

#include <cmath>

#include "io/atomic_file.h"

namespace tg::io {

void Summary::set(const std::string& key, double value) {
  if (std::isfinite(value)) json_[key] = value;
  else json_[key] = nullptr;
}

void Summary::write(const std::string& path) const { write_file_atomically(path, to_json()); }

}  // namespace tg::io
