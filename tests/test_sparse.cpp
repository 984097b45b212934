// test_sparse.cpp: the mostly-zero path of matmul.h (sparse.h). Compression keeps exactly the nonzeros and
// refuses dense matrices; the transpose is the dense transpose; sparse_gemm equals a plain triple loop for
// every kind of column block (tiles, single vectors, the scalar tail), with and without accumulating, with
// empty rows and rows that start late, bit for bit for any thread count; NaN propagates; and the layers give
// gemm's numbers on MNIST-like input. The gradients through this path are checked in double by the gradcheck
// table's mostly_zero rows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "autograd/autograd.h"
#include "autograd/backend/parallel.h"
#include "autograd/backend/sparse.h"

using namespace tg;

namespace {

class Threads {  // sets the pool size for one test and puts it back afterwards
 public:
  explicit Threads(int n) : previous_(parallel_threads()) { set_parallel_threads(n); }
  ~Threads() { set_parallel_threads(previous_); }

 private:
  int previous_;
};

// Zero with probability 1 - density, else uniform(0.1, 1); rows listed in `empty_rows` all zero.
template <typename T>
Tensor<T> mostly_zero(Shape s, double density, uint64_t seed, std::vector<int64_t> empty_rows = {}) {
  Rng rng(seed);
  Tensor<T> t(s);
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = rng.uniform() < density ? T(0.1 + 0.9 * rng.uniform()) : T(0);
  for (int64_t r : empty_rows) std::fill(t.data() + r * s.cols(), t.data() + (r + 1) * s.cols(), T(0));
  return t;
}

template <typename T>
Tensor<T> uniform(Shape s, uint64_t seed) {
  Rng rng(seed);
  Tensor<T> t(s);
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = T(2 * rng.uniform() - 1);
  return t;
}

// c (+)= a b by three loops in double.
Tensor<double> reference_product(const Tensor<double>& a, const Tensor<double>& b, const Tensor<double>* c0) {
  Tensor<double> c(Shape{a.rows(), b.cols()});
  for (int64_t i = 0; i < a.rows(); ++i)
    for (int64_t j = 0; j < b.cols(); ++j) {
      double s = c0 ? c0->at(i, j) : 0.0;
      for (int64_t k = 0; k < a.cols(); ++k) s += a.at(i, k) * b.at(k, j);
      c.at(i, j) = s;
    }
  return c;
}

}  // namespace

TEST(SparseRows, KeepsExactlyTheNonzerosInRowOrder) {
  const Tensor<float> x = mostly_zero<float>(Shape{7, 31}, 0.2, 1, {0, 4});
  const auto s = compress_if_sparse(x);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rows, 7);
  EXPECT_EQ(s->cols, 31);
  int64_t expected = 0;
  for (int64_t i = 0; i < x.numel(); ++i) expected += x[i] != 0;
  EXPECT_EQ(s->nonzeros(), expected);
  Tensor<float> rebuilt = Tensor<float>::zeros(x.shape());
  for (int64_t r = 0; r < s->rows; ++r)
    for (int64_t p = s->row_start[r]; p < s->row_start[r + 1]; ++p) {
      if (p > s->row_start[r]) {
        EXPECT_LT(s->column[p - 1], s->column[p]) << "columns increase within a row";
      }
      EXPECT_NE(s->value[p], 0.0f);
      rebuilt.at(r, s->column[p]) = s->value[p];
    }
  EXPECT_EQ(std::memcmp(rebuilt.data(), x.data(), sizeof(float) * size_t(x.numel())), 0);
  EXPECT_EQ(s->row_start[1], 0) << "row 0 is empty";
}

