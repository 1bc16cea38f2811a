//===- Matchers.cpp - What quantization passes look for -------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Layers/Matchers.h"
#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::slim;

bool mlir::slim::isQuantizableCompute(Operation *op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNhwcHwcfOp,
             linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNhwcHwcOp,
             linalg::DepthwiseConv2DNchwChwOp>(op) ||
         isGroupedConv(op);
}

/// Whether `assoc` groups dims [0], [1, 2], [3], [4] of a 5-D tensor.
static bool splitsChannels(ArrayRef<ReassociationIndices> assoc) {
  return assoc.size() == 4 && assoc[0] == ReassociationIndices{0} &&
         assoc[1] == ReassociationIndices{1, 2} &&
         assoc[2] == ReassociationIndices{3} &&
         assoc[3] == ReassociationIndices{4};
}

bool mlir::slim::isGroupedConv(Operation *op) {
  auto conv = dyn_cast<linalg::Conv2DNgchwGfchwOp>(op);
  if (!conv || !conv.hasPureTensorSemantics() || !op->hasOneUse())
    return false;
  auto expand = conv.getInputs()[0].getDefiningOp<tensor::ExpandShapeOp>();
  auto collapse = dyn_cast<tensor::CollapseShapeOp>(*op->getUsers().begin());
  auto filter = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  return expand && collapse && filter && filter.hasStaticShape() &&
         expand.getSrcType().getRank() == 4 &&
         splitsChannels(expand.getReassociationIndices()) &&
         splitsChannels(collapse.getReassociationIndices());
}

Value mlir::slim::layerInput(Operation *op) {
  if (isGroupedConv(op))
    return op->getOperand(0).getDefiningOp<tensor::ExpandShapeOp>().getSrc();
  return cast<DestinationStyleOpInterface>(op).getDpsInputs()[0];
}

SmallVector<ReassociationIndices> mlir::slim::groupedFilterReassociation() {
  return {{0, 1}, {2}, {3}, {4}};
}

Value mlir::slim::layerWeight(Operation *op) {
  Value weight = op->getOperand(1);
  if (auto expand = weight.getDefiningOp<tensor::ExpandShapeOp>();
      expand && isGroupedConv(op) &&
      expand.getReassociationIndices() == groupedFilterReassociation())
    return expand.getSrc();
  return weight;
}

Value mlir::slim::layerResult(Operation *op) {
  if (isGroupedConv(op))
    return (*op->getUsers().begin())->getResult(0);
  return op->getResult(0);
}

Value mlir::slim::matchBiasAdd(linalg::GenericOp g, Value result,
                               int64_t axis) {
  if (g.getNumDpsInputs() != 2 || g.getNumDpsInits() != 1 ||
      g.getNumLoops() != g.getNumParallelLoops() ||
      g->getResult(0).getType() != result.getType() ||
      !g.getMatchingIndexingMap(g.getDpsInitOperand(0)).isIdentity())
    return {};
  Value bias;
  std::optional<unsigned> biasArg, resultArg;
  for (OpOperand *in : g.getDpsInputOperands()) {
    AffineMap map = g.getMatchingIndexingMap(in);
    auto type = dyn_cast<RankedTensorType>(in->get().getType());
    if (in->get() == result && map.isIdentity()) {
      resultArg = in->getOperandNumber();
    } else if (in->get().getDefiningOp<arith::ConstantOp>() && type &&
               type.getRank() == 1 && map.getNumResults() == 1 &&
               map.getResult(0) == getAffineDimExpr(axis, map.getContext())) {
      bias = in->get();
      biasArg = in->getOperandNumber();
    }
  }
  if (!bias || !resultArg)
    return {};
  Block &body = g.getRegion().front();
  auto add = dyn_cast<arith::AddFOp>(cast<linalg::YieldOp>(body.getTerminator())
                                         .getOperand(0)
                                         .getDefiningOp());
  if (body.getOperations().size() != 2 || !add)
    return {};
  Value a = body.getArgument(*resultArg), b = body.getArgument(*biasArg);
  if (!((add.getLhs() == a && add.getRhs() == b) ||
        (add.getLhs() == b && add.getRhs() == a)))
    return {};
  return bias;
}

