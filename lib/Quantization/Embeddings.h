//===- Embeddings.h - Quantized embedding tables ----------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// An embedding lookup, as importers write ONNX Gather and torch's
// embedding: a linalg.generic whose body reads a constant 2-D float table
// with tensor.extract at indices computed from its inputs (token ids).
// Only the rows it reads are ever needed, so the table is stored as
// integers with one scale per row (8 bits) or per group of a row (4 bits,
// packed two per byte) and each read element is dequantized where it is
// read.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LIB_QUANTIZATION_EMBEDDINGS_H
#define SLIM_LIB_QUANTIZATION_EMBEDDINGS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "slim/Layers/Report.h"
#include "llvm/ADT/MapVector.h"

#include <string>
#include <vector>

namespace mlir {
namespace slim {

/// How one table is quantized, computed before the IR changes.
struct EmbeddingPlan {
  EmbeddingLookup lookup;
  unsigned bits = 8;
  int64_t groupSize = 0;        ///< elements per scale along a row
  std::vector<int8_t> stored;   ///< rows x columns, or packed rows at 4 bits
  std::vector<float> scales;    ///< rows x (columns / groupSize)
  double sqnr = 0.0;
  int64_t bytesBefore = 0, bytesAfter = 0;
};

/// Symmetric integers for `lookup`'s table: `bits` 8 (one scale per row) or
/// 4 (one per `groupSize` elements of a row, narrowed to a divisor of the
/// row length like matmul groups), ranges by `method` (minmax or mse).
/// Fails with an error on the op for NaN or Inf in the table; nullopt, with
/// a remark, for a table it cannot read (a dense_resource without its data).
FailureOr<std::optional<EmbeddingPlan>>
planEmbedding(EmbeddingLookup lookup, unsigned bits, int64_t groupSize,
              llvm::StringRef method);

/// Replaces the table read by reads of the plan's integers and scale and a
/// multiplication: the generic yields dequant(quant(table))[i, j].
void applyEmbeddingPlan(const EmbeddingPlan &plan);

} // namespace slim
} // namespace mlir

#endif // SLIM_LIB_QUANTIZATION_EMBEDDINGS_H
