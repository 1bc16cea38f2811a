//===- PackContractions.cpp - Constant-packed contractions on micro-kernels ===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"
#include "slim/Codegen/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Numerics/Quantization.h"
#include "slim/Runtime/Kernels.h"
#include "slim/Layers/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <vector>

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMPACKCONTRACTIONSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace rt = ::slim::runtime;

namespace {

/// A contraction a micro-kernel can run: int8 x int8 -> int32 or f32.
struct Contraction {
  bool isF32 = false;
  Value lhs, init;
  Value weight; ///< K x N (or B x K x N: rhsBatched), i8 or f32
  bool lhsUnsigned = false, rhsUnsigned = false, rhsBatched = false;
};

/// `v` is `ext(arg)` of an i8 block argument widened to i32; returns the
/// argument's number and whether the extension is unsigned.
static std::optional<std::pair<unsigned, bool>> matchExtendedArg(Value v,
                                                                 Block &body) {
  Operation *op = v.getDefiningOp();
  if (!op || op->getBlock() != &body ||
      !isa<arith::ExtSIOp, arith::ExtUIOp>(op) ||
      !op->getResult(0).getType().isSignlessInteger(32))
    return std::nullopt;
  auto arg = dyn_cast<BlockArgument>(op->getOperand(0));
  if (!arg || arg.getOwner() != &body || !arg.getType().isSignlessInteger(8))
    return std::nullopt;
  return std::make_pair(arg.getArgNumber(), isa<arith::ExtUIOp>(op));
}

/// The body `yield(out + a * b)` (either operand order of both): integer,
/// `addi(out, muli(ext(a), extsi(b)))` with 8-bit a and b, or f32,
/// `addf(out, mulf(a, b))`. Fills `m.isF32` and `m.lhsUnsigned`.
static bool matchProductSum(Block &body, Contraction &m) {
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  Operation *add = yield.getOperand(0).getDefiningOp();
  if (!add || add->getBlock() != &body || !isa<arith::AddIOp, arith::AddFOp>(add))
    return false;
  m.isF32 = isa<arith::AddFOp>(add);
  Value out = body.getArgument(2), product;
  if (add->getOperand(0) == out)
    product = add->getOperand(1);
  else if (add->getOperand(1) == out)
    product = add->getOperand(0);
  else
    return false;
  Operation *mul = product.getDefiningOp();
  if (!mul || mul->getBlock() != &body)
    return false;
  if (m.isF32) {
    // a * b on the block arguments themselves, in f32.
    if (!mul || !isa<arith::MulFOp>(mul) || body.getOperations().size() != 3 ||
        !out.getType().isF32())
      return false;
    auto x = dyn_cast<BlockArgument>(mul->getOperand(0));
    auto y = dyn_cast<BlockArgument>(mul->getOperand(1));
    return x && y && x.getOwner() == &body && y.getOwner() == &body &&
           x.getArgNumber() + y.getArgNumber() == 1 &&
           x.getType().isF32() && y.getType().isF32();
  }
  if (!mul || !isa<arith::MulIOp>(mul) || body.getOperations().size() != 5)
    return false;
  auto x = matchExtendedArg(mul->getOperand(0), body);
  auto y = matchExtendedArg(mul->getOperand(1), body);
  if (!x || !y)
    return false;
  if (x->first == 1)
    std::swap(x, y);
  if (x->first != 0 || y->first != 1)
    return false;
  m.lhsUnsigned = x->second;
  m.rhsUnsigned = y->second;
  return true;
}

static std::optional<Contraction> matchContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || op->getNumRegions() != 1)
    return std::nullopt;
  unsigned loops = op.getNumLoops();
  if (loops != 3 && loops != 4)
    return std::nullopt;
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  for (unsigned i = 0; i < loops; ++i)
    if (iters[i] != (i + 1 == loops ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel))
      return std::nullopt;
  // (b, m, n, k) or (m, n, k): A over (b, m, k), W over (k, n) or
  // (b, k, n), C over (b, m, n).
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  unsigned o = loops - 3;
  SmallVector<AffineExpr> a, w, c;
  if (o) {
    a.push_back(d(0));
    c.push_back(d(0));
  }
  a.append({d(o), d(o + 2)});
  w.append({d(o + 2), d(o + 1)});
  c.append({d(o), d(o + 1)});
  SmallVector<AffineMap> want = {AffineMap::get(loops, 0, a, ctx),
                                 AffineMap::get(loops, 0, w, ctx),
                                 AffineMap::get(loops, 0, c, ctx)};
  Contraction m;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (o && maps[1] == AffineMap::get(loops, 0, {d(0), d(o + 2), d(o + 1)},
                                     ctx)) {
    m.rhsBatched = true;
    maps[1] = want[1];
  }
  if (maps != want)
    return std::nullopt;
  if (!matchProductSum(op->getRegion(0).front(), m))
    return std::nullopt;
  m.lhs = op.getDpsInputOperand(0)->get();
  m.init = op.getDpsInitOperand(0)->get();
  m.weight = op.getDpsInputOperand(1)->get();
  auto type = dyn_cast<RankedTensorType>(m.weight.getType());
  if (!type || (m.isF32 ? !type.getElementType().isF32()
                        : !type.getElementType().isSignlessInteger(8)))
    return std::nullopt;
  return m;
}

/// Whether `m` can run on a kernel with its weight packed at compile time:
/// one static K x N weight of signed bytes or floats.
static bool isPackable(const Contraction &m) {
  auto type = cast<RankedTensorType>(m.weight.getType());
  return !m.rhsBatched && !m.rhsUnsigned && type.hasStaticShape() &&
         type.getDimSize(1) > 0;
}

/// The values of an i8 constant (dense, splat or dense_resource), row-major.
static std::optional<std::vector<int8_t>> readInt8Constant(Value v) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    auto values = dense.getValues<int8_t>();
    return std::vector<int8_t>(values.begin(), values.end());
  }
  if (auto resource =
          dyn_cast<DenseI8ResourceElementsAttr>(constant.getValue()))
    if (std::optional<ArrayRef<int8_t>> data = resource.tryGetAsArrayRef())
      return std::vector<int8_t>(data->begin(), data->end());
  return std::nullopt;
}

/// `plain`'s values packed by `pack(plain, packed)` into `size` elements of
/// `elemType` (C++ type T), or null when that is too big.
template <typename T, typename In, typename Pack>
static DenseElementsAttr packAs(const std::vector<In> &plain, int64_t size,
                                Type elemType, Pack pack) {
  if (size > kMaxMaterializedElements)
    return nullptr;
  std::vector<T> packed(static_cast<size_t>(size));
  pack(plain.data(), packed.data());
  return DenseElementsAttr::get(RankedTensorType::get({size}, elemType),
                                ArrayRef<T>(packed));
}

