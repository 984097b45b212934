// bench_vae.cpp: `make bench`, part 2 — one training epoch of the study's VAE (50,000 images, batch 512,
// forward and backward, Adam) at Z = 3, 20 and 200, against the time its matrix multiplies alone need: the
// same 11 sgemm calls per step (4 forward, 7 backward; no gradient for the input images) on bare buffers, by
// OpenBLAS threaded on its own (bare_blas.h) — the same three buffers for every call (the reference), and, for
// comparison, buffers of its own for each call, as in a real step —
// measured in this same run; and, when Debian's python3-torch is installed, the same model in PyTorch
// (bench/torch_vae.py) right after ours for each Z, in its best and its default thread setting. Ours is also
// timed with every product on gemm ("all-dense"): the first layer's products normally go through the images'
// nonzeros (autograd/backend/sparse.h), which is why our epoch can take less than the dense GEMM-only reference; the
// all-dense column shows what everything but those multiply-adds costs. "Past layer 1" times the GEMMs no sparse
// path can skip: their time over PyTorch's is the floor under our ratio to PyTorch. Also an IWAE training step with
// k = 50 against its own GEMMs, and the peak resident memory. (The importance-weighted evaluation: bench_eval.cpp.)
// Usage: bench_vae [mnist folder [folder of torch_vae.py and torch_iwae.py]]   (random images of the same size when no folder is given)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "autograd/backend/memory.h"
#include "autograd/backend/sparse.h"
#include "bench/bare_blas.h"
#include "bench/bench_data.h"
#include "datasets/mnist.h"
#include "models/vae_training.h"

using namespace tg;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The GEMMs of one training step with batch B: x(B,D) W1(D,H), h(B,H) W2(H,2Z), z(B,Z) W3(Z,H), h(B,H) W4(H,D)
// forward; for backward, each layer's dW = input^T dy and (except the first) dinput = dy W^T.
// shared_buffers: every call reads and writes the same three buffers, so its operands are always in cache — the
// reference the targets are judged against. Otherwise each call has operands of its own, as in a real step
// (reported beside it, to show how much of the gap to the reference is the reference's hot cache).
// with_first_layer false: only the 9 calls the first layer's sparse products cannot replace, the floor under an
// epoch of ours (what remains for everything else if ours is to take half of PyTorch's time).
double gemm_only_epoch(int64_t n, int64_t B, int64_t D, int64_t H, int64_t Z, bool shared_buffers, bool with_first_layer = true) {
  OpenBlasOwnThreads reference;
  // One set of operands per call of a step, each of its call's size (or one set for all, of the largest size).
  std::vector<std::vector<float>> buffers;
  int call = 0;
  auto operands = [&](int64_t a_size, int64_t b_size, int64_t c_size) {
    const size_t first = shared_buffers ? 0 : static_cast<size_t>(3 * (call++ % 11));
    if (buffers.size() < first + 3) buffers.resize(first + 3);
    for (auto [i, size, fill] : {std::tuple{first, a_size, 0.5f}, {first + 1, b_size, 0.25f}, {first + 2, c_size, 0.0f}})
      if (buffers[i].size() < static_cast<size_t>(size)) buffers[i].assign(static_cast<size_t>(size), fill);
    return &buffers[first];
  };
  auto mm = [&](bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
    std::vector<float>* buf = operands(M * K, K * N, M * N);
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(M), int(N), int(K), 1.0f,
                buf[0].data(), int(ta ? M : K), buf[1].data(), int(tb ? K : N), 0.0f, buf[2].data(), int(N));
  };
  auto step = [&](int64_t b_) {
    if (with_first_layer) mm(false, false, b_, H, D);
    mm(false, false, b_, 2 * Z, H), mm(false, false, b_, H, Z), mm(false, false, b_, D, H);
    mm(false, true, b_, H, D), mm(true, false, H, D, b_);          // decoder out: dh, dW4
    mm(false, true, b_, Z, H), mm(true, false, Z, H, b_);          // decoder hidden: dz, dW3
    mm(false, true, b_, H, 2 * Z), mm(true, false, H, 2 * Z, b_);  // encoder out: dh, dW2
    if (with_first_layer) mm(true, false, D, H, b_);               // encoder hidden: dW1 only
  };
  step(B);  // warm-up
  const auto t = Clock::now();
  for (int64_t s = 0; s < n; s += B) step(std::min(B, n - s));
  return seconds_since(t);
}

