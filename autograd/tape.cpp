// tape.cpp: the reverse loop, gradient accumulation, and the RAII scopes. Instantiated for float and double.
// Read next: optim/adam.cpp, which consumes the leaf gradients this file leaves behind.
#include "autograd/tape.h"

namespace tg {

namespace {
template <typename T>
thread_local Tape<T>* active_tape = nullptr;
thread_local bool grad_enabled_flag = true;
}  // namespace

template <typename T>
Tape<T>::Tape() : previous_(active_tape<T>) {
  active_tape<T> = this;
}

template <typename T>
Tape<T>::~Tape() {
  active_tape<T> = previous_;
}

template <typename T>
Tape<T>* Tape<T>::active() {
  return active_tape<T>;
}

template <typename T>
void InputGrads<T>::add(size_t i, Tensor<T> g) {
  Var<T>& x = inputs_[i];
  if (!x.requires_grad()) return;
  if (g.shape() != x.shape()) g = sum_to(g, x.shape());
  Tensor<T>& grad = x.grad();
  if (!grad.defined()) {
    // First contribution: take g itself when nobody else holds it, else copy, so that a later +=
    // can never write into a tensor that is also some other Var's gradient.
    grad = g.sole_owner() ? std::move(g) : g.clone();
  } else {
    add_into(grad, g);
  }
}

template <typename T>
void InputGrads<T>::add_columns(size_t i, const Tensor<T>& g, int64_t start) {
  Var<T>& x = inputs_[i];
  if (!x.requires_grad()) return;
  Tensor<T>& grad = x.grad();
  if (!grad.defined()) grad = Tensor<T>::zeros(x.shape());
  const int64_t C = x.shape().cols(), W = g.cols();
  parallel_rows(g.rows(), W, [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      T* out = grad.data() + r * C + start;
      const T* in = g.data() + r * W;
      for (int64_t j = 0; j < W; ++j) out[j] += in[j];
    }
  });
}

template <typename T>
void Tape<T>::backward(const Var<T>& loss) {
  require(loss.defined() && loss.value().numel() == 1,
          "backward: the loss must be a scalar — got shape {}; reduce it first (sum or mean) or pass dy",
          loss.defined() ? to_string(loss.shape()) : std::string("(undefined)"));
  backward(loss, Tensor<T>::full(loss.shape(), T(1)));
}

template <typename T>
void Tape<T>::backward(const Var<T>& output, const Tensor<T>& dy) {
  require(output.defined() && dy.shape() == output.shape(),
          "backward: dy has shape {}, expected the output's shape {}", to_string(dy.shape()),
          output.defined() ? to_string(output.shape()) : std::string("(undefined)"));
  require(output.requires_grad(), "backward: the output does not depend on anything that requires grad");
  // Intermediate gradients belong to this pass only: start them empty, so a second backward gives
  // the leaves exactly the same contributions again.
  for (Node<T>& node : nodes_) node.output.zero_grad();
  Var<T> seeded = output;
  if (seeded.grad().defined())
    add_into(seeded.grad(), dy);
  else
    seeded.grad() = dy.clone();
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    Node<T>& node = *it;
    if (!node.output.grad().defined()) continue;  // not on the path to this output
    InputGrads<T> dx(node.inputs);
    node.backward(node.output.grad(), dx);
    node.output.zero_grad();  // consumed: like PyTorch, non-leaf grads are not kept
  }
}

NoGrad::NoGrad() : previous_(grad_enabled_flag) { grad_enabled_flag = false; }
NoGrad::~NoGrad() { grad_enabled_flag = previous_; }
bool NoGrad::grad_enabled() { return grad_enabled_flag; }

template class InputGrads<float>;
template class InputGrads<double>;
template class Tape<float>;
template class Tape<double>;

}  // namespace tg
