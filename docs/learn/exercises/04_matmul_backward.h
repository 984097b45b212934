// 04_matmul_backward.h: the function of exercise 4.1 (docs/learn/04_tensors_and_matmul.md).
#pragma once
#include <cstdint>
#include <vector>

/// The backward pass of y = x w for row-major x (n, k) and w (k, m), given dy (n, m) = dloss/dy:
/// writes dx (n, k) = dy w^T and dw (k, m) = x^T dy (both already sized; overwrite them).
void matmul_backward(const std::vector<double>& x, const std::vector<double>& w, const std::vector<double>& dy, int64_t n,
                     int64_t k, int64_t m, std::vector<double>& dx, std::vector<double>& dw);
