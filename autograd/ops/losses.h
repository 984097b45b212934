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
// Logits may have k times the targets' rows: then logit rows b*k .. b*k + k-1 are all scored against target row b
// (k samples of each image, as the IWAE bound draws them), and the targets are read k times rather than copied k
// times; their gradient sums the k rows' contributions, dl/dt_bd = -sum_j dy_(b*k+j) x_(b*k+j, d).
template <typename T>
Var<T> bce_with_logits_rowsum(const Var<T>& logits, const Var<T>& targets) {
  const Shape& ls = logits.shape();
  const Shape& ts = targets.shape();
  require(ls.rank == 2 && ts.rank == 2 && ls[1] == ts[1] && ts[0] > 0 && ls[0] % ts[0] == 0,
          "bce_with_logits_rowsum: logits {} and targets {} must be matrices (B, D), or logits (B*k, D) for targets (B, D)",
          to_string(ls), to_string(ts));
  const int64_t R = ls[0], D = ls[1], k = R / ts[0];
  const T* x = logits.value().data();
  const T* t = targets.value().data();
  Tensor<T> y(Shape{R});
  Tensor<T> residual(ls);  // sigmoid(x) - t, saved for backward
  parallel_rows(R, D, [&](int64_t first, int64_t last) {
    std::vector<T> scratch(static_cast<size_t>(D));  // one per thread
    for (int64_t r = first; r < last; ++r)
      y[r] = bce_logits_row(x + r * D, t + (r / k) * D, residual.data() + r * D, scratch.data(), D);
  });
  const bool targets_need_grad = targets.requires_grad();
  return record<T>(kBceWithLogitsRowsum, {logits, targets}, std::move(y),
                   [residual, x = targets_need_grad ? logits.value() : Tensor<T>(), ts, k](const Tensor<T>& dy, InputGrads<T>& dx) {
                     if (dx.needs(0)) dx.add(0, scale_rows(residual, dy, T(1)));
                     if (!dx.needs(1)) return;
                     const Tensor<T> per_row = scale_rows(x, dy, T(-1));  // (B*k, D): each sample's -dy x
                     if (k == 1) return dx.add(1, per_row);
                     Tensor<T> dt = Tensor<T>::zeros(ts);
                     for (int64_t r = 0; r < per_row.rows(); ++r)
                       for (int64_t d = 0; d < ts[1]; ++d) dt[(r / k) * ts[1] + d] += per_row[r * ts[1] + d];
                     dx.add(1, dt);
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
