// The reference solution of exercise 7.1: the mean squared error's gradient for a line, by hand.
#include "docs/learn/exercises/07_line_gradient.h"

LineGradient my_line_gradient(const std::vector<double>& xs, const std::vector<double>& ys, double w, double b) {
  LineGradient g;
  const double n = double(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double r = w * xs[i] + b - ys[i];
    g.dw += 2 * r * xs[i] / n;
    g.db += 2 * r / n;
  }
  return g;
}