SmallVector<Operation *, 1> mlir::slim::layersReading(OpOperand &use) {
  Operation *owner = use.getOwner();
  SmallVector<Operation *, 1> layers;
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(owner)) {
    // One expand_shape may feed several grouped convolutions (after CSE).
    for (Operation *user : expand->getUsers())
      if (isGroupedConv(user) && layerInput(user) == use.get())
        layers.push_back(user);
    return layers;
  }
  auto dps = dyn_cast<DestinationStyleOpInterface>(owner);
  if (dps && isQuantizableCompute(owner) && dps.isDpsInput(&use))
    layers.push_back(owner);
  return layers;
}

bool mlir::slim::feedsCompute(
    Value v, const llvm::DenseMap<Operation *, std::string> *excluded) {
  return llvm::any_of(v.getUses(), [&](OpOperand &use) {
    return llvm::any_of(layersReading(use), [&](Operation *layer) {
      return !(excluded && excluded->contains(layer));
    });
  });
}

Value mlir::slim::combineAlongAxis(
    OpBuilder &b, Location loc, Value in, Value vector, Value init,
    int64_t axis,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(in.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap along = AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{in, vector}, ValueRange{init},
             ArrayRef<AffineMap>{id, along, id},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       combine(nb, nl, args[0], args[1]));
             })
      .getResult(0);
}

bool ConstantLikeAnalysis::isConstantLike(Value v) {
  auto it = memo.find(v);
  if (it != memo.end())
    return it->second;
  memo[v] = false; // cycles (through regions) are not constant
  Operation *def = v.getDefiningOp();
  bool result = false;
  if (def) {
    if (isa<arith::ConstantOp, tensor::EmptyOp>(def)) {
      result = true;
    } else if (isMemoryEffectFree(def) && def->getNumOperands() > 0) {
      result = llvm::all_of(def->getOperands(),
                            [&](Value o) { return isConstantLike(o); });
      // Region bodies may read their own values and constants from above.
      def->walk([&](Operation *inner) {
        if (inner == def)
          return;
        for (Value o : inner->getOperands()) {
          Operation *owner = o.getParentBlock()->getParentOp();
          bool inside = owner == def || def->isProperAncestor(owner);
          if (!inside && !isConstantLike(o))
            result = false;
        }
      });
    }
  }
  memo[v] = result;
  return result;
}

bool mlir::slim::isElementwiseTensorOp(Operation *op) {
  if (op->getNumResults() != 1 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return false;
  if (op->hasTrait<OpTrait::Elementwise>())
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumLoops() == linalgOp.getNumParallelLoops() &&
         !isa<linalg::FillOp, linalg::BroadcastOp, linalg::TransposeOp>(op);
}

Value mlir::slim::epilogueEnd(Value v, ConstantLikeAnalysis &constants) {
  while (v.hasOneUse()) {
    Operation *user = *v.getUsers().begin();
    if (!isElementwiseTensorOp(user) ||
        user->getResult(0).getType() != v.getType())
      break;
    bool othersConstant = llvm::all_of(user->getOperands(), [&](Value o) {
      return o == v || constants.isConstantLike(o);
    });
    if (!othersConstant)
      break;
    v = user->getResult(0);
  }
  return v;
}

/// Row-major strides of a shape.
SmallVector<int64_t> mlir::slim::rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

LogicalResult mlir::slim::checkMaterializable(Operation *op,
                                              int64_t numElements,
                                              StringRef what) {
  if (numElements <= kMaxMaterializedElements)
    return success();
  return op->emitOpError() << what << " has " << numElements
                           << " elements, more than the "
                           << kMaxMaterializedElements
                           << " this pass can hold in memory";
}

std::optional<float> mlir::slim::readSplatValue(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense || !dense.isSplat() || !isa<FloatType>(dense.getElementType()))
      return std::nullopt;
    APFloat f = dense.getSplatValue<APFloat>();
    bool lost = false;
    f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    return f.convertToFloat();
  }
  // Moving the elements of a splat leaves a splat.
  std::optional<std::pair<Value, AffineMap>> move = dataMovement(def);
  return move ? readSplatValue(move->first) : std::nullopt;
}

