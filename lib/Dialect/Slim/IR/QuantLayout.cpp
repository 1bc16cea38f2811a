//===- QuantLayout.cpp - Quantization parameters of a tensor --------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Dialect/Slim/IR/QuantLayout.h"

#include "mlir/IR/BuiltinTypes.h"
#include <cmath>

using namespace mlir;
using namespace mlir::slim;

SmallVector<int64_t> QuantLayout::paramShape() const {
  SmallVector<int64_t> shape;
  for (const QuantParamDim &d : paramDims)
    shape.push_back(d.extent);
  return shape;
}

bool QuantLayout::hasUniformZeroPoint() const {
  return llvm::all_equal(zeroPoints);
}

int64_t QuantLayout::paramIndexOf(ArrayRef<int64_t> index) const {
  int64_t linear = 0;
  for (const QuantParamDim &d : paramDims) {
    int64_t i = d.tensorDim < 0 ? 0 : index[d.tensorDim] / d.blockSize;
    linear = linear * d.extent + i;
  }
  return linear;
}

AffineMap QuantLayout::getParamMapFor(ArrayRef<QuantParamDim> dims,
                                      MLIRContext *ctx, unsigned rank) {
  SmallVector<AffineExpr> results;
  for (const QuantParamDim &d : dims) {
    if (d.tensorDim < 0) {
      results.push_back(getAffineConstantExpr(0, ctx));
      continue;
    }
    AffineExpr e = getAffineDimExpr(d.tensorDim, ctx);
    results.push_back(d.blockSize == 1 ? e : e.floorDiv(d.blockSize));
  }
  return AffineMap::get(rank, /*symbolCount=*/0, results, ctx);
}

IntegerType mlir::slim::getSignlessStorageType(quant::QuantizedType type) {
  return IntegerType::get(type.getContext(),
                          type.getStorageTypeIntegralWidth());
}

/// Checks one scale and zero point against the storage range.
static LogicalResult checkParams(double scale, int64_t zeroPoint,
                                 const ::slim::numerics::IntRange &range,
                                 function_ref<InFlightDiagnostic()> emitError) {
  float s = static_cast<float>(scale);
  if (!(s > 0.0f) || !std::isfinite(s))
    return emitError() << "scale " << scale
                       << " must be positive and finite in float32";
  if (!range.contains(zeroPoint))
    return emitError() << "zero point " << zeroPoint
                       << " is outside the storage range [" << range.min << ", "
                       << range.max << "]";
  return success();
}

