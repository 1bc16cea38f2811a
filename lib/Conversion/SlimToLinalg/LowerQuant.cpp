//===- LowerQuant.cpp - Lower slim quantization ops to linalg -------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Each slim quantization op becomes one elementwise linalg.generic whose body
// is the scalar arithmetic of the op's description, written with arith/math
// on storage integers. The scalar definitions it mirrors live in
// slim/Numerics/Quantization.h.
//
//===----------------------------------------------------------------------===//

#include "slim/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMLOWERQUANTPASS
#include "slim/Conversion/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace num = ::slim::numerics;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

static Type convertQuantElement(Type t) {
  if (auto q = dyn_cast<quant::QuantizedType>(t))
    return getSignlessStorageType(q);
  return t;
}

QuantStorageTypeConverter::QuantStorageTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion(
      [](quant::QuantizedType t) -> Type { return getSignlessStorageType(t); });
  addConversion([](RankedTensorType t) -> Type {
    return t.clone(convertQuantElement(t.getElementType()));
  });
  addConversion([](UnrankedTensorType t) -> Type {
    return UnrankedTensorType::get(convertQuantElement(t.getElementType()));
  });
}

//===----------------------------------------------------------------------===//
// Parameters of a generic
//===----------------------------------------------------------------------===//

namespace {
/// Collects the parameters an elementwise generic needs. A parameter that is
/// the same for every element becomes a scalar constant in the body; one that
/// varies becomes a constant tensor input read through the layout's map.
class GenericParams {
public:
  GenericParams(ArrayRef<QuantParamDim> dims, AffineMap map)
      : dims(dims), map(map) {}

  /// Registers a parameter and returns its handle.
  template <typename T>
  int add(OpBuilder &b, Location loc, ArrayRef<T> values, Type elemType) {
    Param p;
    p.type = elemType;
    if (llvm::all_equal(values)) {
      p.uniform = makeAttr(elemType, values.front());
    } else {
      SmallVector<int64_t> shape;
      for (const QuantParamDim &d : dims)
        shape.push_back(d.extent);
      auto type = RankedTensorType::get(shape, elemType);
      SmallVector<Attribute> attrs;
      for (T v : values)
        attrs.push_back(makeAttr(elemType, v));
      p.input = static_cast<int>(tensors.size());
      tensors.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, attrs)));
    }
    params.push_back(p);
    return static_cast<int>(params.size()) - 1;
  }

  ArrayRef<Value> getTensors() const { return tensors; }
  SmallVector<AffineMap> getMaps() const {
    return SmallVector<AffineMap>(tensors.size(), map);
  }

  /// The value of parameter `id` inside the body; `args` are the body's
  /// arguments for the parameter tensors.
  Value get(OpBuilder &b, Location loc, ValueRange args, int id) const {
    const Param &p = params[id];
    if (p.input >= 0)
      return args[p.input];
    return arith::ConstantOp::create(b, loc, cast<TypedAttr>(p.uniform));
  }

private:
  struct Param {
    Type type;
    Attribute uniform;
    int input = -1;
  };

  static Attribute makeAttr(Type t, double v) { return FloatAttr::get(t, v); }
  static Attribute makeAttr(Type t, int64_t v) {
    return IntegerAttr::get(t, v);
  }

  ArrayRef<QuantParamDim> dims;
  AffineMap map;
  SmallVector<Value> tensors;
  SmallVector<Param> params;
};
} // namespace

/// Builds `tensor.empty` shaped like `like` (dynamic sizes read from it).
static Value emptyLike(OpBuilder &b, Location loc, Value like, Type elemType) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  return tensor::EmptyOp::create(b, loc, sizes, elemType);
}

using BodyFn =
    function_ref<Value(OpBuilder &, Location, Value, ValueRange params)>;

/// Builds the elementwise generic over `input` producing `resultElem`.
static Value buildElementwise(OpBuilder &b, Location loc, Value input,
                              Type resultElem, const GenericParams &params,
                              BodyFn body) {
  auto type = cast<RankedTensorType>(input.getType());
  unsigned rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs{input};
  llvm::append_range(inputs, params.getTensors());
  SmallVector<AffineMap> maps{identity};
  llvm::append_range(maps, params.getMaps());
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = emptyLike(b, loc, input, resultElem);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = body(nb, nloc, args[0], args.slice(1, args.size() - 2));
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Scalar arithmetic (mirrors slim/Numerics/Quantization.cpp)
//===----------------------------------------------------------------------===//

static Value intConst(OpBuilder &b, Location loc, Type t, int64_t v) {
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(t, v));
}
static Value floatConst(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, FloatAttr::get(t, v));
}

static Value clampInt(OpBuilder &b, Location loc, Value v, int64_t lo,
                      int64_t hi) {
  Type t = v.getType();
  v = arith::MaxSIOp::create(b, loc, v, intConst(b, loc, t, lo));
  return arith::MinSIOp::create(b, loc, v, intConst(b, loc, t, hi));
}

static Value roundFloat(OpBuilder &b, Location loc, Value v,
                        RoundingMode mode) {
  if (mode == RoundingMode::HalfToEven)
    return math::RoundEvenOp::create(b, loc, v);
  return math::RoundOp::create(b, loc, v);
}

/// Converts an integral float to `intType` after clamping it to ±limit (exact
/// in the float type), so that the conversion is defined for Inf too.
static Value clampedFloatToInt(OpBuilder &b, Location loc, Value v,
                               Type intType, double limit) {
  Type ft = v.getType();
  v = arith::MaximumFOp::create(b, loc, v, floatConst(b, loc, ft, -limit));
  v = arith::MinimumFOp::create(b, loc, v, floatConst(b, loc, ft, limit));
  return arith::FPToSIOp::create(b, loc, intType, v);
}

/// Narrows a 32/64-bit intermediate to the storage width.
static Value toStorage(OpBuilder &b, Location loc, Value v, unsigned width) {
  auto storage = b.getIntegerType(width);
  if (v.getType() == storage)
    return v;
  return arith::TruncIOp::create(b, loc, storage, v);
}

/// Widens a stored integer to `wide`, by its signedness.
static Value fromStorage(OpBuilder &b, Location loc, Value q, bool isSigned,
                         Type wide) {
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, wide, q);
  return arith::ExtUIOp::create(b, loc, wide, q);
}

/// The integer type quantize and dequantize compute in.
static IntegerType intermediateType(OpBuilder &b, const QuantLayout &l) {
  return b.getIntegerType(l.storageWidth > 16 ? 64 : 32);
}

