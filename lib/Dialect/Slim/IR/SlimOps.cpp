//===- SlimOps.cpp - Slim operations
//----------------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Dialect/Slim/IR/SlimOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Runtime/Kernels.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::slim;
namespace num = ::slim::numerics;

#include "slim/Dialect/Slim/IR/SlimEnums.cpp.inc"

#define GET_OP_CLASSES
#include "slim/Dialect/Slim/IR/SlimOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static num::Rounding toNumerics(RoundingMode mode) {
  return mode == RoundingMode::HalfToEven ? num::Rounding::HalfToEven
                                          : num::Rounding::HalfAwayFromZero;
}

/// Builds the layout of a quantized tensor type, reporting through the op.
static FailureOr<QuantLayout> getLayout(Operation *op, RankedTensorType type) {
  return QuantLayout::get(type.getElementType(), type.getShape(),
                          [op] { return op->emitOpError(); });
}

static LogicalResult verifyExpressedType(Operation *op, QuantLayout &layout,
                                         Type floatType) {
  Type expressed = layout.type.getExpressedType();
  if (expressed != floatType)
    return op->emitOpError("expressed type ")
           << expressed << " of the quantized type does not match the float "
           << "element type " << floatType;
  return success();
}

/// Same-shape ops must not turn a dynamic dimension static (or back): the
/// lowering builds the result from the input's sizes.
static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      "x");
  return s;
}

static LogicalResult verifyIdenticalShapes(Operation *op, ShapedType in,
                                           ShapedType out) {
  if (in.getShape() != out.getShape())
    return op->emitOpError("input shape ")
           << shapeString(in.getShape()) << " and result shape "
           << shapeString(out.getShape())
           << " must be identical (static and dynamic dimensions alike)";
  return success();
}

/// Calls `fn(linearIndex, paramIndex)` for every element of `shape`.
static void forEachElement(ArrayRef<int64_t> shape, const QuantLayout &layout,
                           function_ref<void(int64_t, int64_t)> fn) {
  int64_t n = ShapedType::getNumElements(shape);
  if (layout.isPerTensor()) {
    for (int64_t i = 0; i < n; ++i)
      fn(i, 0);
    return;
  }
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    fn(i, layout.paramIndexOf(index));
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Reads a float constant as float32 values (f16 and bf16 extend exactly).
static SmallVector<float> readFloats(DenseElementsAttr attr) {
  SmallVector<float> values;
  values.reserve(attr.getNumElements());
  for (APFloat v : attr.getValues<APFloat>()) {
    bool lost = false;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    values.push_back(v.convertToFloat());
  }
  return values;
}

/// Quantizes every element of a float constant; splats stay one value.
static SmallVector<int64_t> quantizeConstant(DenseElementsAttr attr,
                                             const QuantLayout &layout,
                                             num::Rounding mode) {
  auto shape = attr.getType().getShape();
  SmallVector<float> values = readFloats(attr);
  SmallVector<int64_t> result(ShapedType::getNumElements(shape));
  forEachElement(shape, layout, [&](int64_t i, int64_t p) {
    float x = values[attr.isSplat() ? 0 : i];
    result[i] = num::quantize(x, static_cast<float>(layout.scales[p]),
                              layout.zeroPoints[p], layout.range, mode);
  });
  return result;
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  if (failed(verifyIdenticalShapes(*this, getInput().getType(),
                                   getResult().getType())))
    return failure();
  FailureOr<QuantLayout> layout = getLayout(*this, getResult().getType());
  if (failed(layout))
    return failure();
  return verifyExpressedType(*this, *layout,
                             getInput().getType().getElementType());
}

/// Precision of a float type as (mantissa bits, largest finite, smallest
/// normal).
static std::tuple<unsigned, double, double> floatLimits(Type t) {
  const llvm::fltSemantics &sem = cast<FloatType>(t).getFloatSemantics();
  return {APFloat::semanticsPrecision(sem),
          APFloat::getLargest(sem).convertToDouble(),
          APFloat::getSmallestNormalized(sem).convertToDouble()};
}

OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  // quantize(dequantize(x)) -> x, when the round trip provably returns every
  // stored value unchanged.
  auto dequant = getInput().getDefiningOp<DequantizeOp>();
  if (!dequant || dequant.getInput().getType() != getResult().getType() ||
      !isRoundTripExact(getResult().getType(),
                        getInput().getType().getElementType()))
    return {};
  return dequant.getInput();
}

bool QuantizeOp::isRoundTripExact(RankedTensorType quantized,
                                  Type floatType) {
  FailureOr<QuantLayout> layout = QuantLayout::tryGet(quantized);
  if (failed(layout) || !isa<FloatType>(floatType))
    return false;
  auto [bits, maxFinite, minNormal] = floatLimits(floatType);
  return llvm::all_of(layout->scales, [&](double scale) {
    return num::isDequantizeQuantizeExact(scale, layout->range, bits,
                                          maxFinite, minNormal);
  });
}

namespace {
/// quantize(constant) -> quant.scast(integer constant).
struct FoldConstantQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!matchPattern(op.getInput(), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    RankedTensorType resultType = op.getResult().getType();
    FailureOr<QuantLayout> layout = QuantLayout::tryGet(resultType);
    if (failed(layout))
      return rewriter.notifyMatchFailure(op, "invalid quantized type");
    SmallVector<int64_t> stored =
        quantizeConstant(input, *layout, toNumerics(op.getRounding()));
    IntegerType storage = getSignlessStorageType(layout->type);
    auto storageType = resultType.clone(storage);
    SmallVector<APInt> bits;
    bits.reserve(stored.size());
    for (int64_t v : stored)
      bits.push_back(APInt(storage.getWidth(), static_cast<uint64_t>(v),
                           /*isSigned=*/layout->isSigned,
                           /*implicitTrunc=*/true));
    auto attr = DenseElementsAttr::get(storageType, bits);
    Value constant = arith::ConstantOp::create(rewriter, op.getLoc(), attr);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, resultType, constant);
    return success();
  }
};
} // namespace

void QuantizeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                             MLIRContext *context) {
  results.add<FoldConstantQuantize>(context);
}

//===----------------------------------------------------------------------===//
// DequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult DequantizeOp::verify() {
  if (failed(verifyIdenticalShapes(*this, getInput().getType(),
                                   getResult().getType())))
    return failure();
  FailureOr<QuantLayout> layout = getLayout(*this, getInput().getType());
  if (failed(layout))
    return failure();
  return verifyExpressedType(*this, *layout,
                             getResult().getType().getElementType());
}

//===----------------------------------------------------------------------===//
// UnpackOp
//===----------------------------------------------------------------------===//

