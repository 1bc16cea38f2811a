//===- Passes.h - Slim quantization passes ----------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_QUANTIZATION_PASSES_H
#define SLIM_QUANTIZATION_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"

// Observers, calibration folding, weight quantization, fusion into integer
// layers, smoothing and dynamic quantization (docs/quantization.md,
// docs/calibration.md).

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Quantization/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/Quantization/Passes.h.inc"

class LayerReport;

/// The passes of a pipeline that merges their findings per layer into
/// `layers` (see Report.h); otherwise as the registered passes.
std::unique_ptr<Pass>
createSlimFoldCalibrationPass(const SlimFoldCalibrationPassOptions &options,
                              std::shared_ptr<LayerReport> layers);
std::unique_ptr<Pass>
createSlimQuantizeWeightsPass(const SlimQuantizeWeightsPassOptions &options,
                              std::shared_ptr<LayerReport> layers);
std::unique_ptr<Pass>
createSlimFuseQuantizedPass(const SlimFuseQuantizedPassOptions &options,
                            std::shared_ptr<LayerReport> layers);
std::unique_ptr<Pass>
createSlimQuantizeDynamicPass(const SlimQuantizeDynamicPassOptions &options,
                              std::shared_ptr<LayerReport> layers);

} // namespace slim
} // namespace mlir

#endif // SLIM_QUANTIZATION_PASSES_H
