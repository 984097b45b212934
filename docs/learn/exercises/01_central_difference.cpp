// Exercise 1.1 (docs/learn/01_derivatives.md): write central_difference below, then run `make exercise 1`.
// Your copy: edit this file. The reference solution is docs/learn/solutions/01_central_difference.cpp (try first).
#include "docs/learn/exercises/01_central_difference.h"

#include <stdexcept>

double central_difference(const std::function<double(double)>& f, double x, double h) {
  (void)f, (void)x, (void)h;
  throw std::logic_error("Task 1.1: central_difference is not written yet (docs/learn/exercises/01_central_difference.cpp)");
}
