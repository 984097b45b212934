// classifier.h: the softmax classifier every program here trains — the semi-supervised study's supervised-only
// baseline, the anomaly study's classifier of anomaly types, `make classify` — and what each asks of it: the loss
// of a batch, its logits for many rows (a chunk at a time, without a tape), and how often the largest score is the
// label. The scores can be any model's (M2's class probabilities too): the largest one is the class given.
// Read next: ../experiments/mnist_mlp.cpp.
#pragma once
#include <functional>
#include <vector>

#include "nn/mlp.h"

namespace tg::models {

/// An Mlp whose last layer emits one logit per class (sizes {inputs, hidden..., classes}).
using Classifier = nn::Mlp<float>;

/// The mean softmax cross-entropy of a batch x (B, D) with its labels: what training minimises.
Var<float> classifier_loss(const Classifier& classifier, const Tensor<float>& x, const std::vector<int32_t>& labels);

/// The logits (n, K) of n rows, `chunk` rows per call: rows(first, count) returns rows first .. first + count - 1.
Tensor<float> classifier_logits(const Classifier& classifier, int64_t n,
                                const std::function<Tensor<float>(int64_t first, int64_t count)>& rows, int64_t chunk = 1000);

/// How many rows' largest score (a logit or a probability) is their label.
int64_t correct_count(const Tensor<float>& scores, const std::vector<int32_t>& labels);
/// The fraction of rows whose largest score is not their label (NaN for no rows).
double classification_error(const Tensor<float>& scores, const std::vector<int32_t>& labels);
/// How often each true class was given each class: counts[t][k] rows whose label is t and whose largest score is
/// k (K x K, K = scores.cols()). The diagonal holds the right answers; a model that uses one class for two digits
/// shows it as one large entry off the diagonal.
std::vector<std::vector<int64_t>> confusion_counts(const Tensor<float>& scores, const std::vector<int32_t>& labels);

}  // namespace tg::models
