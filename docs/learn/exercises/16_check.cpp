// The check of exercise 16.1, run by `make exercise 16` against your copy and by `make test` against the solution:
// codes of four images in three dimensions whose variances are known (1, 0 and 0.09: the middle one sits at 0.1
// without moving, the prior's dead dimension shifted), then the chapter's criterion applied to your numbers. Each
// usual mistake gets its own hint: a variance over one image's code instead of over the images, dividing by N - 1,
// the standard deviation, or forgetting to subtract the mean.
#include <cmath>
#include <cstdio>
#include <exception>
#include <vector>

#include "autograd/autograd.h"
#include "docs/learn/exercises/16_code_variance.h"

using namespace tg;

int main() {
  const Tensor<float> mu = Tensor<float>::from(Shape{4, 3}, {1, 0.1f, 0.3f, -1, 0.1f, -0.3f, 1, 0.1f, 0.3f, -1, 0.1f, -0.3f});
  const std::vector<double> want = {1, 0, 0.09};
  std::vector<double> got;
  try {
    got = my_code_variances(mu);
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
  auto all = [&](auto expected) {
    if (got.size() != want.size()) return false;
    for (size_t j = 0; j < want.size(); ++j)
      if (std::abs(got[j] - expected(want[j], j)) > 1e-6) return false;
    return true;
  };
  if (all([](double v, size_t) { return v; })) {
    int active = 0;
    for (double v : got) active += v > 0.01;
    std::printf("Task 16.1 passed: variances 1, 0 and 0.09; %d of the 3 dimensions are active (the middle one sits still)\n", active);
    return 0;
  }
  std::printf("Task 16.1 not done: expected the variances 1 0 0.09 (one per dimension), got");
  for (double v : got) std::printf(" %.6g", v);
  std::printf("\n");
  if (got.size() == 4)
    std::printf("  hint: that is one number per image; the variance is over the images, for each dimension (each column)\n");
  else if (all([](double v, size_t) { return v * 4 / 3; }))
    std::printf("  hint: divide by N, the number of images, as the chapter's measure does (N - 1 is another estimator)\n");
  else if (all([](double v, size_t) { return std::sqrt(v); }))
    std::printf("  hint: that is the standard deviation; the criterion is on the variance (std > 0.1 is variance > 0.01)\n");
  else if (all([](double v, size_t j) { return j == 1 ? 0.01 : v; }))
    std::printf("  hint: subtract each dimension's mean first: a code can sit away from 0 without moving\n");
  return 1;
}
