// 08_xor_by_hand.h: the weights of exercise 8.1 (docs/learn/08_logistic_regression_and_xor.md).
#pragma once

/// A network with two inputs, two hidden units and one output, every unit a step: h_j = [w_j1 x1 + w_j2 x2 + c_j > 0],
/// out = [v1 h1 + v2 h2 + d > 0]. Chosen by hand, not trained.
struct XorWeights {
  double w11 = 0, w12 = 0, c1 = 0;  // hidden unit 1
  double w21 = 0, w22 = 0, c2 = 0;  // hidden unit 2
  double v1 = 0, v2 = 0, d = 0;     // the output
};

/// Weights with which the network computes XOR: out = 1 for (0, 1) and (1, 0), 0 for (0, 0) and (1, 1).
XorWeights my_xor_weights();
