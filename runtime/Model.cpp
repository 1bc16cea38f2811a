//===- Model.cpp - The C runtime of models compiled by slim-compile -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runtime/Model.h"

#include "slim/Runtime/Kernels.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

/// Whether the CPU has `feature` (LLVM's name): true, false, or -1 when the
/// runtime cannot tell (a feature its compiler cannot query).
int hasFeature(const std::string &feature) {
  // Tests pretend a feature is missing, as SLIM_DISABLE_ISA hides ISAs.
  if (const char *hidden = std::getenv("SLIM_HIDE_CPU_FEATURES")) {
    std::string list = std::string(",") + hidden + ",";
    if (list.find("," + feature + ",") != std::string::npos)
      return 0;
  }
#define SLIM_FEATURE(llvmName, builtinName)                                    \
  if (feature == llvmName)                                                     \
    return __builtin_cpu_supports(builtinName) ? 1 : 0;
  SLIM_FEATURE("sse2", "sse2")
  SLIM_FEATURE("sse3", "sse3")
  SLIM_FEATURE("ssse3", "ssse3")
  SLIM_FEATURE("sse4.1", "sse4.1")
  SLIM_FEATURE("sse4.2", "sse4.2")
  SLIM_FEATURE("popcnt", "popcnt")
  SLIM_FEATURE("avx", "avx")
  SLIM_FEATURE("avx2", "avx2")
  SLIM_FEATURE("fma", "fma")
  SLIM_FEATURE("f16c", "f16c")
  SLIM_FEATURE("bmi", "bmi")
  SLIM_FEATURE("bmi2", "bmi2")
  SLIM_FEATURE("avx512f", "avx512f")
  SLIM_FEATURE("avx512bw", "avx512bw")
  SLIM_FEATURE("avx512cd", "avx512cd")
  SLIM_FEATURE("avx512dq", "avx512dq")
  SLIM_FEATURE("avx512vl", "avx512vl")
  SLIM_FEATURE("avx512vnni", "avx512vnni")
  SLIM_FEATURE("avx512bf16", "avx512bf16")
  SLIM_FEATURE("avx512vbmi", "avx512vbmi")
  SLIM_FEATURE("avx512vbmi2", "avx512vbmi2")
  SLIM_FEATURE("avx512ifma", "avx512ifma")
  SLIM_FEATURE("avx512bitalg", "avx512bitalg")
  SLIM_FEATURE("avx512vpopcntdq", "avx512vpopcntdq")
  SLIM_FEATURE("avxvnni", "avxvnni")
  SLIM_FEATURE("gfni", "gfni")
  SLIM_FEATURE("vaes", "vaes")
  SLIM_FEATURE("vpclmulqdq", "vpclmulqdq")
  SLIM_FEATURE("amx-tile", "amx-tile")
  SLIM_FEATURE("amx-int8", "amx-int8")
  SLIM_FEATURE("amx-bf16", "amx-bf16")
#undef SLIM_FEATURE
  return -1;
}

} // namespace

extern "C" int slim_rt_check_cpu(const char *features, char *error,
                                 size_t size) {
  std::string missing;
  bool amx = false;
  const char *p = features ? features : "";
  while (*p) {
    const char *end = std::strchr(p, ',');
    std::string entry(p, end ? end - p : std::strlen(p));
    p = end ? end + 1 : p + entry.size();
    if (entry.size() < 2 || entry[0] != '+')
      continue;
    std::string name = entry.substr(1);
    amx |= name == "amx-tile";
    if (hasFeature(name) == 0)
      missing += (missing.empty() ? "" : ", ") + name;
  }
  // The tile state is the operating system's to grant.
  if (missing.empty() && amx && !::slim::runtime::requestAmx())
    missing = "amx-tile (the operating system did not grant the AMX state)";
  if (missing.empty())
    return 0;
  if (error && size > 0)
    std::snprintf(error, size,
                  "this CPU lacks features the model was compiled for: %s",
                  missing.c_str());
  return 1;
}

extern "C" void slim_rt_set_num_threads(int threads) {
  ::slim::runtime::setNumThreads(threads);
}
