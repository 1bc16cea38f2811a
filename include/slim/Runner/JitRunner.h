//===- JitRunner.h - Compile and run a tensor function in-process -*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Takes a module whose entry function works on ranked tensors, lowers it with
// Slim's default CPU pipeline for the host CPU, JIT-compiles it (ORC's
// LLJIT, the machine code made on threads: ObjectCode.h) and calls it on
// .npy arrays. Used by slim-run.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNNER_JITRUNNER_H
#define SLIM_RUNNER_JITRUNNER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"
#include "slim/Calibration/Collector.h"
#include "slim/Pipelines/Pipelines.h"
#include "slim/Runner/ObjectCode.h"
#include "slim/Support/Npy.h"

#include <memory>
#include <string>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir {
namespace slim {

using ::slim::NpyArray;
using ::slim::NpyDType;

/// What crosses the entry function's boundary for one argument or result.
struct BoundaryValue {
  RankedTensorType type; ///< As declared (quantized types included).
  NpyDType dtype;        ///< The .npy element type exchanged.
};

struct JitRunnerOptions {
  std::string entry = "main";
  /// Calibration build: observers call the runtime (see
  /// slim-lower-observers{mode=runtime}) and results are discarded.
  bool calibrate = false;
  /// The inputs' shapes, when known: dynamic argument dimensions are bound
  /// to them so that results get static shapes.
  SmallVector<SmallVector<int64_t>> inputShapes;
  unsigned optLevel = 3;
  SmallVector<std::string> sharedLibPaths;
  /// Micro-kernel ISA (slim-pack-contractions' `isa`): "host" or a name.
  std::string isa = "host";
  /// slim-pack-contractions' `weight-only-activations`: "f32" or "int8".
  std::string weightOnlyActivations = "f32";
  /// slim-pack-contractions' `sparse-weights`: "auto", "never" or "always".
  std::string sparseWeights = "auto";
  /// The pipeline's `parallel-work`: loop nests of at least this many
  /// iterations run on threads (0: none).
  int64_t parallelWork = CodegenOptions().parallelWork;
  /// Where the compile's stages report their times (`--mlir-timing`): the
  /// front and back pass pipelines pass by pass, the LLVM IR optimizer and
  /// the machine code generation. Null: not timed.
  TimingScope *timing = nullptr;
  /// Where to write the machine code the JIT made, as an object file
  /// (`objdump -d` reads it; compiled as one object on one thread then);
  /// empty: not written.
  std::string objectFile;
  /// Threads that optimize and compile the LLVM IR (ObjectCode.h); 0: one
  /// per hardware thread. Independent of the threads the model runs on.
  unsigned codegenThreads = 0;
};

/// The entry function's boundary after lowering, and what a calibration
/// build observes.
struct LoweredEntry {
  SmallVector<BoundaryValue> arguments;
  SmallVector<BoundaryValue> results;
  std::vector<::slim::calibration::ObserverInfo> observers;
};

/// Every dialect and extension a model may use (upstream's and Slim's) and
/// the translations to LLVM IR: what slim-run and slim-compile register.
void registerCompilerDialects(DialectRegistry &registry);

/// The name of the function lowerToLLVM adds: it takes one buffer per
/// argument, then (not for calibration) one per result, as memrefs with
/// MLIR's C interface (`_mlir_ciface_` + this name takes descriptors).
StringRef loweredEntryName();

/// What JitRunner::compile does before the JIT, for it and for
/// slim-compile: checks the entry's signature, lowers `module` in place to
/// the LLVM dialect with Slim's CPU pipeline and adds the wrapper named by
/// loweredEntryName(). With `forHost`, a micro-kernel ISA the host cannot
/// run is refused; without, any ISA is compiled (cross-compiling).
/// Errors are diagnostics on the module.
FailureOr<LoweredEntry>
lowerToLLVM(ModuleOp module, const JitRunnerOptions &options, bool forHost);

class JitRunner {
public:
  /// Checks the entry's signature, lowers `module` in place and compiles it.
  /// Errors are reported as diagnostics on the module; returns failure then.
  static FailureOr<std::unique_ptr<JitRunner>>
  compile(ModuleOp module, const JitRunnerOptions &options);

  ArrayRef<BoundaryValue> getArguments() const { return arguments; }
  ArrayRef<BoundaryValue> getResults() const { return results; }
  /// The observers of a calibration build, by number.
  ArrayRef<::slim::calibration::ObserverInfo> getObservers() const {
    return observers;
  }
  bool isCalibrationBuild() const { return calibrate; }

  /// Checks that `inputs` match the arguments (count, dtype, shape); the
  /// message names the offending input.
  llvm::Error checkInputs(ArrayRef<NpyArray> inputs,
                          ArrayRef<std::string> names) const;

  /// Allocates result arrays of the right dtype and shape.
  llvm::Expected<SmallVector<NpyArray>> allocateResults() const;

  /// Runs the entry once. `inputs` must have passed checkInputs; `outs` are
  /// from allocateResults (empty for a calibration build).
  llvm::Error run(ArrayRef<NpyArray> inputs, MutableArrayRef<NpyArray> outs);

  /// The host CPU name and the features slim cares about, for reports.
  static std::string describeHost();

  ~JitRunner();

private:
  JitRunner() = default;
  SmallVector<BoundaryValue> arguments;
  SmallVector<BoundaryValue> results;
  std::vector<::slim::calibration::ObserverInfo> observers;
  bool calibrate = false;
  /// The weights, which the code reads by their global's name (declared
  /// before the JIT, which is destroyed first).
  std::vector<TakenConstant> constants;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// The descriptors the entry takes: inputs, then outputs (none in a
  /// calibration build).
  size_t numEntryArguments = 0;
  /// The entry: takes the argument and result descriptors' addresses.
  void (*entry)(void **) = nullptr;
};

} // namespace slim
} // namespace mlir

#endif // SLIM_RUNNER_JITRUNNER_H
