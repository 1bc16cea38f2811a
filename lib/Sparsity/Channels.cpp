//===- Channels.cpp - Channel and head pruning: which ops shrink ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/Channels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Layers/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <deque>

using namespace mlir;
using namespace mlir::slim;

namespace {

/// The sizes of the dimensions of `shape` that `group` (one reassociation
/// group) names.
SmallVector<int64_t> groupSizes(ArrayRef<int64_t> shape,
                                const ReassociationIndices &group) {
  SmallVector<int64_t> sizes;
  for (int64_t d : group)
    sizes.push_back(shape[d]);
  return sizes;
}

/// In the sizes of a group of dimensions split from one: the position of
/// the first of more than one element (the last when there is none) and
/// the number of elements of the dimensions after it.
std::pair<size_t, int64_t> leadingDim(ArrayRef<int64_t> sizes) {
  size_t j = 0;
  while (j + 1 < sizes.size() && sizes[j] == 1)
    ++j;
  int64_t after = 1;
  for (size_t i = j + 1; i < sizes.size(); ++i)
    after *= sizes[i];
  return {j, after};
}

/// Units of `inner` elements along one dimension, seen in the dimensions
/// it is split into (`sizes`, row-major): the position in the group of the
/// one dimension that holds them and its inner size. A unit must be a
/// whole slice of that dimension: the dimensions before it in the group
/// are of size 1 and those after it make up a divisor of `inner`.
std::optional<std::pair<size_t, int64_t>> splitUnits(ArrayRef<int64_t> sizes,
                                                     int64_t inner) {
  auto [j, after] = leadingDim(sizes);
  if (inner % after != 0 || sizes[j] % (inner / after) != 0)
    return std::nullopt;
  return std::make_pair(j, inner / after);
}

/// The converse: units held by position `j` of a group (`inner` each) in
/// the merged dimension: the inner size there, when the dimensions before
/// j are of size 1.
std::optional<int64_t> mergeUnits(ArrayRef<int64_t> sizes, size_t j,
                                  int64_t inner) {
  int64_t after = 1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i < j && sizes[i] != 1)
      return std::nullopt;
    if (i > j)
      after *= sizes[i];
  }
  return inner * after;
}

/// The loop dimension that result `pos` of `map` reads, if it is one.
std::optional<unsigned> loopDim(AffineMap map, int64_t pos) {
  if (auto d = dyn_cast<AffineDimExpr>(map.getResult(pos)))
    return d.getPosition();
  return std::nullopt;
}

const ChannelNode *nodeOf(const ChannelTrace &trace, Value v) {
  auto it = trace.nodes.find(v);
  return it == trace.nodes.end() ? nullptr : &it->second;
}

/// The input dimension of a linalg.broadcast that its init's dimension
/// `dim` reads, none when `dim` is one the broadcast adds.
std::optional<int64_t> broadcastSource(linalg::BroadcastOp op, int64_t dim) {
  ArrayRef<int64_t> added = op.getDimensions();
  if (llvm::is_contained(added, dim))
    return std::nullopt;
  return dim - llvm::count_if(added, [&](int64_t d) { return d < dim; });
}

bool isContractionLike(linalg::LinalgOp op) {
  return linalg::isaContractionOpInterface(op) ||
         linalg::isaConvolutionOpInterface(op);
}

class Tracer {
public:
  Tracer(ConstantLikeAnalysis &constants, Block *block)
      : constants(constants), block(block) {}

  bool run(Value result, int64_t dim, int64_t inner);

