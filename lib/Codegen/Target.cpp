//===- Target.cpp - Which micro-kernels a CPU can run ---------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Target.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"

#include "llvm/TargetParser/Host.h"
#include <cstdlib>

using namespace mlir::slim::codegen;

std::optional<Isa> mlir::slim::codegen::parseIsa(llvm::StringRef name) {
  if (std::optional<KernelIsa> isa = symbolizeKernelIsa(name))
    return toRuntimeIsa(*isa);
  return std::nullopt;
}

bool mlir::slim::codegen::cpuSupports(const llvm::StringMap<bool> &features,
                                      Isa isa) {
  auto has = [&](std::initializer_list<llvm::StringRef> names) {
    for (llvm::StringRef n : names)
      if (!features.lookup(n))
        return false;
    return true;
  };
  switch (isa) {
  case Isa::Generic:
    return true;
  case Isa::Avx2:
    return has({"avx2", "fma"});
  case Isa::AvxVnni:
    return has({"avx2", "fma", "avxvnni"});
  case Isa::Avx512Vnni:
    return has(
        {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512vnni", "fma"});
  case Isa::Amx:
    // Below 16 rows the AMX kernel runs the AVX-512 VNNI one.
    return cpuSupports(features, Isa::Avx512Vnni) &&
           has({"amx-tile", "amx-int8"});
  }
  return false;
}

/// SLIM_DISABLE_ISA=amx,avx512_vnni,... hides ISAs from the host query
/// (as oneDNN's ONEDNN_MAX_CPU_ISA does): to test the fallbacks and the
/// refusals on any CPU, or to compare kernels on one.
static bool disabledByEnvironment(Isa isa) {
  const char *list = std::getenv("SLIM_DISABLE_ISA");
  if (!list || isa == Isa::Generic)
    return false;
  llvm::SmallVector<llvm::StringRef> names;
  llvm::StringRef(list).split(names, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef n : names)
    if (n.trim() == ::slim::runtime::isaName(isa))
      return true;
  return false;
}

bool mlir::slim::codegen::hostSupports(Isa isa) {
  static const llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (!cpuSupports(features, isa) || disabledByEnvironment(isa))
    return false;
  // AMX's kernels run AVX-512 VNNI (small M) and AVX-512 (f32) code too:
  // hiding that hides AMX.
  if (isa == Isa::Amx && !hostSupports(Isa::Avx512Vnni))
    return false;
  return isa != Isa::Amx || ::slim::runtime::requestAmx();
}

bool mlir::slim::codegen::hostHasFeature(llvm::StringRef name) {
  static const llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup(name);
}

Isa mlir::slim::codegen::bestHostIsa() {
  for (int i = ::slim::runtime::kNumIsas - 1; i > 0; --i)
    if (hostSupports(static_cast<Isa>(i)))
      return static_cast<Isa>(i);
  return Isa::Generic;
}

std::string mlir::slim::codegen::describeHostIsas() {
  std::string s;
  for (int i = 0; i < ::slim::runtime::kNumIsas; ++i) {
    auto isa = static_cast<Isa>(i);
    if (hostSupports(isa))
      s += (s.empty() ? "" : ", ") + std::string(::slim::runtime::isaName(isa));
  }
  return s;
}

llvm::FailureOr<Isa>
mlir::slim::codegen::resolveIsaOption(llvm::StringRef option, MLIRContext *ctx,
                                      llvm::StringRef pass) {
  if (option == "host")
    return bestHostIsa();
  if (std::optional<Isa> parsed = parseIsa(option))
    return *parsed;
  return emitError(UnknownLoc::get(ctx))
         << pass << ": unknown isa '" << option
         << "' (expected host, generic, avx2, avx_vnni, avx512_vnni or amx)";
}
