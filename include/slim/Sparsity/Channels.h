//===- Channels.h - Channel and head pruning: which ops shrink ---*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Channel pruning removes output channels of a layer for real: the layer's
// weight loses columns (a convolution, filters), its bias and every
// elementwise op after it lose the same channels, and the layers that read
// them lose the matching input channels (rows of their weights). Which
// tensors shrink, and along which dimension, is traced through the IR from
// the layer's result: a "unit" (one channel, or one attention head of
// `inner` consecutive channels) must map to whole slices of every tensor it
// reaches, through
//
//   - linalg ops (generic, transpose, broadcast, fill, matmul,
//     batch_matmul, the convolutions and poolings): the loop dimension a
//     traced tensor dimension reads is traced in every operand and result
//     that has it; a parallel loop carries the units through, a reduction
//     is allowed only in a contraction or convolution (the layers that
//     read the channels: their terms are removed from the sum), never in
//     a generic (a normalization over the channels);
//   - tensor.expand_shape / collapse_shape, when the units stay whole
//     slices of one dimension (a head dimension split from the channels);
//   - slim.observe.
//
// A tensor met this way that is not computed from the traced ones (the
// other operand of an add, the K of Q K^T) is traced backwards to where it
// comes from, so Q, K and V of an attention block are found together.
// Constant-like tensors (weights, biases, tensor.empty, fills) end the
// trace: they are sliced. Anything else ends it with a reason: a function
// argument or result, a reduction over the channels, an op it does not
// know.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SPARSITY_CHANNELS_H
#define SLIM_SPARSITY_CHANNELS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

#include "llvm/Support/JSON.h"

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

class ConstantLikeAnalysis;

/// Where the units lie in one tensor: along dimension `dim`, unit u covers
/// indices [u * inner, (u + 1) * inner).
struct ChannelNode {
  int64_t dim = 0;
  int64_t inner = 1;
};

/// A constant weight whose slices the trace removes, in the op that reads
/// it: `rows` (its units along a reduction: the op reads the channels) or
/// not (along a parallel dimension: the op computes them).
struct TracedWeight {
  Operation *op;
  Value weight;
  bool rows;
};

/// Everything one layer's channels reach.
struct ChannelTrace {
  /// Units per tensor (channels, or heads).
  int64_t units = 0;
  /// Every tensor that shrinks, with where its units lie.
  llvm::MapVector<Value, ChannelNode> nodes;
  /// The constant-like ones among them (sliced, not rebuilt), and the uses
  /// that read them along the units (a constant or an empty tensor may
  /// also be read elsewhere, whole).
  llvm::SetVector<Value> leaves;
  llvm::DenseSet<OpOperand *> leafUses;
  /// The ops rebuilt with smaller types, in block order.
  SmallVector<Operation *> ops;
  /// The constant weights of contractions and convolutions that lose
  /// slices: the layers that compute the channels (Q, K and V for heads)
  /// and those that read them.
  SmallVector<TracedWeight> weights;
};

/// Traces the units of dimension `dim` of `result` (`inner` channels each)
/// through the IR. On failure, `why` says what stopped it and `blame` is
/// the op where it stopped.
FailureOr<ChannelTrace> traceChannels(Value result, int64_t dim,
                                      int64_t inner,
                                      ConstantLikeAnalysis &constants,
                                      std::string &why, Operation *&blame);

/// The channels per head of `result`'s dimension `dim`: the size of the
/// dimensions after the first one of more than one element in the first
/// tensor.expand_shape that splits it (1 x 128 x 384 into 1 x 128 x 12 x
/// 32: 32), following elementwise ops and slim.observe. None when nothing
/// splits it.
std::optional<int64_t> headSize(Value result, int64_t dim);

/// Rebuilds what `trace` reaches with only the units `kept` (ascending):
/// constant leaves sliced (from `replacement`'s values when it has the
/// leaf: the full tensor, before slicing), tensor.empty and fills made
/// anew, the ops cloned with the smaller types; the old ops erased.
/// Returns each rebuilt op's replacement.
llvm::DenseMap<Operation *, Operation *> shrinkChannels(const ChannelTrace &trace, ArrayRef<int64_t> kept,
                    const llvm::DenseMap<Value, std::vector<float>>
                        &replacement);

/// The values of `values` (a tensor of `shape`, row-major) whose index
/// along `node.dim` lies in a kept unit.
std::vector<float> sliceUnits(const std::vector<float> &values,
                              ArrayRef<int64_t> shape, ChannelNode node,
                              ArrayRef<int64_t> kept);

/// A convolution's filter as the K x F matrix pruning works on, K running
/// over the taps in (kh, kw, c) order (the order of Slim's convolution
/// kernels and of the patch Gram matrices; an n:m group is m input
/// channels of one tap): where each element of the filter (in the op's
/// layout, row-major) sits in it (empty for HWCF, which is that matrix
/// already; FCHW is transposed), and its shape {K, F}. None for other
/// ops.
std::optional<std::pair<std::vector<int64_t>, SmallVector<int64_t>>>
filterMatrix(Operation *op, RankedTensorType type);

/// Erases the ops defining `values` that nothing reads any more and have
/// no side effects, and then what only they read (the constants a rewrite
/// replaced, a broadcast's constant and empty tensor).
void eraseUnused(ArrayRef<Value> values);

/// Adds `delta` (one value per output channel) to the bias of `op` (a 2-D
/// matmul or convolution): the constant of a bias add that reads its
/// result, or the constant a linalg.broadcast makes its init. A new
/// constant (and broadcast) is made; the old ones stay for other users.
/// False, and nothing changed, when it has no such bias.
bool correctBias(Operation *op, ArrayRef<double> delta);

/// E[x]^T (W - W') for the inputs whose Gram matrix is `gram` (its column
/// sums over its rows): what pruning W (K x N, row-major) to W' removes
/// from each output on average, the bias correction. Empty when the Gram
/// matrix has no column sums.
std::vector<double> meanShift(const ::slim::calibration::Gram &gram,
                              const std::vector<float> &w,
                              const std::vector<float> &pruned, int64_t k,
                              int64_t n);

/// slim-prune pattern=channel / pattern=head.
struct ChannelPruneOptions {
  bool heads = false;
  /// Fraction of each layer's channels (heads) removed.
  double sparsity = 0.25;
  std::string criterion = "magnitude";
  double damp = 0.01;
  /// Per-layer budget on the relative output error of the layers reading
  /// the channels (0: none).
  double maxOutputError = 0.0;
  /// Add what the removed channels contributed on average to the reading
  /// layers' biases (needs the Gram matrices' column sums).
  bool biasCorrection = false;
  const ::slim::calibration::Hessians *hessians = nullptr;
};

/// Prunes the output channels (heads) of every 2-D matmul and convolution
/// with a constant f32 weight whose channels can be traced (the layers
/// `skipped` has are left as they are), appending one report entry per
/// pruned layer. Errors (a layer that needs a Gram matrix it lacks, NaN or
/// Inf in a weight) fail before anything changes.
LogicalResult
pruneChannels(Operation *module, const ChannelPruneOptions &options,
              const llvm::MapVector<Operation *, std::string> &names,
              const llvm::DenseMap<Operation *, std::string> &skipped,
              llvm::json::Array &report);

} // namespace slim
} // namespace mlir

#endif // SLIM_SPARSITY_CHANNELS_H