/// The packed constant of `m`'s weight, or null when the weight is not a
/// constant (dense or dense_resource, through data movement for f32) or
/// its packed form would be too big.
static DenseElementsAttr packWeight(const Contraction &m, Builder &b) {
  auto weightType = cast<RankedTensorType>(m.weight.getType());
  int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
  if (m.isF32) {
    std::optional<std::vector<float>> plain = readConstantValues(m.weight);
    if (!plain)
      return nullptr;
    return packAs<float>(*plain, rt::packedF32Shape(k, n).elements(),
                         b.getF32Type(), [&](const float *w, float *out) {
                           rt::packF32Rhs(w, n, 1, k, n, out);
                         });
  }
  std::optional<std::vector<int8_t>> plain = readInt8Constant(m.weight);
  if (!plain)
    return nullptr;
  return packAs<int8_t>(*plain, rt::packedInt8Shape(k, n).bytes(),
                        b.getI8Type(), [&](const int8_t *w, int8_t *out) {
                          rt::packInt8Rhs(w, n, 1, k, n, out);
                        });
}

/// Dense int8 weights from which on they are read from memory rather than
/// cache: one weight this big, or a function whose weights together are.
constexpr int64_t kStreamedWeightBytes = int64_t(4) << 20;

/// Whether sparse-weights=auto stores a pruned weight (at least half zeros)
/// sparse for this product: only where the kernels rebuild its groups
/// cheaply (AVX-512 VNNI or AMX code on a host with VBMI2's vpexpandb; the
/// pshufb rebuild of the other ISAs costs more than the bytes it saves:
/// 0.5-0.6x at one row on the Xeon), and there where reading fewer bytes pays
/// (measured on the Xeon, docs/codegen.md and docs/performance.md): below
/// 16 rows (the fused kernel, 1.6x at one row; a dynamic M counts as few
/// rows, the batch-1 case); from 128 rows on (AMX rebuilding B once per
/// 256 rows) when the weights are read from memory, not cache: a weight
/// of 4 MiB (128 x 4096 x 4096: 1.01-1.04x; 2048^3 1.09-1.14x), or a function
/// whose int8 weights add up to that (MiniLM, 10.6 MB: its 128-row products
/// take the same time either way, on 0.63 of the bytes). Dense otherwise:
/// 16 to 127 rows (AMX, 0.82-0.93x at 4096 x 4096), and one small weight
/// kept hot in cache (128 x 768 x 768: 0.76-0.86x). On AMX, a weight whose
/// 64 k x 16 blocks (AMX's tiles of B) were removed whole pays from 16 rows
/// on: the kernel skips the empty tiles' products (the Xeon, one thread,
/// against dense AMX: 80% of the tiles empty 2.0x at 16 x 4096 x 4096, 2.1x
/// at 64, 2.5x at 128, 1.2x at 32 x 768 x 768; half of them empty 0.97x at
/// 16 x 4096 x 4096, 1.15x at 64, 1.4x at 128, 0.75x at 32 x 768 x 768).
static bool sparsePays(rt::Isa isa, int64_t rows, int64_t k, int64_t n,
                       bool weightsStream, ArrayRef<int8_t> packed) {
  if ((isa != rt::Isa::Avx512Vnni && isa != rt::Isa::Amx) ||
      !codegen::hostHasFeature("avx512vbmi2"))
    return false;
  if (ShapedType::isDynamic(rows) || rows < 16)
    return true;
  if (isa == rt::Isa::Amx) {
    double empty = rt::emptyInt8TileFraction(packed.data(), k, n);
    if (empty >= 0.75 || (empty >= 0.5 && rows >= 64))
      return true;
  }
  // The many-row case is AMX's: the fused kernel of AVX-512 VNNI rebuilds
  // every group once per 8-row tile (16 x 4096 x 4096 on the Xeon: 0.91
  // ms, where AMX's rebuild took 0.70 and dense AMX 0.62).
  return isa == rt::Isa::Amx && rows >= 128 &&
         (weightsStream ||
          rt::packedInt8Shape(k, n).bytes() >= kStreamedWeightBytes);
}

/// The sparse form of a packed int8 weight (Kernels.h; `dense`, its
/// bytes), when at least half of the weight's bytes are zero (or
/// `always`); null otherwise or when it would be too big.
static DenseElementsAttr sparsePacked(MLIRContext *ctx,
                                      const std::vector<int8_t> &dense,
                                      int64_t k, int64_t n, bool always) {
  if (!always) {
    // The weight's own zeros: the panels' zeros but their padding's.
    rt::PackedInt8Shape s = rt::packedInt8Shape(k, n);
    int64_t zeros = std::count(dense.begin(), dense.begin() + s.kp * s.np, 0) -
                    (s.kp * s.np - k * n);
    if (2 * zeros < k * n)
      return nullptr;
  }
  int64_t bytes = rt::sparseInt8Bytes(dense.data(), k, n);
  return packAs<int8_t>(dense, bytes, IntegerType::get(ctx, 8),
                        [&](const int8_t *d, int8_t *out) {
                          rt::packSparseInt8Rhs(d, k, n, out);
                        });
}

/// The row-compressed form of a packed f32 weight (Kernels.h): when at
/// least half of its panels' rows are zeros, on every ISA (the kernels
/// skip the removed rows; blocks of 4 x 16 removed at 50%: 1 x 4096 x 4096
/// 1.88x the dense kernel, 128 rows 1.24x; at 80% 4.67x and 2.58x,
/// measured on the Xeon); when single weights are removed (2:4,
/// unstructured) so that the form takes at most 0.65 of the dense bytes,
/// on the AVX-512 kernels (vexpandps) for the few rows where the weight's
/// bytes are the cost: up to 2 rows, or up to 8 rows of a weight of 4 MiB
/// or more (2:4 on the Xeon, one thread: 1 x 4096 x 4096 1.68x, 8 rows
/// 1.39x, 16 rows 0.87x, 128 rows 0.74x; 1 x 768 x 768 1.2x, 8 rows 0.81x);
/// or `always`. Null otherwise or when too big.
static DenseElementsAttr rowCompressed(DenseElementsAttr packed, int64_t k,
                                       int64_t n, bool always, rt::Isa isa,
                                       int64_t rows) {
  std::vector<float> dense(packed.getValues<float>().begin(),
                           packed.getValues<float>().end());
  int64_t bytes = rt::sparseF32Bytes(dense.data(), k, n);
  if (!always && rt::sparseF32RemovedRows(dense.data(), k, n) < 0.5) {
    int64_t denseBytes = 4 * int64_t(dense.size());
    bool wide = isa == rt::Isa::Avx512Vnni || isa == rt::Isa::Amx;
    bool fewRows = !ShapedType::isDynamic(rows) &&
                   (rows <= 2 ||
                    (rows <= 8 && denseBytes >= kStreamedWeightBytes));
    if (!wide || !fewRows || 100 * bytes > 65 * denseBytes)
      return nullptr;
  }
  return packAs<int8_t>(dense, bytes, IntegerType::get(packed.getContext(), 8),
                        [&](const float *d, int8_t *out) {
                          rt::packSparseF32Rhs(d, k, n, out);
                        });
}

