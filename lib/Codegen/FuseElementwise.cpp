//===- FuseElementwise.cpp - Elementwise fusion before vectorization ------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Upstream's unit-dimension folding and elementwise fusion, with Slim's
// policy for which producers to fuse, and one pattern of its own: results
// that only feed themselves are dropped. See the pass description.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMFUSEELEMENTWISEPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

/// An integer widened and then converted to float is converted directly:
/// the same integer, so the same float (one rounding either way). The
/// dequantize of an int32 accumulator widens to i64 for its zero-point
/// subtraction; once that folds away, i64 -> f32 would cost two
/// conversions per vector where i32 -> f32 is one instruction.
template <typename ToFloat>
struct ConvertBeforeWidening : OpRewritePattern<ToFloat> {
  using OpRewritePattern<ToFloat>::OpRewritePattern;

  LogicalResult matchAndRewrite(ToFloat op,
                                PatternRewriter &rewriter) const override {
    Value in = op.getIn();
    if (auto ext = in.getDefiningOp<arith::ExtSIOp>()) {
      if (std::is_same_v<ToFloat, arith::UIToFPOp>)
        return failure(); // the unsigned reading of a sign-extended value
      rewriter.replaceOpWithNewOp<arith::SIToFPOp>(op, op.getType(),
                                                   ext.getIn());
      return success();
    }
    if (auto ext = in.getDefiningOp<arith::ExtUIOp>()) {
      // Zero-extended: nonnegative, so either conversion reads it unsigned.
      rewriter.replaceOpWithNewOp<arith::UIToFPOp>(op, op.getType(),
                                                   ext.getIn());
      return success();
    }
    return failure();
  }
};

/// A result of a generic that nothing reads, whose payload value only
/// depends on its own accumulator and feeds nothing else (an argmax index
/// next to the max that is used): the op is rebuilt without it, and the
/// payload ops that computed it go (those left unused are erased as dead).
struct DropSelfFeedingResult : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  /// The payload ops that use the accumulator of output `i`, transitively,
  /// if they feed nothing but the yield of output `i`; std::nullopt
  /// otherwise.
  static std::optional<SetVector<Operation *>>
  selfFeedingSlice(linalg::GenericOp op, unsigned i) {
    Block &body = op.getRegion().front();
    Operation *yield = body.getTerminator();
    BlockArgument acc = body.getArgument(op.getNumDpsInputs() + i);
    SetVector<Operation *> slice;
    SmallVector<Value> work{acc};
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (OpOperand &use : v.getUses()) {
        Operation *user = use.getOwner();
        // Uses inside nested regions are not followed: give up.
        if (user->getBlock() != &body)
          return std::nullopt;
        if (user == yield) {
          if (use.getOperandNumber() != i)
            return std::nullopt;
          continue;
        }
        if (slice.insert(user))
          llvm::append_range(work, user->getResults());
      }
    }
    // The yielded value must come from the slice (or be the accumulator).
    Value yielded = yield->getOperand(i);
    if (yielded != acc && !slice.contains(yielded.getDefiningOp()))
      return std::nullopt;
    return slice;
  }

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() < 2)
      return failure();
    for (unsigned i = 0, e = op.getNumDpsInits(); i < e; ++i) {
      // Without the output, the loops must still be bounded by the others.
      if (!op->getResult(i).use_empty() ||
          !op.canOpOperandsBeDropped({op.getDpsInitOperand(i)}))
        continue;
      std::optional<SetVector<Operation *>> slice = selfFeedingSlice(op, i);
      if (!slice)
        continue;
      SmallVector<Value> inits;
      SmallVector<AffineMap> maps;
      for (OpOperand *in : op.getDpsInputOperands())
        maps.push_back(op.getMatchingIndexingMap(in));
      for (auto [j, init] : llvm::enumerate(op.getDpsInitsMutable()))
        if (j != i) {
          inits.push_back(init.get());
          maps.push_back(op.getMatchingIndexingMap(&init));
        }
      auto fused = linalg::GenericOp::create(
          rewriter, op.getLoc(), ValueRange(inits).getTypes(),
          op.getDpsInputs(), inits, maps, op.getIteratorTypesArray());
      rewriter.inlineRegionBefore(op.getRegion(), fused.getRegion(),
                                  fused.getRegion().end());
      Block &body = fused.getRegion().front();
      Operation *yield = body.getTerminator();
      SmallVector<Value> yielded(yield->getOperands());
      yielded.erase(yielded.begin() + i);
      rewriter.setInsertionPoint(yield);
      rewriter.replaceOpWithNewOp<linalg::YieldOp>(yield, yielded);
      for (Operation *dead : llvm::reverse(*slice)) {
        dead->dropAllUses();
        rewriter.eraseOp(dead);
      }
      body.eraseArgument(op.getNumDpsInputs() + i);
      SmallVector<Value> replacements;
      unsigned next = 0;
      for (unsigned j = 0; j < e; ++j)
        replacements.push_back(j == i ? Value() : fused->getResult(next++));
      rewriter.replaceOp(op, replacements);
      return success();
    }
    return failure();
  }
};

/// Payload ops (arith and math, not the yield) of a generic.
size_t payloadOps(linalg::GenericOp op) {
  return op.getRegion().front().getOperations().size() - 1;
}

/// A producer with several users is repeated in each only while the
/// consumer stays this small: every repeat can pull in the repeated
/// producer's own cheap producers, and without a bound a chain of them (the
/// residual stream through each layer's LayerNorm affine and adds) would be
/// recomputed whole in every later consumer.
constexpr size_t kMaxRepeatedOps = 1;
constexpr size_t kMaxConsumerOps = 4;

/// Whether repeating the producer's payload in each consumer costs less
/// than storing its result once: it only moves values, or does one integer
/// or float operation cheaper than a load (no division, no math function).
bool cheapToRepeat(linalg::GenericOp producer) {
  if (payloadOps(producer) > kMaxRepeatedOps)
    return false;
  Block &body = producer.getRegion().front();
  return llvm::all_of(body.without_terminator(), [](Operation &op) {
    if (isa<arith::DivFOp, arith::DivSIOp, arith::DivUIOp, arith::RemFOp,
            arith::RemSIOp, arith::RemUIOp>(op))
      return false;
    return op.getDialect() ==
           op.getContext()->getLoadedDialect<arith::ArithDialect>();
  });
}

struct SlimFuseElementwisePass
    : mlir::slim::impl::SlimFuseElementwisePassBase<SlimFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::ControlDropUnitDims unitDims;
    linalg::populateFoldUnitExtentDimsPatterns(patterns, unitDims);
    patterns.add<DropSelfFeedingResult, ConvertBeforeWidening<arith::SIToFPOp>,
                 ConvertBeforeWidening<arith::UIToFPOp>>(ctx);
    linalg::ControlFusionFn control = [](OpOperand *use) {
      auto producer = use->get().getDefiningOp<linalg::GenericOp>();
      auto consumer = dyn_cast<linalg::GenericOp>(use->getOwner());
      if (!producer || !consumer)
        return false;
      if (producer->hasOneUse())
        return true;
      // A broadcast or copy adds no ops to its users: always repeated.
      size_t repeated = payloadOps(producer);
      return cheapToRepeat(producer) &&
             (repeated == 0 ||
              payloadOps(consumer) + repeated <= kMaxConsumerOps);
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::EmptyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::FillOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