FailureOr<QuantLayout>
QuantLayout::get(Type elementType, ArrayRef<int64_t> shape,
                 function_ref<InFlightDiagnostic()> emitError) {
  auto qtype = dyn_cast<quant::QuantizedType>(elementType);
  if (!qtype ||
      !isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
           quant::UniformQuantizedSubChannelType>(qtype)) {
    emitError() << "expected a !quant.uniform type (per-tensor, per-axis or "
                   "sub-channel), got "
                << elementType;
    return failure();
  }
  QuantLayout layout;
  layout.type = qtype;
  layout.storageWidth = qtype.getStorageTypeIntegralWidth();
  layout.isSigned = qtype.isSigned();
  if (layout.storageWidth < 2 || layout.storageWidth > 32) {
    emitError() << "storage type of " << elementType
                << " must be 2 to 32 bits wide";
    return failure();
  }
  Type expressed = qtype.getExpressedType();
  if (!expressed.isF32() && !expressed.isF16() && !expressed.isBF16()) {
    emitError() << "expressed type of " << elementType
                << " must be f32, f16 or bf16";
    return failure();
  }
  layout.range = {qtype.getStorageTypeMin(), qtype.getStorageTypeMax()};
  int64_t rank = static_cast<int64_t>(shape.size());

  if (auto t = dyn_cast<quant::UniformQuantizedType>(qtype)) {
    layout.scales.push_back(t.getScale());
    layout.zeroPoints.push_back(t.getZeroPoint());
  } else if (auto t = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype)) {
    int64_t axis = t.getQuantizedDimension();
    if (axis < 0 || axis >= rank) {
      emitError() << "quantized axis " << axis
                  << " is out of range for a tensor of rank " << rank;
      return failure();
    }
    int64_t n = static_cast<int64_t>(t.getScales().size());
    if (ShapedType::isDynamic(shape[axis])) {
      emitError() << "quantized axis " << axis << " must have a static size";
      return failure();
    }
    if (shape[axis] != n) {
      emitError() << "quantized axis " << axis << " has size " << shape[axis]
                  << " but the type has " << n << " scales";
      return failure();
    }
    layout.scales.assign(t.getScales().begin(), t.getScales().end());
    layout.zeroPoints.assign(t.getZeroPoints().begin(),
                             t.getZeroPoints().end());
    layout.paramDims.push_back({axis, 1, n});
  } else {
    auto sub = cast<quant::UniformQuantizedSubChannelType>(qtype);
    // A dimension the type does not list is one block spanning it.
    SmallVector<int64_t> blocks(shape.begin(), shape.end());
    for (auto [dim, block] : sub.getBlockSizeInfo()) {
      if (dim < 0 || dim >= rank) {
        emitError() << "quantized axis " << dim
                    << " is out of range for a tensor of rank " << rank;
        return failure();
      }
      if (ShapedType::isDynamic(shape[dim])) {
        emitError() << "quantized axis " << dim << " must have a static size";
        return failure();
      }
      if (block <= 0 || shape[dim] % block != 0) {
        emitError() << "block size " << block << " does not divide dimension "
                    << dim << " of size " << shape[dim];
        return failure();
      }
      blocks[dim] = block;
    }
    ArrayRef<int64_t> scaleShape = sub.getScales().getType().getShape();
    if (static_cast<int64_t>(scaleShape.size()) != rank) {
      emitError() << "scales of " << elementType << " have rank "
                  << scaleShape.size() << " but the tensor has rank " << rank;
      return failure();
    }
    for (int64_t d = 0; d < rank; ++d) {
      // A dynamic or empty dimension the type does not list is one block.
      int64_t extent = ShapedType::isDynamic(shape[d]) || blocks[d] == 0
                           ? 1
                           : shape[d] / blocks[d];
      if (scaleShape[d] != extent) {
        emitError() << "scales of " << elementType << " have " << scaleShape[d]
                    << " blocks along dimension " << d << " but " << extent
                    << " are needed";
        return failure();
      }
      layout.paramDims.push_back(
          {extent == 1 ? -1 : d, extent == 1 ? 1 : blocks[d], extent});
    }
    for (APFloat v : sub.getScales().getValues<APFloat>())
      layout.scales.push_back(v.convertToDouble());
    for (APInt v : sub.getZeroPoints().getValues<APInt>())
      layout.zeroPoints.push_back(layout.isSigned ? v.getSExtValue()
                                                  : v.getZExtValue());
    // Drop size-1 parameter dimensions' bookkeeping only when all are 1:
    // a single block is per-tensor.
    if (layout.scales.size() == 1)
      layout.paramDims.clear();
  }

  for (auto [s, z] : llvm::zip_equal(layout.scales, layout.zeroPoints))
    if (failed(checkParams(s, z, layout.range, emitError)))
      return failure();
  return layout;
}

FailureOr<QuantLayout> QuantLayout::tryGet(Type elementType,
                                           ArrayRef<int64_t> shape) {
  return get(elementType, shape, [] { return InFlightDiagnostic(); });
}

static bool sameParamDims(ArrayRef<QuantParamDim> a,
                          ArrayRef<QuantParamDim> b) {
  return llvm::equal(a, b, [](const QuantParamDim &x, const QuantParamDim &y) {
    return x.tensorDim == y.tensorDim && x.blockSize == y.blockSize &&
           x.extent == y.extent;
  });
}

