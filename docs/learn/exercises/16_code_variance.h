// 16_code_variance.h: the function of exercise 16.1 (docs/learn/16_posterior_collapse.md).
#pragma once
#include <vector>

#include "autograd/autograd.h"

/// For codes' means mu (N images x Z dimensions): for each dimension j, how much its mean moves over the images,
/// Var_x mu_j(x) = (1/N) sum_i (mu_ij - m_j)^2 with m_j the dimension's mean over the images. Z numbers.
std::vector<double> my_code_variances(const tg::Tensor<float>& mu);