/// Whether `v` is a linalg.fill of +0 (integer 0, or float +0.0: a -0.0
/// start changes the sign of an all-zero sum) whose result the kernel
/// overwrites anyway; returns the filled tensor.
static Value zeroFilled(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  if (!fill || !(matchPattern(fill.getInputs()[0], m_Zero()) ||
                 matchPattern(fill.getInputs()[0], m_PosZeroFloat())))
    return nullptr;
  return fill.getOutputs()[0];
}

/// The leaves of a tree of `Add` ops over `body`'s arguments, or nothing
/// when a node is anything else or an argument is used twice.
template <typename Add>
static bool collectAddends(Value v, Block &body, SmallVectorImpl<unsigned> &args) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg.getOwner() != &body || llvm::is_contained(args, arg.getArgNumber()))
      return false;
    args.push_back(arg.getArgNumber());
    return true;
  }
  auto add = v.getDefiningOp<Add>();
  return add && add->getBlock() == &body &&
         collectAddends<Add>(add.getLhs(), body, args) &&
         collectAddends<Add>(add.getRhs(), body, args);
}

/// Folds the elementwise op that adds per-column vectors to `matmul`'s
/// result (what slim-lower-quant emits after a contraction: zero-point
/// corrections and the bias; a float model's bias add) into the kernel's
/// `bias` (slim.packed_matmul or slim.dynamic_packed_matmul without one).
/// Integer: any sum of the result and column vectors (wrapping, so in any
/// order); f32: the result plus one column vector (one rounding, as
/// before). Several column vectors are summed once, in a 1-D op of N
/// elements.
static void fuseColumnEpilogue(IRRewriter &rewriter, Operation *matmul) {
  if (matmul->getNumResults() != 1)
    return;
  Value result = matmul->getResult(0);
  if (!result.hasOneUse())
    return;
  auto epi = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  auto type = cast<RankedTensorType>(result.getType());
  int64_t rank = type.getRank();
  Type elem = type.getElementType();
  if (!epi || epi.getNumDpsInits() != 1 || epi.getNumResults() != 1 ||
      epi.getNumLoops() != rank ||
      epi.getNumParallelLoops() != epi.getNumLoops() ||
      epi.getResult(0).getType() != type ||
      !epi.getMatchingIndexingMap(epi.getDpsInitOperand(0)).isIdentity() ||
      epi.payloadUsesValueFromOperand(epi.getDpsInitOperand(0)))
    return;
  MLIRContext *ctx = rewriter.getContext();
  AffineMap column =
      AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx), ctx);
  Block &body = epi.getRegion().front();
  SmallVector<Value> columns;
  bool sawResult = false;
  for (OpOperand *in : epi.getDpsInputOperands()) {
    AffineMap map = epi.getMatchingIndexingMap(in);
    if (in->get() == result && map.isIdentity() && !sawResult) {
      sawResult = true;
      continue;
    }
    auto t = dyn_cast<RankedTensorType>(in->get().getType());
    if (map != column || !t || t.getRank() != 1 || t.getElementType() != elem)
      return;
    columns.push_back(in->get());
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  SmallVector<unsigned> addends;
  bool isF32 = elem.isF32();
  if (!sawResult || columns.empty() || (isF32 && columns.size() != 1) ||
      !(isF32 ? collectAddends<arith::AddFOp>(yield.getOperand(0), body,
                                              addends)
              : collectAddends<arith::AddIOp>(yield.getOperand(0), body,
                                              addends)) ||
      static_cast<int64_t>(addends.size()) != epi.getNumDpsInputs())
    return;
  rewriter.setInsertionPoint(epi);
  Location loc = epi.getLoc();
  Value bias = columns.front();
  if (columns.size() > 1) {
    // Sum the integer columns once: N elements, not M x N.
    SmallVector<OpFoldResult> size = {tensor::getMixedSize(rewriter, loc, bias, 0)};
    Value empty = tensor::EmptyOp::create(rewriter, loc, size, elem);
    AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
    SmallVector<AffineMap> maps(columns.size() + 1, id);
    bias = linalg::GenericOp::create(
               rewriter, loc, empty.getType(), columns, ValueRange{empty},
               maps, {utils::IteratorType::parallel},
               [&](OpBuilder &b, Location l, ValueRange args) {
                 Value sum = args[0];
                 for (Value v : args.drop_front().drop_back())
                   sum = arith::AddIOp::create(b, l, sum, v);
                 linalg::YieldOp::create(b, l, sum);
               })
               .getResult(0);
  }
  Operation *fused;
  if (auto packed = dyn_cast<PackedMatmulOp>(matmul)) {
    fused = PackedMatmulOp::create(
        rewriter, packed.getLoc(), TypeRange{type}, packed.getLhs(),
        packed.getPacked(), packed.getInit(), bias, packed.getK(),
        packed.getN(), packed.getIsa(), packed.getLhsUnsigned(),
        packed.getAccumulate(), packed.getSparse());
  } else if (auto wo = dyn_cast<DequantMatmulOp>(matmul)) {
    fused = DequantMatmulOp::create(
        rewriter, wo.getLoc(), TypeRange{type}, wo.getLhs(), wo.getPacked(),
        wo.getInit(), wo.getScales(), wo.getOffsets(), bias, wo.getK(),
        wo.getN(), wo.getBits(), wo.getGroupSize(), wo.getIsa(),
        wo.getAccumulate(), wo.getInt8Activations(), wo.getSparse());
  } else if (auto sign = dyn_cast<SignMatmulOp>(matmul)) {
    fused = SignMatmulOp::create(
        rewriter, sign.getLoc(), TypeRange{type}, sign.getLhs(),
        sign.getSigns(), sign.getInit(), sign.getScales(), bias, sign.getK(),
        sign.getN(), sign.getIsaAttr(), sign.getAccumulate());
  } else {
    auto dynamic = cast<DynamicPackedMatmulOp>(matmul);
    fused = DynamicPackedMatmulOp::create(
        rewriter, dynamic.getLoc(), TypeRange{type}, dynamic.getLhs(),
        dynamic.getPacked(), dynamic.getInit(), dynamic.getScales(),
        dynamic.getZeroPoints(), bias, dynamic.getK(), dynamic.getN(),
        dynamic.getIsa(), dynamic.getPerRow());
  }
  rewriter.replaceOp(epi, fused->getResults());
  rewriter.eraseOp(matmul);
}

