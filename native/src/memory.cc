// Keeps freed tensor memory in the process for reuse. Tensors live in ArrayBuffers that
// Node allocates with malloc; glibc returns large freed blocks to the kernel (mmap above a
// threshold that adapts, heap trimming above 128 KiB free), so the next step's buffers of
// the same size fault their pages in again: a 400 KB weight gradient took ~50 page faults
// per step, more time than the GEMM that fills it. Fixed thresholds keep blocks below
// 16 MiB in the heap (a CNN's 12.8 MB dense-layer gradient among them) and let up to
// 64 MiB of free heap stay mapped: what a few steps leave before the garbage collector
// frees it (bounded, so RSS still falls back after a large transient). Larger blocks
// (file buffers, whole datasets) are mapped and go back to the kernel when freed, so
// RSS falls back after loading. SHENDU_MALLOC_TUNING=0 leaves glibc as it is.
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "ops.h"

namespace shendu {

bool tune_malloc() {
#if defined(__GLIBC__)
  const char* env = std::getenv("SHENDU_MALLOC_TUNING");
  if (env && std::strcmp(env, "0") == 0) return false;
  const bool ok = mallopt(M_MMAP_THRESHOLD, 16 << 20) == 1;
  return mallopt(M_TRIM_THRESHOLD, 64 << 20) == 1 && ok;
#else
  return false;
#endif
}

bool trim_malloc() {
#if defined(__GLIBC__)
  return malloc_trim(0) == 1;
#else
  return false;
#endif
}

}  // namespace shendu
