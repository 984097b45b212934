// test_parallel.cpp: parallel_for covers its range exactly once, nests and recovers from small inputs, and
// nothing computed through it depends on the thread count (bit-identical results); gemm split over the pool
// computes the right product and repeats it exactly; Rng::fill_normal gives the
// very draws of repeated normal() calls and leaves the generator where they would.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <numbers>
#include <thread>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/backend/parallel.h"
#include "optim/optimizer.h"

using namespace tg;

namespace {

// Sets the pool size for one test and puts it back afterwards.
class Threads {
 public:
  explicit Threads(int n) : previous_(parallel_threads()) { set_parallel_threads(n); }
  ~Threads() { set_parallel_threads(previous_); }

 private:
  int previous_;
};

bool same_bits(const Tensor<float>& a, const Tensor<float>& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.numel())) == 0;
}

Tensor<float> random_tensor(Shape s, uint64_t seed) {
  Rng rng(seed);
  Tensor<float> t(s);
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = static_cast<float>(4 * rng.uniform() - 2);
  return t;
}

}  // namespace

TEST(ParallelFor, EveryIndexExactlyOnceInContiguousChunks) {
  Threads two(2);
  const int64_t n = 100003;
  std::vector<std::atomic<int>> hits(n);
  std::atomic<int> calls{0};
  parallel_for(n, 1000, [&](int64_t begin, int64_t end) {
    EXPECT_LT(begin, end);
    ++calls;
    for (int64_t i = begin; i < end; ++i) ++hits[i];
  });
  EXPECT_EQ(calls.load(), 2);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "index " << i;
}

TEST(ParallelChunks, ExactlyTheAskedPiecesEachWithItsIndex) {  // t-SNE's partial sums rely on this
  Threads two(2);
  for (int chunks : {1, 2, 3, 5}) {
    const int64_t n = 1001;
    std::vector<int64_t> begins(chunks, -1), ends(chunks, -1);
    parallel_chunks(n, chunks, [&](int c, int64_t b, int64_t e) { begins[c] = b, ends[c] = e; });
    for (int c = 0; c < chunks; ++c) {
      EXPECT_EQ(begins[c], n * c / chunks) << chunks << " chunks, piece " << c;
      EXPECT_EQ(ends[c], n * (c + 1) / chunks) << chunks << " chunks, piece " << c;
    }
  }
}

TEST(ParallelFor, SmallRangesRunInlineAsOneChunk) {
  Threads two(2);
  int calls = 0;  // not atomic on purpose: one chunk means one thread
  parallel_for(100, 1000, [&](int64_t begin, int64_t end) {
    ++calls;
    EXPECT_EQ(begin, 0);
    EXPECT_EQ(end, 100);
  });
  EXPECT_EQ(calls, 1);
  parallel_for(0, 1, [&](int64_t, int64_t) { ++calls; });
  EXPECT_EQ(calls, 1);  // an empty range calls nothing
}

TEST(ParallelFor, NestedCallsRunInlineWithoutDeadlock) {
  Threads two(2);
  std::atomic<int64_t> total{0};
  parallel_for(4, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      parallel_for(1000, 10, [&](int64_t b, int64_t e) { total += e - b; });
  });
  EXPECT_EQ(total.load(), 4000);
}

TEST(ParallelFor, ManyJobsInARowAllComplete) {  // the wake-up handshake, thousands of times
  Threads two(2);
  for (int job = 0; job < 5000; ++job) {
    std::atomic<int64_t> sum{0};
    parallel_for(64, 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) sum += i;
    });
    ASSERT_EQ(sum.load(), 64 * 63 / 2) << "job " << job;
  }
}

