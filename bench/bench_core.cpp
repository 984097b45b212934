// bench_core.cpp: `make bench`, part 1 — what the autodiff layer costs on top of the arithmetic.
// (1) per-op overhead: a 1x1 add recorded on the tape (and the tape cleared), in ns per op;
// (2) matmul at the VAE's first-layer shape, forward and forward+backward, as a fraction of bare
//     cblas_sgemm throughput for the same three products measured in this same run (machines are noisy,
//     ratios are not). Targets (issue 2): overhead < 1 us; matmul >= 0.95 of bare sgemm.
// (3) the mostly-zero path (autograd/backend/sparse.h) against gemm on the same pool, by density of the left operand:
//     where the one overtakes the other, which is what sets kSparseDensity.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/backend/sparse.h"
#include "bench/bare_blas.h"

using namespace tg;
using Clock = std::chrono::steady_clock;

// Median over `repeats` of the seconds one call of f takes (after one warm-up call).
double median_seconds(const std::function<void()>& f, int repeats) {
  f();
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    auto start = Clock::now();
    f();
    t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The same for two functions timed in alternation, a b a b ...: the machine's speed drifts within seconds, and
// alternating puts both through the same drift, so their ratio holds even when their times do not. Each is
// timed over a block of `calls` calls, so that handing the cores from one thread pool to the other (bare_blas.h)
// is a small part of the block.
// Returns seconds per call. `reference` is timed with OpenBLAS threaded on its own (bare_blas.h) unless
// `reference_on_our_pool`.
std::pair<double, double> paired_median_seconds(const std::function<void()>& reference, const std::function<void()>& ours,
                                                int repeats, int calls, bool reference_on_our_pool = false) {
  auto block = [&](bool is_reference) {
    const auto start = Clock::now();
    if (is_reference && !reference_on_our_pool) {
      OpenBlasOwnThreads own;
      for (int c = 0; c < calls; ++c) reference();
    } else {
      for (int c = 0; c < calls; ++c) is_reference ? reference() : ours();
    }
    return std::chrono::duration<double>(Clock::now() - start).count() / calls;
  };
  block(true), block(false);
  std::vector<double> ta, tb;
  for (int r = 0; r < repeats; ++r) {
    ta.push_back(block(true));
    tb.push_back(block(false));
  }
  std::sort(ta.begin(), ta.end());
  std::sort(tb.begin(), tb.end());
  return {ta[ta.size() / 2], tb[tb.size() / 2]};
}

int main(int, char** argv) {
  restart_with_short_openblas_spin(argv);
  set_num_threads(2);
  std::printf("openblas: %s, threads %d\n", blas_config().c_str(), num_threads());
  Rng rng(1);
  auto randn = [&](Shape s) {
    Tensor<float> t(s);
    for (int64_t i = 0; i < t.numel(); ++i) t[i] = static_cast<float>(rng.normal());
    return t;
  };

  // ---- (1) per-op overhead
  {
    Var<float> a(Tensor<float>::full(Shape{1, 1}, 1.0f), true), b(Tensor<float>::full(Shape{1, 1}, 2.0f), true);
    const int n = 100000;
    Tape<float> tape;
    double s = median_seconds([&] {
      for (int i = 0; i < n; ++i) add(a, b);
      tape.clear();
    }, 9);
    double s_nograd = median_seconds([&] {
      NoGrad no_grad;
      for (int i = 0; i < n; ++i) add(a, b);
    }, 9);
    std::printf("per-op overhead (1x1 add): recorded %.0f ns/op, no-grad %.0f ns/op   target < 1000 ns\n",
                1e9 * s / n, 1e9 * s_nograd / n);
  }

  // ---- (2) matmul vs bare sgemm at (512, 784) @ (784, 400)
  {
    const int B = 512, D = 784, H = 400;
    Tensor<float> x = randn(Shape{B, D}), w = randn(Shape{D, H}), dy = randn(Shape{B, H});
    Tensor<float> y(Shape{B, H}), dx(Shape{B, D}), dw(Shape{D, H});
    auto bare_forward = [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, D, 1.0f, x.data(), D, w.data(), H, 0.0f, y.data(), H);
    };
    auto bare_all = [&] {
      bare_forward();
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, D, H, 1.0f, dy.data(), H, w.data(), H, 0.0f, dx.data(), D);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, B, 1.0f, x.data(), D, dy.data(), H, 0.0f, dw.data(), H);
    };
    Var<float> xv(x, true), wv(w, true);
    auto op_forward = [&] { NoGrad no_grad; matmul(xv, wv); };
    auto op_all = [&] {
      Tape<float> tape;
      Var<float> out = matmul(xv, wv);
      tape.backward(out, dy);
      xv.zero_grad();
      wv.zero_grad();
    };
    const double flop = 2.0 * B * D * H;
    const int reps = 15, calls = 10;
    const auto [t_bare_f, t_op_f] = paired_median_seconds(bare_forward, op_forward, reps, calls);
    const auto [t_bare_a, t_op_a] = paired_median_seconds(bare_all, op_all, reps, calls);
    std::printf("matmul (512,784)@(784,400) forward:          bare sgemm %.1f GFLOP/s, op %.1f GFLOP/s, ratio %.3f   target >= 0.95\n",
                flop / t_bare_f * 1e-9, flop / t_op_f * 1e-9, t_bare_f / t_op_f);
    std::printf("matmul (512,784)@(784,400) forward+backward: bare sgemm %.1f GFLOP/s, op %.1f GFLOP/s, ratio %.3f   target >= 0.95\n",
                3 * flop / t_bare_a * 1e-9, 3 * flop / t_op_a * 1e-9, t_bare_a / t_op_a);
  }

  // ---- (3) sparse path vs gemm, both on our pool, with the compression (forward) and the transpose (backward)
  // counted in the sparse path's time, as matmul.h pays them
  {
    std::printf("mostly-zero left operand, sparse path time / gemm time (below 1: the sparse path wins; used up to "
                "density %.2f):\n", kSparseDensity);
    std::printf("%26s %6s %9s %9s\n", "product", "density", "x W", "x^T dy");
    for (const auto& [B, K, N] : {std::array<int64_t, 3>{512, 784, 400}, std::array<int64_t, 3>{512, 400, 784}}) {
      const Tensor<float> w = randn(Shape{K, N}), dy = randn(Shape{B, N});
      Tensor<float> y(Shape{B, N}), dw(Shape{K, N});
      for (double density : {0.1, 0.2, 0.3, 0.4, 0.5}) {
        Tensor<float> x(Shape{B, K});
        for (int64_t i = 0; i < x.numel(); ++i) x[i] = rng.uniform() < density ? static_cast<float>(rng.uniform()) : 0.0f;
        // matmul.h pays for compressing x (compress_if_sparse refuses denser ones; compress takes any)
        const SparseRows<float> s = compress(x);
        const bool compressible = compress_if_sparse(x) != nullptr;
        auto dense_forward = [&] { gemm(false, false, x, w, 1.0f, 0.0f, y); };
        auto sparse_forward = [&] { sparse_gemm(compress(x), w, false, y); };
        auto dense_backward = [&] { gemm(true, false, x, dy, 1.0f, 0.0f, dw); };
        auto sparse_backward = [&] { sparse_gemm(transpose(s), dy, false, dw); };
        const auto [df, sf] = paired_median_seconds(dense_forward, sparse_forward, 9, 10, true);
        const auto [db, sb] = paired_median_seconds(dense_backward, sparse_backward, 9, 10, true);
        std::printf("%26s %6.2f %9.3f %9.3f%s\n", fmt::format("({},{})@({},{})", B, K, K, N).c_str(), density, sf / df,
                    sb / db, compressible ? "" : "   (gemm used here)");
      }
    }
  }
  return 0;
}
