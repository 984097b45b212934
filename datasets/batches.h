// batches.h: seeded shuffling and mini-batch gathering. An epoch is a permutation of indices (the dataset
// itself is never copied or reordered); a batch gathers its rows into a (B, D) float tensor scaled to [0, 1],
// optionally binarised. Read next: experiments/mnist_mlp.cpp, which uses both.
#pragma once
#include <span>
#include <vector>

#include "autograd/rng.h"
#include "autograd/tensor.h"
#include "datasets/mnist.h"

namespace tg::data {

enum class Binarize {
  None,       // grey levels in [0, 1] (as the PyTorch VAE example)
  Threshold,  // pixel >= 128 -> 1, else 0
  Dynamic,    // a fresh Bernoulli(pixel / 255) draw each time the image is gathered (needs an Rng)
};

/// Fisher-Yates permutation of 0..n-1.
std::vector<int64_t> shuffled_indices(int64_t n, Rng& rng);

/// x (B, D) <- images idx[0..B) of d, as floats in [0, 1]; labels (if given) <- their labels.
/// rng is required for Binarize::Dynamic and ignored otherwise.
void gather(const Dataset& d, std::span<const int64_t> idx, Tensor<float>& x, std::vector<int32_t>* labels,
            Binarize binarize = Binarize::None, Rng* rng = nullptr);

/// The batch starting at `start` of size min(B, n - start), from an order (a permutation or 0..n-1).
inline std::span<const int64_t> batch_at(const std::vector<int64_t>& order, int64_t start, int64_t B) {
  const int64_t n = static_cast<int64_t>(order.size());
  return std::span<const int64_t>(order.data() + start, static_cast<size_t>(std::min(B, n - start)));
}

/// 0, 1, ..., n-1 (evaluation order).
std::vector<int64_t> identity_order(int64_t n);

}  // namespace tg::data

namespace tg::data {
/// A copy of d with every pixel drawn once from Bernoulli(pixel / 255) and stored as 0 or 255: the fixed
/// binarisation of a test set under BINARIZE=dynamic (the literature's convention for log-likelihoods).
Dataset binarized_copy(const Dataset& d, Rng& rng);

/// Under BINARIZE=dynamic the validation and test sets are binarised once, with this seed whatever SEED is, so
/// every run (and every redraw of a run's report) is scored on the same binary images. The test images take the
/// fixed stream from where the standard split's 10,000 validation images end, whatever the split: a run that holds
/// out another number (VALID_SIZE=400) is scored on the same binary test images as the rest.
inline constexpr uint64_t kEvalBinarizeSeed = 20151231;
inline constexpr int64_t kStandardValidImages = 10000;
/// test_draw > 0 binarises the test images from a stream of their own instead: another draw of the same images, to
/// measure how much a test log p(x) depends on the draw (the IWAE authors' code draws afresh at each evaluation).
void binarize_for_evaluation(Dataset& valid, Dataset& test, uint64_t test_draw = 0);

/// All of d's images as a (count, dim) tensor of pixel / 255: the one conversion from a dataset's bytes to the
/// batch-of-examples form that the analysis (t-SNE, PCA, neighbours, the SVMs) takes.
Tensor<float> scaled_pixels(const Dataset& d);
}  // namespace tg::data

namespace tg::data {
/// `count` indices of d, count / classes from each class (so count must divide evenly), chosen with rng: the
/// labelled subset of a semi-supervised run. Throws if a class has too few examples.
std::vector<int64_t> balanced_label_indices(const Dataset& d, int64_t count, int classes, Rng& rng);
}  // namespace tg::data
