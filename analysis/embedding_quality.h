// embedding_quality.h: numbers for how good a 2-D embedding is, so latent sizes can be compared by more
// than eye: k-NN label accuracy in the embedding (5-fold, as a classifier would be scored) and
// trustworthiness (Venna & Kaski 2001): how far the embedding's neighbours were in the original space.
// Read next: tsne.h.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/tensor.h"

namespace tg::analysis {

/// 5-fold k-NN classification accuracy of `labels` from the 2-D points y (n x 2); uniform votes, ties to
/// the smallest label. Folds from a seeded shuffle.
double knn_accuracy(const std::vector<double>& y, const std::vector<int>& labels, int k = 10, uint64_t seed = 0);

/// Trustworthiness in [0, 1] of y (n x 2) against x (n x dims), with k neighbours (1 = every low-dimensional
/// neighbour is also a high-dimensional one).
double trustworthiness(const Tensor<float>& x, const std::vector<double>& y, int k = 10);

}  // namespace tg::analysis
