// registry.cpp: the op list lives in a function-local static, so it exists before the first
// register_op call whatever order the headers' initialisers run in. Read-only once main starts.
#include "autograd/registry.h"

#include <stdexcept>

namespace tg {

namespace {
std::vector<std::string>& names() {
  static std::vector<std::string> list;
  return list;
}
}  // namespace

OpId register_op(const char* name) {
  for (const std::string& n : names())
    if (n == name) throw std::logic_error(std::string("register_op: \"") + name + "\" registered twice");
  names().emplace_back(name);
  return OpId{static_cast<int>(names().size()) - 1};
}

const std::vector<std::string>& all_ops() { return names(); }

const std::string& op_name(OpId id) { return names().at(static_cast<size_t>(id.index)); }

OpId find_op(const std::string& name) {
  for (size_t i = 0; i < names().size(); ++i)
    if (names()[i] == name) return OpId{static_cast<int>(i)};
  return OpId{};
}

}  // namespace tg
