// summary.h: Summary, the key -> value pairs of a run written as summary.json (atomically). Keys keep insertion
// order so the file reads like the run: config first, results last. Non-finite numbers become null (JSON has
// no NaN). Read next: ../experiments/mnist_mlp.cpp.
#pragma once
#include <string>

#include "io/json.h"

namespace tg::io {

class Summary {
 public:
  void set(const std::string& key, const std::string& value) { json_[key] = value; }
  void set(const std::string& key, const char* value) { json_[key] = value; }
  void set(const std::string& key, double value);
  void set(const std::string& key, int64_t value) { json_[key] = value; }
  void set(const std::string& key, int value) { json_[key] = value; }
  void set(const std::string& key, bool value) { json_[key] = value; }
  void set(const std::string& key, Json value) { json_[key] = std::move(value); }
  const Json& json() const { return json_; }
  std::string to_json() const { return json_.dump(2) + "\n"; }
  void write(const std::string& path) const;

 private:
  Json json_ = Json::object();
};

}  // namespace tg::io
