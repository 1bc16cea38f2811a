//===- LowerObservers.cpp - Erase observers or call the runtime -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Conversion/Passes.h"

#include "mlir/IR/Builders.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMLOWEROBSERVERSPASS
#include "slim/Conversion/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;

/// Declares `slim_observe_f32(i64, memref<*xf32>)` once.
static func::FuncOp getOrDeclareObserve(ModuleOp module) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(kObserveFunction))
    return fn;
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToStart(module.getBody());
  MLIRContext *ctx = module.getContext();
  auto type = b.getFunctionType(
      {b.getI64Type(), UnrankedMemRefType::get(b.getF32Type(), 0)}, {});
  auto fn = func::FuncOp::create(b, module.getLoc(), kObserveFunction, type);
  fn.setPrivate();
  fn->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
  return fn;
}

namespace {
struct SlimLowerObserversPass
    : mlir::slim::impl::SlimLowerObserversPassBase<SlimLowerObserversPass> {
  using SlimLowerObserversPassBase::SlimLowerObserversPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (mode != "erase" && mode != "runtime") {
      module.emitError("slim-lower-observers: unknown mode '")
          << mode << "' (expected erase or runtime)";
      return signalPassFailure();
    }
    SmallVector<ObserveOp> observers;
    llvm::StringSet<> ids;
    WalkResult walk = module.walk([&](ObserveOp op) {
      if (!ids.insert(op.getId()).second) {
        op.emitOpError("duplicate observer id '") << op.getId() << "'";
        return WalkResult::interrupt();
      }
      observers.push_back(op);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    if (mode == "erase") {
      for (ObserveOp op : observers) {
        op.getResult().replaceAllUsesWith(op.getInput());
        op.erase();
      }
      return;
    }

    MLIRContext *ctx = &getContext();
    func::FuncOp observe = getOrDeclareObserve(module);
    SmallVector<Attribute> table;
    for (auto [index, op] : llvm::enumerate(observers)) {
      SmallVector<NamedAttribute> entry{
          NamedAttribute(StringAttr::get(ctx, "id"), op.getIdAttr())};
      if (IntegerAttr axis = op.getAxisAttr())
        entry.push_back(NamedAttribute(StringAttr::get(ctx, "axis"), axis));
      if (DenseI64ArrayAttr patches = op.getPatchesAttr())
        entry.push_back(
            NamedAttribute(StringAttr::get(ctx, "patches"), patches));
      table.push_back(DictionaryAttr::get(ctx, entry));

      OpBuilder b(op);
      Location loc = op.getLoc();
      Value x = op.getInput();
      auto type = cast<RankedTensorType>(x.getType());
      Type f32 = b.getF32Type();
      if (type.getElementType() != f32) {
        type = type.clone(f32);
        x = arith::ExtFOp::create(b, loc, type, x);
      }
      auto memrefType = MemRefType::get(type.getShape(), f32);
      Value buffer = bufferization::ToBufferOp::create(b, loc, memrefType, x,
                                                       /*readOnly=*/true);
      Value unranked = memref::CastOp::create(
          b, loc, UnrankedMemRefType::get(f32, 0), buffer);
      Value number = arith::ConstantOp::create(
          b, loc, b.getI64IntegerAttr(static_cast<int64_t>(index)));
      func::CallOp::create(b, loc, observe, ValueRange{number, unranked});
      op.getResult().replaceAllUsesWith(op.getInput());
      op.erase();
    }
    module->setAttr(kObserverTableAttr, ArrayAttr::get(ctx, table));
  }
};
} // namespace
