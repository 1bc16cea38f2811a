//===- InsertObservers.cpp - Observe the activations to quantize ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Quantization/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMINSERTOBSERVERSPASS
#include "slim/Quantization/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;

namespace {
class ObserverInserter {
public:
  ObserverInserter(func::FuncOp func, bool perChannel)
      : func(func), perChannel(perChannel) {}

  void run() {
    for (auto &[op, prefix] : nameLayers(func)) {
      bool nchw =
          isa<linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNchwChwOp,
              linalg::Conv2DNgchwGfchwOp>(op);
      auto linalgOp = cast<linalg::LinalgOp>(op);
      for (auto [i, operand] : llvm::enumerate(linalgOp.getDpsInputs()))
        observe(i == 0 ? layerInput(op) : operand,
                prefix + "/in" + std::to_string(i), nchw,
                i == 0 ? convolutionPatches(op) : DenseI64ArrayAttr());
      Value end = epilogueEnd(layerResult(op), constants);
      observe(end, prefix + "/out", nchw);
    }
  }

private:
  /// The patches of a 2-D convolution's input (slim.observe's `patches`:
  /// its Gram matrix is over the windows the filter sees), or null.
  DenseI64ArrayAttr convolutionPatches(Operation *op) {
    auto window = [&](auto conv, bool nchw) -> DenseI64ArrayAttr {
      auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
      int64_t kh = filter.getDimSize(nchw ? 2 : 0);
      int64_t kw = filter.getDimSize(nchw ? 3 : 1);
      SmallVector<int64_t> s(conv.getStrides().template getValues<int64_t>());
      SmallVector<int64_t> d(
          conv.getDilations().template getValues<int64_t>());
      if (ShapedType::isDynamic(kh) || ShapedType::isDynamic(kw))
        return {};
      return DenseI64ArrayAttr::get(
          func.getContext(), {nchw ? 1 : 3, kh, kw, s[0], s[1], d[0], d[1]});
    };
    if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
      return window(conv, true);
    if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op))
      return window(conv, false);
    return {};
  }

  void observe(Value v, const std::string &id, bool nchw,
               DenseI64ArrayAttr patches = {}) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    Type elem = type ? type.getElementType() : Type();
    if (!elem || !(elem.isF32() || elem.isF16() || elem.isBF16()))
      return;
    if (constants.isConstantLike(v))
      return;
    // Patches need a rank-4 tensor with a static channel dimension.
    if (type.getRank() != 4 || type.isDynamicDim(nchw ? 1 : 3))
      patches = {};
    if (observed.count(v)) {
      // Observed already (a layer's output is the next one's input): a
      // convolution reading it still wants its patches.
      auto op = v.getDefiningOp<ObserveOp>();
      if (patches && op && !op.getPatchesAttr())
        op.setPatchesAttr(patches);
      return;
    }
    OpBuilder b(func.getContext());
    std::string name = id;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      b.setInsertionPointToStart(arg.getOwner());
      if (arg.getOwner()->isEntryBlock() &&
          arg.getOwner()->getParentOp() == func)
        name = (func.getSymName() + "/arg" + Twine(arg.getArgNumber())).str();
    } else {
      b.setInsertionPointAfterValue(v);
    }
    IntegerAttr axis;
    if (perChannel && type.getRank() >= 2) {
      int64_t a = nchw ? 1 : type.getRank() - 1;
      if (!type.isDynamicDim(a))
        axis = b.getI64IntegerAttr(a);
    }
    auto op =
        ObserveOp::create(b, v.getLoc(), type, v, b.getStringAttr(name), axis);
    if (patches)
      op.setPatchesAttr(patches);
    v.replaceAllUsesExcept(op.getResult(), op);
    observed.insert(v);
    observed.insert(op.getResult());
  }

  func::FuncOp func;
  bool perChannel;
  ConstantLikeAnalysis constants;
  llvm::DenseSet<Value> observed;
};

struct SlimInsertObserversPass
    : mlir::slim::impl::SlimInsertObserversPassBase<SlimInsertObserversPass> {
  using SlimInsertObserversPassBase::SlimInsertObserversPassBase;

  void runOnOperation() override {
    if (granularity != "tensor" && granularity != "channel") {
      getOperation().emitError("slim-insert-observers: unknown granularity '")
          << granularity << "' (expected tensor or channel)";
      return signalPassFailure();
    }
    // Observing twice would double every id: refuse instrumented modules.
    WalkResult existing = getOperation().walk([](ObserveOp op) {
      op.emitOpError("the module already has observers; "
                     "slim-insert-observers runs once");
      return WalkResult::interrupt();
    });
    if (existing.wasInterrupted())
      return signalPassFailure();
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isDeclaration())
        ObserverInserter(func, granularity == "channel").run();
  }
};
} // namespace
