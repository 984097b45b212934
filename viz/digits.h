// digits.h: turning dataset images and decoder outputs into the grids of the study's pictures.
// Read next: ../experiments/vae.cpp.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "datasets/batches.h"
#include "datasets/mnist.h"
#include "viz/grid.h"

namespace tg::viz {

/// Images idx of d as [0, 1] grey levels, one per row, ready for image_grid.
Tensor<float> dataset_images(const data::Dataset& d, const std::vector<int64_t>& idx);
/// Stacks images top to bottom on a white background.
Image stack_vertical(const std::vector<Image>& parts);

}  // namespace tg::viz
