// gradcheck_cases.cpp: THE case table — at least one row per registered op, including the broadcast cases.
// Adding an op to autograd/ops/ without a row here makes Coverage.EveryRegisteredOpHasACase fail with its name.
// Read next: test_gradcheck.cpp.
#include "tests/gradcheck.h"

namespace tg::test {

using V = Var<double>;
using Vs = std::vector<V>;
constexpr Domain kAny = Domain::Any, kPos = Domain::Positive, kAway = Domain::AwayFromZero,
                 kProb = Domain::Probability, kZeros = Domain::MostlyZero;

const std::vector<GradcheckCase>& gradcheck_cases() {
  static const std::vector<GradcheckCase> table = {
      // ---- elementwise.h, each binary op in all four broadcast forms
      {"add", "same_shape", {"B,D", "B,D"}, {}, [](const Vs& x) { return add(x[0], x[1]); }},
      {"add", "row_broadcast", {"B,D", "1,D"}, {}, [](const Vs& x) { return add(x[0], x[1]); }},
      {"add", "vector_broadcast", {"B,D", "D"}, {}, [](const Vs& x) { return add(x[0], x[1]); }},
      {"add", "column_broadcast", {"B,1", "B,D"}, {}, [](const Vs& x) { return add(x[0], x[1]); }},
      {"add", "scalar_broadcast", {"B,D", ""}, {}, [](const Vs& x) { return add(x[0], x[1]); }},
      {"sub", "same_shape", {"B,D", "B,D"}, {}, [](const Vs& x) { return sub(x[0], x[1]); }},
      {"sub", "row_broadcast", {"B,D", "1,D"}, {}, [](const Vs& x) { return sub(x[0], x[1]); }},
      {"sub", "column_broadcast", {"B,D", "B,1"}, {}, [](const Vs& x) { return sub(x[0], x[1]); }},
      {"sub", "scalar_broadcast", {"", "B,D"}, {}, [](const Vs& x) { return sub(x[0], x[1]); }},
      {"mul", "same_shape", {"B,D", "B,D"}, {}, [](const Vs& x) { return mul(x[0], x[1]); }},
      {"mul", "row_broadcast", {"B,D", "1,D"}, {}, [](const Vs& x) { return mul(x[0], x[1]); }},
      {"mul", "column_broadcast", {"B,D", "B,1"}, {}, [](const Vs& x) { return mul(x[0], x[1]); }},
      {"mul", "scalar_broadcast", {"B,D", ""}, {}, [](const Vs& x) { return mul(x[0], x[1]); }},
      {"mul", "same_input_twice", {"B,D"}, {}, [](const Vs& x) { return mul(x[0], x[0]); }},
      {"div", "same_shape", {"B,D", "B,D"}, {kAny, kAway}, [](const Vs& x) { return div(x[0], x[1]); }},
      {"div", "row_broadcast", {"B,D", "1,D"}, {kAny, kAway}, [](const Vs& x) { return div(x[0], x[1]); }},
      {"div", "column_broadcast", {"B,D", "B,1"}, {kAny, kAway}, [](const Vs& x) { return div(x[0], x[1]); }},
      {"div", "scalar_numerator", {"", "B,D"}, {kAny, kAway}, [](const Vs& x) { return div(x[0], x[1]); }},
      {"neg", "", {"B,D"}, {}, [](const Vs& x) { return neg(x[0]); }},
      {"scale", "", {"B,D"}, {}, [](const Vs& x) { return scale(x[0], -1.7); }},
      // ---- unary.h
      {"exp", "", {"B,D"}, {}, [](const Vs& x) { return exp(x[0]); }},
      {"log", "", {"B,D"}, {kPos}, [](const Vs& x) { return log(x[0]); }},
      {"sqrt", "", {"B,D"}, {kPos}, [](const Vs& x) { return sqrt(x[0]); }},
      {"square", "", {"B,D"}, {}, [](const Vs& x) { return square(x[0]); }},
      {"relu", "", {"B,D"}, {kAway}, [](const Vs& x) { return relu(x[0]); }},
      {"sigmoid", "", {"B,D"}, {}, [](const Vs& x) { return sigmoid(x[0]); }},
      {"tanh", "", {"B,D"}, {}, [](const Vs& x) { return tanh(x[0]); }},
      {"softplus", "", {"B,D"}, {}, [](const Vs& x) { return softplus(x[0]); }},
      {"log_sigmoid", "", {"B,D"}, {}, [](const Vs& x) { return log_sigmoid(x[0]); }},
      {"log_sigmoid", "vector", {"D"}, {}, [](const Vs& x) { return log_sigmoid(x[0]); }},
      // ---- reduce.h
      {"sum", "matrix", {"B,D"}, {}, [](const Vs& x) { return sum(x[0]); }},
      {"sum", "vector", {"D"}, {}, [](const Vs& x) { return sum(x[0]); }},
      {"sum_axis", "axis1", {"B,D"}, {}, [](const Vs& x) { return sum(x[0], 1); }},
      {"sum_axis", "axis0", {"B,D"}, {}, [](const Vs& x) { return sum(x[0], 0); }},
      {"sum_axis", "axis1_keepdim", {"B,D"}, {}, [](const Vs& x) { return sum(x[0], 1, true); }},
      {"sum_axis", "vector", {"D"}, {}, [](const Vs& x) { return sum(x[0], 0); }},
      {"mean", "", {"B,D"}, {}, [](const Vs& x) { return mean(x[0]); }},
      {"mean_axis", "axis1", {"B,D"}, {}, [](const Vs& x) { return mean(x[0], 1); }},
      {"mean_axis", "axis0_keepdim", {"B,D"}, {}, [](const Vs& x) { return mean(x[0], 0, true); }},
      {"logsumexp", "axis1", {"B,D"}, {}, [](const Vs& x) { return logsumexp(x[0], 1); }},
      {"logsumexp", "axis0_keepdim", {"B,D"}, {}, [](const Vs& x) { return logsumexp(x[0], 0, true); }},
      {"log_softmax", "axis1", {"B,K"}, {}, [](const Vs& x) { return log_softmax(x[0], 1); }},
      {"log_softmax", "axis0", {"B,K"}, {}, [](const Vs& x) { return log_softmax(x[0], 0); }},
      // ---- shape_ops.h
      {"reshape", "", {"B,D"}, {}, [](const Vs& x) { return reshape(x[0], Shape{x[0].shape().numel()}); }},
      {"transpose", "", {"B,D"}, {}, [](const Vs& x) { return transpose(x[0]); }},
      {"concat", "three_inputs", {"B,D", "B,H", "B,1"}, {}, [](const Vs& x) { return concat(x); }},
      {"slice", "middle", {"B,6"}, {}, [](const Vs& x) { return slice(x[0], 1, 4); }},
      {"slice", "used_twice", {"B,6"}, {}, [](const Vs& x) { return mul(slice(x[0], 0, 3), slice(x[0], 3, 6)); }},
      {"repeat_each_row", "three_times", {"B,D"}, {}, [](const Vs& x) { return repeat_each_row(x[0], 3); }},
      {"repeat_each_row", "once", {"B,D"}, {}, [](const Vs& x) { return repeat_each_row(x[0], 1); }},
      // ---- matmul.h
      {"matmul", "", {"M,K", "K,N"}, {}, [](const Vs& x) { return matmul(x[0], x[1]); }},
      {"linear", "row_bias", {"B,I", "I,O", "1,O"}, {}, [](const Vs& x) { return linear(x[0], x[1], x[2]); }},
      {"linear", "vector_bias", {"B,I", "I,O", "O"}, {}, [](const Vs& x) { return linear(x[0], x[1], x[2]); }},
      {"linear_relu", "row_bias", {"B,I", "I,O", "1,O"}, {}, [](const Vs& x) { return linear_relu(x[0], x[1], x[2]); }},
      {"linear_relu", "vector_bias", {"B,I", "I,O", "O"}, {}, [](const Vs& x) { return linear_relu(x[0], x[1], x[2]); }},
      {"matmul", "vector_like", {"1,K", "K,1"}, {}, [](const Vs& x) { return matmul(x[0], x[1]); }},
      // A mostly-zero left operand goes through its nonzeros (sparse.h), forward and backward; 75 output
      // columns exercise the kernel's tile of 8 vectors (64 doubles), a single vector and the scalar tail.
      {"matmul", "mostly_zero_left", {"B,60", "60,75"}, {kZeros}, [](const Vs& x) { return matmul(x[0], x[1]); }},
      {"linear", "mostly_zero_input", {"B,60", "60,75", "1,75"}, {kZeros},
       [](const Vs& x) { return linear(x[0], x[1], x[2]); }},
      {"linear_relu", "mostly_zero_input", {"B,60", "60,75", "1,75"}, {kZeros},
       [](const Vs& x) { return linear_relu(x[0], x[1], x[2]); }},
      // ---- losses.h
      {"bce_with_logits", "", {"B,D", "B,D"}, {kAny, kProb}, [](const Vs& x) { return bce_with_logits(x[0], x[1]); }},
      {"bce_with_logits_rowsum", "", {"B,D", "B,D"}, {kAny, kProb},
       [](const Vs& x) { return bce_with_logits_rowsum(x[0], x[1]); }},
      {"bce_with_logits_rowsum", "3_samples_per_target", {"6,D", "2,D"}, {kAny, kProb},
       [](const Vs& x) { return bce_with_logits_rowsum(x[0], x[1]); }},
      {"cross_entropy", "", {"B,K"}, {},
       [](const Vs& x) {
         std::vector<int32_t> labels;
         for (int64_t b = 0; b < x[0].shape()[0]; ++b) labels.push_back(static_cast<int32_t>((3 * b + 1) % x[0].shape()[1]));
         return cross_entropy(x[0], labels);
       }},
      // ---- gaussian.h (eps is a constant input, drawn from the case's seed)
      {"gaussian_sample", "", {"B,Z", "B,Z"}, {},
       [](const Vs& x) {
         Tensor<double> eps(x[0].shape());
         for (int64_t i = 0; i < eps.numel(); ++i) eps[i] = std::sin(1.7 * double(i) + 0.3);
         return gaussian_sample(x[0], x[1], eps);
       }},
      {"gaussian_kl", "", {"B,Z", "B,Z"}, {}, [](const Vs& x) { return gaussian_kl(x[0], x[1]); }},
      {"gaussian_log_density", "", {"B,Z", "B,Z", "B,Z"}, {},
       [](const Vs& x) { return gaussian_log_density(x[0], x[1], x[2]); }},
  };
  return table;
}

}  // namespace tg::test
