// json.cpp: nlohmann's parser with a callback that watches every object's keys and the depth.
#include "io/json.h"

#include <set>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "io/atomic_file.h"

namespace tg::io {

namespace {
constexpr int kMaxDepth = 64;
}

Json parse_json(std::string_view text, const std::string& what) {
  std::vector<std::set<std::string>> keys_seen;  // one set per object being read, innermost last
  Json::parser_callback_t strict = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) && depth >= kMaxDepth)
      throw std::runtime_error(fmt::format("{}: invalid JSON: nested more than {} levels", what, kMaxDepth));
    if (event == Json::parse_event_t::object_start) keys_seen.emplace_back();
    if (event == Json::parse_event_t::object_end) keys_seen.pop_back();
    if (event == Json::parse_event_t::key && !keys_seen.back().insert(parsed.get<std::string>()).second)
      throw std::runtime_error(fmt::format("{}: invalid JSON: key {} appears twice in one object", what, parsed.dump()));
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), strict);
  } catch (const Json::exception& e) {  // e.what() names the byte: "[json.exception.parse_error.101] parse error at line 1, column 9: ..."
    std::string why = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 9: ..."
    if (why.rfind("[json.exception", 0) == 0 && why.find("] ") != std::string::npos) why = why.substr(why.find("] ") + 2);
    throw std::runtime_error(fmt::format("{}: invalid JSON: {}", what, why));
  }
}

Json read_json_file(const std::string& path) { return parse_json(read_file(path), path); }

std::string json_quote(const std::string& s) { return Json(s).dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace tg::io