LogicalResult UnpackOp::verify() {
  RankedTensorType packed = getPacked().getType();
  RankedTensorType result = getResult().getType();
  if (packed.getRank() != result.getRank() || result.getRank() == 0)
    return emitOpError("expects operand and result of the same rank, at "
                       "least 1; got ")
           << packed << " and " << result;
  int64_t last = result.getRank() - 1;
  for (int64_t d = 0; d < last; ++d)
    if (!ShapedType::isDynamic(packed.getDimSize(d)) &&
        !ShapedType::isDynamic(result.getDimSize(d)) &&
        packed.getDimSize(d) != result.getDimSize(d))
      return emitOpError("dimension ")
             << d << " differs between operand (" << packed.getDimSize(d)
             << ") and result (" << result.getDimSize(d) << ")";
  int64_t n = result.getDimSize(last), bytes = packed.getDimSize(last);
  if (ShapedType::isDynamic(n))
    return emitOpError("expects a static last dimension in the result: the "
                       "byte count does not tell an odd length from an even "
                       "one");
  if (!ShapedType::isDynamic(bytes) && bytes != (n + 1) / 2)
    return emitOpError("expects ")
           << (n + 1) / 2 << " bytes along the last dimension to hold " << n
           << " 4-bit values, got " << bytes;
  return success();
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

/// The result's storage range narrowed by the fused clamp.
static num::IntRange effectiveRange(RequantizeOp op, const QuantLayout &out) {
  num::IntRange range = out.range;
  if (std::optional<ArrayRef<int64_t>> clamp = op.getClamp()) {
    range.min = std::max(range.min, (*clamp)[0]);
    range.max = std::min(range.max, (*clamp)[1]);
  }
  return range;
}

/// Checks that every multiplier of a fixed-point requantize decomposes.
static LogicalResult
checkFixedPointMultipliers(const RequantLayout &layout,
                           function_ref<InFlightDiagnostic()> emitError) {
  for (double m : layout.multipliers)
    if (!num::decomposeMultiplier(m))
      return emitError() << "multiplier " << m
                         << " is too large for the fixed-point path (must be "
                            "below 2^31)";
  return success();
}

/// A fused clamp [lo, hi] in the result's storage units: two ordered bounds
/// inside `range`.
static LogicalResult verifyClamp(Operation *op,
                                 std::optional<ArrayRef<int64_t>> clamp,
                                 num::IntRange range) {
  if (!clamp)
    return success();
  if (clamp->size() != 2)
    return op->emitOpError("clamp must have two bounds [lo, hi], got ")
           << clamp->size();
  int64_t lo = (*clamp)[0], hi = (*clamp)[1];
  if (lo > hi)
    return op->emitOpError("clamp bounds [")
           << lo << ", " << hi << "] are inverted";
  if (!range.contains(lo) || !range.contains(hi))
    return op->emitOpError("clamp bounds [")
           << lo << ", " << hi << "] are outside the storage range ["
           << range.min << ", " << range.max << "]";
  return success();
}

LogicalResult RequantizeOp::verify() {
  if (failed(verifyIdenticalShapes(*this, getInput().getType(),
                                   getResult().getType())))
    return failure();
  FailureOr<QuantLayout> in = getLayout(*this, getInput().getType());
  if (failed(in))
    return failure();
  FailureOr<QuantLayout> out = getLayout(*this, getResult().getType());
  if (failed(out))
    return failure();
  auto emitError = [this] { return emitOpError(); };
  FailureOr<RequantLayout> layout = RequantLayout::get(*in, *out, emitError);
  if (failed(layout))
    return failure();
  if (getRounding() && getMode() != RequantMode::Float)
    return emitOpError("rounding applies only to mode<float>; the "
                       "fixed-point path has gemmlowp's fixed rounding");
  if (getMode() == RequantMode::FixedPoint &&
      failed(checkFixedPointMultipliers(*layout, emitError)))
    return failure();
  return verifyClamp(*this, getClamp(), out->range);
}

/// Whether `op` maps every input value to an output value without loss: the
/// multiplier is exactly 1, no clamp, and the shifted input range fits the
/// result's range. On the fixed-point path the doubled input must also fit
/// in int32 (M = 1 is 2^30 * 2^(1 - 31)).
static bool isLossless(RequantizeOp op, const RequantLayout &layout) {
  if (op.getClamp())
    return false;
  if (op.getMode() == RequantMode::FixedPoint &&
      layout.in.range.max - layout.in.range.min >= (int64_t(1) << 30))
    return false;
  for (auto [m, zin, zout] :
       llvm::zip_equal(layout.multipliers, layout.zeroIn, layout.zeroOut)) {
    if (m != 1.0)
      return false;
    if (!layout.out.range.contains(layout.in.range.min - zin + zout) ||
        !layout.out.range.contains(layout.in.range.max - zin + zout))
      return false;
  }
  return true;
}

static FailureOr<RequantLayout> getLayoutSilently(RankedTensorType in,
                                                  RankedTensorType out) {
  FailureOr<QuantLayout> a = QuantLayout::tryGet(in);
  FailureOr<QuantLayout> b = QuantLayout::tryGet(out);
  if (failed(a) || failed(b))
    return failure();
  return RequantLayout::tryGet(*a, *b);
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() != getResult().getType())
    return {};
  FailureOr<RequantLayout> layout =
      getLayoutSilently(getInput().getType(), getResult().getType());
  if (failed(layout) || !isLossless(*this, *layout))
    return {};
  return getInput();
}

namespace {
/// requantize(requantize(x)) -> requantize(x) when one of the two is
/// lossless, so that the pair and the single op agree on every value.
struct CombineRequantizes : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RequantizeOp second,
                                PatternRewriter &rewriter) const override {
    auto first = second.getInput().getDefiningOp<RequantizeOp>();
    if (!first)
      return rewriter.notifyMatchFailure(second, "input is not a requantize");
    RankedTensorType source = first.getInput().getType();
    RankedTensorType target = second.getResult().getType();
    FailureOr<RequantLayout> firstLayout =
        getLayoutSilently(source, first.getResult().getType());
    FailureOr<RequantLayout> secondLayout =
        getLayoutSilently(second.getInput().getType(), target);
    FailureOr<RequantLayout> combined = getLayoutSilently(source, target);
    if (failed(firstLayout) || failed(secondLayout) || failed(combined))
      return rewriter.notifyMatchFailure(second, "layouts do not combine");

    RequantizeOp keep;
    std::optional<num::IntRange> clamp;
    if (isLossless(first, *firstLayout)) {
      // The second op sees exactly q - Z_in of the first's input.
      keep = second;
    } else if (isLossless(second, *secondLayout)) {
      // The second op only shifts the zero point: carry the first op's
      // bounds over, shifted the same way.
      const RequantLayout &l = *secondLayout;
      int64_t shift = l.zeroOut.front() - l.zeroIn.front();
      for (auto [zin, zout] : llvm::zip_equal(l.zeroIn, l.zeroOut))
        if (zout - zin != shift)
          return rewriter.notifyMatchFailure(second, "zero points shift "
                                                     "differently per channel");
      num::IntRange range = effectiveRange(first, firstLayout->out);
      clamp = num::IntRange{range.min + shift, range.max + shift};
      keep = first;
    } else {
      return rewriter.notifyMatchFailure(second, "neither requantize is "
                                                 "lossless");
    }
    if (keep.getMode() == RequantMode::FixedPoint &&
        failed(checkFixedPointMultipliers(*combined,
                                          [] { return InFlightDiagnostic(); })))
      return rewriter.notifyMatchFailure(second, "multiplier out of range");

    DenseI64ArrayAttr clampAttr = keep.getClampAttr();
    if (clamp) {
      const num::IntRange &full = combined->out.range;
      clampAttr = clamp->min == full.min && clamp->max == full.max
                      ? DenseI64ArrayAttr()
                      : rewriter.getDenseI64ArrayAttr({clamp->min, clamp->max});
    }
    rewriter.replaceOpWithNewOp<RequantizeOp>(
        second, target, first.getInput(), keep.getModeAttr(),
        keep.getRoundingAttr(), clampAttr);
    return success();
  }
};
} // namespace

void RequantizeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<CombineRequantizes>(context);
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

