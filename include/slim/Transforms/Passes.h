//===- Passes.h - Slim transformation passes ----------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_TRANSFORMS_PASSES_H
#define SLIM_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/Transforms/Passes.h.inc"

} // namespace slim
} // namespace mlir

#endif // SLIM_TRANSFORMS_PASSES_H
