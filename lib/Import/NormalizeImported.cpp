//===- NormalizeImported.cpp - Importer output into Slim's forms ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Three rewrites (see the pass description): constant transposes/broadcasts
// fold into the constants, a batch_matmul with a shared constant weight
// becomes a matmul (the Linear form), and a convolution's bias leaves its
// init for a bias-add after it.
//
//===----------------------------------------------------------------------===//

#include "slim/Import/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "slim/Layers/Matchers.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMNORMALIZEIMPORTEDPASS
#include "slim/Import/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;

namespace {

/// The raw bytes of a constant's elements (one element per
/// `elementBytes`), for dense and dense_resource attributes whose elements
/// are whole bytes. Splats are not expanded (std::nullopt).
std::optional<ArrayRef<char>> rawElements(Attribute value,
                                          int64_t &elementBytes) {
  auto typed = dyn_cast<ElementsAttr>(value);
  if (!typed)
    return std::nullopt;
  unsigned bits = typed.getElementType().getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return std::nullopt;
  elementBytes = bits / 8;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    return blob->getData();
  }
  return std::nullopt;
}

/// out[i] = in[inputMap(i)] for a data-movement op whose iteration space is
/// its output's dims: the constant it computes, when `in` is a constant and
/// the output has as many elements as the input. Null otherwise.
TypedAttr foldMovement(arith::ConstantOp in, AffineMap inputMap,
                       RankedTensorType outType) {
  auto inType = dyn_cast<RankedTensorType>(in.getType());
  if (!inType || !inType.hasStaticShape() || !outType.hasStaticShape() ||
      inType.getNumElements() != outType.getNumElements() ||
      !inputMap.isProjectedPermutation() ||
      inputMap.getNumDims() != static_cast<unsigned>(outType.getRank()))
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(in.getValue());
      dense && dense.isSplat())
    return dense.resizeSplat(outType);
  int64_t bytes = 0;
  std::optional<ArrayRef<char>> data = rawElements(in.getValue(), bytes);
  if (!data ||
      static_cast<int64_t>(data->size()) != inType.getNumElements() * bytes)
    return {};
  std::vector<int64_t> sources =
      gatherSources(outType.getShape(), inType.getShape(), inputMap);
  std::vector<char> out(data->size());
  for (size_t i = 0; i < sources.size(); ++i)
    std::memcpy(out.data() + i * bytes, data->data() + sources[i] * bytes,
                bytes);
  return DenseElementsAttr::getFromRawBuffer(outType, out);
}

/// transpose / broadcast / copy generic of a constant -> a constant.
struct FoldConstantMovement : RewritePattern {
  FoldConstantMovement(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<linalg::TransposeOp, linalg::BroadcastOp, linalg::GenericOp>(op) ||
        op->getNumResults() != 1)
      return failure();
    std::optional<std::pair<Value, AffineMap>> move = dataMovement(op);
    if (!move)
      return failure();
    auto constant = move->first.getDefiningOp<arith::ConstantOp>();
    auto outType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!constant || !outType)
      return failure();
    TypedAttr folded = foldMovement(constant, move->second, outType);
    if (!folded)
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, folded);
    return success();
  }
};

/// Whether `v` is a zero-filled tensor (linalg.fill of 0 or a zero
/// constant).
bool isZeroInit(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(v, m_AnyZeroFloat());
}

