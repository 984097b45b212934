// Exercise 9.1 (docs/learn/09_optimizers.md): write one step of Adam, then run `make exercise 9`. For each entry i:
//   m_i <- beta1 m_i + (1 - beta1) g_i               a running mean of the gradient
//   v_i <- beta2 v_i + (1 - beta2) g_i^2             a running mean of its square
//   mhat = m_i / (1 - beta1^t),  vhat = v_i / (1 - beta2^t)   (m and v start at 0: this undoes the bias it causes)
//   p_i <- p_i - lr mhat / (sqrt(vhat) + eps)
// Your copy: edit this file. The reference solution is docs/learn/solutions/09_adam.cpp (try first).
#include "docs/learn/exercises/09_adam.h"

#include <stdexcept>

void my_adam_step(std::vector<double>& p, const std::vector<double>& g, std::vector<double>& m, std::vector<double>& v, int t,
                  double lr, double beta1, double beta2, double eps) {
  (void)p, (void)g, (void)m, (void)v, (void)t, (void)lr, (void)beta1, (void)beta2, (void)eps;
  throw std::logic_error("Task 9.1: my_adam_step is not written yet (docs/learn/exercises/09_adam.cpp)");
}
