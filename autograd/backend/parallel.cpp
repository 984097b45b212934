// parallel.cpp: the pool behind parallel_for and behind every large gemm (blas.cpp). A job is cut into chunks by
// arithmetic alone (parallel.h); the caller and the workers then claim its chunks one at a time from a shared
// counter, so any thread may run any chunk. On a quiet machine each thread runs one chunk, as with a fixed
// assignment; on a shared one, a worker that has lost its core does not hold the job up: the caller, finding a
// chunk nobody has claimed, runs it itself. Results do not change (a chunk computes the same, whoever runs it).
// Jobs come in bursts — a training step is a few dozen of them, tens of microseconds apart — so a worker that has
// just finished one spins (with the CPU's pause hint) for half a millisecond before it sleeps on a condition
// variable; waking a sleeping thread costs tens of microseconds, as much as a small job. Nothing else spins:
// OpenBLAS runs single-threaded inside our chunks (blas.cpp), so on a machine with as many cores as pool threads
// a spinning worker takes no core that anyone else wants.
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

// The job's word, one atomic value so that a claim cannot mix two jobs: its generation (32 bits), the next
// chunk to hand out (16) and its number of chunks (16; parallel_threads() <= 256).
constexpr uint64_t generation_of(uint64_t w) { return w >> 32; }
constexpr int next_of(uint64_t w) { return static_cast<int>((w >> 16) & 0xffff); }
constexpr int chunks_of(uint64_t w) { return static_cast<int>(w & 0xffff); }

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
    // Publish the job, then its word with release order: a worker that claims a chunk of the new word also sees
    // the job. The job cannot change under a worker: the next one is published only after every chunk of this
    // one is done, and a claim of a finished job's word fails (its next chunk is past the last).
    fn_ = fn, body_ = body, n_ = n;
    done_.store(0, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);  // a worker about to sleep checks the word under this lock
      word_.store((generation_of(word_.load(std::memory_order_relaxed)) + 1) << 32 | uint64_t(chunks), std::memory_order_release);
    }
    if (sleepers_.load(std::memory_order_acquire) > 0) wake_.notify_all();
    inside_chunk = true;
    run_claimed_chunks();
    inside_chunk = false;
    auto all_done = [&] { return done_.load(std::memory_order_acquire) == chunks; };
    if (!spin_for(kCallerSpin, all_done))
      while (!all_done()) std::this_thread::yield();  // a worker is inside a chunk but lost its core: let it have ours
  }

  ~Pool() { stop_workers(); }

  void hold_workers(bool hold) { held_.store(hold); }

 private:
  static void run_chunk(int64_t n, int chunks, detail::ChunkFn fn, const void* body, int c) {
    const int64_t begin = n * c / chunks, end = n * (c + 1) / chunks;
    if (begin < end) fn(body, c, begin, end);
  }

  // Claims the current job's chunks one by one and runs them, until none is left to claim; returns the generation
  // of the last word seen.
  uint64_t run_claimed_chunks() {
    uint64_t w = word_.load(std::memory_order_acquire);
    for (;;) {
      if (next_of(w) >= chunks_of(w)) return generation_of(w);
      if (!word_.compare_exchange_weak(w, w + (uint64_t(1) << 16), std::memory_order_acq_rel, std::memory_order_acquire)) continue;
      run_chunk(n_, chunks_of(w), fn_, body_, next_of(w));
      done_.fetch_add(1, std::memory_order_release);
      w = word_.load(std::memory_order_acquire);
    }
  }

  void start_workers(int wanted) {
    while (static_cast<int>(workers_.size()) < wanted) {
      const uint64_t seen = generation_of(word_.load(std::memory_order_relaxed));
      workers_.emplace_back([this, seen] { work(seen); });  // waits for the next job
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
  void work(uint64_t seen) {
    inside_chunk = true;
    auto news = [&] { return generation_of(word_.load(std::memory_order_acquire)) != seen || stopping_.load(); };
    for (;;) {
      if (!spin_for(kWorkerSpin, news)) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, news);
        sleepers_.fetch_sub(1);
      }
      if (stopping_.load()) return;
      while (held_.load(std::memory_order_relaxed) && !stopping_.load()) std::this_thread::yield();
      seen = run_claimed_chunks();
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
  std::atomic<uint64_t> word_{0};  // generation << 32 | next chunk to claim << 16 | number of chunks
  std::atomic<int> done_{0};       // chunks of the current job finished, by anyone
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> held_{false};  // detail::hold_workers: workers as if they had lost their cores
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
void hold_workers(bool hold) { pool().hold_workers(hold); }
}  // namespace detail

}  // namespace tg
