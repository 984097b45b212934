// 15_relu_gain.h: the function of exercise 15.1 (docs/learn/15_initialisation.md).
#pragma once
#include <cstdint>

/// The factor by which one layer h_out = relu(h_in W) multiplies the mean square of its inputs, when W is n x n with
/// entries drawn from N(0, s^2): E[h_out^2] = gain x E[h_in^2]. Derived, not measured.
double my_relu_gain(double s, int64_t n);
