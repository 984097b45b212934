// tsne.cpp: input affinities, the quadtree, the two gradients, and the optimiser loop.
// Read next: embedding_quality.cpp.
#include "analysis/tsne.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <unistd.h>

#include "analysis/neighbors.h"
#include "analysis/pca.h"
#include "autograd/check.h"
#include "autograd/backend/parallel.h"
#include "autograd/rng.h"

namespace tg::analysis {

// ---- 2. input similarities

double calibrate_row(const double* d, int64_t count, double perplexity, double* p, double* beta_out) {
  const double target = std::log(perplexity);
  double dmin = INFINITY;
  for (int64_t j = 0; j < count; ++j) dmin = std::min(dmin, d[j]);
  double beta = 1.0, lo = 0.0, hi = INFINITY, entropy = 0;
  for (int it = 0; it < 200; ++it) {
    // p_j = exp(-beta (d_j - dmin)) / sum: the shift by dmin changes nothing but avoids underflow.
    double sum = 0, weighted = 0;
    for (int64_t j = 0; j < count; ++j) {
      p[j] = std::exp(-beta * (d[j] - dmin));
      sum += p[j];
      weighted += p[j] * (d[j] - dmin);
    }
    entropy = std::log(sum) + beta * weighted / sum;  // H = log sum + beta E[d - dmin]
    for (int64_t j = 0; j < count; ++j) p[j] /= sum;
    if (std::abs(entropy - target) < 1e-5) break;
    if (entropy > target) {  // too flat: sharpen
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
  if (beta_out) *beta_out = beta;
  return entropy;
}

namespace {

struct SparseP {  // CSR, symmetric, sums to 1
  std::vector<int64_t> row;
  std::vector<int32_t> col;
  std::vector<double> val;
};

SparseP sparse_affinities(const Tensor<float>& x, double perplexity) {
  const int64_t n = x.rows();
  const int64_t k = std::min<int64_t>(n - 1, static_cast<int64_t>(3 * perplexity));
  const Neighbors nb = nearest_neighbors(x, k);
  std::vector<std::tuple<int32_t, int32_t, double>> entries;
  entries.reserve(static_cast<size_t>(2 * n * k));
  std::vector<double> d(static_cast<size_t>(k)), p(static_cast<size_t>(k));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t m = 0; m < k; ++m) d[m] = nb.sq_dist[i * k + m];
    calibrate_row(d.data(), k, perplexity, p.data());
    for (int64_t m = 0; m < k; ++m) {
      const int32_t j = nb.index[i * k + m];
      entries.emplace_back(static_cast<int32_t>(i), j, p[m] / (2.0 * n));
      entries.emplace_back(j, static_cast<int32_t>(i), p[m] / (2.0 * n));
    }
  }
  std::sort(entries.begin(), entries.end());
  SparseP P;
  P.row.assign(static_cast<size_t>(n + 1), 0);
  for (size_t e = 0; e < entries.size(); ++e) {
    const auto [i, j, v] = entries[e];
    if (!P.col.empty() && e > 0 && std::get<0>(entries[e - 1]) == i && P.col.back() == j) {
      P.val.back() += v;  // p_j|i and p_i|j meet here
      continue;
    }
    P.col.push_back(j);
    P.val.push_back(v);
    P.row[i + 1] = static_cast<int64_t>(P.col.size());
  }
  for (int64_t i = 1; i <= n; ++i) P.row[i] = std::max(P.row[i], P.row[i - 1]);
  return P;
}

// ---- 3. the quadtree for repulsion

struct QuadTree {
  struct Node {
    double cx, cy, half;        // the cell: centre and half width
    double mx = 0, my = 0;      // centre of mass of the points inside
    int64_t count = 0;
    int32_t point = -1;         // the point of a leaf holding one (or duplicates of one)
    int32_t child = -1;         // index of the first of 4 children, -1 for a leaf
  };
  std::vector<Node> nodes;
  const std::vector<double>* y = nullptr;

  void build(const std::vector<double>& pts, int64_t n) {
    y = &pts;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int64_t i = 0; i < n; ++i) {
      x0 = std::min(x0, pts[2 * i]), x1 = std::max(x1, pts[2 * i]);
      y0 = std::min(y0, pts[2 * i + 1]), y1 = std::max(y1, pts[2 * i + 1]);
    }
    nodes.clear();
    nodes.reserve(static_cast<size_t>(4 * n));
    nodes.push_back(Node{(x0 + x1) / 2, (y0 + y1) / 2, std::max(x1 - x0, y1 - y0) / 2 * (1 + 1e-6) + 1e-12});
    for (int64_t i = 0; i < n; ++i) insert(0, static_cast<int32_t>(i), 0);
  }

  void insert(int32_t at, int32_t i, int depth) {
    const double px = (*y)[2 * i], py = (*y)[2 * i + 1];
    for (;;) {
      Node& nd = nodes[at];
      nd.mx = (nd.mx * nd.count + px) / (nd.count + 1);
      nd.my = (nd.my * nd.count + py) / (nd.count + 1);
      ++nd.count;
      if (nd.child < 0) {
        if (nd.count == 1) {
          nd.point = i;
          return;
        }
        // A second point in a leaf: split, unless it duplicates the first (or we are absurdly deep).
        const int32_t old = nd.point;
        if (depth > 60 || ((*y)[2 * old] == px && (*y)[2 * old + 1] == py)) return;
        const int32_t first = static_cast<int32_t>(nodes.size());
        const double h = nd.half / 2, cx = nd.cx, cy = nd.cy;
        nodes[at].child = first;
        for (int q = 0; q < 4; ++q) nodes.push_back(Node{cx + (q & 1 ? h : -h), cy + (q & 2 ? h : -h), h});
        Node& parent = nodes[at];
        parent.point = -1;
        // re-insert the old point one level down (its mass is already counted in `parent`)
        const int32_t qo = quadrant(parent, (*y)[2 * old], (*y)[2 * old + 1]);
        Node& oc = nodes[parent.child + qo];
        oc.mx = (*y)[2 * old];
        oc.my = (*y)[2 * old + 1];
        oc.count = parent.count - 1;  // duplicates of `old` travel together
        oc.point = old;
      }
      at = nodes[at].child + quadrant(nodes[at], px, py);
      ++depth;
    }
  }

  static int32_t quadrant(const Node& nd, double px, double py) { return (px > nd.cx ? 1 : 0) + (py > nd.cy ? 2 : 0); }

  // Adds to (fx, fy) the unnormalised repulsion sum_j q_ij^2 (y_i - y_j) and returns sum_j q_ij, j != i.
  double repulsion(int64_t i, double theta, double& fx, double& fy) const {
    const double px = (*y)[2 * i], py = (*y)[2 * i + 1];
    double z = 0;
    int32_t stack[256];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node& nd = nodes[stack[--top]];
      if (nd.count == 0) continue;
      const double dx = px - nd.mx, dy = py - nd.my, d2 = dx * dx + dy * dy;
      if (nd.child < 0 || 2 * nd.half < theta * std::sqrt(d2)) {
        // a leaf, or a cell far enough to act as one point at its centre of mass
        double count = double(nd.count);
        if (nd.child < 0 && d2 == 0) count -= 1;  // the leaf holds i itself (and maybe duplicates of it)
        if (count <= 0) continue;
        const double q = 1.0 / (1.0 + d2);
        z += count * q;
        fx += count * q * q * dx;
        fy += count * q * q * dy;
        continue;
      }
      for (int c = 0; c < 4; ++c) stack[top++] = nd.child + c;
    }
    return z;
  }
};

