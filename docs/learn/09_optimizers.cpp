// 09_optimizers.cpp: chapter 9 of the course (09_optimizers.md). The library's optimizers (optim/optimizer.h)
// on the smallest problem that tells them apart: a quadratic valley 25 times steeper across than along, where
// plain gradient descent must take small steps for the steep direction and then crawls along the shallow one.
// Run it with `make chapter 9`.
#include <cmath>
#include <cstdio>
#include <memory>

#include "autograd/autograd.h"
#include "optim/optimizer.h"

using namespace tg;

// [begin valley]
// f(p) = (p0^2 + 25 p1^2) / 2. Its gradient is (p0, 25 p1): the curvature is 1 along p0 and 25 along p1, and
// the minimum is f = 0 at (0, 0).
Var<float> valley(const Var<float>& p) {
  const Var<float> curvature(Tensor<float>::from(Shape{2}, {1.0f, 25.0f}));
  return 0.5f * sum(curvature * square(p));
}
// [end valley]

// [begin run]
// Starts at (-5, 1.5) and takes 100 steps with the optimizer `make` builds, printing f and p as it goes.
template <typename MakeOptimizer>
void run(const char* name, MakeOptimizer make) {
  Var<float> p(Tensor<float>::from(Shape{2}, {-5.0f, 1.5f}), true);
  std::unique_ptr<optim::Optimizer> optimizer = make(Parameters<float>{{"p", p}});
  std::printf("%s\n", name);
  for (int step = 1; step <= 100; ++step) {
    Tape<float> tape;
    Var<float> f = valley(p);
    tape.backward(f);
    optimizer->step();       // p moves, using p's gradient (and whatever the optimizer remembers)
    optimizer->zero_grad();
    if (step == 1 || step == 10 || step == 30 || step == 100)
      std::printf("  step %3d  f %-10.3g  p (%.3g, %.3g)\n", step, valley(p).item(), p.value()[0], p.value()[1]);
  }
}
// [end run]

int main() {
  // [begin optimizers]
  using namespace tg::optim;
  run("gradient descent, lr 0.07", [](auto params) { return std::make_unique<Sgd>(params, 0.07f); });
  run("gradient descent, lr 0.09", [](auto params) { return std::make_unique<Sgd>(params, 0.09f); });
  run("momentum 0.5, lr 0.07", [](auto params) { return std::make_unique<Sgd>(params, 0.07f, 0.5f); });
  run("Adagrad, lr 1", [](auto params) { return std::make_unique<Adagrad>(params, 1.0f); });
  run("Adam, lr 0.1", [](auto params) { return std::make_unique<Adam>(params, 0.1f); });
  // [end optimizers]
  return 0;
}
