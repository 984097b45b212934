// tsne_cache.cpp: one CSV per entry, named by the SHA-256 of its full key.
#include "analysis/tsne_cache.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "io/sha256.h"

namespace tg::analysis {

namespace {

std::string full_key(const std::string& key, int64_t n, int64_t d, const TsneOptions& o) {
  return fmt::format("# tapegrad t-SNE cache 1: {} n={} d={} perplexity={} iterations={} exaggeration_iterations={} "
                     "early_exaggeration={} learning_rate={} theta={} pca_dims={} threads={} seed={} exact={}",
                     key, n, d, o.perplexity, o.iterations, o.exaggeration_iterations, o.early_exaggeration,
                     o.learning_rate, o.theta, o.pca_dims, o.threads, o.seed, o.exact);
}

// The entry's n x 2 values, or an empty vector and the reason it cannot be used.
std::vector<double> read_entry(const std::string& path, const std::string& key_line, int64_t n, std::string& why) {
  std::string text;
  try {
    text = io::read_file(path, uint64_t(64) << 20);
  } catch (const std::exception& e) {
    why = e.what();
    return {};
  }
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != key_line) {
    why = "its key line differs";
    return {};
  }
  std::vector<double> y;
  y.reserve(static_cast<size_t>(2 * n));
  while (std::getline(in, line)) {
    const char* p = line.c_str();
    char* end = nullptr;
    const double a = std::strtod(p, &end);
    if (end == p || *end != ',') break;
    p = end + 1;
    const double b = std::strtod(p, &end);
    if (end == p || *end != '\0' || !std::isfinite(a) || !std::isfinite(b)) break;
    y.push_back(a), y.push_back(b);
    if (static_cast<int64_t>(y.size()) > 2 * n) break;
  }
  if (static_cast<int64_t>(y.size()) != 2 * n || !in.eof()) {
    why = fmt::format("row {} is not two finite numbers or the entry does not have {} rows", y.size() / 2 + 1, n);
    return {};
  }
  return y;
}

}  // namespace

std::vector<double> cached_tsne(const std::string& cache_dir, const std::string& key, const Tensor<float>& x,
                                const TsneOptions& opt) {
  require(x.shape().rank == 2, "cached_tsne: points of shape {}, expected (n, dims)", to_string(x.shape()));
  const int64_t n = x.rows(), d = x.cols();
  const std::string key_line = full_key(key, n, d, opt);
  const std::string path = fmt::format("{}/tsne-{}.csv", cache_dir, io::sha256_hex(key_line).substr(0, 32));
  if (std::filesystem::exists(path)) {
    std::string why;
    std::vector<double> y = read_entry(path, key_line, n, why);
    if (!y.empty()) {
      std::printf("t-SNE (%s): cached in %s\n", key.c_str(), path.c_str());
      return y;
    }
    std::printf("t-SNE cache entry %s cannot be used (%s): recomputing it\n", path.c_str(), why.c_str());
  } else {
    std::printf("t-SNE (%s): computed once, then cached in %s\n", key.c_str(), path.c_str());
  }
  std::vector<double> y = tsne(x, opt).y;
  std::string text = key_line + "\n";
  for (size_t i = 0; i + 1 < y.size(); i += 2) text += fmt::format("{:.17g},{:.17g}\n", y[i], y[i + 1]);
  std::filesystem::create_directories(cache_dir);
  io::write_file_atomically(path, text);
  return y;
}

}  // namespace tg::analysis