// Splits [0, n) into `threads` pieces on parallel.h's pool; each returns a partial sum, added in piece order
// (deterministic for a given thread count).
template <typename F>
double parallel_sum(int64_t n, int threads, F f) {
  std::vector<double> partial(static_cast<size_t>(threads), 0.0);
  parallel_chunks(n, threads, [&](int c, int64_t a, int64_t b) { partial[c] = f(a, b); });
  double s = 0;
  for (double v : partial) s += v;
  return s;
}

std::vector<double> initial_layout(const Tensor<float>& x, uint64_t seed) {
  const int64_t n = x.rows(), dims = x.cols();
  std::vector<double> y(static_cast<size_t>(2 * n));
  if (dims >= 2 && n >= 3) {  // PCA initialisation, scaled so the first axis has standard deviation 1e-4
    const Tensor<float> c = fit_pca(x, 2).project(x);
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += double(c[2 * i]) * c[2 * i];
    const double scale = 1e-4 / std::max(std::sqrt(s / double(n)), 1e-12);
    for (int64_t i = 0; i < 2 * n; ++i) y[i] = c[i] * scale;
  } else {
    Rng rng(seed);
    for (double& v : y) v = 1e-4 * rng.normal();
  }
  return y;
}

}  // namespace

TsneResult tsne(const Tensor<float>& x_in, const TsneOptions& o) {
  require(x_in.shape().rank == 2 && x_in.rows() >= 4, "tsne: points of shape {}, expected (n, dims) with n >= 4",
          to_string(x_in.shape()));
  const int64_t n = x_in.rows();
  require(o.perplexity > 0 && 3 * o.perplexity < double(n), "tsne: perplexity {} needs more than {} points", o.perplexity,
          static_cast<int64_t>(3 * o.perplexity));
  const auto t0 = std::chrono::steady_clock::now();
  const Tensor<float> x = o.pca_dims > 0 && x_in.cols() > o.pca_dims ? fit_pca(x_in, o.pca_dims).project(x_in) : x_in;
  const int threads = std::max(1, o.threads);
  const bool live = o.verbose && isatty(STDERR_FILENO) == 1;  // a redrawn line only makes sense on a terminal
  const double lr = o.learning_rate > 0 ? o.learning_rate : std::max(200.0, double(n) / 12.0);

  // Input affinities: sparse for Barnes-Hut, dense for the exact reference.
  SparseP P;
  std::vector<double> dense;
  if (o.exact) {
    dense.assign(static_cast<size_t>(n * n), 0.0);
    std::vector<double> d(static_cast<size_t>(n - 1)), p(static_cast<size_t>(n - 1));
    for_each_distance_block(x, [&](int64_t first, int64_t rows, const float* d2) {
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t i = first + r;
        int64_t c = 0;
        for (int64_t j = 0; j < n; ++j)
          if (j != i) d[c++] = d2[r * n + j];
        calibrate_row(d.data(), n - 1, o.perplexity, p.data());
        c = 0;
        for (int64_t j = 0; j < n; ++j) {
          if (j == i) continue;
          dense[i * n + j] += p[c] / (2.0 * n);  // p_ij = (p_j|i + p_i|j) / 2N
          dense[j * n + i] += p[c] / (2.0 * n);
          ++c;
        }
      }
    });
  } else {
    P = sparse_affinities(x, o.perplexity);
  }

  std::vector<double> y = initial_layout(x, o.seed);
  std::vector<double> grad(static_cast<size_t>(2 * n)), update(static_cast<size_t>(2 * n), 0.0),
      gains(static_cast<size_t>(2 * n), 1.0);
  QuadTree tree;
  double z = 0;
  for (int it = 0; it < o.iterations; ++it) {
    const double exaggeration = it < o.exaggeration_iterations ? o.early_exaggeration : 1.0;
    const double momentum = it < o.exaggeration_iterations ? 0.5 : 0.8;
    // Gradient of KL(P||Q) (bhtsne's convention, without the factor 4):
    //   dC/dy_i = sum_j (exaggeration p_ij - q_ij) w_ij (y_i - y_j),  w_ij = 1 / (1 + |y_i - y_j|^2), q_ij = w_ij / Z
    std::vector<double> rep(static_cast<size_t>(2 * n), 0.0);
    if (o.exact) {
      z = parallel_sum(n, threads, [&](int64_t a, int64_t b) {
        double zs = 0;
        for (int64_t i = a; i < b; ++i) {
          double ax = 0, ay = 0, rx = 0, ry = 0;
          for (int64_t j = 0; j < n; ++j) {
            if (j == i) continue;
            const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1], w = 1.0 / (1.0 + dx * dx + dy * dy);
            zs += w;
            ax += dense[i * n + j] * w * dx, ay += dense[i * n + j] * w * dy;
            rx += w * w * dx, ry += w * w * dy;
          }
          grad[2 * i] = exaggeration * ax, grad[2 * i + 1] = exaggeration * ay;
          rep[2 * i] = rx, rep[2 * i + 1] = ry;
        }
        return zs;
      });
    } else {
      tree.build(y, n);
      z = parallel_sum(n, threads, [&](int64_t a, int64_t b) {
        double zs = 0;
        for (int64_t i = a; i < b; ++i) {
          double ax = 0, ay = 0;
          for (int64_t e = P.row[i]; e < P.row[i + 1]; ++e) {
            const int64_t j = P.col[e];
            const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1], w = 1.0 / (1.0 + dx * dx + dy * dy);
            ax += P.val[e] * w * dx, ay += P.val[e] * w * dy;
          }
          grad[2 * i] = exaggeration * ax, grad[2 * i + 1] = exaggeration * ay;
          zs += tree.repulsion(i, o.theta, rep[2 * i], rep[2 * i + 1]);
        }
        return zs;
      });
    }
    for (int64_t i = 0; i < 2 * n; ++i) {
      const double g = grad[i] - rep[i] / z;
      // Gains (Jacobs 1988): grow a coordinate's step while the gradient keeps its direction.
      gains[i] = (g > 0) != (update[i] > 0) ? gains[i] + 0.2 : std::max(gains[i] * 0.8, 0.01);
      update[i] = momentum * update[i] - lr * gains[i] * g;
      y[i] += update[i];
    }
    double mx = 0, my = 0;
    for (int64_t i = 0; i < n; ++i) mx += y[2 * i], my += y[2 * i + 1];
    for (int64_t i = 0; i < n; ++i) y[2 * i] -= mx / n, y[2 * i + 1] -= my / n;
    if (live && (it + 1) % 50 == 0)
      std::fprintf(stderr, "\r  t-SNE iteration %d/%d", it + 1, o.iterations), std::fflush(stderr);
  }
  if (live) std::fprintf(stderr, "\r%40s\r", "");

  // KL(P || Q) = sum p_ij log(p_ij / q_ij), q_ij = w_ij / Z, with the last layout's Z.
  TsneResult r;
  if (!o.exact) {
    tree.build(y, n);
    z = parallel_sum(n, threads, [&](int64_t a, int64_t b) {
      double zs = 0, fx = 0, fy = 0;
      for (int64_t i = a; i < b; ++i) zs += tree.repulsion(i, o.theta, fx, fy);
      return zs;
    });
  } else {
    z = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j)
        if (i != j) {
          const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
          z += 1.0 / (1.0 + dx * dx + dy * dy);
        }
  }
  auto kl_term = [&](int64_t i, int64_t j, double p) {
    const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
    const double q = 1.0 / (1.0 + dx * dx + dy * dy) / z;
    return p > 0 ? p * std::log(p / std::max(q, 1e-300)) : 0.0;
  };
  if (o.exact) {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j)
        if (i != j) r.kl += kl_term(i, j, dense[i * n + j]);
  } else {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t e = P.row[i]; e < P.row[i + 1]; ++e) r.kl += kl_term(i, P.col[e], P.val[e]);
  }
  r.y = std::move(y);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace tg::analysis
