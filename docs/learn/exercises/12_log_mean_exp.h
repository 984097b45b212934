// 12_log_mean_exp.h: the function of exercise 12.1 (docs/learn/12_training_a_vae.md).
#pragma once
#include <vector>

/// log((1/K) sum_k e^(w_k)) for the K log weights w_k = log p(x, z_k) - log q(z_k|x) of one image: the
/// importance-weighted estimate of log p(x). Finite for log weights of any size a model produces (-500 nats, say).
double my_log_mean_exp(const std::vector<double>& log_weights);
