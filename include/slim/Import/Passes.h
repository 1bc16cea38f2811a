//===- Passes.h - Importer normalization passes -----------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What brings an importer's output into the forms Slim's passes match
// (slim-normalize-imported) and its weights into resources
// (slim-resource-constants); docs/import.md.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_IMPORT_PASSES_H
#define SLIM_IMPORT_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Import/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/Import/Passes.h.inc"

} // namespace slim
} // namespace mlir

#endif // SLIM_IMPORT_PASSES_H
