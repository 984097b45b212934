// bare_blas.h: the benchmarks' reference is OpenBLAS at its best on its own: called directly, threaded by
// itself, with the cores to itself. tapegrad keeps OpenBLAS single-threaded and splits each product over its own
// pool (autograd/blas.cpp), so for the duration of a reference measurement this hands OpenBLAS the pool's
// thread count and stops the pool's workers (an idle worker spins for a moment before it sleeps, which would
// take a core from the reference when the two are timed in alternation).
#pragma once
#include <cblas.h>
#include <unistd.h>

#include <cstdlib>

#include "autograd/backend/blas.h"
#include "autograd/backend/parallel.h"

class OpenBlasOwnThreads {
 public:
  OpenBlasOwnThreads() : threads_(tg::num_threads()) {
    tg::set_parallel_threads(1);  // joins the workers; the next job after this starts them again
    openblas_set_num_threads(threads_);
  }
  ~OpenBlasOwnThreads() { tg::set_num_threads(threads_); }
  OpenBlasOwnThreads(const OpenBlasOwnThreads&) = delete;
  OpenBlasOwnThreads& operator=(const OpenBlasOwnThreads&) = delete;

 private:
  int threads_;
};

// After each call OpenBLAS's threads spin for 2^28 cycles (about 0.1 s) before they sleep, so a reference
// measurement would go on taking a core from ours for that long. 2^20 cycles (under a millisecond) is still far
// longer than the gap between two calls of the reference. OpenBLAS reads this when it loads, before main, so
// the benchmark restarts itself once with it set.
inline void restart_with_short_openblas_spin(char** argv) {
  if (std::getenv("OPENBLAS_THREAD_TIMEOUT")) return;
  setenv("OPENBLAS_THREAD_TIMEOUT", "20", 1);
  execv("/proc/self/exe", argv);  // returns only if it failed: then carry on, with ours slightly handicapped
}