/// The values of a constant-like weight in the layout of `v`'s type:
/// arith.constant (dense or f32 dense_resource), through linalg.transpose and
/// linalg.broadcast.
std::optional<std::vector<float>> mlir::slim::readConstantValues(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxMaterializedElements)
    return std::nullopt;
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    Attribute value = constant.getValue();
    std::vector<float> out;
    out.reserve(type.getNumElements());
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (!isa<FloatType>(dense.getElementType()))
        return std::nullopt;
      for (APFloat f : dense.getValues<APFloat>()) {
        bool lost = false;
        f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
        out.push_back(f.convertToFloat());
      }
      return out;
    }
    if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value)) {
      std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
      if (!data)
        return std::nullopt;
      out.assign(data->begin(), data->end());
      return out;
    }
    return std::nullopt;
  }
  std::optional<std::pair<Value, AffineMap>> move = dataMovement(def);
  if (!move)
    return std::nullopt;
  std::optional<std::vector<float>> in = readConstantValues(move->first);
  if (!in)
    return std::nullopt;
  auto inType = cast<RankedTensorType>(move->first.getType());
  std::vector<int64_t> sources =
      gatherSources(type.getShape(), inType.getShape(), move->second);
  std::vector<float> out(sources.size());
  for (size_t i = 0; i < sources.size(); ++i)
    out[i] = (*in)[sources[i]];
  return out;
}

std::optional<std::pair<Value, AffineMap>>
mlir::slim::dataMovement(Operation *op) {
  MLIRContext *ctx = op->getContext();
  if (auto t = dyn_cast<linalg::TransposeOp>(op)) {
    // Output dim p reads input dim perm[p]: input dim k is output dim p
    // with perm[p] = k.
    ArrayRef<int64_t> perm = t.getPermutation();
    SmallVector<unsigned> inv(perm.size());
    for (auto [p, k] : llvm::enumerate(perm))
      inv[k] = p;
    return std::make_pair(t.getInput(), AffineMap::getPermutationMap(inv, ctx));
  }
  if (auto b = dyn_cast<linalg::BroadcastOp>(op)) {
    int64_t rank = b.getInit().getType().getRank();
    SmallVector<AffineExpr> kept;
    for (int64_t d = 0; d < rank; ++d)
      if (!llvm::is_contained(b.getDimensions(), d))
        kept.push_back(getAffineDimExpr(d, ctx));
    return std::make_pair(b.getInput(), AffineMap::get(rank, 0, kept, ctx));
  }
  auto g = dyn_cast<linalg::GenericOp>(op);
  if (!g || g.getNumDpsInputs() != 1 || g.getNumDpsInits() != 1 ||
      g.getNumLoops() != g.getNumParallelLoops() ||
      !g.getMatchingIndexingMap(g.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  AffineMap map = g.getMatchingIndexingMap(g.getDpsInputOperand(0));
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getOperand(0) != body.getArgument(0) ||
      !map.isProjectedPermutation())
    return std::nullopt;
  return std::make_pair(g.getDpsInputOperand(0)->get(), map);
}

std::vector<int64_t> mlir::slim::gatherSources(ArrayRef<int64_t> outShape,
                                               ArrayRef<int64_t> inShape,
                                               AffineMap inputMap) {
  SmallVector<int64_t> outStrides = rowMajorStrides(outShape);
  SmallVector<int64_t> inStrides = rowMajorStrides(inShape);
  // The input stride each output dim steps by (0: a broadcast dim).
  SmallVector<int64_t> strideOf(outShape.size(), 0);
  for (auto [k, expr] : llvm::enumerate(inputMap.getResults()))
    strideOf[cast<AffineDimExpr>(expr).getPosition()] = inStrides[k];
  int64_t n = 1;
  for (int64_t d : outShape)
    n *= d;
  std::vector<int64_t> sources(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < outShape.size(); ++d)
      src += (i / outStrides[d] % outShape[d]) * strideOf[d];
    sources[i] = src;
  }
  return sources;
}

/// `entry`'s Gram matrix for a weight of `k` rows: an error on `op` when
/// its size differs or it saw no finite rows.
static FailureOr<const ::slim::calibration::Gram *>
checkedGram(Operation *op,
            const std::pair<const std::string, ::slim::calibration::Gram>
                &entry,
            int64_t k, StringRef what, StringRef weight, StringRef rows) {
  if (entry.second.k != k)
    return op->emitOpError("the ")
           << what << " of observer '" << entry.first << "' is "
           << entry.second.k << " x " << entry.second.k << " but " << weight
           << " " << k << " " << rows;
  if (entry.second.rows == 0)
    return op->emitOpError("the ")
           << what << " of observer '" << entry.first
           << "' saw no finite rows";
  return &entry.second;
}

