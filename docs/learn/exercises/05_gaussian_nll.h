// 05_gaussian_nll.h: the op of exercise 5.1 (docs/learn/05_checking_gradients.md).
#pragma once
#include "autograd/autograd.h"

/// The negative log-density of x under N(mu, e^logvar), elementwise, without the constant log(2 pi) / 2:
///   f = (logvar + (x - mu)^2 e^-logvar) / 2
/// (a Gaussian decoder's loss per pixel, as in the semi-supervised M1+M2). Three inputs of one shape.
tg::Var<double> gaussian_nll(const tg::Var<double>& x, const tg::Var<double>& mu, const tg::Var<double>& logvar);
