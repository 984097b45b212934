// 07_line_gradient.h: the function of exercise 7.1 (docs/learn/07_fit_a_line.md).
#pragma once
#include <cstddef>
#include <vector>

struct LineGradient {
  double dw = 0, db = 0;
};

/// The gradient of the mean squared error L(w, b) = (1/N) sum_i (w x_i + b - y_i)^2 with respect to w and b, by hand
/// (no tape): the two sums the chain rule gives.
LineGradient my_line_gradient(const std::vector<double>& xs, const std::vector<double>& ys, double w, double b);
