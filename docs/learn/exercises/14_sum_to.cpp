// Exercise 14.1 (docs/learn/14_broadcasting_and_jacobians.md): write the backward pass of broadcasting, then run
// `make exercise 14`. An operand of shape (1, C) was used by every row, one of shape (R, 1) by every column, a scalar
// by every element: its gradient is g summed over the rows, over the columns, or over everything. Make the result
// with Tensor<double>::zeros(shape) and read g with g.at(i, j); shape.rows() and shape.cols() are 1 where it stretched.
// Your copy: edit this file. The reference solution is docs/learn/solutions/14_sum_to.cpp (try first).
#include "docs/learn/exercises/14_sum_to.h"

#include <stdexcept>

tg::Tensor<double> my_sum_to(const tg::Tensor<double>& g, const tg::Shape& shape) {
  (void)g, (void)shape;
  throw std::logic_error("Task 14.1: my_sum_to is not written yet (docs/learn/exercises/14_sum_to.cpp)");
}
