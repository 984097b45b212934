// The reference solution of exercise 13.1: softmax cross-entropy as an op of its own, with the stable forward
// pass (the row's maximum taken out before exp) and the backward derived in chapter 13.
#include "docs/learn/exercises/13_cross_entropy.h"

#include <cmath>

using namespace tg;

inline const OpId kMyCrossEntropy = register_op("course_cross_entropy");

Var<double> my_cross_entropy(const Var<double>& logits, const std::vector<int32_t>& labels) {
  const Tensor<double>& x = logits.value();
  const int64_t B = x.rows(), K = x.cols();
  Tensor<double> loss(Shape{B}), softmax(Shape{B, K});
  for (int64_t b = 0; b < B; ++b) {
    double m = x.at(b, 0);
    for (int64_t k = 1; k < K; ++k) m = std::max(m, x.at(b, k));
    double total = 0;
    for (int64_t k = 0; k < K; ++k) total += std::exp(x.at(b, k) - m);
    for (int64_t k = 0; k < K; ++k) softmax.at(b, k) = std::exp(x.at(b, k) - m) / total;
    loss[b] = m + std::log(total) - x.at(b, labels[static_cast<size_t>(b)]);
  }
  return record<double>(kMyCrossEntropy, {logits}, std::move(loss), [softmax, labels](const Tensor<double>& dy, InputGrads<double>& dx) {
    Tensor<double> g(softmax.shape());
    for (int64_t b = 0; b < g.rows(); ++b)
      for (int64_t k = 0; k < g.cols(); ++k)
        g.at(b, k) = dy[b] * (softmax.at(b, k) - (k == labels[static_cast<size_t>(b)] ? 1.0 : 0.0));
    dx.add(0, g);
  });
}
