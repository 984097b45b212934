// The reference solution of exercise 9.1: Adam's step as Kingma & Ba (2015) write it, in double.
#include "docs/learn/exercises/09_adam.h"

#include <cmath>

void my_adam_step(std::vector<double>& p, const std::vector<double>& g, std::vector<double>& m, std::vector<double>& v, int t,
                  double lr, double beta1, double beta2, double eps) {
  for (size_t i = 0; i < p.size(); ++i) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    const double m_hat = m[i] / (1 - std::pow(beta1, t)), v_hat = v[i] / (1 - std::pow(beta2, t));
    p[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
  }
}