/// q = clamp(round(float32(x) / S) + Z, qmin, qmax); NaN -> Z.
static Value emitQuantize(OpBuilder &b, Location loc, Value x, Value scale,
                          Value zeroPoint, const QuantLayout &l,
                          RoundingMode mode) {
  Type f32 = b.getF32Type();
  if (x.getType() != f32)
    x = arith::ExtFOp::create(b, loc, f32, x);
  Value t = arith::DivFOp::create(b, loc, x, scale);
  Value r = roundFloat(b, loc, t, mode);
  IntegerType it = intermediateType(b, l);
  double limit = it.getWidth() == 32 ? 0x1p30 : 0x1p62;
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  r = arith::SelectOp::create(b, loc, isNan, floatConst(b, loc, f32, 0.0), r);
  Value i = clampedFloatToInt(b, loc, r, it, limit);
  i = arith::AddIOp::create(b, loc, i, zeroPoint);
  i = clampInt(b, loc, i, l.range.min, l.range.max);
  return toStorage(b, loc, i, l.storageWidth);
}

/// r = float32(q - Z) * S, narrowed to `expressed`.
static Value emitDequantize(OpBuilder &b, Location loc, Value q, Value scale,
                            Value zeroPoint, const QuantLayout &l,
                            Type expressed) {
  IntegerType it = intermediateType(b, l);
  Value i = fromStorage(b, loc, q, l.isSigned, it);
  Value d = arith::SubIOp::create(b, loc, i, zeroPoint);
  Type f32 = b.getF32Type();
  Value f = arith::SIToFPOp::create(b, loc, f32, d);
  Value r = arith::MulFOp::create(b, loc, f, scale);
  if (expressed != f32)
    r = arith::TruncFOp::create(b, loc, expressed, r);
  return r;
}

/// Adds the quantize parameters of `l` and returns (scale, zero point) ids.
static std::pair<int, int> addQuantParams(OpBuilder &b, Location loc,
                                          GenericParams &params,
                                          const QuantLayout &l) {
  SmallVector<double> scales;
  for (double s : l.scales)
    scales.push_back(static_cast<float>(s));
  int s = params.add<double>(b, loc, scales, b.getF32Type());
  int z = params.add<int64_t>(b, loc, l.zeroPoints, intermediateType(b, l));
  return {s, z};
}

/// A result's storage range narrowed by an op's fused clamp [lo, hi].
static num::IntRange clampedRange(num::IntRange range,
                                  std::optional<ArrayRef<int64_t>> clamp) {
  if (clamp) {
    range.min = std::max(range.min, (*clamp)[0]);
    range.max = std::min(range.max, (*clamp)[1]);
  }
  return range;
}

/// MultiplyByQuantizedMultiplier on an int32-ranged i64 `x`, in i64:
/// saturating left shift, SaturatingRoundingDoublingHighMul (M0 >= 0, so
/// its one overflow case cannot occur), RoundingDivideByPOT.
static Value emitFixedPointMultiply(OpBuilder &b, Location loc, Value x,
                                    Value m0, Value left, Value right,
                                    bool anyLeftShift) {
  Type i64 = b.getI64Type();
  auto c = [&](int64_t v) { return intConst(b, loc, i64, v); };
  if (anyLeftShift) {
    x = arith::ShLIOp::create(b, loc, x, left);
    x = clampInt(b, loc, x, INT32_MIN, INT32_MAX);
  }
  Value ab = arith::MulIOp::create(b, loc, x, m0);
  Value nonNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, ab, c(0));
  Value nudge = arith::SelectOp::create(b, loc, nonNeg, c(int64_t(1) << 30),
                                        c(1 - (int64_t(1) << 30)));
  Value sum = arith::AddIOp::create(b, loc, ab, nudge);
  Value high = arith::DivSIOp::create(b, loc, sum, c(int64_t(1) << 31));
  // RoundingDivideByPOT(high, right).
  Value one = c(1);
  Value mask = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, one, right), one);
  Value remainder = arith::AndIOp::create(b, loc, high, mask);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, high, c(0));
  Value threshold =
      arith::AddIOp::create(b, loc, arith::ShRSIOp::create(b, loc, mask, one),
                            arith::ExtUIOp::create(b, loc, i64, negative));
  Value shifted = arith::ShRSIOp::create(b, loc, high, right);
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                   remainder, threshold);
  return arith::AddIOp::create(b, loc, shifted,
                               arith::ExtUIOp::create(b, loc, i64, up));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Lowers a quantize-like op (one quantized type, one input, one result) to
/// an elementwise generic whose body `body` gets the element, its scale and
/// its zero point.
using QuantBodyFn =
    function_ref<Value(OpBuilder &, Location, Value x, Value scale, Value zero,
                       const QuantLayout &)>;
LogicalResult lowerWithQuantParams(ConversionPatternRewriter &rewriter,
                                   Operation *op, Value input, Type quantElem,
                                   Type resultElem, QuantBodyFn body) {
  auto type = cast<RankedTensorType>(input.getType());
  FailureOr<QuantLayout> l = QuantLayout::tryGet(quantElem, type.getShape());
  if (failed(l))
    return rewriter.notifyMatchFailure(op, "invalid quantized type");
  Location loc = op->getLoc();
  GenericParams params(l->paramDims,
                       l->getParamMap(op->getContext(), type.getRank()));
  int s, z;
  std::tie(s, z) = addQuantParams(rewriter, loc, params, *l);
  Value result = buildElementwise(
      rewriter, loc, input, resultElem, params,
      [&](OpBuilder &b, Location bl, Value x, ValueRange args) {
        return body(b, bl, x, params.get(b, bl, args, s),
                    params.get(b, bl, args, z), *l);
      });
  rewriter.replaceOp(op, result);
  return success();
}

struct LowerQuantize : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type quantElem = op.getResult().getType().getElementType();
    RoundingMode mode = op.getRounding();
    return lowerWithQuantParams(
        rewriter, op, adaptor.getInput(), quantElem,
        getSignlessStorageType(cast<quant::QuantizedType>(quantElem)),
        [&](OpBuilder &b, Location loc, Value x, Value scale, Value zero,
            const QuantLayout &l) {
          return emitQuantize(b, loc, x, scale, zero, l, mode);
        });
  }
};

struct LowerDequantize : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type expressed = op.getResult().getType().getElementType();
    return lowerWithQuantParams(
        rewriter, op, adaptor.getInput(),
        op.getInput().getType().getElementType(), expressed,
        [&](OpBuilder &b, Location loc, Value q, Value scale, Value zero,
            const QuantLayout &l) {
          return emitDequantize(b, loc, q, scale, zero, l, expressed);
        });
  }
};

struct LowerFakeQuant : OpConversionPattern<FakeQuantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FakeQuantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type expressed = op.getInput().getType().getElementType();
    RoundingMode mode = op.getRounding();
    return lowerWithQuantParams(
        rewriter, op, adaptor.getInput(), op.getQuantType(), expressed,
        [&](OpBuilder &b, Location loc, Value x, Value scale, Value zero,
            const QuantLayout &l) {
          Value q = emitQuantize(b, loc, x, scale, zero, l, mode);
          return emitDequantize(b, loc, q, scale, zero, l, expressed);
        });
  }
};

