// 03_the_tape.cpp: chapter 3 of the course (03_the_tape.md). What the tape records and how backward walks it:
// the nodes in recording order, a value used twice, backward twice, NoGrad, and the graph as Graphviz DOT.
// Run it with `make chapter 3` (it writes tape.dot; `dot -Tsvg tape.dot -o tape.svg` draws it).
#include <cstdio>

#include "autograd/autograd.h"
#include "autograd/dot.h"
#include "io/atomic_file.h"

using namespace tg;

int main() {
  // [begin record]
  Var<double> x(Tensor<double>::scalar(3.0), true), w(Tensor<double>::scalar(2.0), true);
  Tape<double> tape;
  Var<double> u = x * w;         // node 0
  Var<double> y = u * u + x;     // nodes 1 (u * u: u is used twice) and 2 (+ x)
  for (size_t i = 0; i < tape.nodes().size(); ++i)
    std::printf("node %zu: %-4s -> %g\n", i, op_name(tape.nodes()[i].op).c_str(), tape.nodes()[i].output.item());
  // [end record]
  // [begin backward]
  tape.backward(y);  // dy/dx = 2 u w + 1 = 25,  dy/dw = 2 u x = 36
  std::printf("dy/dx = %g   dy/dw = %g\n", x.grad().item(), w.grad().item());
  // [end backward]
  // [begin by_hand]
  // The same walk by hand, in plain doubles: each node, from the last, receives dy/d(its output) and hands each
  // input that times the local derivative; an input used twice (u) or by two nodes (x) adds both.
  const double xv = x.value().item(), wv = w.value().item(), uv = xv * wv;
  const double dy_dy = 1.0;
  const double dy_dv = dy_dy * 1.0, dx_from_add = dy_dy * 1.0;  // node 2: y = v + x, v = u * u
  const double dy_du = dy_dv * uv + dy_dv * uv;                   // node 1: v = u * u, u in both slots
  const double dx_from_mul = dy_du * wv, dy_dw = dy_du * xv;      // node 0: u = x * w
  std::printf("by hand, from the last node:\n");
  std::printf("  node 2  y = v + x   receives dy/dy = %g   gives v %g, x %g\n", dy_dy, dy_dv, dx_from_add);
  std::printf("  node 1  v = u * u   receives dy/dv = %g   gives u %g + %g = %g\n", dy_dv, dy_dv * uv, dy_dv * uv, dy_du);
  std::printf("  node 0  u = x * w   receives dy/du = %g  gives x %g, w %g\n", dy_du, dx_from_mul, dy_dw);
  std::printf("  leaves  dy/dx = %g + %g = %g   dy/dw = %g   (the tape's: %g and %g)\n", dx_from_add, dx_from_mul,
              dx_from_add + dx_from_mul, dy_dw, x.grad().item(), w.grad().item());
  // [end by_hand]
  // [begin again]
  tape.backward(y);  // gradients accumulate with +=: a second backward adds them again
  std::printf("after a second backward: dy/dx = %g   dy/dw = %g\n", x.grad().item(), w.grad().item());
  // [end again]
  // [begin nograd]
  {
    NoGrad no_grad;  // evaluation: nothing is recorded
    Var<double> z = x * w * 10.0;
    std::printf("inside NoGrad: z = %g, still %zu nodes\n", z.item(), tape.nodes().size());
  }
  // [end nograd]
  // [begin dot]
  io::write_file_atomically("tape.dot", to_dot(tape, {{"x", x}, {"w", w}}));
  std::printf("wrote tape.dot (%zu nodes)\n", tape.nodes().size());
  // [end dot]
}
