//===- FuseAttention.cpp - Attention chains to slim.attention -------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Finds scaled dot-product attention in the form importers write it (one
// linalg op per ONNX or torch op) and replaces the chain with one
// slim.attention:
//
//   S3 = batch_matmul(collapse(Q4), collapse(K4t))   Q4: B x H x M x D,
//                                                    K4t: B x H x D x N
//   X  = expand(S3) [/ or * scalar constant] [+ mask]   (either order)
//   mx = max-reduce(X) over N (an unused argmax result allowed)
//   E  = exp(X - mx);  P = E / sum-reduce(E)
//   O3 = batch_matmul(collapse(P), collapse(V4))      V4: B x H x N x Dv
//
// Every intermediate must have no user outside the chain. K4t is given to
// the op as K4 through a transpose of its last two dimensions (folded
// with the transpose that made K4t from the projection when there is
// one); the result replaces O3 through a collapse.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"
#include "slim/Codegen/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMFUSEATTENTIONPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;

namespace {

/// The single payload op of an elementwise or reduction generic, when its
/// body is exactly that op and a yield of it.
template <typename PayloadOp>
PayloadOp singlePayload(linalg::GenericOp g) {
  Block &body = g.getRegion().front();
  if (body.getOperations().size() != 2)
    return nullptr;
  auto op = dyn_cast<PayloadOp>(&body.front());
  if (!op || body.getTerminator()->getOperand(0) != op->getResult(0))
    return nullptr;
  return op;
}

bool allParallel(linalg::GenericOp g) {
  return g.getNumLoops() == g.getNumParallelLoops();
}

/// Whether `payload` reads the block arguments `args` of `g`'s body, in
/// that order (or, `commutative`, in either order for two).
bool readsArguments(Operation *payload, linalg::GenericOp g,
                    ArrayRef<unsigned> args, bool commutative = false) {
  Block &body = g.getRegion().front();
  if (payload->getNumOperands() != args.size())
    return false;
  auto inOrder = [&](bool swapped) {
    for (auto [i, arg] : llvm::enumerate(args)) {
      unsigned at = swapped ? args.size() - 1 - i : i;
      if (payload->getOperand(at) != body.getArgument(arg))
        return false;
    }
    return true;
  };
  return inOrder(false) || (commutative && args.size() == 2 && inOrder(true));
}

/// Whether the generic's loops are parallel but the last, a reduction.
bool reducesLastLoop(linalg::GenericOp g) {
  auto iterators = g.getIteratorTypesArray();
  for (auto [i, it] : llvm::enumerate(iterators))
    if ((it == utils::IteratorType::reduction) != (i + 1 == iterators.size()))
      return false;
  return true;
}

/// A static f32 tensor of rank 4.
bool staticF32Rank4(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getRank() == 4 && type.hasStaticShape() &&
         type.getElementType().isF32();
}

/// The 4-D value a collapse_shape [[0, 1], [2], [3]] of it gives.
Value uncollapsed(Value v) {
  auto collapse = v.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || collapse.getSrcType().getRank() != 4)
    return nullptr;
  SmallVector<ReassociationIndices> want = {{0, 1}, {2}, {3}};
  if (collapse.getReassociationIndices() != want)
    return nullptr;
  return collapse.getSrc();
}

/// Whether `v` is a batch_matmul's zero-filled init.
bool zeroFilled(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// A scalar constant: a 0-d or splat f32 tensor constant.
std::optional<float> scalarConstant(Value v) {
  DenseFPElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat() ||
      !attr.getElementType().isF32())
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToFloat();
}

/// Whether `map` reads a 4-D loop nest's (d0, d1, d2) with d3 at 0: the
/// keep-dims form of a row result.
bool isRowMap(AffineMap map) {
  MLIRContext *ctx = map.getContext();
  AffineMap want =
      AffineMap::get(4, 0,
                     {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                      getAffineDimExpr(2, ctx), getAffineConstantExpr(0, ctx)},
                     ctx);
  return map == want;
}

struct Chain {
  Value q, kt, v, mask;
  std::optional<float> scale;
  bool divides = false;
  linalg::BatchMatmulOp pv;
  /// The ops the fused op replaces (erased when unused afterwards).
  SmallVector<Operation *> ops;
};

/// Whether every user of `op`'s results is among `chain`.
bool usedOnlyBy(Operation *op, ArrayRef<Operation *> chain) {
  for (Operation *user : op->getUsers())
    if (!llvm::is_contained(chain, user))
      return false;
  return true;
}

