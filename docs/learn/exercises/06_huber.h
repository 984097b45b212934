// 06_huber.h: the op of exercise 6.1 (docs/learn/06_your_own_op.md).
#pragma once
#include "autograd/autograd.h"

/// The Huber function, elementwise, with delta = 1: x^2 / 2 where |x| <= 1, |x| - 1/2 elsewhere. Quadratic near 0,
/// linear far out: a squared error that outliers cannot dominate. Its derivative is x, clamped to [-1, 1].
tg::Var<double> huber(const tg::Var<double>& x);