struct LowerRequantize : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType inType = op.getInput().getType();
    RankedTensorType outType = op.getResult().getType();
    FailureOr<QuantLayout> in = QuantLayout::tryGet(inType);
    FailureOr<QuantLayout> out = QuantLayout::tryGet(outType);
    if (failed(in) || failed(out))
      return rewriter.notifyMatchFailure(op, "invalid quantized type");
    FailureOr<RequantLayout> l = RequantLayout::tryGet(*in, *out);
    if (failed(l))
      return rewriter.notifyMatchFailure(op, "incompatible layouts");

    Location loc = op.getLoc();
    Type i64 = rewriter.getI64Type();
    GenericParams params(l->paramDims,
                         QuantLayout::getParamMapFor(l->paramDims, getContext(),
                                                     inType.getRank()));
    int zin = params.add<int64_t>(rewriter, loc, l->zeroIn, i64);
    int zout = params.add<int64_t>(rewriter, loc, l->zeroOut, i64);

    num::IntRange range = clampedRange(out->range, op.getClamp());
    bool fixed = op.getMode() == RequantMode::FixedPoint;
    int m0 = -1, left = -1, right = -1, mf = -1;
    bool anyLeftShift = false;
    if (fixed) {
      SmallVector<int64_t> mults, lefts, rights;
      for (double m : l->multipliers) {
        std::optional<num::FixedPointMultiplier> fp =
            num::decomposeMultiplier(m);
        if (!fp)
          return rewriter.notifyMatchFailure(op, "multiplier out of range");
        mults.push_back(fp->multiplier);
        lefts.push_back(std::max(fp->shift, 0));
        rights.push_back(std::max(-fp->shift, 0));
        anyLeftShift |= fp->shift > 0;
      }
      m0 = params.add<int64_t>(rewriter, loc, mults, i64);
      left = params.add<int64_t>(rewriter, loc, lefts, i64);
      right = params.add<int64_t>(rewriter, loc, rights, i64);
    } else {
      mf = params.add<double>(rewriter, loc, l->multipliers,
                              rewriter.getF64Type());
    }
    RoundingMode rounding = op.getEffectiveRounding();
    bool saturateInput = in->storageWidth > 30;

    Value result = buildElementwise(
        rewriter, loc, adaptor.getInput(), getSignlessStorageType(out->type),
        params, [&](OpBuilder &b, Location bl, Value q, ValueRange args) {
          Value x = fromStorage(b, bl, q, in->isSigned, i64);
          x = arith::SubIOp::create(b, bl, x, params.get(b, bl, args, zin));
          Value y;
          if (fixed) {
            if (saturateInput)
              x = clampInt(b, bl, x, INT32_MIN, INT32_MAX);
            y = emitFixedPointMultiply(b, bl, x, params.get(b, bl, args, m0),
                                       params.get(b, bl, args, left),
                                       params.get(b, bl, args, right),
                                       anyLeftShift);
          } else {
            Value f = arith::SIToFPOp::create(b, bl, b.getF64Type(), x);
            f = arith::MulFOp::create(b, bl, f, params.get(b, bl, args, mf));
            f = roundFloat(b, bl, f, rounding);
            y = clampedFloatToInt(b, bl, f, i64, 0x1p62);
          }
          y = arith::AddIOp::create(b, bl, y, params.get(b, bl, args, zout));
          y = clampInt(b, bl, y, range.min, range.max);
          return toStorage(b, bl, y, out->storageWidth);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// slim.qadd: one elementwise generic over the two stored operands, the
/// op's fixed-point arithmetic in i64 (every intermediate is in int32's
/// range, as the op states).
struct LowerQAdd : OpConversionPattern<QAddOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<QuantLayout> l;
    for (Type t : {op.getLhs().getType(), op.getRhs().getType(),
                   op.getResult().getType()}) {
      FailureOr<QuantLayout> layout =
          QuantLayout::tryGet(cast<RankedTensorType>(t));
      if (failed(layout))
        return rewriter.notifyMatchFailure(op, "invalid quantized type");
      l.push_back(*layout);
    }
    std::array<double, 3> m = QAddOp::getMultipliers(
        l[0].scales.front(), l[1].scales.front(), l[2].scales.front());
    SmallVector<num::FixedPointMultiplier> fp;
    for (double v : m) {
      std::optional<num::FixedPointMultiplier> d = num::decomposeMultiplier(v);
      if (!d)
        return rewriter.notifyMatchFailure(op, "multiplier out of range");
      fp.push_back(*d);
    }
    num::IntRange range = clampedRange(l[2].range, op.getClamp());

    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getLhs().getType());
    unsigned rank = type.getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    Value init =
        emptyLike(rewriter, loc, adaptor.getLhs(),
                  getSignlessStorageType(l[2].type));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(),
        ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init},
        SmallVector<AffineMap>(3, id),
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location bl, ValueRange args) {
          Type i64 = b.getI64Type();
          auto c = [&](int64_t v) { return intConst(b, bl, i64, v); };
          auto multiply = [&](Value x, num::FixedPointMultiplier f) {
            return emitFixedPointMultiply(
                b, bl, x, c(f.multiplier), c(std::max(f.shift, 0)),
                c(std::max(-f.shift, 0)), f.shift > 0);
          };
          Value sum;
          for (int i = 0; i < 2; ++i) {
            Value x = fromStorage(b, bl, args[i], l[i].isSigned, i64);
            x = arith::SubIOp::create(b, bl, x, c(l[i].zeroPoints.front()));
            x = arith::ShLIOp::create(b, bl, x, c(QAddOp::kLeftShift));
            x = multiply(x, fp[i]);
            sum = sum ? arith::AddIOp::create(b, bl, sum, x).getResult() : x;
          }
          Value y = multiply(sum, fp[2]);
          y = arith::AddIOp::create(b, bl, y, c(l[2].zeroPoints.front()));
          y = clampInt(b, bl, y, range.min, range.max);
          linalg::YieldOp::create(b, bl,
                                  toStorage(b, bl, y, l[2].storageWidth));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// A 1-D constant of `type` from one value per column, or from a single
/// value for all columns: DenseElementsAttr makes a splat of a single value,
/// so nothing is allocated per column. Integers wrap to the storage width
/// like the run-time arithmetic.
template <typename Stored, typename T>
static DenseElementsAttr columnConstant(RankedTensorType type,
                                        ArrayRef<T> values) {
  SmallVector<Stored> stored;
  stored.reserve(values.size());
  for (T v : values)
    stored.push_back(static_cast<Stored>(v));
  return DenseElementsAttr::get(type, ArrayRef<Stored>(stored));
}

/// Sums a stored tensor over `dim`, widened to i32; the other dimensions
/// stay, in order.
static Value reduceToI32(OpBuilder &b, Location loc, Value t, int dim,
                         bool isSigned) {
  MLIRContext *ctx = b.getContext();
  Type i32 = b.getI32Type();
  int rank = cast<RankedTensorType>(t.getType()).getRank();
  SmallVector<OpFoldResult> sizes;
  for (int i = 0; i < rank; ++i)
    if (i != dim)
      sizes.push_back(tensor::getMixedSize(b, loc, t, i));
  Value empty = tensor::EmptyOp::create(b, loc, sizes, i32);
  Value init = linalg::FillOp::create(b, loc, intConst(b, loc, i32, 0), empty)
                   .getResult(0);
  AffineMap in = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap out = in.dropResult(dim);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters[dim] = utils::IteratorType::reduction;
  auto sum = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{t}, ValueRange{init},
      ArrayRef<AffineMap>{in, out}, iters,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = fromStorage(nb, nl, args[0], isSigned, i32);
        linalg::YieldOp::create(
            nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[1], x)});
      });
  return sum.getResult(0);
}

