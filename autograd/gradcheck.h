// gradcheck.h: is this gradient right? Checks the tape's gradients of any function of Var<double>s against
// central differences, on every element of every input, in double precision — for your own op or model as much
// as for the library's (the library's table of op checks, tests/gradcheck_cases.cpp, is one client of this).
//
// Method: y = f(); L = sum(w * y) with random weights w (so a permuted or transposed output changes L);
// analytic gradients of L from Tape<double>::backward(y, w); numeric ones as (L(x + eps) - L(x - eps)) / (2 eps)
// for each element of each input. Error |a - n| / max(1, |a|, |n|), passing at <= tolerance. With eps = 1e-6,
// truncation is ~eps^2 f''' ~ 1e-12 and rounding ~1e-16 |L| / eps ~ 1e-10 |L|, so 1e-6 leaves a margin of ~1e4.
// In float, rounding alone would be ~1e-7 / eps: that is why gradients are checked in double.
// Read next: tests/gradcheck_cases.cpp (every op, one row each), docs/learn/05_checking_gradients.md.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "autograd/rng.h"
#include "autograd/var.h"

namespace tg {

struct GradcheckOptions {
  double eps = 1e-6;
  double tolerance = 1e-6;
  uint64_t seed = 1;  // for the weights w
};

struct GradcheckReport {
  bool ok = true;
  int elements_checked = 0;
  double worst_error = 0;
  // Where the worst error is:
  std::string input;
  int64_t element = -1;
  double analytic = 0, numeric = 0;
  std::vector<int> ops_recorded;  // the OpId indices f recorded on the tape, in order
  /// "ok: 6 elements, worst error 2.1e-11 at W[3] (analytic 0.5, numeric 0.5)" or "FAILED: ..."
  std::string summary() const;
};

using NamedInputs = std::vector<std::pair<std::string, Var<double>>>;

/// f builds the output from the inputs (each made with requires_grad = true). Changes no input.
GradcheckReport check_gradients(const std::function<Var<double>()>& f, const NamedInputs& inputs,
                                const GradcheckOptions& options = {});
/// The same, drawing w from the caller's generator.
GradcheckReport check_gradients(const std::function<Var<double>()>& f, const NamedInputs& inputs, Rng& rng,
                                const GradcheckOptions& options = {});

}  // namespace tg
