//===- QuantizeWeights.cpp - Quantize the constant weights of compute ops -===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Quantization/Passes.h"

#include "Embeddings.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"
#include "slim/Numerics/Budget.h"
#include "slim/Numerics/Calibration.h"
#include "slim/Numerics/Gptq.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMQUANTIZEWEIGHTSPASS
#include "slim/Quantization/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace num = ::slim::numerics;

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// Where the output channels and the reduction run in a compute op's weight.
struct WeightAxes {
  int64_t output = -1;
  int64_t reduction = -1; ///< -1: group quantization not supported
};

std::optional<WeightAxes> weightAxes(Operation *op) {
  if (auto mm = dyn_cast<linalg::MatmulOp>(op))
    return mm.hasUserDefinedMaps() ? std::nullopt
                                   : std::optional(WeightAxes{1, 0});
  if (auto bmm = dyn_cast<linalg::BatchMatmulOp>(op))
    return bmm.hasUserDefinedMaps() ? std::nullopt
                                    : std::optional(WeightAxes{2, 1});
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return WeightAxes{0, -1};
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return WeightAxes{3, -1};
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return WeightAxes{2, -1};
  if (isa<linalg::DepthwiseConv2DNchwChwOp>(op))
    return WeightAxes{0, -1};
  // A grouped G x F/G x C/G x KH x KW filter is quantized as the
  // F x C/G x KH x KW filter it is a view of (groupedView).
  if (isGroupedConv(op))
    return WeightAxes{0, -1};
  return std::nullopt;
}

/// The type a weight is quantized in: its own, or a grouped convolution's
/// G x F/G x ... filter as F x ... (the same values in the same order;
/// one parameter per filter is one per (group, filter)).
static RankedTensorType groupedView(Operation *op, RankedTensorType type) {
  if (!isGroupedConv(op))
    return type;
  ArrayRef<int64_t> s = type.getShape();
  return type.clone({s[0] * s[1], s[2], s[3], s[4]});
}

/// One weight to replace, fully computed before anything changes.
struct WeightPlan {
  Operation *op;
  unsigned operand;
  RankedTensorType floatType;
  Type quantType;
  DenseElementsAttr stored; ///< the integers; 4-bit ones packed two per byte
  std::string granularity;
  double sqnr;
  bool gptq = false;
  unsigned bits = 8;
  /// The relative output error the rounding costs, estimated from the
  /// float weight's error e and the input's Gram matrix H as
  /// sum_k H[k,k] |e[k,:]|^2 / sum_k H[k,k] |w[k,:]|^2 (without H: the
  /// relative weight error); computed for size-budget.
  double error = 0.0;
};

/// The bytes a quantized weight keeps: its integers, and an f32 scale
/// (and with zero points, one storage value) per parameter set.
static int64_t storedBytes(const WeightPlan &p) {
  auto type = cast<ShapedType>(p.stored.getType());
  int64_t bytes = type.getNumElements() * type.getElementTypeBitWidth() / 8;
  int64_t sets = 1;
  bool zeroPoints = false;
  if (auto perAxis =
          dyn_cast<quant::UniformQuantizedPerAxisType>(p.quantType)) {
    sets = perAxis.getScales().size();
    zeroPoints =
        llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z != 0; });
  } else if (auto sub =
                 dyn_cast<quant::UniformQuantizedSubChannelType>(p.quantType)) {
    sets = sub.getScales().getNumElements();
    zeroPoints = !sub.getZeroPoints().isSplat() ||
                 !sub.getZeroPoints().getSplatValue<APInt>().isZero();
  } else if (auto perTensor =
                 dyn_cast<quant::UniformQuantizedType>(p.quantType)) {
    zeroPoints = perTensor.getZeroPoint() != 0;
  }
  int64_t storageBytes =
      (cast<quant::QuantizedType>(p.quantType).getStorageTypeIntegralWidth() +
       7) /
      8;
  return bytes + sets * (4 + (zeroPoints ? storageBytes : 0));
}

