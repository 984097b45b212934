// losses.h: bce_with_logits (elementwise, and summed per row) and cross_entropy. Each is one fused op with a hand-written backward: fewer
// passes over memory, and the stable form is written once, in one place. Neither reduces over the batch;
// take mean() or sum() of the result. Read next: gaussian.h, then ../tape.cpp (the reverse loop).
#pragma once
#include <cmath>
#include <vector>

#include "autograd/backend/fast_math.h"
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

// ---- bce_with_logits_rowsum: the same loss summed over each row, logits x and targets t (B, D) -> (B)
//   l_b = sum_d softplus(x_bd) - t_bd x_bd;   dl_b/dx_bd = sigmoid(x_bd) - t_bd,   dl_b/dt_bd = -x_bd
// This is -log p(x|z) of a Bernoulli decoder, the VAE's reconstruction term. Fused because it is the widest
// elementwise step of a VAE: one exp and one log1p per pixel in the forward pass, which also stores
// sigmoid(x) - t, so the backward pass is a multiply (no exp) and no (B, D) loss matrix is ever written.
// The exp and log1p are fast_math.h's, which let the compiler vectorise this loop (in float).
// One row of it: returns sum_d softplus(x_d) - t_d x_d and writes sigmoid(x_d) - t_d into residual; scratch
// holds D values. Branch-free, one pass, the reduction kept apart: the compiler vectorises the loop.
template <typename T>
T bce_logits_row(const T* x, const T* t, T* residual, T* scratch, int64_t D) {
  for (int64_t j = 0; j < D; ++j) {
    const T e = fast_exp(-std::abs(x[j]));                    // e^-|x| in (0, 1]: never overflows
    const T inv = T(1) / (T(1) + e);
    const T positive_part = T(0.5) * (x[j] + std::abs(x[j]));  // max(x, 0), exactly, without a branch
    scratch[j] = positive_part + fast_log1p_unit(e) - t[j] * x[j];
    residual[j] = select_negative(x[j], e * inv, inv) - t[j];  // sigmoid(x) = e/(1+e) if x < 0, else 1/(1+e)
  }
  return sum_lanes(scratch, D);
}

// The same row's value alone, for evaluation (models/vae_training.cpp: log p(x|z) of K samples per image), where no
// gradient follows: no sigmoid, no division, no residual stored. The sum is the same expression, so the same bits.
template <typename T>
T bce_logits_row_value(const T* x, const T* t, T* scratch, int64_t D) {
  for (int64_t j = 0; j < D; ++j) {
    const T e = fast_exp(-std::abs(x[j]));
    const T positive_part = T(0.5) * (x[j] + std::abs(x[j]));
    scratch[j] = positive_part + fast_log1p_unit(e) - t[j] * x[j];
  }
  return sum_lanes(scratch, D);
}

inline const OpId kBceWithLogitsRowsum = register_op("bce_with_logits_rowsum");
template <typename T>
Var<T> bce_with_logits_rowsum(const Var<T>& logits, const Var<T>& targets) {
  require(logits.shape() == targets.shape() && logits.shape().rank == 2,
          "bce_with_logits_rowsum: logits {} and targets {} must be matrices of one shape (B, D)",
          to_string(logits.shape()), to_string(targets.shape()));
  const int64_t B = logits.shape()[0], D = logits.shape()[1];
  const T* x = logits.value().data();
  const T* t = targets.value().data();
  Tensor<T> y(Shape{B});
  Tensor<T> residual(logits.shape());  // sigmoid(x) - t, saved for backward
  parallel_rows(B, D, [&](int64_t first, int64_t last) {
    std::vector<T> scratch(static_cast<size_t>(D));  // one per thread
    for (int64_t b = first; b < last; ++b) y[b] = bce_logits_row(x + b * D, t + b * D, residual.data() + b * D, scratch.data(), D);
  });
  const bool targets_need_grad = targets.requires_grad();
  return record<T>(kBceWithLogitsRowsum, {logits, targets}, std::move(y),
                   [residual, x = targets_need_grad ? logits.value() : Tensor<T>(), D](const Tensor<T>& dy, InputGrads<T>& dx) {
                     if (dx.needs(0)) dx.add(0, scale_rows(residual, dy, T(1)));
                     if (dx.needs(1)) dx.add(1, scale_rows(x, dy, T(-1)));
                   });
}

// ---- cross_entropy with integer labels: logits (B, K), labels[B] in 0..K-1 -> (B)
//   l_b = logsumexp_k(x_bk) - x_b,label_b;   dl_b/dx_bk = softmax(x_b)_k - [k == label_b]
// log p_k comes from log_softmax_line (scalar_math.h), which keeps a confident row's small losses ({50, -50, 36.5},
// label 0: 1.371e-6, where x - (m + log s) would round it to 0, and log(1 + r) in float give 1.43e-6). The label's
// gradient p - 1 is expm1(log p) for the same reason.
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
    log_softmax_line<T>(K, [&](int64_t k) { return row[k]; }, [&](int64_t k, T v) { log_probs[b * K + k] = v; });
    y[b] = -log_probs[b * K + labels[b]];
  }
  return record<T>(kCrossEntropy, {logits}, std::move(y),
                   [log_probs, labels](const Tensor<T>& dy, InputGrads<T>& dx) {
                     const int64_t B = log_probs.rows(), K = log_probs.cols();
                     Tensor<T> g(log_probs.shape());
                     for (int64_t b = 0; b < B; ++b)
                       for (int64_t k = 0; k < K; ++k)
                         g[b * K + k] = dy[b] * (k == labels[b] ? std::expm1(log_probs[b * K + k]) : std::exp(log_probs[b * K + k]));
                     dx.add(0, std::move(g));
                   });
}

}  // namespace tg