// The GEMMs alone of `steps` training steps of a stack of dense layers, each {rows, in, out, needs dinput}: forward
// x W per layer; backward dW = x^T dy per layer and dx = dy W^T where the input needs a gradient. Shared buffers.
struct DenseLayer {
  int64_t rows, in, out;
  bool needs_dinput;
};
double gemm_only_steps(int64_t steps, const std::vector<DenseLayer>& layers) {
  OpenBlasOwnThreads reference;
  int64_t biggest = 0;
  for (const DenseLayer& l : layers) biggest = std::max({biggest, l.rows * l.in, l.in * l.out, l.rows * l.out});
  std::vector<float> a(static_cast<size_t>(biggest), 0.5f), bm(static_cast<size_t>(biggest), 0.25f), c(static_cast<size_t>(biggest));
  auto mm = [&](bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(M), int(N), int(K), 1.0f,
                a.data(), int(ta ? M : K), bm.data(), int(tb ? K : N), 0.0f, c.data(), int(N));
  };
  auto step = [&] {
    for (const DenseLayer& l : layers) mm(false, false, l.rows, l.out, l.in);
    for (const DenseLayer& l : layers) {
      mm(true, false, l.in, l.out, l.rows);                        // dW
      if (l.needs_dinput) mm(false, true, l.rows, l.in, l.out);   // dx
    }
  };
  step();  // warm-up
  const auto t = Clock::now();
  for (int64_t s = 0; s < steps; ++s) step();
  return seconds_since(t);
}

// A number from the JSON line a PyTorch reference script prints last (bench/torch_vae.py, bench/torch_iwae.py), or
// -1 when PyTorch is not there or the script failed.
double torch_number(const std::string& command, const std::string& field) {
  FILE* p = popen(("/usr/bin/python3 " + command + " 2>/dev/null | tail -n 1").c_str(), "r");
  if (!p) return -1;
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  const std::string key = "\"" + field + "\":";
  const size_t at = out.find(key);
  return at == std::string::npos ? -1 : std::atof(out.c_str() + at + key.size());
}

// Seconds of the fastest epoch of bench/torch_vae.py for the same model and data (the best of its epochs, as ours
// is the best of ours).
double torch_seconds(const std::string& script, const std::string& data, int64_t Z, const char* threads) {
  return torch_number(fmt::format("{} --data '{}' --latent {} --epochs 3 --threads {}", script, data, Z, threads),
                      "fastest_epoch_seconds");
}

// Burda et al. (2015)'s IWAE step, k = 50, batch 20, 784-200-200-50 tanh: ours against its GEMMs alone. The k
// samples of each example go through the decoder as one (20 k)-row product, so the GEMMs are most of the step.
// torch_script: bench/torch_iwae.py, the same step in PyTorch (empty: no comparison).
void bench_iwae(const data::Dataset& train, const std::string& data, const std::string& torch_script) {
  const int64_t B = 20, k = 50, images = 4000;
  const data::Dataset part = data::subset(train, 0, std::min<int64_t>(images, train.count));
  Rng rng(1);
  models::Vae<float> vae(train.dim(), 200, 50, rng, 2, nn::Activation::Tanh);
  optim::Adam adam(vae.parameters(), 1e-3f, 0.9f, 0.999f, 1e-4f);
  auto ours = [&] {
    const auto t = Clock::now();
    models::train_vae_epoch(vae, adam, part, {B, data::Binarize::Dynamic}, models::iwae_objective(k), rng, 1);
    return seconds_since(t);
  };
  const int64_t D = train.dim(), R = B * k, steps = (part.count + B - 1) / B;
  const std::vector<DenseLayer> layers = {{B, D, 200, false}, {B, 200, 200, true}, {B, 200, 100, true},
                                          {R, 50, 200, true}, {R, 200, 200, true}, {R, 200, D, true}};
  ours();  // warm-up
  double best = 1e9, gemm = 1e9;
  for (int r = 0; r < 2; ++r) best = std::min(best, ours()), gemm = std::min(gemm, gemm_only_steps(steps, layers));
  // Adam's update alone, the same number of steps: a pass over the 0.42 M parameters and their two moments per
  // 20-image step, which the GEMM-only reference leaves out. Timed in a loop, its 6.8 MB of state stays in cache,
  // so this is a lower bound on what it costs inside a step.
  for (auto& p : vae.parameters()) p.var.grad() = Tensor<float>::full(p.var.value().shape(), 1e-3f);
  double adam_seconds = 1e9;
  for (int r = 0; r < 2; ++r) {
    const auto t = Clock::now();
    for (int64_t s = 0; s < steps; ++s) adam.step();
    adam_seconds = std::min(adam_seconds, seconds_since(t));
  }
  adam.zero_grad();
  const double torch_ms = torch_script.empty() ? -1 : torch_number(fmt::format("{} --data '{}' --images {}", torch_script, data, part.count),
                                                                     "fastest_ms_per_step");
  std::printf("IWAE step (k = %lld, batch %lld, 784-200-200-50 tanh): %.2f ms, GEMM-only %.2f ms, ratio %.2f (target <= 1.15); "
              "Adam's update alone %.2f ms, so the step is %.2f of GEMMs + Adam",
              (long long)k, (long long)B, 1000 * best / double(steps), 1000 * gemm / double(steps), best / gemm,
              1000 * adam_seconds / double(steps), best / (gemm + adam_seconds));
  if (torch_ms > 0) std::printf("; PyTorch best %.2f ms, ours / PyTorch %.2f (target <= 0.6)", torch_ms, 1000 * best / double(steps) / torch_ms);
  std::printf("\n");
}

