// 14_sum_to.h: the function of exercise 14.1 (docs/learn/14_broadcasting_and_jacobians.md).
#pragma once
#include "autograd/autograd.h"

/// g: the upstream gradient of a broadcast result, (R, C). shape: the shape an operand had before it was broadcast
/// to (R, C): (1, C), (R, 1) or a scalar (). Returns g summed over the axes that were stretched, in that shape.
tg::Tensor<double> my_sum_to(const tg::Tensor<double>& g, const tg::Shape& shape);
