// gradcheck.cpp: builds a case's inputs, runs the tape backward, and compares with central differences.
// Read next: test_gradcheck.cpp, which turns every case into a gtest and checks the table covers every op.
#include "tests/gradcheck.h"

#include <cmath>
#include <map>
#include <sstream>

namespace tg::test {

namespace {

Shape parse_shape(const std::string& spec, std::map<char, int64_t>& dims, Rng& rng) {
  std::vector<int64_t> d;
  std::stringstream in(spec);
  std::string token;
  while (std::getline(in, token, ',')) {
    if (std::isdigit(static_cast<unsigned char>(token[0]))) {
      d.push_back(std::stoll(token));
    } else {
      char letter = token[0];
      if (!dims.count(letter)) dims[letter] = 2 + static_cast<int64_t>(rng.below(4));  // 2..5
      d.push_back(dims[letter]);
    }
  }
  if (d.empty()) return Shape{};
  if (d.size() == 1) return Shape{d[0]};
  return Shape{d[0], d[1]};
}

double draw(Domain domain, Rng& rng) {
  const double u = rng.uniform();
  switch (domain) {
    case Domain::Any: return -2 + 4 * u;
    case Domain::Positive: return 0.5 + 1.5 * u;
    case Domain::AwayFromZero: return (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + 1.8 * u);
    case Domain::Probability: return 0.05 + 0.9 * u;
    case Domain::MostlyZero: return rng.uniform() < 0.9 ? 0 : 0.1 + 0.9 * u;
  }
  return 0;
}

double weighted_sum(const Tensor<double>& y, const Tensor<double>& w) {
  double total = 0;
  for (int64_t i = 0; i < y.numel(); ++i) total += w[i] * y[i];
  return total;
}

}  // namespace

GradcheckResult run_gradcheck(const GradcheckCase& c, uint64_t seed) {
  Rng rng(seed);
  std::map<char, int64_t> dims;
  std::vector<Var<double>> inputs;
  for (size_t i = 0; i < c.shapes.size(); ++i) {
    Tensor<double> t(parse_shape(c.shapes[i], dims, rng));
    Domain domain = i < c.domains.size() ? c.domains[i] : Domain::Any;
    for (int64_t j = 0; j < t.numel(); ++j) t[j] = draw(domain, rng);
    inputs.emplace_back(t, true);
  }

  return compare_gradients([&] { return c.fn(inputs); }, inputs, rng, find_op(c.op));
}

GradcheckResult compare_gradients(const std::function<Var<double>()>& f, std::vector<Var<double>> leaves, Rng& rng,
                                  OpId own) {
  GradcheckResult result;
  result.recorded_own_op = own.index < 0;
  Tensor<double> w;
  {
    Tape<double> tape;
    Var<double> y = f();
    for (const Node<double>& node : tape.nodes()) result.recorded_own_op = result.recorded_own_op || node.op == own;
    w = Tensor<double>(y.shape());
    for (int64_t j = 0; j < w.numel(); ++j) w[j] = rng.normal();
    tape.backward(y, w);
  }

  NoGrad no_grad;
  for (size_t i = 0; i < leaves.size(); ++i) {
    Tensor<double>& x = leaves[i].value();
    const Tensor<double>& analytic = leaves[i].grad();
    for (int64_t j = 0; j < x.numel(); ++j) {
      const double saved = x[j];
      x[j] = saved + kGradcheckEps;
      const double plus = weighted_sum(f().value(), w);
      x[j] = saved - kGradcheckEps;
      const double minus = weighted_sum(f().value(), w);
      x[j] = saved;
      const double numeric = (plus - minus) / (2 * kGradcheckEps);
      const double a = analytic.defined() ? analytic[j] : 0.0;
      const double error = std::abs(a - numeric) / std::max({1.0, std::abs(a), std::abs(numeric)});
      ++result.elements_checked;
      if (!(error <= result.worst_error)) {  // also catches NaN
        result.worst_error = std::isnan(error) ? INFINITY : error;
        result.worst_where = fmt::format("input {}, element {}: analytic {:.10g}, numeric {:.10g}", i, j, a, numeric);
      }
    }
  }
  return result;
}

}  // namespace tg::test
