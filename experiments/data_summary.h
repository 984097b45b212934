// data_summary.h: the part of every program's summary.json that says which data it ran on, written one way by
// all of them, since the reporters and the results pages read it (io::data_name, io::data_warning): the folder,
// whether the files are the standard MNIST, what they are in words, each file's SHA-256, the image size and the
// split sizes.
#pragma once
#include <filesystem>
#include <string>

#include "datasets/mnist.h"
#include "io/summary.h"

namespace tg {

inline void set_data_fields(io::Summary& s, const std::string& folder, const data::MnistSplits& mnist) {
  s.set("dataset", folder);
  s.set("standard_mnist", mnist.standard_mnist);
  s.set("data", mnist.description());
  io::Json hashes = io::Json::object();
  for (size_t i = 0; i < mnist.files.size(); ++i) hashes[std::filesystem::path(mnist.files[i]).filename().string()] = mnist.sha256[i];
  s.set("dataset_sha256", hashes);
  s.set("image_height", mnist.train.height);
  s.set("image_width", mnist.train.width);
  s.set("train_images", mnist.train.count);
  s.set("valid_images", mnist.valid.count);
  s.set("test_images", mnist.test.count);
}

}  // namespace tg