LogicalResult FakeQuantOp::verify() {
  RankedTensorType type = getInput().getType();
  FailureOr<QuantLayout> layout = QuantLayout::get(
      getQuantType(), type.getShape(), [this] { return emitOpError(); });
  if (failed(layout))
    return failure();
  return verifyExpressedType(*this, *layout, type.getElementType());
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  RankedTensorType type = getInput().getType();
  FailureOr<QuantLayout> layout =
      QuantLayout::tryGet(getQuantType(), type.getShape());
  if (failed(layout))
    return {};
  SmallVector<int64_t> stored =
      quantizeConstant(input, *layout, toNumerics(getRounding()));
  const llvm::fltSemantics &sem =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  SmallVector<APFloat> values(stored.size(), APFloat(sem));
  forEachElement(type.getShape(), *layout, [&](int64_t i, int64_t p) {
    APFloat v(num::dequantize(stored[i], static_cast<float>(layout->scales[p]),
                              layout->zeroPoints[p]));
    bool lost = false;
    v.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    values[i] = v;
  });
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// ObserveOp
//===----------------------------------------------------------------------===//

LogicalResult ObserveOp::verify() {
  if (getId().empty())
    return emitOpError("id must not be empty");
  if (std::optional<int64_t> axis = getAxis()) {
    RankedTensorType type = getInput().getType();
    if (*axis < 0 || *axis >= type.getRank())
      return emitOpError("axis ")
             << *axis << " is out of range for a tensor of rank "
             << type.getRank();
    if (type.isDynamicDim(*axis))
      return emitOpError("axis ") << *axis << " must have a static size";
    if (type.getRank() >= 2 && *axis == 0)
      return emitOpError("axis 0 is the batch (sample) axis; per-channel "
                         "statistics need another axis");
  }
  if (Attribute any = (*this)->getAttr("slim.patches")) {
    if (!isa<DenseI64ArrayAttr>(any))
      return emitOpError("slim.patches must be an array<i64>");
    RankedTensorType type = getInput().getType();
    ArrayRef<int64_t> p = getPatchesAttr().asArrayRef();
    if (p.size() != 7)
      return emitOpError("patches must be [c, kh, kw, sh, sw, dh, dw], got ")
             << p.size() << " value(s)";
    if (type.getRank() != 4 || (p[0] != 1 && p[0] != 3))
      return emitOpError("patches need a rank-4 NCHW or NHWC tensor and its "
                         "channel dimension (1 or 3)");
    if (type.isDynamicDim(p[0]))
      return emitOpError("patches need a static channel dimension");
    if (llvm::any_of(p.drop_front(), [](int64_t v) { return v < 1; }))
      return emitOpError("the window, strides and dilations of patches must "
                         "be positive");
  }
  return success();
}

//===----------------------------------------------------------------------===//
// QMatmulOp
//===----------------------------------------------------------------------===//

/// Whether two scales agree to float32 precision.
static bool sameScale(double a, double b) {
  return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
}

/// Checks an int32 accumulator-like type: i32 storage over the full range,
/// zero point 0, and the given scales (one for per-tensor).
static LogicalResult verifyAccumulator(Operation *op, StringRef what,
                                       const QuantLayout &l,
                                       ArrayRef<double> scales) {
  if (l.storageWidth != 32 || !l.isSigned)
    return op->emitOpError() << what << " must have i32 storage";
  if (!llvm::all_of(l.zeroPoints, [](int64_t z) { return z == 0; }))
    return op->emitOpError() << what << " must have zero point 0";
  if (l.scales.size() != scales.size())
    return op->emitOpError() << what << " must have " << scales.size()
                             << " scale(s), got " << l.scales.size();
  for (auto [have, want] : llvm::zip_equal(l.scales, scales))
    if (!sameScale(have, want))
      return op->emitOpError()
             << what << " scale " << have
             << " must be the product of the operands' scales, " << want;
  return success();
}

/// Two sizes that can be equal (either dynamic, or the same).
static bool compatibleDims(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// M x K times K x N gives M x N.
/// M x K times K x N gives M x N; with `batched`, also B x M x K times
/// B x K x N gives B x M x N.
static LogicalResult verifyMatmulShapes(Operation *op, RankedTensorType lhsType,
                                        RankedTensorType rhsType,
                                        RankedTensorType resultType,
                                        bool batched) {
  int64_t rank = lhsType.getRank();
  if (rhsType.getRank() != rank || resultType.getRank() != rank ||
      !(rank == 2 || (batched && rank == 3)))
    return op->emitOpError(batched ? "operands and result must be 2-D (M x K, "
                                     "K x N, M x N) or all 3-D with a leading "
                                     "batch dimension"
                                   : "operands and result must be 2-D (M x K, "
                                     "K x N, M x N)");
  int64_t o = rank - 2;
  if ((o &&
       (!compatibleDims(lhsType.getDimSize(0), rhsType.getDimSize(0)) ||
        !compatibleDims(lhsType.getDimSize(0), resultType.getDimSize(0)))) ||
      !compatibleDims(lhsType.getDimSize(o + 1), rhsType.getDimSize(o)) ||
      !compatibleDims(lhsType.getDimSize(o), resultType.getDimSize(o)) ||
      !compatibleDims(rhsType.getDimSize(o + 1), resultType.getDimSize(o + 1)))
    return op->emitOpError("shapes do not multiply: ")
           << lhsType << " x " << rhsType << " -> " << resultType;
  return success();
}

LogicalResult QMatmulOp::verify() {
  RankedTensorType lhsType = getLhs().getType(), rhsType = getRhs().getType();
  RankedTensorType resultType = getResult().getType();
  if (failed(verifyMatmulShapes(*this, lhsType, rhsType, resultType,
                                /*batched=*/true)))
    return failure();
  FailureOr<QuantLayout> lhs = getLayout(*this, lhsType);
  FailureOr<QuantLayout> rhs = getLayout(*this, rhsType);
  FailureOr<QuantLayout> result = getLayout(*this, resultType);
  if (failed(lhs) || failed(rhs) || failed(result))
    return failure();
  const int64_t o = lhsType.getRank() - 2, colAxis = o + 1;
  if (!lhs->isPerTensor())
    return emitOpError("lhs must be quantized per tensor");
  bool perChannel = !rhs->isPerTensor();
  if (!rhs->isPerTensorOrAxis(colAxis))
    return emitOpError("rhs must be quantized per tensor or per output "
                       "channel (axis ")
           << colAxis << ")";
  if (lhs->storageWidth > 16 || rhs->storageWidth > 16)
    return emitOpError("operands must be stored in at most 16 bits");
  if (lhsType.isDynamicDim(o + 1) && rhsType.isDynamicDim(o))
    return emitOpError("the reduction dimension K must be static");
  if (rhsType.isDynamicDim(colAxis))
    return emitOpError("the number of output columns N must be static");
  SmallVector<double> scales;
  for (double s : rhs->scales)
    scales.push_back(lhs->scales.front() * s);
  if (failed(verifyAccumulator(*this, "result", *result, scales)))
    return failure();
  if (perChannel != !result->isPerTensor() ||
      (perChannel && !result->isPerAxis(colAxis)))
    return emitOpError("result must be per-axis (axis ")
           << colAxis << ") exactly when rhs is";
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        !compatibleDims(biasType.getDimSize(0), rhsType.getDimSize(colAxis)))
      return emitOpError("bias must be 1-D with one value per output "
                         "column, got ")
             << biasType;
    FailureOr<QuantLayout> b = getLayout(*this, biasType);
    if (failed(b) || failed(verifyAccumulator(*this, "bias", *b, scales)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// QAddOp
//===----------------------------------------------------------------------===//

std::array<double, 3> QAddOp::getMultipliers(double lhsScale, double rhsScale,
                                             double resultScale) {
  double twiceMax = 2.0 * std::max(lhsScale, rhsScale);
  return {lhsScale / twiceMax, rhsScale / twiceMax,
          twiceMax / (std::ldexp(1.0, kLeftShift) * resultScale)};
}

LogicalResult QAddOp::verify() {
  RankedTensorType lhsType = getLhs().getType(), rhsType = getRhs().getType();
  RankedTensorType resultType = getResult().getType();
  if (lhsType.getShape() != resultType.getShape() ||
      rhsType.getShape() != resultType.getShape())
    return emitOpError("operand shapes ")
           << shapeString(lhsType.getShape()) << " and "
           << shapeString(rhsType.getShape()) << " and result shape "
           << shapeString(resultType.getShape())
           << " must be identical (static and dynamic dimensions alike)";
  SmallVector<QuantLayout> layouts;
  for (RankedTensorType type : {lhsType, rhsType, resultType}) {
    FailureOr<QuantLayout> l = getLayout(*this, type);
    if (failed(l))
      return failure();
    layouts.push_back(*l);
  }
  const char *names[] = {"lhs", "rhs", "result"};
  for (auto [name, l] : llvm::zip_equal(names, layouts)) {
    if (!l.isPerTensor())
      return emitOpError() << name << " must be quantized per tensor";
    if (l.type.getExpressedType() != layouts[2].type.getExpressedType())
      return emitOpError("the three quantized types must share one expressed "
                         "type, got ")
             << l.type.getExpressedType() << " and "
             << layouts[2].type.getExpressedType();
  }
  for (int i = 0; i < 2; ++i)
    if (layouts[i].storageWidth > 8)
      return emitOpError()
             << names[i] << " must be stored in at most 8 bits (its value "
             << "times 2^" << kLeftShift << " must fit in 32 bits), got "
             << layouts[i].storageWidth;
  if (layouts[2].storageWidth > 16)
    return emitOpError("the result must be stored in at most 16 bits, got ")
           << layouts[2].storageWidth;
  std::array<double, 3> m =
      getMultipliers(layouts[0].scales.front(), layouts[1].scales.front(),
                     layouts[2].scales.front());
  if (!num::decomposeMultiplier(m[2]))
    return emitOpError("output multiplier ")
           << m[2] << " is too large for the fixed-point path (the result "
           << "scale must be above 2^-" << (31 + kLeftShift - 1)
           << " times the coarser input's)";
  return verifyClamp(*this, getClamp(), layouts[2].range);
}

//===----------------------------------------------------------------------===//
// DynamicQMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult DynamicQMatmulOp::verify() {
  RankedTensorType lhsType = getLhs().getType(), rhsType = getRhs().getType();
  RankedTensorType resultType = getResult().getType();
  if (failed(verifyMatmulShapes(*this, lhsType, rhsType, resultType,
                                /*batched=*/false)))
    return failure();
  if (rhsType.isDynamicDim(1))
    return emitOpError("the number of output columns N must be static");
  FailureOr<QuantLayout> rhs = getLayout(*this, rhsType);
  if (failed(rhs))
    return failure();
  if (!rhs->isPerTensorOrAxis(1))
    return emitOpError("rhs must be quantized per tensor or per output "
                       "channel (axis 1)");
  if (rhs->storageWidth > 8)
    return emitOpError("rhs must be stored in at most 8 bits");
  return success();
}

//===----------------------------------------------------------------------===//
// QConv2DOp
//===----------------------------------------------------------------------===//

LogicalResult QConv2DOp::verify() {
  RankedTensorType inType = getInput().getType();
  RankedTensorType fType = getFilter().getType();
  RankedTensorType outType = getResult().getType();
  bool depthwise = getDepthwise();
  int64_t filterRank = depthwise ? 3 : 4;
  if (inType.getRank() != 4 || fType.getRank() != filterRank ||
      outType.getRank() != 4) {
    const char *layouts[2][2] = {{"NCHW, FCHW, NFHW", "NHWC, HWCF, NHWF"},
                                 {"NCHW, CHW, NCHW", "NHWC, HWC, NHWC"}};
    return emitOpError("input, filter and result must be ")
           << (depthwise ? "4-D, 3-D and 4-D (" : "4-D (")
           << layouts[depthwise][getNhwc()] << ")";
  }
  if (getStrides().size() != 2 || getDilations().size() != 2 ||
      getPadding().size() != 4)
    return emitOpError("strides and dilations need 2 values, padding 4 "
                       "[top, left, bottom, right]");
  if (llvm::any_of(getStrides(), [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(getDilations(), [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(getPadding(), [](int64_t v) { return v < 0; }))
    return emitOpError("strides and dilations must be positive and padding "
                       "non-negative");
  if (!fType.hasStaticShape())
    return emitOpError("the filter must have a static shape");
  int64_t fs = getFilterSpatialDim(), sd = getSpatialDim(),
          ch = getChannelDim();
  if (fType.getDimSize(fs) < 1 || fType.getDimSize(fs + 1) < 1)
    return emitOpError("the filter's spatial dimensions must not be empty, "
                       "got ")
           << fType;
  int64_t filters = fType.getDimSize(getFilterChannelDim());
  int64_t groups = getGroups();
  if (groups < 1 || (depthwise && groups != 1))
    return emitOpError("groups must be positive, and 1 for depthwise (its "
                       "own form), got ")
           << groups;
  if (filters % groups != 0)
    return emitOpError("groups ")
           << groups << " must divide the " << filters << " filters";
  if (groups > 1 && inType.isDynamicDim(ch))
    return emitOpError("a grouped convolution needs a static channel "
                       "dimension, got ")
           << inType;
  // Each filter reads C/G channels: the filter's input-channel dimension.
  int64_t groupChannels = fType.getDimSize(getFilterInputDim());
  std::optional<int64_t> inChannels =
      depthwise ? std::nullopt
                : llvm::checkedMul(groupChannels, groups);
  if ((!depthwise && (!inChannels || !compatibleDims(inType.getDimSize(ch),
                                                      *inChannels))) ||
      (depthwise && !compatibleDims(inType.getDimSize(ch), filters)) ||
      !compatibleDims(inType.getDimSize(0), outType.getDimSize(0)) ||
      !compatibleDims(filters, outType.getDimSize(ch)))
    return emitOpError("channels do not match: ")
           << inType << " * " << fType << " -> " << outType;
  for (int d = 0; d < 2; ++d) {
    int64_t in = inType.getDimSize(sd + d), out = outType.getDimSize(sd + d);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
      continue;
    // Checked arithmetic: padding and dilation are attributes of any size.
    std::optional<int64_t> padded = llvm::checkedAdd(in, getPadding()[d]);
    if (padded)
      padded = llvm::checkedAdd(*padded, getPadding()[2 + d]);
    std::optional<int64_t> span =
        llvm::checkedMul(getDilations()[d], fType.getDimSize(fs + d) - 1);
    if (span)
      span = llvm::checkedAdd(*span, int64_t{1});
    if (!padded || !span)
      return emitOpError("padding or dilation overflows the size of "
                         "dimension ")
             << sd + d;
    int64_t expected =
        *padded < *span ? 0 : (*padded - *span) / getStrides()[d] + 1;
    if (expected != out)
      return emitOpError("output dimension ")
             << sd + d << " must be " << expected << ", got " << out;
  }
  FailureOr<QuantLayout> x = getLayout(*this, inType);
  FailureOr<QuantLayout> f = getLayout(*this, fType);
  FailureOr<QuantLayout> result = getLayout(*this, outType);
  if (failed(x) || failed(f) || failed(result))
    return failure();
  if (!x->isPerTensor())
    return emitOpError("input must be quantized per tensor");
  bool perChannel = !f->isPerTensor();
  if (!f->isPerTensorOrAxis(getFilterChannelDim()))
    return emitOpError("filter must be quantized per tensor or per output "
                       "channel (axis ")
           << getFilterChannelDim() << ")";
  if (x->storageWidth > 16 || f->storageWidth > 16)
    return emitOpError("operands must be stored in at most 16 bits");
  SmallVector<double> scales;
  for (double s : f->scales)
    scales.push_back(x->scales.front() * s);
  if (failed(verifyAccumulator(*this, "result", *result, scales)))
    return failure();
  if (perChannel && !result->isPerAxis(ch))
    return emitOpError("result must be per-axis on axis ")
           << ch << " when the filter is per channel";
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        !compatibleDims(biasType.getDimSize(0), filters))
      return emitOpError("bias must be 1-D with one value per filter, got ")
             << biasType;
    FailureOr<QuantLayout> b = getLayout(*this, biasType);
    if (failed(b) || failed(verifyAccumulator(*this, "bias", *b, scales)))
      return failure();
  }
  return success();
}

/// Whether two sizes are both static and differ.
static bool mismatch(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

/// A kernel matmul's sizes: k >= 0 and n >= 1, K columns of `lhs` and N of
/// `init` (both of one rank), and their other dimensions alike.
static LogicalResult verifyMatmulSizes(Operation *op, ShapedType lhs,
                                       ShapedType init, int64_t k, int64_t n) {
  int64_t rank = lhs.getRank();
  if (k < 0 || n < 1)
    return op->emitOpError("needs k >= 0 and n >= 1, got k = ")
           << k << ", n = " << n;
  if (mismatch(lhs.getDimSize(rank - 1), k))
    return op->emitOpError("lhs has ")
           << lhs.getDimSize(rank - 1) << " columns but k = " << k;
  if (mismatch(init.getDimSize(rank - 1), n))
    return op->emitOpError("init has ")
           << init.getDimSize(rank - 1) << " columns but n = " << n;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (mismatch(lhs.getDimSize(d), init.getDimSize(d)))
      return op->emitOpError("lhs and init differ in dimension ") << d;
  return success();
}

//===----------------------------------------------------------------------===//
// PackedMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult PackedMatmulOp::verify() {
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto packed = cast<ShapedType>(getPacked().getType());
  auto init = cast<ShapedType>(getInit().getType());
  auto bias = getBias() ? cast<ShapedType>(getBias().getType()) : ShapedType();
  bool tensors = isa<RankedTensorType>(lhs) && isa<RankedTensorType>(packed) &&
                 isa<RankedTensorType>(init) &&
                 (!bias || isa<RankedTensorType>(bias));
  bool memrefs = isa<MemRefType>(lhs) && isa<MemRefType>(packed) &&
                 isa<MemRefType>(init) && (!bias || isa<MemRefType>(bias));
  if (!tensors && !memrefs)
    return emitOpError("operands must be all ranked tensors or all memrefs");
  if (tensors != (getNumResults() == 1))
    return emitOpError("has one result on tensors and none on memrefs");
  if (tensors && getResult().front().getType() != init)
    return emitOpError("result type ") << getResult().front().getType()
                                       << " does not match init type " << init;
  bool int8 = lhs.getElementType().isSignlessInteger(8) &&
              packed.getElementType().isSignlessInteger(8) &&
              init.getElementType().isSignlessInteger(32);
  // The f32 kind's sparse (row-compressed) operand is bytes.
  bool f32 = lhs.getElementType().isF32() && init.getElementType().isF32() &&
             (getSparse() ? packed.getElementType().isSignlessInteger(8)
                          : packed.getElementType().isF32());
  if (!int8 && !f32)
    return emitOpError("takes i8 lhs and packed operands and an i32 init, or "
                       "f32 lhs and init with an f32 packed operand (i8 "
                       "with sparse)");
  if (f32 && getLhsUnsigned())
    return emitOpError("lhs_unsigned applies to an i8 lhs only");
  int64_t rank = lhs.getRank();
  if ((rank != 2 && rank != 3) || init.getRank() != rank)
    return emitOpError("lhs and init must both have rank 2 (M x K, M x N) or "
                       "3 (B x M x K, B x M x N)");
  if (packed.getRank() != 1)
    return emitOpError("packed operand must be 1-D");
  int64_t k = getK(), n = getN();
  if (failed(verifyMatmulSizes(*this, lhs, init, k, n)))
    return failure();
  if (bias &&
      (bias.getRank() != 1 || bias.getElementType() != init.getElementType()))
    return emitOpError("bias must be 1-D with the element type of init, got ")
           << bias;
  if (bias && mismatch(bias.getDimSize(0), n))
    return emitOpError("bias has ")
           << bias.getDimSize(0) << " elements but n = " << n;
  if (getSparse()) {
    // The size depends on the values; at least, int8: the panel offsets, a
    // mask per group, the block starts, the column sums and the tail; f32:
    // the panel offsets and a row count per panel.
    ::slim::runtime::PackedInt8Shape s = ::slim::runtime::packedInt8Shape(k, n);
    int64_t panels = s.np / 16;
    int64_t least = int8 ? 8 * (panels + 1) +
                               panels * (8 * (s.kp / 4) + 4 * (s.kp / 64)) +
                               4 * s.np + 64
                         : 8 * (panels + 1) + 4 * panels;
    if (!ShapedType::isDynamic(packed.getDimSize(0)) &&
        packed.getDimSize(0) < least)
      return emitOpError("sparse packed operand has ")
             << packed.getDimSize(0) << " bytes; k = " << k << ", n = " << n
             << " take at least " << least;
    return success();
  }
  int64_t want = int8 ? ::slim::runtime::packedInt8Shape(k, n).bytes()
                      : ::slim::runtime::packedF32Shape(k, n).elements();
  if (mismatch(packed.getDimSize(0), want))
    return emitOpError("packed operand has ")
           << packed.getDimSize(0) << " elements; k = " << k << ", n = " << n
           << " pack into " << want;
  return success();
}

/// What every kernel op's verifier checks first: `operands` all ranked
/// tensors (one result, of `init`'s type) or all memrefs (none).
static LogicalResult verifyKernelOperands(Operation *op, ValueRange operands,
                                          Value init) {
  bool tensors = llvm::all_of(
      operands, [](Value v) { return isa<RankedTensorType>(v.getType()); });
  bool memrefs = llvm::all_of(
      operands, [](Value v) { return isa<MemRefType>(v.getType()); });
  if (!tensors && !memrefs)
    return op->emitOpError(
        "operands must be all ranked tensors or all memrefs");
  if (tensors != (op->getNumResults() == 1))
    return op->emitOpError("has one result on tensors and none on memrefs");
  if (tensors && op->getResult(0).getType() != init.getType())
    return op->emitOpError("result type ")
           << op->getResult(0).getType() << " does not match init type "
           << init.getType();
  return success();
}

/// The memory effects of a kernel op on memrefs: every operand but `init`
/// is read, `init` too when the op accumulates, and `init` is written.
static void kernelOpEffects(
    Operation *op, OpOperand &init,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (!isa<MemRefType>(init.get().getType()))
    return;
  for (OpOperand &operand : op->getOpOperands())
    if (&operand != &init)
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  if (op->hasAttr("accumulate"))
    effects.emplace_back(MemoryEffects::Read::get(), &init,
                         SideEffects::DefaultResource::get());
  effects.emplace_back(MemoryEffects::Write::get(), &init,
                       SideEffects::DefaultResource::get());
}

namespace {
/// Bufferization of every kernel op (slim.packed_matmul and the others of
/// slim-pack-contractions), in destination-passing style: `init` is the
/// destination and the result; the other operands are read, `init` only
/// when the op accumulates; the memref form is the same op (same
/// properties) on the operands' buffers, without a result.
template <typename Op>
struct KernelOpBufferization
    : bufferization::BufferizableOpInterface::ExternalModel<
          KernelOpBufferization<Op>, Op> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const bufferization::AnalysisState &) const {
    return &operand != &cast<Op>(op).getInitMutable() ||
           op->hasAttr("accumulate");
  }

  bool bufferizesToMemoryWrite(Operation *op, OpOperand &operand,
                               const bufferization::AnalysisState &) const {
    return &operand == &cast<Op>(op).getInitMutable();
  }

  bufferization::AliasingValueList
  getAliasingValues(Operation *op, OpOperand &operand,
                    const bufferization::AnalysisState &) const {
    if (&operand != &cast<Op>(op).getInitMutable() || op->getNumResults() == 0)
      return {};
    return {{op->getResult(0), bufferization::BufferRelation::Equivalent}};
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const bufferization::BufferizationOptions &options,
                          bufferization::BufferizationState &state) const {
    SmallVector<Value> buffers;
    for (Value v : op->getOperands()) {
      FailureOr<Value> buffer =
          bufferization::getBuffer(rewriter, v, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    OperationState memrefForm(op->getLoc(), op->getName());
    memrefForm.addOperands(buffers);
    memrefForm.propertiesAttr = op->getPropertiesAsAttribute();
    memrefForm.addAttributes(op->getDiscardableAttrDictionary().getValue());
    rewriter.create(memrefForm);
    unsigned init = cast<Op>(op).getInitMutable().getOperandNumber();
    bufferization::replaceOpWithBufferizedValues(rewriter, op, buffers[init]);
    return success();
  }
};
} // namespace

void mlir::slim::attachKernelOpInterfaces(MLIRContext *ctx) {
  PackedMatmulOp::attachInterface<KernelOpBufferization<PackedMatmulOp>>(*ctx);
  ActivationMatmulOp::attachInterface<
      KernelOpBufferization<ActivationMatmulOp>>(*ctx);
  DynamicPackedMatmulOp::attachInterface<
      KernelOpBufferization<DynamicPackedMatmulOp>>(*ctx);
  DequantMatmulOp::attachInterface<KernelOpBufferization<DequantMatmulOp>>(
      *ctx);
  PackedConv2DOp::attachInterface<KernelOpBufferization<PackedConv2DOp>>(*ctx);
  SignMatmulOp::attachInterface<KernelOpBufferization<SignMatmulOp>>(*ctx);
  AttentionOp::attachInterface<KernelOpBufferization<AttentionOp>>(*ctx);
}

void PackedMatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}

//===----------------------------------------------------------------------===//
// ActivationMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult ActivationMatmulOp::verify() {
  if (failed(verifyKernelOperands(*this, getOperands(), getInit())))
    return failure();
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto rhs = cast<ShapedType>(getRhs().getType());
  auto init = cast<ShapedType>(getInit().getType());
  if (!lhs.getElementType().isSignlessInteger(8) ||
      !rhs.getElementType().isSignlessInteger(8) ||
      !init.getElementType().isSignlessInteger(32))
    return emitOpError("takes i8 lhs and rhs and an i32 init");
  int64_t rank = lhs.getRank();
  if ((rank != 2 && rank != 3) || init.getRank() != rank)
    return emitOpError("lhs and init must both have rank 2 (M x K, M x N) or "
                       "3 (B x M x K, B x M x N)");
  if (rhs.getRank() != 2 && rhs.getRank() != rank)
    return emitOpError("rhs must be K x N or, with a batched lhs, B x K x N");
  auto mismatch = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  int64_t r = rhs.getRank();
  if (mismatch(lhs.getDimSize(rank - 1), rhs.getDimSize(r - 2)))
    return emitOpError("lhs has ")
           << lhs.getDimSize(rank - 1) << " columns but rhs has "
           << rhs.getDimSize(r - 2) << " rows";
  if (mismatch(init.getDimSize(rank - 1), rhs.getDimSize(r - 1)))
    return emitOpError("init has ")
           << init.getDimSize(rank - 1) << " columns but rhs has "
           << rhs.getDimSize(r - 1);
  for (int64_t d = 0; d < rank - 1; ++d)
    if (mismatch(lhs.getDimSize(d), init.getDimSize(d)))
      return emitOpError("lhs and init differ in dimension ") << d;
  if (r == 3 && mismatch(rhs.getDimSize(0), lhs.getDimSize(0)))
    return emitOpError("lhs and rhs differ in the batch dimension");
  return success();
}

void ActivationMatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::verify() {
  SmallVector<Value> operands = {getQuery(), getKey(), getValue(), getInit()};
  if (getMask())
    operands.push_back(getMask());
  if (failed(verifyKernelOperands(*this, operands, getInit())))
    return failure();
  for (Value v : operands) {
    auto type = cast<ShapedType>(v.getType());
    if (!type.getElementType().isF32() || type.getRank() != 4)
      return emitOpError("takes rank-4 f32 operands (B x H x rows x "
                         "features), got ")
             << type;
  }
  if (getScaleDivides() && !getScale())
    return emitOpError("divides by a scale it does not have");
  auto dim = [](Value v, int64_t d) {
    return cast<ShapedType>(v.getType()).getDimSize(d);
  };
  auto mismatch = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  struct Same {
    Value a;
    int64_t da;
    Value b;
    int64_t db;
    const char *what;
  };
  Value q = getQuery(), k = getKey(), v = getValue(), o = getInit();
  for (const Same &c :
       {Same{q, 0, k, 0, "batch"}, Same{q, 0, v, 0, "batch"},
        Same{q, 0, o, 0, "batch"}, Same{q, 1, k, 1, "heads"},
        Same{q, 1, v, 1, "heads"}, Same{q, 1, o, 1, "heads"},
        Same{q, 2, o, 2, "query rows"}, Same{k, 2, v, 2, "keys"},
        Same{q, 3, k, 3, "query and key features"},
        Same{v, 3, o, 3, "value features"}})
    if (mismatch(dim(c.a, c.da), dim(c.b, c.db)))
      return emitOpError("operands disagree on the ")
             << c.what << ": " << dim(c.a, c.da) << " vs " << dim(c.b, c.db);
  if (Value m = getMask()) {
    if (!cast<ShapedType>(m.getType()).hasStaticShape())
      return emitOpError("needs a mask of static shape (its size-1 "
                         "dimensions broadcast), got ")
             << m.getType();
    // Each mask dimension is the scores' own or 1.
    int64_t scores[4] = {dim(q, 0), dim(q, 1), dim(q, 2), dim(k, 2)};
    for (int64_t d = 0; d < 4; ++d)
      if (dim(m, d) != 1 && mismatch(dim(m, d), scores[d]))
        return emitOpError("mask dimension ")
               << d << " is " << dim(m, d) << ", expected 1 or " << scores[d];
  }
  return success();
}

void AttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}

//===----------------------------------------------------------------------===//
// DynamicPackedMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult DynamicPackedMatmulOp::verify() {
  SmallVector<Value> operands = {getLhs(), getPacked(), getInit(), getScales()};
  if (getZeroPoints())
    operands.push_back(getZeroPoints());
  if (getBias())
    operands.push_back(getBias());
  if (failed(verifyKernelOperands(*this, operands, getInit())))
    return failure();
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto packed = cast<ShapedType>(getPacked().getType());
  auto init = cast<ShapedType>(getInit().getType());
  if (!lhs.getElementType().isF32() || !init.getElementType().isF32() ||
      !packed.getElementType().isSignlessInteger(8))
    return emitOpError("takes an f32 lhs and init and an i8 packed operand");
  if (lhs.getRank() != 2 || init.getRank() != 2 || packed.getRank() != 1)
    return emitOpError("lhs and init must be 2-D (M x K, M x N) and packed "
                       "1-D");
  int64_t k = getK(), n = getN();
  if (k < 0 || n < 1)
    return emitOpError("needs k >= 0 and n >= 1, got k = ")
           << k << ", n = " << n;
  auto mismatch = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  if (mismatch(lhs.getDimSize(1), k))
    return emitOpError("lhs has ")
           << lhs.getDimSize(1) << " columns but k = " << k;
  if (mismatch(init.getDimSize(1), n))
    return emitOpError("init has ")
           << init.getDimSize(1) << " columns but n = " << n;
  if (mismatch(lhs.getDimSize(0), init.getDimSize(0)))
    return emitOpError("lhs and init differ in dimension 0");
  int64_t want = ::slim::runtime::packedInt8Shape(k, n).bytes();
  if (mismatch(packed.getDimSize(0), want))
    return emitOpError("packed operand has ")
           << packed.getDimSize(0) << " elements; k = " << k << ", n = " << n
           << " pack into " << want;
  auto column = [&](Value v, Type elem, StringRef what) -> LogicalResult {
    auto t = cast<ShapedType>(v.getType());
    if (t.getRank() != 1 || t.getElementType() != elem ||
        mismatch(t.getDimSize(0), n))
      return emitOpError() << what << " must have " << n << " elements of "
                           << elem << ", got " << t;
    return success();
  };
  Type f32 = Float32Type::get(getContext());
  if (failed(column(getScales(), f32, "scales")) ||
      (getZeroPoints() &&
       failed(column(getZeroPoints(), IntegerType::get(getContext(), 32),
                     "zero_points"))) ||
      (getBias() && failed(column(getBias(), f32, "bias"))))
    return failure();
  return success();
}

void DynamicPackedMatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}

