// var.h: Var<T>, a cheap handle to {value, grad, requires_grad}. Parameters and activations are both Vars.
// Copies of a Var share one VarData (like a shared_ptr), so a parameter owned by a layer and the same
// parameter held by the tape are one object. VarData never points at tape nodes: no cycles, no leaks.
// Read next: tape.h.
#pragma once
#include <memory>
#include <utility>

#include "autograd/tensor.h"

namespace tg {

template <typename T>
struct VarData {
  Tensor<T> value;
  Tensor<T> grad;              // undefined until a backward pass reaches this Var
  bool requires_grad = false;
};

template <typename T>
class Var {
 public:
  Var() = default;
  explicit Var(Tensor<T> value, bool requires_grad = false)
      : d_(std::make_shared<VarData<T>>(VarData<T>{std::move(value), Tensor<T>(), requires_grad})) {}

  bool defined() const { return d_ != nullptr; }
  const Tensor<T>& value() const { return d_->value; }
  Tensor<T>& value() { return d_->value; }  // the optimizer updates parameters in place, between steps
  const Tensor<T>& grad() const { return d_->grad; }
  Tensor<T>& grad() { return d_->grad; }
  bool requires_grad() const { return d_->requires_grad; }
  const Shape& shape() const { return d_->value.shape(); }
  void zero_grad() { d_->grad = Tensor<T>(); }
  T item() const { return d_->value.item(); }
  bool same(const Var& o) const { return d_ == o.d_; }
  const void* id() const { return d_.get(); }  // identity, for drawing the graph (autograd/dot.h)

 private:
  std::shared_ptr<VarData<T>> d_;
};

}  // namespace tg
