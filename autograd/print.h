// print.h: Tensors and Vars with fmt, for small examples and for looking while debugging:
//   fmt::print("{}\n", x)   ->  [[1, 2, 3], [4, 5, 6]]       a (2, 3) tensor
//   fmt::print("{}\n", v)   ->  Var([1, 2], grad [0.5, -1])   the grad only once backward has set it
// Numbers print with {:g} (six significant digits); a dimension longer than 8 shows its first and last 3 with
// "..." between, as PyTorch does, so a 784-wide row stays one readable line. An undefined tensor prints
// "undefined". Read next: tape.h.
#pragma once
#include <string>

#include <fmt/format.h>

#include "autograd/tensor.h"
#include "autograd/var.h"

namespace tg {

/// The text fmt prints for t (see above).
template <typename T>
std::string tensor_text(const Tensor<T>& t) {
  if (!t.defined()) return "undefined";
  const Shape& s = t.shape();
  if (s.rank == 0) return fmt::format("{:g}", t[0]);
  // One row of `n` values starting at flat index `first`, shortened when long.
  auto row = [&](int64_t first, int64_t n) {
    std::string out = "[";
    for (int64_t j = 0; j < n; ++j) {
      if (n > 8 && j == 3) {
        out += "..., ";
        j = n - 3;
      }
      out += fmt::format("{:g}{}", t[first + j], j + 1 < n ? ", " : "");
    }
    return out + "]";
  };
  if (s.rank == 1) return row(0, s[0]);
  std::string out = "[";
  for (int64_t i = 0; i < s[0]; ++i) {
    if (s[0] > 8 && i == 3) {
      out += "..., ";
      i = s[0] - 3;
    }
    out += row(i * s[1], s[1]) + (i + 1 < s[0] ? ", " : "");
  }
  return out + "]";
}

}  // namespace tg

template <typename T>
struct fmt::formatter<tg::Tensor<T>> : fmt::formatter<std::string_view> {
  auto format(const tg::Tensor<T>& t, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(tg::tensor_text(t), ctx);
  }
};

template <typename T>
struct fmt::formatter<tg::Var<T>> : fmt::formatter<std::string_view> {
  auto format(const tg::Var<T>& v, fmt::format_context& ctx) const {
    const std::string text = v.grad().defined() ? fmt::format("Var({}, grad {})", tg::tensor_text(v.value()), tg::tensor_text(v.grad()))
                                                : fmt::format("Var({})", tg::tensor_text(v.value()));
    return fmt::formatter<std::string_view>::format(text, ctx);
  }
};
