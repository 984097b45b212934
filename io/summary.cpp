// summary.cpp: encoding and the atomic write. Non-finite numbers become null (JSON has no NaN).
#include "io/summary.h"

#include <cmath>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "io/json.h"

namespace tg::io {

void Summary::set_raw(const std::string& key, const std::string& json) {
  for (auto& [k, v] : entries_)
    if (k == key) {
      v = json;
      return;
    }
  entries_.emplace_back(key, json);
}
void Summary::set(const std::string& key, const std::string& value) { set_raw(key, json_quote(value)); }
void Summary::set(const std::string& key, double value) {
  set_raw(key, std::isfinite(value) ? fmt::format("{:.10g}", value) : "null");
}
void Summary::set(const std::string& key, int64_t value) { set_raw(key, std::to_string(value)); }
void Summary::set(const std::string& key, bool value) { set_raw(key, value ? "true" : "false"); }

std::string Summary::to_json() const {
  std::string out = "{\n";
  for (size_t i = 0; i < entries_.size(); ++i)
    out += fmt::format("  {}: {}{}\n", json_quote(entries_[i].first), entries_[i].second, i + 1 < entries_.size() ? "," : "");
  return out + "}\n";
}

void Summary::write(const std::string& path) const { write_file_atomically(path, to_json()); }

}  // namespace tg::io
