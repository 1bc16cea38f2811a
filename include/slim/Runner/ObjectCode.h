//===- ObjectCode.h - LLVM IR to machine code, on threads -------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The back end that slim-run's JIT and slim-compile share: LLVM IR of a
// lowered model in, object files out. Functions with identical bodies (the
// loop nests of a model's repeated layers) are merged first; the module is
// then split into partitions that are each optimized and compiled on a
// thread in their own LLVMContext. (LLVM's parallel code generation,
// llvm/CodeGen/ParallelCG.h, splits code already optimized as a whole;
// here the optimizer runs per partition too, which is most of the time:
// what it cannot see across partitions is calls between the outlined
// nests and main, which are noinline anyway, and small constants placed
// in another partition.)
//
// A model's weights can be taken out of the module first (takeConstants):
// the JIT then binds their symbols to buffers it owns instead of sending
// tens of megabytes through the code generator, the bitcode of each
// partition and the JIT linker.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNNER_OBJECTCODE_H
#define SLIM_RUNNER_OBJECTCODE_H

#include "mlir/Support/Timing.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
namespace slim {

/// Makes a target machine for one thread (each partition needs its own).
using TargetMachineFactory =
    llvm::function_ref<llvm::Expected<std::unique_ptr<llvm::TargetMachine>>()>;

/// The bytes of a constant global taken out of a module, 64-byte aligned
/// (or more when the global asks for it).
struct TakenConstant {
  std::string name;
  /// Owns the bytes; `data` points into it at the alignment.
  std::unique_ptr<char[]> storage;
  const char *data = nullptr;
  size_t size = 0;
};

/// Moves the initializers of the module's constant globals of at least
/// `minBytes` bytes out of `module` (arrays, nested or not, of numbers;
/// not in a comdat, not aliased): each becomes an external declaration
/// (still constant, same alignment) and its bytes a TakenConstant, which the
/// caller must define under that name before the code runs.
std::vector<TakenConstant> takeConstants(llvm::Module &module,
                                         uint64_t minBytes);

/// Optimizes `module` at `optLevel` (after merging identical functions) and
/// generates machine code for it on `threads` threads: as several object
/// files per thread (partitions of about equal size), or with one thread
/// as one object file of the whole module. Each thread's target machine comes
/// from `makeTarget`, which must describe the same target as the module's
/// triple and data layout. `timing` gets a scope for the merge and split and
/// one for the threads' optimization and machine code.
llvm::Expected<std::vector<std::unique_ptr<llvm::MemoryBuffer>>>
compileToObjects(std::unique_ptr<llvm::Module> module,
                 TargetMachineFactory makeTarget, unsigned optLevel,
                 unsigned threads, TimingScope &timing);

/// The threads compileToObjects should use on this machine: one per
/// hardware thread, at most 8.
unsigned defaultCodegenThreads();

} // namespace slim
} // namespace mlir

#endif // SLIM_RUNNER_OBJECTCODE_H
