// digits.h: turning dataset images and decoder outputs into the grids of the study's pictures.
// Read next: ../experiments/vae.cpp.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "datasets/mnist.h"
#include "viz/grid.h"

namespace tg::viz {

/// Images idx of d as [0, 1] grey levels, ready for image_grid.
std::vector<std::vector<float>> dataset_images(const data::Dataset& d, const std::vector<int64_t>& idx);
/// Rows of a (N, D) tensor of values in [0, 1] (decoder probabilities).
std::vector<std::vector<float>> tensor_rows(const Tensor<float>& t);
/// Stacks images top to bottom on a white background.
Image stack_vertical(const std::vector<Image>& parts);

}  // namespace tg::viz
