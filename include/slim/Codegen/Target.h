//===- Target.h - Which micro-kernels a CPU can run -------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The compiler's side of kernel dispatch: the ISA is chosen when the code is
// compiled (from the host, or forced by an option), and code that would run
// a kernel the CPU lacks is refused before it runs.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CODEGEN_TARGET_H
#define SLIM_CODEGEN_TARGET_H

#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Runtime/Kernels.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::slim::codegen {

using ::slim::runtime::Isa;

/// The runtime's ISA of a `#slim.isa` value (the enums share their
/// numbering).
inline Isa toRuntimeIsa(KernelIsa isa) {
  return static_cast<Isa>(static_cast<int>(isa));
}

/// Parses an ISA name as `#slim.isa` spells it ("generic", "avx2",
/// "avx_vnni", "avx512_vnni", "amx").
std::optional<Isa> parseIsa(llvm::StringRef name);

/// Whether a CPU with these features (LLVM's names, as
/// llvm::sys::getHostCPUFeatures returns them) has what `isa` needs.
bool cpuSupports(const llvm::StringMap<bool> &features, Isa isa);

/// Whether this process may run `isa`'s kernels: the host CPU has it, for
/// AMX Linux granted the tile state, and the environment variable
/// SLIM_DISABLE_ISA (a comma-separated list of names) does not hide it.
/// Generic cannot be hidden.
bool hostSupports(Isa isa);

/// Whether the host CPU has the feature LLVM calls `name` (for example
/// "avx512vbmi2"), whatever SLIM_DISABLE_ISA hides.
bool hostHasFeature(llvm::StringRef name);

/// The strongest ISA the host runs.
Isa bestHostIsa();

/// A pass's `isa` option: "host" (bestHostIsa) or an ISA's name; an error
/// naming `pass` for anything else.
FailureOr<Isa> resolveIsaOption(llvm::StringRef option, MLIRContext *ctx,
                                llvm::StringRef pass);

/// "avx2, avx_vnni, ...": the ISAs the host runs, for messages.
std::string describeHostIsas();

} // namespace mlir::slim::codegen

#endif // SLIM_CODEGEN_TARGET_H
