// The check of exercise 13.1, run by `make exercise 13` against your copy and by `make test` against the solution:
// the losses against the library's cross_entropy (on ordinary rows and on a row of scores near 1000), then the
// gradient checker (chapter 5), with hints for the usual mistakes.
#include <cmath>
#include <cstdio>
#include <exception>

#include "autograd/gradcheck.h"
#include "docs/learn/exercises/13_cross_entropy.h"

using namespace tg;

int main() {
  try {
    const Tensor<double> scores = Tensor<double>::from(Shape{3, 4}, {1.0, -0.5, 2.0, 0.0, 0.3, 0.3, -1.0, 2.5, 1000.0, 998.0, 0.0, 999.0});
    const std::vector<int32_t> labels = {2, 0, 1};
    NoGrad no_grad;  // the values first
    const Tensor<double> mine = my_cross_entropy(Var<double>(scores.clone()), labels).value();
    const Tensor<double> want = cross_entropy(Var<double>(scores.clone()), labels).value();
    if (mine.shape() != want.shape()) {
      std::printf("Task 13.1 not done: the loss has shape %s, expected %s (one loss per row)\n", to_string(mine.shape()).c_str(),
                  to_string(want.shape()).c_str());
      return 1;
    }
    for (int64_t b = 0; b < 3; ++b)
      if (!(std::abs(mine[b] - want[b]) <= 1e-9 * (1 + std::abs(want[b])))) {
        std::printf("Task 13.1 not done: row %lld's loss is %g, expected %.6f%s\n", (long long)b, mine[b], want[b],
                    std::isfinite(mine[b]) ? "" : " (e^1000 overflows: subtract the row's largest logit before exp, and add it back)");
        return 1;
      }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  try {
    Var<double> x(Tensor<double>::from(Shape{2, 3}, {0.5, -1.0, 2.0, 1.5, 0.2, -0.3}), true);
    const std::vector<int32_t> labels = {1, 0};
    const GradcheckReport r = check_gradients([&] { return my_cross_entropy(x, labels); }, {{"x", x}});
    if (!r.ok) {
      // The usual mistakes, told apart by what the tape gave: with dy = 1 the gradient is softmax - onehot exactly.
      Var<double> x1(x.value().clone(), true);
      Tape<double> tape;
      tape.backward(sum(my_cross_entropy(x1, labels)));
      const Tensor<double> g1 = x1.grad();
      Var<double> x2(x.value().clone(), true);
      Tape<double> tape2;
      tape2.backward(sum(cross_entropy(x2, labels)));
      bool right_with_unit_dy = true;
      for (int64_t i = 0; i < g1.numel(); ++i) right_with_unit_dy = right_with_unit_dy && std::abs(g1[i] - x2.grad()[i]) < 1e-9;
      std::printf("Task 13.1 not done: the gradient is wrong: %s\n%s", r.summary().c_str(),
                  right_with_unit_dy ? "  hint: it is right when dy = 1: multiply each row by its upstream gradient dy[b]\n"
                                     : "  hint: the gradient of row b is softmax(x_b) - onehot(label_b), times dy[b]\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 13.1 passed: my_cross_entropy and its gradient are right, also at scores near 1000\n");
  return 0;
}
