// The check of exercise 14.1, run by `make exercise 14` against your copy and by `make test` against the solution:
// for each shape an operand b can have before it is broadcast to (4, 3), your gradient against the one central
// differences measure for L(b) = sum(g * (x + b)), entry by entry. Plain loops: no tape, no library op.
#include <cmath>
#include <cstdio>
#include <exception>

#include "docs/learn/exercises/14_sum_to.h"

using namespace tg;

int main() {
  const Tensor<double> g = Tensor<double>::from(Shape{4, 3}, {0.5, -1, 2, 0.25, -0.5, 1, 1.5, 0, -2, 1, 1, 1});
  const Tensor<double> x = Tensor<double>::from(Shape{4, 3}, {1, 2, 0, -1, 0, 3, 2, 1, 1, 0, -2, 1});
  try {
    for (const Shape& shape : {Shape{1, 3}, Shape{4, 1}, Shape{}}) {
      const Tensor<double> mine = my_sum_to(g, shape);
      if (mine.shape() != shape) {
        std::printf("Task 14.1 not done: for an operand of shape %s the gradient has shape %s, expected %s (the operand's own)\n",
                    to_string(shape).c_str(), to_string(mine.shape()).c_str(), to_string(shape).c_str());
        return 1;
      }
      // L(b) = sum_ij g_ij (x_ij + b broadcast to (4, 3)); its slope in each entry of b by central differences.
      auto loss = [&](const Tensor<double>& b) {
        double total = 0;
        for (int64_t i = 0; i < 4; ++i)
          for (int64_t j = 0; j < 3; ++j)
            total += g.at(i, j) * (x.at(i, j) + b[(shape.rows() == 1 ? 0 : i) * shape.cols() + (shape.cols() == 1 ? 0 : j)]);
        return total;
      };
      for (int64_t e = 0; e < mine.numel(); ++e) {
        Tensor<double> up = Tensor<double>::zeros(shape), down = Tensor<double>::zeros(shape);
        up[e] = 1e-4, down[e] = -1e-4;
        const double want = (loss(up) - loss(down)) / 2e-4;
        if (!(std::abs(mine[e] - want) < 1e-6)) {
          std::printf("Task 14.1 not done: for an operand of shape %s, entry %lld of the gradient is %g, central differences say %.6g\n"
                      "  hint: %s\n", to_string(shape).c_str(), (long long)e, mine[e], want,
                      shape.numel() == 1 ? "a scalar was added to every element: sum all of g"
                      : shape.rows() == 1 ? "a row (1, 3) was added to each of the 4 rows: sum g down each column"
                                          : "a column (4, 1) was added to each of the 3 columns: sum g along each row");
          return 1;
        }
      }
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 14.1 passed: my_sum_to gives the gradient of a row, a column and a scalar operand\n");
  return 0;
}
