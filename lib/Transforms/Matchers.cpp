//===- Matchers.cpp - What quantization passes look for -------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Transforms/Matchers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
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

/// Row-major strides of a shape.
SmallVector<int64_t> mlir::slim::rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// The values of a constant-like weight in the layout of `v`'s type:
/// arith.constant (dense or f32 dense_resource), through linalg.transpose and
/// linalg.broadcast.
std::optional<std::vector<float>> mlir::slim::readConstantValues(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    Attribute value = constant.getValue();
    std::vector<float> out;
    out.reserve(type.getNumElements());
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (!isa<FloatType>(dense.getElementType()))
        return std::nullopt;
      for (APFloat f : dense.getValues<APFloat>()) {
        bool lost = false;
        f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
        out.push_back(f.convertToFloat());
      }
      return out;
    }
    if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value)) {
      std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
      if (!data)
        return std::nullopt;
      out.assign(data->begin(), data->end());
      return out;
    }
    return std::nullopt;
  }
  SmallVector<int64_t> outShape(type.getShape());
  SmallVector<int64_t> outStrides = rowMajorStrides(outShape);
  if (auto transpose = dyn_cast<linalg::TransposeOp>(def)) {
    std::optional<std::vector<float>> in =
        readConstantValues(transpose.getInput());
    if (!in)
      return std::nullopt;
    auto inType = cast<RankedTensorType>(transpose.getInput().getType());
    SmallVector<int64_t> inStrides = rowMajorStrides(inType.getShape());
    ArrayRef<int64_t> perm = transpose.getPermutation();
    std::vector<float> out(type.getNumElements());
    for (int64_t i = 0; i < type.getNumElements(); ++i) {
      int64_t src = 0;
      for (size_t d = 0; d < outShape.size(); ++d)
        src += (i / outStrides[d] % outShape[d]) * inStrides[perm[d]];
      out[i] = (*in)[src];
    }
    return out;
  }
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(def)) {
    std::optional<std::vector<float>> in =
        readConstantValues(broadcast.getInput());
    if (!in)
      return std::nullopt;
    ArrayRef<int64_t> added = broadcast.getDimensions();
    auto inType = cast<RankedTensorType>(broadcast.getInput().getType());
    SmallVector<int64_t> inStrides = rowMajorStrides(inType.getShape());
    std::vector<float> out(type.getNumElements());
    for (int64_t i = 0; i < type.getNumElements(); ++i) {
      int64_t src = 0, k = 0;
      for (size_t d = 0; d < outShape.size(); ++d) {
        if (llvm::is_contained(added, static_cast<int64_t>(d)))
          continue;
        src += (i / outStrides[d] % outShape[d]) * inStrides[k++];
      }
      out[i] = (*in)[src];
    }
    return out;
  }
  return std::nullopt;
}
