//===- Passes.h - Slim conversion passes --------------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CONVERSION_PASSES_H
#define SLIM_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace slim {

#define GEN_PASS_DECL
#include "slim/Conversion/Passes.h.inc"

/// Patterns that lower the four slim quantization ops to linalg.generic on
/// storage integer types (quant types converted by `converter`).
void populateSlimToLinalgPatterns(const TypeConverter &converter,
                                  RewritePatternSet &patterns);

/// A type converter that maps quantized element types (and tensors of them)
/// to their signless storage integer types and leaves other types alone.
class QuantStorageTypeConverter : public TypeConverter {
public:
  QuantStorageTypeConverter();
};

/// The module attribute listing the observers numbered by
/// slim-lower-observers{mode=runtime}.
constexpr llvm::StringLiteral kObserverTableAttr = "slim.observers";
/// The runtime function the observers call.
constexpr llvm::StringLiteral kObserveFunction = "slim_observe_f32";

#define GEN_PASS_REGISTRATION
#include "slim/Conversion/Passes.h.inc"

} // namespace slim
} // namespace mlir

#endif // SLIM_CONVERSION_PASSES_H