std::optional<Chain> match(linalg::BatchMatmulOp pv) {
  Chain c;
  c.pv = pv;
  if (pv.hasUserDefinedMaps() || !zeroFilled(pv.getDpsInits()[0]))
    return std::nullopt;
  Value p4 = uncollapsed(pv.getDpsInputs()[0]);
  c.v = uncollapsed(pv.getDpsInputs()[1]);
  if (!p4 || !c.v)
    return std::nullopt;
  // P = E / sum(E).
  auto div = p4.getDefiningOp<linalg::GenericOp>();
  if (!div || !allParallel(div) || div.getNumDpsInputs() != 2)
    return std::nullopt;
  if (auto payload = singlePayload<arith::DivFOp>(div);
      !payload || !readsArguments(payload, div, {0, 1}))
    return std::nullopt;
  auto divMaps = div.getIndexingMapsArray();
  Value e = div.getDpsInputs()[0], sum = div.getDpsInputs()[1];
  if (!divMaps[0].isIdentity() || !isRowMap(divMaps[1]) ||
      !divMaps[2].isIdentity())
    return std::nullopt;
  auto sumOp = sum.getDefiningOp<linalg::GenericOp>();
  if (!sumOp || !reducesLastLoop(sumOp) || sumOp.getNumDpsInputs() != 1 ||
      sumOp.getDpsInputs()[0] != e || !zeroFilled(sumOp.getDpsInits()[0]))
    return std::nullopt;
  if (auto payload = singlePayload<arith::AddFOp>(sumOp);
      !payload || !readsArguments(payload, sumOp, {0, 1}, true))
    return std::nullopt;
  auto sumMaps = sumOp.getIndexingMapsArray();
  if (!sumMaps[0].isIdentity() || !isRowMap(sumMaps[1]))
    return std::nullopt;
  // E = exp(X - max).
  auto exp = e.getDefiningOp<linalg::GenericOp>();
  if (!exp || !allParallel(exp) || exp.getNumDpsInputs() != 1 ||
      !llvm::all_of(exp.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  if (auto payload = singlePayload<math::ExpOp>(exp);
      !payload || !readsArguments(payload, exp, {0}))
    return std::nullopt;
  auto sub = exp.getDpsInputs()[0].getDefiningOp<linalg::GenericOp>();
  if (!sub || !allParallel(sub) || sub.getNumDpsInputs() != 2)
    return std::nullopt;
  if (auto payload = singlePayload<arith::SubFOp>(sub);
      !payload || !readsArguments(payload, sub, {0, 1}))
    return std::nullopt;
  auto subMaps = sub.getIndexingMapsArray();
  if (!subMaps[0].isIdentity() || !isRowMap(subMaps[1]) ||
      !subMaps[2].isIdentity())
    return std::nullopt;
  Value x = sub.getDpsInputs()[0], maxValue = sub.getDpsInputs()[1];
  Operation *maxExpand = nullptr;
  if (auto expand = maxValue.getDefiningOp<tensor::ExpandShapeOp>()) {
    maxExpand = expand;
    maxValue = expand.getSrc();
  }
  auto maxOp = maxValue.getDefiningOp<linalg::GenericOp>();
  if (!maxOp || !reducesLastLoop(maxOp) || maxOp.getNumDpsInputs() != 1 ||
      maxOp.getDpsInputs()[0] != x ||
      cast<OpResult>(maxValue).getResultNumber() != 0)
    return std::nullopt;
  {
    // Read whole, written per row: (d0, d1, d2) (then expanded) or the
    // keep-dims row map.
    auto maps = maxOp.getIndexingMapsArray();
    MLIRContext *ctx = maxOp.getContext();
    AffineMap rows3 =
        AffineMap::get(4, 0,
                       {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                        getAffineDimExpr(2, ctx)},
                       ctx);
    if (!maps[0].isIdentity() ||
        !(maxExpand ? maps[1] == rows3 : isRowMap(maps[1])))
      return std::nullopt;
  }
  // The maximum: maximumf of the input and the accumulator yielded first;
  // any other result (an argmax) unused.
  Block &maxBody = maxOp.getRegion().front();
  auto maxYield = cast<linalg::YieldOp>(maxBody.getTerminator());
  auto maximum = maxYield.getOperand(0).getDefiningOp<arith::MaximumFOp>();
  if (!maximum ||
      !llvm::is_contained(maximum->getOperands(), maxBody.getArgument(0)) ||
      !llvm::is_contained(maximum->getOperands(),
                          maxBody.getArgument(maxOp.getNumDpsInputs())))
    return std::nullopt;
  for (OpResult r : maxOp->getResults().drop_front())
    if (!r.use_empty())
      return std::nullopt;
  // The maximum's start: -inf or the lowest float (either gives the same
  // maximum of a row of finite or -inf scores).
  auto maxFill = maxOp.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  FloatAttr start;
  if (!maxFill || !matchPattern(maxFill.getInputs()[0], m_Constant(&start)) ||
      !(start.getValue().isNegative() &&
        (start.getValue().isInfinity() ||
         start.getValue() ==
             APFloat::getLargest(start.getValue().getSemantics(), true))))
    return std::nullopt;
  // X: up to a scale and a mask over the expanded scores.
  SmallVector<Operation *> prologue;
  Value y = x;
  for (int step = 0; step < 2; ++step) {
    auto g = y.getDefiningOp<linalg::GenericOp>();
    if (!g || !allParallel(g) || g.getNumDpsInputs() != 2)
      break;
    auto maps = g.getIndexingMapsArray();
    Value in0 = g.getDpsInputs()[0], in1 = g.getDpsInputs()[1];
    if (!maps[0].isIdentity() || !maps[2].isIdentity())
      break;
    // Walking back from X: the scale is the first step or follows the
    // mask's (S / c + mask); a mask before the scale ((S + mask) / c)
    // scales the mask too, which the op does not.
    if (auto d = singlePayload<arith::DivFOp>(g);
        d && !c.scale && scalarConstant(in1) && readsArguments(d, g, {0, 1})) {
      c.scale = scalarConstant(in1);
      c.divides = true;
    } else if (auto m = singlePayload<arith::MulFOp>(g);
               m && !c.scale && scalarConstant(in1) &&
               readsArguments(m, g, {0, 1}, true)) {
      c.scale = scalarConstant(in1);
    } else if (auto add = singlePayload<arith::AddFOp>(g);
               add && !c.mask && !c.scale &&
               readsArguments(add, g, {0, 1}, true)) {
      // A mask broadcast along dimensions of size 1.
      auto maskType = cast<RankedTensorType>(in1.getType());
      AffineMap map = maps[1];
      if (maskType.getRank() != 4 || map.getNumResults() != 4)
        break;
      bool ok = true;
      for (auto [d, expr] : llvm::enumerate(map.getResults())) {
        auto dim = dyn_cast<AffineDimExpr>(expr);
        auto constant = dyn_cast<AffineConstantExpr>(expr);
        ok &= (dim && dim.getPosition() == d) ||
              (constant && constant.getValue() == 0 &&
               maskType.getDimSize(d) == 1);
      }
      if (!ok)
        break;
      c.mask = in1;
    } else {
      break;
    }
    prologue.push_back(g);
    y = in0;
  }
  auto expand = y.getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || expand.getResultType().getRank() != 4)
    return std::nullopt;
  SmallVector<ReassociationIndices> want = {{0, 1}, {2}, {3}};
  if (expand.getReassociationIndices() != want)
    return std::nullopt;
  auto qk = expand.getSrc().getDefiningOp<linalg::BatchMatmulOp>();
  if (!qk || qk.hasUserDefinedMaps() || !zeroFilled(qk.getDpsInits()[0]))
    return std::nullopt;
  c.q = uncollapsed(qk.getDpsInputs()[0]);
  c.kt = uncollapsed(qk.getDpsInputs()[1]);
  if (!c.q || !c.kt)
    return std::nullopt;
  // Static f32 operands that agree: Q B x H x M x D, K^T B x H x D x N,
  // V B x H x N x Dv, the scores B x H x M x N.
  for (Value v : {c.q, c.kt, c.v, x, p4})
    if (!staticF32Rank4(v))
      return std::nullopt;
  if (c.mask && !staticF32Rank4(c.mask))
    return std::nullopt;
  auto shape = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  ArrayRef<int64_t> q = shape(c.q), kt = shape(c.kt), v = shape(c.v),
                    sc = shape(x);
  if (q[0] != kt[0] || q[0] != v[0] || q[0] != sc[0] || q[1] != kt[1] ||
      q[1] != v[1] || q[1] != sc[1] || q[2] != sc[2] || kt[2] != q[3] ||
      kt[3] != sc[3] || v[2] != sc[3])
    return std::nullopt;
  // Nothing outside the chain may read what it computes.
  c.ops = {qk, expand};
  llvm::append_range(c.ops, llvm::reverse(prologue));
  c.ops.append({maxOp, sub, exp, sumOp, div, pv});
  if (maxExpand)
    c.ops.push_back(maxExpand);
  c.ops.push_back(pv.getDpsInputs()[0].getDefiningOp()); // P's collapse
  for (Operation *op : c.ops)
    if (op != pv && !usedOnlyBy(op, c.ops))
      return std::nullopt;
  return c;
}

struct SlimFuseAttentionPass
    : mlir::slim::impl::SlimFuseAttentionPassBase<SlimFuseAttentionPass> {
  using SlimFuseAttentionPassBase::SlimFuseAttentionPassBase;

  KernelIsa chosen{};

  LogicalResult initialize(MLIRContext *ctx) override {
    FailureOr<::slim::runtime::Isa> resolved =
        codegen::resolveIsaOption(isa, ctx, "slim-fuse-attention");
    if (failed(resolved))
      return failure();
    chosen = static_cast<KernelIsa>(*resolved);
    return success();
  }

  void runOnOperation() override {
    SmallVector<linalg::BatchMatmulOp> candidates;
    getOperation().walk(
        [&](linalg::BatchMatmulOp op) { candidates.push_back(op); });
    IRRewriter rewriter(&getContext());
    llvm::SmallPtrSet<Operation *, 32> erased;
    for (linalg::BatchMatmulOp pv : candidates) {
      // An earlier rewrite may have erased this one (it was a Q K^T).
      if (erased.contains(pv))
        continue;
      std::optional<Chain> c = match(pv);
      if (!c)
        continue;
      Location loc = pv.getLoc();
      rewriter.setInsertionPoint(pv);
      // K as B x H x N x D: K4t's last two dimensions swapped, folded into
      // the transpose that made K4t when there is one.
      Value source = c->kt;
      SmallVector<int64_t> perm = {0, 1, 3, 2};
      if (auto t = c->kt.getDefiningOp<linalg::TransposeOp>()) {
        source = t.getInput();
        perm.assign(t.getPermutation().begin(), t.getPermutation().end());
        std::swap(perm[2], perm[3]);
      }
      auto ktType = cast<RankedTensorType>(c->kt.getType());
      SmallVector<int64_t> keyShape(ktType.getShape());
      std::swap(keyShape[2], keyShape[3]);
      Value keyInit = tensor::EmptyOp::create(rewriter, loc, keyShape,
                                              ktType.getElementType());
      Value key =
          linalg::TransposeOp::create(rewriter, loc, source, keyInit, perm)
              ->getResult(0);
      auto qType = cast<RankedTensorType>(c->q.getType());
      auto vType = cast<RankedTensorType>(c->v.getType());
      SmallVector<int64_t> outShape = {qType.getDimSize(0), qType.getDimSize(1),
                                       qType.getDimSize(2),
                                       vType.getDimSize(3)};
      Value init = tensor::EmptyOp::create(rewriter, loc, outShape,
                                           rewriter.getF32Type());
      FloatAttr scale =
          c->scale ? rewriter.getF32FloatAttr(*c->scale) : FloatAttr();
      auto attention = AttentionOp::create(
          rewriter, loc, TypeRange{init.getType()}, c->q, key, c->v, init,
          c->mask, scale,
          c->divides && c->scale ? rewriter.getUnitAttr() : UnitAttr(),
          KernelIsaAttr::get(rewriter.getContext(), chosen));
      auto collapsed = tensor::CollapseShapeOp::create(
          rewriter, loc, pv.getResultTypes()[0], attention.getResult()[0],
          SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
      SmallVector<Operation *> worklist(c->ops.begin(), c->ops.end());
      for (Value operand : pv->getOperands())
        if (Operation *def = operand.getDefiningOp())
          worklist.push_back(def);
      rewriter.replaceOp(pv, collapsed.getResult());
      // The chain, and what fed only the chain (fills, empties, the
      // reshapes and transposes of Q, K and V), once nothing reads them.
      erased.insert(pv);
      while (!worklist.empty()) {
        Operation *op = worklist.pop_back_val();
        if (erased.contains(op) || !isOpTriviallyDead(op))
          continue;
        for (Value operand : op->getOperands())
          if (Operation *def = operand.getDefiningOp())
            worklist.push_back(def);
        erased.insert(op);
        rewriter.eraseOp(op);
      }
    }
  }
};

} // namespace
