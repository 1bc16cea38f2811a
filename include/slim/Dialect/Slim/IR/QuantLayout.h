//===- QuantLayout.h - Quantization parameters of a tensor --------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A uniform view of the parameters that a `!quant.uniform` element type
// (per-tensor, per-axis or sub-channel) assigns to the elements of a tensor
// of a given shape. The verifiers check types through it, the folders and
// the lowering read parameters through it, so that all three agree on which
// element uses which scale and zero point.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_DIALECT_SLIM_IR_QUANTLAYOUT_H
#define SLIM_DIALECT_SLIM_IR_QUANTLAYOUT_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "slim/Numerics/Quantization.h"

namespace mlir {
namespace slim {

/// One dimension of the parameter tensor: which tensor dimension indexes it
/// and with what block size (param index = tensor index / blockSize). A
/// parameter dimension of extent 1 has tensorDim == -1.
struct QuantParamDim {
  int64_t tensorDim = -1;
  int64_t blockSize = 1;
  int64_t extent = 1;
};

/// The parameters of a quantized element type laid out for one tensor shape.
struct QuantLayout {
  quant::QuantizedType type;
  /// Storage bounds of the type ([qmin, qmax], narrow range included).
  ::slim::numerics::IntRange range;
  unsigned storageWidth = 0;
  bool isSigned = true;
  /// Scales and zero points in row-major order of the parameter tensor.
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  /// The parameter tensor's dimensions (empty for per-tensor).
  SmallVector<QuantParamDim> paramDims;

  bool isPerTensor() const { return paramDims.empty(); }
  /// Whether there is one parameter per index along `axis` and no other.
  bool isPerAxis(int64_t axis) const {
    return paramDims.size() == 1 && paramDims[0].tensorDim == axis &&
           paramDims[0].blockSize == 1;
  }
  /// Per tensor, or per index along `axis`.
  bool isPerTensorOrAxis(int64_t axis) const {
    return isPerTensor() || isPerAxis(axis);
  }
  int64_t numParams() const { return static_cast<int64_t>(scales.size()); }
  SmallVector<int64_t> paramShape() const;
  /// Whether every element shares one zero point.
  bool hasUniformZeroPoint() const;

  /// The row-major parameter index of the element at `index` (tensor rank).
  int64_t paramIndexOf(ArrayRef<int64_t> index) const;

  /// The affine map from the tensor's iteration space (rank dims) to the
  /// parameter tensor's indices.
  AffineMap getParamMap(MLIRContext *ctx, unsigned rank) const {
    return getParamMapFor(paramDims, ctx, rank);
  }
  static AffineMap getParamMapFor(ArrayRef<QuantParamDim> dims,
                                  MLIRContext *ctx, unsigned rank);

  /// Builds the layout of `elementType` for a tensor of `shape`, or reports
  /// through `emitError` why the type cannot describe that tensor: not a
  /// uniform type, an unsupported storage or expressed type, a non-positive
  /// or non-finite scale, a zero point outside the storage range, an axis out
  /// of range or of non-static size, a block size that does not divide its
  /// dimension.
  static FailureOr<QuantLayout>
  get(Type elementType, ArrayRef<int64_t> shape,
      function_ref<InFlightDiagnostic()> emitError);

  /// The same without a diagnostic: for matching, where a type that does
  /// not fit just means "no match" (the verifiers report the reason).
  static FailureOr<QuantLayout> tryGet(Type elementType,
                                       ArrayRef<int64_t> shape);
  static FailureOr<QuantLayout> tryGet(RankedTensorType type) {
    return tryGet(type.getElementType(), type.getShape());
  }
};

/// The per-element parameters of a requantization from one layout to
/// another: M = S_in / S_out, Z_in and Z_out laid out over the finer of the
/// two parameter tensors.
struct RequantLayout {
  QuantLayout in;
  QuantLayout out;
  SmallVector<QuantParamDim> paramDims;
  SmallVector<double> multipliers;
  SmallVector<int64_t> zeroIn;
  SmallVector<int64_t> zeroOut;

  bool isPerTensor() const { return paramDims.empty(); }
  /// Whether there is one parameter per index along `axis` and no other.
  bool isPerAxis(int64_t axis) const {
    return paramDims.size() == 1 && paramDims[0].tensorDim == axis &&
           paramDims[0].blockSize == 1;
  }
  /// Per tensor, or per index along `axis`.
  bool isPerTensorOrAxis(int64_t axis) const {
    return isPerTensor() || isPerAxis(axis);
  }

  /// Combines two layouts of the same tensor. They must agree: one of them
  /// per-tensor, or both with the same parameter dimensions.
  static FailureOr<RequantLayout>
  get(const QuantLayout &in, const QuantLayout &out,
      function_ref<InFlightDiagnostic()> emitError);
  /// The same without a diagnostic (for matching and lowering).
  static FailureOr<RequantLayout> tryGet(const QuantLayout &in,
                                         const QuantLayout &out) {
    return get(in, out, [] { return InFlightDiagnostic(); });
  }
};

/// A storage type spelled as in quant types: "i8", "u8", "i16", "u4", ...
struct StorageSpec {
  unsigned bits = 8;
  bool isSigned = false;
  bool narrow = false;
  ::slim::numerics::IntRange range() const {
    return ::slim::numerics::IntRange::forStorage(bits, isSigned, narrow);
  }
  /// Parses "i<N>" or "u<N>" with 2 <= N <= 32.
  static std::optional<StorageSpec> parse(StringRef text, bool narrow);
};

/// `!quant.uniform<storage:expressed, scale:zeroPoint>`.
quant::UniformQuantizedType getUniformType(const StorageSpec &storage,
                                           Type expressed, double scale,
                                           int64_t zeroPoint);

/// `!quant.uniform<storage:expressed:axis, {scale:zeroPoint, ...}>`.
quant::UniformQuantizedPerAxisType
getUniformPerAxisType(const StorageSpec &storage, Type expressed,
                      ArrayRef<double> scales, ArrayRef<int64_t> zeroPoints,
                      int32_t axis);

/// `!quant.uniform<storage:expressed:{dim:block, ...}, {{...}}>`: scales and
/// zero points row-major over `paramShape`, blocks as (dimension, size).
quant::UniformQuantizedSubChannelType
getUniformSubChannelType(const StorageSpec &storage, Type expressed,
                         ArrayRef<double> scales, ArrayRef<int64_t> zeroPoints,
                         ArrayRef<int64_t> paramShape,
                         ArrayRef<std::pair<int64_t, int64_t>> blocks);

/// The storage type of a quantized type as a signless integer type.
IntegerType getSignlessStorageType(quant::QuantizedType type);

} // namespace slim
} // namespace mlir

#endif // SLIM_DIALECT_SLIM_IR_QUANTLAYOUT_H
