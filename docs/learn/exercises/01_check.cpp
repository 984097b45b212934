// The check of exercise 1.1, run by `make exercise 1` against your copy and by `make test` against the solution.
#include <cmath>
#include <cstdio>
#include <exception>

#include "docs/learn/exercises/01_central_difference.h"

int main() {
  try {
    // x^3 at x = 2 with h = 0.1: the central difference is exactly 3 x^2 + h^2 = 12.01 (a forward one gives 12.61).
    const double cubic = central_difference([](double v) { return v * v * v; }, 2.0, 0.1);
    if (std::abs(cubic - 12.01) > 1e-12) {
      std::printf("Task 1.1 not done: for x^3 at x = 2, h = 0.1 expected 12.01, got %.6f\n", cubic);
      return 1;
    }
    const double slope = central_difference([](double v) { return std::sin(v); }, 1.0, 1e-5);
    if (std::abs(slope - std::cos(1.0)) > 1e-9) {
      std::printf("Task 1.1 not done: for sin at x = 1, h = 1e-5 expected cos(1) = %.12f, got %.12f\n", std::cos(1.0), slope);
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 1.1 passed: central_difference is right\n");
  return 0;
}