FailureOr<const ::slim::calibration::Gram *>
mlir::slim::findMatmulGram(Operation *op,
                           const ::slim::calibration::Hessians &hessians,
                           MissingGram missing) {
  auto mm = dyn_cast<linalg::MatmulOp>(op);
  auto observed = mm ? mm.getInputs()[0].getDefiningOp<ObserveOp>() : nullptr;
  auto it = observed ? hessians.observers.find(observed.getId().str())
                     : hessians.observers.end();
  if (it == hessians.observers.end()) {
    if (missing == MissingGram::Ignore)
      return nullptr;
    if (missing == MissingGram::Error)
      return op->emitOpError("has no Gram matrix for its input in the "
                             "hessians directory (it needs a linalg.matmul "
                             "reading a slim.observe calibrated with slim-run "
                             "--hessians)");
    op->emitWarning("no Hessian for this layer's input (GPTQ needs a "
                    "linalg.matmul reading a slim.observe calibrated with "
                    "slim-run --hessians); its weight is rounded to nearest");
    return nullptr;
  }
  int64_t k = cast<RankedTensorType>(mm.getInputs()[1].getType()).getDimSize(0);
  return checkedGram(op, *it, k, "Hessian", "the weight has", "rows");
}

FailureOr<const ::slim::calibration::Gram *>
mlir::slim::findConvGram(Operation *op,
                         const ::slim::calibration::Hessians &hessians) {
  if (!isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(op))
    return nullptr;
  auto observed = op->getOperand(0).getDefiningOp<ObserveOp>();
  if (!observed || !observed.getPatchesAttr())
    return nullptr;
  auto it = hessians.observers.find(observed.getId().str());
  if (it == hessians.observers.end())
    return nullptr;
  auto filter = cast<RankedTensorType>(op->getOperand(1).getType());
  // The filter's K: all but its output-channel dimension (F of FCHW, the
  // last of HWCF).
  int64_t k = filter.getNumElements() /
              filter.getDimSize(isa<linalg::Conv2DNchwFchwOp>(op) ? 0 : 3);
  return checkedGram(op, *it, k, "patch Gram matrix", "the filter has",
                     "taps");
}

void mlir::slim::eraseDeadProducers(Value v) {
  SmallVector<Operation *> dead{v.getDefiningOp()};
  // An op reached twice (a constant that two transposes of it read) is
  // erased once: the second visit must not touch it.
  llvm::SmallPtrSet<Operation *, 8> erased;
  while (!dead.empty()) {
    Operation *def = dead.pop_back_val();
    if (!def || erased.contains(def) || !isOpTriviallyDead(def))
      continue;
    for (Value operand : def->getOperands())
      dead.push_back(operand.getDefiningOp());
    erased.insert(def);
    def->erase();
  }
}

llvm::DenseMap<Operation *, int64_t>
mlir::slim::layerStages(Operation *root,
                        llvm::function_ref<bool(Operation *)> layer,
                        llvm::function_ref<bool(Operation *)> passThrough) {
  llvm::DenseMap<Operation *, int64_t> stages;
  llvm::DenseMap<Value, int64_t> depth;
  root->walk([&](Operation *op) {
    int64_t in = 0;
    for (Value v : op->getOperands())
      in = std::max(in, depth.lookup(v));
    bool isLayer = layer(op);
    bool counts = isLayer || (passThrough && passThrough(op));
    if (isLayer)
      stages[op] = in;
    for (Value r : op->getResults())
      depth[r] = counts ? in + 1 : in;
  });
  return stages;
}

FailureOr<std::optional<std::vector<float>>>
mlir::slim::readLayerWeight(Operation *op, Value weight) {
  auto type = cast<ShapedType>(weight.getType());
  if (failed(checkMaterializable(op, type.getNumElements(), "the weight")))
    return failure();
  std::optional<std::vector<float>> values = readConstantValues(weight);
  if (!values)
    op->emitRemark("left dense: the weight is not a constant this pass can "
                   "read (arith.constant, through linalg.transpose or "
                   "linalg.broadcast)");
  return values;
}
