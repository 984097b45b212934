// Exercise 3.1 (docs/learn/03_the_tape.md): write ToyTape::backward below, then run `make exercise 3`.
// Your copy: edit this file. The reference solution is docs/learn/solutions/03_toy_tape.cpp (try first).
#include "docs/learn/exercises/03_toy_tape.h"

#include <stdexcept>

void ToyTape::backward(int output) {
  (void)output;
  throw std::logic_error("Task 3.1: ToyTape::backward is not written yet (docs/learn/exercises/03_toy_tape.cpp)");
}
