// The check of exercise 7.1, run by `make exercise 7` against your copy and by `make test` against the solution:
// your gradient against central differences of the loss at three points (w, b), with a hint when it is off by the
// usual factors (2, or N); then 200 steps of gradient descent with it, which must reach the least-squares line.
#include <cmath>
#include <cstdio>
#include <exception>
#include <tuple>

#include "docs/learn/exercises/07_line_gradient.h"

int main() {
  std::vector<double> xs, ys;  // chapter 7's twenty points
  for (int i = 0; i < 20; ++i) {
    xs.push_back(-1.0 + 2.0 * i / 19.0);
    ys.push_back(3.0 * xs.back() - 2.0 + 0.3 * std::sin(7.0 * i));
  }
  auto loss = [&](double w, double b) {
    double total = 0;
    for (size_t i = 0; i < xs.size(); ++i) total += (w * xs[i] + b - ys[i]) * (w * xs[i] + b - ys[i]);
    return total / double(xs.size());
  };
  try {
    for (const auto& [w, b] : {std::pair{0.0, 0.0}, std::pair{1.5, -3.0}, std::pair{4.0, 1.0}}) {
      const LineGradient mine = my_line_gradient(xs, ys, w, b);
      const double h = 1e-6, dw = (loss(w + h, b) - loss(w - h, b)) / (2 * h), db = (loss(w, b + h) - loss(w, b - h)) / (2 * h);
      const std::tuple<const char*, double, double> pairs[] = {{"dL/dw", mine.dw, dw}, {"dL/db", mine.db, db}};
      for (const auto& [name, got, want] : pairs) {
        if (std::abs(got - want) <= 1e-6 * (1 + std::abs(want))) continue;
        std::printf("Task 7.1 not done: at w = %g, b = %g your %s is %.6f; central differences say %.6f\n", w, b, name, got, want);
        if (std::abs(2 * got - want) <= 1e-6 * (1 + std::abs(want)))
          std::printf("  hint: half of it: the derivative of r^2 is 2 r\n");
        else if (std::abs(got / 20 - want) <= 1e-6 * (1 + std::abs(want)))
          std::printf("  hint: 20 times too large: L is the mean over the points, so divide the sum by N\n");
        else if (std::abs(got + want) <= 1e-6 * (1 + std::abs(want)))
          std::printf("  hint: the sign: r = w x + b - y, prediction minus target\n");
        return 1;
      }
    }
    double w = 0, b = 0;
    for (int step = 0; step < 200; ++step) {
      const LineGradient g = my_line_gradient(xs, ys, w, b);
      w -= 0.2 * g.dw, b -= 0.2 * g.db;
    }
    double mx = 0, my = 0, sxy = 0, sxx = 0;
    for (size_t i = 0; i < xs.size(); ++i) mx += xs[i] / 20, my += ys[i] / 20;
    for (size_t i = 0; i < xs.size(); ++i) sxy += (xs[i] - mx) * (ys[i] - my), sxx += (xs[i] - mx) * (xs[i] - mx);
    if (std::abs(w - sxy / sxx) > 1e-6 || std::abs(b - (my - sxy / sxx * mx)) > 1e-6) {
      std::printf("Task 7.1 not done: 200 steps with your gradient end at w %.6f, b %.6f, not the least-squares line\n", w, b);
      return 1;
    }
    std::printf("Task 7.1 passed: your gradient agrees with central differences and fits the line: w %.6f, b %.6f\n", w, b);
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  return 0;
}
