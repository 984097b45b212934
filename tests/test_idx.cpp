// test_idx.cpp: the IDX reader and the MNIST loader on tiny files this test writes itself — valid files
// (raw and gzip) read back exactly; every corruption (truncation at every length, flipped header bytes, lying
// counts, mismatched files, bad labels) is a clean std::runtime_error naming the file, never a crash.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "datasets/mnist.h"

namespace tg::data {
namespace {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("tapegrad-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void put(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
void gzip_file(const std::string& from, const std::string& to) {
  const std::string raw = bytes_of(from);
  gzFile f = gzopen(to.c_str(), "wb");
  gzwrite(f, raw.data(), static_cast<unsigned>(raw.size()));
  gzclose(f);
}

// n images of h x w, pixel (i, j) of image k = (k * 7 + j) % 256; labels k % 10.
void write_set(const std::string& dir, const std::string& prefix, int64_t n, int64_t h = 4, int64_t w = 3) {
  std::vector<uint8_t> pixels, labels;
  for (int64_t k = 0; k < n; ++k) {
    for (int64_t j = 0; j < h * w; ++j) pixels.push_back(static_cast<uint8_t>((k * 7 + j) % 256));
    labels.push_back(static_cast<uint8_t>(k % 10));
  }
  write_idx(dir + "/" + prefix + "-images-idx3-ubyte", {n, h, w}, pixels);
  write_idx(dir + "/" + prefix + "-labels-idx1-ubyte", {n}, labels);
}

void expect_error_naming(const std::function<void()>& f, const std::string& path, const std::string& fragment = "") {
  try {
    f();
    ADD_FAILURE() << "expected an exception for " << path << " (" << fragment << ")";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path), std::string::npos) << m;
    if (!fragment.empty()) {
      EXPECT_NE(m.find(fragment), std::string::npos) << m;
    }
  }
}

TEST(Idx, RawAndGzipReadBackExactly) {
  const std::string dir = temp_dir("idx-roundtrip");
  write_set(dir, "train", 5);
  gzip_file(dir + "/train-images-idx3-ubyte", dir + "/copy.gz");
  for (const std::string& path : {dir + "/train-images-idx3-ubyte", dir + "/copy.gz"}) {
    IdxArray a = read_idx(path, 3);
    EXPECT_EQ(a.dims, (std::vector<int64_t>{5, 4, 3}));
    ASSERT_EQ(a.bytes.size(), 60u);
    EXPECT_EQ(a.bytes[12 + 5], (1 * 7 + 5) % 256);
  }
}

TEST(Idx, TruncationAtEveryLengthIsACleanError) {
  const std::string dir = temp_dir("idx-truncate");
  write_set(dir, "train", 3);
  const std::string full = bytes_of(dir + "/train-images-idx3-ubyte");
  const std::string path = dir + "/cut";
  for (size_t n = 0; n < full.size(); ++n) {
    put(path, full.substr(0, n));
    expect_error_naming([&] { read_idx(path, 3); }, path);
  }
  // The same through gzip: a truncated .gz stream.
  gzip_file(dir + "/train-images-idx3-ubyte", dir + "/whole.gz");
  const std::string gz = bytes_of(dir + "/whole.gz");
  for (size_t n = 1; n < gz.size(); ++n) {
    put(path, gz.substr(0, n));
    expect_error_naming([&] { read_idx(path, 3); }, path);
  }
}

TEST(Idx, FlippedHeaderBytesAreCaught) {
  const std::string dir = temp_dir("idx-flip");
  write_set(dir, "train", 3);
  const std::string full = bytes_of(dir + "/train-images-idx3-ubyte");
  const std::string path = dir + "/flipped";
  for (size_t i = 0; i < 16; ++i)
    for (int bit : {0, 7}) {
      std::string b = full;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      put(path, b);
      expect_error_naming([&] { read_idx(path, 3); }, path);
    }
}

TEST(Idx, MagicNumberAndTrailingBytesAreExplained) {
  const std::string dir = temp_dir("idx-magic");
  write_set(dir, "train", 3);
  const std::string labels = dir + "/train-labels-idx1-ubyte";
  expect_error_naming([&] { read_idx(labels, 3); }, labels, "magic 0x00000801, expected 0x00000803");
  const std::string path = dir + "/trailing";
  put(path, bytes_of(labels) + "x");
  expect_error_naming([&] { read_idx(path, 1); }, path, "trailing");
  put(path, bytes_of(labels).substr(0, 9));
  expect_error_naming([&] { read_idx(path, 1); }, path, "truncated");
}

TEST(Idx, HeaderThatLiesAboutHugeCountsDoesNotAllocate) {
  const std::string dir = temp_dir("idx-lie");
  const std::string path = dir + "/liar";
  // magic, then 4e9 x 4e9 x 4e9 images, with 10 bytes of data.
  put(path, std::string("\x00\x00\x08\x03\xee\x6b\x28\x00\xee\x6b\x28\x00\xee\x6b\x28\x00", 16) + "0123456789");
  expect_error_naming([&] { read_idx(path, 3); }, path);
}

TEST(Idx, MissingFileNamesIt) {
  expect_error_naming([] { read_idx("/nonexistent/t10k-images-idx3-ubyte", 3); }, "/nonexistent/t10k-images-idx3-ubyte");
}

TEST(Mnist, LoadsSplitsAndChecksLabels) {
  const std::string dir = temp_dir("mnist-ok");
  write_set(dir, "train", 60);
  write_set(dir, "t10k", 12);
  gzip_file(dir + "/t10k-images-idx3-ubyte", dir + "/t10k-images-idx3-ubyte.gz");
  fs::remove(dir + "/t10k-images-idx3-ubyte");
  MnistSplits m = load_mnist(dir);
  EXPECT_EQ(m.train.count, 50);  // a training file that is not 60,000 long keeps its last sixth for validation
  EXPECT_EQ(m.valid.count, 10);
  EXPECT_EQ(m.test.count, 12);
  EXPECT_EQ(m.valid.labels[0], 50 % 10);  // validation is the *last* part of the training file
  EXPECT_EQ(m.train.dim(), 12);
}

TEST(Mnist, SelectAndAppendKeepRowsAndLabelsTogether) {
  data::Dataset d;
  d.count = 3, d.height = 1, d.width = 2;
  d.pixels = {1, 2, 3, 4, 5, 6};
  d.labels = {7, 8, 9};
  data::Dataset s = data::select(d, {2, 0});
  data::append(s, data::subset(d, 1, 2));
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.pixels, (std::vector<uint8_t>{5, 6, 1, 2, 3, 4}));
  EXPECT_EQ(s.labels, (std::vector<uint8_t>{9, 7, 8}));
  data::Dataset other = d;
  other.height = 2, other.width = 1;
  try {
    data::append(s, other);
    FAIL() << "appended 2x1 images after 1x2 ones";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "append: images of 2x1 after images of 1x2");
  }
}

