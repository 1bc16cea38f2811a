//===- ResourceConstants.cpp - Large constants into dense_resource --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Import/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMRESOURCECONSTANTSPASS
#include "slim/Import/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {
struct SlimResourceConstantsPass
    : mlir::slim::impl::SlimResourceConstantsPassBase<
          SlimResourceConstantsPass> {
  using SlimResourceConstantsPassBase::SlimResourceConstantsPassBase;

  void runOnOperation() override {
    if (minBytes < 0) {
      getOperation().emitError("slim-resource-constants: min-bytes must not "
                               "be negative, got ")
          << static_cast<int64_t>(minBytes);
      return signalPassFailure();
    }
    llvm::StringMap<unsigned> counts;
    getOperation().walk([&](arith::ConstantOp op) {
      auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
      if (!dense || dense.isSplat())
        return;
      Type elem = dense.getElementType();
      if (!elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() % 8 != 0)
        return;
      ArrayRef<char> raw = dense.getRawData();
      if (static_cast<int64_t>(raw.size()) < minBytes)
        return;
      auto func = op->getParentOfType<FunctionOpInterface>();
      std::string base = func ? func.getName().str() : std::string("module");
      std::string name = base + "_w" + std::to_string(counts[base]++);
      size_t align = std::max<size_t>(elem.getIntOrFloatBitWidth() / 8, 8);
      AsmResourceBlob blob =
          HeapAsmResourceBlob::allocateAndCopyWithAlign(raw, align);
      auto resource = DenseResourceElementsAttr::get(
          cast<ShapedType>(dense.getType()), name, std::move(blob));
      op.setValueAttr(resource);
    });
  }
};
} // namespace
