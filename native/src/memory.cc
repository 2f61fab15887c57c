// Keeps freed tensor memory in the process for reuse. Tensors live in ArrayBuffers that
// Node allocates with malloc; glibc returns large freed blocks to the kernel (mmap above a
// threshold that adapts, heap trimming above 128 KiB free), so the next step's buffers of
// the same size fault their pages in again: a 400 KB weight gradient took ~50 page faults
// per step, more time than the GEMM that fills it. Fixed thresholds keep blocks below
// 32 MiB in the heap and let up to 64 MiB of free heap stay mapped (bounded, so RSS
// still falls back after a large transient). SHENDU_MALLOC_TUNING=0 leaves glibc as it is.
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
  return mallopt(M_TRIM_THRESHOLD, 32 << 20) == 1 && ok;
#else
  return false;
#endif
}

}  // namespace shendu
