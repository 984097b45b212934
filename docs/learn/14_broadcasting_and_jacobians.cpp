// 14_broadcasting_and_jacobians.cpp: chapter 14 of the course (14_broadcasting_and_jacobians.md). The general
// broadcasting rule and its backward (the gradient summed over every stretched axis), an outer product made by
// broadcasting, and what backward computes when the output is not a scalar: a vector-Jacobian product, one row of
// the Jacobian per pass, measured against the softmax's Jacobian written out and against central differences.
// Run it with `make chapter 14`.
#include <cmath>
#include <cstdio>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/gradcheck.h"

using namespace tg;

void print(const char* name, const Tensor<double>& t) { fmt::print("{} {}: {}\n", name, to_string(t.shape()), t); }

// softmax of a row of scores (axis 1), as the library's ops compute it (exp of log_softmax): a vector output.
Var<double> softmax(const Var<double>& x) { return exp(log_softmax(x, 1)); }

int main() {
  // [begin shapes]
  // The rule: align the shapes from the right; each dimension must be equal, or 1 (which stretches). A vector of
  // n is a row (1, n) and a scalar is (1, 1) for this purpose.
  const std::vector<std::pair<Shape, Shape>> pairs = {{Shape{4, 3}, Shape{1, 3}}, {Shape{4, 3}, Shape{3}},
                                                      {Shape{4, 3}, Shape{4, 1}}, {Shape{4, 3}, Shape{}},
                                                      {Shape{4, 1}, Shape{1, 3}}, {Shape{4, 3}, Shape{2, 3}}};
  for (const auto& [a, b] : pairs) {
    try {
      std::printf("%-6s with %-6s -> %s\n", to_string(a).c_str(), to_string(b).c_str(), to_string(broadcast_shape(a, b, "add")).c_str());
    } catch (const std::exception& e) {
      std::printf("%-6s with %-6s -> %s\n", to_string(a).c_str(), to_string(b).c_str(), e.what());
    }
  }
  // [end shapes]

  // [begin sum_to]
  // L = sum(w * (x + b)): dL/d(x + b) = w, a (4, 3) upstream gradient. b of each shape is used once per element it
  // was stretched over, so its gradient is w summed over the stretched axes.
  const Tensor<double> x = Tensor<double>::from(Shape{4, 3}, {1, 2, 0, -1, 0, 3, 2, 1, 1, 0, -2, 1});
  const Tensor<double> w = Tensor<double>::from(Shape{4, 3}, {0.5, -1, 2, 0.25, -0.5, 1, 1.5, 0, -2, 1, 1, 1});
  for (const Shape& shape : {Shape{1, 3}, Shape{4, 1}, Shape{}}) {
    Var<double> b(Tensor<double>::zeros(shape), true);
    Tape<double> tape;
    tape.backward(sum(Var<double>(w) * (Var<double>(x) + b)));
    fmt::print("b {}: db = {}", to_string(shape), b.grad());
    const GradcheckReport r = check_gradients([&] { return sum(Var<double>(w) * (Var<double>(x) + b)); }, {{"b", b}});
    std::printf("   checker: %s\n", r.ok ? "ok" : "FAILED");
  }
  // [end sum_to]

  // [begin outer]
  // Both operands stretched: u (4, 1) times v (1, 3) is the (4, 3) outer product, y_ij = u_i v_j. Backward sums
  // dy_ij v_j over j for u, and dy_ij u_i over i for v: the products dy v^T and u^T dy of chapter 4.
  Var<double> u(Tensor<double>::from(Shape{4, 1}, {1, -2, 0.5, 3}), true);
  Var<double> v(Tensor<double>::from(Shape{1, 3}, {2, 0.5, -1}), true);
  Tape<double> tape;
  Var<double> outer = u * v;
  tape.backward(sum(Var<double>(w) * outer));
  print("u * v", outer.value());
  print("du", u.grad());
  print("dv", v.grad());
  const GradcheckReport r = check_gradients([&] { return sum(Var<double>(w) * (u * v)); }, {{"u", u}, {"v", v}});
  std::printf("checker: %s, %d elements\n", r.ok ? "ok" : "FAILED", r.elements_checked);
  // [end outer]

  // [begin jacobian]
  // y = softmax(s): four outputs. backward needs a scalar, so it is given sum(c * y) for a c of our choosing and
  // returns c^T J, where J_ik = dy_i / ds_k. With c = e_i (1 at i, 0 elsewhere) that is row i of J.
  const Tensor<double> scores = Tensor<double>::from(Shape{1, 4}, {1.0, -0.5, 2.0, 0.0});
  Tensor<double> J(Shape{4, 4});
  for (int64_t i = 0; i < 4; ++i) {
    Var<double> s(scores.clone(), true);
    Tensor<double> c = Tensor<double>::zeros(Shape{1, 4});
    c[i] = 1;
    Tape<double> pass;
    pass.backward(sum(Var<double>(c) * softmax(s)));
    for (int64_t k = 0; k < 4; ++k) J.at(i, k) = s.grad()[k];
  }
  print("J by 4 backward passes", J);
  // Written out: dy_i / ds_k = p_i ([i == k] - p_k). Column k by central differences: (y(s + h e_k) - y(s - h e_k)) / 2h.
  NoGrad no_grad;
  const Tensor<double> p = softmax(Var<double>(scores)).value();
  double worst_formula = 0, worst_central = 0;
  const double h = 1e-5;
  for (int64_t k = 0; k < 4; ++k) {
    Tensor<double> up = scores.clone(), down = scores.clone();
    up[k] += h, down[k] -= h;
    const Tensor<double> yu = softmax(Var<double>(up)).value(), yd = softmax(Var<double>(down)).value();
    for (int64_t i = 0; i < 4; ++i) {
      worst_formula = std::max(worst_formula, std::abs(J.at(i, k) - p[i] * ((i == k ? 1.0 : 0.0) - p[k])));
      worst_central = std::max(worst_central, std::abs(J.at(i, k) - (yu[i] - yd[i]) / (2 * h)));
    }
  }
  std::printf("largest difference from the formula: %.1e, from central differences: %.1e\n", worst_formula, worst_central);
  // [end jacobian]

  // [begin vjp]
  // A loss of y needs only c = dL/dy and one pass: for L = -log y_2, c = (0, 0, -1 / p_2, 0), and c^T J is
  // chapter 13's softmax - onehot. The Jacobian is never formed; each op's closure maps its c (its dy) to its
  // inputs' c^T J.
  double vjp[4] = {0, 0, 0, 0};
  for (int64_t k = 0; k < 4; ++k) vjp[k] = (-1 / p[2]) * J.at(2, k);
  std::printf("c^T J for L = -log y_2: ");
  for (int64_t k = 0; k < 4; ++k) std::printf("%10.6f", vjp[k]);
  std::printf("\nsoftmax - onehot:       ");
  for (int64_t k = 0; k < 4; ++k) std::printf("%10.6f", p[k] - (k == 2 ? 1.0 : 0.0));
  std::printf("\n");
  // [end vjp]
  return 0;
}