// A worker that has lost its core does not hold the job up: the caller claims the chunk nobody has taken and
// runs it (parallel.cpp). With every worker held back, each job still completes on the calling thread alone,
// every piece exactly once with its own bounds, and a gemm gives the same bits as with the workers free.
TEST(ParallelFor, TheCallerTakesTheChunksOfAWorkerThatLostItsCore) {
  Threads four(4);
  const Tensor<float> a = random_tensor(Shape{512, 300}, 4), b = random_tensor(Shape{300, 200}, 5);
  Tensor<float> free_c(Shape{512, 200}), held_c(Shape{512, 200});
  gemm(false, false, a, b, 1.0f, 0.0f, free_c);
  detail::hold_workers(true);
  const std::thread::id caller = std::this_thread::get_id();
  for (int job = 0; job < 100; ++job) {
    std::vector<int64_t> begins(4, -1);
    std::atomic<int> on_caller{0};
    parallel_chunks(1000, 4, [&](int c, int64_t b0, int64_t) {
      begins[c] = b0;
      if (std::this_thread::get_id() == caller) ++on_caller;
    });
    ASSERT_EQ(on_caller.load(), 4) << "job " << job;
    for (int c = 0; c < 4; ++c) ASSERT_EQ(begins[c], 1000 * c / 4) << "job " << job;
  }
  gemm(false, false, a, b, 1.0f, 0.0f, held_c);
  detail::hold_workers(false);
  EXPECT_TRUE(same_bits(free_c, held_c));
}

// Chunks are claimed by whoever comes first: over many jobs, each chunk runs exactly once, whichever thread ran it.
TEST(ParallelChunks, EveryChunkOnceWhoeverClaimsIt) {
  Threads three(3);
  for (int job = 0; job < 3000; ++job) {
    std::vector<std::atomic<int>> runs(3);
    parallel_chunks(3, 3, [&](int c, int64_t, int64_t) { ++runs[c]; });
    for (int c = 0; c < 3; ++c) ASSERT_EQ(runs[c].load(), 1) << "job " << job << ", chunk " << c;
  }
}

TEST(ParallelFor, SetNumThreadsSizesThePool) {
  const int before = parallel_threads();
  set_num_threads(2);
  EXPECT_EQ(parallel_threads(), 2);
  set_num_threads(1);
  EXPECT_EQ(parallel_threads(), 1);
  set_parallel_threads(before);
}

// gemm splits c into one block of rows (or of columns, when c has only a few rows) per pool thread, each a
// separate BLAS call with the operands' offsets worked out by hand: check every transpose combination, both
// split directions, an uneven last piece, alpha and beta, against a plain triple loop in double.
TEST(Gemm, SplitAcrossThePoolMatchesAPlainTripleLoop) {
  Threads two(2);
  struct Case {
    int64_t M, N, K;
  };
  for (Case s : {Case{301, 40, 60}, Case{6, 517, 120}})  // rows split / columns split; both above the split size
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        const Tensor<float> a = random_tensor(ta ? Shape{s.K, s.M} : Shape{s.M, s.K}, 1);
        const Tensor<float> b = random_tensor(tb ? Shape{s.N, s.K} : Shape{s.K, s.N}, 2);
        Tensor<float> c = random_tensor(Shape{s.M, s.N}, 3);
        const Tensor<float> c0 = c.clone();
        gemm(ta, tb, a, b, 0.5f, 2.0f, c);
        double worst = 0;
        for (int64_t i = 0; i < s.M; ++i)
          for (int64_t j = 0; j < s.N; ++j) {
            double dot = 0;
            for (int64_t k = 0; k < s.K; ++k)
              dot += double(ta ? a.at(k, i) : a.at(i, k)) * double(tb ? b.at(j, k) : b.at(k, j));
            worst = std::max(worst, std::abs(c.at(i, j) - (0.5 * dot + 2.0 * c0.at(i, j))));
          }
        EXPECT_LT(worst, 1e-4) << s.M << "x" << s.N << "x" << s.K << " ta " << ta << " tb " << tb;
      }
}

TEST(Gemm, SameThreadCountSameBits) {  // each element is the same dot product in the same order, every time
  Threads two(2);
  const Tensor<float> a = random_tensor(Shape{512, 300}, 1), b = random_tensor(Shape{300, 200}, 2);
  Tensor<float> first(Shape{512, 200}), again(Shape{512, 200});
  gemm(false, false, a, b, 1.0f, 0.0f, first);
  for (int repeat = 0; repeat < 20; ++repeat) {
    gemm(false, false, a, b, 1.0f, 0.0f, again);
    ASSERT_TRUE(same_bits(first, again)) << "repeat " << repeat;
  }
}

