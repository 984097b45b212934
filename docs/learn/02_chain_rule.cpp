// 02_chain_rule.cpp: chapter 2 of the course (02_chain_rule.md). micrograd's README expression, computed three
// ways: its value and gradients by the tape (reverse mode), and the gradients again by central differences.
// It prints micrograd's numbers: 24.7041, 138.8338, 645.5773. Run it with `make chapter 2`.
#include <cstdio>
#include <functional>

#include "autograd/autograd.h"

using namespace tg;

// [begin expression]
// micrograd's README example, line for line. Any T works: Var<double> records on the tape, double just computes.
template <typename V>
V micrograd_example(V a, V b, const std::function<V(V)>& relu_of, V* e_out = nullptr) {
  V c = a + b;
  V d = a * b + b * b * b;
  c = c + (c + 1.0);
  c = c + (1.0 + c + (-a));
  d = d + (d * 2.0 + relu_of(b + a));
  d = d + (3.0 * d + relu_of(b - a));
  V e = c - d;
  if (e_out) *e_out = e;  // for the line traced by hand on the page
  V f = e * e;
  V g = f / 2.0;
  g = g + 10.0 / f;
  return g;
}
// [end expression]

int main() {
  // [begin tape]
  Var<double> a(Tensor<double>::scalar(-4.0), true), b(Tensor<double>::scalar(2.0), true);
  Tape<double> tape;
  Var<double> g = micrograd_example<Var<double>>(a, b, [](Var<double> v) { return relu(v); });
  tape.backward(g);  // one pass backwards through the recorded nodes gives both partial derivatives
  std::printf("g = %.4f   dg/da = %.4f   dg/db = %.4f   (%zu nodes on the tape)\n", g.item(), a.grad().item(),
              b.grad().item(), tape.nodes().size());
  // [end tape]
  // [begin numeric]
  // The same derivatives by central differences on the plain-double version: two evaluations per input.
  auto plain = [](double x, double y) { return micrograd_example<double>(x, y, [](double v) { return v > 0 ? v : 0; }); };
  const double h = 1e-6;
  std::printf("numeric:       dg/da = %.4f   dg/db = %.4f\n", (plain(-4 + h, 2) - plain(-4 - h, 2)) / (2 * h),
              (plain(-4, 2 + h) - plain(-4, 2 - h)) / (2 * h));
  // [end numeric]
  // [begin by_hand]
  // The line the page traces by hand: e at a = -4, b = 2, then the chain rule through f = e * e and g = f / 2.
  double e = 0;
  micrograd_example<double>(-4, 2, [](double v) { return v > 0 ? v : 0; }, &e);
  std::printf("by hand:       e = %g   f = e * e = %g   df/de = 2 e = %g   dg/de = 1/2 * df/de = %g\n", e, e * e, 2 * e, 0.5 * 2 * e);
  // [end by_hand]
}