/// slim.dynamic_qmatmul by a constant weight of signed 8-bit storage, per
/// tensor or per column: one slim.dynamic_packed_matmul with the weight
/// packed now and its scales (as f32, as slim-lower-quant rounds them) and
/// nonzero zero points as column constants. Null when it does not apply.
static Operation *packDynamic(IRRewriter &rewriter, DynamicQMatmulOp op,
                              KernelIsa isa) {
  auto cast = op.getRhs().getDefiningOp<quant::StorageCastOp>();
  RankedTensorType wType = op.getRhs().getType();
  FailureOr<QuantLayout> w = QuantLayout::tryGet(wType);
  if (!cast || failed(w) || !w->isSigned || w->storageWidth != 8 ||
      !w->isPerTensorOrAxis(1) || !wType.hasStaticShape() ||
      wType.getDimSize(1) == 0)
    return nullptr;
  std::optional<std::vector<int8_t>> plain = readInt8Constant(cast.getInput());
  int64_t k = wType.getDimSize(0), n = wType.getDimSize(1);
  if (!plain)
    return nullptr;
  DenseElementsAttr packed =
      packAs<int8_t>(*plain, rt::packedInt8Shape(k, n).bytes(),
                     rewriter.getI8Type(), [&](const int8_t *v, int8_t *out) {
                       rt::packInt8Rhs(v, n, 1, k, n, out);
                     });
  if (!packed)
    return nullptr;
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  // Per tensor: one parameter for every column.
  SmallVector<float> scales;
  SmallVector<int32_t> zeros;
  for (int64_t j = 0; j < n; ++j) {
    size_t i = w->isPerTensor() ? 0 : static_cast<size_t>(j);
    scales.push_back(static_cast<float>(w->scales[i]));
    zeros.push_back(static_cast<int32_t>(w->zeroPoints[i]));
  }
  Value packedValue = arith::ConstantOp::create(rewriter, loc, packed);
  Value scaleValue = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, rewriter.getF32Type()),
                             ArrayRef(scales)));
  Value zeroValue;
  if (llvm::any_of(zeros, [](int32_t z) { return z != 0; }))
    zeroValue = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({n}, rewriter.getI32Type()),
            ArrayRef(zeros)));
  Value lhs = op.getLhs();
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(rewriter, loc, lhs, 0),
                                     rewriter.getIndexAttr(n)};
  Value init =
      tensor::EmptyOp::create(rewriter, loc, sizes, rewriter.getF32Type());
  auto matmul = DynamicPackedMatmulOp::create(
      rewriter, loc, TypeRange{op.getResult().getType()}, lhs, packedValue,
      init, scaleValue, zeroValue, /*bias=*/Value(), k, n, isa,
      op.getPerRow());
  rewriter.replaceOp(op, matmul.getResults());
  return matmul;
}

/// The storage integers of a quantized constant: `quant.scast` of an i8
/// constant, or of `slim.unpack` of one (4 bits, two per byte along the
/// last dimension, low nibble first), K x N row-major, widened by the
/// storage's signedness. Nothing when `v` is anything else.
static std::optional<std::vector<int32_t>>
readStorageValues(Value v, const QuantLayout &l, int64_t k, int64_t n) {
  auto cast = v.getDefiningOp<quant::StorageCastOp>();
  if (!cast)
    return std::nullopt;
  Value stored = cast.getInput();
  bool unpacked = false;
  if (auto unpack = stored.getDefiningOp<UnpackOp>()) {
    stored = unpack.getPacked();
    unpacked = true;
  }
  if (unpacked != (l.storageWidth == 4) ||
      (l.storageWidth != 4 && l.storageWidth != 8))
    return std::nullopt;
  std::optional<std::vector<int8_t>> bytes = readInt8Constant(stored);
  int64_t rowBytes = unpacked ? (n + 1) / 2 : n;
  if (!bytes || static_cast<int64_t>(bytes->size()) != k * rowBytes)
    return std::nullopt;
  std::vector<int32_t> q(static_cast<size_t>(k * n));
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      auto byte = static_cast<uint8_t>((*bytes)[r * rowBytes + (unpacked ? c / 2 : c)]);
      int32_t v = unpacked ? (byte >> (4 * (c % 2))) & 15 : byte;
      int32_t half = unpacked ? 8 : 128;
      if (l.isSigned && v >= half)
        v -= 2 * half;
      q[r * n + c] = v;
    }
  return q;
}

/// Whether sparse-weights=auto stores 2:4-pruned 4-bit weights in the 2:4
/// form for a product of `rows` rows: from 16 rows on, where the kernels
/// dequantize blocks once for many rows and the form costs nothing (the
/// Xeon, one thread, 2:4 form against the plain layout: 1.01x at 16 x 4096
/// x 4096, 1.01x at 128 x 4096 x 4096 and 128 x 768 x 768) on 0.75 of the
/// bytes; below, the few-row kernels' rebuild of each quartet costs more
/// than the bytes save (0.63x at one row, 0.82x at four).
static bool sparseLowBitPays(int64_t rows) {
  return !ShapedType::isDynamic(rows) && rows >= 16;
}