TEST(Mnist, MismatchedCountsAndBadLabelsAreErrors) {
  const std::string dir = temp_dir("mnist-bad");
  write_set(dir, "train", 12);
  write_set(dir, "t10k", 6);
  write_idx(dir + "/t10k-labels-idx1-ubyte", {5}, {1, 2, 3, 4, 5});
  expect_error_naming([&] { load_mnist(dir); }, dir + "/t10k-labels-idx1-ubyte", "5 labels");
  write_idx(dir + "/t10k-labels-idx1-ubyte", {6}, {1, 2, 3, 4, 5, 12});
  expect_error_naming([&] { load_mnist(dir); }, dir + "/t10k-labels-idx1-ubyte", "label 12");
}

TEST(Mnist, MissingFolderAndMissingFileAreExplained) {
  expect_error_naming([] { load_mnist("/nonexistent-data"); }, "/nonexistent-data", "does not exist");
  const std::string dir = temp_dir("mnist-missing");
  write_set(dir, "train", 12);
  expect_error_naming([&] { load_mnist(dir); }, dir, "t10k-images-idx3-ubyte");
}

// Only the four original files count as the standard MNIST; anything else says so wherever its numbers appear.
TEST(Mnist, TheStandardDataIsRecognisedByItsContentAndNothingElseIs) {
  const std::string dir = temp_dir("not-standard");
  std::vector<uint8_t> img(12 * 28 * 28, 7), lab(12, 3);
  write_idx(dir + "/train-images-idx3-ubyte", {12, 28, 28}, img);
  write_idx(dir + "/train-labels-idx1-ubyte", {12}, lab);
  write_idx(dir + "/t10k-images-idx3-ubyte", {12, 28, 28}, img);
  write_idx(dir + "/t10k-labels-idx1-ubyte", {12}, lab);
  const MnistSplits m = load_mnist(dir);
  EXPECT_FALSE(m.standard_mnist);
  EXPECT_NE(m.description().find("NOT the standard MNIST: " + dir + " (12 training-file and 12 test images of 28x28)"), std::string::npos)
      << m.description();
  ASSERT_EQ(m.sha256.size(), 4u);
  EXPECT_EQ(m.sha256[0], idx_content_sha256(dir + "/train-images-idx3-ubyte"));
  // The real files, where the machine has them (CI points MNIST_DIR at them): recognised whether raw or .gz.
  if (const char* real = std::getenv("MNIST_DIR"); real && fs::is_directory(real)) {
    const MnistSplits r = load_mnist(real);
    EXPECT_TRUE(r.standard_mnist) << r.description();
    EXPECT_EQ(r.description(), "MNIST (the standard 60,000 training and 10,000 test images)");
  }
}

}  // namespace
}  // namespace tg::data