FailureOr<RequantLayout>
RequantLayout::get(const QuantLayout &in, const QuantLayout &out,
                   function_ref<InFlightDiagnostic()> emitError) {
  if (!in.isPerTensor() && !out.isPerTensor() &&
      !sameParamDims(in.paramDims, out.paramDims)) {
    emitError() << "input and result are quantized along different axes or "
                   "blocks; one of them must be per-tensor or both must "
                   "share the axis and block sizes";
    return failure();
  }
  RequantLayout r;
  r.in = in;
  r.out = out;
  r.paramDims = in.isPerTensor() ? out.paramDims : in.paramDims;
  int64_t n = std::max(in.numParams(), out.numParams());
  for (int64_t i = 0; i < n; ++i) {
    int64_t a = in.isPerTensor() ? 0 : i, b = out.isPerTensor() ? 0 : i;
    r.multipliers.push_back(in.scales[a] / out.scales[b]);
    r.zeroIn.push_back(in.zeroPoints[a]);
    r.zeroOut.push_back(out.zeroPoints[b]);
  }
  return r;
}

std::optional<StorageSpec> StorageSpec::parse(StringRef text, bool narrow) {
  StorageSpec spec;
  if (text.consume_front("i"))
    spec.isSigned = true;
  else if (!text.consume_front("u"))
    return std::nullopt;
  if (text.getAsInteger(10, spec.bits) || spec.bits < 2 || spec.bits > 32)
    return std::nullopt;
  spec.narrow = narrow;
  return spec;
}

static unsigned storageFlags(const StorageSpec &s) {
  return s.isSigned ? quant::QuantizationFlags::Signed : 0;
}

quant::UniformQuantizedType
mlir::slim::getUniformType(const StorageSpec &storage, Type expressed,
                           double scale, int64_t zeroPoint) {
  MLIRContext *ctx = expressed.getContext();
  ::slim::numerics::IntRange r = storage.range();
  return quant::UniformQuantizedType::get(
      storageFlags(storage), IntegerType::get(ctx, storage.bits), expressed,
      scale, zeroPoint, r.min, r.max);
}

quant::UniformQuantizedPerAxisType
mlir::slim::getUniformPerAxisType(const StorageSpec &storage, Type expressed,
                                  ArrayRef<double> scales,
                                  ArrayRef<int64_t> zeroPoints, int32_t axis) {
  MLIRContext *ctx = expressed.getContext();
  ::slim::numerics::IntRange r = storage.range();
  return quant::UniformQuantizedPerAxisType::get(
      storageFlags(storage), IntegerType::get(ctx, storage.bits), expressed,
      scales, zeroPoints, axis, r.min, r.max);
}

quant::UniformQuantizedSubChannelType mlir::slim::getUniformSubChannelType(
    const StorageSpec &storage, Type expressed, ArrayRef<double> scales,
    ArrayRef<int64_t> zeroPoints, ArrayRef<int64_t> paramShape,
    ArrayRef<std::pair<int64_t, int64_t>> blocks) {
  MLIRContext *ctx = expressed.getContext();
  ::slim::numerics::IntRange r = storage.range();
  auto storageType = IntegerType::get(ctx, storage.bits);
  const llvm::fltSemantics &sem =
      cast<FloatType>(expressed).getFloatSemantics();
  SmallVector<APFloat> scaleValues;
  for (double s : scales) {
    APFloat f(s);
    bool lost = false;
    f.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    scaleValues.push_back(f);
  }
  SmallVector<APInt> zeroValues;
  for (int64_t z : zeroPoints)
    zeroValues.push_back(APInt(storage.bits, static_cast<uint64_t>(z),
                               storage.isSigned, /*implicitTrunc=*/true));
  SmallVector<int32_t> dims;
  SmallVector<int64_t> sizes;
  for (auto [d, b] : blocks) {
    dims.push_back(static_cast<int32_t>(d));
    sizes.push_back(b);
  }
  return quant::UniformQuantizedSubChannelType::get(
      storageFlags(storage), storageType, expressed,
      DenseElementsAttr::get(RankedTensorType::get(paramShape, expressed),
                             scaleValues),
      DenseElementsAttr::get(RankedTensorType::get(paramShape, storageType),
                             zeroValues),
      dims, sizes, r.min, r.max);
}
