// gradcheck.cpp: one backward pass for the analytic gradients, two forward passes per element for the numeric ones.
#include "autograd/gradcheck.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "autograd/tape.h"

namespace tg {

namespace {
double weighted_sum(const Tensor<double>& y, const Tensor<double>& w) {
  double total = 0;
  for (int64_t i = 0; i < y.numel(); ++i) total += w[i] * y[i];
  return total;
}
}  // namespace

std::string GradcheckReport::summary() const {
  std::string where = element < 0 ? "" : fmt::format(" at {}[{}] (analytic {:.10g}, numeric {:.10g})", input, element, analytic, numeric);
  return fmt::format("{}: {} elements, worst error {:.2g}{}", ok ? "ok" : "FAILED", elements_checked, worst_error, where);
}

GradcheckReport check_gradients(const std::function<Var<double>()>& f, const NamedInputs& inputs,
                                const GradcheckOptions& options) {
  Rng rng(options.seed);
  return check_gradients(f, inputs, rng, options);
}

GradcheckReport check_gradients(const std::function<Var<double>()>& f, const NamedInputs& inputs, Rng& rng,
                                const GradcheckOptions& options) {
  GradcheckReport report;
  for (const auto& [name, x] : inputs)
    require(x.requires_grad(), "check_gradients: input {} was made without requires_grad = true", name);
  Tensor<double> w;
  std::vector<Tensor<double>> analytic;
  {
    for (auto [name, x] : inputs) x.zero_grad();  // a copy of the handle: clears the input's own gradient
    Tape<double> tape;
    Var<double> y = f();
    for (const Node<double>& node : tape.nodes()) report.ops_recorded.push_back(node.op.index);
    w = Tensor<double>(y.shape());
    for (int64_t j = 0; j < w.numel(); ++j) w[j] = rng.normal();
    tape.backward(y, w);
    for (const auto& [name, x] : inputs) analytic.push_back(x.grad());
  }
  NoGrad no_grad;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Var<double> leaf = inputs[i].second;  // shares the input's storage: perturb in place, then restore
    Tensor<double>& x = leaf.value();
    for (int64_t j = 0; j < x.numel(); ++j) {
      const double saved = x[j];
      x[j] = saved + options.eps;
      const double plus = weighted_sum(f().value(), w);
      x[j] = saved - options.eps;
      const double minus = weighted_sum(f().value(), w);
      x[j] = saved;
      const double numeric = (plus - minus) / (2 * options.eps);
      const double a = analytic[i].defined() ? analytic[i][j] : 0.0;  // no gradient at all: the input was unused
      const double error = std::abs(a - numeric) / std::max({1.0, std::abs(a), std::abs(numeric)});
      ++report.elements_checked;
      if (!(error <= report.worst_error)) {  // also catches NaN
        report.worst_error = std::isnan(error) ? INFINITY : error;
        report.input = inputs[i].first, report.element = j, report.analytic = a, report.numeric = numeric;
      }
    }
  }
  report.ok = report.worst_error <= options.tolerance;
  return report;
}

}  // namespace tg
