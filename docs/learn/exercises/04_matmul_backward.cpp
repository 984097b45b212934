// Exercise 4.1 (docs/learn/04_tensors_and_matmul.md): write matmul_backward below, then run `make exercise 4`.
// Your copy: edit this file. The reference solution is docs/learn/solutions/04_matmul_backward.cpp (try first).
#include "docs/learn/exercises/04_matmul_backward.h"

#include <stdexcept>

void matmul_backward(const std::vector<double>& x, const std::vector<double>& w, const std::vector<double>& dy, int64_t n,
                     int64_t k, int64_t m, std::vector<double>& dx, std::vector<double>& dw) {
  (void)x, (void)w, (void)dy, (void)n, (void)k, (void)m, (void)dx, (void)dw;
  throw std::logic_error("Task 4.1: matmul_backward is not written yet (docs/learn/exercises/04_matmul_backward.cpp)");
}
