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

/// How a reporter names a run's data from its summary.json: "MNIST" for the standard files (recognised by their
/// content hashes), else "data that is NOT the standard MNIST", so a subset run is never taken for the study.
inline bool standard_mnist(const Json& summary) {  // a missing or malformed field is not the standard MNIST
  return summary.is_object() && summary.contains("standard_mnist") && summary.at("standard_mnist").is_boolean() &&
         summary.at("standard_mnist").get<bool>();
}
inline std::string data_name(const Json& summary) {
  return standard_mnist(summary) ? "MNIST" : "data that is NOT the standard MNIST";
}
/// "" for the standard MNIST, else a warning line that says what the data was.
inline std::string data_warning(const Json& summary) {
  if (standard_mnist(summary)) return "";
  return "Warning: " + (summary.is_object() && summary.contains("data") && summary.at("data").is_string() ? summary.at("data").get<std::string>()
                                                                                                       : std::string("unknown data"));
}

}  // namespace tg::io