/// The column sums of a constant K x N weight as its stored integers, in
/// 64 bits: one value (k times the element) for a splat, else one per
/// column.
static SmallVector<int64_t> constantColumnSums(DenseElementsAttr weight,
                                               bool isSigned) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  auto stored = [&](const APInt &v) {
    return isSigned ? v.getSExtValue() : static_cast<int64_t>(v.getZExtValue());
  };
  if (weight.isSplat())
    return {k * stored(weight.getSplatValue<APInt>())};
  SmallVector<int64_t> sums(n, 0);
  auto values = weight.getValues<APInt>();
  for (int64_t r = 0; r < k; ++r)
    for (int64_t j = 0; j < n; ++j)
      sums[j] += stored(values[r * n + j]);
  return sums;
}

/// slim.qmatmul: a widening integer contraction, then one elementwise
/// epilogue adding the bias and the zero-point terms:
///   acc = sum a*b + bias[n] + K*Za*Zb[n] - Za*colsum(b)[n] -
///   Zb[n]*rowsum(a)[m]
/// (per batch for the batched form). Terms that depend on constants only are
/// computed here, in 64-bit integers and wrapped to int32 like the run-time
/// arithmetic.
struct LowerQMatmul : OpConversionPattern<QMatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType lhsType = op.getLhs().getType();
    RankedTensorType rhsType = op.getRhs().getType();
    FailureOr<QuantLayout> lhs = QuantLayout::tryGet(lhsType);
    FailureOr<QuantLayout> rhs = QuantLayout::tryGet(rhsType);
    if (failed(lhs) || failed(rhs))
      return rewriter.notifyMatchFailure(op, "invalid quantized type");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type i32 = rewriter.getI32Type();
    Value a = adaptor.getLhs(), b = adaptor.getRhs();
    // Batched: a leading batch dimension on both operands and the result.
    const int rank = lhsType.getRank(), o = rank - 2;
    int64_t k = lhsType.isDynamicDim(o + 1) ? rhsType.getDimSize(o)
                                            : lhsType.getDimSize(o + 1);
    int64_t n = rhsType.getDimSize(o + 1);
    if (ShapedType::isDynamic(n))
      return rewriter.notifyMatchFailure(op, "dynamic N");
    int64_t za = lhs->zeroPoints.front();
    // One zero point per column, or one for all (never expanded to n: a
    // per-tensor weight may have any number of columns).
    ArrayRef<int64_t> zb = rhs->zeroPoints;
    bool anyZb = llvm::any_of(zb, [](int64_t z) { return z != 0; });

    // Loops (batch, m, n, k); operand maps over them.
    SmallVector<AffineExpr> d;
    for (int i = 0; i < rank + 1; ++i)
      d.push_back(getAffineDimExpr(i, ctx));
    auto over = [&](std::initializer_list<int> dims) {
      SmallVector<AffineExpr> exprs;
      if (o)
        exprs.push_back(d[0]);
      for (int i : dims)
        exprs.push_back(d[o + i]);
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<OpFoldResult> sizes;
    if (o)
      sizes.push_back(tensor::getMixedSize(rewriter, loc, a, 0));
    sizes.push_back(tensor::getMixedSize(rewriter, loc, a, o));
    sizes.push_back(rewriter.getIndexAttr(n));
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, i32);
    Value zero = intConst(rewriter, loc, i32, 0);
    Value init =
        linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
    SmallVector<utils::IteratorType> iters(rank + 1,
                                           utils::IteratorType::parallel);
    iters.back() = utils::IteratorType::reduction;
    // The raw product sum, widened per operand signedness.
    auto product = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{a, b}, ValueRange{init},
        ArrayRef<AffineMap>{over({0, 2}), over({2, 1}), over({0, 1})}, iters,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value x = fromStorage(nb, nl, args[0], lhs->isSigned, i32);
          Value y = fromStorage(nb, nl, args[1], rhs->isSigned, i32);
          Value p = arith::MulIOp::create(nb, nl, x, y);
          linalg::YieldOp::create(
              nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[2], p)});
        });
    Value acc = product.getResult(0);

    // Per-column constant correction: one value for all columns when the
    // weight is per tensor and its column sums are equal or not folded.
    DenseElementsAttr rhsConst;
    bool foldColsum = za != 0 && !o && matchPattern(b, m_Constant(&rhsConst));
    bool uniform = zb.size() == 1 && (!foldColsum || rhsConst.isSplat());
    int64_t columns = uniform ? 1 : n;
    SmallVector<int64_t> corr(columns, 0);
    for (int64_t j = 0; j < columns; ++j)
      corr[j] = k * za * zb[zb.size() == 1 ? 0 : j];
    Value colsum;
    if (foldColsum) {
      SmallVector<int64_t> sums = constantColumnSums(rhsConst, rhs->isSigned);
      for (int64_t j = 0; j < columns; ++j)
        corr[j] -= za * sums[sums.size() == 1 ? 0 : j];
    } else if (za != 0) {
      colsum = reduceToI32(rewriter, loc, b, /*dim=*/o, rhs->isSigned);
    }
    Value rowsum;
    if (anyZb)
      rowsum = reduceToI32(rewriter, loc, a, /*dim=*/o + 1, lhs->isSigned);

    auto columnType = RankedTensorType::get({n}, i32);
    Value corrTensor =
        arith::ConstantOp::create(
        rewriter, loc, columnConstant<int32_t>(columnType, ArrayRef(corr)));
    Value zbTensor =
        arith::ConstantOp::create(rewriter, loc,
                                  columnConstant<int32_t>(columnType, zb));

    // Epilogue loops (batch, m, n).
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap col = AffineMap::get(rank, 0, {d[o + 1]}, ctx);
    AffineMap batchCol = id.dropResult(o);     // (batch, n) or (n)
    AffineMap batchRow = id.dropResult(o + 1); // (batch, m) or (m)
    SmallVector<Value> inputs{acc, corrTensor};
    SmallVector<AffineMap> epilogueMaps{id, col};
    int biasIdx = -1, colIdx = -1, rowIdx = -1;
    if (Value bias = adaptor.getBias()) {
      biasIdx = inputs.size();
      inputs.push_back(bias);
      epilogueMaps.push_back(col);
    }
    if (colsum) {
      colIdx = inputs.size();
      inputs.push_back(colsum);
      epilogueMaps.push_back(batchCol);
    }
    if (rowsum) {
      rowIdx = inputs.size();
      inputs.push_back(rowsum);
      epilogueMaps.push_back(batchRow);
      inputs.push_back(zbTensor);
      epilogueMaps.push_back(col);
    }
    epilogueMaps.push_back(id);
    Value out = tensor::EmptyOp::create(rewriter, loc, sizes, i32);
    auto epilogue = linalg::GenericOp::create(
        rewriter, loc, out.getType(), inputs, ValueRange{out}, epilogueMaps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = arith::AddIOp::create(nb, nl, args[0], args[1]);
          if (biasIdx >= 0)
            v = arith::AddIOp::create(nb, nl, v, args[biasIdx]);
          if (colIdx >= 0)
            v = arith::SubIOp::create(
                nb, nl, v,
                arith::MulIOp::create(nb, nl, args[colIdx],
                                      intConst(nb, nl, i32, za)));
          if (rowIdx >= 0)
            v = arith::SubIOp::create(
                nb, nl, v,
                arith::MulIOp::create(nb, nl, args[rowIdx], args[rowIdx + 1]));
          linalg::YieldOp::create(nb, nl, v);
        });
    rewriter.replaceOp(op, epilogue.getResult(0));
    return success();
  }

};

