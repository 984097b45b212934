// bars.h: the course's small binary images, used by chapters 12 and 16. Small enough that a VAE trains on them in
// a second, binary like binarised MNIST.
#pragma once
#include "autograd/autograd.h"

namespace tg {

// [begin data]
// A 6x6 image of bars: all horizontal or all vertical (a coin flip), each of the six bars on with
// probability 1/3. Pixels are 0 or 1, as in binarised MNIST.
inline Tensor<float> bar_images(int64_t count, Rng& rng) {
  Tensor<float> images = Tensor<float>::zeros(Shape{count, 36});
  for (int64_t i = 0; i < count; ++i) {
    const bool horizontal = rng.uniform() < 0.5;
    for (int bar = 0; bar < 6; ++bar) {
      if (rng.uniform() >= 1.0 / 3) continue;
      for (int k = 0; k < 6; ++k) images.at(i, horizontal ? bar * 6 + k : k * 6 + bar) = 1;
    }
  }
  return images;
}
// [end data]

}  // namespace tg
