//===- QuantizeDynamic.cpp - Quantize matmul activations at run time ------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Quantization/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Layers/Report.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMQUANTIZEDYNAMICPASS
#include "slim/Quantization/Passes.h.inc"
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
  using SlimQuantizeDynamicPassBase::SlimQuantizeDynamicPassBase;

  void runOnOperation() override {
    if (granularity != "tensor" && granularity != "row") {
      getOperation().emitError("slim-quantize-dynamic: unknown granularity '")
          << granularity << "' (expected tensor or row)";
      return signalPassFailure();
    }
    bool perRow = granularity == "row";
    llvm::MapVector<Operation *, std::string> names =
        nameLayers(getOperation());
    if (layers)
      layers->addLayers(names);
    for (auto &[op, name] : names) {
      auto decline = [&, &name = name](const Twine &why) {
        if (layers)
          layers->set(name, "unfused", why.str());
      };
      auto mm = dyn_cast<linalg::MatmulOp>(op);
      if (!mm) {
        decline("no dynamic integer form for " + op->getName().getStringRef());
        continue;
      }
      auto dq = mm.getInputs()[1].getDefiningOp<DequantizeOp>();
      Value lhs = mm.getInputs()[0];
      auto resultType = cast<RankedTensorType>(mm.getResult(0).getType());
      if (mm.hasUserDefinedMaps() || !dq || lhs.getDefiningOp<DequantizeOp>() ||
          !resultType.getElementType().isF32() ||
          !cast<RankedTensorType>(lhs.getType()).getElementType().isF32() ||
          !isZeroFill(mm.getOutputs()[0])) {
        decline("not an f32 matmul, zero-initialized, of a float activation "
                "by a dequantized weight");
        continue;
      }
      RankedTensorType wType = dq.getInput().getType();
      FailureOr<QuantLayout> w = QuantLayout::tryGet(wType);
      if (failed(w) || w->storageWidth > 8 || wType.isDynamicDim(1) ||
          !w->isPerTensorOrAxis(1)) {
        decline("the weight is not 8-bit, per tensor or per column");
        continue;
      }
      OpBuilder b(mm);
      Value y = DynamicQMatmulOp::create(b, mm.getLoc(), resultType, lhs,
                                         dq.getInput(), perRow);
      mm.getResult(0).replaceAllUsesWith(y);
      mm.erase();
      if (layers) {
        layers->set(name, "input",
                    llvm::json::Object{
                        {"dynamic", perRow ? "u8 per row, from each row's range"
                                           : "u8 per tensor, from each call's "
                                             "range"}});
        layers->set(name, "integer_op", DynamicQMatmulOp::getOperationName());
      }
    }
  }

  std::shared_ptr<LayerReport> layers;
};
} // namespace

std::unique_ptr<Pass> mlir::slim::createSlimQuantizeDynamicPass(
    const SlimQuantizeDynamicPassOptions &options,
    std::shared_ptr<LayerReport> layers) {
  auto pass = std::make_unique<SlimQuantizeDynamicPass>(options);
  pass->layers = std::move(layers);
  return pass;
}
