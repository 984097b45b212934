// Exercise 7.1 (docs/learn/07_fit_a_line.md): the gradient the tape gave chapter 7's loop, written by hand; then run
// `make exercise 7`. With r_i = w x_i + b - y_i (the residual of point i) and L = (1/N) sum_i r_i^2, the chain rule
// gives dL/dw = (1/N) sum_i 2 r_i x_i and dL/db = (1/N) sum_i 2 r_i. The check compares yours with central
// differences, then fits the line with it by gradient descent and compares the result with least squares.
// Your copy: edit this file. The reference solution is docs/learn/solutions/07_line_gradient.cpp (try first).
#include "docs/learn/exercises/07_line_gradient.h"

#include <stdexcept>

LineGradient my_line_gradient(const std::vector<double>& xs, const std::vector<double>& ys, double w, double b) {
  (void)xs, (void)ys, (void)w, (void)b;
  throw std::logic_error("Task 7.1: my_line_gradient is not written yet (docs/learn/exercises/07_line_gradient.cpp)");
}
