// batches.cpp: the permutation and the gather loop. Read next: ../experiments/mnist_mlp.cpp.
#include "datasets/batches.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "autograd/backend/parallel.h"

namespace tg::data {

std::vector<int64_t> shuffled_indices(int64_t n, Rng& rng) {
  std::vector<int64_t> p = identity_order(n);
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[rng.below(static_cast<uint64_t>(i + 1))]);
  return p;
}

std::vector<int64_t> identity_order(int64_t n) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  return p;
}

void gather(const Dataset& d, std::span<const int64_t> idx, Tensor<float>& x, std::vector<int32_t>* labels,
            Binarize binarize, Rng* rng) {
  const int64_t B = static_cast<int64_t>(idx.size()), D = d.dim();
  require(binarize != Binarize::Dynamic || rng != nullptr, "gather: dynamic binarisation needs an Rng");
  if (x.shape() != Shape{B, D}) x = Tensor<float>(Shape{B, D});
  if (labels) labels->resize(static_cast<size_t>(B));
  for (int64_t b = 0; b < B; ++b) {
    require(idx[b] >= 0 && idx[b] < d.count, "gather: index {} outside a dataset of {}", idx[b], d.count);
    if (labels) (*labels)[b] = d.labels[idx[b]];
  }
  constexpr float kScale = 1.0f / 255.0f;
  auto rows = [&](int64_t first, int64_t last) {
    for (int64_t b = first; b < last; ++b) {
      const uint8_t* src = d.image(idx[b]);
      float* dst = x.data() + b * D;
      switch (binarize) {
        case Binarize::None:
          for (int64_t j = 0; j < D; ++j) dst[j] = src[j] * kScale;
          break;
        case Binarize::Threshold:
          for (int64_t j = 0; j < D; ++j) dst[j] = src[j] >= 128 ? 1.0f : 0.0f;
          break;
        case Binarize::Dynamic:
          for (int64_t j = 0; j < D; ++j) dst[j] = rng->uniform() < src[j] * (1.0 / 255.0) ? 1.0f : 0.0f;
          break;
      }
    }
  };
  // Dynamic binarisation draws from one Rng in row order, so it stays on this thread.
  if (binarize == Binarize::Dynamic) rows(0, B);
  else parallel_rows(B, D, rows);
}

}  // namespace tg::data

namespace tg::data {
Dataset binarized_copy(const Dataset& d, Rng& rng) {
  Dataset b = d;
  for (uint8_t& p : b.pixels) p = rng.uniform() < p * (1.0 / 255.0) ? 255 : 0;
  return b;
}

Tensor<float> scaled_pixels(const Dataset& d) {
  Tensor<float> x(Shape{d.count, d.dim()});
  for (int64_t i = 0; i < x.numel(); ++i) x[i] = d.pixels[static_cast<size_t>(i)] / 255.0f;
  return x;
}

void binarize_for_evaluation(Dataset& valid, Dataset& test, uint64_t test_draw) {
  Rng fixed(kEvalBinarizeSeed);
  valid = binarized_copy(valid, fixed);
  if (test_draw > 0) {
    Rng own(derive_seed(kEvalBinarizeSeed, fmt::format("test draw {}", test_draw)));
    test = binarized_copy(test, own);
    return;
  }
  // One uniform() per pixel is one next_u64(): skip the standard validation set's draws.
  Rng after_standard_valid(kEvalBinarizeSeed);
  for (int64_t i = 0; i < kStandardValidImages * test.dim(); ++i) after_standard_valid.next_u64();
  test = binarized_copy(test, after_standard_valid);
}
}  // namespace tg::data

namespace tg::data {
std::vector<int64_t> balanced_label_indices(const Dataset& d, int64_t count, int classes, Rng& rng) {
  require(classes > 0 && count > 0 && count % classes == 0,
          "balanced_label_indices: {} labels cannot be split evenly over {} classes", count, classes);
  const std::vector<int64_t> order = shuffled_indices(d.count, rng);
  std::vector<int64_t> taken(static_cast<size_t>(classes), 0), out;
  for (int64_t i : order)
    if (d.labels[i] < classes && taken[d.labels[i]] < count / classes) {
      ++taken[d.labels[i]];
      out.push_back(i);
    }
  for (int c = 0; c < classes; ++c)
    require(taken[c] == count / classes, "balanced_label_indices: class {} has {} examples, {} wanted", c, taken[c], count / classes);
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace tg::data