/// The K x N constant a batch matmul's right operand repeats for every
/// batch: the source of a broadcast along dim 0, or a 1 x K x N constant
/// (reshaped). Null when the operand is anything else.
Value sharedWeight(Value w, PatternRewriter &rewriter) {
  Operation *def = w.getDefiningOp();
  if (!def)
    return {};
  if (isa<linalg::BroadcastOp, linalg::GenericOp>(def)) {
    std::optional<std::pair<Value, AffineMap>> move = dataMovement(def);
    MLIRContext *ctx = w.getContext();
    AffineMap batchBroadcast = AffineMap::get(
        3, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
    if (move && move->second == batchBroadcast &&
        move->first.getDefiningOp<arith::ConstantOp>())
      return move->first;
    return {};
  }
  auto constant = w.getDefiningOp<arith::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(w.getType());
  if (!constant || !type || type.getDimSize(0) != 1 || !type.hasStaticShape())
    return {};
  auto flat = RankedTensorType::get(type.getShape().drop_front(),
                                    type.getElementType());
  TypedAttr reshaped;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
    reshaped = dense.reshape(flat);
  else if (auto resource =
               dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
    reshaped = DenseResourceElementsAttr::get(flat, resource.getRawHandle());
  if (!reshaped)
    return {};
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointAfter(constant);
  return arith::ConstantOp::create(rewriter, constant.getLoc(), reshaped);
}

/// out = in + bias[d_axis], written into `init` (an empty tensor whose sizes
/// do not come from `in`: a tensor.dim of `in` would be a second use, and
/// the epilogue matchers follow single uses).
Value addBias(PatternRewriter &rewriter, Location loc, Value in, Value bias,
              Value init, int64_t axis) {
  return combineAlongAxis(rewriter, loc, in, bias, init, axis,
                          [](OpBuilder &b, Location l, Value x, Value c) {
                            return arith::AddFOp::create(b, l, x, c);
                          });
}

/// batch_matmul(x, broadcast(W)) (+ bias) -> expand(matmul(collapse(x), W)
/// (+ bias)).
struct LinearFromBatchMatmul : OpRewritePattern<linalg::BatchMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::BatchMatmulOp bmm,
                                PatternRewriter &rewriter) const override {
    if (bmm.hasUserDefinedMaps() || !bmm.hasPureTensorSemantics() ||
        !isZeroInit(bmm.getOutputs()[0]))
      return failure();
    auto resultType = cast<RankedTensorType>(bmm.getResult(0).getType());
    int64_t n = resultType.getDimSize(2);
    if (ShapedType::isDynamic(n))
      return failure();
    Value weight = sharedWeight(bmm.getInputs()[1], rewriter);
    if (!weight)
      return failure();
    Location loc = bmm.getLoc();
    Value x = bmm.getInputs()[0];
    SmallVector<ReassociationIndices> groups{{0, 1}, {2}};
    Value x2 = tensor::CollapseShapeOp::create(rewriter, loc, x, groups);
    Type elem = resultType.getElementType();
    SmallVector<OpFoldResult> accSizes{
        tensor::getMixedSize(rewriter, loc, x2, 0), rewriter.getIndexAttr(n)};
    Value empty = tensor::EmptyOp::create(rewriter, loc, accSizes, elem);
    Value zero = arith::ConstantOp::create(rewriter, loc, elem,
                                           rewriter.getZeroAttr(elem));
    Value init = linalg::FillOp::create(rewriter, loc, zero, empty).result();
    Value y = linalg::MatmulOp::create(rewriter, loc, init.getType(),
                                       ValueRange{x2, weight}, ValueRange{init})
                  .getResult(0);

    // A bias add right after moves into the 2-D form with the matmul.
    Operation *replaced = bmm;
    if (bmm->hasOneUse())
      if (auto g = dyn_cast<linalg::GenericOp>(*bmm->getUsers().begin()))
        if (Value bias = matchBiasAdd(g, bmm.getResult(0), /*axis=*/2)) {
          y = addBias(rewriter, loc, y, bias, empty, /*axis=*/1);
          replaced = g;
        }
    SmallVector<OpFoldResult> outSizes{
        tensor::getMixedSize(rewriter, loc, x, 0),
        tensor::getMixedSize(rewriter, loc, x, 1), rewriter.getIndexAttr(n)};
    auto expanded = tensor::ExpandShapeOp::create(rewriter, loc, resultType, y,
                                                  groups, outSizes);
    rewriter.replaceOp(replaced, expanded.getResult());
    if (replaced != bmm.getOperation())
      rewriter.eraseOp(bmm);
    return success();
  }
};

/// conv_2d_nchw_fchw(init = broadcast(bias)) -> conv(init = 0) + bias.
struct ConvBiasOutOfInit : OpRewritePattern<linalg::Conv2DNchwFchwOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::Conv2DNchwFchwOp conv,
                                PatternRewriter &rewriter) const override {
    if (!conv.hasPureTensorSemantics())
      return failure();
    auto bc = conv.getOutputs()[0].getDefiningOp<linalg::BroadcastOp>();
    if (!bc || bc.getDimensions() != ArrayRef<int64_t>{0, 2, 3} ||
        !bc.getInput().getDefiningOp<arith::ConstantOp>())
      return failure();
    Location loc = conv.getLoc();
    auto type = cast<RankedTensorType>(conv.getResult(0).getType());
    Type elem = type.getElementType();
    Value zero = arith::ConstantOp::create(rewriter, loc, elem,
                                           rewriter.getZeroAttr(elem));
    Value init =
        linalg::FillOp::create(rewriter, loc, zero, bc.getInit()).result();
    Value acc = linalg::Conv2DNchwFchwOp::create(
                    rewriter, loc, type, conv.getInputs(), ValueRange{init},
                    conv.getStrides(), conv.getDilations())
                    .getResult(0);
    // The broadcast's own init has the result's sizes (not read from the
    // convolution's result: see addBias).
    Value sum = addBias(rewriter, loc, acc, bc.getInput(), bc.getInit(),
                        /*axis=*/1);
    rewriter.replaceOp(conv, sum);
    return success();
  }
};

struct SlimNormalizeImportedPass
    : mlir::slim::impl::SlimNormalizeImportedPassBase<
          SlimNormalizeImportedPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns
        .add<FoldConstantMovement, LinearFromBatchMatmul, ConvBiasOutOfInit>(
            &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
