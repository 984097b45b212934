// The reference solution of exercise 12.1: log-mean-exp with the largest term taken out.
#include "docs/learn/exercises/12_log_mean_exp.h"

#include <algorithm>
#include <cmath>

double my_log_mean_exp(const std::vector<double>& log_weights) {
  const double m = *std::max_element(log_weights.begin(), log_weights.end());
  double sum = 0;
  for (double w : log_weights) sum += std::exp(w - m);
  return m + std::log(sum / double(log_weights.size()));
}
