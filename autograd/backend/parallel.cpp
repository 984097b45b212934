// parallel.cpp: the pool behind parallel_for and behind every large gemm (blas.cpp). The caller runs chunk 0
// itself; chunks 1.. go to the workers. Jobs come in bursts — a training step is a few dozen of them, tens of
// microseconds apart — so a worker that has just finished one spins (with the CPU's pause hint) for half a
// millisecond before it sleeps on a condition variable; waking a sleeping thread costs tens of microseconds,
// as much as a small job. Nothing else spins: OpenBLAS runs single-threaded inside our chunks (blas.cpp), so on a
// machine with as many cores as pool threads a spinning worker takes no core that anyone else wants.
// One job at a time: a second caller (another user thread) and calls from inside a chunk simply run inline.
#include "autograd/backend/parallel.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TG_CPU_RELAX() _mm_pause()
#else
#define TG_CPU_RELAX() std::this_thread::yield()
#endif

namespace tg {
namespace {

thread_local bool inside_chunk = false;

using Clock = std::chrono::steady_clock;
// How long an idle worker waits for the next job before going to sleep, and how long the caller spins for the
// workers before it starts yielding its core (only a crowded machine needs the latter). The longest gap between
// two jobs of a VAE step is the caller drawing 102,400 uniforms in order at Z = 200 (~250 us): with 200 us the
// worker slept and was woken once a step; with 500 us, about once an epoch.
constexpr auto kWorkerSpin = std::chrono::microseconds(500);
constexpr auto kCallerSpin = std::chrono::microseconds(50);

// Spin until done() or until `budget` has passed (the clock is read only every 64 pauses); returns done().
template <typename Done>
bool spin_for(Clock::duration budget, const Done& done) {
  const Clock::time_point until = Clock::now() + budget;
  for (int i = 1;; ++i) {
    if (done()) return true;
    TG_CPU_RELAX();
    if (i % 64 == 0 && Clock::now() > until) return done();
  }
}

class Pool {
 public:
  void resize(int threads) {
    std::lock_guard<std::mutex> job(job_mutex_);
    stop_workers();
    threads_ = threads < 1 ? 1 : threads;
  }
  int threads() const { return threads_; }

  void run(int64_t n, int chunks, detail::ChunkFn fn, const void* body) {
    std::unique_lock<std::mutex> job(job_mutex_, std::try_to_lock);
    if (inside_chunk || !job.owns_lock()) {  // nested or concurrent use: inline, same chunks, same results
      for (int c = 0; c < chunks; ++c) run_chunk(n, chunks, fn, body, c);
      return;
    }
    start_workers(chunks - 1);
    // Publish the job, then its word (generation and chunk count) with release order: a worker that sees the
    // new word also sees the job. The job cannot change under a worker: the next one is published only after
    // every worker with a chunk here has counted itself done.
    fn_ = fn, body_ = body, n_ = n;
    remaining_.store(chunks - 1, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);  // a worker about to sleep checks the word under this lock
      word_.store(((word_.load(std::memory_order_relaxed) >> 16) + 1) << 16 | uint64_t(chunks), std::memory_order_release);
    }
    if (sleepers_.load(std::memory_order_acquire) > 0) wake_.notify_all();
    inside_chunk = true;
    run_chunk(n, chunks, fn, body, 0);
    inside_chunk = false;
    auto all_done = [&] { return remaining_.load(std::memory_order_acquire) == 0; };
    if (!spin_for(kCallerSpin, all_done))
      while (!all_done()) std::this_thread::yield();  // a worker lost its core: let it have ours
  }

  ~Pool() { stop_workers(); }

 private:
  static void run_chunk(int64_t n, int chunks, detail::ChunkFn fn, const void* body, int c) {
    const int64_t begin = n * c / chunks, end = n * (c + 1) / chunks;
    if (begin < end) fn(body, c, begin, end);
  }

  void start_workers(int wanted) {
    while (static_cast<int>(workers_.size()) < wanted) {
      const int id = static_cast<int>(workers_.size()) + 1;  // worker i runs chunk i
      const uint64_t seen = word_.load(std::memory_order_relaxed) >> 16;
      workers_.emplace_back([this, id, seen] { work(id, seen); });  // waits for the next job
    }
  }
  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_.store(true);
    }
    wake_.notify_all();
    for (std::thread& w : workers_) w.join();
    workers_.clear();
    stopping_.store(false);
  }
  void work(int id, uint64_t seen) {
    inside_chunk = true;
    auto news = [&] { return (word_.load(std::memory_order_acquire) >> 16) != seen || stopping_.load(); };
    for (;;) {
      if (!spin_for(kWorkerSpin, news)) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, news);
        sleepers_.fetch_sub(1);
      }
      if (stopping_.load()) return;
      const uint64_t word = word_.load(std::memory_order_acquire);
      seen = word >> 16;
      if (id >= static_cast<int>(word & 0xffff)) continue;  // this job has fewer chunks than there are workers
      run_chunk(n_, static_cast<int>(word & 0xffff), fn_, body_, id);
      remaining_.fetch_sub(1, std::memory_order_release);
    }
  }

  int threads_ = 1;
  std::mutex job_mutex_;  // one job at a time
  std::mutex mutex_;      // pairs with wake_ for sleeping workers
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
  detail::ChunkFn fn_ = nullptr;  // the current job: written by the caller before it publishes word_
  const void* body_ = nullptr;
  int64_t n_ = 0;
  std::atomic<uint64_t> word_{0};  // generation << 16 | number of chunks
  std::atomic<int> remaining_{0};  // workers' chunks not yet done
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stopping_{false};
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

#ifdef TG_REFERENCE
void set_parallel_threads(int) {}  // the reference build runs everything on the calling thread
int parallel_threads() { return 1; }
#else
void set_parallel_threads(int threads) { pool().resize(threads); }
int parallel_threads() { return pool().threads(); }
#endif

namespace detail {
void run_chunks(int64_t n, int chunks, ChunkFn fn, const void* body) { pool().run(n, chunks, fn, body); }
}  // namespace detail

}  // namespace tg