int main(int argc, char** argv) {
  restart_with_short_openblas_spin(argv);
  try {
    set_num_threads(2);
    keep_freed_memory();  // as every experiment does (io/program.h)
    const data::Dataset train = training_images(argc > 1 ? argv[1] : nullptr);
    std::printf("VAE epoch (%lld images, batch 512, H 400, Adam) on %s, %d threads\n", (long long)train.count,
                argc > 1 ? argv[1] : "random images", num_threads());
    const std::string scripts = argc > 2 ? argv[2] : "", torch_script = scripts + "/torch_vae.py";
    const bool torch = !scripts.empty() && argc > 1 && std::system("/usr/bin/python3 -c 'import torch' 2>/dev/null") == 0;
    if (!torch) std::printf("(no PyTorch comparison: needs Debian's python3-torch and the scripts' folder)\n");
    std::printf("targets: epoch / GEMM-only <= 0.9, epoch / PyTorch best <= 0.5\n");
    std::printf("%4s %9s %12s %7s %16s %7s %15s %18s %12s %14s %7s %18s %15s %14s\n", "Z", "epoch s", "GEMM-only s", "ratio",
                "all-dense s", "ratio", "PyTorch best s", "PyTorch default s", "ours / best", "own-buffers s", "ratio",
                "past layer 1 s", "floor / best", "floor GFLOP/s");
    for (int64_t Z : {3, 20, 200}) {
      Rng rng(1);
      models::Vae<float> vae(train.dim(), 400, Z, rng);
      optim::Adam adam(vae.parameters(), 1e-3f);
      models::train_vae_epoch(vae, adam, train, {512, data::Binarize::None}, models::elbo_objective(), rng, 1);  // warm-up
      // The machine's speed drifts by tens of percent over minutes, so ours and the GEMM-only time are measured
      // before and after PyTorch's runs, and every figure is the best of its measurements.
      double best = 1e9, dense = 1e9, gemm = 1e9, gemm_own = 1e9, past_first = 1e9;
      int epoch = 2;
      auto epoch_seconds = [&](bool sparse) {
        set_sparse_products(sparse);
        const auto t = Clock::now();
        models::train_vae_epoch(vae, adam, train, {512, data::Binarize::None}, models::elbo_objective(), rng, epoch++);
        set_sparse_products(true);
        return seconds_since(t);
      };
      auto measure_ours = [&](int repeats) {
        for (int r = 0; r < repeats; ++r) {
          best = std::min(best, epoch_seconds(true));
          dense = std::min(dense, epoch_seconds(false));
          gemm = std::min(gemm, gemm_only_epoch(train.count, 512, train.dim(), 400, Z, true));
          gemm_own = std::min(gemm_own, gemm_only_epoch(train.count, 512, train.dim(), 400, Z, false));
          past_first = std::min(past_first, gemm_only_epoch(train.count, 512, train.dim(), 400, Z, true, false));
        }
      };
      measure_ours(2);
      const double torch_best = torch ? torch_seconds(torch_script, argv[1], Z, "best") : -1;
      const double torch_default = torch ? torch_seconds(torch_script, argv[1], Z, "default") : -1;
      if (torch) measure_ours(2);
      auto shown = [](double v) { return v > 0 ? fmt::format("{:.3f}", v) : std::string("-"); };
      // The floor's rate: its 9 products make 3 (H x 2Z + Z x H + H x D) multiply-adds per image, two flops each;
      // beside bench_core's bare sgemm it shows whether those GEMMs could go faster on this machine.
      const double past_first_flops = 2.0 * 3 * double(train.count) * double(400 * 2 * Z + Z * 400 + 400 * train.dim());
      std::printf("%4lld %9.3f %12.3f %7.3f %16.3f %7.3f %15s %18s %12s %14.3f %7.3f %18.3f %15s %14.0f\n", (long long)Z, best, gemm,
                  best / gemm, dense, dense / gemm, shown(torch_best).c_str(), shown(torch_default).c_str(),
                  shown(torch_best > 0 ? best / torch_best : -1).c_str(), gemm_own, best / gemm_own, past_first,
                  shown(torch_best > 0 ? past_first / torch_best : -1).c_str(), past_first_flops / past_first / 1e9);
      std::fflush(stdout);
    }
    bench_iwae(train, argc > 1 ? argv[1] : "", torch ? scripts + "/torch_iwae.py" : "");
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("peak resident memory: %.0f MB (target < 400 MB)\n", u.ru_maxrss / 1024.0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
