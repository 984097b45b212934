// tensor.h: Tensor<T>, a shape plus contiguous storage shared between copies. No autograd here.
// Copying a Tensor is cheap and shares the numbers (like a numpy view); `clone()` copies them.
// Values on the tape are never written in place, so sharing is safe; the optimizer's in-place update
// of parameters happens between steps, after the tape is cleared. Read next: tensor_math.h, var.h.
#pragma once
#include <algorithm>
#include <memory>
#include <vector>

#include "autograd/check.h"
#include "autograd/shape.h"

namespace tg {

template <typename T>
class Tensor {
 public:
  Tensor() = default;  // undefined: no storage (an unset gradient, say)
  /// Uninitialised storage: the caller writes every element (all ops do).
  explicit Tensor(Shape shape)
      : shape_(shape), data_(std::make_shared_for_overwrite<T[]>(static_cast<size_t>(shape.numel()))) {}

  static Tensor zeros(Shape shape) { return full(shape, T(0)); }
  static Tensor full(Shape shape, T value) {
    Tensor t(shape);
    std::fill(t.data(), t.data() + t.numel(), value);
    return t;
  }
  static Tensor from(Shape shape, const std::vector<T>& values) {
    require(static_cast<int64_t>(values.size()) == shape.numel(),
            "Tensor::from: {} values given for shape {}, expected {}", values.size(), to_string(shape),
            shape.numel());
    Tensor t(shape);
    std::copy(values.begin(), values.end(), t.data());
    return t;
  }
  static Tensor scalar(T value) { return full(Shape{}, value); }

  bool defined() const { return data_ != nullptr; }
  const Shape& shape() const { return shape_; }
  int64_t numel() const { return shape_.numel(); }
  int64_t rows() const { return shape_.rows(); }
  int64_t cols() const { return shape_.cols(); }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  T& operator[](int64_t i) { return data_[i]; }
  const T& operator[](int64_t i) const { return data_[i]; }
  T& at(int64_t r, int64_t c) { return data_[r * cols() + c]; }
  const T& at(int64_t r, int64_t c) const { return data_[r * cols() + c]; }
  T item() const {
    require(numel() == 1, "Tensor::item: needs exactly one element — got shape {}", to_string(shape_));
    return data_[0];
  }
  /// True when no other Tensor shares this storage, so it may be adopted and written in place.
  bool sole_owner() const { return data_.use_count() == 1; }

  /// Same numbers, new shape (no copy). The element count must match.
  Tensor reshaped(Shape shape) const {
    require(shape.numel() == numel(), "reshape: cannot view {} elements of {} as {}", numel(),
            to_string(shape_), to_string(shape));
    Tensor t = *this;
    t.shape_ = shape;
    return t;
  }
  Tensor clone() const {
    Tensor t(shape_);
    std::copy(data(), data() + numel(), t.data());
    return t;
  }
  std::vector<T> to_vector() const { return std::vector<T>(data(), data() + numel()); }

 private:
  Shape shape_;
  std::shared_ptr<T[]> data_;
};

}  // namespace tg