/// slim.qconv2d: pad the stored input with its zero point, then one
/// integer contraction over the taps ((c, kh, kw), or (kh, kw) depthwise)
/// of zero-point-corrected products, accumulated onto the broadcast bias;
/// the maps follow the op's layout (NCHW or NHWC).
struct LowerQConv2D : OpConversionPattern<QConv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType fType = op.getFilter().getType();
    RankedTensorType outType = op.getResult().getType();
    FailureOr<QuantLayout> x = QuantLayout::tryGet(op.getInput().getType());
    FailureOr<QuantLayout> f = QuantLayout::tryGet(fType);
    if (failed(x) || failed(f))
      return rewriter.notifyMatchFailure(op, "invalid quantized type");
    int64_t ch = op.getChannelDim(), sd = op.getSpatialDim();
    if (outType.isDynamicDim(ch) || outType.isDynamicDim(sd) ||
        outType.isDynamicDim(sd + 1))
      return rewriter.notifyMatchFailure(op, "dynamic output dimensions");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type i32 = rewriter.getI32Type();
    int64_t zx = x->zeroPoints.front();
    Value input = adaptor.getInput();

    ArrayRef<int64_t> pad = op.getPadding();
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      auto storage = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> padded(storage.getShape());
      SmallVector<OpFoldResult> low(4, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> high(4, rewriter.getIndexAttr(0));
      for (int d = 0; d < 2; ++d) {
        if (!ShapedType::isDynamic(padded[sd + d]))
          padded[sd + d] += pad[d] + pad[2 + d];
        low[sd + d] = rewriter.getIndexAttr(pad[d]);
        high[sd + d] = rewriter.getIndexAttr(pad[2 + d]);
      }
      Value padValue = intConst(rewriter, loc, storage.getElementType(), zx);
      input = tensor::PadOp::create(rewriter, loc, storage.clone(padded), input,
                                    low, high, padValue);
    }

    // The accumulator starts at the bias (or zero), broadcast over the
    // batch and the pixels.
    int64_t filters = outType.getDimSize(ch);
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < 4; ++d)
      sizes.push_back(d == 0 ? tensor::getMixedSize(rewriter, loc,
                                                    adaptor.getInput(), 0)
                             : rewriter.getIndexAttr(outType.getDimSize(d)));
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, i32);
    AffineMap channelOf4 =
        AffineMap::get(4, 0, {getAffineDimExpr(ch, ctx)}, ctx);
    Value init;
    if (Value bias = adaptor.getBias()) {
      AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
      init = linalg::GenericOp::create(
                 rewriter, loc, empty.getType(), ValueRange{bias},
                 ValueRange{empty}, ArrayRef<AffineMap>{channelOf4, id4},
                 SmallVector<utils::IteratorType>(
                     4, utils::IteratorType::parallel),
                 [](OpBuilder &nb, Location nl, ValueRange args) {
                   linalg::YieldOp::create(nb, nl, ValueRange{args[0]});
                 })
                 .getResult(0);
    } else {
      init = linalg::FillOp::create(rewriter, loc,
                                    intConst(rewriter, loc, i32, 0), empty)
                 .getResult(0);
    }

    Value zfTensor = arith::ConstantOp::create(
        rewriter, loc,
        columnConstant<int32_t>(RankedTensorType::get({filters}, i32),
                                ArrayRef(f->zeroPoints)));

    bool depthwise = op.getDepthwise(), nhwc = op.getNhwc();
    Value zxValue = intConst(rewriter, loc, i32, zx);
    // a * b of the operands' stored values less their zero points, added to
    // the accumulator: the body of every form.
    auto body = [&](OpBuilder &nb, Location nl, ValueRange args) {
      Value a = fromStorage(nb, nl, args[0], x->isSigned, i32);
      a = arith::SubIOp::create(nb, nl, a, zxValue);
      Value b = fromStorage(nb, nl, args[1], f->isSigned, i32);
      b = arith::SubIOp::create(nb, nl, b, args[2]);
      Value p = arith::MulIOp::create(nb, nl, a, b);
      linalg::YieldOp::create(
          nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[3], p)});
    };
    if (int64_t groups = op.getGroups(); groups > 1) {
      rewriter.replaceOp(op, lowerGrouped(rewriter, op, input,
                                          adaptor.getFilter(), zfTensor, init,
                                          groups, body));
      return success();
    }

    // Loops: the result's 4 dimensions in its layout, then the reduction
    // (c, kh, kw), or (kh, kw) depthwise.
    unsigned loops = depthwise ? 6 : 7;
    SmallVector<AffineExpr> d(loops);
    for (unsigned k = 0; k < loops; ++k)
      d[k] = getAffineDimExpr(k, ctx);
    AffineExpr fo = d[ch], kh = d[loops - 2], kw = d[loops - 1];
    AffineExpr cIn = depthwise ? fo : d[4];
    ArrayRef<int64_t> s = op.getStrides(), dil = op.getDilations();
    AffineExpr row = d[sd] * s[0] + kh * dil[0];
    AffineExpr col = d[sd + 1] * s[1] + kw * dil[1];
    SmallVector<AffineExpr> xIdx =
        nhwc ? SmallVector<AffineExpr>{d[0], row, col, cIn}
             : SmallVector<AffineExpr>{d[0], cIn, row, col};
    SmallVector<AffineExpr> wIdx;
    if (depthwise)
      wIdx = nhwc ? SmallVector<AffineExpr>{kh, kw, fo}
                  : SmallVector<AffineExpr>{fo, kh, kw};
    else
      wIdx = nhwc ? SmallVector<AffineExpr>{kh, kw, cIn, fo}
                  : SmallVector<AffineExpr>{fo, cIn, kh, kw};
    SmallVector<AffineMap> maps{
        AffineMap::get(loops, 0, xIdx, ctx),
        AffineMap::get(loops, 0, wIdx, ctx),
        AffineMap::get(loops, 0, {fo}, ctx),
        AffineMap::get(loops, 0, {d[0], d[1], d[2], d[3]}, ctx)};
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    iters.append(loops - 4, utils::IteratorType::reduction);
    auto conv = linalg::GenericOp::create(
        rewriter, loc, init.getType(),
        ValueRange{input, adaptor.getFilter(), zfTensor}, ValueRange{init},
        maps, iters, body);
    rewriter.replaceOp(op, conv.getResult(0));
    return success();
  }

