//===- TileAndVectorize.cpp - The vectorized CPU path ---------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Tiles linalg ops on tensors to vector-sized tiles and vectorizes each tile
// with upstream's tiling and vectorizer; the tile sizes are the only policy
// here (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMTILEANDVECTORIZEPASS
#define GEN_PASS_DEF_SLIMHOISTVECTORTRANSFERSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

/// The longest row a reduction is vectorized along in one piece (a few
/// vectors, kept in registers); longer rows are split first.
constexpr int64_t kMaxReductionRow = 64;

/// The length of a row that `op` reduces along its innermost loop (its
/// only reduction loop), or 0.
int64_t reducedRow(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators.empty() || op.getNumReductionLoops() != 1 ||
      iterators.back() != utils::IteratorType::reduction)
    return 0;
  return std::max<int64_t>(op.getStaticLoopRanges().back(), 0);
}

/// Whether `op` reduces a short row along its innermost loop: vectorized a
/// row at a time.
bool rowReduction(linalg::LinalgOp op) {
  int64_t row = reducedRow(op);
  return row > 0 && row <= kMaxReductionRow;
}

/// Whether every reduction of `op` steps by one in a tile whose vectors
/// run along its innermost loop, a parallel one: the tile is elementwise
/// (partial sums per lane).
bool innermostParallel(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  return !iterators.empty() &&
         iterators.back() == utils::IteratorType::parallel;
}

/// Whether the op is left whole (it becomes scalar loops later), each for a
/// reason measured with MLIR 22.
bool leftWhole(linalg::LinalgOp op) {
  // Tiles need static loop ranges; an empty loop computes nothing (its
  // result is empty) and stays a loop that never runs.
  if (!op.hasPureTensorSemantics() || op.hasDynamicShape() ||
      llvm::is_contained(op.getStaticLoopRanges(), 0))
    return true;
  // Convolutions and pooling: the vectorizer takes 1-D ones only.
  if (isa<linalg::ConvolutionOpInterface>(op.getOperation()) ||
      linalg::isaConvolutionOpInterface(op))
    return true;
  // Sub-byte elements (i4 from slim.unpack, i1): a buffer holds one per
  // byte, but LLVM packs vectors of them bit by bit, so vector loads and
  // stores would read the wrong bits.
  for (Value v : op->getOperands())
    if (auto t = dyn_cast<ShapedType>(v.getType()))
      if (t.getElementType().isIntOrFloat() &&
          t.getElementType().getIntOrFloatBitWidth() < 8)
        return true;
  // Maps with constant results (keep-dims reductions that write through
  // (d0, d1, 0); slim-fuse-elementwise folds them away): the vectorizer
  // builds invalid vector.multi_reductions for them.
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return true;
  // Reductions other than contractions: one row at a time when the one
  // reduction loop is the innermost and a row fits in registers (longer
  // ones were split into lanes); with a parallel innermost loop, vectors
  // along it (the reductions step by one).
  if (op.getNumReductionLoops() > 0 && !linalg::isaContractionOpInterface(op))
    return !rowReduction(op) && !innermostParallel(op);
  return false;
}

/// The loops of a contraction with one m, one n and one k loop, as
/// (batch..., m, n, k); std::nullopt for anything else.
std::optional<SmallVector<unsigned>> contractionLoops(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || dims->batch.size() + 3 != op.getNumLoops())
    return std::nullopt;
  SmallVector<unsigned> loops(dims->batch.begin(), dims->batch.end());
  loops.append({dims->m.front(), dims->n.front(), dims->k.front()});
  return loops;
}