TEST(SparseRows, DenseMatricesAreRefused) {
  // Beyond kSparseDensity in the first rows (a hidden layer's activations), or only further down.
  EXPECT_FALSE(compress_if_sparse(uniform<float>(Shape{64, 50}, 2)));
  Tensor<float> late = mostly_zero<float>(Shape{64, 50}, 0.05, 3);
  for (int64_t i = 20 * 50; i < late.numel(); ++i) late[i] = 1;  // dense from row 20
  EXPECT_FALSE(compress_if_sparse(late));
  EXPECT_TRUE(compress_if_sparse(mostly_zero<float>(Shape{64, 50}, kSparseDensity / 2, 4)));
  EXPECT_TRUE(compress_if_sparse(mostly_zero<double>(Shape{3, 60}, 0.1, 5))) << "the gradcheck rows' kind of input";
}

TEST(SparseRows, CompressTakesAnyDensityAndNamesANonMatrix) {  // what bench_core times at every density
  const Tensor<float> dense = uniform<float>(Shape{6, 9}, 20);
  ASSERT_FALSE(compress_if_sparse(dense));
  const SparseRows<float> s = compress(dense);
  EXPECT_EQ(s.nonzeros(), dense.numel());
  EXPECT_EQ(std::vector<float>(dense.data(), dense.data() + dense.numel()), s.value);
  try {
    compress(Tensor<float>(Shape{5}));
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("compress: needs a matrix — got (5)"), std::string::npos) << e.what();
  }
}

TEST(SparseRows, SwitchedOffEverythingGoesToGemm) {  // what bench_vae's all-dense column measures
  const Tensor<float> x = mostly_zero<float>(Shape{8, 50}, 0.1, 19);
  set_sparse_products(false);
  const bool refused = compress_if_sparse(x) == nullptr;
  set_sparse_products(true);
  EXPECT_TRUE(refused);
  EXPECT_TRUE(compress_if_sparse(x));
}

TEST(SparseRows, TransposeIsTheDenseTranspose) {
  const Tensor<double> x = mostly_zero<double>(Shape{9, 13}, 0.15, 6, {2, 8});
  const auto s = compress_if_sparse(x);
  ASSERT_TRUE(s);
  const SparseRows<double> t = transpose(*s);
  ASSERT_EQ(t.rows, 13);
  ASSERT_EQ(t.cols, 9);
  Tensor<double> rebuilt = Tensor<double>::zeros(Shape{13, 9});
  for (int64_t r = 0; r < t.rows; ++r)
    for (int64_t p = t.row_start[r]; p < t.row_start[r + 1]; ++p) {
      if (p > t.row_start[r]) {
        EXPECT_LT(t.column[p - 1], t.column[p]);
      }
      rebuilt.at(r, t.column[p]) = t.value[p];
    }
  for (int64_t i = 0; i < 9; ++i)
    for (int64_t j = 0; j < 13; ++j) EXPECT_EQ(rebuilt.at(j, i), x.at(i, j));
}

TEST(SparseGemm, MatchesATripleLoopForEveryColumnBlock) {
  Threads two(2);
  // 64 doubles per tile of 8 vectors, 8 per vector: 75 = tile + vector + 3 scalar columns; 5 = scalar only;
  // 400 = the VAE's hidden layer; 2000 rows x 300 columns makes enough work to split over both threads.
  for (const auto& [M, K, N] : std::vector<std::array<int64_t, 3>>{{6, 40, 75}, {5, 30, 5}, {12, 784, 400}, {2000, 50, 300}})
    for (bool accumulate : {false, true}) {
      SCOPED_TRACE(testing::Message() << M << "x" << K << " @ " << K << "x" << N << (accumulate ? " +=" : ""));
      Tensor<double> a = mostly_zero<double>(Shape{M, K}, 0.15, 7, {0, M - 1});
      // a row whose first nonzero lies beyond the kernel's first block of 64 columns
      for (int64_t k = 0; k < std::min<int64_t>(K, 200); ++k) a.at(1, k) = 0;
      const Tensor<double> b = uniform<double>(Shape{K, N}, 8), c0 = uniform<double>(Shape{M, N}, 9);
      Tensor<double> c = c0.clone();
      const auto s = compress_if_sparse(a);
      ASSERT_TRUE(s);
      sparse_gemm(*s, b, accumulate, c);
      const Tensor<double> want = reference_product(a, b, accumulate ? &c0 : nullptr);
      double worst = 0;
      for (int64_t i = 0; i < c.numel(); ++i) worst = std::max(worst, std::abs(c[i] - want[i]));
      EXPECT_LT(worst, 1e-12);
    }
}

