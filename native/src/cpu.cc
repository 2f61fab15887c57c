#include "cpu.h"

#include <cstdint>
#include <cstdlib>

#if defined(__x86_64__) || defined(_M_X64)
#define SHENDU_X86 1
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace shendu {

namespace {

struct Features {
  bool sse42 = false, avx = false, avx2 = false, fma = false, f16c = false;
  bool avx512f = false, avx512dq = false, avx512bw = false, avx512vl = false, avx512vnni = false;
  bool avx512bf16 = false;
};

#ifdef SHENDU_X86
void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
#if defined(_MSC_VER)
  int regs[4];
  __cpuidex(regs, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; i++) r[i] = static_cast<uint32_t>(regs[i]);
#else
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}

uint64_t xgetbv0() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  // Written as an instruction so that the file needs no -mxsave.
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
#endif
}
#endif

Features detect() {
  Features f;
#ifdef SHENDU_X86
  uint32_t r[4];
  cpuid(0, 0, r);
  const uint32_t max_leaf = r[0];
  if (max_leaf < 1) return f;
  cpuid(1, 0, r);
  const uint32_t ecx1 = r[2];
  f.sse42 = ecx1 & (1u << 20);
  const bool osxsave = ecx1 & (1u << 27);
  // The OS must save the wider registers, or using them corrupts state across switches.
  const uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  const bool os_avx = (xcr0 & 0x6) == 0x6;             // XMM and YMM state
  const bool os_avx512 = os_avx && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
  f.avx = os_avx && (ecx1 & (1u << 28));
  f.fma = f.avx && (ecx1 & (1u << 12));
  f.f16c = f.avx && (ecx1 & (1u << 29));
  if (max_leaf >= 7) {
    cpuid(7, 0, r);
    const uint32_t ebx7 = r[1], ecx7 = r[2];
    f.avx2 = f.avx && (ebx7 & (1u << 5));
    f.avx512f = os_avx512 && (ebx7 & (1u << 16));
    f.avx512dq = f.avx512f && (ebx7 & (1u << 17));
    f.avx512bw = f.avx512f && (ebx7 & (1u << 30));
    f.avx512vl = f.avx512f && (ebx7 & (1u << 31));
    f.avx512vnni = f.avx512f && (ecx7 & (1u << 11));
    cpuid(7, 1, r);
    f.avx512bf16 = f.avx512f && (r[0] & (1u << 5));
  }
#endif
  return f;
}

const Features& features() {
  static const Features f = detect();
  return f;
}

}  // namespace

std::vector<std::string> cpu_features() {
  const Features& f = features();
  std::vector<std::string> out;
  if (f.sse42) out.push_back("sse4.2");
  if (f.avx) out.push_back("avx");
  if (f.avx2) out.push_back("avx2");
  if (f.fma) out.push_back("fma");
  if (f.f16c) out.push_back("f16c");
  if (f.avx512f) out.push_back("avx512f");
  if (f.avx512dq) out.push_back("avx512dq");
  if (f.avx512bw) out.push_back("avx512bw");
  if (f.avx512vl) out.push_back("avx512vl");
  if (f.avx512vnni) out.push_back("avx512vnni");
  if (f.avx512bf16) out.push_back("avx512bf16");
  return out;
}

bool isa_supported(Isa isa) {
  const Features& f = features();
  switch (isa) {
    case Isa::Portable:
      return true;
    case Isa::Avx2:
#ifdef SHENDU_HAVE_AVX2
      return f.avx2 && f.fma;
#else
      return false;
#endif
    case Isa::Avx512:
#ifdef SHENDU_HAVE_AVX512
      return f.avx512f && f.avx512dq && f.avx512bw && f.avx512vl && f.avx2 && f.fma;
#else
      return false;
#endif
  }
  return false;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    default:
      return "portable";
  }
}

bool parse_isa(const std::string& name, Isa* out) {
  if (name == "avx512") *out = Isa::Avx512;
  else if (name == "avx2") *out = Isa::Avx2;
  else if (name == "portable") *out = Isa::Portable;
  else return false;
  return true;
}

Isa default_isa() {
  const char* env = std::getenv("SHENDU_ISA");
  Isa chosen;
  if (env && *env && parse_isa(env, &chosen) && isa_supported(chosen)) return chosen;
  if (isa_supported(Isa::Avx512)) return Isa::Avx512;
  if (isa_supported(Isa::Avx2)) return Isa::Avx2;
  return Isa::Portable;
}

}  // namespace shendu
