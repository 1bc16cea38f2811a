//===- Pipelines.h - Named Slim pass pipelines --------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_PIPELINES_PIPELINES_H
#define SLIM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir {
namespace slim {

/// Slim ops and quantized types -> linalg/arith/tensor on integers
/// (canonicalize, which folds quantized constants, slim-lower-observers
/// erasing any observer, slim-lower-quant, convert-elementwise-to-linalg,
/// then canonicalize and cse). Registered as
/// `slim-lower-to-linalg-pipeline`.
void buildSlimToLinalgPipeline(OpPassManager &pm);

/// Tensor-level linalg/arith/math -> LLVM dialect for the CPU: bufferize
/// (function boundaries included), free temporaries, loops, LLVM. Registered
/// as `slim-codegen-pipeline`.
void buildSlimCodegenPipeline(OpPassManager &pm);

/// The default CPU pipeline: the two above in order. Registered as
/// `slim-cpu-pipeline`; slim-run uses the same passes.
void buildSlimCpuPipeline(OpPassManager &pm);

/// Registers the named pipelines with the global pass registry.
void registerSlimPipelines();

} // namespace slim
} // namespace mlir

#endif // SLIM_PIPELINES_PIPELINES_H