struct SlimTileAndVectorizePass
    : mlir::slim::impl::SlimTileAndVectorizePassBase<SlimTileAndVectorizePass> {
  using SlimTileAndVectorizePassBase::SlimTileAndVectorizePassBase;

  static constexpr int64_t kMaxVectorWidth = 1024;
  static constexpr int64_t kMaxContractionRows = 256;

  /// Tile sizes, one per loop (0: not tiled, the whole range in one tile).
  SmallVector<int64_t> tileSizes(linalg::LinalgOp op) const {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    size_t n = ranges.size();
    SmallVector<int64_t> sizes(n, 1);
    // The largest tile up to `want` that divides the range: every tile is
    // full, so nothing needs masking (the outer-product lowering of a
    // contraction cannot be masked).
    auto clampTo = [&](size_t d, int64_t want) {
      int64_t t = std::min(ranges[d], want);
      while (ranges[d] % t != 0)
        --t;
      sizes[d] = t;
    };
    if (std::optional<SmallVector<unsigned>> loops = contractionLoops(op)) {
      // (batch..., m, n, k): m x n outer products, one k step at a time.
      size_t nb = loops->size() - 3;
      clampTo((*loops)[nb], contractionRows);
      clampTo((*loops)[nb + 1], vectorWidth);
      // Generic contractions (integer: extend, multiply, add) take a few
      // reduction steps per tile, so that the vectorizer's reduction
      // stays a reduction and becomes a vector.contract.
      if (isa<linalg::GenericOp>(op.getOperation()))
        clampTo((*loops)[nb + 2], 4);
      return sizes;
    }
    // A row reduction: one whole row per tile (the other loops step by
    // one), reduced in registers.
    if (op.getNumReductionLoops() > 0 && rowReduction(op)) {
      sizes.back() = ranges.back();
      return sizes;
    }
    // Otherwise: the innermost loop a vector at a time.
    if (n > 0)
      clampTo(n - 1, vectorWidth);
    return sizes;
  }

  /// The loop whose tiles `op`'s threads share: the first parallel loop,
  /// in the order the tile loops nest (contractions: batch..., m, n), that
  /// has at least two tiles of `sizes`; std::nullopt when none has.
  std::optional<unsigned> distributedLoop(linalg::LinalgOp op,
                                          ArrayRef<int64_t> sizes) const {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<unsigned> order;
    if (std::optional<SmallVector<unsigned>> loops = contractionLoops(op))
      order.assign(loops->begin(), loops->end());
    else
      order = llvm::to_vector(llvm::seq<unsigned>(0, ranges.size()));
    // Each iteration must write its own slice of every result: the loop
    // appears in every output's map (linalg allows a parallel loop an
    // output does not index, which every iteration would write whole).
    auto indexesEveryOutput = [&](unsigned d) {
      return llvm::all_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
        return op.getMatchingIndexingMap(&init).isFunctionOfDim(d);
      });
    };
    for (unsigned d : order)
      if (iterators[d] == utils::IteratorType::parallel &&
          ranges[d] / sizes[d] >= 2 && indexesEveryOutput(d))
        return d;
    return std::nullopt;
  }

  /// Distributes `op` over threads when it has at least `parallel-work`
  /// loop iterations: an `scf.forall` along its distributed loop, one
  /// iteration per tile of `sizes`, around the op on that tile. Returns the
  /// op to tile further (the inner one, or `op` unchanged).
  linalg::LinalgOp distribute(IRRewriter &rewriter, linalg::LinalgOp op,
                              ArrayRef<int64_t> sizes) const {
    if (parallelWork <= 0)
      return op;
    // (Static ranges, all positive: leftWhole keeps the others.)
    uint64_t work = 1;
    for (int64_t r : op.getStaticLoopRanges())
      work = llvm::SaturatingMultiply(work, static_cast<uint64_t>(r));
    std::optional<unsigned> loop = distributedLoop(op, sizes);
    if (work < static_cast<uint64_t>(parallelWork) || !loop)
      return op;
    SmallVector<int64_t> outer(sizes.size(), 0);
    outer[*loop] = sizes[*loop];
    scf::SCFTilingOptions options;
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), outer));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return op;
    rewriter.replaceOp(op, tiled->replacements);
    return cast<linalg::LinalgOp>(tiled->tiledOps.back());
  }

  /// A contraction written as a generic (the integer matmuls of
  /// slim-lower-quant: extend, multiply, add) vectorizes by broadcasts and
  /// a reduction along its innermost loop; with the reduction innermost,
  /// one reduction step leaves vectors of one element. Its loops are
  /// reordered to (batch..., m, k, n), so that a tile's vectors run along
  /// n (`vector-width` output columns, one reduction step).
  linalg::LinalgOp reduceBeforeColumns(IRRewriter &rewriter,
                                       linalg::LinalgOp op) const {
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    std::optional<SmallVector<unsigned>> loops = contractionLoops(op);
    if (!generic || !loops)
      return op;
    // (batch..., m, n, k) -> (batch..., m, k, n).
    SmallVector<unsigned> order(*loops);
    std::swap(order[order.size() - 1], order[order.size() - 2]);
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::GenericOp> reordered =
        linalg::interchangeGenericOp(rewriter, generic, order);
    return succeeded(reordered)
               ? cast<linalg::LinalgOp>(reordered->getOperation())
               : op;
  }

  /// Checked once, not per function: tile sizes come from these, and the
  /// bounds keep vectors a size LLVM handles in registers.
  LogicalResult initialize(MLIRContext *ctx) override {
    if (parallelWork < 0)
      return emitError(UnknownLoc::get(ctx))
             << "slim-tile-and-vectorize: parallel-work must be 0 (no "
                "threads) or a positive number of loop iterations, got "
             << static_cast<int64_t>(parallelWork);
    if (vectorWidth >= 1 && vectorWidth <= kMaxVectorWidth &&
        contractionRows >= 1 && contractionRows <= kMaxContractionRows)
      return success();
    return emitError(UnknownLoc::get(ctx))
           << "slim-tile-and-vectorize: vector-width must be in [1, "
           << kMaxVectorWidth << "] and contraction-rows in [1, "
           << kMaxContractionRows << "], got "
           << static_cast<int64_t>(vectorWidth) << " and "
           << static_cast<int64_t>(contractionRows);
  }

  /// Splits each long row reduction along its innermost loop into partial
  /// results per lane (`ratio` = up to a vector of lanes, lane j reducing
  /// elements j, j + ratio, ... in order) and a reduction of the lanes:
  /// upstream linalg::splitReduction, with the lanes innermost.
  void splitRowReductions(IRRewriter &rewriter) {
    SmallVector<linalg::LinalgOp> rows;
    getOperation().walk([&](linalg::LinalgOp op) {
      int64_t row = reducedRow(op);
      // splitReduction reads every map as dimensions and keeps the payload
      // as is: a linalg.index of the split loop would see the outer index.
      if (row > kMaxReductionRow && op.getNumDpsInits() == 1 &&
          op.hasPureTensorSemantics() && !op.hasDynamicShape() &&
          op.hasOnlyProjectedPermutations() && !op.hasIndexSemantics() &&
          !linalg::isaContractionOpInterface(op) &&
          !linalg::isaConvolutionOpInterface(op) &&
          !isa<linalg::ConvolutionOpInterface>(op.getOperation()))
        rows.push_back(op);
    });
    for (linalg::LinalgOp op : rows) {
      int64_t row = reducedRow(op);
      // The widest vector of lanes that divides the row.
      int64_t ratio = std::min<int64_t>(vectorWidth, row);
      while (row % ratio != 0)
        --ratio;
      if (ratio < 4)
        continue; // stays a loop
      unsigned outputRank =
          op.getMatchingIndexingMap(op.getDpsInitOperand(0)).getNumResults();
      linalg::ControlSplitReductionFn control = [&](linalg::LinalgOp) {
        linalg::SplitReductionOptions options;
        options.ratio = ratio;
        options.index = outputRank;
        options.innerParallel = true;
        return options;
      };
      rewriter.setInsertionPoint(op);
      (void)linalg::splitReduction(rewriter, op, control);
    }
  }

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    splitRowReductions(rewriter);
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!leftWhole(op))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      op = reduceBeforeColumns(rewriter, op);
      op = distribute(rewriter, op, tileSizes(op));
      SmallVector<int64_t> sizes = tileSizes(op);
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      rewriter.setInsertionPoint(op);
      Operation *tile = op;
      // Tile unless the op already is one tile.
      if (sizes != ranges) {
        scf::SCFTilingOptions options;
        options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
        options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
        // A contraction's tile loops run (batch..., m, n, k) whatever the
        // op's loop order: the reduction loop innermost, where the
        // accumulator tile stays put and is hoisted into registers.
        if (std::optional<SmallVector<unsigned>> loops = contractionLoops(op))
          options.setInterchange(
              SmallVector<int64_t>(loops->begin(), loops->end()));
        FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
            rewriter, cast<TilingInterface>(op.getOperation()), options);
        if (failed(tiled))
          continue; // left whole
        rewriter.replaceOp(op, tiled->replacements);
        tile = tiled->tiledOps.back();
      }
      // Vectorize the tile (full: the sizes divide the ranges), with
      // fixed-size vectors spelled out (MLIR 22 reads the scalable flags per
      // dimension). Gathers (tensor.extract in the body) fail the
      // precondition and stay scalar: n-D extract vectorization mixes index
      // and i64 on the importer's embedding lookups.
      bool contraction =
          linalg::isaContractionOpInterface(cast<linalg::LinalgOp>(tile));
      SmallVector<bool> scalable(sizes.size(), false);
      if (failed(linalg::vectorizeOpPrecondition(tile, sizes, scalable)))
        continue;
      rewriter.setInsertionPoint(tile);
      FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
          rewriter, tile, sizes, scalable,
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/contraction);
      if (failed(vectorized))
        continue;
      if (vectorized->replacements.empty())
        rewriter.eraseOp(tile);
      else
        rewriter.replaceOp(tile, vectorized->replacements);
    }
    // Transfers that broadcast (a contraction's row of the left operand
    // across n) become a plain read and a vector.broadcast, not a read per
    // lane.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    // Integer contractions vectorize as extend, broadcast, multiply and
    // reduce; these become vector.contract like the float ones (then outer
    // products along n).
    vector::populateVectorReductionToContractPatterns(patterns);
    // Reductions over dimensions a tile steps by one (partial sums per
    // lane) are elementwise.
    vector::MultiDimReductionOp::getCanonicalizationPatterns(patterns,
                                                             &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // The row reductions left (after the contractions took theirs) become
    // 1-D vector.reductions, which LLVM lowers.
    RewritePatternSet reductions(&getContext());
    vector::populateVectorMultiReductionLoweringPatterns(
        reductions, vector::VectorMultiReductionLowering::InnerReduction);
    if (failed(applyPatternsGreedily(getOperation(), std::move(reductions))))
      signalPassFailure();
  }
};

