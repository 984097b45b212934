// 04_tensors_and_matmul.cpp: chapter 4 of the course (04_tensors_and_matmul.md). A layer y = x W + b on a batch:
// tensors and their shapes, b broadcast over the rows, and matmul's gradient — from the tape, from the formulas
// dW = x^T dy, dx = dy W^T, db = the column sums of dy written as plain loops, and from the checker.
// Run it with `make chapter 4`.
#include <cmath>
#include <cstdio>

#include "autograd/autograd.h"
#include "autograd/gradcheck.h"

using namespace tg;

// A tensor's name, shape and values: the library's Tensors print with fmt (autograd/print.h).
void print(const char* name, const Tensor<double>& t) { fmt::print("{} {}: {}\n", name, to_string(t.shape()), t); }

int main() {
  // [begin forward]
  // A batch of 4 examples with 3 features each, and a layer with 2 outputs.
  Var<double> x(Tensor<double>::from(Shape{4, 3}, {1, 2, 0, -1, 0, 3, 2, 1, 1, 0, -2, 1}));
  Var<double> W(Tensor<double>::from(Shape{3, 2}, {0.5, -1, 2, 0.25, -0.5, 1}), true);
  Var<double> b(Tensor<double>::from(Shape{1, 2}, {0.1, -0.2}), true);
  Tape<double> tape;
  Var<double> y = matmul(x, W) + b;    // (4, 2): b's one row is added to each of the 4 rows
  Var<double> loss = sum(y * y) * 0.5;  // dloss/dy = y
  print("y", y.value());
  // [end forward]
  // [begin backward]
  tape.backward(loss);
  print("dW", W.grad());
  print("db", b.grad());
  // [end backward]
  // [begin by_hand]
  // The same gradients from the formulas, as loops: dy = y (4, 2); dW = x^T dy (3, 2); db = sum over rows of dy.
  const Tensor<double>& dy = y.value();
  double worst = 0;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j) {
      double dW_ij = 0;
      for (int64_t n = 0; n < 4; ++n) dW_ij += x.value().at(n, i) * dy.at(n, j);
      worst = std::max(worst, std::abs(dW_ij - W.grad().at(i, j)));
    }
  for (int64_t j = 0; j < 2; ++j) {
    double db_j = 0;
    for (int64_t n = 0; n < 4; ++n) db_j += dy.at(n, j);
    worst = std::max(worst, std::abs(db_j - b.grad().at(0, j)));
  }
  std::printf("the tape and the loops agree to 1e-12: %s\n", worst < 1e-12 ? "yes" : "no");
  // [end by_hand]
  // [begin check]
  const GradcheckReport r = check_gradients([&] { return sum(square(matmul(x, W) + b)) * 0.5; }, {{"W", W}, {"b", b}});
  std::printf("checker: %s\n", r.ok ? "ok" : "FAILED");
  std::printf("elements checked: %d\n", r.elements_checked);
  // [end check]
  return 0;
}
