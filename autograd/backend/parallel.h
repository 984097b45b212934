// parallel.h: how tapegrad uses the cores. One pool of threads (set_num_threads in blas.h sizes it) runs the
// large elementwise loops (the decoder's BCE over B x 784 pixels, relu's backward, Adam over 870k parameters)
// and the pieces of every large matrix multiply (blas.cpp gives each thread its own rows of the product and
// runs OpenBLAS single-threaded inside). One pool rather than ours beside OpenBLAS's: two sets of threads on
// the same cores, each spinning while the other works, cost a VAE epoch about 5% (BENCHMARKS.md).
//
// Determinism: [0, n) is cut into `threads` contiguous chunks by arithmetic alone (which thread runs a chunk is
// decided at run time: whoever claims it first, parallel.cpp), and callers only use it for
// work whose results do not depend on how it is cut (each output element or row computed by one chunk, with
// no sums across chunks). So the elementwise loops are bit-identical to the plain loop, whatever the thread
// count; a matrix product is the same for the same thread count (OpenBLAS may order a dot product differently
// for a block of 256 rows than for 512).
// Small loops (below min_per_thread elements per thread) run inline: handing work to a thread costs microseconds.
// Bodies must not throw (a worker has nowhere to send an exception): check inputs before the loop, as
// datasets/batches.cpp: gather does.
// Read next: ../tensor_math.h (map, zip and friends use it).
#pragma once
#include <cstdint>

namespace tg {

void set_parallel_threads(int threads);  // called by set_num_threads(); 1 = everything inline
int parallel_threads();

namespace detail {
using ChunkFn = void (*)(const void* body, int chunk, int64_t begin, int64_t end);
void run_chunks(int64_t n, int chunks, ChunkFn fn, const void* body);
// For tests: while held, the workers take no chunk, as if every one had lost its core to another program.
void hold_workers(bool hold);
}  // namespace detail

/// Calls body(begin, end) over [0, n) cut into at most parallel_threads() contiguous chunks, each of at least
/// min_per_thread elements; returns when all are done. Calls made from inside a chunk run inline.
template <typename F>
void parallel_for(int64_t n, int64_t min_per_thread, const F& body) {
  const int64_t most = n / (min_per_thread > 0 ? min_per_thread : 1);
  const int chunks = static_cast<int>(most < parallel_threads() ? most : parallel_threads());
  if (chunks <= 1) {
    if (n > 0) body(int64_t{0}, n);
    return;
  }
  detail::run_chunks(n, chunks, [](const void* f, int, int64_t b, int64_t e) { (*static_cast<const F*>(f))(b, e); }, &body);
}

/// Calls body(c, begin, end) for exactly `chunks` pieces of [0, n), piece c = [n c / chunks, n (c + 1) / chunks),
/// each on its own thread (empty pieces are skipped). For work that returns one partial result per piece, to be
/// combined afterwards in piece order: a sum is then the same for the same `chunks`, whatever the timing.
template <typename F>
void parallel_chunks(int64_t n, int chunks, const F& body) {
  if (chunks <= 1) {
    if (n > 0) body(0, int64_t{0}, n);
    return;
  }
  detail::run_chunks(n, chunks, [](const void* f, int c, int64_t b, int64_t e) { (*static_cast<const F*>(f))(c, b, e); }, &body);
}

/// Elements per thread below which a simple elementwise loop is not worth splitting (a few microseconds of work).
inline constexpr int64_t kElementwiseGrain = 1 << 15;
/// Multiply-adds below which a matrix product (blas.cpp: gemm, sparse.cpp: sparse_gemm) is not worth splitting:
/// a few microseconds on one core.
inline constexpr double kMultiplyAddGrain = 1 << 18;

/// parallel_for over the rows of an (R, C) matrix: body(first_row, last_row), rows of about C elements each.
template <typename F>
void parallel_rows(int64_t R, int64_t C, const F& body) {
  parallel_for(R, C >= kElementwiseGrain ? 1 : kElementwiseGrain / (C > 0 ? C : 1), body);
}

}  // namespace tg
