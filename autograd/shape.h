// shape.h: Shape (rank 0, 1 or 2), the broadcasting rule, and nothing else.
// Rank is capped at 2 on purpose: batch x features is all an MLP-family model needs, and a fixed-size
// shape keeps every op allocation-free until it touches data. Read next: tensor.h.
#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace tg {

struct Shape {
  static constexpr int kMaxRank = 2;
  int rank = 0;                        // 0 = scalar, 1 = vector, 2 = matrix
  std::array<int64_t, kMaxRank> dims{};

  Shape() = default;
  Shape(std::initializer_list<int64_t> d);   // Shape{} scalar, Shape{n}, Shape{rows, cols}

  int64_t operator[](int axis) const { return dims[axis]; }
  int64_t numel() const {  // inline: loops test it every iteration
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
  // Seen as a matrix: a scalar is 1x1 and a vector of n is 1xn, as in numpy's broadcasting.
  int64_t rows() const { return rank == 2 ? dims[0] : 1; }
  int64_t cols() const { return rank == 0 ? 1 : dims[rank - 1]; }
  bool operator==(const Shape& o) const;
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

std::string to_string(const Shape& s);  // "(512, 784)", "(10)", "()"

/// numpy rule, aligned on the right: each dimension must be equal or 1. Throws naming `op` and both shapes.
Shape broadcast_shape(const Shape& a, const Shape& b, const char* op);

}  // namespace tg
