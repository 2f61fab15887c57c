# Built by scripts/build-native.mjs (node-gyp rebuild --directory native) during
# `npm install`. The kernels of each instruction set live in their own static library,
# compiled with that set's flags; cpu.cc picks one at run time from CPUID, so the addon
# never executes an instruction the CPU lacks.
{
  "variables": {
    "shendu_x64": "<!(node -p \"process.arch === 'x64' ? 1 : 0\")",
    "shendu_cflags": ["-O3", "-fno-math-errno", "-fno-trapping-math", "-fPIC", "-std=c++17"],
  },
  "target_defaults": {
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
    "cflags_cc": ["<@(shendu_cflags)", "-fno-exceptions"],
    "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "xcode_settings": {
      "OTHER_CPLUSPLUSFLAGS": ["<@(shendu_cflags)"],
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
    },
    "msvs_settings": {"VCCLCompilerTool": {"AdditionalOptions": ["/std:c++17", "/O2"]}},
  },
  "targets": [
    {
      "target_name": "shendu",
      "sources": [
        "src/addon.cc",
        "src/cpu.cc",
        "src/threads.cc",
        "src/gemm.cc",
        "src/gemm_small.cc",
        "src/elementwise.cc",
        "src/cross_entropy.cc",
        "src/conv.cc",
        "src/conv_direct.cc",
        "src/conv_nhwc.cc",
        "src/pool.cc",
        "src/pool_nhwc.cc",
        "src/memory.cc",
        "src/random.cc",
        "src/bias.cc",
        "src/idx.cc",
        "src/isa/portable.cc",
      ],
      "conditions": [
        ["shendu_x64 == 1 and OS != 'win'", {
          "dependencies": ["shendu_avx2", "shendu_avx512"],
          "defines": ["SHENDU_HAVE_AVX2", "SHENDU_HAVE_AVX512"],
        }],
      ],
    },
  ],
  "conditions": [
    ["shendu_x64 == 1 and OS != 'win'", {
      "targets": [
        {
          "target_name": "shendu_avx2",
          "type": "static_library",
          "sources": ["src/isa/avx2.cc"],
          "cflags_cc": ["-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-mavx2", "-mfma"]},
        },
        {
          "target_name": "shendu_avx512",
          "type": "static_library",
          "sources": ["src/isa/avx512.cc"],
          "cflags_cc": ["-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma"],
          "xcode_settings": {
            "OTHER_CPLUSPLUSFLAGS": ["-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma"],
          },
        },
      ],
    }],
  ],
}
