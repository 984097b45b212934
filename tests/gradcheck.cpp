// gradcheck.cpp: builds a case's inputs and hands them to the public checker (autograd/gradcheck.h).
// Read next: test_gradcheck.cpp, which turns every case into a gtest and checks the table covers every op.
#include "tests/gradcheck.h"

#include "autograd/gradcheck.h"

#include <algorithm>
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
  NamedInputs inputs;
  for (size_t i = 0; i < leaves.size(); ++i) inputs.emplace_back(fmt::format("input {}", i), leaves[i]);
  const GradcheckReport r = check_gradients(f, inputs, rng, {kGradcheckEps, kGradcheckTolerance});
  GradcheckResult result;
  result.worst_error = r.worst_error;
  result.elements_checked = r.elements_checked;
  result.recorded_own_op = own.index < 0 || std::find(r.ops_recorded.begin(), r.ops_recorded.end(), own.index) != r.ops_recorded.end();
  if (r.element >= 0)
    result.worst_where = fmt::format("{}, element {}: analytic {:.10g}, numeric {:.10g}", r.input, r.element, r.analytic, r.numeric);
  return result;
}

}  // namespace tg::test
