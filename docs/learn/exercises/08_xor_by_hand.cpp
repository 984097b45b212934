// Exercise 8.1 (docs/learn/08_logistic_regression_and_xor.md): choose, by hand, the weights of a network of two
// hidden step units that computes XOR, then run `make exercise 8`. One line cannot separate XOR's points (the
// chapter shows logistic regression failing); two can. A way in: let one hidden unit be OR (1 unless both inputs are
// 0), the other AND (1 only when both are 1), and the output "OR and not AND". Each unit is one line: which side
// of w1 x1 + w2 x2 + c = 0 the point is on.
// Your copy: edit this file. The reference solution is docs/learn/solutions/08_xor_by_hand.cpp (try first).
#include "docs/learn/exercises/08_xor_by_hand.h"

#include <stdexcept>

XorWeights my_xor_weights() {
  throw std::logic_error("Task 8.1: my_xor_weights is not written yet (docs/learn/exercises/08_xor_by_hand.cpp)");
}