/// A float contraction whose weight is `slim.dequantize` of a constant of
/// 4- or 8-bit storage (what slim-weight-only makes), with parameters per
/// tensor, per column or per group of rows along K (any grouping of the
/// columns): one slim.dequant_matmul with the storage values packed, the
/// scales and shifted zero points as groups x Np constants. Null when it
/// does not apply.
static Operation *packWeightOnly(IRRewriter &rewriter, linalg::LinalgOp op,
                                 const Contraction &m, KernelIsa isa,
                                 bool int8Activations,
                                 StringRef sparseWeights) {
  auto dequantize = m.weight.getDefiningOp<DequantizeOp>();
  if (!m.isF32 || m.rhsBatched || !dequantize)
    return nullptr;
  auto qType = cast<RankedTensorType>(dequantize.getInput().getType());
  FailureOr<QuantLayout> l = QuantLayout::tryGet(qType);
  if (failed(l) || !qType.hasStaticShape() || qType.getRank() != 2)
    return nullptr;
  int64_t k = qType.getDimSize(0), n = qType.getDimSize(1), group = k;
  for (const QuantParamDim &d : l->paramDims) {
    if (d.tensorDim == 0)
      group = d.blockSize;
    else if (d.tensorDim != 1)
      return nullptr;
  }
  if (n == 0 || group < 1)
    return nullptr;
  std::optional<std::vector<int32_t>> q =
      readStorageValues(dequantize.getInput(), *l, k, n);
  if (!q)
    return nullptr;
  int64_t bits = l->storageWidth;
  bool int8 = int8Activations && rt::int8ActivationsApply(bits, group, k);
  if (int8Activations && !int8)
    op->emitRemark("weight-only-activations=int8 does not apply (")
        << bits << "-bit weights in groups of " << group << " along K = " << k
        << "; it needs 4 bits and groups of a multiple of 8): the activation "
           "stays f32";
  rt::PackedLowBitShape shape = rt::packedLowBitShape(k, n, bits, group, int8);
  int64_t params = shape.groups() * shape.np;
  if (shape.bytes() > kMaxMaterializedElements ||
      params > kMaxMaterializedElements)
    return nullptr;
  std::vector<float> scales(static_cast<size_t>(params), 0.0f);
  std::vector<int8_t> offsets(static_cast<size_t>(params), 0);
  std::vector<int32_t> zeros(static_cast<size_t>(shape.groups() * n));
  for (int64_t g = 0; g < shape.groups(); ++g)
    for (int64_t c = 0; c < n; ++c) {
      int64_t i = l->paramIndexOf({g * group, c});
      zeros[g * n + c] = static_cast<int32_t>(l->zeroPoints[i]);
      scales[g * shape.np + c] = static_cast<float>(l->scales[i]);
      int64_t offset = rt::lowBitOffset(
          static_cast<int32_t>(l->zeroPoints[i]), bits, l->isSigned);
      // slim.dequantize's verifier keeps zero points inside the storage
      // range, which lowBitOffset maps into int8.
      assert(offset >= -128 && offset <= 127 && "zero point out of storage");
      offsets[g * shape.np + c] = static_cast<int8_t>(offset);
    }
  // 4-bit weights pruned 2:4 along K (every quartet of a column at most two
  // values other than its zero point) in the 2:4 form where it pays (or
  // always, if asked); the plain layout otherwise.
  std::vector<int8_t> packed;
  bool sparse = false;
  auto lhsType = cast<ShapedType>(m.lhs.getType());
  int64_t rows = lhsType.getDimSize(lhsType.getRank() - 2);
  // (Smaller than the plain layout: K of 1, 2, 5 or 6 is not.)
  if (bits == 4 && !int8 && sparseWeights != "never" &&
      (sparseWeights == "always" ||
       (sparseLowBitPays(rows) &&
        rt::sparseLowBitBytes(k, n) < shape.bytes()))) {
    packed.resize(static_cast<size_t>(rt::sparseLowBitBytes(k, n)));
    sparse = rt::packSparseLowBitRhs(q->data(), zeros.data(), k, n, group,
                                     l->isSigned,
                                     reinterpret_cast<uint8_t *>(packed.data()));
  }
  if (!sparse) {
    packed.assign(static_cast<size_t>(shape.bytes()), 0);
    rt::packLowBitRhs(q->data(), k, n, bits, l->isSigned,
                      reinterpret_cast<uint8_t *>(packed.data()), int8);
  }
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto constant = [&](auto values, Type elem) {
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({static_cast<int64_t>(values.size())}, elem),
            ArrayRef(values)));
  };
  Value packedValue = constant(packed, rewriter.getI8Type());
  Value scaleValue = constant(scales, rewriter.getF32Type());
  Value offsetValue = constant(offsets, rewriter.getI8Type());
  Value init = m.init;
  bool accumulate = true;
  if (Value filled = zeroFilled(m.init)) {
    init = filled;
    accumulate = false;
  }
  auto matmul = DequantMatmulOp::create(
      rewriter, loc, TypeRange{m.init.getType()}, m.lhs, packedValue, init,
      scaleValue, offsetValue, /*bias=*/Value(), k, n, bits, group, isa,
      accumulate, int8, sparse);
  rewriter.replaceOp(op, matmul.getResults());
  return matmul;
}

/// When `v` is a tensor.pad of +0 along the spatial dimensions only
/// (static amounts; H, W at 2, 3 or, `nhwc`, at 1, 2) of a source with
/// static shape but the batch: the source and [top, left, bottom, right].
static std::optional<std::pair<Value, SmallVector<int64_t>>>
matchSpatialZeroPad(Value v, bool nhwc) {
  auto pad = v.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getConstantPaddingValue() ||
      !matchPattern(pad.getConstantPaddingValue(), m_PosZeroFloat()))
    return std::nullopt;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  int64_t sd = nhwc ? 1 : 2;
  auto source = cast<RankedTensorType>(pad.getSource().getType());
  if (low.size() != 4 || high.size() != 4 ||
      llvm::any_of(source.getShape().drop_front(), ShapedType::isDynamic))
    return std::nullopt;
  for (int64_t d = 0; d < 4; ++d) {
    bool spatial = d == sd || d == sd + 1;
    if (ShapedType::isDynamic(low[d]) || ShapedType::isDynamic(high[d]) ||
        (!spatial && (low[d] != 0 || high[d] != 0)))
      return std::nullopt;
  }
  return std::make_pair(pad.getSource(),
                        SmallVector<int64_t>{low[sd], low[sd + 1], high[sd],
                                             high[sd + 1]});
}

/// linalg.conv_2d_nchw_fchw or conv_2d_nhwc_hwcf in f32 with a constant
/// filter and static shapes: one slim.packed_conv2d with the filter packed
/// as the K x F matrix of its taps (in the op's reduction order). Null
/// when it does not apply.
static Operation *packConvolution(IRRewriter &rewriter, linalg::LinalgOp op,
                                  KernelIsa kernelIsa) {
  bool depthwise = llvm::isa<linalg::DepthwiseConv2DNchwChwOp,
                             linalg::DepthwiseConv2DNhwcHwcOp>(op);
  bool nhwc =
      llvm::isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp>(op);
  if (!depthwise && !nhwc && !llvm::isa<linalg::Conv2DNchwFchwOp>(op))
    return nullptr;
  if (!op.hasPureTensorSemantics())
    return nullptr;
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  auto inType = cast<RankedTensorType>(input.getType());
  auto fType = cast<RankedTensorType>(filter.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  if (!inType.hasStaticShape() || !fType.hasStaticShape() ||
      !outType.hasStaticShape() || !inType.getElementType().isF32() ||
      !fType.getElementType().isF32() || !outType.getElementType().isF32())
    return nullptr;
  std::optional<std::vector<float>> w = readConstantValues(filter);
  if (!w)
    return nullptr;
  // FCHW or HWCF; depthwise CHW or HWC.
  ArrayRef<int64_t> fs = fType.getShape();
  int64_t c, f, kh, kw;
  if (depthwise) {
    c = f = nhwc ? fs[2] : fs[0];
    kh = nhwc ? fs[0] : fs[1];
    kw = nhwc ? fs[1] : fs[2];
  } else {
    f = nhwc ? fs[3] : fs[0];
    c = nhwc ? fs[2] : fs[1];
    kh = nhwc ? fs[0] : fs[2];
    kw = nhwc ? fs[1] : fs[3];
  }
  int64_t k = c * kh * kw;
  if (f == 0 || rt::packedF32Shape(k, f).elements() > kMaxMaterializedElements)
    return nullptr;
  DenseElementsAttr packed;
  if (depthwise) {
    // Taps-major, channels padded to 16 (the runtime's vectors).
    int64_t cp = (c + 15) / 16 * 16;
    std::vector<float> taps(
        static_cast<size_t>(rt::packedDepthwiseElements(c, kh, kw)), 0.0f);
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t p = 0; p < kh; ++p)
        for (int64_t q = 0; q < kw; ++q)
          taps[(p * kw + q) * cp + ch] =
              (*w)[nhwc ? (p * kw + q) * c + ch : (ch * kh + p) * kw + q];
    packed = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(taps.size())},
                              rewriter.getF32Type()),
        ArrayRef<float>(taps));
  } else if (nhwc) {
    // B (K x F, row k the tap (kh, kw, c)) packed as the f32 kernel's right
    // operand.
    packed = packAs<float>(*w, rt::packedF32Shape(k, f).elements(),
                           rewriter.getF32Type(), [&](const float *v, float *out) {
                             rt::packF32Rhs(v, f, 1, k, f, out);
                           });
  } else {
    // The filter itself (F x K, taps in (c, kh, kw) order) is the kernel's
    // left operand.
    packed = DenseElementsAttr::get(
        RankedTensorType::get({f * k}, rewriter.getF32Type()),
        ArrayRef<float>(*w));
  }
  if (!packed)
    return nullptr;
  auto attrValues = [](DenseIntElementsAttr attr) {
    SmallVector<int64_t> v;
    for (const APInt &x : attr.getValues<APInt>())
      v.push_back(x.getSExtValue());
    return v;
  };
  SmallVector<int64_t> strides, dilations;
  llvm::TypeSwitch<Operation *>(op.getOperation())
      .Case<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp,
            linalg::DepthwiseConv2DNchwChwOp,
            linalg::DepthwiseConv2DNhwcHwcOp>([&](auto conv) {
        strides = attrValues(conv.getStrides());
        dilations = attrValues(conv.getDilations());
      });
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value packedValue = arith::ConstantOp::create(rewriter, loc, packed);
  bool accumulate = true;
  if (Value filled = zeroFilled(init)) {
    init = filled;
    accumulate = false;
  }
  // A zero padding in front becomes the runtime's.
  DenseI64ArrayAttr padding;
  if (auto padded = matchSpatialZeroPad(input, nhwc)) {
    input = padded->first;
    padding = rewriter.getDenseI64ArrayAttr(padded->second);
  }
  auto conv = PackedConv2DOp::create(
      rewriter, loc, TypeRange{outType}, input, packedValue, init,
      /*bias=*/Value(), /*multipliers=*/Value(), /*shifts=*/Value(),
      rewriter.getDenseI64ArrayAttr({kh, kw}),
      rewriter.getDenseI64ArrayAttr(strides),
      rewriter.getDenseI64ArrayAttr(dilations), kernelIsa, nhwc, accumulate,
      depthwise, /*input_unsigned=*/false, padding,
      /*pad_value=*/IntegerAttr(), /*output_range=*/DenseI64ArrayAttr());
  rewriter.replaceOp(op, conv.getResults());
  return conv;
}