struct SlimQuantizeWeightsPass
    : mlir::slim::impl::SlimQuantizeWeightsPassBase<SlimQuantizeWeightsPass> {
  using SlimQuantizeWeightsPassBase::SlimQuantizeWeightsPassBase;

  LogicalResult initialize(MLIRContext *ctx) override;
  void runOnOperation() override;

  /// Filled with each layer's weight when set.
  std::shared_ptr<LayerReport> layers;

private:
  /// The parameter layout of a weight: one pair, one per output channel, or
  /// one per group (`kind` becomes "channel" where groups do not apply).
  FailureOr<QuantLayout> layoutFor(Operation *op, const WeightAxes &axes,
                                   RankedTensorType type, StringRef &kind);
  /// The quantized element type of a weight with these parameters.
  Type quantTypeFor(StringRef kind, const QuantLayout &layout,
                    ArrayRef<double> scales, ArrayRef<int64_t> zeroPoints,
                    const WeightAxes &axes, Type expressed) const;
  /// plan() for a splat weight, without expanding it: one range, one
  /// integer, a splat (or row-patterned int4) storage constant.
  FailureOr<WeightPlan> planSplat(Operation *op, const WeightAxes &axes,
                                  float value, RankedTensorType type);
  FailureOr<WeightPlan> plan(Operation *op, const WeightAxes &axes,
                             const std::vector<float> &values,
                             RankedTensorType type,
                             const ::slim::calibration::Gram *gram);
  /// The Gram matrix of `op`'s input, when it is a 2-D matmul reading an
  /// observed activation that `hessians=` has; null otherwise (with a
  /// warning if hessians= was given), failure when its size is wrong.
  FailureOr<const ::slim::calibration::Gram *> gramFor(Operation *op);
  /// The plan from chosen parameters and integers: storage (packed at 4
  /// bits), quantized type, SQNR.
  FailureOr<WeightPlan>
  finishPlan(Operation *op, const std::vector<float> &values,
             RankedTensorType type, StringRef kind, const QuantLayout &layout,
             ArrayRef<double> scales, ArrayRef<int64_t> zeroPoints,
             ArrayRef<int64_t> params, ArrayRef<int64_t> quantized,
             const WeightAxes &axes);

  /// size-budget: replaces by their 8-bit alternatives the plans whose
  /// 4 bits cost the most error per byte saved, as long as the bytes stay
  /// within the budget (numerics::allocateSaving); an error when even all
  /// at 4 bits do not fit.
  LogicalResult
  spendSizeBudget(ModuleOp module, SmallVectorImpl<WeightPlan> &plans,
                  llvm::DenseMap<size_t, WeightPlan> &alternatives,
                  SmallVectorImpl<EmbeddingPlan> &tables,
                  llvm::DenseMap<size_t, EmbeddingPlan> &tableAlternatives);

  StorageSpec spec;
  /// The granularity being planned: the option's, or "channel" while the
  /// int8 alternative of a size budget is planned.
  std::string activeGranularity;
  /// The layers in IR order (size-budget: each function's last one).
  SmallVector<Operation *> layerOrder;
  /// The Gram matrix of the weight being planned, if any (plan.error).
  const ::slim::calibration::Gram *weightingGram = nullptr;
  bool symmetric = true;
  std::optional<::slim::calibration::Hessians> hessians;
};
} // namespace

FailureOr<const ::slim::calibration::Gram *>
SlimQuantizeWeightsPass::gramFor(Operation *op) {
  if (!hessians)
    return nullptr;
  return findMatmulGram(op, *hessians, MissingGram::WarnRoundToNearest);
}

/// How many (scale, zero point) pairs a layout has.
static int64_t numParamsOf(const QuantLayout &layout) {
  int64_t n = 1;
  for (const QuantParamDim &d : layout.paramDims)
    n *= d.extent;
  return n;
}

FailureOr<QuantLayout>
SlimQuantizeWeightsPass::layoutFor(Operation *op, const WeightAxes &axes,
                                   RankedTensorType type, StringRef &kind) {
  ArrayRef<int64_t> shape = type.getShape();
  // The parameter layout: one, one per output channel, or one per group.
  SmallVector<QuantParamDim> dims;
  int64_t rank = type.getRank();
  if (kind == "group" && axes.reduction < 0) {
    op->emitRemark("groups run along a matmul's reduction dimension; this "
                   "weight is quantized per channel");
    kind = "channel";
  }
  // One layer's shape never refuses the module: a group size that does not
  // divide its K becomes the nearest one that does, or per-channel
  // parameters.
  int64_t size = groupSize;
  if (kind == "group" && shape[axes.reduction] % size != 0) {
    int64_t k = shape[axes.reduction];
    size = num::groupSizeFor(k, groupSize);
    InFlightDiagnostic remark = op->emitRemark("group-size ");
    remark << static_cast<int64_t>(groupSize);
    if (k < groupSize)
      remark << " exceeds the reduction dimension (" << k << ")";
    else
      remark << " does not divide the reduction dimension (" << k << ")";
    if (size != k) {
      remark << ": this weight is quantized in groups of " << size;
    } else {
      if (k > groupSize)
        remark << " and no divisor of it lies in [" << (groupSize + 1) / 2
               << ", " << static_cast<int64_t>(groupSize) << "]";
      remark << ": this weight is quantized per channel (one group)";
      kind = "channel";
    }
  }
  if (kind == "channel") {
    dims.push_back({axes.output, 1, shape[axes.output]});
  } else if (kind == "group") {
    int64_t k = shape[axes.reduction];
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axes.reduction)
        dims.push_back({d, size, k / size});
      else if (d == axes.output)
        dims.push_back({d, 1, shape[d]});
      else
        dims.push_back({-1, 1, 1});
    }
  }
  QuantLayout layout;
  layout.paramDims = dims;
  if (failed(checkMaterializable(op, numParamsOf(layout),
                                 "the weight's parameter list")))
    return failure();
  return layout;
}

