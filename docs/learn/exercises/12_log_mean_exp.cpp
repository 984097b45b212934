// Exercise 12.1 (docs/learn/12_training_a_vae.md): the last step of the importance-weighted bound, then run
// `make exercise 12`. Given one image's K log weights, return log of the mean of their exponentials. An MNIST image's
// log weights are hundreds of nats below 0, and e^-800 is 0 in double: take the largest weight m out first,
// log mean e^(w_k) = m + log((1/K) sum_k e^(w_k - m)), so that the largest term is e^0 = 1.
// Your copy: edit this file. The reference solution is docs/learn/solutions/12_log_mean_exp.cpp (try first).
#include "docs/learn/exercises/12_log_mean_exp.h"

#include <stdexcept>

double my_log_mean_exp(const std::vector<double>& log_weights) {
  (void)log_weights;
  throw std::logic_error("Task 12.1: my_log_mean_exp is not written yet (docs/learn/exercises/12_log_mean_exp.cpp)");
}
