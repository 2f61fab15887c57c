// IDX image files (MNIST, Fashion-MNIST), gzipped or not, read straight into the float32
// tensor that holds them: zlib inflates a megabyte at a time into a buffer that is then
// scaled into the output. Reading them in JavaScript leaves the whole file and its
// inflated bytes (73 MB for the Fashion-MNIST training images) to the garbage collector,
// which a training run that reuses its buffers may not call for a long time.
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ops.h"

namespace shendu {

// zlib's gz* functions, found at run time in the process (Node carries zlib, and exports
// it to addons) rather than linked: a Node without them, or a system without zlib's
// headers, costs this reader only, never the addon. Declared here as zlib declares them.
namespace {

using gzFile = struct gzFile_s*;

struct Zlib {
  gzFile (*open)(const char*, const char*) = nullptr;
  int (*read)(gzFile, void*, unsigned) = nullptr;
  int (*close)(gzFile) = nullptr;
  int (*buffer)(gzFile, unsigned) = nullptr;
  bool ok = false;
};

const Zlib& zlib() {
  static const Zlib z = [] {
    Zlib r;
    r.open = reinterpret_cast<decltype(r.open)>(dlsym(RTLD_DEFAULT, "gzopen"));
    r.read = reinterpret_cast<decltype(r.read)>(dlsym(RTLD_DEFAULT, "gzread"));
    r.close = reinterpret_cast<decltype(r.close)>(dlsym(RTLD_DEFAULT, "gzclose"));
    r.buffer = reinterpret_cast<decltype(r.buffer)>(dlsym(RTLD_DEFAULT, "gzbuffer"));
    r.ok = r.open && r.read && r.close && r.buffer;
    return r;
  }();
  return z;
}

// gzread of exactly n bytes (gzip or plain files alike); false on a short read.
bool read_exactly(gzFile f, uint8_t* dst, i64 n) {
  while (n > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<i64>(n, i64(1) << 20));
    const int got = zlib().read(f, dst, chunk);
    if (got <= 0) return false;
    dst += got;
    n -= got;
  }
  return true;
}

}  // namespace

int idx_header(const char* path, int32_t* type, int32_t* dims, int max_dims) {
  if (!zlib().ok) return -2;
  gzFile f = zlib().open(path, "rb");
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
  zlib().close(f);
  return rank;
}

bool idx_read_ubyte_f32(const char* path, i64 header_bytes, float* out, i64 n, double scale) {
  if (!zlib().ok) return false;
  gzFile f = zlib().open(path, "rb");
  if (!f) return false;
  zlib().buffer(f, 1 << 20);
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
  ok = ok && zlib().read(f, &extra, 1) == 0;
  zlib().close(f);
  return ok;
}

}  // namespace shendu
