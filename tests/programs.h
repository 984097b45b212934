// programs.h: helpers for tests that run the experiment programs themselves — a tiny MNIST-shaped dataset
// written to a temporary folder, and running a command while capturing its output and exit status.
#pragma once
#include <string>

namespace tg::test {

/// Writes the four IDX files: n_train / n_test images (28x28 unless told) of class-dependent strokes with noise.
void write_tiny_mnist(const std::string& folder, int n_train, int n_test, unsigned seed = 1, int height = 28, int width = 28);

struct CommandResult {
  int status;
  std::string output;  // stdout and stderr together
};
CommandResult run_command(const std::string& command);

/// A new empty folder under the temporary folder, removed when the test program exits.
std::string fresh_temp_dir(const std::string& name);
/// The build folder the test binary lives in (build/ or build-san/), where the programs are too.
std::string build_dir();
std::string program(const std::string& name);

}  // namespace tg::test