FailureOr<WeightPlan> SlimQuantizeWeightsPass::plan(
    Operation *op, const WeightAxes &axes, const std::vector<float> &values,
    RankedTensorType type, const ::slim::calibration::Gram *gram) {
  ArrayRef<int64_t> shape = type.getShape();
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      return op->emitOpError("weight holds NaN or Inf (element ")
             << i << "); refusing to quantize it";

  StringRef kind = activeGranularity;
  FailureOr<QuantLayout> paramLayout = layoutFor(op, axes, type, kind);
  if (failed(paramLayout))
    return failure();
  QuantLayout &layout = *paramLayout;
  int64_t rank = type.getRank();
  int64_t numParams = numParamsOf(layout);

  // Each value's parameter.
  SmallVector<int64_t> strides = rowMajorStrides(shape);
  SmallVector<int64_t> index(rank);
  std::vector<int64_t> params(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    for (int64_t d = 0; d < rank; ++d)
      index[d] = static_cast<int64_t>(i) / strides[d] % shape[d];
    params[i] = layout.paramIndexOf(index);
  }

  num::IntRange range = spec.range();
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::vector<int64_t> quantized(values.size());
  if (gram) {
    // GPTQ: rows in order, each one's error spread over the rows after it.
    if (kind == "tensor")
      return op->emitOpError("GPTQ (hessians=) quantizes per channel or per "
                             "group, not granularity=tensor");
    num::GptqOptions options;
    options.range = range;
    options.symmetric = symmetric;
    options.groupSize =
        kind == "group" ? layout.paramDims[axes.reduction].blockSize
                        : shape[0];
    options.mse = method == "mse";
    std::optional<num::GptqResult> r = num::gptqQuantize(
        values.data(), shape[0], shape[1], gram->sum.data(), options);
    if (!r)
      return op->emitOpError("GPTQ failed: the damped Hessian is not "
                             "positive definite");
    // GPTQ's (group, column) order is the layout's for a [K, N] weight.
    scales.assign(r->scales.begin(), r->scales.end());
    zeroPoints.assign(r->zeroPoints.begin(), r->zeroPoints.end());
    quantized = std::move(r->values);
    return finishPlan(op, values, type, kind, layout, scales, zeroPoints,
                      params, quantized, axes);
  }

  // Ranges per parameter, then parameters.
  std::vector<float> lo(numParams, 0.0f), hi(numParams, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t p = params[i];
    lo[p] = std::min(lo[p], values[i]);
    hi[p] = std::max(hi[p], values[i]);
  }
  if (method == "mse") {
    // Each parameter's values together, then the clipping that minimizes
    // their round-trip error.
    std::vector<std::vector<float>> members(numParams);
    for (size_t i = 0; i < values.size(); ++i)
      members[params[i]].push_back(values[i]);
    for (int64_t p = 0; p < numParams; ++p) {
      num::RealRange r = num::chooseMseRange(
          members[p].data(), members[p].size(), range, symmetric);
      lo[p] = static_cast<float>(r.min);
      hi[p] = static_cast<float>(r.max);
    }
  }
  for (int64_t p = 0; p < numParams; ++p) {
    std::optional<num::QuantParams> qp =
        num::chooseQuantParams(lo[p], hi[p], range, symmetric);
    if (!qp)
      return op->emitOpError("cannot quantize a weight range [")
             << lo[p] << ", " << hi[p] << "]";
    scales.push_back(qp->scale);
    zeroPoints.push_back(qp->zeroPoint);
  }
  for (size_t i = 0; i < values.size(); ++i)
    quantized[i] =
        num::quantize(values[i], static_cast<float>(scales[params[i]]),
                      zeroPoints[params[i]], range, num::Rounding::HalfToEven);
  return finishPlan(op, values, type, kind, layout, scales, zeroPoints, params,
                    quantized, axes);
}

Type SlimQuantizeWeightsPass::quantTypeFor(StringRef kind,
                                           const QuantLayout &layout,
                                           ArrayRef<double> scales,
                                           ArrayRef<int64_t> zeroPoints,
                                           const WeightAxes &axes,
                                           Type expressed) const {
  if (kind == "tensor")
    return getUniformType(spec, expressed, scales.front(), zeroPoints.front());
  if (kind == "channel")
    return getUniformPerAxisType(spec, expressed, scales, zeroPoints,
                                 static_cast<int32_t>(axes.output));
  return getUniformSubChannelType(
      spec, expressed, scales, zeroPoints, layout.paramShape(),
      {{axes.reduction, layout.paramDims[axes.reduction].blockSize},
       {axes.output, 1}});
}

