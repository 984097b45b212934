// 01_derivatives.cpp: chapter 1 of the course (01_derivatives.md). A derivative measured with numbers only:
// forward and central differences of sin at x = 1 against the exact cos(1), for step sizes from 0.1 down to
// 1e-12, in double and in float. Run it with `make chapter 1`.
#include <cmath>
#include <cstdio>
#include <functional>

// [begin differences]
// f'(x) ~ (f(x + h) - f(x)) / h: the error is about h/2 |f''(x)| (Taylor's next term), plus rounding.
double forward_difference(const std::function<double(double)>& f, double x, double h) {
  return (f(x + h) - f(x)) / h;
}
// f'(x) ~ (f(x + h) - f(x - h)) / 2h: the h^2 terms cancel, so the error is about h^2/6 |f'''(x)|, plus rounding.
double central_difference(const std::function<double(double)>& f, double x, double h) {
  return (f(x + h) - f(x - h)) / (2 * h);
}
// [end differences]

int main() {
  // [begin table]
  const double x = 1.0, exact = std::cos(1.0);
  auto f = [](double v) { return std::sin(v); };
  std::printf("%8s  %14s  %14s\n", "h", "forward error", "central error");
  for (double h = 1e-1; h > 1e-13; h /= 10)
    std::printf("%8.0e  %14.2e  %14.2e\n", h, std::abs(forward_difference(f, x, h) - exact),
                std::abs(central_difference(f, x, h) - exact));
  // [end table]
  // [begin float]
  // The same central difference in float: rounding (about 6e-8 relative) divided by h swamps everything.
  std::printf("\nin float:\n%8s  %14s\n", "h", "central error");
  for (float h = 1e-1f; h > 1e-6f; h /= 10) {
    const float d = (std::sin(1.0f + h) - std::sin(1.0f - h)) / (2 * h);
    std::printf("%8.0e  %14.2e\n", double(h), std::abs(double(d) - exact));
  }
  // [end float]
}