  ChannelTrace trace;
  std::string why;
  Operation *blame = nullptr;
  /// The first elementwise op where the units met a tensor computed
  /// elsewhere (a residual add), for the message when the trace fails
  /// further on.
  Operation *join = nullptr;

private:
  bool fail(Operation *op, const Twine &message) {
    if (why.empty()) {
      why = message.str();
      blame = op;
    }
    return false;
  }
  bool add(Value v, int64_t dim, int64_t inner, Operation *at);
  bool process(Value v);
  bool visit(Operation *op);
  bool visitReshape(Operation *op, Value src, Value result,
                    ArrayRef<ReassociationIndices> groups, bool expand);
  bool visitLinalg(linalg::LinalgOp op);
  /// An op whose result has its input's dimensions (slim.observe, a
  /// tensor.pad): the units lie along the same dimension of both, if
  /// `carries` (when given) accepts it.
  bool visitSameDims(Operation *op, Value in, Value out,
                     llvm::function_ref<bool(int64_t)> carries = nullptr);
  bool materializable(Value v);
  /// The node of a traced tensor that is computed (not constant-like):
  /// only those say anything about the ops that read or write them (a
  /// constant or an empty tensor may be shared with ops the units never
  /// reach).
  const ChannelNode *computedNode(Value v) {
    const ChannelNode *n = nodeOf(trace, v);
    return n && !constants.isConstantLike(v) ? n : nullptr;
  }

  ConstantLikeAnalysis &constants;
  Block *block;
  std::deque<Value> work;
  /// The op whose visit traced each tensor (for the messages).
  llvm::DenseMap<Value, Operation *> tracedBy;
  llvm::SetVector<Operation *> ops;
};

bool Tracer::add(Value v, int64_t dim, int64_t inner, Operation *at) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.isDynamicDim(dim))
    return fail(at, "it reaches a tensor whose pruned dimension is dynamic");
  int64_t size = type.getDimSize(dim);
  if (inner <= 0 || size % inner != 0)
    return fail(at, llvm::formatv("it reaches a dimension of {0} elements "
                                  "that is not whole units of {1}",
                                  size, inner));
  int64_t units = size / inner;
  if (trace.units == 0)
    trace.units = units;
  else if (units != trace.units)
    return fail(at, llvm::formatv("it reaches a dimension of {0} units "
                                  "where the layer has {1}",
                                  units, trace.units));
  auto [it, inserted] = trace.nodes.insert({v, ChannelNode{dim, inner}});
  if (!inserted) {
    if (it->second.dim != dim || it->second.inner != inner) {
      return fail(at, llvm::formatv("it reaches two dimensions of one "
                                    "tensor ({0} and {1} of a {2})",
                                    it->second.dim, dim, v.getType())
                          .str());
    }
    return true;
  }
  tracedBy[v] = at;
  work.push_back(v);
  return true;
}

/// Whether a constant-like tensor can be made anew with fewer units along
/// `dim`: a tensor.empty, a fill or broadcast into one (of a constant
/// that can), or f32 values this pass reads (a constant, through data
/// movement).
static bool canMaterialize(Value v, int64_t dim) {
  Operation *def = v.getDefiningOp();
  if (isa_and_nonnull<tensor::EmptyOp>(def))
    return true;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(def))
    return canMaterialize(fill.getOutputs()[0], dim);
  if (auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(def)) {
    if (!canMaterialize(broadcast.getInit(), dim))
      return false;
    std::optional<int64_t> from = broadcastSource(broadcast, dim);
    return !from || canMaterialize(broadcast.getInput(), *from);
  }
  auto type = cast<RankedTensorType>(v.getType());
  return type.getElementType().isF32() && type.hasStaticShape() &&
         readConstantValues(v).has_value();
}

bool Tracer::materializable(Value v) {
  return canMaterialize(v, trace.nodes.lookup(v).dim);
}

