// 03_toy_tape.h: the toy tape of exercise 3.1 (docs/learn/03_the_tape.md). The library's tape in about sixty lines,
// for scalars: each operation appends a node that remembers its inputs and its local derivatives, so the tape is
// a list in the order things were computed. Everything is written here except the reverse loop.
#pragma once
#include <cmath>
#include <vector>

struct ToyTape {
  struct Node {
    double value = 0, grad = 0;  // grad: d(output)/d(this node), filled in by backward
    int a = -1, b = -1;          // the nodes this one was computed from (-1: none)
    double da = 0, db = 0;       // local derivatives: d(this)/d(a) and d(this)/d(b)
  };
  std::vector<Node> nodes;

  int leaf(double value) { return push({value, 0, -1, -1, 0, 0}); }
  int add(int a, int b) { return push({v(a) + v(b), 0, a, b, 1, 1}); }
  int mul(int a, int b) { return push({v(a) * v(b), 0, a, b, v(b), v(a)}); }
  int tanh(int a) {
    const double t = std::tanh(v(a));
    return push({t, 0, a, -1, 1 - t * t, 0});
  }
  double v(int i) const { return nodes[static_cast<size_t>(i)].value; }
  double grad(int i) const { return nodes[static_cast<size_t>(i)].grad; }

  /// Fills in grad for every node, as d(nodes[output]) / d(node), starting every grad from zero (the library's
  /// tape instead adds into the leaves' gradients). Exercise 3.1: write it (03_toy_tape.cpp).
  void backward(int output);

 private:
  int push(const Node& n) {
    nodes.push_back(n);
    return static_cast<int>(nodes.size()) - 1;
  }
};