//===----------------------------------------------------------------------===//
// DequantMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult DequantMatmulOp::verify() {
  SmallVector<Value> operands = {getLhs(), getPacked(), getInit(), getScales(),
                                 getOffsets()};
  if (getBias())
    operands.push_back(getBias());
  if (failed(verifyKernelOperands(*this, operands, getInit())))
    return failure();
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto packed = cast<ShapedType>(getPacked().getType());
  auto init = cast<ShapedType>(getInit().getType());
  if (!lhs.getElementType().isF32() || !init.getElementType().isF32() ||
      !packed.getElementType().isSignlessInteger(8))
    return emitOpError("takes an f32 lhs and init and an i8 packed operand");
  int64_t rank = lhs.getRank();
  if ((rank != 2 && rank != 3) || init.getRank() != rank ||
      packed.getRank() != 1)
    return emitOpError("lhs and init must both have rank 2 or 3 and packed "
                       "rank 1");
  int64_t k = getK(), n = getN(), bits = getBits(), group = getGroupSize();
  if (failed(verifyMatmulSizes(*this, lhs, init, k, n)))
    return failure();
  if (bits != 4 && bits != 8)
    return emitOpError("bits must be 4 or 8, got ") << bits;
  if (group < 1)
    return emitOpError("group_size must be positive, got ") << group;
  bool int8 = getInt8Activations();
  if (int8 && !::slim::runtime::int8ActivationsApply(bits, group, k))
    return emitOpError("int8_activations needs 4-bit weights in groups of a "
                       "multiple of 8 along K (or one group), got bits = ")
           << bits << ", group_size = " << group << ", k = " << k;
  bool sparse = getSparse();
  if (sparse &&
      (bits != 4 || int8 || !::slim::runtime::sparseLowBitApplies(group, k)))
    return emitOpError("sparse (the 2:4 form) needs 4-bit weights, f32 "
                       "activations and groups of a multiple of 4 along K (or "
                       "one group), got bits = ")
           << bits << ", group_size = " << group << ", k = " << k
           << (int8 ? ", int8_activations" : "");
  ::slim::runtime::PackedLowBitShape shape =
      ::slim::runtime::packedLowBitShape(k, n, bits, group, int8);
  int64_t bytes =
      sparse ? ::slim::runtime::sparseLowBitBytes(k, n) : shape.bytes();
  if (mismatch(packed.getDimSize(0), bytes))
    return emitOpError("packed operand has ")
           << packed.getDimSize(0) << " bytes; k = " << k << ", n = " << n
           << ", bits = " << bits << (sparse ? " in the 2:4 form" : "")
           << " pack into " << bytes;
  int64_t params = shape.groups() * shape.np;
  auto check = [&](Value v, Type elem, StringRef what) -> LogicalResult {
    auto t = cast<ShapedType>(v.getType());
    if (t.getRank() != 1 || t.getElementType() != elem ||
        mismatch(t.getDimSize(0), what == "bias" ? n : params))
      return emitOpError() << what << " must have "
                           << (what == "bias" ? n : params) << " elements of "
                           << elem << ", got " << t;
    return success();
  };
  Type f32 = Float32Type::get(getContext());
  if (failed(check(getScales(), f32, "scales")) ||
      failed(
          check(getOffsets(), IntegerType::get(getContext(), 8), "offsets")) ||
      (getBias() && failed(check(getBias(), f32, "bias"))))
    return failure();
  return success();
}

void DequantMatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}

//===----------------------------------------------------------------------===//
// SignMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult SignMatmulOp::verify() {
  SmallVector<Value> operands = {getLhs(), getSigns(), getInit(), getScales()};
  if (getBias())
    operands.push_back(getBias());
  if (failed(verifyKernelOperands(*this, operands, getInit())))
    return failure();
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto signs = cast<ShapedType>(getSigns().getType());
  auto init = cast<ShapedType>(getInit().getType());
  if (!lhs.getElementType().isF32() || !init.getElementType().isF32() ||
      !signs.getElementType().isSignlessInteger(8))
    return emitOpError("takes an f32 lhs and init and i8 signs");
  int64_t rank = lhs.getRank();
  if ((rank != 2 && rank != 3) || init.getRank() != rank ||
      signs.getRank() != 1)
    return emitOpError("lhs and init must both have rank 2 or 3 and signs "
                       "rank 1");
  int64_t k = getK(), n = getN();
  if (failed(verifyMatmulSizes(*this, lhs, init, k, n)))
    return failure();
  int64_t bytes = ::slim::runtime::packedSignBytes(k, n);
  if (mismatch(signs.getDimSize(0), bytes))
    return emitOpError("signs operand has ")
           << signs.getDimSize(0) << " bytes; k = " << k << ", n = " << n
           << " pack into " << bytes;
  for (auto [v, what] : {std::pair<Value, StringRef>{getScales(), "scales"},
                         {getBias(), "bias"}}) {
    if (!v)
      continue;
    auto t = cast<ShapedType>(v.getType());
    if (t.getRank() != 1 || !t.getElementType().isF32() ||
        mismatch(t.getDimSize(0), n))
      return emitOpError() << what << " must have " << n
                           << " elements of f32, got " << t;
  }
  return success();
}

void SignMatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}

//===----------------------------------------------------------------------===//
// PackedConv2DOp
//===----------------------------------------------------------------------===//

LogicalResult PackedConv2DOp::verify() {
  SmallVector<Value> operands = {getInput(), getPacked(), getInit()};
  for (Value v : {getBias(), getMultipliers(), getShifts()})
    if (v)
      operands.push_back(v);
  if (failed(verifyKernelOperands(*this, operands, getInit())))
    return failure();
  auto input = cast<ShapedType>(getInput().getType());
  auto packed = cast<ShapedType>(getPacked().getType());
  auto init = cast<ShapedType>(getInit().getType());
  Type elem = input.getElementType();
  bool int8 = elem.isSignlessInteger(8);
  bool requantize = getMultipliers() != nullptr;
  Type i32 = IntegerType::get(getContext(), 32);
  Type accType = int8 ? i32 : elem;
  if (requantize && (!int8 || !getShifts() || !getOutputRange()))
    return emitOpError("requantize needs the int8 kind, shifts and an "
                       "output_range");
  if (!requantize && (getShifts() || getOutputRange()))
    return emitOpError("shifts and output_range come with requantize");
  if (!(elem.isF32() && packed.getElementType().isF32() &&
        init.getElementType().isF32()) &&
      !(int8 && packed.getElementType().isSignlessInteger(8) &&
        init.getElementType().isSignlessInteger(requantize ? 8 : 32)))
    return emitOpError("takes f32 input, packed and init operands, or i8 "
                       "input and packed and an i32 init (i8 with "
                       "requantize)");
  if (requantize) {
    ArrayRef<int64_t> range = *getOutputRange();
    if (range.size() != 3 || range[1] > range[2] || range[1] < -128 ||
        range[2] > 255 || range[2] - range[1] > 255 || range[0] < -(1 << 30) ||
        range[0] > (1 << 30))
      return emitOpError("output_range takes [zero_out, lo, hi] with lo <= "
                         "hi, both in -128 .. 255 and at most 255 apart");
    if (getAccumulate())
      return emitOpError("requantize cannot accumulate");
  }
  if (getInputUnsigned() && !int8)
    return emitOpError("input_unsigned needs an i8 input");
  if (input.getRank() != 4 || init.getRank() != 4 || packed.getRank() != 1)
    return emitOpError("input and init must be 4-D and packed 1-D");
  ArrayRef<int64_t> kernel = getKernel(), strides = getStrides(),
                    dilations = getDilations();
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2)
    return emitOpError("kernel, strides and dilations take 2 values each");
  for (int64_t v : llvm::concat<const int64_t>(kernel, strides, dilations))
    if (v < 1)
      return emitOpError("kernel, strides and dilations must be positive");
  bool nhwc = getNhwc();
  int64_t c = input.getDimSize(nhwc ? 3 : 1);
  int64_t f = init.getDimSize(nhwc ? 3 : 1);
  if (ShapedType::isDynamic(c) || ShapedType::isDynamic(f))
    return emitOpError("needs static channels and filters");
  auto mismatch = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  if (mismatch(input.getDimSize(0), init.getDimSize(0)))
    return emitOpError("input and init differ in the batch dimension");
  SmallVector<int64_t> padding(4, 0);
  if (std::optional<ArrayRef<int64_t>> given = getPadding()) {
    if (given->size() != 4 ||
        llvm::any_of(*given, [](int64_t v) { return v < 0 || v > (1 << 30); }))
      return emitOpError("padding takes 4 values [top, left, bottom, right] "
                         "in 0 .. 2^30");
    padding.assign(given->begin(), given->end());
  }
  if (std::optional<int64_t> value = getPadValue()) {
    int64_t lo = getInputUnsigned() ? 0 : -128, hi = lo + 255;
    if (!int8 || *value < lo || *value > hi)
      return emitOpError("pad_value needs an i8 input and a value in ")
             << lo << " .. " << hi << ", got " << *value;
  }
  for (int d = 0; d < 2; ++d) {
    int64_t in = input.getDimSize(nhwc ? 1 + d : 2 + d);
    int64_t out = init.getDimSize(nhwc ? 1 + d : 2 + d);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
      continue;
    in += padding[d] + padding[2 + d];
    int64_t span = dilations[d] * (kernel[d] - 1) + 1;
    int64_t want = in < span ? 0 : (in - span) / strides[d] + 1;
    if (out != want)
      return emitOpError("output has ") << out << " along spatial dimension "
                                        << d << ", the window gives " << want;
  }
  if (getDepthwise() && c != f)
    return emitOpError("depthwise needs as many output channels as input "
                       "channels, got ")
           << f << " and " << c;
  int64_t groups = getGroups();
  if (groups < 1 || (groups > 1 && (!int8 || getDepthwise())) ||
      c % groups != 0 || f % groups != 0)
    return emitOpError("groups must be positive, dividing the ")
           << c << " channels and " << f
           << " filters, and above 1 only for the int8 dense forms; got "
           << groups;
  int64_t k = c / groups * kernel[0] * kernel[1];
  int64_t elements =
      getDepthwise()
          ? ::slim::runtime::packedDepthwiseElements(c, kernel[0], kernel[1])
      : int8 ? groups * ::slim::runtime::packedInt8Shape(k, f / groups).bytes()
      : nhwc ? ::slim::runtime::packedF32Shape(k, f).elements()
             : f * k;
  if (mismatch(packed.getDimSize(0), elements) && getDepthwise())
    return emitOpError("packed operand has ")
           << packed.getDimSize(0) << " elements; a depthwise " << kernel[0]
           << " x " << kernel[1] << " filter of " << c
           << " channels (padded to 16) takes " << elements;
  if (mismatch(packed.getDimSize(0), elements))
    return emitOpError("packed operand has ")
           << packed.getDimSize(0) << " elements; " << k << " taps x " << f
           << " filters" << (groups > 1 ? " in " + std::to_string(groups) +
                                               " groups"
                                         : std::string())
           << " take " << elements;
  auto perFilter = [&](Value v, Type type, StringRef what) -> LogicalResult {
    auto t = cast<ShapedType>(v.getType());
    if (t.getRank() != 1 || t.getElementType() != type ||
        mismatch(t.getDimSize(0), f))
      return emitOpError() << what << " must have " << f << " elements of "
                           << type << ", got " << t;
    return success();
  };
  if (getBias() && failed(perFilter(getBias(), accType, "bias")))
    return failure();
  if (requantize && (failed(perFilter(getMultipliers(), i32, "multipliers")) ||
                     failed(perFilter(getShifts(), i32, "shifts"))))
    return failure();
  return success();
}

void PackedConv2DOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  kernelOpEffects(*this, getInitMutable(), effects);
}
