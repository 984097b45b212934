// digits.cpp: conversions and stacking.
#include "viz/digits.h"

#include <algorithm>

namespace tg::viz {

std::vector<std::vector<float>> dataset_images(const data::Dataset& d, const std::vector<int64_t>& idx) {
  std::vector<std::vector<float>> out;
  for (int64_t i : idx) {
    std::vector<float> img(static_cast<size_t>(d.dim()));
    for (int64_t j = 0; j < d.dim(); ++j) img[j] = d.image(i)[j] / 255.0f;
    out.push_back(std::move(img));
  }
  return out;
}

std::vector<std::vector<float>> tensor_rows(const Tensor<float>& t) {
  std::vector<std::vector<float>> out;
  for (int64_t r = 0; r < t.rows(); ++r) out.emplace_back(t.data() + r * t.cols(), t.data() + (r + 1) * t.cols());
  return out;
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
