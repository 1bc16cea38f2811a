//===- SlimDialect.h - Slim dialect -------------------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_DIALECT_SLIM_IR_SLIMDIALECT_H
#define SLIM_DIALECT_SLIM_IR_SLIMDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "slim/Dialect/Slim/IR/SlimOpsDialect.h.inc"

#endif // SLIM_DIALECT_SLIM_IR_SLIMDIALECT_H
