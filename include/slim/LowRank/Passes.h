//===- Passes.h - Slim low-rank passes --------------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LOWRANK_PASSES_H
#define SLIM_LOWRANK_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/LowRank/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/LowRank/Passes.h.inc"

} // namespace slim
} // namespace mlir

#endif // SLIM_LOWRANK_PASSES_H
