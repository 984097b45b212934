// The reference solution of exercise 8.1: XOR as "OR and not AND", three lines' worth of weights.
#include "docs/learn/exercises/08_xor_by_hand.h"

XorWeights my_xor_weights() {
  XorWeights w;
  w.w11 = 1, w.w12 = 1, w.c1 = -0.5;  // OR: x1 + x2 > 0.5
  w.w21 = 1, w.w22 = 1, w.c2 = -1.5;  // AND: x1 + x2 > 1.5
  w.v1 = 1, w.v2 = -1, w.d = -0.5;    // OR and not AND: h1 - h2 > 0.5
  return w;
}
