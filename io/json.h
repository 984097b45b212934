// json.h: JSON through nlohmann-json (Debian's nlohmann-json3-dev), plus what our files need on top of it:
// errors that name the file, and a strict reading for text we do not trust (a safetensors header): duplicate
// keys are refused (a plain parse keeps the last one silently), nesting is capped, strings must be UTF-8, and
// numbers keep their kind (an unsigned integer, a negative one, a float), so a shape of 1.5 can be told apart
// from a shape of 1. Read next: safetensors.h.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tg::io {

using Json = nlohmann::ordered_json;  // objects keep insertion order: summary.json reads like the run

/// Parses `text`; throws std::runtime_error "<what>: invalid JSON: ..." on a syntax error, a duplicate key or
/// nesting deeper than 64 levels.
Json parse_json(std::string_view text, const std::string& what);
/// read_file + parse_json, naming the path.
Json read_json_file(const std::string& path);
/// "..." with JSON escapes.
std::string json_quote(const std::string& s);

}  // namespace tg::io