/// The buffer `v` is a view of: the value at the end of its chain of view
/// ops (an allocation, a global, an argument).
Value viewRoot(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// Whether buffers rooted at `a` and `b` (viewRoot) cannot overlap: they
/// differ and one is an allocation made in this function (memory nothing
/// else can name but its own views) while the other is an allocation, a
/// global or a function argument.
bool disjointRoots(Value a, Value b) {
  if (a == b)
    return false;
  auto isAlloc = [](Value v) {
    return v.getDefiningOp<memref::AllocOp>() ||
           v.getDefiningOp<memref::AllocaOp>();
  };
  auto isNamed = [&](Value v) {
    if (isAlloc(v) || v.getDefiningOp<memref::GetGlobalOp>())
      return true;
    auto arg = dyn_cast<BlockArgument>(v);
    return arg && isa<FunctionOpInterface>(arg.getOwner()->getParentOp()) &&
           arg.getOwner()->isEntryBlock();
  };
  return (isAlloc(a) && isNamed(b)) || (isAlloc(b) && isNamed(a));
}

/// The memrefs `op` (and what it holds) reads or writes, or std::nullopt
/// when some effect is on memory not named by a value (a call).
std::optional<SmallVector<Value>> accessedBuffers(Operation *op) {
  SmallVector<Value> buffers;
  bool unknown = false;
  op->walk([&](Operation *inner) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(inner);
    if (!effects) {
      if (!inner->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
        unknown = true;
      return;
    }
    SmallVector<MemoryEffects::EffectInstance> list;
    effects.getEffects(list);
    for (const MemoryEffects::EffectInstance &e : list) {
      if (isa<MemoryEffects::Allocate, MemoryEffects::Free>(e.getEffect()))
        continue;
      if (Value v = e.getValue())
        buffers.push_back(v);
      else
        unknown = true;
    }
  });
  if (unknown)
    return std::nullopt;
  return buffers;
}

/// Hoists an accumulator's read and write out of `loop`: a transfer_read
/// and a later transfer_write of the same buffer and loop-invariant
/// indices, when nothing else in the loop may touch that buffer. Upstream's
/// hoisting refuses any buffer that has a view anywhere (a batched
/// product's result, expanded for the next op, has); here a buffer is
/// apart from another when their roots are disjoint (disjointRoots).
/// Returns the loop that replaced `loop`, or null when nothing moved.
scf::ForOp hoistAccumulator(RewriterBase &rewriter, scf::ForOp loop) {
  Block *body = loop.getBody();
  for (auto read : body->getOps<vector::TransferReadOp>()) {
    if (read.getMask() || !isa<MemRefType>(read.getBase().getType()) ||
        !llvm::all_of(read->getOperands(), [&](Value v) {
          return loop.isDefinedOutsideOfLoop(v);
        }))
      continue;
    vector::TransferWriteOp write;
    for (Operation *user : read.getBase().getUsers())
      if (auto w = dyn_cast<vector::TransferWriteOp>(user))
        if (w->getBlock() == body && read->isBeforeInBlock(w) &&
            !w.getMask() && w.getIndices() == read.getIndices() &&
            w.getVectorType() == read.getVectorType() &&
            w.getPermutationMap() == read.getPermutationMap() &&
            w.getInBoundsAttr() == read.getInBoundsAttr())
          write = w;
    if (!write)
      continue;
    // Nothing else in the loop may read or write the buffer.
    Value root = viewRoot(read.getBase());
    bool alone = true;
    for (Operation &op : body->without_terminator()) {
      if (&op == read.getOperation() || &op == write.getOperation())
        continue;
      std::optional<SmallVector<Value>> buffers = accessedBuffers(&op);
      if (!buffers ||
          llvm::any_of(*buffers, [&](Value b) {
            return !disjointRoots(root, viewRoot(b));
          })) {
        alone = false;
        break;
      }
    }
    if (!alone)
      continue;
    // read before the loop, its value carried, write after the loop (the
    // read is copied out first and the original replaced only once the
    // loop carries the copy: nothing moves on failure).
    rewriter.setInsertionPoint(loop);
    Operation *before = rewriter.clone(*read);
    FailureOr<LoopLikeOpInterface> carried = loop.replaceWithAdditionalYields(
        rewriter, before->getResult(0), /*replaceInitOperandUsesInLoop=*/false,
        [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
          return SmallVector<Value>{write.getValueToStore()};
        });
    if (failed(carried)) {
      rewriter.eraseOp(before);
      return nullptr;
    }
    auto hoisted = cast<scf::ForOp>(carried->getOperation());
    rewriter.replaceOp(read, hoisted.getRegionIterArgs().back());
    rewriter.moveOpAfter(write, hoisted);
    rewriter.modifyOpInPlace(write, [&] {
      write.getValueToStoreMutable().assign(hoisted.getResults().back());
    });
    return hoisted;
  }
  return nullptr;
}

struct SlimHoistVectorTransfersPass
    : mlir::slim::impl::SlimHoistVectorTransfersPassBase<
          SlimHoistVectorTransfersPass> {
  void runOnOperation() override {
    linalg::hoistRedundantVectorTransfers(getOperation());
    // Then what upstream's aliasing rule leaves, innermost loops first (a
    // loop's replacement is tried again; its parent comes later in the
    // walk and stays the same op).
    IRRewriter rewriter(&getContext());
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      while (loop)
        loop = hoistAccumulator(rewriter, loop);
  }
};
} // namespace
