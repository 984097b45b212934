// grid.h: image grids — N small grey images (digits) in rows and columns, scaled up for legibility, with
// an optional caption under each and an optional label at the start of each row.
// Read next: svg.h.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "viz/image.h"

namespace tg::viz {

struct GridOptions {
  int columns = 10;
  int scale = 2;                        // each source pixel becomes scale x scale
  std::vector<std::string> captions;    // one per image, drawn under it (may be empty)
  std::vector<std::string> row_labels;  // one per row, drawn to its left (may be empty)
  std::string title;                    // drawn above the grid (may be empty)
  int divider_after = 0;                // > 0: a gap and a red line after this many columns (two halves to compare)
};

/// The usual options in one call (designated initialisers would warn about the fields left out).
inline GridOptions grid_options(int columns, std::string title, std::vector<std::string> captions = {},
                                std::vector<std::string> row_labels = {}, int scale = 2) {
  GridOptions o;
  o.columns = columns;
  o.title = std::move(title);
  o.captions = std::move(captions);
  o.row_labels = std::move(row_labels);
  o.scale = scale;
  return o;
}

/// images: (N, height * width), one image per row, values in [0, 1] (1 = white ink on black, as MNIST is stored):
/// the same batch-of-examples form as the data (data::scaled_pixels) and the decoder's output.
Image image_grid(const Tensor<float>& images, int height, int width, const GridOptions& options);

}  // namespace tg::viz
