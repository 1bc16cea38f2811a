//===- QuantizeDynamic.cpp - Quantize matmul activations at run time ------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMQUANTIZEDYNAMICPASS
#include "slim/Transforms/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;

/// Whether `v` is a zero-filled tensor.
static bool isZeroFill(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  APFloat f(0.0);
  return fill && matchPattern(fill.getInputs()[0], m_ConstantFloat(&f)) &&
         f.isZero();
}

namespace {
struct SlimQuantizeDynamicPass
    : mlir::slim::impl::SlimQuantizeDynamicPassBase<SlimQuantizeDynamicPass> {
  void runOnOperation() override {
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    for (linalg::MatmulOp mm : matmuls) {
      auto dq = mm.getInputs()[1].getDefiningOp<DequantizeOp>();
      Value lhs = mm.getInputs()[0];
      auto resultType = cast<RankedTensorType>(mm.getResult(0).getType());
      if (mm.hasUserDefinedMaps() || !dq || lhs.getDefiningOp<DequantizeOp>() ||
          !resultType.getElementType().isF32() ||
          !cast<RankedTensorType>(lhs.getType()).getElementType().isF32() ||
          !isZeroFill(mm.getOutputs()[0]))
        continue;
      RankedTensorType wType = dq.getInput().getType();
      FailureOr<QuantLayout> w = QuantLayout::tryGet(wType);
      if (failed(w) || w->storageWidth > 8 || wType.isDynamicDim(1) ||
          !w->isPerTensorOrAxis(1))
        continue;
      OpBuilder b(mm);
      Value y = DynamicQMatmulOp::create(b, mm.getLoc(), resultType, lhs,
                                         dq.getInput());
      mm.getResult(0).replaceAllUsesWith(y);
      mm.erase();
    }
  }
};
} // namespace