bool Tracer::process(Value v) {
  if (constants.isConstantLike(v)) {
    if (!materializable(v))
      return fail(tracedBy.lookup(v),
                  "it reaches a constant it cannot slice (not f32, or "
                  "computed by ops other than data movement)");
    trace.leaves.insert(v);
    return true;
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return fail(tracedBy.lookup(v),
                "the channels would have to come from a function argument");
  if (def->getBlock() != block)
    return fail(def, "it reaches an op in another block");
  if (!visit(def))
    return false;
  for (Operation *user : v.getUsers()) {
    if (user->getBlock() != block)
      return fail(user, "it reaches an op in another block");
    if (!visit(user))
      return false;
  }
  return true;
}

bool Tracer::visitReshape(Operation *op, Value src, Value result,
                          ArrayRef<ReassociationIndices> groups, bool expand) {
  // The side with one dimension per group and the side with the groups.
  Value merged = expand ? src : result, split = expand ? result : src;
  ArrayRef<int64_t> splitShape =
      cast<RankedTensorType>(split.getType()).getShape();
  if (const ChannelNode *n = computedNode(merged)) {
    SmallVector<int64_t> sizes = groupSizes(splitShape, groups[n->dim]);
    std::optional<std::pair<size_t, int64_t>> at = splitUnits(sizes, n->inner);
    if (!at)
      return fail(op, llvm::formatv(
                          "a reshape splits the pruned dimension into "
                          "pieces that cut its units of {0} (channel "
                          "pruning removes whole slices; attention heads "
                          "are pruned with pattern=head)",
                          n->inner));
    if (!add(split, groups[n->dim][at->first], at->second, op))
      return false;
  }
  if (const ChannelNode *n = computedNode(split)) {
    for (auto [g, group] : llvm::enumerate(groups)) {
      auto pos = llvm::find(group, n->dim);
      if (pos == group.end())
        continue;
      std::optional<int64_t> inner =
          mergeUnits(groupSizes(splitShape, group), pos - group.begin(),
                     n->inner);
      if (!inner)
        return fail(op, "a reshape merges the pruned dimension with an "
                        "outer one, interleaving its units");
      if (!add(merged, g, *inner, op))
        return false;
    }
  }
  return true;
}

bool Tracer::visitLinalg(linalg::LinalgOp op) {
  // The loop dimensions that traced operands and results read.
  llvm::SmallDenseMap<unsigned, int64_t> loops; // loop -> inner
  auto note = [&](AffineMap map, Value v) {
    const ChannelNode *n = computedNode(v);
    if (!n)
      return true;
    std::optional<unsigned> l = loopDim(map, n->dim);
    if (!l)
      return fail(op, "it reads the pruned dimension through an index "
                      "expression (a window or an offset)");
    loops[*l] = n->inner;
    return true;
  };
  for (OpOperand &o : op->getOpOperands())
    if (!note(op.getMatchingIndexingMap(&o), o.get()))
      return false;
  for (OpResult r : op->getResults())
    if (!note(op.getIndexingMapMatchingResult(r), r))
      return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (auto [loop, loopInner] : loops) {
    unsigned l = loop;
    int64_t inner = loopInner;
    if (iterators[l] == utils::IteratorType::reduction && !isContractionLike(op))
      return fail(op, "it reaches an op that reduces over the pruned "
                      "channels (a normalization): removing them would "
                      "change every other channel");
    bool usesIndex = false;
    op->walk([&](linalg::IndexOp index) {
      usesIndex |= index.getDim() == l;
    });
    if (usesIndex)
      return fail(op, "it reaches an op whose body reads the index of the "
                      "pruned dimension");
    // Every operand and result that reads loop l, at that position.
    auto carry = [&](AffineMap map, Value v, OpOperand *use) {
      std::optional<int64_t> at;
      for (unsigned pos = 0; pos < map.getNumResults(); ++pos) {
        if (!map.getResult(pos).isFunctionOfDim(l))
          continue;
        if (at || !loopDim(map, pos))
          return fail(op, "it reads the pruned dimension through an index "
                          "expression (a window or an offset)");
        at = pos;
      }
      if (!at)
        return true;
      if (use && constants.isConstantLike(v))
        trace.leafUses.insert(use);
      else if (use && !join && !nodeOf(trace, v) && isa<linalg::GenericOp>(op))
        join = op; // the units meet a tensor computed elsewhere
      return add(v, *at, inner, op);
    };
    for (OpOperand &o : op->getOpOperands())
      if (!carry(op.getMatchingIndexingMap(&o), o.get(), &o))
        return false;
    for (OpResult r : op->getResults())
      if (!carry(op.getIndexingMapMatchingResult(r), r, nullptr))
        return false;
  }
  return true;
}

bool Tracer::visitSameDims(Operation *op, Value in, Value out,
                           llvm::function_ref<bool(int64_t)> carries) {
  for (Value v : {in, out})
    if (const ChannelNode *n = computedNode(v)) {
      ChannelNode copy = *n;
      if (carries && !carries(copy.dim))
        return fail(op, llvm::formatv("it reaches a {0} that pads the "
                                      "pruned dimension",
                                      op->getName())
                            .str());
      if (!add(in, copy.dim, copy.inner, op) ||
          !add(out, copy.dim, copy.inner, op))
        return false;
    }
  return true;
}

bool Tracer::visit(Operation *op) {
  ops.insert(op);
  if (auto observe = dyn_cast<ObserveOp>(op))
    return visitSameDims(op, observe.getInput(), observe.getResult());
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
    return visitReshape(op, expand.getSrc(), expand.getResult(),
                        expand.getReassociationIndices(), /*expand=*/true);
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
    return visitReshape(op, collapse.getSrc(), collapse.getResult(),
                        collapse.getReassociationIndices(),
                        /*expand=*/false);
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    // Padding along other dimensions; none along the pruned one.
    return visitSameDims(op, pad.getSource(), pad.getResult(),
                         [&](int64_t dim) {
                           return getConstantIntValue(
                                      pad.getMixedLowPad()[dim]) == 0 &&
                                  getConstantIntValue(
                                      pad.getMixedHighPad()[dim]) == 0;
                         });
  }
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    if (!linalgOp.hasPureTensorSemantics())
      return fail(op, "it reaches a linalg op on buffers");
    return visitLinalg(linalgOp);
  }
  return fail(op, llvm::formatv("it reaches {0}, which channel pruning "
                                "cannot rewrite",
                                op->getName())
                      .str());
}

