//===- Matchers.h - The layers compression passes look for ------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Shared recognition of the IR shapes that quantization, pruning, low rank
// and packing work on: the compute ops they rewrite, constant-like values (weights, possibly
// transposed or broadcast), and the elementwise epilogue after a compute op.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LAYERS_MATCHERS_H
#define SLIM_LAYERS_MATCHERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace slim {
namespace calibration {
struct Gram;
struct Hessians;
} // namespace calibration
} // namespace slim

namespace mlir {
namespace slim {

/// What a pass does without a layer's Gram matrix.
enum class MissingGram {
  Error,               ///< the layer needs one
  WarnRoundToNearest, ///< GPTQ: a warning, the weight is rounded to nearest
  Ignore,              ///< it was only wanted for a measurement
};

/// The Gram matrix (X^T X of the calibration inputs, slim-run --hessians)
/// of `op`'s input: `op` a linalg.matmul reading a slim.observe that
/// `hessians` has, with as many rows as the weight. Null when there is
/// none (after what `missing` says), failure when its size is wrong or it
/// saw no rows (or it is missing and `missing` is Error).
FailureOr<const ::slim::calibration::Gram *>
findMatmulGram(Operation *op, const ::slim::calibration::Hessians &hessians,
               MissingGram missing);

/// The Gram matrix of a 2-D convolution's input patches (X^T X over every
/// output pixel's window, K = kh * kw * C in (kh, kw, c) order): `op` a
/// linalg.conv_2d_nchw_fchw or conv_2d_nhwc_hwcf reading a slim.observe
/// with `patches` that `hessians` has. Null when there is none; failure
/// (an error on `op`) when its size is not the filter's K or it saw no
/// rows.
FailureOr<const ::slim::calibration::Gram *>
findConvGram(Operation *op, const ::slim::calibration::Hessians &hessians);

/// linalg.matmul, batch_matmul, conv_2d_nhwc_hwcf, conv_2d_nchw_fchw,
/// depthwise_conv_2d_nhwc_hwc, depthwise_conv_2d_nchw_chw, and a grouped
/// convolution as isGroupedConv says.
bool isQuantizableCompute(Operation *op);

/// A grouped 2-D convolution as importers write it (torch-mlir's
/// aten.convolution with 1 < groups < C): linalg.conv_2d_ngchw_gfchw whose
/// input is a tensor.expand_shape of a 4-D N x C x H x W tensor into
/// N x G x C/G x H x W, whose filter is G x F/G x C/G x KH x KW, and whose
/// result has one use, a tensor.collapse_shape back to N x F x OH x OW.
bool isGroupedConv(Operation *op);

/// The activation a layer reads: its first input, or the 4-D tensor a
/// grouped convolution's expand_shape splits.
Value layerInput(Operation *op);

/// How a grouped convolution's F x C/G x KH x KW filter becomes its
/// G x F/G x C/G x KH x KW operand: [[0, 1], [2], [3], [4]].
SmallVector<ReassociationIndices> groupedFilterReassociation();

/// A layer's weight (operand 1), or for a grouped convolution whose filter
/// is such an expand_shape, the F x C/G x KH x KW tensor it splits (the same
/// values in the same order).
Value layerWeight(Operation *op);

/// What a layer computes: its result, or a grouped convolution's collapsed
/// N x F x OH x OW result (where its epilogue starts).
Value layerResult(Operation *op);

/// A bias add after `result`: an elementwise linalg.generic reading `result`
/// (identity map) and a 1-D arith.constant along dimension `axis`, whose
/// body is one addf of the two. Returns the constant, or null.
Value matchBiasAdd(linalg::GenericOp g, Value result, int64_t axis);

/// The layers (compute ops of the kind above) that `use` is an input (not
/// the init) of: its owner, or the grouped convolutions that read it
/// through the expand_shape that owns it; empty if none.
SmallVector<Operation *, 1> layersReading(OpOperand &use);

/// Whether `v` is an input (not the init) of a compute op of the kind above
/// that is not a key of `excluded` (skipped layers).
bool feedsCompute(
    Value v,
    const llvm::DenseMap<Operation *, std::string> *excluded = nullptr);

/// Whether a value is computed from constants only (arith.constant,
/// tensor.empty, and side-effect-free ops whose operands are constant-like):
/// a weight, possibly transposed or broadcast. Results are memoized.
class ConstantLikeAnalysis {
public:
  bool isConstantLike(Value v);

private:
  llvm::DenseMap<Value, bool> memo;
};

/// Elementwise tensor ops: ops with the Elementwise trait on tensors, and
/// linalg ops with only parallel loops and one result.
bool isElementwiseTensorOp(Operation *op);

/// Follows `v` through its epilogue: while `v` has one use, by an
/// elementwise op whose other operands are constant-like and whose result
/// has v's type, continue from that result. Returns the last value.
Value epilogueEnd(Value v, ConstantLikeAnalysis &constants);

/// `combine(in[i], vector[i[axis]])` for every index i of `in`, as one
/// elementwise linalg.generic writing into `init` (in's type): a bias add,
/// a per-channel scaling.
Value combineAlongAxis(
    OpBuilder &b, Location loc, Value in, Value vector, Value init,
    int64_t axis,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// Each layer's stage, for sequential calibration (slim-prune's and
/// slim-low-rank's `stage=`): 0 for a layer (an op `layer` accepts) whose
/// input no layer computes, else one more than the latest stage among the
/// layers its input depends on (Q, K and V of one attention block share a
/// stage; the output projection is the next). Ops that `passThrough`
/// accepts are not layers but count as one on the path (the second factor
/// of a factorized layer: the stages of the layers after it stay the same
/// once it is factorized). Ops are visited in block order, a topological
/// order of the dataflow; a value's depth is the number of layers on its
/// longest path from the arguments.
llvm::DenseMap<Operation *, int64_t>
layerStages(Operation *root, llvm::function_ref<bool(Operation *)> layer,
            llvm::function_ref<bool(Operation *)> passThrough = nullptr);

/// Erases the op defining `v` if nothing uses it any more (and has no side
/// effects), then, the same way, the ops that only it used: a replaced
/// weight constant and the transposes that moved it.
void eraseDeadProducers(Value v);

/// Row-major strides of a shape.
SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape);

/// The most elements a pass expands into memory for one tensor (a weight's
/// values, per-column parameters): 2^31, 8 GiB of float32. Larger tensors
/// are refused with a diagnostic; splat constants are worked on without
/// expanding them.
constexpr int64_t kMaxMaterializedElements = int64_t{1} << 31;

/// Fails with an error on `op` when `numElements` values of `what` would
/// exceed kMaxMaterializedElements.
LogicalResult checkMaterializable(Operation *op, int64_t numElements,
                                  StringRef what);

/// The values of a constant-like float tensor as float32, in the layout of
/// `v`'s type: arith.constant (dense, or f32 dense_resource), through
/// data movement (see dataMovement). std::nullopt otherwise, and for tensors
/// of more than kMaxMaterializedElements elements.
std::optional<std::vector<float>> readConstantValues(Value v);

/// The values of the constant weight `weight` of layer `op`, for a pass
/// that rewrites it: failure (after an error on `op`) when it has more
/// elements than kMaxMaterializedElements; std::nullopt (after a remark
/// on `op`: it is left dense) when it is not a constant readConstantValues
/// reads.
FailureOr<std::optional<std::vector<float>>> readLayerWeight(Operation *op,
                                                             Value weight);

/// The value of a splat float constant (arith.constant of a splat dense
/// attribute, through data movement), as float32.
std::optional<float> readSplatValue(Value v);

/// A pure data-movement op with one input: linalg.transpose,
/// linalg.broadcast, or a linalg.generic whose body yields its one input
/// (read through a projected permutation) into an identity-mapped output.
/// Returns the input and its indexing map over the output's dims
/// (out[i] = in[map(i)]).
std::optional<std::pair<Value, AffineMap>> dataMovement(Operation *op);

/// For out[i] = in[inputMap(i)] (a projected permutation over the output's
/// dims), the row-major input index of every output element.
std::vector<int64_t> gatherSources(ArrayRef<int64_t> outShape,
                                   ArrayRef<int64_t> inShape,
                                   AffineMap inputMap);

} // namespace slim
} // namespace mlir

#endif // SLIM_LAYERS_MATCHERS_H
