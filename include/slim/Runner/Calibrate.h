//===- Calibrate.h - Run a calibration set through a module -------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNNER_CALIBRATE_H
#define SLIM_RUNNER_CALIBRATE_H

#include "slim/Calibration/Hessians.h"
#include "slim/Calibration/Stats.h"
#include "slim/Runner/JitRunner.h"

#include <functional>

namespace mlir {
namespace slim {

/// A data set streamed through a compiled module (calibration, or running a
/// whole evaluation set).
struct SampleOptions {
  /// One path per entry argument: a .npy holding samples along dimension 0,
  /// or a directory of .npy files (sorted by name), each one sample or a
  /// batch of samples.
  SmallVector<std::string> data;
  /// Samples per run when the entry's batch dimension is dynamic (a static
  /// batch dimension fixes it).
  int64_t batch = 1;
  /// Called after every run with (samples done, samples in total).
  std::function<void(int64_t, int64_t)> progress;
  /// Only the first `limit` samples (0: all of them), rounded down to
  /// whole batches when the entry's batch size is static.
  int64_t limit = 0;
};

/// A progress callback that redraws "what [=====     ] done/total" on
/// stderr (for a terminal: SampleOptions::progress).
std::function<void(int64_t, int64_t)> progressBar(llvm::StringRef what);

struct CalibrationSummary {
  ::slim::calibration::Stats stats;
  /// Filled when the options ask for them.
  ::slim::calibration::Hessians hessians;
  int64_t samples = 0;
  int64_t runs = 0;
};

struct CalibrationOptions : SampleOptions {
  /// Also collect every observed activation's Gram matrix (GPTQ's Hessian).
  bool hessians = false;
  /// With hessians: the entry argument (0-based) that masks the rows of the
  /// activations, as a transformer's attention mask does its tokens
  /// (Collector::setRowMask); -1 for none.
  int64_t rowMaskArgument = -1;
};

/// Streams the samples through the module one batch at a time: the
/// arguments' files are read one at a time and cut into batches of the
/// entry's static batch size (or options.batch when it is dynamic). After
/// each run, `consume(results, n)` sees the batch's results (none when
/// `withResults` is false, as for a calibration build); `beforeRun`, when
/// given, sees each batch's inputs before it runs. Returns the number of
/// samples.
llvm::Expected<int64_t>
runSamples(JitRunner &runner, const SampleOptions &options, bool withResults,
           llvm::function_ref<llvm::Error(MutableArrayRef<NpyArray>, int64_t)>
               consume,
           llvm::function_ref<llvm::Error(ArrayRef<NpyArray>)> beforeRun = {});

/// Streams the calibration set through a calibration build of a module
/// (JitRunnerOptions::calibrate), one batch at a time, and returns what the
/// observers recorded. Input files are read one at a time; only the
/// statistics grow with the data's size.
llvm::Expected<CalibrationSummary>
runCalibration(JitRunner &runner, const CalibrationOptions &options);

} // namespace slim
} // namespace mlir

#endif // SLIM_RUNNER_CALIBRATE_H
