// The reference solution of exercise 15.1: a layer multiplies the mean square by n s^2 (the sum of n independent
// products), and the ReLU keeps half of it (a symmetric a is positive half the time, and then kept whole).
#include "docs/learn/exercises/15_relu_gain.h"

double my_relu_gain(double s, int64_t n) { return double(n) * s * s / 2; }
