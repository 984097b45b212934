// The reference solution of exercise 3.1 (docs/learn/03_the_tape.md). Try it yourself first.
#include "docs/learn/exercises/03_toy_tape.h"

void ToyTape::backward(int output) {
  for (Node& n : nodes) n.grad = 0;
  nodes[static_cast<size_t>(output)].grad = 1;  // d(output)/d(output)
  // The recording order is a topological order, so walking it backwards reaches every node after all the nodes
  // computed from it: its grad is complete when its turn comes. Each node passes grad x its local derivative to
  // its inputs, with += because an input used twice collects from both uses.
  for (int i = output; i >= 0; --i) {
    const Node& n = nodes[static_cast<size_t>(i)];
    if (n.a >= 0) nodes[static_cast<size_t>(n.a)].grad += n.grad * n.da;
    if (n.b >= 0) nodes[static_cast<size_t>(n.b)].grad += n.grad * n.db;
  }
}
