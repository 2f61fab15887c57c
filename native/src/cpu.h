// CPU feature detection and the choice of instruction-set path.
#pragma once
#include <string>
#include <vector>

namespace shendu {

// Instruction-set paths, best last. Each has its own compiled copy of the kernels.
enum class Isa { Portable = 0, Avx2 = 1, Avx512 = 2 };

// Features the CPU and the operating system both support (register state saved by XSAVE).
std::vector<std::string> cpu_features();

// Whether this machine can run `isa` (never true for a path that was not compiled in).
bool isa_supported(Isa isa);

// The best supported path, or the one named by SHENDU_ISA when it is supported.
Isa default_isa();

const char* isa_name(Isa isa);

// Parses "avx512" / "avx2" / "portable"; false when the name is unknown.
bool parse_isa(const std::string& name, Isa* out);

}  // namespace shendu
