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
  tape.backward(y);  // gradients accumulate with +=: a second backward adds them again
  std::printf("after a second backward: dy/dx = %g   dy/dw = %g\n", x.grad().item(), w.grad().item());
  // [end backward]
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
