// bench_eval.cpp: `make bench`, part 3 — the importance-weighted log p(x) with K = 5000 samples per image (the
// literature's evaluation, models::score_vae) on 1,000 test images, against the time its matrix multiplies alone
// need, measured in this same run: per image, the decoder's two products on K rows, (K, Z) x (Z, H) and
// (K, H) x (H, D), plus the encoder's two on each chunk of 500 images, on bare buffers by OpenBLAS threaded on its
// own (bare_blas.h). Everything else (the K x Z normal draws, the Gaussian densities, ReLU, the K x D Bernoulli
// log-likelihood, logsumexp) is what the ratio charges us for. Also the peak memory the evaluation adds.
// Usage: bench_eval [mnist folder [images [K]]]   (random images of the same size when no folder is given)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "autograd/backend/memory.h"
#include "bench/bare_blas.h"
#include "bench/bench_data.h"
#include "datasets/mnist.h"
#include "models/vae_training.h"

using namespace tg;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double peak_resident_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// The products of score_vae on `images` images: the encoder (chunk rows: D -> H -> 2Z) once per chunk of 500, the
// decoder (K rows: Z -> H -> D) once per image. One set of buffers of the largest size, so always in cache.
double gemm_only(int64_t images, int64_t K, int64_t D, int64_t H, int64_t Z) {
  OpenBlasOwnThreads reference;
  const int64_t chunk = 500, biggest = std::max({K * D, K * H, chunk * D, D * H});
  std::vector<float> a(static_cast<size_t>(biggest), 0.5f), b(static_cast<size_t>(biggest), 0.25f), c(static_cast<size_t>(biggest));
  auto mm = [&](int64_t M, int64_t N, int64_t Kd) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(M), int(N), int(Kd), 1.0f, a.data(), int(Kd), b.data(),
                int(N), 0.0f, c.data(), int(N));
  };
  mm(K, D, H);  // warm-up
  const auto t = Clock::now();
  for (int64_t first = 0; first < images; first += chunk) {
    const int64_t n = std::min(chunk, images - first);
    mm(n, H, D), mm(n, 2 * Z, H);
    for (int64_t i = 0; i < n; ++i) mm(K, H, Z), mm(K, D, H);
  }
  return seconds_since(t);
}

int main(int argc, char** argv) {
  restart_with_short_openblas_spin(argv);
  try {
    set_num_threads(2);
    keep_freed_memory();  // as every experiment does (io/program.h)
    const int64_t images = argc > 2 ? std::atoll(argv[2]) : 1000, K = argc > 3 ? std::atoll(argv[3]) : 5000;
    const int64_t H = 400, Z = 200;
    const data::Dataset test = argc > 1 ? data::subset(data::load_mnist(argv[1]).test, 0, images) : random_images(images);
    Rng rng(1);
    models::Vae<float> vae(test.dim(), H, Z, rng);  // untrained: the work per image does not depend on the weights
    std::printf("IW log p(x), K = %lld, Z = %lld, H = %lld, on %lld images of %s, %d threads (target: <= 1.2x GEMM-only, peak memory < 1 GB)\n",
                (long long)K, (long long)Z, (long long)H, (long long)images, argc > 1 ? argv[1] : "random images", num_threads());
    const double before = peak_resident_mb();
    double ours = 1e9, gemm = 1e9;
    for (int r = 0; r < 2; ++r) {  // alternated, best of two: the machine's speed drifts over minutes
      const auto t = Clock::now();
      models::score_vae(vae, test, K, rng);
      ours = std::min(ours, seconds_since(t));
      gemm = std::min(gemm, gemm_only(images, K, test.dim(), H, Z));
    }
    std::printf("%12s %14s %7s %22s %16s\n", "ours s", "GEMM-only s", "ratio", "10,000 images (ours)", "peak memory MB");
    std::printf("%12.2f %14.2f %7.2f %21.0fs %16.0f (%.0f before the evaluation)\n", ours, gemm, ours / gemm,
                ours * 10000.0 / double(images), peak_resident_mb(), before);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