FailureOr<WeightPlan>
SlimQuantizeWeightsPass::planSplat(Operation *op, const WeightAxes &axes,
                                   float v, RankedTensorType type) {
  if (!std::isfinite(v))
    return op->emitOpError("weight holds NaN or Inf (element 0); refusing "
                           "to quantize it");
  StringRef kind = activeGranularity;
  FailureOr<QuantLayout> layout = layoutFor(op, axes, type, kind);
  if (failed(layout))
    return failure();
  // Every parameter sees the same values: one range, one pair, one integer.
  // The MSE search's minimum does not depend on how many equal values there
  // are, so a few copies stand for the group.
  num::IntRange range = spec.range();
  float lo = std::min(0.0f, v), hi = std::max(0.0f, v);
  if (method == "mse") {
    std::vector<float> members(16, v);
    num::RealRange r =
        num::chooseMseRange(members.data(), members.size(), range, symmetric);
    lo = static_cast<float>(r.min);
    hi = static_cast<float>(r.max);
  }
  std::optional<num::QuantParams> qp =
      num::chooseQuantParams(lo, hi, range, symmetric);
  if (!qp)
    return op->emitOpError("cannot quantize a weight range [")
           << lo << ", " << hi << "]";
  int64_t q = num::quantize(v, static_cast<float>(qp->scale), qp->zeroPoint,
                            range, num::Rounding::HalfToEven);
  int64_t numParams = numParamsOf(*layout);
  SmallVector<double> scales(numParams, qp->scale);
  SmallVector<int64_t> zeroPoints(numParams, qp->zeroPoint);

  WeightPlan plan;
  plan.op = op;
  plan.bits = spec.bits;
  plan.floatType = type;
  plan.granularity = kind.str();
  plan.quantType = quantTypeFor(kind, *layout, scales, zeroPoints, axes,
                                type.getElementType());
  double err =
      v - num::dequantize(q, static_cast<float>(qp->scale), qp->zeroPoint);
  plan.sqnr = err == 0.0
                  ? std::numeric_limits<double>::infinity()
                  : 10.0 * std::log10(static_cast<double>(v) * v / (err * err));
  MLIRContext *ctx = op->getContext();
  APInt stored(spec.bits, static_cast<uint64_t>(q), spec.isSigned,
               /*implicitTrunc=*/true);
  if (spec.bits != 4) {
    plan.stored = DenseElementsAttr::get(
        type.clone(IntegerType::get(ctx, spec.bits)), stored);
    return plan;
  }
  // Packed rows (see finishPlan): a splat byte when rows hold an even
  // number of nibbles, else rows that end in a half-empty byte.
  int64_t rows = type.getDimSize(0), n = type.getNumElements() / rows;
  int64_t bytesPerRow = (n + 1) / 2;
  auto nibble = static_cast<uint8_t>(stored.getZExtValue() & 0xF);
  auto full = static_cast<int8_t>(nibble | (nibble << 4));
  auto bytesType =
      RankedTensorType::get({rows, bytesPerRow}, IntegerType::get(ctx, 8));
  if (n % 2 == 0) {
    plan.stored = DenseElementsAttr::get(bytesType, ArrayRef<int8_t>(full));
    return plan;
  }
  if (failed(checkMaterializable(op, rows * bytesPerRow,
                                 "the packed int4 weight")))
    return failure();
  SmallVector<int8_t> bytes(rows * bytesPerRow, full);
  for (int64_t r = 0; r < rows; ++r)
    bytes[r * bytesPerRow + bytesPerRow - 1] = static_cast<int8_t>(nibble);
  plan.stored = DenseElementsAttr::get(bytesType, ArrayRef<int8_t>(bytes));
  return plan;
}

FailureOr<WeightPlan> SlimQuantizeWeightsPass::finishPlan(
    Operation *op, const std::vector<float> &values, RankedTensorType type,
    StringRef kind, const QuantLayout &layout, ArrayRef<double> scales,
    ArrayRef<int64_t> zeroPoints, ArrayRef<int64_t> params,
    ArrayRef<int64_t> quantized, const WeightAxes &axes) {
  ArrayRef<int64_t> shape = type.getShape();
  // The storage integers, and the error against the float weight.
  SmallVector<APInt> stored;
  stored.reserve(values.size());
  double signal = 0.0, noise = 0.0;
  // Squared error and value per row of the first dimension (a matmul
  // weight's K): what the size budget weighs by the input's energy.
  int64_t rows = shape.front(), perRow = type.getNumElements() / rows;
  std::vector<double> rowNoise(rows, 0.0), rowSignal(rows, 0.0);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t p = params[i], q = quantized[i];
    double err = values[i] - num::dequantize(q, static_cast<float>(scales[p]),
                                             zeroPoints[p]);
    signal += static_cast<double>(values[i]) * values[i];
    noise += err * err;
    rowSignal[i / perRow] += static_cast<double>(values[i]) * values[i];
    rowNoise[i / perRow] += err * err;
    stored.push_back(APInt(spec.bits, static_cast<uint64_t>(q), spec.isSigned,
                           /*implicitTrunc=*/true));
  }

  WeightPlan plan;
  plan.bits = spec.bits;
  plan.floatType = type;
  Type expressed = type.getElementType();
  MLIRContext *ctx = op->getContext();
  plan.granularity = kind.str();
  plan.quantType =
      quantTypeFor(kind, layout, scales, zeroPoints, axes, expressed);
  if (spec.bits == 4) {
    // Two per byte, low nibble first (slim.unpack), along rows that are
    // everything after the first dimension: a 3x3 filter packs its C*9 values
    // together rather than wasting a nibble every 3.
    int64_t rows = shape.front(), n = type.getNumElements() / rows;
    int64_t bytesPerRow = (n + 1) / 2;
    SmallVector<int8_t> bytes(rows * bytesPerRow, 0);
    for (size_t i = 0; i < stored.size(); ++i) {
      int64_t row = static_cast<int64_t>(i) / n,
              j = static_cast<int64_t>(i) % n;
      num::setPackedInt4(&bytes[row * bytesPerRow], j,
                         static_cast<int64_t>(stored[i].getZExtValue()));
    }
    plan.stored = DenseElementsAttr::get(
        RankedTensorType::get({rows, bytesPerRow}, IntegerType::get(ctx, 8)),
        ArrayRef<int8_t>(bytes));
  } else {
    plan.stored = DenseElementsAttr::get(
        type.clone(IntegerType::get(ctx, spec.bits)), stored);
  }
  plan.sqnr = noise == 0.0 ? std::numeric_limits<double>::infinity()
                           : 10.0 * std::log10(signal / noise);
  plan.error = signal == 0.0 ? 0.0 : noise / signal;
  if (const ::slim::calibration::Gram *gram = weightingGram;
      gram && gram->k == rows) {
    double weightedNoise = 0.0, weightedSignal = 0.0;
    for (int64_t k = 0; k < rows; ++k) {
      double energy = gram->sum[k * rows + k];
      weightedNoise += energy * rowNoise[k];
      weightedSignal += energy * rowSignal[k];
    }
    plan.error = weightedSignal == 0.0 ? 0.0 : weightedNoise / weightedSignal;
  }
  plan.op = op;
  return plan;
}

