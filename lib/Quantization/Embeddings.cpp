//===- Embeddings.cpp - Quantized embedding tables ------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "Embeddings.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "slim/Layers/Matchers.h"
#include "slim/Numerics/Calibration.h"
#include "slim/Numerics/Quantization.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::slim;
namespace num = ::slim::numerics;

FailureOr<std::optional<EmbeddingPlan>>
mlir::slim::planEmbedding(EmbeddingLookup lookup, unsigned bits,
                          int64_t groupSize, StringRef method) {
  auto type = cast<RankedTensorType>(lookup.table.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (failed(checkMaterializable(lookup.op, rows * cols, "the embedding table")))
    return failure();
  std::optional<std::vector<float>> values =
      readConstantValues(lookup.table.getResult());
  if (!values) {
    lookup.op->emitRemark("embedding table left in float: it is not a "
                          "constant this pass can read");
    return std::optional<EmbeddingPlan>();
  }
  for (size_t i = 0; i < values->size(); ++i)
    if (!std::isfinite((*values)[i]))
      return lookup.op->emitOpError("embedding table holds NaN or Inf "
                                    "(element ")
             << i << "); refusing to quantize it";

  EmbeddingPlan plan;
  plan.lookup = lookup;
  plan.bits = bits;
  plan.groupSize = bits == 8 ? cols : num::groupSizeFor(cols, groupSize);
  num::IntRange range = num::IntRange::forStorage(bits, /*isSigned=*/true,
                                                  /*narrow=*/true);
  int64_t groups = cols / plan.groupSize;
  int64_t rowBytes = bits == 8 ? cols : (cols + 1) / 2;
  plan.stored.assign(rows * rowBytes, 0);
  plan.scales.resize(rows * groups);
  double signal = 0.0, noise = 0.0;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t g = 0; g < groups; ++g) {
      const float *v = values->data() + r * cols + g * plan.groupSize;
      float lo = 0.0f, hi = 0.0f;
      if (method == "mse") {
        num::RealRange chosen =
            num::chooseMseRange(v, plan.groupSize, range, /*symmetric=*/true);
        lo = static_cast<float>(chosen.min);
        hi = static_cast<float>(chosen.max);
      } else {
        for (int64_t c = 0; c < plan.groupSize; ++c) {
          lo = std::min(lo, v[c]);
          hi = std::max(hi, v[c]);
        }
      }
      std::optional<num::QuantParams> qp =
          num::chooseQuantParams(lo, hi, range, /*symmetric=*/true);
      if (!qp)
        return lookup.op->emitOpError("cannot quantize an embedding range [")
               << lo << ", " << hi << "]";
      float scale = static_cast<float>(qp->scale);
      plan.scales[r * groups + g] = scale;
      for (int64_t c = 0; c < plan.groupSize; ++c) {
        int64_t col = g * plan.groupSize + c;
        int64_t q = num::quantize(v[c], scale, 0, range,
                                  num::Rounding::HalfToEven);
        double err = v[c] - num::dequantize(q, scale, 0);
        signal += static_cast<double>(v[c]) * v[c];
        noise += err * err;
        if (bits == 8) {
          plan.stored[r * rowBytes + col] = static_cast<int8_t>(q);
        } else {
          num::setPackedInt4(&plan.stored[r * rowBytes], col, q);
        }
      }
    }
  }
  plan.sqnr = noise == 0.0 ? INFINITY : 10.0 * std::log10(signal / noise);
  plan.bytesBefore = rows * cols * 4;
  plan.bytesAfter = rows * rowBytes + 4 * static_cast<int64_t>(plan.scales.size());
  return std::optional<EmbeddingPlan>(std::move(plan));
}

void mlir::slim::applyEmbeddingPlan(const EmbeddingPlan &plan) {
  EmbeddingLookup lookup = plan.lookup;
  auto type = cast<RankedTensorType>(lookup.table.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  int64_t groups = cols / plan.groupSize;
  MLIRContext *ctx = lookup.op.getContext();
  Type i8 = IntegerType::get(ctx, 8), f32 = Float32Type::get(ctx);

  OpBuilder b(lookup.op);
  Location loc = lookup.table.getLoc();
  auto storedType = RankedTensorType::get(
      {rows, plan.bits == 8 ? cols : (cols + 1) / 2}, i8);
  Value stored = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(storedType, ArrayRef(plan.stored)));
  auto scalesType = RankedTensorType::get({rows, groups}, f32);
  Value scales = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(scalesType, ArrayRef(plan.scales)));

  // In the body: the integer, its scale, their product.
  tensor::ExtractOp read = lookup.read;
  b.setInsertionPoint(read);
  Location at = read.getLoc();
  Value row = read.getIndices()[0], col = read.getIndices()[1];
  Value q;
  if (plan.bits == 8) {
    q = tensor::ExtractOp::create(b, at, stored, ValueRange{row, col});
  } else {
    // A byte holds columns 2c (low nibble) and 2c + 1 (high nibble); the
    // nibble is moved to the byte's top and shifted back, sign-extending.
    Value two = arith::ConstantIndexOp::create(b, at, 2);
    Value byte = tensor::ExtractOp::create(
        b, at, stored,
        ValueRange{row, arith::DivUIOp::create(b, at, col, two)});
    Value odd = arith::IndexCastOp::create(
        b, at, i8, arith::RemUIOp::create(b, at, col, two));
    Value four = arith::ConstantIntOp::create(b, at, i8, 4);
    Value up = arith::MulIOp::create(
        b, at, arith::SubIOp::create(
                   b, at, arith::ConstantIntOp::create(b, at, i8, 1), odd),
        four);
    q = arith::ShRSIOp::create(b, at, arith::ShLIOp::create(b, at, byte, up),
                               four);
  }
  Value group = col;
  if (groups == 1)
    group = arith::ConstantIndexOp::create(b, at, 0);
  else
    group = arith::DivUIOp::create(
        b, at, col, arith::ConstantIndexOp::create(b, at, plan.groupSize));
  Value scale = tensor::ExtractOp::create(b, at, scales, ValueRange{row, group});
  Value value = arith::MulFOp::create(
      b, at, arith::SIToFPOp::create(b, at, f32, q), scale);
  read.replaceAllUsesWith(value);
  read.erase();
  if (lookup.table->use_empty())
    lookup.table.erase();
}
