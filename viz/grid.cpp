// grid.cpp: layout arithmetic and pixel copying. Read next: svg.cpp.
#include "viz/grid.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/core.h>

namespace tg::viz {

Image image_grid(const Tensor<float>& images, int height, int width, const GridOptions& o) {
  if (images.numel() > 0 && (images.shape().rank != 2 || images.cols() != int64_t(height) * width))
    throw std::invalid_argument(fmt::format("image_grid: images of shape {} are not rows of {}x{} pixels", to_string(images.shape()), height, width));
  const int n = images.numel() > 0 ? static_cast<int>(images.rows()) : 0;
  const int cols = std::max(1, std::min(o.columns, std::max(n, 1)));
  const int rows = (n + cols - 1) / cols;
  const int pad = 2, text_h = 9;
  const int caption_h = o.captions.empty() ? 0 : text_h + 2;
  int label_w = 0;
  for (const std::string& l : o.row_labels) label_w = std::max(label_w, text_width(l) + 6);
  const int title_h = o.title.empty() ? 0 : text_h + 6;
  const int cell_w = width * o.scale + pad, cell_h = height * o.scale + pad + caption_h;
  const bool divided = o.divider_after > 0 && o.divider_after < cols;
  const int divider_w = divided ? 8 : 0;  // the extra gap; the line runs down its middle
  auto column_x = [&](int c) { return label_w + pad + c * cell_w + (divided && c >= o.divider_after ? divider_w : 0); };
  Image img(std::max(label_w + cols * cell_w + divider_w + pad, text_width(o.title) + 8), title_h + rows * cell_h + pad,
            Rgb{255, 255, 255});
  if (divided) {
    const int x = column_x(o.divider_after) - pad / 2 - divider_w / 2 - 1;
    for (int y = title_h; y < img.height; ++y)
      for (int dx = 0; dx < 2; ++dx) img.set(x + dx, y, Rgb{200, 40, 40});
  }
  if (!o.title.empty()) draw_text(img, 4, 4, o.title, Rgb{0, 0, 0});
  for (int r = 0; r < rows && r < static_cast<int>(o.row_labels.size()); ++r)
    draw_text(img, 2, title_h + r * cell_h + pad + (height * o.scale - 7) / 2, o.row_labels[r], Rgb{0, 0, 0});
  for (int i = 0; i < n; ++i) {
    const int x0 = column_x(i % cols), y0 = title_h + pad + (i / cols) * cell_h;
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const float v = std::clamp(images.at(i, y * width + x), 0.0f, 1.0f);
        const auto g = static_cast<uint8_t>(v * 255.0f + 0.5f);
        for (int dy = 0; dy < o.scale; ++dy)
          for (int dx = 0; dx < o.scale; ++dx) img.set(x0 + x * o.scale + dx, y0 + y * o.scale + dy, Rgb{g, g, g});
      }
    if (i < static_cast<int>(o.captions.size()))
      draw_text(img, x0, y0 + height * o.scale + 2, o.captions[i], Rgb{40, 40, 40});
  }
  return img;
}

}  // namespace tg::viz
