// mnist.cpp: finds the four files, reads and cross-checks them, and splits. Read next: batches.cpp.
#include "datasets/mnist.h"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

namespace tg::data {

namespace {

std::string find_file(const std::string& folder, const std::string& base) {
  for (const std::string& candidate : {folder + "/" + base, folder + "/" + base + ".gz"})
    if (std::filesystem::is_regular_file(candidate)) return candidate;
  throw std::runtime_error(fmt::format(
      "data folder {}: no {} or {}.gz; expected the four MNIST IDX files (train-images-idx3-ubyte, "
      "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte)\nhint: run `make data`, or set "
      "DATA= to a folder that holds them",
      folder, base, base));
}

// The SHA-256 of the original files' decompressed bytes (as datasets/fetch_mnist.sh verifies them).
const char* const kStandardSha256[4] = {
    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",   // train-images-idx3-ubyte
    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",   // train-labels-idx1-ubyte
    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",   // t10k-images-idx3-ubyte
    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"};  // t10k-labels-idx1-ubyte

Dataset load_pair(const std::string& images_path, const std::string& labels_path, std::vector<std::string>& sha256) {
  IdxArray images = read_idx(images_path, 3);
  IdxArray labels = read_idx(labels_path, 1);
  sha256.push_back(images.sha256);
  sha256.push_back(labels.sha256);
  if (images.dims[0] != labels.dims[0])
    throw std::runtime_error(fmt::format("{}: {} labels, but {} holds {} images; expected equal counts",
                                         labels_path, labels.dims[0], images_path, images.dims[0]));
  for (size_t i = 0; i < labels.bytes.size(); ++i)
    if (labels.bytes[i] > 9)
      throw std::runtime_error(fmt::format("{}: label {} at index {}, expected 0..9", labels_path, labels.bytes[i], i));
  Dataset d;
  d.count = images.dims[0];
  d.height = images.dims[1];
  d.width = images.dims[2];
  d.pixels = std::move(images.bytes);
  d.labels = std::move(labels.bytes);
  return d;
}

}  // namespace

std::string MnistSplits::description() const {
  if (standard_mnist) return "MNIST (the standard 60,000 training and 10,000 test images)";
  return fmt::format("NOT the standard MNIST: {} ({} training-file and {} test images of {}x{}); numbers are not comparable "
                     "with the study's or the papers'", folder, train.count + valid.count, test.count, test.height, test.width);
}

Dataset subset(const Dataset& d, int64_t begin, int64_t end) {
  Dataset s;
  s.count = end - begin;
  s.height = d.height;
  s.width = d.width;
  s.pixels.assign(d.pixels.begin() + begin * d.dim(), d.pixels.begin() + end * d.dim());
  s.labels.assign(d.labels.begin() + begin, d.labels.begin() + end);
  return s;
}

Dataset select(const Dataset& d, const std::vector<int64_t>& idx) {
  Dataset s;
  s.count = static_cast<int64_t>(idx.size());
  s.height = d.height;
  s.width = d.width;
  for (int64_t i : idx) {
    s.pixels.insert(s.pixels.end(), d.image(i), d.image(i) + d.dim());
    s.labels.push_back(d.labels[i]);
  }
  return s;
}

void append(Dataset& to, const Dataset& more) {
  if (to.height != more.height || to.width != more.width)
    throw std::invalid_argument(fmt::format("append: images of {}x{} after images of {}x{}", more.height, more.width, to.height, to.width));
  to.pixels.insert(to.pixels.end(), more.pixels.begin(), more.pixels.end());
  to.labels.insert(to.labels.end(), more.labels.begin(), more.labels.end());
  to.count += more.count;
}

MnistSplits load_mnist(const std::string& folder, int64_t valid_count) {
  if (!std::filesystem::is_directory(folder))
    throw std::runtime_error(fmt::format("data folder {} does not exist\nhint: run `make data`, or set DATA= to a "
                                         "folder holding the four MNIST IDX files", folder));
  MnistSplits m;
  m.folder = folder;
  for (const char* base : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                           "t10k-labels-idx1-ubyte"})
    m.files.push_back(find_file(folder, base));
  Dataset train_file = load_pair(m.files[0], m.files[1], m.sha256);
  m.test = load_pair(m.files[2], m.files[3], m.sha256);
  m.standard_mnist = true;
  for (int i = 0; i < 4; ++i) m.standard_mnist = m.standard_mnist && m.sha256[i] == kStandardSha256[i];
  if (m.test.height != train_file.height || m.test.width != train_file.width)
    throw std::runtime_error(fmt::format("{}: images are {}x{}, but {} has {}x{}; expected one size", m.files[2],
                                         m.test.height, m.test.width, m.files[0], train_file.height, train_file.width));
  const int64_t n = train_file.count;
  const int64_t valid = valid_count > 0 ? valid_count : n == 60000 ? 10000 : n / 6;
  if (n - valid < 1 || valid < 1)
    throw std::runtime_error(fmt::format("{}: {} training images are too few to split off a validation set of {}", m.files[0], n, valid));
  m.train = subset(train_file, 0, n - valid);
  m.valid = subset(train_file, n - valid, n);
  return m;
}

}  // namespace tg::data