LogicalResult SlimQuantizeWeightsPass::initialize(MLIRContext *ctx) {
  // Checked before any pass of a pipeline runs: a pipeline's earlier pass
  // must not be the one that reports this pass's bad options.
  auto fail = [&](const Twine &msg) {
    return emitError(UnknownLoc::get(ctx)) << "slim-quantize-weights: " << msg;
  };
  if (bits != 8 && bits != 4)
    return fail("bits must be 8 or 4, got " + Twine(bits));
  if (embeddingBits != 8 && embeddingBits != 4 && embeddingBits != 0)
    return fail("embedding-bits must be 8, 4 or 0, got " +
                Twine(embeddingBits));
  if (sizeBudget < 0 || std::isnan(sizeBudget))
    return fail("size-budget must be a fraction of the float bytes (0 for "
                "none), got " + llvm::formatv("{0}", static_cast<double>(sizeBudget)).str());
  if (sizeBudget > 0 && bits != 4 && embeddingBits != 4)
    return fail("size-budget chooses between 4 and 8 bits: it needs bits=4 "
                "or embedding-bits=4");
  if (!int8Layers.empty() && bits != 4 && embeddingBits != 4)
    return fail("int8-layers keeps layers at 8 bits among 4-bit ones: it "
                "needs bits=4 or embedding-bits=4");
  if (embeddingMinRows < 1)
    return fail("embedding-min-rows must be positive, got " +
                Twine(static_cast<int64_t>(embeddingMinRows)));
  if (groupSize <= 0)
    return fail("group-size must be positive, got " +
                Twine(static_cast<int64_t>(groupSize)));
  if (scheme != "symmetric" && scheme != "asymmetric")
    return fail("unknown scheme '" + scheme +
                "' (expected symmetric or asymmetric)");
  if (granularity != "tensor" && granularity != "channel" &&
      granularity != "group")
    return fail("unknown granularity '" + granularity +
                "' (expected tensor, channel or group)");
  if (method != "minmax" && method != "mse")
    return fail("unknown method '" + method + "' (expected minmax or mse)");
  return success();
}

/// The relative error of an embedding plan's table.
static double tableError(const EmbeddingPlan &p) {
  return std::isinf(p.sqnr) ? 0.0 : std::pow(10.0, -p.sqnr / 10.0);
}

