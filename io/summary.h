// summary.h: Summary, an ordered set of key -> JSON value pairs written as summary.json (atomically).
// Keys keep insertion order so the file reads like the run: config first, results last.
// Read next: ../experiments/mnist_mlp.cpp.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tg::io {

class Summary {
 public:
  void set(const std::string& key, const std::string& value);  // a string
  void set(const std::string& key, const char* value) { set(key, std::string(value)); }
  void set(const std::string& key, double value);
  void set(const std::string& key, int64_t value);
  void set(const std::string& key, int value) { set(key, static_cast<int64_t>(value)); }
  void set(const std::string& key, bool value);
  void set_raw(const std::string& key, const std::string& json);  // an already-encoded JSON value
  std::string to_json() const;
  void write(const std::string& path) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // key, encoded value
};

}  // namespace tg::io
