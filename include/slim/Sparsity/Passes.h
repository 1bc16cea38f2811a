//===- Passes.h - Slim pruning passes ---------------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SPARSITY_PASSES_H
#define SLIM_SPARSITY_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Sparsity/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/Sparsity/Passes.h.inc"

class LayerReport;

/// slim-prune in a pipeline that merges its findings per layer into
/// `layers` (the `pruning` entry of each layer, see Report.h); otherwise
/// as the registered pass.
std::unique_ptr<Pass>
createSlimPrunePass(const SlimPrunePassOptions &options,
                    std::shared_ptr<LayerReport> layers);

} // namespace slim
} // namespace mlir

#endif // SLIM_SPARSITY_PASSES_H