// Large enough that every loop below is split; compare against the one-thread results bit by bit.
TEST(ParallelFor, ElementwiseLoopsGiveBitIdenticalResultsForAnyThreadCount) {
  const Tensor<float> a = random_tensor(Shape{512, 784}, 1), b = random_tensor(Shape{512, 784}, 2);
  const Tensor<float> row = random_tensor(Shape{1, 784}, 3), per_row = random_tensor(Shape{512}, 4);
  auto run = [&](int threads) {
    Threads pool(threads);
    std::vector<Tensor<float>> out;
    out.push_back(map(a, [](float v) { return std::exp(v) * 0.5f; }));
    out.push_back(zip(a, b, [](float x, float y) { return x * y - y; }));
    out.push_back(broadcast_zip(a, row, [](float x, float y) { return x + y; }, "add"));
    out.push_back(sum_to(a, Shape{1, 784}));
    out.push_back(scale_rows(a, per_row, 0.5f));
    out.push_back(repeat_rows(a, 3, 100, 7));
    Tensor<float> acc = a.clone();
    add_into(acc, b);
    out.push_back(acc);
    Var<float> x(a, true), t(b);
    Tape<float> tape;
    Var<float> loss = sum(bce_with_logits_rowsum(x, t));
    tape.backward(loss);
    out.push_back(bce_with_logits_rowsum(x, t).value());
    out.push_back(x.grad());
    out.push_back(gaussian_kl(Var<float>(a), Var<float>(b)).value());
    return out;
  };
  const std::vector<Tensor<float>> one = run(1), two = run(2);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(same_bits(one[i], two[i])) << "result " << i;
}

TEST(ParallelFor, AdamStepIsBitIdenticalForAnyThreadCount) {
  auto run = [](int threads) {
    Threads pool(threads);
    Var<float> w(random_tensor(Shape{400, 784}, 5), true);
    optim::Adam adam({{"w", w}}, 1e-3f);
    for (int step = 0; step < 3; ++step) {
      w.grad() = random_tensor(Shape{400, 784}, 10 + step);
      adam.step();
    }
    return w.value().clone();
  };
  EXPECT_TRUE(same_bits(run(1), run(2)));
}

TEST(RngFillNormal, SameDrawsAndStateAsRepeatedNormalCalls) {
  Threads two(2);
  for (int64_t n : {0, 1, 2, 7, 8, 100001, 100002}) {
    for (bool start_with_spare : {false, true}) {
      Rng a(42), b(42);
      if (start_with_spare) a.normal(), b.normal();  // leaves a spare pending in both
      std::vector<float> filled(static_cast<size_t>(n));
      a.fill_normal(filled.data(), n);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(filled[i], static_cast<float>(b.normal())) << "n " << n << ", index " << i;
      EXPECT_EQ(a.state(), b.state()) << "n " << n;
      EXPECT_EQ(a.normal(), b.normal()) << "the next draw after n " << n;
    }
  }
}

// The draws come from glibc's vector log/sin/cos (rng.cpp); the Box-Muller formula with libm's scalar functions,
// on the very same uniforms, must agree to a few double ulps — for whole vectors and for padded partial ones.
TEST(RngFillNormal, VectorBoxMullerAgreesWithLibmOnTheSameUniforms) {
  const int64_t n = 20001;  // odd: ends in a partial vector and a pending spare
  Rng rng(5), uniforms(5);
  std::vector<double> filled(static_cast<size_t>(n));
  rng.fill_normal(filled.data(), n);
  double worst = 0;
  for (int64_t i = 0; i < n; i += 2) {
    double u1;
    do u1 = uniforms.uniform();
    while (u1 <= 0.0);
    const double u2 = uniforms.uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1)), angle = 2.0 * std::numbers::pi * u2;
    worst = std::max(worst, std::abs(filled[i] - radius * std::cos(angle)));
    if (i + 1 < n) worst = std::max(worst, std::abs(filled[i + 1] - radius * std::sin(angle)));
  }
  EXPECT_LT(worst, 1e-14);  // the draws are below 6 in magnitude: a few ulps of that
  for (int word = 0; word < 4; ++word)  // and it consumed exactly those uniforms
    EXPECT_EQ(rng.state()[word], uniforms.state()[word]);
}

TEST(RngFillNormal, DoubleVersionToo) {
  Rng a(7), b(7);
  std::vector<double> filled(9);
  a.fill_normal(filled.data(), 9);
  for (double v : filled) EXPECT_EQ(v, b.normal());
  EXPECT_EQ(a.state(), b.state());
}
