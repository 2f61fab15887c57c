#include "threads.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace shendu {

namespace {

void in_parallel_worker();

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

// Spinning before sleeping keeps the wake-up of back-to-back parallel ops cheap.
constexpr auto kSpin = std::chrono::microseconds(50);

class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 1; i < threads; i++) workers_.emplace_back([this] { work(); });
  }

  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void run(int ntasks, void (*fn)(void*, int), void* ctx) {
    fn_.store(fn, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    ntasks_.store(ntasks, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    uint64_t gen;
    {
      std::lock_guard<std::mutex> lock(mu_);
      gen = ++gen_;
      // a claim is (generation << 32 | next task): a worker that woke for an older job
      // cannot take a task of this one
      claim_.store(gen << 32, std::memory_order_release);
      published_.store(gen, std::memory_order_release);
    }
    wake_.notify_all();
    run_tasks(gen, fn, ctx, ntasks);
    // wait for tasks still running on workers
    const auto start = std::chrono::steady_clock::now();
    for (int spins = 0; done_.load(std::memory_order_acquire) < ntasks; spins++) {
      cpu_relax();
      if ((spins & 255) == 255 && std::chrono::steady_clock::now() - start > kSpin) {
        std::unique_lock<std::mutex> lock(mu_);
        finished_.wait(lock, [&] { return done_.load(std::memory_order_acquire) >= ntasks; });
        break;
      }
    }
  }

 private:
  void run_tasks(uint64_t gen, void (*fn)(void*, int), void* ctx, int ntasks) {
    uint64_t cur = claim_.load(std::memory_order_acquire);
    for (;;) {
      if ((cur >> 32) != gen) return;
      const int task = static_cast<int>(cur & 0xffffffffu);
      if (task >= ntasks) return;
      if (!claim_.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel)) continue;
      fn(ctx, task);
      if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == ntasks) {
        std::lock_guard<std::mutex> lock(mu_);
        finished_.notify_all();
      }
      cur = claim_.load(std::memory_order_acquire);
    }
  }

  void work() {
    in_parallel_worker();
    uint64_t seen = 0;
    for (;;) {
      uint64_t gen = published_.load(std::memory_order_acquire);
      if (gen == seen) {
        const auto start = std::chrono::steady_clock::now();
        for (int spins = 0; (gen = published_.load(std::memory_order_acquire)) == seen; spins++) {
          cpu_relax();
          if ((spins & 255) == 255 && std::chrono::steady_clock::now() - start > kSpin) break;
        }
      }
      if (gen == seen) {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return stop_ || gen_ != seen; });
        if (stop_) return;
        gen = gen_;
      }
      seen = gen;
      run_tasks(gen, fn_.load(std::memory_order_relaxed), ctx_.load(std::memory_order_relaxed),
                ntasks_.load(std::memory_order_relaxed));
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, finished_;
  uint64_t gen_ = 0;  // guarded by mu_
  bool stop_ = false;
  std::atomic<uint64_t> published_{0};
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> done_{0};
  std::atomic<void (*)(void*, int)> fn_{nullptr};
  std::atomic<void*> ctx_{nullptr};
  std::atomic<int> ntasks_{0};
};

int default_threads() {
  if (const char* env = std::getenv("SHENDU_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

// One pool per process, shared by every Node environment (worker threads) that loads the
// addon; a second caller while a job runs computes its tasks inline.
std::mutex run_mu;
thread_local bool in_parallel = false;  // nested parallel_for runs inline
Pool* pool = nullptr;  // never destroyed: workers sleeping at exit are simply ended
int threads = 0;

void in_parallel_worker() { in_parallel = true; }

void ensure_pool() {
  if (threads == 0) threads = default_threads();
  if (!pool && threads > 1) pool = new Pool(threads);
}

}  // namespace

int num_threads() {
  std::lock_guard<std::mutex> lock(run_mu);
  ensure_pool();
  return threads;
}

void set_num_threads(int n) {
  std::lock_guard<std::mutex> lock(run_mu);
  const int wanted = n > 0 ? n : default_threads();
  if (wanted == threads && (pool || wanted == 1)) return;
  delete pool;
  pool = nullptr;
  threads = wanted;
  ensure_pool();
}

void parallel_for_raw(int ntasks, void (*fn)(void*, int), void* ctx) {
  if (ntasks <= 0) return;
  auto serial = [&] {
    for (int t = 0; t < ntasks; t++) fn(ctx, t);
  };
  if (ntasks == 1 || in_parallel) return serial();
  std::unique_lock<std::mutex> lock(run_mu, std::try_to_lock);
  if (!lock.owns_lock()) return serial();
  ensure_pool();
  if (!pool) return serial();
  in_parallel = true;
  pool->run(ntasks, fn, ctx);
  in_parallel = false;
}

}  // namespace shendu