/// The fixed-point epilogue of a slim.requantize of an accumulator with
/// one parameter per output channel (or one for all) along `channelDim`:
/// M0 and the shift per filter, the output zero point and the clamped
/// storage range.
struct RequantEpilogue {
  SmallVector<int32_t> multipliers, shifts;
  int64_t zeroOut = 0, lo = 0, hi = 0;
};

/// `r`'s epilogue for `filters` channels, when the kernels can run it:
/// fixed-point mode, an 8-bit result with one zero point, the input's zero
/// points 0, multipliers that decompose. Nothing otherwise.
static std::optional<RequantEpilogue>
matchRequantEpilogue(RequantizeOp r, int64_t channelDim, int64_t filters) {
  FailureOr<QuantLayout> in = QuantLayout::tryGet(r.getInput().getType());
  FailureOr<QuantLayout> out = QuantLayout::tryGet(r.getResult().getType());
  if (r.getMode() != RequantMode::FixedPoint || failed(in) || failed(out) ||
      out->storageWidth != 8)
    return std::nullopt;
  FailureOr<RequantLayout> l = RequantLayout::tryGet(*in, *out);
  if (failed(l) || !l->isPerTensorOrAxis(channelDim) ||
      llvm::any_of(l->zeroIn, [](int64_t z) { return z != 0; }) ||
      llvm::any_of(l->zeroOut,
                   [&](int64_t z) { return z != l->zeroOut.front(); }))
    return std::nullopt;
  RequantEpilogue e;
  for (int64_t fi = 0; fi < filters; ++fi) {
    double m = l->multipliers[l->multipliers.size() == 1 ? 0 : fi];
    std::optional<::slim::numerics::FixedPointMultiplier> fp =
        ::slim::numerics::decomposeMultiplier(m);
    if (!fp)
      return std::nullopt;
    e.multipliers.push_back(fp->multiplier);
    e.shifts.push_back(fp->shift);
  }
  e.zeroOut = l->zeroOut.front();
  e.lo = out->range.min;
  e.hi = out->range.max;
  if (std::optional<ArrayRef<int64_t>> clamp = r.getClamp()) {
    e.lo = std::max(e.lo, (*clamp)[0]);
    e.hi = std::min(e.hi, (*clamp)[1]);
  }
  if (e.lo > e.hi)
    return std::nullopt;
  return e;
}

/// Whether every dimension of `t` but the first (the batch) is static.
static bool staticButBatch(RankedTensorType t) {
  return llvm::all_of(t.getShape().drop_front(),
                      [](int64_t d) { return !ShapedType::isDynamic(d); });
}

