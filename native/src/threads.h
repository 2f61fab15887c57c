// A pool of worker threads sized to the cores (SHENDU_NUM_THREADS overrides). Used only
// by ops large enough to gain (GEMM, convolution); the calling thread takes part.
#pragma once

namespace shendu {

// Threads used by parallel_for, the calling thread included (>= 1).
int num_threads();

// Resizes the pool; n <= 0 restores the default (cores, or SHENDU_NUM_THREADS).
void set_num_threads(int n);

// Runs fn(ctx, task) for every task in [0, ntasks) and returns when all are done. Tasks
// are claimed dynamically, so a task must compute the same thing whichever thread runs it.
void parallel_for_raw(int ntasks, void (*fn)(void*, int), void* ctx);

template <class F>
void parallel_for(int ntasks, F&& f) {
  parallel_for_raw(
      ntasks, [](void* ctx, int task) { (*static_cast<F*>(ctx))(task); }, &f);
}

}  // namespace shendu
