// programs.cpp: tiny dataset writer and command runner for the program-level tests.
#include "tests/programs.h"

#include <unistd.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "autograd/rng.h"
#include "datasets/idx.h"

#ifndef TG_BUILD_DIR
#error "TG_BUILD_DIR must name the build folder (the Makefile sets it)"
#endif

namespace tg::test {

void write_tiny_mnist(const std::string& folder, int n_train, int n_test, unsigned seed, int height, int width) {
  Rng rng(seed);
  auto make = [&](int n, const std::string& prefix) {
    std::vector<uint8_t> pixels, labels;
    for (int k = 0; k < n; ++k) {
      const int label = k % 10;
      for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
          // class c draws a bar at column 4 + 2c and a row at 3 + 2c; pixels are noisy around them
          const bool ink = std::abs(x - (4 + 2 * label)) <= 1 || std::abs(y - (3 + 2 * label)) <= 1;
          const double v = ink ? 200 + 55 * rng.uniform() : 30 * rng.uniform();
          pixels.push_back(static_cast<uint8_t>(v));
        }
      labels.push_back(static_cast<uint8_t>(label));
    }
    data::write_idx(folder + "/" + prefix + "-images-idx3-ubyte", {n, height, width}, pixels);
    data::write_idx(folder + "/" + prefix + "-labels-idx1-ubyte", {n}, labels);
  };
  make(n_train, "train");
  make(n_test, "t10k");
}

CommandResult run_command(const std::string& command) {
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buf[1024];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

namespace {
// Every test folder lives under one folder per test process, removed at exit: the tests leave nothing in /tmp.
struct TempRoot {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("tapegrad-tests-" + std::to_string(::getpid()));
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};
}  // namespace

std::string fresh_temp_dir(const std::string& name) {
  static TempRoot root;
  const auto p = root.path / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

std::string build_dir() { return TG_BUILD_DIR; }
std::string program(const std::string& name) { return std::string(TG_BUILD_DIR) + "/experiments/" + name; }

}  // namespace tg::test
