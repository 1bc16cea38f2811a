//===- PackContractions.cpp - Constant-packed contractions on micro-kernels ===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"
#include "slim/Codegen/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Runtime/Kernels.h"
#include "slim/Transforms/Matchers.h"

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
  DenseElementsAttr weight; ///< K x N, i8 or f32
  bool lhsUnsigned = false;
};

/// `v` is `ext(arg)` of an i8 block argument widened to i32; returns the
/// argument's number and whether the extension is unsigned.
static std::optional<std::pair<unsigned, bool>> matchExtendedArg(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op || !isa<arith::ExtSIOp, arith::ExtUIOp>(op) ||
      !op->getResult(0).getType().isSignlessInteger(32))
    return std::nullopt;
  auto arg = dyn_cast<BlockArgument>(op->getOperand(0));
  if (!arg || !arg.getType().isSignlessInteger(8))
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
  if (!add || !isa<arith::AddIOp, arith::AddFOp>(add))
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
  auto x = matchExtendedArg(mul->getOperand(0));
  auto y = matchExtendedArg(mul->getOperand(1));
  if (!x || !y)
    return false;
  if (x->first == 1)
    std::swap(x, y);
  if (x->first != 0 || y->first != 1 || y->second)
    return false;
  m.lhsUnsigned = x->second;
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
  // (b, m, n, k) or (m, n, k): A over (b, m, k), W over (k, n), C over
  // (b, m, n).
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
  if (op.getIndexingMapsArray() != want)
    return std::nullopt;
  Contraction m;
  if (!matchProductSum(op->getRegion(0).front(), m))
    return std::nullopt;
  m.lhs = op.getDpsInputOperand(0)->get();
  m.init = op.getDpsInitOperand(0)->get();
  if (!matchPattern(op.getDpsInputOperand(1)->get(), m_Constant(&m.weight)))
    return std::nullopt;
  Type elem = m.weight.getElementType();
  if (m.isF32 ? !elem.isF32() : !elem.isSignlessInteger(8))
    return std::nullopt;
  return m;
}

/// `weight`'s values packed by `pack(plain, packed)` into `size` elements of
/// `elemType`, or null when that is too big.
template <typename T, typename Pack>
static DenseElementsAttr packAs(DenseElementsAttr weight, int64_t size,
                                Type elemType, Pack pack) {
  if (size > kMaxMaterializedElements)
    return nullptr;
  auto values = weight.getValues<T>();
  std::vector<T> plain(values.begin(), values.end());
  std::vector<T> packed(static_cast<size_t>(size));
  pack(plain.data(), packed.data());
  return DenseElementsAttr::get(RankedTensorType::get({size}, elemType),
                                ArrayRef<T>(packed));
}

/// The packed constant of `m`'s weight, or null when it would be too big.
static DenseElementsAttr packWeight(const Contraction &m, Builder &b) {
  auto weightType = cast<RankedTensorType>(m.weight.getType());
  int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
  if (m.isF32)
    return packAs<float>(m.weight, rt::packedF32Shape(k, n).elements(),
                         b.getF32Type(), [&](const float *w, float *out) {
                           rt::packF32Rhs(w, n, 1, k, n, out);
                         });
  return packAs<int8_t>(m.weight, rt::packedInt8Shape(k, n).bytes(),
                        b.getI8Type(), [&](const int8_t *w, int8_t *out) {
                          rt::packInt8Rhs(w, n, 1, k, n, out);
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

struct SlimPackContractionsPass
    : mlir::slim::impl::SlimPackContractionsPassBase<SlimPackContractionsPass> {
  using SlimPackContractionsPassBase::SlimPackContractionsPassBase;

  rt::Isa chosen = rt::Isa::Generic;

  LogicalResult initialize(MLIRContext *ctx) override {
    if (isa == "host") {
      chosen = codegen::bestHostIsa();
      return success();
    }
    std::optional<rt::Isa> parsed = codegen::parseIsa(isa);
    if (!parsed)
      return emitError(UnknownLoc::get(ctx))
             << "slim-pack-contractions: unknown isa '" << isa
             << "' (expected host, generic, avx2, avx_vnni, avx512_vnni or "
                "amx)";
    chosen = *parsed;
    return success();
  }

  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, Contraction>> found;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (std::optional<Contraction> m = matchContraction(op))
        found.emplace_back(op, *m);
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, m] : found) {
      auto weightType = cast<RankedTensorType>(m.weight.getType());
      int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
      if (n == 0)
        continue;
      DenseElementsAttr packed = packWeight(m, rewriter);
      if (!packed)
        continue;
      rewriter.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value packedValue = arith::ConstantOp::create(rewriter, loc, packed);
      Value init = m.init;
      bool accumulate = true;
      if (Value filled = zeroFilled(m.init)) {
        init = filled;
        accumulate = false;
      }
      auto matmul = PackedMatmulOp::create(
          rewriter, loc, TypeRange{m.init.getType()}, m.lhs, packedValue,
          init, k, n, static_cast<KernelIsa>(chosen), m.lhsUnsigned,
          accumulate);
      rewriter.replaceOp(op, matmul.getResult());
    }
  }
};

} // namespace
