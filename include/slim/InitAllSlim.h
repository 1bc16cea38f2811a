//===- InitAllSlim.h - Register Slim's dialect and passes ---------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The entry points a downstream tool calls to offer Slim next to upstream
// MLIR, as mlir/InitAllDialects.h and mlir/InitAllPasses.h do for
// upstream: link Slim::SlimPasses (CMake package `Slim`) and call both
// before parsing the command line. docs/integration.md shows a tool.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_INITALLSLIM_H
#define SLIM_INITALLSLIM_H

namespace mlir {
class DialectRegistry;

namespace slim {

/// Adds Slim's dialect (`slim`) to `registry`; the quant dialect, whose
/// types its ops carry, is loaded with it. The passes load the dialects
/// they create (linalg, arith, ...) themselves.
void registerAllDialects(DialectRegistry &registry);

/// Registers every Slim pass (quantization, calibration folding, pruning,
/// low rank, code generation, the lowering of `slim` ops) and the named
/// pipelines (`slim-ptq-static`, `slim-ptq-dynamic`, `slim-weight-only`,
/// `slim-sparsify`, `slim-cpu-pipeline`, ...) with MLIR's global pass
/// registry, so that `--pass-pipeline` and `mlir-opt`-style flags find
/// them. Safe to call more than once.
void registerAllPasses();

} // namespace slim
} // namespace mlir

#endif // SLIM_INITALLSLIM_H
