// Exercise 6.1 (docs/learn/06_your_own_op.md): write the Huber op below, as chapter 6 writes course_softplus
// (register_op once, a forward pass with map, a backward closure with zip), then run `make exercise 6`.
// Your copy: edit this file. The reference solution is docs/learn/solutions/06_huber.cpp (try first).
#include "docs/learn/exercises/06_huber.h"

#include <stdexcept>

tg::Var<double> huber(const tg::Var<double>& x) {
  (void)x;
  throw std::logic_error("Task 6.1: huber is not written yet (docs/learn/exercises/06_huber.cpp)");
}
