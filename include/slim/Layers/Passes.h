//===- Passes.h - Passes on the layers --------------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim-name-layers: the layer names the other passes use, fixed in
// attributes (Report.h's nameLayers reads them).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LAYERS_PASSES_H
#define SLIM_LAYERS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Layers/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/Layers/Passes.h.inc"

} // namespace slim
} // namespace mlir

#endif // SLIM_LAYERS_PASSES_H
