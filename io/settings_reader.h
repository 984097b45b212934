// settings_reader.h: a program's settings read back from the summary.json it wrote, as the same typed value. Each
// program keeps its settings in one struct with to_json/from_json (experiments/*_settings.h); this reads it from a
// file it cannot trust: every key there and of its kind, every whole number a whole number its field can hold, or an
// error naming the file and the key. Read next: ../experiments/vae_settings.h.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "io/json.h"
#include "io/json_reader.h"

namespace tg::io {

namespace detail {
// `found` checked against the kind of `like` (a value of the default settings): a string, true/false, a whole number
// (stored back as an integer, so a hand-written 3.0 reads as 3 and 5.5e127 never reaches a cast), a number, or a
// list whose items are checked against the default list's first item (a list empty by default holds numbers).
inline void check_kind(Json& found, const Json& like, const JsonReader& r) {
  if (like.is_string()) r.get<std::string>();
  else if (like.is_boolean()) r.get<bool>();
  else if (like.is_number_unsigned()) found = r.get<uint64_t>();
  else if (like.is_number_integer()) found = r.get<int64_t>();
  else if (like.is_number()) r.get<double>();
  else if (like.is_array()) {
    const Json item = like.empty() ? Json(0.0) : like.front();
    for (size_t i = 0; i < r.size(); ++i) check_kind(found.at(i), item, r.at(i));
  }
}
}  // namespace detail

/// The settings S in `summary` (a run's summary.json, read from `file`). Keys named in `added_later` were added
/// to S after some runs were made: a summary without one takes what those runs used, its value in `used_before`
/// where the default has changed since, else S's default. Any other missing key, a value of the wrong kind, or a
/// number its field cannot hold (an int of 10^10) is an error naming `file` and the key.
template <typename S>
S read_settings(const Json& summary, const std::string& file, const std::vector<std::string>& added_later = {},
                const Json& used_before = Json::object()) {
  Json j = summary;
  if (!j.is_object()) throw std::runtime_error(file + ": expected a JSON object (a run's summary)");
  const Json defaults = S{};
  for (const std::string& key : added_later)
    if (!j.contains(key)) j[key] = used_before.contains(key) ? used_before.at(key) : defaults.at(key);
  const JsonReader r(j, file);
  for (const auto& [key, like] : defaults.items()) {
    const JsonReader field = r.at(key);  // first: a missing key is named as missing
    detail::check_kind(j[key], like, field);
  }
  S settings = j.get<S>();
  // Read back, a value cut short by its field's type (a whole number past an int's range) differs: refused by name.
  const Json back = settings;
  for (const auto& [key, value] : back.items())
    if (value != j.at(key)) throw std::runtime_error(file + ": " + key + ": " + j.at(key).dump() + " does not fit the setting's type");
  return settings;
}

}  // namespace tg::io