/// slim.qconv2d (any form) of an 8-bit input by a constant signed 8-bit
/// filter whose zero points are all 0, with static shapes: one int8
/// slim.packed_conv2d of the stored input (the padding and its zero point
/// as attributes: the runtime pads) with the filter packed now (a grouped
/// one group by group, the packed groups one after another), and
/// -Z_in * sum(W[f]) folded into the bias: with a constant bias, into one
/// constant now; with another, added to it once, over F elements. Null
/// when it does not apply (the op then lowers to linalg).
static Operation *packQConv(IRRewriter &rewriter, QConv2DOp op,
                            KernelIsa kernelIsa) {
  RankedTensorType inType = op.getInput().getType();
  RankedTensorType fType = op.getFilter().getType();
  RankedTensorType outType = op.getResult().getType();
  FailureOr<QuantLayout> x = QuantLayout::tryGet(inType);
  FailureOr<QuantLayout> w = QuantLayout::tryGet(fType);
  auto filterCast = op.getFilter().getDefiningOp<quant::StorageCastOp>();
  if (failed(x) || failed(w) || !filterCast || x->storageWidth != 8 ||
      w->storageWidth != 8 || !w->isSigned ||
      !staticButBatch(inType) || !staticButBatch(outType) ||
      llvm::any_of(w->zeroPoints, [](int64_t z) { return z != 0; }))
    return nullptr;
  std::optional<std::vector<int8_t>> plain = readInt8Constant(filterCast.getInput());
  if (!plain)
    return nullptr;
  bool depthwise = op.getDepthwise(), nhwc = op.getNhwc();
  ArrayRef<int64_t> fs = fType.getShape();
  int64_t sp = op.getFilterSpatialDim();
  int64_t kh = fs[sp], kw = fs[sp + 1];
  int64_t groups = op.getGroups();
  int64_t cAll = inType.getDimSize(op.getChannelDim());
  int64_t f = outType.getDimSize(op.getChannelDim());
  int64_t c = cAll / groups, fg = f / groups; // per group
  int64_t k = c * kh * kw;
  // W[f][c][p][q] of the filter in its layout (c within f's group).
  auto weight = [&](int64_t fi, int64_t ch, int64_t p, int64_t q) -> int8_t {
    if (depthwise)
      return (*plain)[nhwc ? (p * kw + q) * c + fi : (fi * kh + p) * kw + q];
    return (*plain)[nhwc ? ((p * kw + q) * c + ch) * f + fi
                         : ((fi * c + ch) * kh + p) * kw + q];
  };
  std::vector<int8_t> packed;
  // The sum of each filter's weights, for the input zero point.
  std::vector<int64_t> sums(static_cast<size_t>(f), 0);
  if (depthwise) {
    int64_t cp = (c + 15) / 16 * 16;
    packed.assign(static_cast<size_t>(rt::packedDepthwiseElements(c, kh, kw)),
                  0);
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t p = 0; p < kh; ++p)
        for (int64_t q = 0; q < kw; ++q) {
          int8_t v = weight(ch, ch, p, q);
          packed[(p * kw + q) * cp + ch] = v;
          sums[ch] += v;
        }
  } else {
    int64_t groupBytes = rt::packedInt8Shape(k, fg).bytes();
    if (groupBytes * groups > kMaxMaterializedElements)
      return nullptr;
    packed.resize(static_cast<size_t>(groupBytes * groups));
    // Per group, B (K x F/G): row k the tap (kh, kw, c) in both layouts
    // (the runtime reads patches from an NHWC copy).
    std::vector<int8_t> b(static_cast<size_t>(k * fg));
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t fi = 0; fi < fg; ++fi)
        for (int64_t ch = 0; ch < c; ++ch)
          for (int64_t p = 0; p < kh; ++p)
            for (int64_t q = 0; q < kw; ++q) {
              int64_t row = (p * kw + q) * c + ch;
              int8_t v = weight(g * fg + fi, ch, p, q);
              b[row * fg + fi] = v;
              sums[g * fg + fi] += v;
            }
      rt::packInt8Rhs(b.data(), fg, 1, k, fg, packed.data() + g * groupBytes);
    }
  }
  int64_t zx = x->zeroPoints.front();
  SmallVector<int32_t> correction;
  for (int64_t sum : sums)
    correction.push_back(static_cast<int32_t>(
        static_cast<uint32_t>(-zx * sum))); // wraps like the sums
  // A constant bias (its stored values) joins the correction now.
  Value given = op.getBias();
  if (given)
    if (auto scast = given.getDefiningOp<quant::StorageCastOp>()) {
      DenseIntElementsAttr values;
      if (matchPattern(scast.getInput(), m_Constant(&values)) &&
          values.getElementType().isInteger(32) &&
          values.getNumElements() == f) {
        for (auto [i, v] : llvm::enumerate(values.getValues<int32_t>()))
          correction[i] = static_cast<int32_t>(
              static_cast<uint32_t>(correction[i]) + static_cast<uint32_t>(v));
        given = Value();
      }
    }
  bool corrects = llvm::any_of(correction, [](int32_t v) { return v != 0; });

  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  Value input = quant::StorageCastOp::create(rewriter, loc,
                                             inType.clone(i8), op.getInput());
  auto columnType = RankedTensorType::get({f}, i32);
  Value bias;
  if (given) {
    auto biasType = cast<RankedTensorType>(given.getType());
    bias = quant::StorageCastOp::create(
        rewriter, loc, RankedTensorType::get(biasType.getShape(), i32), given);
    if (biasType.isDynamicDim(0))
      bias = tensor::CastOp::create(rewriter, loc, columnType, bias);
  }
  if (corrects) {
    Value corr = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(columnType, ArrayRef<int32_t>(correction)));
    if (!bias) {
      bias = corr;
    } else {
      Value empty = tensor::EmptyOp::create(rewriter, loc, columnType.getShape(), i32);
      AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
      bias = linalg::GenericOp::create(
                 rewriter, loc, columnType, ValueRange{bias, corr},
                 ValueRange{empty}, ArrayRef<AffineMap>{id, id, id},
                 {utils::IteratorType::parallel},
                 [](OpBuilder &b, Location l, ValueRange args) {
                   linalg::YieldOp::create(
                       b, l, ValueRange{arith::AddIOp::create(b, l, args[0],
                                                              args[1])});
                 })
                 .getResult(0);
    }
  }
  Value packedValue = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(packed.size())}, i8),
          ArrayRef<int8_t>(packed)));
  // A fixed-point slim.requantize of the accumulator, its only use, runs
  // in the kernel: the result is its 8-bit storage.
  RequantizeOp requantize;
  std::optional<RequantEpilogue> epilogue;
  if (op->hasOneUse())
    if (auto r = dyn_cast<RequantizeOp>(*op->getUsers().begin()))
      if ((epilogue = matchRequantEpilogue(r, op.getChannelDim(), f)))
        requantize = r;
  Type resultElem = requantize ? i8 : i32;
  Value multipliers, shifts;
  if (requantize) {
    auto constant = [&](ArrayRef<int32_t> v) {
      return arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(columnType, v));
    };
    multipliers = constant(epilogue->multipliers);
    shifts = constant(epilogue->shifts);
  }
  auto accType = RankedTensorType::get(outType.getShape(), resultElem);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < 4; ++d)
    sizes.push_back(d == 0 ? tensor::getMixedSize(rewriter, loc, input, 0)
                           : rewriter.getIndexAttr(outType.getDimSize(d)));
  Value init = tensor::EmptyOp::create(rewriter, loc, sizes, resultElem);
  auto conv = PackedConv2DOp::create(
      rewriter, loc, TypeRange{accType}, input, packedValue, init, bias,
      multipliers, shifts, rewriter.getDenseI64ArrayAttr({kh, kw}),
      rewriter.getDenseI64ArrayAttr(op.getStrides()),
      rewriter.getDenseI64ArrayAttr(op.getDilations()), kernelIsa, nhwc,
      /*accumulate=*/false, depthwise, /*input_unsigned=*/!x->isSigned,
      llvm::any_of(op.getPadding(), [](int64_t v) { return v != 0; })
          ? rewriter.getDenseI64ArrayAttr(op.getPadding())
          : DenseI64ArrayAttr(),
      zx ? rewriter.getI64IntegerAttr(zx) : IntegerAttr(),
      requantize ? rewriter.getDenseI64ArrayAttr(
                       {epilogue->zeroOut, epilogue->lo, epilogue->hi})
                 : DenseI64ArrayAttr(),
      groups);
  Operation *replaced = requantize ? requantize.getOperation() : op;
  Value result = quant::StorageCastOp::create(
      rewriter, loc, replaced->getResult(0).getType(), conv.getResult().front());
  rewriter.replaceOp(replaced, result);
  if (requantize)
    rewriter.eraseOp(op);
  return conv;
}

