// 02_reverse_by_hand.h: the function of exercise 2.1 (docs/learn/02_chain_rule.md).
#pragma once

struct Gradient2 {
  double dx = 0, dy = 0;
};

/// For f(x, y) = (x y + e^x)^2, computed in steps as a = x y, b = e^x, c = a + b, f = c c: the derivatives
/// df/dx and df/dy, by walking those steps backwards as the tape does (no tape, no finite differences).
Gradient2 my_reverse_pass(double x, double y);