TEST(SparseGemm, SameBitsForAnyThreadCount) {  // each row is one thread's sum in column order
  const Tensor<float> a = mostly_zero<float>(Shape{512, 784}, 0.19, 10), b = uniform<float>(Shape{784, 400}, 11);
  const auto s = compress_if_sparse(a);
  ASSERT_TRUE(s);
  Tensor<float> one(Shape{512, 400}), two(Shape{512, 400});
  {
    Threads t(1);
    sparse_gemm(*s, b, false, one);
  }
  {
    Threads t(2);
    sparse_gemm(*s, b, false, two);
  }
  EXPECT_EQ(std::memcmp(one.data(), two.data(), sizeof(float) * size_t(one.numel())), 0);
}

TEST(SparseGemm, RefusesMismatchedShapesNamingThem) {
  const auto s = compress_if_sparse(mostly_zero<float>(Shape{4, 10}, 0.1, 12));
  ASSERT_TRUE(s);
  Tensor<float> c(Shape{4, 3});
  try {
    sparse_gemm(*s, uniform<float>(Shape{9, 3}, 13), false, c);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("(4, 10) @ (9, 3)"), std::string::npos) << e.what();
  }
}

TEST(SparseGemm, NaNInTheSparseOperandPropagates) {
  Tensor<float> a = mostly_zero<float>(Shape{4, 20}, 0.1, 14);
  a.at(2, 5) = std::nanf("");
  Tensor<float> c(Shape{4, 17});
  const auto s = compress_if_sparse(a);
  ASSERT_TRUE(s);
  sparse_gemm(*s, uniform<float>(Shape{20, 17}, 15), false, c);
  for (int64_t j = 0; j < 17; ++j) EXPECT_TRUE(std::isnan(c.at(2, j)));
  EXPECT_FALSE(std::isnan(c.at(1, 0)));
}

TEST(SparseGemm, LayersOnMnistLikeInputGiveGemmsNumbersInFloat) {
  // The encoder's first layer on a batch with 19% ink: forward and both weight gradients through the sparse
  // path, compared with the same layer evaluated densely (a value of 1e-30 instead of 0 defeats compression).
  const Tensor<float> x = mostly_zero<float>(Shape{64, 784}, 0.19, 16);
  Tensor<float> x_dense = x.clone();
  for (int64_t i = 0; i < x_dense.numel(); ++i)
    if (x_dense[i] == 0) x_dense[i] = 1e-30f;
  ASSERT_TRUE(compress_if_sparse(x));
  ASSERT_FALSE(compress_if_sparse(x_dense));
  const Tensor<float> w0 = uniform<float>(Shape{784, 400}, 17), b0 = uniform<float>(Shape{1, 400}, 18);
  auto run = [&](const Tensor<float>& input) {
    Tape<float> tape;
    Var<float> w(w0.clone(), true), b(b0.clone(), true);
    Var<float> y = linear_relu(Var<float>(input), w, b);
    tape.backward(sum(y));
    return std::array<Tensor<float>, 3>{y.value(), w.grad(), b.grad()};
  };
  const auto sparse = run(x), dense = run(x_dense);
  for (int k = 0; k < 3; ++k) {
    double worst = 0;
    for (int64_t i = 0; i < sparse[k].numel(); ++i)
      worst = std::max(worst, double(std::abs(sparse[k][i] - dense[k][i])) / (1 + std::abs(dense[k][i])));
    EXPECT_LT(worst, 1e-5) << "output " << k;
  }
}
