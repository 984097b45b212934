// Exercise 16.1 (docs/learn/16_posterior_collapse.md): write the measure behind the active units, then run
// `make exercise 16`. A dimension is active when its mean moves over the images: variance over the N rows of its
// column above 0.01. The check hands you codes whose variances are known, and names the usual mistakes.
// Your copy: edit this file. The reference solution is docs/learn/solutions/16_code_variance.cpp (try first).
#include "docs/learn/exercises/16_code_variance.h"

#include <stdexcept>

std::vector<double> my_code_variances(const tg::Tensor<float>& mu) {
  (void)mu;
  throw std::logic_error("Task 16.1: my_code_variances is not written yet (docs/learn/exercises/16_code_variance.cpp)");
}