static int64_t floatBytes(RankedTensorType type) {
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

LogicalResult SlimQuantizeWeightsPass::spendSizeBudget(
    ModuleOp module, SmallVectorImpl<WeightPlan> &plans,
    llvm::DenseMap<size_t, WeightPlan> &alternatives,
    SmallVectorImpl<EmbeddingPlan> &tables,
    llvm::DenseMap<size_t, EmbeddingPlan> &tableAlternatives) {
  // Every planned weight and table counts; those with an 8-bit alternative
  // are the choices, the others fixed.
  // The embedding tables and each function's last layer (a decoder's
  // output projection, a classifier) feed the residual stream or the
  // output directly: they get 8 bits first, by an error weight no layer
  // reaches, and the rest of the budget goes by error per byte.
  constexpr double kFirst = 1e6;
  llvm::DenseMap<Operation *, Operation *> lastOfFunction;
  for (Operation *op : layerOrder) // every layer, in IR order
    lastOfFunction[op->getParentOfType<func::FuncOp>()] = op;
  llvm::DenseSet<Operation *> outputs;
  for (auto &[func, op] : lastOfFunction)
    outputs.insert(op);

  int64_t before = 0, fixed = 0;
  std::vector<num::BudgetChoices> choices;
  std::vector<std::pair<bool, size_t>> units; // (is a table, index)
  for (auto [i, p] : llvm::enumerate(plans)) {
    before += floatBytes(p.floatType);
    auto it = alternatives.find(i);
    if (it == alternatives.end()) {
      fixed += storedBytes(p);
      continue;
    }
    int64_t wide = storedBytes(it->second), narrow = storedBytes(p);
    if (wide <= narrow) {
      // 4 bits would not be smaller (small groups' scales and zero
      // points): 8 bits, no choice.
      p = std::move(it->second);
      fixed += storedBytes(p);
      continue;
    }
    double weight = outputs.count(p.op) ? kFirst : 1.0;
    choices.push_back(
        {{0.0, static_cast<double>(wide - narrow)},
         {0.0, weight * std::max(0.0, p.error - it->second.error)}});
    units.push_back({false, i});
    fixed += wide;
  }
  for (auto [i, t] : llvm::enumerate(tables)) {
    before += t.bytesBefore;
    auto it = tableAlternatives.find(i);
    if (it == tableAlternatives.end()) {
      fixed += t.bytesAfter;
      continue;
    }
    if (it->second.bytesAfter <= t.bytesAfter) {
      t = std::move(it->second);
      fixed += t.bytesAfter;
      continue;
    }
    choices.push_back(
        {{0.0, static_cast<double>(it->second.bytesAfter - t.bytesAfter)},
         {0.0, kFirst * std::max(0.0, tableError(t) - tableError(it->second))}});
    units.push_back({true, i});
    fixed += it->second.bytesAfter;
  }
  // `fixed` is now the bytes with every choice at 8 bits.
  double budget = sizeBudget * static_cast<double>(before);
  double target = static_cast<double>(fixed) - budget;
  double most = 0.0;
  for (const num::BudgetChoices &c : choices)
    most += c.saved.back();
  if (target > 0.0 && target > most)
    return module.emitError("slim-quantize-weights: size-budget ")
           << llvm::formatv("{0}", static_cast<double>(sizeBudget)).str()
           << " cannot be met: "
           << static_cast<int64_t>(budget) << " bytes allowed, but with "
           << "every choice at 4 bits the weights and tables take "
           << static_cast<int64_t>(static_cast<double>(fixed) - most)
           << " of " << before;
  std::vector<size_t> pick(choices.size(), 0);
  if (target > 0.0)
    pick = num::allocateSaving(choices, target);
  for (auto [c, unit] : llvm::enumerate(units)) {
    if (pick[c] != 0)
      continue; // stays at 4 bits
    auto [isTable, i] = unit;
    if (isTable) {
      EmbeddingPlan &t = tables[i];
      t.lookup.op->emitRemark("int8 under size-budget: int4 would cost a "
                              "relative error of ")
          << llvm::formatv("{0:E2}", tableError(t)).str();
      t = std::move(tableAlternatives.find(i)->second);
    } else {
      WeightPlan &p = plans[i];
      p.op->emitRemark(p.gptq ? "int8 under size-budget: int4 would cost a "
                                "relative output error of "
                              : "int8 under size-budget: int4 would cost a "
                                "relative weight error of ")
          << llvm::formatv("{0:E2}", p.error).str();
      p = std::move(alternatives.find(i)->second);
    }
  }
  return success();
}

void SlimQuantizeWeightsPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto fail = [&](const Twine &msg) {
    module.emitError("slim-quantize-weights: ") << msg;
    signalPassFailure();
  };
  symmetric = scheme == "symmetric";
  hessians.reset();
  if (!hessianDir.empty()) {
    llvm::Expected<::slim::calibration::Hessians> read =
        ::slim::calibration::Hessians::readDirectory(hessianDir);
    if (!read)
      return fail(llvm::toString(read.takeError()));
    hessians = std::move(*read);
  }
  spec.bits = bits;
  spec.isSigned = true;
  spec.narrow = symmetric && narrowRange;
  activeGranularity = granularity;

  ConstantLikeAnalysis constants;
  SmallVector<WeightPlan> plans;
  // The 8-bit alternatives a size budget chooses from, by plan index.
  llvm::DenseMap<size_t, WeightPlan> alternatives;
  llvm::DenseMap<size_t, EmbeddingPlan> tableAlternatives;
  bool failed = false;
  llvm::MapVector<Operation *, std::string> names = nameLayers(module);
  llvm::MapVector<Operation *, std::string> embeddings;
  if (embeddingBits != 0)
    for (auto &[op, name] : nameEmbeddings(module))
      if (cast<RankedTensorType>(getEmbeddingLookup(op).table.getType())
              .getDimSize(0) >= embeddingMinRows)
        embeddings[op] = name;
  llvm::MapVector<Operation *, std::string> skippable = names;
  for (const auto &[op, name] : embeddings)
    skippable[op] = name;
  FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
      skippedLayers(skippable, skip, module, "slim-quantize-weights");
  if (::mlir::failed(skipped))
    return signalPassFailure();
  FailureOr<llvm::DenseMap<Operation *, std::string>> int8Forced =
      skippedLayers(skippable, int8Layers, module, "slim-quantize-weights",
                    "int8-layers");
  if (::mlir::failed(int8Forced))
    return signalPassFailure();
  if (layers)
    layers->addLayers(names);
  layerOrder.assign(names.keys().begin(), names.keys().end());
  for (auto [index, layer] : llvm::enumerate(names.keys())) {
    Operation *op = layer;
    if (auto it = skipped->find(op); it != skipped->end()) {
      if (layers)
        layers->set(names.lookup(op), "skipped", it->second);
      continue;
    }
    notifyLayerWork(op, "slim-quantize-weights", index, names.size());
    std::optional<WeightAxes> axes = weightAxes(op);
    Value weight = op->getOperand(1);
    // A grouped filter is read (and recognized as quantized) as the
    // F x C/G x KH x KW tensor its expand_shape splits, when it has one.
    Value source = layerWeight(op);
    // Quantized already (by an earlier pass): nothing to do.
    if (source.getDefiningOp<DequantizeOp>())
      continue;
    auto operandType = dyn_cast<RankedTensorType>(weight.getType());
    if (!axes || !operandType ||
        !isa<FloatType>(operandType.getElementType()) ||
        !operandType.hasStaticShape() || operandType.getNumElements() == 0 ||
        !constants.isConstantLike(weight))
      continue;
    RankedTensorType type = groupedView(op, operandType);
    FailureOr<const ::slim::calibration::Gram *> gram = gramFor(op);
    if (::mlir::failed(gram)) {
      failed = true;
      continue;
    }
    std::optional<float> splat = readSplatValue(source);
    std::optional<std::vector<float>> read;
    if (!splat || *gram) {
      if (::mlir::failed(
              checkMaterializable(op, type.getNumElements(), "the weight"))) {
        failed = true;
        continue;
      }
      read = readConstantValues(source);
      if (!read) {
        op->emitRemark("weight left in float: it is not a constant this "
                       "pass can read (arith.constant, through "
                       "linalg.transpose or linalg.broadcast)");
        continue;
      }
    }
    // At `bits`; with a size budget or int8-layers, also at 8 bits per
    // channel (the alternative the budget may choose).
    auto planAt = [&](unsigned atBits,
                      StringRef atGranularity) -> FailureOr<WeightPlan> {
      spec.bits = atBits;
      activeGranularity = atGranularity.str();
      weightingGram = *gram;
      FailureOr<WeightPlan> p =
          read ? plan(op, *axes, *read, type, *gram)
               : planSplat(op, *axes, *splat, type);
      spec.bits = bits;
      activeGranularity = granularity;
      weightingGram = nullptr;
      if (::mlir::succeeded(p)) {
        p->operand = 1;
        p->gptq = *gram != nullptr;
      }
      return p;
    };
    bool forced8 = bits == 4 && int8Forced->count(op);
    FailureOr<WeightPlan> p = planAt(forced8 ? 8 : bits,
                                     forced8 ? StringRef("channel")
                                             : StringRef(granularity));
    if (::mlir::failed(p)) {
      failed = true;
      continue;
    }
    if (bits == 4 && sizeBudget > 0 && !forced8) {
      FailureOr<WeightPlan> wide = planAt(8, "channel");
      if (::mlir::failed(wide)) {
        failed = true;
        continue;
      }
      alternatives[plans.size()] = std::move(*wide);
    }
    plans.push_back(std::move(*p));
  }
  // Embedding tables: planned with the layers, before anything changes.
  SmallVector<EmbeddingPlan> tables;
  for (const auto &[op, name] : embeddings) {
    if (auto it = skipped->find(op); it != skipped->end()) {
      if (layers)
        layers->set(name, "skipped", it->second);
      continue;
    }
    EmbeddingLookup lookup = getEmbeddingLookup(op);
    bool forced8 = embeddingBits == 4 && int8Forced->count(op);
    FailureOr<std::optional<EmbeddingPlan>> p = planEmbedding(
        lookup, forced8 ? 8 : embeddingBits, groupSize, method);
    if (::mlir::failed(p)) {
      failed = true;
      continue;
    }
    if (!*p)
      continue; // unreadable: left float, with a remark
    if (embeddingBits == 4 && sizeBudget > 0 && !forced8) {
      FailureOr<std::optional<EmbeddingPlan>> wide =
          planEmbedding(lookup, 8, groupSize, method);
      if (::mlir::failed(wide) || !*wide) {
        failed = true;
        continue;
      }
      tableAlternatives[tables.size()] = std::move(**wide);
    }
    tables.push_back(std::move(**p));
  }
  if (failed)
    return signalPassFailure();
  if (sizeBudget > 0 &&
      ::mlir::failed(spendSizeBudget(module, plans, alternatives, tables,
                                     tableAlternatives)))
    return signalPassFailure();

  llvm::json::Array report;
  for (WeightPlan &p : plans) {
    std::string kind = "int" + std::to_string(p.bits) + " " + p.granularity;
    OpBuilder b(p.op);
    Location loc = p.op->getLoc();
    Value stored = arith::ConstantOp::create(b, loc, p.stored);
    if (p.bits == 4) {
      ArrayRef<int64_t> shape = p.floatType.getShape();
      Type i4 = IntegerType::get(b.getContext(), 4);
      auto rowsType = RankedTensorType::get(
          {shape.front(), p.floatType.getNumElements() / shape.front()}, i4);
      stored = UnpackOp::create(b, loc, rowsType, stored);
      if (shape.size() > 2) {
        SmallVector<ReassociationIndices> groups{{0}, {}};
        for (int64_t d = 1; d < static_cast<int64_t>(shape.size()); ++d)
          groups.back().push_back(d);
        stored = tensor::ExpandShapeOp::create(b, loc, p.floatType.clone(i4),
                                               stored, groups);
      }
    }
    Value quantized = quant::StorageCastOp::create(
        b, loc, p.floatType.clone(p.quantType), stored);
    Value weight = DequantizeOp::create(b, loc, p.floatType, quantized);
    auto operandType =
        cast<RankedTensorType>(p.op->getOperand(p.operand).getType());
    if (operandType != p.floatType) // a grouped filter: G x F/G x ...
      weight = tensor::ExpandShapeOp::create(b, loc, operandType, weight,
                                             groupedFilterReassociation());
    p.op->setOperand(p.operand, weight);
    std::string sqnr = std::isinf(p.sqnr)
                           ? std::string("exact")
                           : llvm::formatv("{0:F2} dB", p.sqnr).str();
    p.op->emitRemark("weight SQNR ") << sqnr << " (" << kind << ")";
    llvm::json::Object entry{{"op", p.op->getName().getStringRef()},
                             {"loc", llvm::formatv("{0}", loc).str()},
                             {"bits", static_cast<int64_t>(p.bits)},
                             {"granularity", p.granularity},
                             {"scheme", scheme},
                             {"method", method},
                             {"gptq", p.gptq}};
    entry["sqnr_db"] = std::isinf(p.sqnr) ? llvm::json::Value(nullptr)
                                          : llvm::json::Value(p.sqnr);
    entry["bytes"] = storedBytes(p);
    if (auto sub = dyn_cast<quant::UniformQuantizedSubChannelType>(p.quantType))
      for (auto [dim, block] : llvm::zip(sub.getQuantizedDimensions(),
                                         sub.getBlockSizes()))
        if (block > 1)
          entry["group_size"] = block;
    if (layers) {
      layers->set(names.lookup(p.op), "weight", llvm::json::Object(entry));
    }
    report.push_back(std::move(entry));
  }
  for (EmbeddingPlan &p : tables) {
    std::string name = embeddings.lookup(p.lookup.op);
    std::string kind =
        p.bits == 8 ? std::string("int8 row")
                    : llvm::formatv("int4 groups of {0}", p.groupSize).str();
    std::string sqnr = std::isinf(p.sqnr)
                           ? std::string("exact")
                           : llvm::formatv("{0:F2} dB", p.sqnr).str();
    p.lookup.op->emitRemark("embedding table SQNR ") << sqnr << " (" << kind
                                                     << ")";
    llvm::json::Object entry{
        {"op", "embedding"},
        {"loc", llvm::formatv("{0}", p.lookup.op.getLoc()).str()},
        {"bits", static_cast<int64_t>(p.bits)},
        {"granularity", p.bits == 8 ? "row" : "group"},
        {"scheme", "symmetric"},
        {"method", method},
        {"bytes", p.bytesAfter}};
    entry["sqnr_db"] = std::isinf(p.sqnr) ? llvm::json::Value(nullptr)
                                          : llvm::json::Value(p.sqnr);
    if (p.bits == 4)
      entry["group_size"] = p.groupSize;
    if (layers) {
      layers->set(name, "op", "embedding");
      layers->set(name, "weight_bytes", p.bytesBefore);
      layers->set(name, "weight", llvm::json::Object(entry));
    }
    report.push_back(std::move(entry));
    applyEmbeddingPlan(p);
  }
  if (!reportFile.empty())
    if (llvm::Error e = writeJsonReport(reportFile, "slim-quantize-weights",
                                        "weights", std::move(report)))
      return fail(llvm::toString(std::move(e)));
}

std::unique_ptr<Pass> mlir::slim::createSlimQuantizeWeightsPass(
    const SlimQuantizeWeightsPassOptions &options,
    std::shared_ptr<LayerReport> layers) {
  auto pass = std::make_unique<SlimQuantizeWeightsPass>(options);
  pass->layers = std::move(layers);
  return pass;
}
