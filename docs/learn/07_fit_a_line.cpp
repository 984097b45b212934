// 07_fit_a_line.cpp: chapter 7 of the course (07_fit_a_line.md). The smallest training loop: fit y = w x + b to
// twenty noisy points by gradient descent on the mean squared error, with the tape computing the gradient, and
// compare the answer with least squares solved exactly. Run it with `make chapter 7`.
#include <cmath>
#include <cstdio>

#include "autograd/autograd.h"

using namespace tg;

int main() {
  // [begin data]
  // Twenty points on y = 3 x - 2, each pushed off the line by a fixed, irregular amount (a sine: no RNG needed).
  const int64_t N = 20;
  Tensor<double> xs(Shape{N, 1}), ys(Shape{N, 1});
  for (int64_t i = 0; i < N; ++i) {
    xs[i] = -1.0 + 2.0 * double(i) / double(N - 1);
    ys[i] = 3.0 * xs[i] - 2.0 + 0.3 * std::sin(7.0 * double(i));
  }
  Var<double> x(xs), y(ys);
  // [end data]
  // [begin loop]
  Var<double> w(Tensor<double>::scalar(0.0), true), b(Tensor<double>::scalar(0.0), true);
  const double lr = 0.2;
  for (int step = 0; step <= 200; ++step) {
    Tape<double> tape;                                     // a fresh tape for each step
    Var<double> loss = mean(square(x * w + b - y));        // mean squared error over the twenty points
    tape.backward(loss);                                   // dloss/dw and dloss/db
    if (step % 50 == 0)
      std::printf("step %3d  loss %.6f  w %.6f  b %.6f\n", step, loss.item(), w.value().item(), b.value().item());
    for (Var<double>* p : {&w, &b}) {                      // gradient descent: p <- p - lr dloss/dp
      p->value()[0] -= lr * p->grad()[0];
      p->zero_grad();
    }
  }
  // [end loop]
  // [begin exact]
  // Least squares in closed form: w = cov(x, y) / var(x), b = mean(y) - w mean(x).
  double mx = 0, my = 0, sxy = 0, sxx = 0;
  for (int64_t i = 0; i < N; ++i) mx += xs[i] / double(N), my += ys[i] / double(N);
  for (int64_t i = 0; i < N; ++i) sxy += (xs[i] - mx) * (ys[i] - my), sxx += (xs[i] - mx) * (xs[i] - mx);
  std::printf("least squares:  w %.6f  b %.6f\n", sxy / sxx, my - sxy / sxx * mx);
  // [end exact]
  return 0;
}
