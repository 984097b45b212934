// 13_cross_entropy.h: the op of exercise 13.1 (docs/learn/13_classification_losses.md).
#pragma once
#include <vector>

#include "autograd/autograd.h"

/// Softmax cross-entropy per row: logits (B, K), one label in 0..K-1 per row, the loss of each row
/// logsumexp(x_b) - x_b[label_b] as a (B) tensor. Stable for large logits; its backward is dy * (softmax - onehot).
tg::Var<double> my_cross_entropy(const tg::Var<double>& logits, const std::vector<int32_t>& labels);
