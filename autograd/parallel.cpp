// parallel.cpp: the pool behind parallel_for. The caller runs chunk 0 itself; chunks 1.. go to workers that
// sleep on a condition variable between jobs (a spinning worker would steal the core from OpenBLAS's threads
// during the gemm calls, which are most of the time). One job at a time: a second caller (another user
// thread) and calls from inside a chunk simply run inline.
#include "autograd/parallel.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tg {
namespace {

thread_local bool inside_chunk = false;

class Pool {
 public:
  void resize(int threads) {
    std::lock_guard<std::mutex> job(job_mutex_);
    stop_workers();
    threads_ = threads < 1 ? 1 : threads;
  }
  int threads() const { return threads_; }

  void run(int64_t n, int chunks, detail::ChunkFn fn, const void* body) {
    auto chunk = [&](int c) {
      const int64_t begin = n * c / chunks, end = n * (c + 1) / chunks;
      if (begin < end) fn(body, c, begin, end);
    };
    std::unique_lock<std::mutex> job(job_mutex_, std::try_to_lock);
    if (inside_chunk || !job.owns_lock()) {  // nested or concurrent use: inline, same chunks, same results
      for (int c = 0; c < chunks; ++c) chunk(c);
      return;
    }
    start_workers(chunks - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = [&](int c) { chunk(c); };
      chunks_ = chunks;
      remaining_.store(chunks - 1, std::memory_order_relaxed);
      ++generation_;
    }
    wake_.notify_all();
    inside_chunk = true;
    chunk(0);
    inside_chunk = false;
    // The other chunks are about as long as ours, so the wait is short: spin, yielding the core.
    while (remaining_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  }

  ~Pool() { stop_workers(); }

 private:
  void start_workers(int wanted) {
    while (static_cast<int>(workers_.size()) < wanted) {
      const int id = static_cast<int>(workers_.size()) + 1;  // worker i runs chunk i
      workers_.emplace_back([this, id, seen = generation_] { work(id, seen); });  // waits for the next job
    }
  }
  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& w : workers_) w.join();
    workers_.clear();
    stopping_ = false;
  }
  void work(int id, uint64_t seen) {
    inside_chunk = true;
    for (;;) {
      std::function<void(int)> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        if (id >= chunks_) continue;  // this job has fewer chunks than there are workers
        task = task_;
      }
      task(id);
      remaining_.fetch_sub(1, std::memory_order_release);
    }
  }

  int threads_ = 1;
  std::mutex job_mutex_;  // one job at a time
  std::mutex mutex_;      // guards the fields below
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
  std::function<void(int)> task_;
  int chunks_ = 0;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  std::atomic<int> remaining_{0};
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void set_parallel_threads(int threads) { pool().resize(threads); }
int parallel_threads() { return pool().threads(); }

namespace detail {
void run_chunks(int64_t n, int chunks, ChunkFn fn, const void* body) { pool().run(n, chunks, fn, body); }
}  // namespace detail

}  // namespace tg
