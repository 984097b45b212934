// 01_central_difference.h: the function of exercise 1.1 (docs/learn/01_derivatives.md).
#pragma once
#include <functional>

/// The central difference (f(x + h) - f(x - h)) / 2h, an estimate of f'(x) with error O(h^2).
double central_difference(const std::function<double(double)>& f, double x, double h);
