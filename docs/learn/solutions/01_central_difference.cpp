// Reference solution of exercise 1.1 (docs/learn/01_derivatives.md); `make test` keeps it passing.
#include "docs/learn/exercises/01_central_difference.h"

double central_difference(const std::function<double(double)>& f, double x, double h) {
  return (f(x + h) - f(x - h)) / (2 * h);
}
