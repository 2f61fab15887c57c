// Bernoulli masks (dropout) from the xoshiro128** stream of src/tensor/random.ts, number
// for number: each element takes two 32-bit draws made into a 53-bit uniform in [0, 1),
// kept where it falls below p. The state words are read, advanced and written back, so
// the generator continues exactly where the JavaScript loop would have left it.
#include <cstdint>

#include "ops.h"

namespace shendu {

namespace {

inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// One draw of xoshiro128**: the output word, and the state advanced (Generator.nextUint32).
inline uint32_t next(uint32_t& s0, uint32_t& s1, uint32_t& s2, uint32_t& s3) {
  const uint32_t out = rotl(s1 * 5u, 7) * 9u;
  const uint32_t t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return out;
}

}  // namespace

void bernoulli_fill(uint32_t* state, float* out, i64 n, double p, float value) {
  uint32_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (i64 i = 0; i < n; i++) {
    const uint32_t hi = next(s0, s1, s2, s3) >> 5;  // 27 bits
    const uint32_t lo = next(s0, s1, s2, s3) >> 6;  // 26 bits
    // exact in double, as the division in JavaScript
    const double u = (double(hi) * 67108864.0 + double(lo)) / 9007199254740992.0;
    out[i] = u < p ? value : 0.f;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

}  // namespace shendu
