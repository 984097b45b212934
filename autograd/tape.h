// tape.h: the tape. The forward pass appends one Node per op; backward() walks the vector in reverse.
// Recording order is already a topological order, so there is no graph sort: that is the one idea to keep.
//
// Global mutable state of the tape: (1) a thread_local pointer to the active Tape<T>, set and restored only
// by Tape's constructor and destructor; (2) a thread_local "grad enabled" flag, flipped only by NoGrad;
// (3) the op registry (registry.h), filled before main and read-only after. There is no global RNG.
// The speed machinery has settings of its own, each set once by a program before it trains and none of them
// changing a gradient's meaning: the thread pool's size (blas.h: set_num_threads), the sparse first-layer
// products' switch (sparse.h: set_sparse_products) and the allocator's settings (memory.h).
// Read next: ops/unary.h for what an op looks like, tape.cpp for the reverse loop.
#pragma once
#include <functional>
#include <utility>
#include <vector>

#include "autograd/registry.h"
#include "autograd/tensor_math.h"
#include "autograd/var.h"

namespace tg {

/// What a backward closure writes into: the gradients of the node's inputs.
template <typename T>
class InputGrads {
 public:
  explicit InputGrads(std::vector<Var<T>>& inputs) : inputs_(inputs) {}
  /// Skip work for inputs that are constants (labels, data).
  bool needs(size_t i) const { return inputs_[i].requires_grad(); }
  /// The one place that (1) skips inputs without requires_grad, (2) sums g back over broadcast axes to
  /// the input's shape, and (3) accumulates with += (a Var used twice receives both contributions).
  void add(size_t i, Tensor<T> g);
  /// Adds g (R, W) into columns start..start + W of input i's gradient (R, C), which starts as zeros: the backward
  /// pass of a slice, without a full-size temporary for the columns it does not touch.
  void add_columns(size_t i, const Tensor<T>& g, int64_t start);

 private:
  std::vector<Var<T>>& inputs_;
};

/// dy: gradient of the loss with respect to the node's output; the closure adds into dx.
template <typename T>
using BackwardFn = std::function<void(const Tensor<T>& dy, InputGrads<T>& dx)>;

template <typename T>
struct Node {
  OpId op;
  std::vector<Var<T>> inputs;
  Var<T> output;
  BackwardFn<T> backward;  // its capture list is exactly what the op saved for backward
};

template <typename T>
class Tape {
 public:
  Tape();   // becomes the active tape of this thread
  ~Tape();  // restores the previous one; frees every node (activations, closures)
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  /// Backward from a scalar loss (seed dloss = 1). Leaf grads accumulate with +=, so a second call adds
  /// the same gradients again, as PyTorch's retain_graph does. Throws unless loss is a single number.
  void backward(const Var<T>& loss);
  /// Backward from any output with an explicit upstream gradient dy of the output's shape.
  void backward(const Var<T>& output, const Tensor<T>& dy);
  /// Drops all nodes: the same as leaving the block, without leaving it.
  void clear() { nodes_.clear(); }

  const std::vector<Node<T>>& nodes() const { return nodes_; }
  void push(Node<T> node) { nodes_.push_back(std::move(node)); }
  static Tape* active();

 private:
  std::vector<Node<T>> nodes_;
  Tape* previous_;
};

/// Inside a NoGrad block nothing is recorded (evaluation, sampling, optimizer updates).
class NoGrad {
 public:
  NoGrad();
  ~NoGrad();
  NoGrad(const NoGrad&) = delete;
  NoGrad& operator=(const NoGrad&) = delete;
  static bool grad_enabled();

 private:
  bool previous_;
};

/// Every op ends here. It wraps y in a Var and, if a tape is recording and some input needs a gradient,
/// appends the node. Only an OpId from the registry can be recorded.
template <typename T>
Var<T> record(OpId op, std::vector<Var<T>> inputs, Tensor<T> y, BackwardFn<T> backward) {
  Tape<T>* tape = Tape<T>::active();
  bool needs_grad = false;
  for (const Var<T>& x : inputs) needs_grad = needs_grad || x.requires_grad();
  if (tape == nullptr || !NoGrad::grad_enabled() || !needs_grad) return Var<T>(std::move(y), false);
  Var<T> out(std::move(y), true);
  tape->push(Node<T>{op, std::move(inputs), out, std::move(backward)});
  return out;
}

}  // namespace tg