struct SlimPackContractionsPass
    : mlir::slim::impl::SlimPackContractionsPassBase<SlimPackContractionsPass> {
  using SlimPackContractionsPassBase::SlimPackContractionsPassBase;

  rt::Isa chosen = rt::Isa::Generic;
  bool int8Activations = false;

  LogicalResult initialize(MLIRContext *ctx) override {
    if (sparseWeights != "auto" && sparseWeights != "never" &&
        sparseWeights != "always")
      return emitError(UnknownLoc::get(ctx))
             << "slim-pack-contractions: unknown sparse-weights '"
             << sparseWeights << "' (expected auto, never or always)";
    if (weightOnlyActivations != "f32" && weightOnlyActivations != "int8")
      return emitError(UnknownLoc::get(ctx))
             << "slim-pack-contractions: unknown weight-only-activations '"
             << weightOnlyActivations << "' (expected f32 or int8)";
    int8Activations = weightOnlyActivations == "int8";
    FailureOr<rt::Isa> resolved =
        codegen::resolveIsaOption(isa, ctx, "slim-pack-contractions");
    if (failed(resolved))
      return failure();
    chosen = *resolved;
    return success();
  }

  void runOnOperation() override {
    // The ops first, then each matched again right before it is rewritten:
    // rewriting one contraction (and fusing its epilogue) replaces values
    // that a later one reads (chained layers).
    SmallVector<linalg::LinalgOp> found, convolutions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (matchContraction(op))
        found.push_back(op);
      else if (llvm::isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp,
                         linalg::DepthwiseConv2DNchwChwOp,
                         linalg::DepthwiseConv2DNhwcHwcOp>(op))
        convolutions.push_back(op);
    });
    // The int8 constant weights this function reads per call, together.
    int64_t weightBytes = 0;
    for (linalg::LinalgOp op : found)
      if (std::optional<Contraction> m = matchContraction(op);
          m && !m->isF32 && isPackable(*m) &&
          m->weight.getDefiningOp<arith::ConstantOp>()) {
        auto type = cast<RankedTensorType>(m->weight.getType());
        weightBytes += type.getNumElements();
      }
    bool weightsStream = weightBytes >= kStreamedWeightBytes;
    IRRewriter rewriter(&getContext());
    auto kernelIsa = static_cast<KernelIsa>(chosen);
    // slim.dynamic_qmatmul is matched before slim-lower-quant expands it.
    SmallVector<DynamicQMatmulOp> dynamics;
    getOperation().walk([&](DynamicQMatmulOp op) { dynamics.push_back(op); });
    for (DynamicQMatmulOp op : dynamics)
      packDynamic(rewriter, op, kernelIsa);
    // One-bit matmuls (slim-low-rank method=onebit) are already in their
    // kernel's layout: they only need the ISA.
    getOperation().walk([&](SignMatmulOp op) {
      if (!op.getIsa())
        op.setIsa(kernelIsa);
    });
    // slim.qconv2d likewise, before slim-lower-quant makes it a generic.
    SmallVector<QConv2DOp> qconvs;
    getOperation().walk([&](QConv2DOp op) { qconvs.push_back(op); });
    for (QConv2DOp op : qconvs)
      packQConv(rewriter, op, kernelIsa);
    for (linalg::LinalgOp op : convolutions)
      packConvolution(rewriter, op, kernelIsa);
    for (linalg::LinalgOp op : found) {
      std::optional<Contraction> matched = matchContraction(op);
      if (!matched)
        continue;
      Contraction &m = *matched;
      rewriter.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value init = m.init;
      bool accumulate = true;
      if (Value filled = zeroFilled(m.init)) {
        init = filled;
        accumulate = false;
      }
      if (packWeightOnly(rewriter, op, m, kernelIsa, int8Activations,
                         sparseWeights))
        continue;
      DenseElementsAttr packed =
          isPackable(m) ? packWeight(m, rewriter) : nullptr;
      if (!packed) {
        // An int8 right-hand side computed at run time (or a constant that
        // cannot be packed here): the runtime packs it on every call.
        if (m.isF32)
          continue;
        auto matmul = ActivationMatmulOp::create(
            rewriter, loc, TypeRange{m.init.getType()}, m.lhs, m.weight, init,
            static_cast<KernelIsa>(chosen), m.lhsUnsigned, m.rhsUnsigned,
            accumulate);
        rewriter.replaceOp(op, matmul.getResult());
        continue;
      }
      auto weightType = cast<RankedTensorType>(m.weight.getType());
      int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
      bool sparse = false;
      auto lhsType = cast<ShapedType>(m.lhs.getType());
      // The rows of one kernel call (of each batch).
      int64_t rows = lhsType.getDimSize(lhsType.getRank() - 2);
      if (!m.isF32 && sparseWeights != "never") {
        // The packed bytes, read once (an all-zero weight's attribute is a
        // splat).
        std::vector<int8_t> bytes(packed.getValues<int8_t>().begin(),
                                  packed.getValues<int8_t>().end());
        if (sparseWeights == "always" ||
            sparsePays(chosen, rows, k, n, weightsStream, bytes))
          if (DenseElementsAttr s =
                  sparsePacked(packed.getContext(), bytes, k, n,
                               sparseWeights == "always")) {
            packed = s;
            sparse = true;
          }
      }
      if (m.isF32 && sparseWeights != "never")
        if (DenseElementsAttr s =
                rowCompressed(packed, k, n, sparseWeights == "always", chosen,
                              rows)) {
          packed = s;
          sparse = true;
        }
      Value packedValue = arith::ConstantOp::create(rewriter, loc, packed);
      auto matmul = PackedMatmulOp::create(
          rewriter, loc, TypeRange{m.init.getType()}, m.lhs, packedValue,
          init, /*bias=*/Value(), k, n, static_cast<KernelIsa>(chosen),
          m.lhsUnsigned, accumulate, sparse);
      rewriter.replaceOp(op, matmul.getResult());
    }
    // Every kernel op without a bias (these, and those of an earlier run,
    // whose epilogue may only now be a linalg op) takes the column vectors
    // that follow it.
    SmallVector<Operation *> kernels;
    getOperation().walk([&](Operation *op) {
      if (auto p = dyn_cast<PackedMatmulOp>(op); p && !p.getBias())
        kernels.push_back(op);
      if (auto d = dyn_cast<DynamicPackedMatmulOp>(op); d && !d.getBias())
        kernels.push_back(op);
      if (auto w = dyn_cast<DequantMatmulOp>(op); w && !w.getBias())
        kernels.push_back(op);
      if (auto s = dyn_cast<SignMatmulOp>(op); s && !s.getBias())
        kernels.push_back(op);
    });
    for (Operation *op : kernels)
      fuseColumnEpilogue(rewriter, op);
  }
};

} // namespace