bool Tracer::run(Value result, int64_t dim, int64_t inner) {
  if (!add(result, dim, inner, result.getDefiningOp()))
    return false;
  while (!work.empty()) {
    Value v = work.front();
    work.pop_front();
    if (!process(v))
      return false;
  }
  trace.ops.assign(ops.begin(), ops.end());
  llvm::sort(trace.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  // The constant weights of the contractions and convolutions.
  for (Operation *op : trace.ops) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || !isContractionLike(linalgOp))
      continue;
    SmallVector<utils::IteratorType> iterators =
        linalgOp.getIteratorTypesArray();
    for (OpOperand *o : linalgOp.getDpsInputOperands()) {
      const ChannelNode *n = nodeOf(trace, o->get());
      if (!n || !trace.leaves.contains(o->get()))
        continue;
      unsigned l = *loopDim(linalgOp.getMatchingIndexingMap(o), n->dim);
      trace.weights.push_back(TracedWeight{
          op, o->get(), iterators[l] == utils::IteratorType::reduction});
    }
  }
  return true;
}

/// `type` with the units of `node` down to `kept`.
RankedTensorType shrunk(Type type, ChannelNode node, int64_t kept) {
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(ranked.getShape());
  shape[node.dim] = kept * node.inner;
  return RankedTensorType::get(shape, ranked.getElementType());
}

} // namespace

FailureOr<ChannelTrace>
mlir::slim::traceChannels(Value result, int64_t dim, int64_t inner,
                          ConstantLikeAnalysis &constants, std::string &why,
                          Operation *&blame) {
  Tracer tracer(constants, result.getParentBlock());
  if (!tracer.run(result, dim, inner)) {
    why = tracer.why;
    blame = tracer.blame;
    if (tracer.join && tracer.join != blame) {
      std::string at;
      llvm::raw_string_ostream os(at);
      tracer.join->getLoc().print(os);
      why += llvm::formatv(", after the channels meet another computed "
                           "tensor in a {0} at {1} (a residual connection)",
                           tracer.join->getName(), at)
                 .str();
    }
    return failure();
  }
  return std::move(tracer.trace);
}

