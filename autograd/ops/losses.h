// losses.h: bce_with_logits and cross_entropy. Each is one fused op with a hand-written backward: fewer
// passes over memory, and the stable form is written once, in one place. Neither reduces over the batch;
// take mean() or sum() of the result. Read next: gaussian.h, then ../tape.cpp (the reverse loop).
#pragma once
#include <cmath>
#include <vector>

#include "autograd/ops/scalar_math.h"
#include "autograd/tape.h"

namespace tg {

// ---- bce_with_logits, elementwise, logits x and targets t of one shape (B, D) -> (B, D):
//   l = -[t log s(x) + (1 - t) log(1 - s(x))] = softplus(x) - t x = max(x,0) - t x + log1p(e^-|x|)
//   dl/dx = sigmoid(x) - t,   dl/dt = -x
// The last form never takes log of a sigmoid, so x = +-100 gives 100 - 100 t or 100 t, not inf.
inline const OpId kBceWithLogits = register_op("bce_with_logits");
template <typename T>
Var<T> bce_with_logits(const Var<T>& logits, const Var<T>& targets) {
  require(logits.shape() == targets.shape(), "bce_with_logits: logits {} and targets {} must have one shape",
          to_string(logits.shape()), to_string(targets.shape()));
  Tensor<T> y = zip(logits.value(), targets.value(), [](T x, T t) { return stable_softplus(x) - t * x; });
  return record<T>(kBceWithLogits, {logits, targets}, std::move(y),
                   [x = logits.value(), t = targets.value()](const Tensor<T>& dy, InputGrads<T>& dx) {
                     if (dx.needs(0)) {
                       Tensor<T> g(x.shape());
                       for (int64_t i = 0; i < x.numel(); ++i) g[i] = dy[i] * (stable_sigmoid(x[i]) - t[i]);
                       dx.add(0, std::move(g));
                     }
                     if (dx.needs(1)) dx.add(1, zip(dy, x, [](T g, T v) { return -g * v; }));
                   });
}

// ---- cross_entropy with integer labels: logits (B, K), labels[B] in 0..K-1 -> (B)
//   l_b = logsumexp_k(x_bk) - x_b,label_b;   dl_b/dx_bk = softmax(x_b)_k - [k == label_b]
inline const OpId kCrossEntropy = register_op("cross_entropy");
template <typename T>
Var<T> cross_entropy(const Var<T>& logits, const std::vector<int32_t>& labels) {
  const Shape& s = logits.shape();
  require(s.rank == 2 && static_cast<int64_t>(labels.size()) == s[0],
          "cross_entropy: logits {} need one label per row — got {} labels", to_string(s), labels.size());
  const int64_t B = s[0], K = s[1];
  for (int32_t c : labels)
    require(c >= 0 && c < K, "cross_entropy: label {} is outside 0..{} for logits {}", c, K - 1, to_string(s));
  const Tensor<T>& x = logits.value();
  Tensor<T> y(Shape{B});
  Tensor<T> log_probs(s);  // saved for backward: softmax = e^log_probs
  for (int64_t b = 0; b < B; ++b) {
    const T* row = x.data() + b * K;
    T m = row[0];
    for (int64_t k = 1; k < K; ++k) m = std::max(m, row[k]);
    T total = 0;
    for (int64_t k = 0; k < K; ++k) total += std::exp(row[k] - m);
    const T lse = m + std::log(total);
    for (int64_t k = 0; k < K; ++k) log_probs[b * K + k] = row[k] - lse;
    y[b] = -log_probs[b * K + labels[b]];
  }
  return record<T>(kCrossEntropy, {logits}, std::move(y),
                   [log_probs, labels](const Tensor<T>& dy, InputGrads<T>& dx) {
                     const int64_t B = log_probs.rows(), K = log_probs.cols();
                     Tensor<T> g(log_probs.shape());
                     for (int64_t b = 0; b < B; ++b)
                       for (int64_t k = 0; k < K; ++k)
                         g[b * K + k] = dy[b] * (std::exp(log_probs[b * K + k]) - (k == labels[b] ? T(1) : T(0)));
                     dx.add(0, std::move(g));
                   });
}

}  // namespace tg
