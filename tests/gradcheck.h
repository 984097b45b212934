// gradcheck.h: the case table's row type and the runner that turns a row into inputs for the public checker,
// autograd/gradcheck.h (whose comment gives the method, and why eps = 1e-6 and a tolerance of 1e-6 in double).
// Read next: gradcheck_cases.cpp.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"

namespace tg::test {

/// Where an input's values are drawn: away from poles and kinks, so central differences are valid.
enum class Domain {
  Any,            // uniform(-2, 2)
  Positive,       // uniform(0.5, 2): log, sqrt
  AwayFromZero,   // +-uniform(0.2, 2): relu's kink, div's pole
  Probability,    // uniform(0.05, 0.95): Bernoulli targets
  MostlyZero,     // like MNIST pixels: 0 nine times in ten, else uniform(0.1, 1); takes sparse.h's path in matmul.h
};

struct GradcheckCase {
  std::string op;                   // a name from all_ops(); the case must record this op on the tape
  std::string variant;              // "row_broadcast", "axis1_keepdim", ...
  std::vector<std::string> shapes;  // one per input, in shape letters: "B,D", "1,D", "D", "" (scalar)
  std::vector<Domain> domains;      // one per input (missing entries mean Any)
  std::function<Var<double>(const std::vector<Var<double>>&)> fn;
  std::string name() const { return op + (variant.empty() ? "" : "_" + variant); }
};

struct GradcheckResult {
  double worst_error = 0;      // max over all inputs and elements
  std::string worst_where;     // "input 1, element 3: analytic 0.1, numeric 0.2"
  bool recorded_own_op = false;
  int elements_checked = 0;
};

constexpr double kGradcheckEps = 1e-6;
constexpr double kGradcheckTolerance = 1e-6;

GradcheckResult run_gradcheck(const GradcheckCase& c, uint64_t seed);

/// The method itself, for any scalar type of graph: f() builds the output from `leaves` (inputs or a layer's
/// parameters, all requires_grad); every element of every leaf is checked. `own` (optional) is the op that
/// must appear on the tape.
GradcheckResult compare_gradients(const std::function<Var<double>()>& f, std::vector<Var<double>> leaves, Rng& rng,
                                  OpId own = OpId{});
const std::vector<GradcheckCase>& gradcheck_cases();  // the table, in gradcheck_cases.cpp

}  // namespace tg::test
