//===- Passes.h - Slim code generation passes -------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CODEGEN_PASSES_H
#define SLIM_CODEGEN_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "slim/Codegen/Passes.h.inc"

} // namespace slim
} // namespace mlir

#endif // SLIM_CODEGEN_PASSES_H