std::optional<int64_t> mlir::slim::headSize(Value result, int64_t dim) {
  SmallVector<std::pair<Value, int64_t>> work{{result, dim}};
  llvm::DenseSet<Value> seen;
  while (!work.empty()) {
    auto [v, d] = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    for (Operation *user : v.getUsers()) {
      if (auto observe = dyn_cast<ObserveOp>(user)) {
        work.push_back({observe.getResult(), d});
      } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(user)) {
        // A copy: the indices come in a temporary vector.
        ReassociationIndices group = expand.getReassociationIndices()[d];
        auto [j, after] =
            leadingDim(groupSizes(expand.getResultType().getShape(), group));
        if (after > 1)
          return after;
        work.push_back({expand.getResult(), group[j]});
      } else if (auto generic = dyn_cast<linalg::GenericOp>(user)) {
        if (generic.getNumReductionLoops() != 0 || generic->getNumResults() != 1)
          continue;
        for (OpOperand &o : generic->getOpOperands()) {
          if (o.get() != v)
            continue;
          std::optional<unsigned> l =
              loopDim(generic.getMatchingIndexingMap(&o), d);
          AffineMap out = generic.getIndexingMapMatchingResult(
              generic->getResult(0));
          for (unsigned pos = 0; l && pos < out.getNumResults(); ++pos)
            if (loopDim(out, pos) == l)
              work.push_back({generic->getResult(0), pos});
        }
      }
    }
  }
  return std::nullopt;
}

std::vector<float> mlir::slim::sliceUnits(const std::vector<float> &values,
                                          ArrayRef<int64_t> shape,
                                          ChannelNode node,
                                          ArrayRef<int64_t> kept) {
  int64_t outer = 1, rest = 1;
  for (int64_t d = 0; d < node.dim; ++d)
    outer *= shape[d];
  for (size_t d = node.dim + 1; d < shape.size(); ++d)
    rest *= shape[d];
  int64_t size = shape[node.dim];
  std::vector<float> out;
  out.reserve(static_cast<size_t>(outer * kept.size() * node.inner * rest));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t u : kept) {
      const float *from =
          values.data() + (o * size + u * node.inner) * rest;
      out.insert(out.end(), from, from + node.inner * rest);
    }
  return out;
}

/// A constant-like tensor (canMaterialize) with only the `kept` units of
/// `inner` elements along `dim`; its values from `values` when given.
static Value materialize(OpBuilder &b, Value v, int64_t dim,
                         ArrayRef<int64_t> kept, int64_t inner,
                         const std::vector<float> *values) {
  ChannelNode node{dim, inner};
  auto type = cast<RankedTensorType>(v.getType());
  RankedTensorType smaller =
      shrunk(type, node, static_cast<int64_t>(kept.size()));
  Operation *def = v.getDefiningOp();
  Location loc = def->getLoc();
  if (auto empty = dyn_cast<tensor::EmptyOp>(def))
    return tensor::EmptyOp::create(b, loc, smaller, empty.getDynamicSizes());
  if (auto fill = dyn_cast<linalg::FillOp>(def)) {
    Value init =
        materialize(b, fill.getOutputs()[0], dim, kept, inner, nullptr);
    return linalg::FillOp::create(b, loc, fill.getInputs()[0], init)
        .getResult(0);
  }
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(def)) {
    Value init = materialize(b, broadcast.getInit(), dim, kept, inner, nullptr);
    Value input = broadcast.getInput();
    if (std::optional<int64_t> from = broadcastSource(broadcast, dim))
      input = materialize(b, input, *from, kept, inner, nullptr);
    return linalg::BroadcastOp::create(b, loc, input, init,
                                       broadcast.getDimensions())
        ->getResult(0);
  }
  std::vector<float> sliced = sliceUnits(
      values ? *values : *readConstantValues(v), type.getShape(), node, kept);
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(smaller, ArrayRef<float>(sliced)));
}

