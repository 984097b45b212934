// 09_adam.h: the function of exercise 9.1 (docs/learn/09_optimizers.md).
#pragma once
#include <vector>

/// One Adam step (Kingma & Ba 2015, Algorithm 1) on the parameters p, given their gradient g. m and v are the
/// running first and second moments, one entry per parameter, zero before the first step; t is the number of this
/// step, 1 for the first. Updates m, v and p in place.
void my_adam_step(std::vector<double>& p, const std::vector<double>& g, std::vector<double>& m, std::vector<double>& v, int t,
                  double lr, double beta1, double beta2, double eps);
