// check.h: `require(ok, fmt, args...)`, the one way user-facing code rejects bad input.
// It throws std::invalid_argument (or the exception type you name) and formats the message only on failure.
// Not for internal invariants: those use assert. Read next: shape.h, which uses it for every shape rule.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace tg {

template <typename... Args>
void require(bool ok, fmt::format_string<Args...> message, Args&&... args) {
  if (!ok) throw std::invalid_argument(fmt::format(message, std::forward<Args>(args)...));
}

}  // namespace tg