llvm::DenseMap<Operation *, Operation *> mlir::slim::shrinkChannels(
    const ChannelTrace &trace, ArrayRef<int64_t> kept,
    const llvm::DenseMap<Value, std::vector<float>> &replacement) {
  int64_t count = static_cast<int64_t>(kept.size());
  IRMapping map;
  llvm::DenseMap<Value, Value> fresh;
  // The constant-like tensors: new ones next to the old.
  for (Value leaf : trace.leaves) {
    Operation *def = leaf.getDefiningOp();
    OpBuilder b(def->getContext());
    b.setInsertionPointAfter(def);
    auto found = replacement.find(leaf);
    fresh[leaf] = materialize(b, leaf, trace.nodes.lookup(leaf).dim, kept,
                              trace.nodes.lookup(leaf).inner,
                              found == replacement.end() ? nullptr
                                                         : &found->second);
  }
  // The ops, cloned in order with the smaller types.
  SmallVector<Operation *> rebuilt;
  for (Operation *op : trace.ops) {
    OpBuilder b(op);
    auto newType = [&](Value v) -> Type {
      const ChannelNode *n = nodeOf(trace, v);
      return n ? Type(shrunk(v.getType(), *n, count)) : v.getType();
    };
    Operation *clone;
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      auto type = cast<RankedTensorType>(newType(expand.getResult()));
      SmallVector<OpFoldResult> shape = expand.getMixedOutputShape();
      for (auto [d, size] : llvm::enumerate(type.getShape()))
        if (!ShapedType::isDynamic(size))
          shape[d] = b.getIndexAttr(size);
      clone = tensor::ExpandShapeOp::create(
          b, op->getLoc(), type, map.lookupOrDefault(expand.getSrc()),
          expand.getReassociationIndices(), shape);
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      clone = tensor::CollapseShapeOp::create(
          b, op->getLoc(),
          cast<RankedTensorType>(newType(collapse.getResult())),
          map.lookupOrDefault(collapse.getSrc()),
          collapse.getReassociationIndices());
    } else {
      clone = b.clone(*op, map);
      for (OpOperand &o : op->getOpOperands())
        if (trace.leafUses.contains(&o))
          clone->setOperand(o.getOperandNumber(), fresh.lookup(o.get()));
      for (OpResult r : clone->getResults())
        r.setType(newType(op->getResult(r.getResultNumber())));
    }
    map.map(op->getResults(), clone->getResults());
    rebuilt.push_back(clone);
  }
  llvm::DenseMap<Operation *, Operation *> replaced;
  for (auto [op, clone] : llvm::zip(trace.ops, rebuilt)) {
    op->replaceAllUsesWith(clone->getResults());
    replaced[op] = clone;
  }
  for (Operation *op : llvm::reverse(trace.ops))
    op->erase();
  // The old constant-like tensors nothing reads any more.
  eraseUnused(trace.leaves.getArrayRef());
  return replaced;
}

std::optional<std::pair<std::vector<int64_t>, SmallVector<int64_t>>>
mlir::slim::filterMatrix(Operation *op, RankedTensorType type) {
  ArrayRef<int64_t> s = type.getShape();
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return std::make_pair(std::vector<int64_t>(),
                          SmallVector<int64_t>{s[0] * s[1] * s[2], s[3]});
  if (!isa<linalg::Conv2DNchwFchwOp>(op))
    return std::nullopt;
  int64_t f = s[0], c = s[1], kh = s[2], kw = s[3];
  std::vector<int64_t> at(static_cast<size_t>(f * c * kh * kw));
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t p = 0; p < kh; ++p)
        for (int64_t q = 0; q < kw; ++q)
          at[((fi * c + ch) * kh + p) * kw + q] =
              ((p * kw + q) * c + ch) * f + fi;
  return std::make_pair(std::move(at), SmallVector<int64_t>{c * kh * kw, f});
}