private:
  /// The grouped form: the channel dimensions of the (padded) input, the
  /// filter's output channels, the zero points and the accumulator split
  /// into (group, channel in group) by tensor.expand_shape, one contraction
  /// over (result dims with the group, c, kh, kw) as linalg's
  /// conv_2d_ngchw_gfchw writes it, and the result collapsed back.
  static Value lowerGrouped(
      ConversionPatternRewriter &rewriter, QConv2DOp op, Value input,
      Value filter, Value zf, Value init, int64_t groups,
      function_ref<void(OpBuilder &, Location, ValueRange)> body) {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    bool nhwc = op.getNhwc();
    int64_t ch = op.getChannelDim(), fch = op.getFilterChannelDim();
    // Splits dimension `dim` of `v` into (groups, size / groups).
    auto split = [&](Value v, int64_t dim) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape;
      SmallVector<ReassociationIndices> assoc;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        int64_t at = static_cast<int64_t>(shape.size());
        if (d == dim) {
          shape.append({groups, type.getDimSize(d) / groups});
          assoc.push_back({at, at + 1});
        } else {
          shape.push_back(type.getDimSize(d));
          assoc.push_back({at});
        }
      }
      return tensor::ExpandShapeOp::create(rewriter, loc, type.clone(shape), v,
                                           assoc);
    };
    Value x5 = split(input, ch), w5 = split(filter, fch), z2 = split(zf, 0);
    Value acc5 = split(init, ch);
    // Loops: the result's five dimensions in its layout (with g, fg for
    // the channel), then c (in the group), kh, kw.
    SmallVector<AffineExpr> d;
    for (unsigned k = 0; k < 8; ++k)
      d.push_back(getAffineDimExpr(k, ctx));
    AffineExpr g = d[ch], fg = d[ch + 1], c = d[5], kh = d[6], kw = d[7];
    int64_t sd = nhwc ? 1 : 3; // the first spatial loop
    ArrayRef<int64_t> s = op.getStrides(), dil = op.getDilations();
    AffineExpr row = d[sd] * s[0] + kh * dil[0];
    AffineExpr col = d[sd + 1] * s[1] + kw * dil[1];
    SmallVector<AffineExpr> xIdx =
        nhwc ? SmallVector<AffineExpr>{d[0], row, col, g, c}
             : SmallVector<AffineExpr>{d[0], g, c, row, col};
    SmallVector<AffineExpr> wIdx =
        nhwc ? SmallVector<AffineExpr>{kh, kw, c, g, fg}
             : SmallVector<AffineExpr>{g, fg, c, kh, kw};
    SmallVector<AffineMap> maps{
        AffineMap::get(8, 0, xIdx, ctx), AffineMap::get(8, 0, wIdx, ctx),
        AffineMap::get(8, 0, {g, fg}, ctx),
        AffineMap::get(8, 0, {d[0], d[1], d[2], d[3], d[4]}, ctx)};
    SmallVector<utils::IteratorType> iters(5, utils::IteratorType::parallel);
    iters.append(3, utils::IteratorType::reduction);
    Value conv = linalg::GenericOp::create(rewriter, loc, acc5.getType(),
                                           ValueRange{x5, w5, z2},
                                           ValueRange{acc5}, maps, iters, body)
                     .getResult(0);
    SmallVector<ReassociationIndices> assoc;
    for (int64_t k = 0; k < 4; ++k)
      assoc.push_back(k == ch ? ReassociationIndices{k, k + 1}
                              : ReassociationIndices{k < ch ? k : k + 1});
    return tensor::CollapseShapeOp::create(rewriter, loc, init.getType(), conv,
                                           assoc);
  }
};

