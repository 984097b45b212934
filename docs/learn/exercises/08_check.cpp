// The check of exercise 8.1, run by `make exercise 8` against your copy and by `make test` against the solution:
// the network with your weights on XOR's four points, each hidden unit's value shown when an answer is wrong, and
// the same weights given to tapegrad's ops (a step as the limit of a steep sigmoid) to show they make a smooth net
// that computes XOR too.
#include <cmath>
#include <cstdio>
#include <exception>

#include "autograd/autograd.h"
#include "docs/learn/exercises/08_xor_by_hand.h"

using namespace tg;

int main() {
  try {
    const XorWeights w = my_xor_weights();
    auto step = [](double v) { return v > 0 ? 1.0 : 0.0; };
    const double points[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    for (const auto& p : points) {
      const double h1 = step(w.w11 * p[0] + w.w12 * p[1] + w.c1), h2 = step(w.w21 * p[0] + w.w22 * p[1] + w.c2);
      const double out = step(w.v1 * h1 + w.v2 * h2 + w.d), want = p[0] != p[1] ? 1 : 0;
      if (out == want) continue;
      std::printf("Task 8.1 not done: for (%g, %g) the network gives %g, XOR is %g (hidden units: %g, %g)\n", p[0], p[1], out,
                  want, h1, h2);
      if (w.v1 == 0 && w.v2 == 0 && w.d == 0) std::printf("  hint: the output's weights are still all 0\n");
      return 1;
    }
    // The same weights, scaled by 20, in sigmoid units on the tape: a smooth network, as the chapter trains.
    NoGrad no_grad;
    const Tensor<double> x = Tensor<double>::from(Shape{4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
    const Tensor<double> W = Tensor<double>::from(Shape{2, 2}, {w.w11, w.w21, w.w12, w.w22}), c = Tensor<double>::from(Shape{1, 2}, {w.c1, w.c2});
    const Tensor<double> V = Tensor<double>::from(Shape{2, 1}, {w.v1, w.v2}), d = Tensor<double>::from(Shape{1, 1}, {w.d});
    Var<double> h = sigmoid(20.0 * (matmul(Var<double>(x), Var<double>(W)) + Var<double>(c)));
    Var<double> out = sigmoid(20.0 * (matmul(h, Var<double>(V)) + Var<double>(d)));
    std::printf("Task 8.1 passed: your weights compute XOR; as a smooth net (sigmoids, weights x 20): %.3f %.3f %.3f %.3f\n",
                out.value()[0], out.value()[1], out.value()[2], out.value()[3]);
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  return 0;
}
