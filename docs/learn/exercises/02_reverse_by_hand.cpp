// Exercise 2.1 (docs/learn/02_chain_rule.md): reverse mode by hand, then run `make exercise 2`. The forward steps
// are written; walk them backwards. Start from df/df = 1 and, for each step from the last to the first, hand its
// output's derivative to its inputs, each multiplied by the step's local derivative:
//   f = c c      ->  df/dc = 2 c
//   c = a + b    ->  df/da = df/dc,  df/db = df/dc
//   b = e^x    ->  df/dx gets df/db e^x (the local derivative of e^x is e^x, which is b)
//   a = x y      ->  df/dx gets df/da y,  df/dy = df/da x
// x is used by two steps: its derivative is the sum of what each hands it (chapter 3).
// Your copy: edit this file. The reference solution is docs/learn/solutions/02_reverse_by_hand.cpp (try first).
#include "docs/learn/exercises/02_reverse_by_hand.h"

#include <cmath>
#include <stdexcept>

Gradient2 my_reverse_pass(double x, double y) {
  const double a = x * y, b = std::exp(x), c = a + b;  // the forward steps (f = c c is not needed backwards)
  (void)a, (void)b, (void)c;
  throw std::logic_error("Task 2.1: my_reverse_pass is not written yet (docs/learn/exercises/02_reverse_by_hand.cpp)");
}
