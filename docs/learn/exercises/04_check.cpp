// The check of exercise 4.1, run by `make exercise 4` against your copy and by `make test` against the solution.
// It needs no library: for L = sum_ij dy_ij (x w)_ij, dL/dx and dL/dw are exactly what matmul_backward returns,
// and central differences (chapter 1) estimate them from L alone.
#include <cmath>
#include <cstdio>
#include <exception>

#include "docs/learn/exercises/04_matmul_backward.h"

int main() {
  const int64_t n = 3, k = 4, m = 2;
  std::vector<double> x(n * k), w(k * m), dy(n * m), dx(n * k, 0.0), dw(k * m, 0.0);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(1.0 + double(i));  // fixed, irregular values
  for (size_t i = 0; i < w.size(); ++i) w[i] = std::cos(2.0 + 0.7 * double(i));
  for (size_t i = 0; i < dy.size(); ++i) dy[i] = std::sin(0.3 * double(i) - 1.0);
  auto L = [&] {  // sum_ij dy_ij (x w)_ij
    double s = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) {
        double y = 0;
        for (int64_t p = 0; p < k; ++p) y += x[i * k + p] * w[p * m + j];
        s += dy[i * m + j] * y;
      }
    return s;
  };
  auto numeric = [&](double& v) {  // (L(v + h) - L(v - h)) / 2h; L is linear in v, so this is exact to rounding
    const double h = 1e-4, keep = v;
    v = keep + h;
    const double up = L();
    v = keep - h;
    const double down = L();
    v = keep;
    return (up - down) / (2 * h);
  };
  try {
    matmul_backward(x, w, dy, n, k, m, dx, dw);
    for (int64_t i = 0; i < n * k; ++i)
      if (std::abs(dx[i] - numeric(x[i])) > 1e-8) {
        std::printf("Task 4.1 not done: dx[%lld] (row %lld, column %lld) is %.6f, central differences say %.6f\n", (long long)i,
                    (long long)(i / k), (long long)(i % k), dx[i], numeric(x[i]));
        return 1;
      }
    for (int64_t i = 0; i < k * m; ++i)
      if (std::abs(dw[i] - numeric(w[i])) > 1e-8) {
        std::printf("Task 4.1 not done: dw[%lld] (row %lld, column %lld) is %.6f, central differences say %.6f\n", (long long)i,
                    (long long)(i / m), (long long)(i % m), dw[i], numeric(w[i]));
        return 1;
      }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 4.1 passed: matmul_backward is right\n");
  return 0;
}
