// mnist.h: the MNIST splits the experiments use — 50,000 train and 10,000 validation from the training file
// (its last 10,000 are validation, as is customary), and the 10,000 test images. Pixels stay bytes here
// (47 MB rather than 188 MB of floats); batches.h scales them to [0, 1] as it gathers a batch.
// Any folder of the four IDX files works: real MNIST, Fashion-MNIST, or the offline subset (see fetch).
// Read next: batches.h.
#pragma once
#include <string>
#include <vector>

#include "datasets/idx.h"

namespace tg::data {

struct Dataset {
  int64_t count = 0;
  int64_t height = 0, width = 0;
  std::vector<uint8_t> pixels;  // count x (height * width), row-major
  std::vector<uint8_t> labels;  // count, in 0..9
  int64_t dim() const { return height * width; }
  const uint8_t* image(int64_t i) const { return pixels.data() + i * dim(); }
};

struct MnistSplits {
  Dataset train, valid, test;
  std::string folder;
  std::vector<std::string> files;   // the four paths read, in a fixed order (for checksums in summaries)
  std::vector<std::string> sha256;  // each file's decompressed content, in the same order
  /// True when all four files are byte for byte the original MNIST (their SHA-256 as published): only then are a
  /// run's numbers comparable with the study's and the papers'.
  bool standard_mnist = false;
  /// "MNIST (the standard 60,000 / 10,000 images)", or what the data is instead, to print beside every number.
  std::string description() const;
};

/// Loads the four IDX files from `folder` (each raw or .gz). The validation split is the last 10,000 of a
/// 60,000-image training file; for a smaller file (the offline subset), its last sixth. valid_count > 0 holds out
/// that many instead (the IWAE authors' code holds out 400, training on 59,600).
MnistSplits load_mnist(const std::string& folder, int64_t valid_count = 0);

/// Rows [begin, end) of a dataset as a new dataset (used for the splits and by tests).
Dataset subset(const Dataset& d, int64_t begin, int64_t end);
/// The rows idx of a dataset, in that order, as a new dataset (the normal digits of an anomaly study, say).
Dataset select(const Dataset& d, const std::vector<int64_t>& idx);
/// Appends more's rows after to's (normal images, then anomalies, say); both must have the same image size.
void append(Dataset& to, const Dataset& more);

}  // namespace tg::data
