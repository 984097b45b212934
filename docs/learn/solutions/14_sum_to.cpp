// The reference solution of exercise 14.1: the gradient of a broadcast operand, summed over the stretched axes.
#include "docs/learn/exercises/14_sum_to.h"

using namespace tg;

Tensor<double> my_sum_to(const Tensor<double>& g, const Shape& shape) {
  Tensor<double> out = Tensor<double>::zeros(shape);
  const bool one_row = shape.rows() == 1, one_column = shape.cols() == 1;  // the axes that were stretched
  for (int64_t i = 0; i < g.rows(); ++i)
    for (int64_t j = 0; j < g.cols(); ++j) out[(one_row ? 0 : i) * shape.cols() + (one_column ? 0 : j)] += g.at(i, j);
  return out;
}
