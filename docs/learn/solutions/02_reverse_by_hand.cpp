// The reference solution of exercise 2.1: the reverse pass of f = (x y + e^x)^2, step by step.
#include "docs/learn/exercises/02_reverse_by_hand.h"

#include <cmath>

Gradient2 my_reverse_pass(double x, double y) {
  const double a = x * y, b = std::exp(x), c = a + b;
  const double dc = 2 * c;       // f = c c
  const double da = dc, db = dc;  // c = a + b
  Gradient2 g;
  g.dx += db * b;  // b = e^x
  g.dx += da * y;            // a = x y: x's second use adds to its first
  g.dy += da * x;
  return g;
}
