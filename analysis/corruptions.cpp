// corruptions.cpp: each transformation, with its parameters stated where it is applied.
#include "analysis/corruptions.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tg::analysis {

const std::vector<Corruption>& all_corruptions() {
  static const std::vector<Corruption> all = {Corruption::GaussianNoise, Corruption::SaltAndPepper, Corruption::Occlusion,
                                              Corruption::Inversion, Corruption::Rotation90, Corruption::Overlay};
  return all;
}

std::string corruption_name(Corruption c) {
  switch (c) {
    case Corruption::GaussianNoise: return "gaussian_noise";
    case Corruption::SaltAndPepper: return "salt_and_pepper";
    case Corruption::Occlusion: return "occlusion";
    case Corruption::Inversion: return "inversion";
    case Corruption::Rotation90: return "rotation_90";
    case Corruption::Overlay: return "overlay";
  }
  return "?";
}

void corrupt(Corruption c, uint8_t* img, int h, int w, const uint8_t* other, Rng& rng) {
  const int n = h * w;
  switch (c) {
    case Corruption::GaussianNoise:  // add N(0, 0.3^2) in [0, 1] units, clipped
      for (int i = 0; i < n; ++i)
        img[i] = static_cast<uint8_t>(std::clamp(img[i] + 255.0 * 0.3 * rng.normal(), 0.0, 255.0) + 0.5);
      break;
    case Corruption::SaltAndPepper:  // 10% of pixels set to black or white, half each
      for (int i = 0; i < n; ++i)
        if (rng.uniform() < 0.1) img[i] = rng.uniform() < 0.5 ? 0 : 255;
      break;
    case Corruption::Occlusion: {  // a white block of 10x10 at a random position in the central 20x20
      const int size = std::min({10, h, w});
      const int y0 = static_cast<int>(rng.below(static_cast<uint64_t>(std::max(1, h - size - 4 + 1)))) + std::min(2, h - size);
      const int x0 = static_cast<int>(rng.below(static_cast<uint64_t>(std::max(1, w - size - 4 + 1)))) + std::min(2, w - size);
      for (int y = y0; y < y0 + size; ++y)
        for (int x = x0; x < x0 + size; ++x) img[y * w + x] = 255;
      break;
    }
    case Corruption::Inversion:  // black ink on white
      for (int i = 0; i < n; ++i) img[i] = static_cast<uint8_t>(255 - img[i]);
      break;
    case Corruption::Rotation90: {  // a quarter turn clockwise about the centre, in the same h x w frame
      // Output pixel (y, x), at offset (dy, dx) from the centre, comes from the input at offset (-dx, dy). A square
      // image maps onto itself; a non-square one loses what turns outside the frame and gains black where nothing
      // turns in (so the anomaly keeps the dataset's geometry).
      const std::vector<uint8_t> copy(img, img + n);
      const double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const long ys = std::lround(cy - (x - cx)), xs = std::lround(cx + (y - cy));
          img[y * w + x] = ys >= 0 && ys < h && xs >= 0 && xs < w ? copy[ys * w + xs] : 0;
        }
      break;
    }
    case Corruption::Overlay:  // the brighter of two digits at each pixel
      for (int i = 0; i < n; ++i) img[i] = std::max(img[i], other[i]);
      break;
  }
}

}  // namespace tg::analysis
