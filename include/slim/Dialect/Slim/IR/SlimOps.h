//===- SlimOps.h - Slim operations --------------------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_DIALECT_SLIM_IR_SLIMOPS_H
#define SLIM_DIALECT_SLIM_IR_SLIMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <array>

#include "slim/Dialect/Slim/IR/SlimDialect.h"
#include "slim/Dialect/Slim/IR/SlimEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "slim/Dialect/Slim/IR/SlimAttrs.h.inc"

#define GET_OP_CLASSES
#include "slim/Dialect/Slim/IR/SlimOps.h.inc"

namespace mlir::slim {
/// Attaches the bufferization of the kernel ops (slim.packed_matmul and the
/// others slim-pack-contractions creates); SlimDialect::initialize calls it.
void attachKernelOpInterfaces(MLIRContext *ctx);
} // namespace mlir::slim

#endif // SLIM_DIALECT_SLIM_IR_SLIMOPS_H
