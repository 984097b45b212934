// digits.cpp: conversions and stacking.
#include "viz/digits.h"

#include <algorithm>

namespace tg::viz {

Tensor<float> dataset_images(const data::Dataset& d, const std::vector<int64_t>& idx) {
  return data::scaled_pixels(data::select(d, idx));
}

Image stack_vertical(const std::vector<Image>& parts) {
  int w = 0, h = 0;
  for (const Image& p : parts) w = std::max(w, p.width), h += p.height;
  Image out(w, h);
  int y0 = 0;
  for (const Image& p : parts) {
    for (int y = 0; y < p.height; ++y)
      for (int x = 0; x < p.width; ++x) out.set(x, y0 + y, p.get(x, y));
    y0 += p.height;
  }
  return out;
}

}  // namespace tg::viz
