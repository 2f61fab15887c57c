// IDX image files (MNIST, Fashion-MNIST), gzipped or not, read straight into the float32
// tensor that holds them: zlib inflates a megabyte at a time into a buffer that is then
// scaled into the output. Reading them in JavaScript leaves the whole file and its
// inflated bytes (73 MB for the Fashion-MNIST training images) to the garbage collector,
// which a training run that reuses its buffers may not call for a long time.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ops.h"

#if defined(__has_include)
#if __has_include(<zlib.h>)
#include <zlib.h>
#define SHENDU_HAVE_ZLIB 1
#endif
#endif

namespace shendu {

#if defined(SHENDU_HAVE_ZLIB)

namespace {

// gzread of exactly n bytes (gzip or plain files alike); false on a short read.
bool read_exactly(gzFile f, uint8_t* dst, i64 n) {
  while (n > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<i64>(n, i64(1) << 20));
    const int got = gzread(f, dst, chunk);
    if (got <= 0) return false;
    dst += got;
    n -= got;
  }
  return true;
}

}  // namespace

int idx_header(const char* path, int32_t* type, int32_t* dims, int max_dims) {
  gzFile f = gzopen(path, "rb");
  if (!f) return -1;
  uint8_t magic[4];
  int rank = -1;
  if (read_exactly(f, magic, 4) && magic[0] == 0 && magic[1] == 0 && magic[3] <= max_dims) {
    *type = magic[2];
    rank = magic[3];
    for (int d = 0; d < rank; d++) {
      uint8_t b[4];
      if (!read_exactly(f, b, 4)) {
        rank = -1;
        break;
      }
      dims[d] = int32_t(uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]));
    }
  }
  gzclose(f);
  return rank;
}

bool idx_read_ubyte_f32(const char* path, i64 header_bytes, float* out, i64 n, double scale) {
  gzFile f = gzopen(path, "rb");
  if (!f) return false;
  gzbuffer(f, 1 << 20);
  std::vector<uint8_t> skip(static_cast<size_t>(header_bytes));
  bool ok = read_exactly(f, skip.data(), header_bytes);
  std::vector<uint8_t> chunk(std::size_t(1) << 20);
  for (i64 done = 0; ok && done < n;) {
    const i64 m = std::min<i64>(n - done, i64(chunk.size()));
    ok = read_exactly(f, chunk.data(), m);
    // in double, rounded once to float32: the numbers of the JavaScript reader
    for (i64 i = 0; ok && i < m; i++) out[done + i] = float(double(chunk[i]) * scale);
    done += m;
  }
  // nothing may follow the payload (the JavaScript reader reports what does)
  uint8_t extra;
  ok = ok && gzread(f, &extra, 1) == 0;
  gzclose(f);
  return ok;
}

#else

int idx_header(const char*, int32_t*, int32_t*, int) { return -2; }
bool idx_read_ubyte_f32(const char*, i64, float*, i64, double) { return false; }

#endif

}  // namespace shendu