/// slim.dynamic_qmatmul: the activation's range (a reduction to one value,
/// or one per row), its u8 parameters (an elementwise generic over the same
/// shape), the quantized activation minus its zero point, the integer
/// contraction, and the float scaling, as the op states.
struct LowerDynamicQMatmul : OpConversionPattern<DynamicQMatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicQMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType rhsType = op.getRhs().getType();
    FailureOr<QuantLayout> w = QuantLayout::tryGet(rhsType);
    if (failed(w))
      return rewriter.notifyMatchFailure(op, "invalid quantized type");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
    Value x = adaptor.getLhs(), b = adaptor.getRhs();
    int64_t n = rhsType.getDimSize(1);
    auto par = utils::IteratorType::parallel;
    auto red = utils::IteratorType::reduction;
    SmallVector<OpFoldResult> xSizes = tensor::getMixedSizes(rewriter, loc, x);

    // The parameters' shape: [] per tensor, [M] per row; `rows` maps the
    // (m, .) loops of 2-D generics onto it.
    bool perRow = op.getPerRow();
    SmallVector<OpFoldResult> paramSizes;
    if (perRow)
      paramSizes.push_back(xSizes[0]);
    AffineMap rows = perRow
                         ? AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx)
                         : AffineMap::get(2, 0, {}, ctx);
    AffineMap paramId =
        AffineMap::getMultiDimIdentityMap(paramSizes.size(), ctx);
    SmallVector<utils::IteratorType> paramLoops(paramSizes.size(), par);
    auto filled = [&](Type type, Value v) {
      Value e = tensor::EmptyOp::create(rewriter, loc, paramSizes, type);
      return linalg::FillOp::create(rewriter, loc, v, e).getResult(0);
    };

    // Range of x (per row), NaN ignored.
    AffineMap id2 = AffineMap::getMultiDimIdentityMap(2, ctx);
    Value inf = floatConst(rewriter, loc, f32, INFINITY);
    Value negInf = floatConst(rewriter, loc, f32, -INFINITY);
    Value loInit = filled(f32, inf), hiInit = filled(f32, negInf);
    auto range = linalg::GenericOp::create(
        rewriter, loc, TypeRange{loInit.getType(), hiInit.getType()},
        ValueRange{x}, ValueRange{loInit, hiInit},
        ArrayRef<AffineMap>{id2, rows, rows}, {perRow ? par : red, red},
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value lo = arith::MinNumFOp::create(nb, nl, args[0], args[1]);
          Value hi = arith::MaxNumFOp::create(nb, nl, args[0], args[2]);
          linalg::YieldOp::create(nb, nl, ValueRange{lo, hi});
        });

    // u8 parameters from the range widened to include 0.
    Value scaleInit = tensor::EmptyOp::create(rewriter, loc, paramSizes, f32);
    Value zpInit = tensor::EmptyOp::create(rewriter, loc, paramSizes, i32);
    auto params = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scaleInit.getType(), zpInit.getType()},
        ValueRange{range.getResult(0), range.getResult(1)},
        ValueRange{scaleInit, zpInit},
        ArrayRef<AffineMap>{paramId, paramId, paramId, paramId}, paramLoops,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value zero = floatConst(nb, nl, f32, 0.0);
          Value rmin = arith::MinNumFOp::create(nb, nl, args[0], zero);
          Value rmax = arith::MaxNumFOp::create(nb, nl, args[1], zero);
          Value scale = arith::DivFOp::create(
              nb, nl, arith::SubFOp::create(nb, nl, rmax, rmin),
              floatConst(nb, nl, f32, 255.0));
          Value isZero = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OEQ, scale, zero);
          scale = arith::SelectOp::create(nb, nl, isZero,
                                          floatConst(nb, nl, f32, 1.0), scale);
          Value zp = math::RoundEvenOp::create(
              nb, nl,
              arith::SubFOp::create(
                  nb, nl, zero, arith::DivFOp::create(nb, nl, rmin, scale)));
          zp = arith::MinimumFOp::create(
              nb, nl, arith::MaximumFOp::create(nb, nl, zp, zero),
              floatConst(nb, nl, f32, 255.0));
          linalg::YieldOp::create(
              nb, nl,
              ValueRange{scale, arith::FPToSIOp::create(nb, nl, i32, zp)});
        });
    Value scales = params.getResult(0), zps = params.getResult(1);

    // q, stored as u8 (in i8).
    QuantLayout u8;
    u8.range = {0, 255};
    u8.storageWidth = 8;
    u8.isSigned = false;
    Value qInit =
        tensor::EmptyOp::create(rewriter, loc, xSizes, rewriter.getI8Type());
    auto q = linalg::GenericOp::create(
        rewriter, loc, qInit.getType(), ValueRange{x, scales, zps},
        ValueRange{qInit}, ArrayRef<AffineMap>{id2, rows, rows, id2},
        {par, par}, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = emitQuantize(nb, nl, args[0], args[1], args[2], u8,
                                 RoundingMode::HalfToEven);
          linalg::YieldOp::create(nb, nl, ValueRange{v});
        });

    // The raw sums of q * w, a plain widening contraction (what
    // slim-pack-contractions runs on a micro-kernel when w is constant):
    //   sum_k (q - Z)(w - Zw) = sum_k q w - Z colsum(w)[n]
    //                           - Zw[n] rowsum(q)[m] + K Z Zw[n]
    SmallVector<OpFoldResult> outSizes{xSizes[0], rewriter.getIndexAttr(n)};
    Value accInit =
        linalg::FillOp::create(
            rewriter, loc, intConst(rewriter, loc, i32, 0),
            tensor::EmptyOp::create(rewriter, loc, outSizes, i32).getResult())
            .getResult(0);
    AffineExpr dm, dn, dk;
    bindDims(ctx, dm, dn, dk);
    auto raw = linalg::GenericOp::create(
        rewriter, loc, accInit.getType(), ValueRange{q.getResult(0), b},
        ValueRange{accInit},
        ArrayRef<AffineMap>{AffineMap::get(3, 0, {dm, dk}, ctx),
                            AffineMap::get(3, 0, {dk, dn}, ctx),
                            AffineMap::get(3, 0, {dm, dn}, ctx)},
        {par, par, red}, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value qv = fromStorage(nb, nl, args[0], /*isSigned=*/false, i32);
          Value wv = fromStorage(nb, nl, args[1], w->isSigned, i32);
          Value p = arith::MulIOp::create(nb, nl, qv, wv);
          linalg::YieldOp::create(
              nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[2], p)});
        });

    // Column sums of w: constants when w is one, else summed at run time.
    auto columnType = RankedTensorType::get({n}, i32);
    Value colsum;
    DenseElementsAttr wConst;
    if (matchPattern(b, m_Constant(&wConst))) {
      SmallVector<int64_t> sums = constantColumnSums(wConst, w->isSigned);
      colsum = arith::ConstantOp::create(
          rewriter, loc, columnConstant<int32_t>(columnType, ArrayRef(sums)));
    } else {
      colsum = reduceToI32(rewriter, loc, b, /*dim=*/0, w->isSigned);
    }
    bool anyZw = llvm::any_of(w->zeroPoints, [](int64_t z) { return z != 0; });
    Value zwTensor = arith::ConstantOp::create(
        rewriter, loc,
        columnConstant<int32_t>(columnType, ArrayRef(w->zeroPoints)));
    Value swTensor = arith::ConstantOp::create(
        rewriter, loc,
        columnConstant<float>(RankedTensorType::get({n}, f32),
                              ArrayRef(w->scales)));

    // y = f32(acc) * f32(S * S_w[n]), acc the zero-point-corrected sum.
    Value yInit = tensor::EmptyOp::create(rewriter, loc, outSizes, f32);
    AffineMap col = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
    SmallVector<Value> inputs{raw.getResult(0), scales, swTensor, zps, colsum};
    SmallVector<AffineMap> maps{id2, rows, col, rows, col};
    if (anyZw) {
      inputs.append({reduceToI32(rewriter, loc, q.getResult(0), /*dim=*/1,
                                 /*isSigned=*/false),
                     zwTensor});
      maps.append({AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx), col});
    }
    maps.push_back(id2);
    // K for the K * Z * Zw[n] term: static from either operand, else the
    // activation's size at run time.
    Value kValue;
    if (anyZw) {
      int64_t k = rhsType.isDynamicDim(0)
                      ? op.getLhs().getType().getDimSize(1)
                      : rhsType.getDimSize(0);
      kValue = ShapedType::isDynamic(k)
                   ? arith::IndexCastOp::create(
                         rewriter, loc, i32,
                         tensor::DimOp::create(rewriter, loc, x, 1))
                         .getResult()
                   : intConst(rewriter, loc, i32, k);
    }
    auto y = linalg::GenericOp::create(
        rewriter, loc, yInit.getType(), inputs, ValueRange{yInit}, maps,
        {par, par}, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value z = args[3];
          Value acc = arith::SubIOp::create(
              nb, nl, args[0], arith::MulIOp::create(nb, nl, z, args[4]));
          if (anyZw) {
            Value zw = args[6];
            acc = arith::SubIOp::create(
                nb, nl, acc, arith::MulIOp::create(nb, nl, zw, args[5]));
            acc = arith::AddIOp::create(
                nb, nl, acc,
                arith::MulIOp::create(nb, nl, kValue,
                                      arith::MulIOp::create(nb, nl, z, zw)));
          }
          Value s = arith::MulFOp::create(nb, nl, args[1], args[2]);
          Value f = arith::SIToFPOp::create(nb, nl, f32, acc);
          linalg::YieldOp::create(
              nb, nl, ValueRange{arith::MulFOp::create(nb, nl, f, s)});
        });
    rewriter.replaceOp(op, y.getResult(0));
    return success();
  }
};