std::vector<double>
mlir::slim::meanShift(const ::slim::calibration::Gram &gram,
                      const std::vector<float> &w,
                      const std::vector<float> &pruned, int64_t k, int64_t n) {
  if (gram.columnSum.size() != static_cast<size_t>(k) || gram.rows == 0)
    return {};
  std::vector<double> delta(static_cast<size_t>(n), 0.0);
  for (int64_t r = 0; r < k; ++r) {
    double mean = gram.columnSum[r] / double(gram.rows);
    for (int64_t c = 0; c < n; ++c)
      delta[c] += mean * (double(w[r * n + c]) - double(pruned[r * n + c]));
  }
  return delta;
}

bool mlir::slim::correctBias(Operation *op, ArrayRef<double> delta) {
  int64_t axis = isa<linalg::Conv2DNhwcHwcfOp>(op)
                     ? 3
                     : (isa<linalg::MatmulOp, linalg::Conv2DNchwFchwOp>(op)
                            ? 1
                            : -1);
  if (axis < 0)
    return false;
  auto corrected = [&](OpBuilder &b, Value bias) -> Value {
    std::optional<std::vector<float>> values = readConstantValues(bias);
    if (!values || values->size() != delta.size())
      return {};
    for (size_t i = 0; i < delta.size(); ++i)
      (*values)[i] = static_cast<float>(double((*values)[i]) + delta[i]);
    return arith::ConstantOp::create(
        b, bias.getLoc(),
        DenseElementsAttr::get(cast<RankedTensorType>(bias.getType()),
                               ArrayRef<float>(*values)));
  };
  Value result = op->getResult(0);
  for (Operation *user : result.getUsers()) {
    auto g = dyn_cast<linalg::GenericOp>(user);
    Value bias = g ? matchBiasAdd(g, result, axis) : Value();
    if (!bias)
      continue;
    OpBuilder b(g);
    Value fresh = corrected(b, bias);
    if (!fresh)
      return false;
    for (OpOperand &o : g->getOpOperands())
      if (o.get() == bias)
        o.set(fresh);
    eraseUnused(bias);
    return true;
  }
  // The bias broadcast into the init (the importers' convolutions).
  auto init = cast<linalg::LinalgOp>(op).getDpsInitsMutable()[0].get();
  auto broadcast = init.getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast || broadcastSource(broadcast, axis) != 0 ||
      cast<RankedTensorType>(broadcast.getInput().getType()).getRank() != 1)
    return false;
  OpBuilder b(op);
  Value fresh = corrected(b, broadcast.getInput());
  if (!fresh)
    return false;
  Value rebuilt = linalg::BroadcastOp::create(b, broadcast.getLoc(), fresh,
                                              broadcast.getInit(),
                                              broadcast.getDimensions())
                      ->getResult(0);
  cast<DestinationStyleOpInterface>(op).getDpsInitsMutable()[0].set(rebuilt);
  eraseUnused(init);
  return true;
}

void mlir::slim::eraseUnused(ArrayRef<Value> values) {
  SmallVector<Operation *> dead;
  for (Value v : values)
    if (Operation *def = v.getDefiningOp())
      dead.push_back(def);
  llvm::DenseSet<Operation *> erased;
  while (!dead.empty()) {
    Operation *def = dead.pop_back_val();
    if (erased.contains(def) || !def->use_empty() || !isMemoryEffectFree(def))
      continue;
    erased.insert(def);
    for (Value operand : def->getOperands())
      if (Operation *from = operand.getDefiningOp())
        dead.push_back(from);
    def->erase();
  }
}
