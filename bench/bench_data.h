// bench_data.h: the images a benchmark runs on — a split of the MNIST files in the folder it was given, or, with
// no folder, random images of MNIST's size and sparsity (80% zero pixels, as the real ones' background), so that
// every benchmark runs anywhere and the sparse first-layer path sees what it sees on real data.
#pragma once
#include <cstdint>

#include "autograd/rng.h"
#include "datasets/mnist.h"

// count random 28 x 28 images, labelled 0, 1, ..., 9 in turn.
inline tg::data::Dataset random_images(int64_t count) {
  tg::Rng rng(1);
  tg::data::Dataset d;
  d.count = count, d.height = 28, d.width = 28;
  d.pixels.resize(static_cast<size_t>(count * 784));
  for (uint8_t& p : d.pixels) p = rng.uniform() < 0.8 ? 0 : static_cast<uint8_t>(rng.below(256));
  d.labels.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) d.labels[static_cast<size_t>(i)] = static_cast<uint8_t>(i % 10);
  return d;
}

// The training split (50,000 images) of the MNIST folder, or random images of that number when folder is null.
inline tg::data::Dataset training_images(const char* folder) {
  return folder ? tg::data::load_mnist(folder).train : random_images(50000);
}
