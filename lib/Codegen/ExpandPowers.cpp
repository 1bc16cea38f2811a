//===- ExpandPowers.cpp - math.fpowi as multiplications -------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMEXPANDPOWERSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

/// The constant value of an integer exponent: a constant (scalar or
/// splat), or, in a linalg op's body, the block argument of an input that
/// is a splat constant (what convert-elementwise-to-linalg makes of
/// fpowi on tensors).
static std::optional<APInt> constantExponent(Value n) {
  APInt value;
  if (matchPattern(n, m_ConstantInt(&value)))
    return value;
  auto arg = dyn_cast<BlockArgument>(n);
  auto linalgOp =
      arg ? dyn_cast<linalg::LinalgOp>(arg.getOwner()->getParentOp()) : nullptr;
  if (!linalgOp || arg.getOwner() != linalgOp.getBlock())
    return std::nullopt;
  OpOperand *operand = linalgOp.getMatchingOpOperand(arg);
  if (!linalgOp.isDpsInput(operand) ||
      !matchPattern(operand->get(), m_ConstantInt(&value)))
    return std::nullopt;
  return value;
}

/// x^n for a constant n by squaring, then its reciprocal for n < 0; powf of
/// the converted exponent otherwise (see the pass's description).
struct ExpandFPowI : OpRewritePattern<math::FPowIOp> {
  using OpRewritePattern::OpRewritePattern;

  /// pow(x, n) in f64 (n exact up to 2^53, so its parity survives), then
  /// rounded back: C's pow, exact in signs and infinities for integral
  /// exponents.
  static Value powOfConverted(PatternRewriter &rewriter, math::FPowIOp op) {
    Location loc = op.getLoc();
    Value x = op.getLhs();
    Type type = x.getType();
    Type f64 = rewriter.getF64Type();
    Type wide = type;
    if (auto shaped = dyn_cast<ShapedType>(type))
      wide = shaped.clone(f64);
    else
      wide = f64;
    bool extend = !getElementTypeOrSelf(type).isF64();
    Value base = extend ? arith::ExtFOp::create(rewriter, loc, wide, x) : x;
    Value y = arith::SIToFPOp::create(rewriter, loc, wide, op.getRhs());
    Value p = math::PowFOp::create(rewriter, loc, base, y, op.getFastmathAttr());
    return extend ? arith::TruncFOp::create(rewriter, loc, type, p) : p;
  }

  LogicalResult matchAndRewrite(math::FPowIOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getLhs();
    Type type = x.getType();
    arith::FastMathFlagsAttr fastmath = op.getFastmathAttr();
    std::optional<APInt> constant = constantExponent(op.getRhs());
    auto shaped = dyn_cast<ShapedType>(type);
    bool staticShape = !shaped || shaped.hasStaticShape();
    // 1.0 is needed for n <= 0; a tensor of dynamic shape has no constant.
    if (!constant || (!staticShape && !constant->isStrictlyPositive())) {
      rewriter.replaceOp(op, powOfConverted(rewriter, op));
      return success();
    }
    APInt exponent = *constant;
    auto one = [&]() -> Value {
      Type elem = getElementTypeOrSelf(type);
      TypedAttr attr = rewriter.getFloatAttr(elem, 1.0);
      if (auto shaped = dyn_cast<ShapedType>(type))
        attr = SplatElementsAttr::get(shaped, attr);
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    // |n| without overflow (INT64_MIN included).
    APInt magnitude = exponent.abs();
    Value power, square = x;
    for (unsigned bit = 0, e = magnitude.getActiveBits(); bit < e; ++bit) {
      if (bit > 0)
        square = arith::MulFOp::create(rewriter, loc, square, square, fastmath);
      if (magnitude[bit])
        power = power ? arith::MulFOp::create(rewriter, loc, power, square,
                                              fastmath)
                      : square;
    }
    if (!power) {
      rewriter.replaceOp(op, one());
      return success();
    }
    if (exponent.isNegative())
      power = arith::DivFOp::create(rewriter, loc, one(), power, fastmath);
    rewriter.replaceOp(op, power);
    return success();
  }
};

struct SlimExpandPowersPass
    : mlir::slim::impl::SlimExpandPowersPassBase<SlimExpandPowersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandFPowI>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