/// slim.unpack: one elementwise generic over the result, reading byte
/// j floordiv 2 of its row and keeping nibble j mod 2.
struct LowerUnpack : OpConversionPattern<UnpackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(UnpackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getResult().getType();
    int64_t rank = type.getRank();
    Value packed = adaptor.getPacked();
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d + 1 < rank; ++d)
      sizes.push_back(tensor::getMixedSize(rewriter, loc, packed, d));
    sizes.push_back(rewriter.getIndexAttr(type.getDimSize(rank - 1)));
    Value out =
        tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
    SmallVector<AffineExpr> byteExprs;
    for (int64_t d = 0; d < rank; ++d)
      byteExprs.push_back(getAffineDimExpr(d, ctx));
    byteExprs.back() = byteExprs.back().floorDiv(2);
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, byteExprs, ctx),
                                AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, out.getType(), ValueRange{packed}, ValueRange{out}, maps,
        iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Type i8 = nb.getI8Type();
          Value j = linalg::IndexOp::create(nb, nl, rank - 1);
          Value odd = arith::RemUIOp::create(
              nb, nl, j, arith::ConstantIndexOp::create(nb, nl, 2));
          Value shift = arith::MulIOp::create(
              nb, nl, arith::IndexCastUIOp::create(nb, nl, i8, odd),
              intConst(nb, nl, i8, 4));
          Value nibble = arith::ShRUIOp::create(nb, nl, args[0], shift);
          linalg::YieldOp::create(nb, nl,
                                  ValueRange{arith::TruncIOp::create(
                                      nb, nl, args[1].getType(), nibble)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// tensor.cast (slim-run's shape specialization, or canonicalization, makes
/// them) and tensor.concat (slim-fuse-quantized's concatenation of pieces
/// requantized to one type) of quantized tensors: the same op on the stored
/// tensors.
template <typename OpTy>
struct ConvertToStorage : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = this->getTypeConverter()->convertType(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unconvertible type");
    OperationState state(op.getLoc(), op->getName(), adaptor.getOperands(),
                         {type}, op->getAttrs());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

/// quant.scast between a storage type and a quantized type is a no-op once
/// the quantized type is its storage type.
struct EraseStorageCast : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type target = getTypeConverter()->convertType(op.getResult().getType());
    if (target != adaptor.getInput().getType())
      return rewriter.notifyMatchFailure(op, "not a storage reinterpretation");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void mlir::slim::populateSlimToLinalgPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<LowerQuantize, LowerDequantize, LowerFakeQuant, LowerRequantize,
               LowerQAdd, LowerQMatmul, LowerDynamicQMatmul, LowerQConv2D,
               LowerUnpack, ConvertToStorage<tensor::CastOp>,
               ConvertToStorage<tensor::ConcatOp>, EraseStorageCast>(
      converter, patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

/// Whether `t` is or contains a quantized element type.
static bool hasQuantType(Type t) {
  if (auto shaped = dyn_cast<ShapedType>(t))
    t = shaped.getElementType();
  if (auto fn = dyn_cast<FunctionType>(t))
    return llvm::any_of(fn.getInputs(), hasQuantType) ||
           llvm::any_of(fn.getResults(), hasQuantType);
  return isa<quant::QuantizedType>(t);
}

/// Ops whose quantized types this pass knows how to strip.
static bool isHandled(Operation *op) {
  return isa<QuantizeOp, DequantizeOp, RequantizeOp, FakeQuantOp, QAddOp,
             QMatmulOp, DynamicQMatmulOp, QConv2DOp, quant::StorageCastOp,
             tensor::CastOp, tensor::ConcatOp, func::FuncOp, func::CallOp,
             func::ReturnOp>(op);
}

namespace {
struct SlimLowerQuantPass
    : mlir::slim::impl::SlimLowerQuantPassBase<SlimLowerQuantPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Refuse before changing anything: an op that carries quantized types
    // but that the pass does not understand would be left half-converted.
    WalkResult refused = module.walk<WalkOrder::PreOrder>([](Operation *op) {
      if (isHandled(op))
        return WalkResult::advance();
      bool quantized = llvm::any_of(op->getOperandTypes(), hasQuantType) ||
                       llvm::any_of(op->getResultTypes(), hasQuantType);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          quantized |= llvm::any_of(block.getArgumentTypes(), hasQuantType);
      if (!quantized)
        return WalkResult::advance();
      op->emitOpError("carries quantized types that slim-lower-quant cannot "
                      "strip; only slim ops, quant.scast, tensor.cast, "
                      "tensor.concat and func signatures, calls and returns "
                      "are lowered");
      return WalkResult::interrupt();
    });
    if (refused.wasInterrupted())
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    QuantStorageTypeConverter converter;
    RewritePatternSet patterns(ctx);
    populateSlimToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<SlimDialect, quant::QuantDialect>();
    // The runtime kernels' ops: a contraction packed ahead of time
    // (slim-pack-contractions, already integer) or attention (f32) is code
    // generation's to lower.
    target.addLegalOp<PackedMatmulOp, ActivationMatmulOp, DynamicPackedMatmulOp,
                      DequantMatmulOp, PackedConv2DOp, SignMatmulOp,
                      AttentionOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });
    if (failed(applyFullConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
