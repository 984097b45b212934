// json_reader.h: reading a JSON file we wrote but cannot trust — a run folder from an older version, a half-written
// one, one edited by hand. Every lookup names the file and the field's path when the field is missing or holds
// another type ("runs/x/summary.json: runs[2].model: expected a string, found 3"), so a reporter never ends in a
// bare "map::at" or a "[json.exception...]" that names neither. Read next: ../experiments/vae_report.cpp.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "io/json.h"
#include "io/safetensors.h"

namespace tg::io {

class JsonReader {
 public:
  JsonReader(const Json& json, std::string file, std::string path = "")
      : json_(&json), file_(std::move(file)), path_(std::move(path)) {}

  bool has(const std::string& key) const { return json_->is_object() && json_->contains(key); }
  /// A field that must be there.
  JsonReader at(const std::string& key) const {
    if (!json_->is_object()) fail(fmt::format("expected an object with the field {}, found {}", key, shown()));
    if (!json_->contains(key)) throw std::runtime_error(fmt::format("{}: no field {}", file_, child_path(key)));
    return JsonReader(json_->at(key), file_, child_path(key));
  }
  JsonReader at(size_t i) const {
    if (!json_->is_array() || i >= json_->size()) fail(fmt::format("expected a list of more than {} items, found {}", i, shown()));
    return JsonReader(json_->at(i), file_, fmt::format("{}[{}]", path_, i));
  }
  size_t size() const {
    if (!json_->is_array()) fail(fmt::format("expected a list, found {}", shown()));
    return json_->size();
  }
  /// This value as T, or an error naming the file, the field and what was found.
  template <typename T>
  T get() const {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) check_fits<T>();
    try {
      return json_->get<T>();
    } catch (const Json::exception&) {
      fail(fmt::format("expected {}, found {}", kind<T>(), shown()));
    }
  }
  template <typename T>
  T get(const std::string& key) const { return at(key).get<T>(); }
  /// An optional field (older runs did not write it): `fallback` when absent; of another type, an error.
  template <typename T>
  T get_or(const std::string& key, const T& fallback) const { return has(key) ? at(key).get<T>() : fallback; }
  /// A measurement that may be absent or null (JSON has no NaN): NaN then, so a report can say "not measured".
  double number_or_nan(const std::string& key) const {
    return has(key) && !json_->at(key).is_null() ? at(key).get<double>() : NAN;
  }
  const Json& json() const { return *json_; }

 private:
  std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  std::string shown() const {
    std::string s = json_->dump();
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(fmt::format("{}: {}{}", file_, path_.empty() ? "" : path_ + ": ", what));
  }
  // A number read as an integer type must be a whole number that type can hold: nlohmann would convert 5.5e127 to a
  // long (undefined behaviour, found by the fuzzer) and 300 to a uint8_t or -1 to a size_t (silently wrong).
  template <typename T>
  void check_fits() const {
    if (!json_->is_number()) return;  // another kind: get() names it
    const double limit = std::ldexp(1.0, std::numeric_limits<T>::digits);  // 2^63 for int64_t, 2^64 for uint64_t
    const double low = std::is_signed_v<T> ? -limit : 0.0;
    bool fits;
    if (json_->is_number_float()) {
      const double v = json_->get<double>();
      fits = v == std::floor(v) && v >= low && v < limit;
    } else if (json_->is_number_unsigned()) {
      fits = json_->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max());
    } else {
      const int64_t v = json_->get<int64_t>();
      fits = std::is_signed_v<T> ? v >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
                                       static_cast<uint64_t>(v < 0 ? 0 : v) <= static_cast<uint64_t>(std::numeric_limits<T>::max())
                                 : v >= 0 && static_cast<uint64_t>(v) <= static_cast<uint64_t>(std::numeric_limits<T>::max());
    }
    if (!fits) fail(fmt::format("expected a whole number from {} to {}, found {}", std::numeric_limits<T>::min(),
                                std::numeric_limits<T>::max(), shown()));
  }
  template <typename T>
  static const char* kind() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else return "a list or an object of another shape";
  }
  const Json* json_;
  std::string file_, path_;
};

/// A tensor of a safetensors file that must be there, or an error naming the file and the tensor.
inline const SafeTensor& tensor_in(const SafeTensors& f, const std::string& name, const std::string& file) {
  const auto it = f.tensors.find(name);
  if (it == f.tensors.end()) throw std::runtime_error(fmt::format("{}: no tensor {}", file, name));
  return it->second;
}
/// A metadata field of a safetensors file that must be there.
inline const std::string& metadata_in(const SafeTensors& f, const std::string& key, const std::string& file) {
  const auto it = f.metadata.find(key);
  if (it == f.metadata.end()) throw std::runtime_error(fmt::format("{}: no metadata field {}", file, key));
  return it->second;
}
/// A metadata field that must be a whole number in [lo, hi].
inline int64_t metadata_int(const SafeTensors& f, const std::string& key, const std::string& file, int64_t lo, int64_t hi) {
  const std::string& text = metadata_in(f, key, file);
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || v < lo || v > hi)
    throw std::runtime_error(fmt::format("{}: metadata field {} is {}, expected a whole number from {} to {}", file, key, json_quote(text), lo, hi));
  return v;
}

}  // namespace tg::io
