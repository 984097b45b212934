// json.h: just enough JSON for safetensors headers and summary.json files — a parsed Value tree and a
// writer that escapes strings. Numbers are doubles (exact for integers up to 2^53, ample for byte offsets).
// Not a general-purpose library: no comments, no streaming. Read next: safetensors.h.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace tg::io {

struct JsonValue;
using JsonObject = std::map<std::string, JsonValue>;
using JsonArray = std::vector<JsonValue>;

struct JsonValue {
  std::variant<std::nullptr_t, bool, double, std::string, JsonArray, JsonObject> v;
  bool is_object() const { return std::holds_alternative<JsonObject>(v); }
  bool is_array() const { return std::holds_alternative<JsonArray>(v); }
  bool is_string() const { return std::holds_alternative<std::string>(v); }
  bool is_number() const { return std::holds_alternative<double>(v); }
  const JsonObject& object() const { return std::get<JsonObject>(v); }
  const JsonArray& array() const { return std::get<JsonArray>(v); }
  const std::string& string() const { return std::get<std::string>(v); }
  double number() const { return std::get<double>(v); }
};

/// Parses text; throws std::runtime_error naming `what` (a file name, say) and the byte offset on error.
JsonValue parse_json(const std::string& text, const std::string& what);

/// "..." with JSON escapes.
std::string json_quote(const std::string& s);

}  // namespace tg::io
