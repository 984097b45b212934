// Exercise 15.1 (docs/learn/15_initialisation.md): derive how much one ReLU layer scales its activations, then run
// `make exercise 15`. One unit before the ReLU is a = sum_i h_i w_i over n inputs: independent terms with mean 0,
// so E[a^2] = sum_i E[h_i^2] E[w_i^2]. The ReLU keeps a when a > 0 and gives 0 otherwise, and a is symmetric about 0.
// The check builds the chapter's stack and compares your prediction of the activations' size at layer 5 with what
// the stack measures, for four sizes s.
// Your copy: edit this file. The reference solution is docs/learn/solutions/15_relu_gain.cpp (try first).
#include "docs/learn/exercises/15_relu_gain.h"

#include <stdexcept>

double my_relu_gain(double s, int64_t n) {
  (void)s, (void)n;
  throw std::logic_error("Task 15.1: my_relu_gain is not written yet (docs/learn/exercises/15_relu_gain.cpp)");
}
