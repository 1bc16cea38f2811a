//===- Matchers.cpp - What quantization passes look for -------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Transforms/Matchers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::slim;

bool mlir::slim::isQuantizableCompute(Operation *op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNhwcHwcOp,
             linalg::DepthwiseConv2DNchwChwOp>(op);
}

bool ConstantLikeAnalysis::isConstantLike(Value v) {
  auto it = memo.find(v);
  if (it != memo.end())
    return it->second;
  memo[v] = false; // cycles (through regions) are not constant
  Operation *def = v.getDefiningOp();
  bool result = false;
  if (def) {
    if (isa<arith::ConstantOp, tensor::EmptyOp>(def)) {
      result = true;
    } else if (isMemoryEffectFree(def) && def->getNumOperands() > 0) {
      result = llvm::all_of(def->getOperands(),
                            [&](Value o) { return isConstantLike(o); });
      // Region bodies may read their own values and constants from above.
      def->walk([&](Operation *inner) {
        if (inner == def)
          return;
        for (Value o : inner->getOperands()) {
          Operation *owner = o.getParentBlock()->getParentOp();
          bool inside = owner == def || def->isProperAncestor(owner);
          if (!inside && !isConstantLike(o))
            result = false;
        }
      });
    }
  }
  memo[v] = result;
  return result;
}

bool mlir::slim::isElementwiseTensorOp(Operation *op) {
  if (op->getNumResults() != 1 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return false;
  if (op->hasTrait<OpTrait::Elementwise>())
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumLoops() == linalgOp.getNumParallelLoops() &&
         !isa<linalg::FillOp, linalg::BroadcastOp, linalg::TransposeOp>(op);
}

Value mlir::slim::epilogueEnd(Value v, ConstantLikeAnalysis &constants) {
  while (v.hasOneUse()) {
    Operation *user = *v.getUsers().begin();
    if (!isElementwiseTensorOp(user) ||
        user->getResult(0).getType() != v.getType())
      break;
    bool othersConstant = llvm::all_of(user->getOperands(), [&](Value o) {
      return o == v || constants.isConstantLike(o);
    });
    if (!othersConstant)
      break;
    v = user->getResult(0);
  }
  return v;
}
