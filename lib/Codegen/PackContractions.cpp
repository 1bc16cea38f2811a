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

/// An integer contraction the int8 kernels can run.
struct IntContraction {
  Value lhs, init;
  DenseElementsAttr weight; ///< K x N, i8
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

/// The body `yield(out + ext(a) * ext(b))` (either operand order): returns
/// whether `a`'s extension is unsigned; `b`'s must be signed.
static std::optional<bool> matchProductSum(Block &body) {
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1 ||
      body.getOperations().size() != 5)
    return std::nullopt;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return std::nullopt;
  Value out = body.getArgument(2), product;
  if (add.getLhs() == out)
    product = add.getRhs();
  else if (add.getRhs() == out)
    product = add.getLhs();
  else
    return std::nullopt;
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return std::nullopt;
  auto x = matchExtendedArg(mul.getLhs()), y = matchExtendedArg(mul.getRhs());
  if (!x || !y)
    return std::nullopt;
  if (x->first == 1)
    std::swap(x, y);
  if (x->first != 0 || y->first != 1 || y->second)
    return std::nullopt;
  return x->second;
}

static std::optional<IntContraction> matchIntContraction(linalg::LinalgOp op) {
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
  std::optional<bool> lhsUnsigned = matchProductSum(op->getRegion(0).front());
  if (!lhsUnsigned)
    return std::nullopt;
  IntContraction m;
  m.lhs = op.getDpsInputOperand(0)->get();
  m.init = op.getDpsInitOperand(0)->get();
  m.lhsUnsigned = *lhsUnsigned;
  if (!matchPattern(op.getDpsInputOperand(1)->get(), m_Constant(&m.weight)) ||
      !m.weight.getElementType().isSignlessInteger(8))
    return std::nullopt;
  return m;
}

/// The weight's bytes, row-major K x N (a splat expanded).
static std::vector<int8_t> weightBytes(DenseElementsAttr weight) {
  int64_t count = weight.getNumElements();
  if (weight.isSplat())
    return std::vector<int8_t>(
        count, static_cast<int8_t>(
                   weight.getSplatValue<APInt>().getSExtValue()));
  ArrayRef<char> raw = weight.getRawData();
  return std::vector<int8_t>(raw.begin(), raw.end());
}

/// Whether `v` is a linalg.fill of zero (whose result the kernel overwrites
/// anyway); returns the filled tensor.
static Value zeroFilled(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  if (!fill || !matchPattern(fill.getInputs()[0], m_Zero()))
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
    SmallVector<std::pair<linalg::LinalgOp, IntContraction>> found;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (std::optional<IntContraction> m = matchIntContraction(op))
        found.emplace_back(op, *m);
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, m] : found) {
      auto weightType = cast<RankedTensorType>(m.weight.getType());
      int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
      rt::PackedInt8Shape shape = rt::packedInt8Shape(k, n);
      if (shape.bytes() > kMaxMaterializedElements || n == 0)
        continue;
      std::vector<int8_t> bytes = weightBytes(m.weight);
      std::vector<int8_t> packed(static_cast<size_t>(shape.bytes()));
      rt::packInt8Rhs(bytes.data(), n, 1, k, n, packed.data());

      rewriter.setInsertionPoint(op);
      Location loc = op.getLoc();
      auto packedType =
          RankedTensorType::get({shape.bytes()}, rewriter.getI8Type());
      Value packedValue = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(packedType, ArrayRef<int8_t>(packed)));
      Value init = m.init;
      bool accumulate = true;
      if (Value filled = zeroFilled(m.init)) {
        init = filled;
        accumulate = false;
      }
      auto gemm = PackedQGemmOp::create(
          rewriter, loc, TypeRange{m.init.getType()}, m.lhs, packedValue, init,
          k, n, static_cast<KernelIsa>(chosen), m.lhsUnsigned, accumulate);
      rewriter.replaceOp(op, gemm.getResult());
    }
  }
};

} // namespace
