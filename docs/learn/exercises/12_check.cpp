// The check of exercise 12.1, run by `make exercise 12` against your copy and by `make test` against the solution:
// log-mean-exp of log weights of the sizes a model gives, against values known in closed form: K equal weights give
// that weight; weights w and w + log 3 give w + log 2; and one image's K = 1000 log weights near -800 nats (where
// a naive e^w is 0 in double), against the same mean taken with the shift written out here.
#include <cmath>
#include <cstdio>
#include <exception>

#include "docs/learn/exercises/12_log_mean_exp.h"

int main() {
  try {
    struct Case {
      const char* what;
      std::vector<double> w;
      double want;
    };
    std::vector<double> many;
    double shifted = 0;
    for (int k = 0; k < 1000; ++k) many.push_back(-800.0 + 3.0 * std::sin(0.37 * k));
    for (double w : many) shifted += std::exp(w + 800.0) / 1000;
    const Case cases[] = {{"five equal weights of -2.5", {-2.5, -2.5, -2.5, -2.5, -2.5}, -2.5},
                          {"weights -10 and -10 + log 3", {-10.0, -10.0 + std::log(3.0)}, -10.0 + std::log(2.0)},
                          {"1000 log weights near -800 nats, as an MNIST image's", many, -800.0 + std::log(shifted)}};
    for (const Case& c : cases) {
      const double got = my_log_mean_exp(c.w);
      if (std::abs(got - c.want) <= 1e-9 * (1 + std::abs(c.want))) continue;
      std::printf("Task 12.1 not done: for %s you give %.10g, expected %.10g\n", c.what, got, c.want);
      if (std::isinf(got) && got < 0)
        std::printf("  hint: e^-800 is 0 in double, so the mean is 0 and its log -inf: take the largest weight out first\n");
      else if (std::abs(got - (c.want + std::log(double(c.w.size())))) < 1e-9 * (1 + std::abs(c.want)))
        std::printf("  hint: that is log of the sum: divide by K (the mean), i.e. subtract log K\n");
      return 1;
    }
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  std::printf("Task 12.1 passed: log-mean-exp is right, also for log weights near -800 nats\n");
  return 0;
}
