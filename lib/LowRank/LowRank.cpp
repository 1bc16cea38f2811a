//===- LowRank.cpp - slim-low-rank and slim-factorize ---------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Both passes read the same layers (collectLayers), plan each one's factors
// (slim-low-rank from a per-layer target, slim-factorize from a budget over
// all of them), and only then change the IR (finish): a refusal leaves the
// module as it was.
//
//===----------------------------------------------------------------------===//

#include "slim/LowRank/Passes.h"

#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/LowRank/Factorize.h"
#include "slim/Numerics/Budget.h"
#include "slim/Numerics/OutputError.h"
#include "slim/Runtime/Kernels.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMLOWRANKPASS
#define GEN_PASS_DEF_SLIMFACTORIZEPASS
#include "slim/LowRank/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace lr = ::slim::lowrank;
using ::slim::calibration::Gram;

/// The discardable attribute on the two products of a factorized layer.
static constexpr llvm::StringLiteral kLowRankAttrName = "slim.low_rank";

namespace {

/// An option's value as the user wrote it (shortest form: 0.5, 1e-05).
std::string shortest(double v) {
  return llvm::formatv("{0}", llvm::format("%g", v)).str();
}

/// `values` (row-major, `shape`) with its dimensions permuted as
/// linalg.transpose permutes them (result dimension p is dimension perm[p]):
/// FCHW and HWCF filters, CHW and HWC depthwise ones.
std::vector<float> transposed(MLIRContext *ctx, ArrayRef<float> values,
                              ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> perm) {
  SmallVector<int64_t> outShape;
  SmallVector<unsigned> inverse(perm.size());
  for (auto [p, d] : llvm::enumerate(perm)) {
    outShape.push_back(shape[d]);
    inverse[d] = static_cast<unsigned>(p);
  }
  std::vector<int64_t> sources = gatherSources(
      outShape, shape, AffineMap::getPermutationMap(inverse, ctx));
  std::vector<float> out(sources.size());
  for (size_t i = 0; i < sources.size(); ++i)
    out[i] = values[sources[i]];
  return out;
}

/// A candidate layer as both passes read it.
struct Layer {
  linalg::LinalgOp op;
  std::string name;
  int64_t k = 0, n = 0, stage = 0;
  /// A batch matmul's weight holds `batch` K x N matrices, each factorized.
  int64_t batch = 1;
  bool batched = false;
  /// A matmul: K x N, row-major (batch x K x N); a convolution: its filter,
  /// FCHW (empty when skipped).
  std::vector<float> w;
  const Gram *gram = nullptr;
  std::vector<double> h;     ///< the Gram matrix, both triangles
  std::string skipped;       ///< the skip= pattern that matched, if any
  /// A convolution (k = C KH KW and n = F: its filter as the K x F matrix
  /// of the patch Gram's order, (kh, kw, c)).
  bool conv = false, nhwc = false;
  lr::ConvShape cs;
  int64_t inH = 0, inW = 0, outH = 0, outW = 0;

  double params() const { return double(batch) * double(k) * double(n); }
  double bytes() const { return 4.0 * params(); }
  const double *gramData() const { return gram ? h.data() : nullptr; }
  /// The filter (FCHW) as the K x F matrix, rows in (kh, kw, c) order:
  /// its HWCF layout.
  std::vector<float> filterMatrix(const std::vector<float> &fchw) const {
    return transposed(op->getContext(), fchw, {cs.f, cs.c, cs.kh, cs.kw},
                      {2, 3, 1, 0});
  }
};

/// One layer's decision: factors of rank `rank`, or dense with `reason`.
struct LayerPlan {
  Layer *layer = nullptr;
  int64_t rank = 0;
  /// OneBit: `a` (K) and `b` (N) scale the signs of the layer's weight.
  bool oneBit = false;
  std::optional<double> svidError; ///< OneBit's error before refinement
  double energy = 1.0;
  std::optional<double> error;
  std::vector<float> a, b;
  lr::ConvFactors conv; ///< a convolution's factors
  std::string reason; ///< why it stays dense (rank 0), or how it was chosen

  double params() const {
    if (oneBit) // f32-equivalent: the bytes over 4
      return bytes() / 4.0;
    return layer->conv ? double(conv.params())
                       : double(layer->batch) * double(rank) *
                             double(layer->k + layer->n);
  }
  double bytes() const {
    if (oneBit)
      return double(::slim::runtime::packedSignBytes(layer->k, layer->n)) +
             4.0 * double(layer->k + layer->n);
    return 4.0 * params();
  }
};

/// The factor a factorized layer's last op carries.
int64_t lastFactor(LowRankForm form) {
  return form == LowRankForm::Tucker2 ? 2 : 1;
}

/// What both passes take from their options.
struct CommonOptions {
  StringRef pass, method, solver, hessianDir;
  double damp = 0.01, alpha = 0.5;
  ArrayRef<std::string> skip;
  int64_t stage = -1;
  /// Convolutions: "tucker2", "spatial", "depthwise" or "none".
  StringRef conv = "none";
  /// Whether batch matmuls by constant weights are candidates.
  bool batchMatmuls = true;
};

/// The layers of `module` and their stages; `numStages` is set; an empty
/// result with success when stage= names no stage (after a remark).
struct Collected {
  std::vector<Layer> layers;
  int64_t numStages = 0;
};

FailureOr<lr::FactorizeOptions> parseCommon(ModuleOp module,
                                            const CommonOptions &c) {
  auto fail = [&](const Twine &message) {
    module.emitError(c.pass) << ": " << message;
    return failure();
  };
  auto method = llvm::StringSwitch<std::optional<lr::Method>>(c.method)
                    .Case("svd", lr::Method::Svd)
                    .Case("asvd", lr::Method::Asvd)
                    .Case("svdllm", lr::Method::SvdLlm)
                    .Case("onebit", lr::Method::OneBit)
                    .Default(std::nullopt);
  if (!method)
    return fail("unknown method '" + c.method +
                "' (expected svd, asvd, svdllm or onebit)");
  auto solver = llvm::StringSwitch<std::optional<lr::Solver>>(c.solver)
                    .Case("auto", lr::Solver::Auto)
                    .Case("exact", lr::Solver::Exact)
                    .Case("randomized", lr::Solver::Randomized)
                    .Default(std::nullopt);
  if (!solver)
    return fail("unknown solver '" + c.solver +
                "' (expected auto, exact or randomized)");
  lr::FactorizeOptions o;
  o.method = *method;
  o.solver = *solver;
  if (!(c.damp > 0.0) || !std::isfinite(c.damp))
    return fail("damp must be a positive fraction, got " + shortest(c.damp));
  if (!(c.alpha >= 0.0) || !std::isfinite(c.alpha))
    return fail("alpha must be a finite exponent >= 0, got " +
                shortest(c.alpha));
  bool activationAware =
      o.method == lr::Method::Asvd || o.method == lr::Method::SvdLlm;
  if (activationAware && c.hessianDir.empty())
    return fail("method=" + c.method +
                " needs hessians=DIR (the Gram matrices of the layers' "
                "inputs, slim-run --calibrate --hessians)");
  if (!llvm::is_contained({"tucker2", "spatial", "depthwise", "none"},
                          c.conv))
    return fail("unknown conv '" + c.conv +
                "' (expected tucker2, spatial, depthwise or none)");
  o.damping = c.damp;
  o.alpha = c.alpha;
  return o;
}

/// The static spatial sizes of a 4-D tensor in its layout, if static.
std::optional<std::pair<int64_t, int64_t>> spatial(Value v, bool nhwc) {
  auto t = cast<RankedTensorType>(v.getType());
  int64_t h = t.getDimSize(nhwc ? 1 : 2), w = t.getDimSize(nhwc ? 2 : 3);
  if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w))
    return std::nullopt;
  return std::make_pair(h, w);
}

/// Reads every candidate layer: a 2-D f32 matmul by a constant weight that
/// is not a factor already, of stage `c.stage` if set. Errors (on the ops or
/// the module) make it fail; weights it cannot read get a remark.
FailureOr<Collected> collectLayers(ModuleOp module, const CommonOptions &c,
                                   bool needGram) {
  std::optional<::slim::calibration::Hessians> hessians;
  if (!c.hessianDir.empty()) {
    llvm::Expected<::slim::calibration::Hessians> read =
        ::slim::calibration::Hessians::readDirectory(c.hessianDir);
    if (!read) {
      module.emitError(c.pass) << ": " << llvm::toString(read.takeError());
      return failure();
    }
    hessians = std::move(*read);
  }
  llvm::MapVector<Operation *, std::string> names = nameLayers(module);
  FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
      skippedLayers(names, c.skip, module, c.pass);
  if (failed(skipped))
    return failure();

  ConstantLikeAnalysis constants;
  bool convs = c.conv != "none";
  auto isCandidate = [&](Operation *operation) {
    auto op = dyn_cast<linalg::LinalgOp>(operation);
    if (!op || !op.hasPureTensorSemantics() || op->hasAttr(kLowRankAttrName))
      return false;
    auto mm = dyn_cast<linalg::MatmulOp>(operation);
    auto bmm = dyn_cast<linalg::BatchMatmulOp>(operation);
    bool conv = isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(
        operation);
    if (!(mm && !mm.hasUserDefinedMaps()) &&
        !(bmm && !bmm.hasUserDefinedMaps() && c.batchMatmuls) &&
        !(conv && convs))
      return false;
    Value weight = op.getDpsInputOperand(1)->get();
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    bool nhwc = isa<linalg::Conv2DNhwcHwcfOp>(operation);
    if (conv && (!spatial(op.getDpsInputOperand(0)->get(), nhwc) ||
                 !spatial(op->getResult(0), nhwc)))
      return false;
    return type && type.getElementType().isF32() && type.hasStaticShape() &&
           type.getNumElements() != 0 &&
           resultType.getElementType().isF32() &&
           cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType())
               .getElementType()
               .isF32() &&
           constants.isConstantLike(weight);
  };
  // Stages: a factorized layer's last product stands for it.
  llvm::DenseMap<Operation *, int64_t> stages =
      layerStages(
          module,
          [&](Operation *op) { return names.contains(op) && isCandidate(op); },
          [](Operation *op) {
        auto attr = op->getAttrOfType<LowRankAttr>(kLowRankAttrName);
        return attr && attr.getFactor() == lastFactor(attr.getForm());
      });
  Collected out;
  for (auto &[op, s] : stages)
    out.numStages = std::max(out.numStages, s + 1);
  if (c.stage >= 0 && c.stage >= out.numStages) {
    module.emitRemark(llvm::formatv("{0}: no layer in stage {1} (the module's "
                                    "candidate layers form {2} stage(s))",
                                    c.pass, c.stage, out.numStages)
                          .str());
    return out;
  }
  bool anyFailed = false;
  for (auto &[operation, name] : names) {
    if (!isCandidate(operation))
      continue;
    if (c.stage >= 0 && stages.lookup(operation) != c.stage)
      continue;
    auto op = cast<linalg::LinalgOp>(operation);
    Value weight = op.getDpsInputOperand(1)->get();
    auto type = cast<RankedTensorType>(weight.getType());
    Layer l;
    l.op = op;
    l.name = name;
    l.stage = stages.lookup(op);
    l.batched = isa<linalg::BatchMatmulOp>(operation);
    l.conv = !isa<linalg::MatmulOp>(operation) && !l.batched;
    if (l.batched) {
      l.batch = type.getDimSize(0);
      l.k = type.getDimSize(1);
      l.n = type.getDimSize(2);
    } else if (l.conv) {
      // FCHW or HWCF.
      l.nhwc = isa<linalg::Conv2DNhwcHwcfOp>(operation);
      ArrayRef<int64_t> fs = type.getShape();
      l.cs = l.nhwc ? lr::ConvShape{fs[3], fs[2], fs[0], fs[1]}
                    : lr::ConvShape{fs[0], fs[1], fs[2], fs[3]};
      l.k = l.cs.c * l.cs.kh * l.cs.kw;
      l.n = l.cs.f;
      std::tie(l.inH, l.inW) = *spatial(op.getDpsInputOperand(0)->get(), l.nhwc);
      std::tie(l.outH, l.outW) = *spatial(op->getResult(0), l.nhwc);
    } else {
      l.k = type.getDimSize(0);
      l.n = type.getDimSize(1);
    }
    if (auto it = skipped->find(op); it != skipped->end()) {
      l.skipped = it->second;
      out.layers.push_back(std::move(l));
      continue;
    }
    FailureOr<std::optional<std::vector<float>>> read =
        readLayerWeight(op, weight);
    if (failed(read)) {
      anyFailed = true;
      continue;
    }
    std::optional<std::vector<float>> &values = *read;
    if (!values)
      continue;
    if (!llvm::all_of(*values, [](float v) { return std::isfinite(v); })) {
      op->emitOpError("the weight holds NaN or Inf: it cannot be factorized");
      anyFailed = true;
      continue;
    }
    l.w = std::move(*values);
    if (l.nhwc) // HWCF to FCHW
      l.w = transposed(op->getContext(), l.w, type.getShape(), {3, 2, 0, 1});
    if (hessians && !l.batched) {
      // A convolution's Gram matrix is over its input's patches (without
      // one its factors are fitted to the filter alone); a batch matmul's
      // input pools its batches, so it has none of each batch's own.
      FailureOr<const Gram *> found =
          l.conv ? findConvGram(op, *hessians)
                 : findMatmulGram(op, *hessians,
                                  needGram ? MissingGram::Error
                                           : MissingGram::Ignore);
      if (failed(found)) {
        anyFailed = true;
        continue;
      }
      l.gram = *found;
      if (l.gram)
        l.h = l.gram->full();
    }
    out.layers.push_back(std::move(l));
  }
  if (anyFailed)
    return failure();
  return out;
}

/// The layer's SVD; failure after an error on its op.
FailureOr<lr::Decomposition> decompose(const Layer &l,
                                       const lr::FactorizeOptions &options) {
  std::string error;
  std::optional<lr::Decomposition> d = lr::Decomposition::compute(
      l.w.data(), l.k, l.n, l.gramData(), options, error);
  if (!d)
    return l.op->emitOpError("cannot factorize: ") << error;
  return std::move(*d);
}

/// Factors of rank r into `p` (and their output error, with a Gram matrix).
void takeRank(const Layer &l, const lr::Decomposition &d, int64_t r,
              LayerPlan &p) {
  p.rank = r;
  d.factors(r, p.a, p.b);
  p.energy = d.energyKept(r);
  p.error = l.gram ? lr::relativeOutputError(l.h, l.w.data(), p.a, p.b, l.k,
                                             l.n, r)
                   : std::nullopt;
}

/// The fraction of ||w||_F^2 that `approx` keeps: 1 - ||w - approx||^2 /
/// ||w||^2 (1 for a zero weight).
double energyKept(const std::vector<float> &w, const std::vector<float> &approx) {
  double total = 0.0, left = 0.0;
  for (size_t i = 0; i < w.size(); ++i) {
    total += double(w[i]) * w[i];
    double d = double(w[i]) - approx[i];
    left += d * d;
  }
  return total > 0.0 ? 1.0 - left / total : 1.0;
}

/// OneBit's ops for the layer's matmul: x scaled by a in a linalg.generic
/// (factor 0), then slim.sign_matmul by the signs packed in the kernel's
/// layout and b (factor 1), accumulating into the op's init unless that is
/// a fill of +0. Returns the last.
Operation *buildOneBit(OpBuilder &b, Location loc, const LayerPlan &p,
                       Value x, Value init, Type resultType) {
  const Layer &l = *p.layer;
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  auto vector = [&](const std::vector<float> &values) {
    auto type = RankedTensorType::get({int64_t(values.size())}, f32);
    return arith::ConstantOp::create(
               b, loc, DenseElementsAttr::get(type, ArrayRef<float>(values)))
        .getResult();
  };
  Value a = vector(p.a), scales = vector(p.b);
  std::vector<uint8_t> packed(
      static_cast<size_t>(::slim::runtime::packedSignBytes(l.k, l.n)));
  ::slim::runtime::packSignRhs(l.w.data(), l.k, l.n, packed.data());
  auto signsType =
      RankedTensorType::get({int64_t(packed.size())}, b.getI8Type());
  Value signs = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          signsType, ArrayRef<int8_t>(reinterpret_cast<const int8_t *>(
                                          packed.data()),
                                      packed.size())));
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, x, 0),
                                  b.getIndexAttr(l.k)};
  Value empty = tensor::EmptyOp::create(b, loc, sizes, f32);
  AffineMap id = b.getMultiDimIdentityMap(2);
  AffineMap column = AffineMap::get(2, 0, b.getAffineDimExpr(1), ctx);
  auto scaled = linalg::GenericOp::create(
      b, loc, empty.getType(), ValueRange{x, a}, ValueRange{empty},
      ArrayRef<AffineMap>{id, column, id},
      ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                    utils::IteratorType::parallel},
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = arith::MulFOp::create(nb, nl, args[0], args[1]);
        linalg::YieldOp::create(nb, nl, v);
      });
  bool zeroInit = false;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    FloatAttr value;
    zeroInit = matchPattern(fill.value(), m_Constant(&value)) &&
               value.getValue().isPosZero();
  }
  auto sign = SignMatmulOp::create(
      b, loc, TypeRange{resultType}, scaled.getResult(0), signs,
      init, scales, /*bias=*/Value(), l.k, l.n, /*isa=*/KernelIsaAttr(),
      /*accumulate=*/!zeroInit);
  scaled->setAttr(kLowRankAttrName,
                  LowRankAttr::get(ctx, LowRankMethod::OneBit, 1, 0,
                                   LowRankForm::Matmul));
  sign->setAttr(kLowRankAttrName,
                LowRankAttr::get(ctx, LowRankMethod::OneBit, 1, 1,
                                 LowRankForm::Matmul));
  return sign;
}

/// y = (x A) B in place of the layer's matmul, A and B new constants, the
/// first product into a zero-filled M x r tensor and the second into the
/// op's init (OneBit: buildOneBit's ops).
void rewriteMatmul(const LayerPlan &p, LowRankMethod method) {
  const Layer &l = *p.layer;
  linalg::LinalgOp op = l.op;
  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  Type f32 = b.getF32Type();
  Value x = op.getDpsInputOperand(0)->get();
  Value weight = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  if (p.oneBit) {
    Operation *last =
        buildOneBit(b, loc, p, x, init, op->getResult(0).getType());
    op->replaceAllUsesWith(last->getResults());
    op->erase();
    eraseDeadProducers(weight);
    return;
  }
  // A batch matmul's factors: one pair per batch, B x K x r and B x r x N.
  auto constant = [&](const std::vector<float> &values, int64_t rows,
                      int64_t cols) {
    SmallVector<int64_t> shape = {rows, cols};
    if (l.batched)
      shape.insert(shape.begin(), l.batch);
    auto type = RankedTensorType::get(shape, f32);
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<float>(values)));
  };
  Value a = constant(p.a, l.k, p.rank);
  Value bFactor = constant(p.b, p.rank, l.n);
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, x, 0),
                                  b.getIndexAttr(p.rank)};
  if (l.batched)
    sizes.insert(sizes.begin() + 1, tensor::getMixedSize(b, loc, x, 1));
  Value empty = tensor::EmptyOp::create(b, loc, sizes, f32);
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getZeroAttr(f32));
  Value filled = linalg::FillOp::create(b, loc, zero, empty).result();
  auto product = [&](Type type, Value lhs, Value rhs,
                     Value into) -> Operation * {
    if (l.batched)
      return linalg::BatchMatmulOp::create(b, loc, type, ValueRange{lhs, rhs},
                                           ValueRange{into});
    return linalg::MatmulOp::create(b, loc, type, ValueRange{lhs, rhs},
                                    ValueRange{into});
  };
  Operation *first = product(filled.getType(), x, a, filled);
  Operation *second = product(op->getResult(0).getType(), first->getResult(0),
                              bFactor, init);
  first->setAttr(kLowRankAttrName, LowRankAttr::get(ctx, method, p.rank, 0,
                                                    LowRankForm::Matmul));
  second->setAttr(kLowRankAttrName, LowRankAttr::get(ctx, method, p.rank, 1,
                                                     LowRankForm::Matmul));
  inheritLayerName(op, first, "/factor0");
  inheritLayerName(op, second, "/factor1");
  op->replaceAllUsesWith(second->getResults());
  op->erase();
  eraseDeadProducers(weight);
}

LowRankForm attrForm(lr::ConvForm form) {
  return form == lr::ConvForm::Tucker2   ? LowRankForm::Tucker2
         : form == lr::ConvForm::Spatial ? LowRankForm::Spatial
                                         : LowRankForm::Depthwise;
}

/// The convolution's factors as two or three convolutions in its layout:
/// the ones before the last into zero-filled tensors, the last into the
/// op's init. The k x k (or k x 1, 1 x k) factors keep the op's strides
/// and dilations (split by dimension for spatial); 1 x 1 factors have
/// stride 1. The input is the op's own (already padded, if it was), so
/// padding is kept: a 1 x 1 or k x 1 factor maps its zeros to zeros.
void rewriteConv(const LayerPlan &p, LowRankMethod method) {
  const Layer &l = *p.layer;
  const lr::ConvFactors &cf = p.conv;
  const lr::ConvShape &cs = l.cs;
  linalg::LinalgOp op = l.op;
  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  Type f32 = b.getF32Type();
  Value x = op.getDpsInputOperand(0)->get();
  Value weight = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  // The accessors give the defaults (1, 1) when the attributes are absent.
  DenseIntElementsAttr stridesAttr, dilationsAttr;
  if (auto c = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation())) {
    stridesAttr = c.getStrides();
    dilationsAttr = c.getDilations();
  } else {
    auto n = cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation());
    stridesAttr = n.getStrides();
    dilationsAttr = n.getDilations();
  }
  auto strides = llvm::to_vector(stridesAttr.getValues<int64_t>());
  auto dilations = llvm::to_vector(dilationsAttr.getValues<int64_t>());
  auto pair = [&](int64_t h, int64_t w) {
    return DenseIntElementsAttr::get(
        RankedTensorType::get({2}, b.getI64Type()), ArrayRef<int64_t>{h, w});
  };
  // A filter given as [out][in][kh][kw] (NCHW's FCHW) in the layout the
  // op's form reads (NHWC: HWCF).
  auto filter = [&](const std::vector<float> &oihw, int64_t o, int64_t in,
                    int64_t kh, int64_t kw) {
    if (!l.nhwc)
      return arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get({o, in, kh, kw}, f32),
                                 ArrayRef<float>(oihw)));
    std::vector<float> hwio =
        transposed(ctx, oihw, {o, in, kh, kw}, {2, 3, 1, 0});
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({kh, kw, in, o}, f32),
                               ArrayRef<float>(hwio)));
  };
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getZeroAttr(f32));
  // A zero-filled tensor of `ch` channels at h x w, batch from x.
  auto zeros = [&](int64_t ch, int64_t h, int64_t w) {
    OpFoldResult batch = tensor::getMixedSize(b, loc, x, 0);
    SmallVector<OpFoldResult> sizes =
        l.nhwc ? SmallVector<OpFoldResult>{batch, b.getIndexAttr(h),
                                           b.getIndexAttr(w),
                                           b.getIndexAttr(ch)}
               : SmallVector<OpFoldResult>{batch, b.getIndexAttr(ch),
                                           b.getIndexAttr(h),
                                           b.getIndexAttr(w)};
    Value empty = tensor::EmptyOp::create(b, loc, sizes, f32);
    return linalg::FillOp::create(b, loc, zero, empty).result();
  };
  auto conv = [&](Value in, Value f, Value out, DenseIntElementsAttr st,
                  DenseIntElementsAttr di) -> Operation * {
    if (l.nhwc)
      return linalg::Conv2DNhwcHwcfOp::create(b, loc, out.getType(),
                                              ValueRange{in, f},
                                              ValueRange{out}, st, di);
    return linalg::Conv2DNchwFchwOp::create(
        b, loc, out.getType(), ValueRange{in, f}, ValueRange{out}, st, di);
  };
  DenseIntElementsAttr one = pair(1, 1);
  DenseIntElementsAttr st = pair(strides[0], strides[1]);
  DenseIntElementsAttr di = pair(dilations[0], dilations[1]);
  SmallVector<Operation *> ops;
  if (cf.form == lr::ConvForm::Tucker2) {
    Value t1 = conv(x, filter(cf.first, cf.rin, cs.c, 1, 1),
                    zeros(cf.rin, l.inH, l.inW), one, one)
                   ->getResult(0);
    ops.push_back(t1.getDefiningOp());
    Value t2 = conv(t1, filter(cf.core, cf.rout, cf.rin, cs.kh, cs.kw),
                    zeros(cf.rout, l.outH, l.outW), st, di)
                   ->getResult(0);
    ops.push_back(t2.getDefiningOp());
    ops.push_back(
        conv(t2, filter(cf.last, cs.f, cf.rout, 1, 1), init, one, one));
  } else if (cf.form == lr::ConvForm::Spatial) {
    Value v = conv(x, filter(cf.first, cf.rin, cs.c, cs.kh, 1),
                   zeros(cf.rin, l.outH, l.inW), pair(strides[0], 1),
                   pair(dilations[0], 1))
                  ->getResult(0);
    ops.push_back(v.getDefiningOp());
    ops.push_back(conv(v, filter(cf.last, cs.f, cf.rin, 1, cs.kw), init,
                       pair(1, strides[1]), pair(1, dilations[1])));
  } else {
    Value dwFilter;
    Operation *dw;
    Value out = zeros(cs.c, l.outH, l.outW);
    if (l.nhwc) {
      std::vector<float> hwc =
          transposed(ctx, cf.first, {cs.c, cs.kh, cs.kw}, {1, 2, 0});
      dwFilter = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({cs.kh, cs.kw, cs.c}, f32),
              ArrayRef<float>(hwc)));
      dw = linalg::DepthwiseConv2DNhwcHwcOp::create(
          b, loc, out.getType(), ValueRange{x, dwFilter}, ValueRange{out}, st,
          di);
    } else {
      dwFilter = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({cs.c, cs.kh, cs.kw}, f32),
              ArrayRef<float>(cf.first)));
      dw = linalg::DepthwiseConv2DNchwChwOp::create(
          b, loc, out.getType(), ValueRange{x, dwFilter}, ValueRange{out}, st,
          di);
    }
    ops.push_back(dw);
    ops.push_back(conv(dw->getResult(0), filter(cf.last, cs.f, cs.c, 1, 1),
                       init, one, one));
  }
  LowRankForm form = attrForm(cf.form);
  for (auto [i, o] : llvm::enumerate(ops)) {
    o->setAttr(kLowRankAttrName,
               LowRankAttr::get(ctx, method, cf.rin, int64_t(i), form));
    inheritLayerName(op, o, "/factor" + std::to_string(i));
  }
  op->replaceAllUsesWith(ops.back()->getResults());
  op->erase();
  eraseDeadProducers(weight);
}

LowRankMethod attrMethod(lr::Method m) {
  switch (m) {
  case lr::Method::Svd:
    return LowRankMethod::Svd;
  case lr::Method::Asvd:
    return LowRankMethod::Asvd;
  case lr::Method::SvdLlm:
    return LowRankMethod::SvdLlm;
  case lr::Method::OneBit:
    break;
  }
  return LowRankMethod::OneBit;
}

/// Remarks, the report (written first: one that cannot be written leaves
/// the module unchanged), then the rewrites.
LogicalResult finish(ModuleOp module, StringRef pass,
                     MutableArrayRef<LayerPlan> plans, lr::Method m,
                     StringRef reportFile, int64_t numStages) {
  // Convolution factors are always fitted to the filter: svd.
  auto methodOf = [&](const Layer &l) {
    return l.conv ? LowRankMethod::Svd : attrMethod(m);
  };
  llvm::json::Array entries;
  for (LayerPlan &p : plans) {
    const Layer &l = *p.layer;
    StringRef methodName = stringifyLowRankMethod(methodOf(l));
    double dense = l.params();
    double params = p.params();
    llvm::json::Object entry{{"layer", l.name},
                             {"stage", l.stage},
                             {"stages", numStages},
                             {"method", methodName},
                             {"k", l.k},
                             {"n", l.n},
                             {"params_before", dense},
                             {"bytes_before", 4.0 * dense}};
    // Multiply-adds: per row of a matmul, per image of a convolution.
    const lr::ConvShape &cs = l.cs;
    double outPixels = double(l.outH) * double(l.outW);
    if (l.conv) {
      entry["filter"] = llvm::json::Array{cs.f, cs.c, cs.kh, cs.kw};
      entry["macs_per_image_before"] = dense * outPixels;
    } else {
      // A batch matmul's row meets one batch's matrix.
      entry["macs_per_row_before"] = dense / double(l.batch);
      if (l.batched)
        entry["batch"] = l.batch;
    }
    if (p.rank == 0) {
      if (l.skipped.empty())
        l.op->emitRemark("left dense: ") << p.reason;
      entry["decision"] = "dense";
      entry["reason"] = l.skipped.empty() ? p.reason : "skip=" + l.skipped;
      if (p.error)
        entry["output_error"] = 0.0;
      entries.push_back(std::move(entry));
      continue;
    }
    std::string error =
        p.error ? llvm::formatv(", output error {0:E3}", *p.error).str() : "";
    if (p.oneBit) {
      std::string svid =
          p.svidError ? llvm::formatv(" (SVID alone: {0:E3})", *p.svidError)
                            .str()
                      : "";
      l.op->emitRemark(llvm::formatv(
          "sign x rank-1 (onebit): {0:F4} of the bytes{1}{2}",
          p.bytes() / l.bytes(), error, svid));
    } else {
      l.op->emitRemark(llvm::formatv(
          "factorized at rank {0} ({1}): {2:F3} of the parameters, energy "
          "kept {3:F4}{4}",
          p.rank, methodName, params / dense, p.energy, error));
    }
    entry["decision"] = "factorized";
    if (!p.reason.empty())
      entry["reason"] = p.reason;
    entry["rank"] = p.rank;
    entry["energy"] = p.energy;
    if (p.error)
      entry["output_error"] = *p.error;
    if (p.svidError)
      entry["svid_output_error"] = *p.svidError;
    entry["params_after"] = params;
    entry["bytes_after"] = p.bytes();
    if (l.conv) {
      const lr::ConvFactors &cf = p.conv;
      double taps = double(cs.kh) * double(cs.kw);
      double macs =
          cf.form == lr::ConvForm::Tucker2
              ? double(cf.rin) * cs.c * l.inH * l.inW +
                    (double(cf.rout) * cf.rin * taps + double(cs.f) * cf.rout) *
                        outPixels
          : cf.form == lr::ConvForm::Spatial
              ? double(cf.rin) * cs.c * cs.kh * l.outH * l.inW +
                    double(cs.f) * cf.rin * cs.kw * outPixels
              : (double(cs.c) * taps + double(cs.f) * cs.c) * outPixels;
      entry["form"] = stringifyLowRankForm(attrForm(cf.form));
      entry["ranks"] = llvm::json::Array{cf.rin, cf.rout};
      entry["macs_per_image_after"] = macs;
    } else if (p.oneBit) {
      // One fma per weight (made from its sign) and x * a.
      entry["macs_per_row_after"] = dense + double(l.k);
    } else {
      entry["macs_per_row_after"] = params / double(l.batch);
    }
    entries.push_back(std::move(entry));
  }
  if (!reportFile.empty())
    if (llvm::Error e =
            writeJsonReport(reportFile, pass, "layers", std::move(entries))) {
      module.emitError(pass) << ": " << llvm::toString(std::move(e));
      return failure();
    }
  for (const LayerPlan &p : plans)
    if (p.rank > 0) {
      if (p.layer->conv)
        rewriteConv(p, methodOf(*p.layer));
      else
        rewriteMatmul(p, methodOf(*p.layer));
    }
  return success();
}

//===----------------------------------------------------------------------===//
// slim-low-rank
//===----------------------------------------------------------------------===//

struct SlimLowRankPass
    : mlir::slim::impl::SlimLowRankPassBase<SlimLowRankPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  /// The plan of one matmul; failure after an error on its op.
  FailureOr<LayerPlan> plan(Layer &l, const lr::FactorizeOptions &options);
  /// The plan of a batch matmul: each batch's K x N matrix at one rank.
  FailureOr<LayerPlan> planBatched(Layer &l,
                                   const lr::FactorizeOptions &options);
  /// OneBit's plan of one matmul.
  LayerPlan planOneBit(Layer &l) const;
  /// The plan of one convolution.
  FailureOr<LayerPlan> planConv(Layer &l, const lr::FactorizeOptions &options);
  /// The error budget of the layer being planned: its layer-max-error
  /// entry's, else max-error's (0: none).
  double budget = 0.0;
  /// Whether factors of `params` parameters save what min-saving asks;
  /// else `p` says why not.
  bool saves(const Layer &l, double params, int64_t r, LayerPlan &p) const;
};

FailureOr<LayerPlan> SlimLowRankPass::plan(Layer &l,
                                           const lr::FactorizeOptions &options) {
  LayerPlan p;
  p.layer = &l;
  if (!l.skipped.empty())
    return p;
  if (options.method != lr::Method::OneBit && rank == 0 && energy == 0.0 &&
      budget == 0.0) {
    p.reason = "no error budget for this layer (no layer-max-error entry "
               "matches it and max-error= is not set)";
    return p;
  }
  if (l.conv)
    return planConv(l, options);
  if (l.batched)
    return planBatched(l, options);
  if (options.method == lr::Method::OneBit)
    return planOneBit(l);
  int64_t full = std::min(l.k, l.n);
  if (rank > full)
    return l.op.emitOpError("rank ")
           << rank.getValue() << " is above min(K, N) = " << full
           << " of this " << l.k << " x " << l.n << " weight";
  FailureOr<lr::Decomposition> d = decompose(l, options);
  if (failed(d))
    return failure();
  int64_t r = rank;
  if (energy > 0.0)
    r = d->rankForEnergy(energy);
  if (budget > 0.0) {
    // The smallest rank within the budget: the error falls as the rank
    // grows (exactly so for svdllm without damping), so bisect.
    int64_t lo = 1, hi = d->available();
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      LayerPlan trial;
      takeRank(l, *d, mid, trial);
      if (!trial.error || *trial.error <= budget)
        hi = mid;
      else
        lo = mid + 1;
    }
    r = lo;
  }
  if (!saves(l, double(r) * double(l.k + l.n), r, p))
    return p;
  takeRank(l, *d, r, p);
  return p;
}

FailureOr<LayerPlan>
SlimLowRankPass::planBatched(Layer &l, const lr::FactorizeOptions &options) {
  LayerPlan p;
  p.layer = &l;
  if (options.method != lr::Method::Svd || budget > 0.0) {
    p.reason = "a batch matmul's input pools its batches (no Gram matrix of "
               "each batch's own): method=svd with rank= or energy= "
               "factorizes it";
    return p;
  }
  int64_t full = std::min(l.k, l.n);
  if (rank > full)
    return l.op.emitOpError("rank ")
           << rank.getValue() << " is above min(K, N) = " << full
           << " of this " << l.batch << " x " << l.k << " x " << l.n
           << " weight";
  // Each batch's SVD; one rank for all (energy=: the largest any needs).
  std::vector<lr::Decomposition> ds;
  int64_t r = rank;
  for (int64_t i = 0; i < l.batch; ++i) {
    std::string error;
    std::optional<lr::Decomposition> d = lr::Decomposition::compute(
        l.w.data() + i * l.k * l.n, l.k, l.n, nullptr, options, error);
    if (!d)
      return l.op->emitOpError("cannot factorize batch ")
             << i << ": " << error;
    if (energy > 0.0)
      r = std::max(r, d->rankForEnergy(energy));
    ds.push_back(std::move(*d));
  }
  if (!saves(l, double(l.batch) * double(r) * double(l.k + l.n), r, p))
    return p;
  p.rank = r;
  std::vector<float> approx;
  for (const lr::Decomposition &d : ds) {
    std::vector<float> a, b;
    d.factors(r, a, b);
    for (int64_t i = 0; i < l.k; ++i)
      for (int64_t j = 0; j < l.n; ++j) {
        double v = 0.0;
        for (int64_t t = 0; t < r; ++t)
          v += double(a[i * r + t]) * b[t * l.n + j];
        approx.push_back(static_cast<float>(v));
      }
    llvm::append_range(p.a, a);
    llvm::append_range(p.b, b);
  }
  p.energy = energyKept(l.w, approx);
  return p;
}

LayerPlan SlimLowRankPass::planOneBit(Layer &l) const {
  LayerPlan p;
  p.layer = &l;
  LayerPlan trial = p;
  trial.oneBit = true;
  trial.rank = 1;
  double bytes = trial.bytes(), dense = l.bytes();
  if (!(minSaving == 0.0 ? bytes < dense
                         : bytes <= (1.0 - minSaving) * dense)) {
    p.reason = llvm::formatv("signs and scales would hold {0:F3} of the "
                             "bytes",
                             bytes / dense)
                   .str();
    return p;
  }
  lr::OneBitFactors f =
      lr::oneBit(l.w.data(), l.k, l.n, l.gramData(), refineSteps);
  if (budget > 0.0 && f.error && *f.error > budget) {
    p.reason = llvm::formatv("onebit's output error {0:E3} is above "
                             "max-error={1}",
                             *f.error, shortest(budget))
                   .str();
    return p;
  }
  std::vector<float> approx = f.reconstruct(l.w.data(), l.k, l.n);
  trial.a = std::move(f.a);
  trial.b = std::move(f.b);
  trial.error = f.error;
  if (f.stepsTaken > 0)
    trial.svidError = f.svidError;
  if (f.svidError && f.error && *f.error < *f.svidError)
    trial.reason = llvm::formatv("SVID refined on the Gram matrix ({0} "
                                 "step(s))",
                                 f.stepsTaken)
                       .str();
  else if (f.stepsTaken > 0)
    trial.reason = "SVID (the refinement did not lower its error)";
  trial.energy = energyKept(l.w, approx);
  return trial;
}

bool SlimLowRankPass::saves(const Layer &l, double params, int64_t r,
                            LayerPlan &p) const {
  double dense = l.params();
  bool fits = minSaving == 0.0 ? params < dense
                              : params <= (1.0 - minSaving) * dense;
  if (fits)
    return true;
  p.reason = llvm::formatv("factors of rank {0} would hold {1:F3} of the "
                           "parameters ({2} against the weight's {3})",
                           r, params / dense, int64_t(params), int64_t(dense))
                 .str();
  p.reason += minSaving != 0.0
                  ? llvm::formatv("; min-saving={0} allows at most {1:F3}",
                                  shortest(minSaving),
                                  1.0 - minSaving.getValue())
                        .str()
                  : std::string(": no saving");
  return false;
}

/// Factors of a convolution at the ranks `cf` has, into `p`: the filter's
/// energy kept and, with a patch Gram matrix, the output error.
static void takeConv(const Layer &l, lr::ConvFactors cf, LayerPlan &p) {
  std::vector<float> approx = cf.reconstruct();
  p.energy = energyKept(l.w, approx);
  p.error = l.gram ? ::slim::numerics::relativeOutputError(
                         l.h, l.filterMatrix(l.w).data(),
                         l.filterMatrix(approx), l.k, l.n)
                   : std::nullopt;
  p.rank = cf.rin;
  p.conv = std::move(cf);
}

FailureOr<LayerPlan>
SlimLowRankPass::planConv(Layer &l, const lr::FactorizeOptions &options) {
  LayerPlan p;
  p.layer = &l;
  if (!l.skipped.empty())
    return p;
  if (options.method != lr::Method::Svd) {
    p.reason = "convolution factors are fitted to the filter (method=svd); "
               "method=" + method + " applies to matmuls";
    return p;
  }
  lr::ConvForm form = conv == "spatial"     ? lr::ConvForm::Spatial
                      : conv == "depthwise" ? lr::ConvForm::Depthwise
                                            : lr::ConvForm::Tucker2;
  const lr::ConvShape &cs = l.cs;
  // Tucker-2 takes one rank for both modes (each clipped to its size).
  auto factors = [&](int64_t r) {
    return lr::factorizeConv(l.w.data(), cs, form, r, r);
  };
  lr::ConvFactors cf;
  if (form == lr::ConvForm::Depthwise) {
    cf = factors(0);
  } else if (energy > 0.0) {
    lr::ConvSpectra sp = lr::convSpectra(l.w.data(), cs, form);
    int64_t rin = lr::rankForEnergy(sp.channels, energy);
    int64_t rout = form == lr::ConvForm::Tucker2
                       ? lr::rankForEnergy(sp.filters, energy)
                       : rin;
    cf = lr::factorizeConv(l.w.data(), cs, form, rin, rout);
  } else if (budget > 0.0) {
    if (!l.gram) {
      p.reason = "max-error needs the Gram matrix of the convolution's "
                 "input patches (an input slim-insert-observers observed)";
      return p;
    }
    // The smallest rank within the budget, by bisection.
    int64_t lo = 1, hi = lr::maxConvRank(cs, form);
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      LayerPlan trial;
      takeConv(l, factors(mid), trial);
      if (!trial.error || *trial.error <= budget)
        hi = mid;
      else
        lo = mid + 1;
    }
    cf = factors(lo);
  } else {
    cf = factors(rank);
  }
  if (!saves(l, double(cf.params()), cf.rin, p))
    return p;
  takeConv(l, std::move(cf), p);
  return p;
}

void SlimLowRankPass::runOnOperation() {
  ModuleOp module = getOperation();
  CommonOptions common{"slim-low-rank", method, solver, hessianDir, damp,
                       alpha,           skip,   stage,  conv};
  FailureOr<lr::FactorizeOptions> options = parseCommon(module, common);
  if (failed(options))
    return signalPassFailure();
  auto fail = [&](const Twine &message) {
    module.emitError("slim-low-rank: ") << message;
    signalPassFailure();
  };
  // layer-max-error: PATTERN=E entries, each a full-match regular
  // expression on layer names and a positive budget.
  struct LayerBudget {
    std::string pattern;
    llvm::Regex regex;
    double error;
  };
  std::vector<LayerBudget> layerBudgets;
  for (const std::string &entry : layerMaxErrors) {
    size_t at = entry.rfind('=');
    double e = 0.0;
    std::string error;
    if (at == std::string::npos ||
        StringRef(entry).substr(at + 1).getAsDouble(e) || !(e > 0.0) ||
        !std::isfinite(e))
      return fail("layer-max-error takes PATTERN=E with E a positive "
                  "number, got '" +
                  entry + "'");
    llvm::Regex regex("^(" + entry.substr(0, at) + ")$");
    if (!regex.isValid(error))
      return fail("layer-max-error pattern '" + entry.substr(0, at) +
                  "' is not a regular expression: " + error);
    layerBudgets.push_back({entry.substr(0, at), std::move(regex), e});
  }
  bool errorTarget = maxError != 0.0 || !layerBudgets.empty();
  if (!layerBudgets.empty() && hessianDir.empty())
    return fail("layer-max-error needs hessians=DIR (each layer's error "
                "comes from its Gram matrix)");
  int targets = (rank != 0) + (energy != 0.0) + errorTarget;
  if (options->method == lr::Method::OneBit) {
    if (rank != 0 || energy != 0.0)
      return fail("method=onebit has no rank: rank= and energy= do not apply "
                  "(max-error= leaves dense the layers it would exceed)");
    if (refineSteps < 0)
      return fail("refine-steps must be at least 0, got " +
                  Twine(refineSteps.getValue()));
  } else if (targets != 1)
    return fail("give exactly one of rank=, energy= and max-error= (got " +
                Twine(targets) + ")");
  if (rank < 0)
    return fail("rank must be at least 1, got " + Twine(rank.getValue()));
  if (energy != 0.0 && !(energy > 0.0 && energy <= 1.0))
    return fail("energy must be in (0, 1], got " + shortest(energy));
  if (maxError < 0.0 || !std::isfinite(maxError) ||
      (maxError > 0.0 && hessianDir.empty()))
    return fail("max-error needs a positive value and hessians=DIR (each "
                "layer's error comes from its Gram matrix)");
  if (!(minSaving < 1.0) || !std::isfinite(minSaving))
    return fail("min-saving must be below 1, got " + shortest(minSaving));
  if (options->solver == lr::Solver::Randomized && rank == 0)
    return fail("solver=randomized needs rank= (it finds the leading "
                "singular values only)");
  options->rank = rank;

  bool needGram = options->method == lr::Method::Asvd ||
                  options->method == lr::Method::SvdLlm || errorTarget;
  FailureOr<Collected> collected = collectLayers(module, common, needGram);
  if (failed(collected))
    return signalPassFailure();
  // Each layer-max-error pattern must name a layer, as skip= patterns do.
  for (const LayerBudget &entry : layerBudgets)
    if (llvm::none_of(collected->layers, [&](const Layer &l) {
          return entry.regex.match(l.name);
        }))
      return fail("layer-max-error pattern '" + entry.pattern +
                  "' matches no layer (the per-layer report lists their "
                  "names)");
  std::vector<LayerPlan> plans;
  bool anyFailed = false;
  for (auto [index, l] : llvm::enumerate(collected->layers)) {
    notifyLayerWork(l.op.getOperation(), "slim-low-rank", index,
                    collected->layers.size());
    budget = maxError;
    for (const LayerBudget &entry : layerBudgets)
      if (entry.regex.match(l.name)) {
        budget = entry.error;
        break;
      }
    FailureOr<LayerPlan> p = plan(l, *options);
    if (failed(p))
      anyFailed = true;
    else
      plans.push_back(std::move(*p));
  }
  if (anyFailed ||
      failed(finish(module, "slim-low-rank", plans, options->method,
                    reportFile, collected->numStages)))
    return signalPassFailure();
}

//===----------------------------------------------------------------------===//
// slim-factorize
//===----------------------------------------------------------------------===//

struct SlimFactorizePass
    : mlir::slim::impl::SlimFactorizePassBase<SlimFactorizePass> {
  using Base::Base;
  void runOnOperation() override;
};

void SlimFactorizePass::runOnOperation() {
  ModuleOp module = getOperation();
  // Batch matmuls have no Gram matrix per batch to weigh: not candidates.
  CommonOptions common{"slim-factorize", method, solver, hessianDir, damp,
                       alpha,            skip,   -1,     conv,
                       /*batchMatmuls=*/false};
  FailureOr<lr::FactorizeOptions> options = parseCommon(module, common);
  if (failed(options))
    return signalPassFailure();
  auto fail = [&](const Twine &message) {
    module.emitError("slim-factorize: ") << message;
    signalPassFailure();
  };
  if (options->method == lr::Method::OneBit)
    return fail("method=onebit has no rank to choose; use slim-low-rank "
                "method=onebit (max-error= leaves sensitive layers dense)");
  if ((params != 0.0) + (maxError != 0.0) != 1)
    return fail("give exactly one of params= and max-error=");
  if (params != 0.0 && !(params > 0.0 && params < 1.0))
    return fail("params must be in (0, 1), got " + shortest(params));
  if (maxError != 0.0 && !(maxError > 0.0 && std::isfinite(maxError)))
    return fail("max-error must be positive, got " + shortest(maxError));
  if (hessianDir.empty())
    return fail("needs hessians=DIR (each layer's error on the calibration "
                "inputs, from its Gram matrix, is what the budget weighs)");
  if (steps < 1)
    return fail("steps must be at least 1, got " + Twine(steps.getValue()));
  if (objective != "max" && objective != "sum")
    return fail("unknown objective '" + objective + "' (expected max or sum)");
  if (options->solver == lr::Solver::Randomized)
    return fail("solver=randomized finds a fixed rank's singular values "
                "only; the budget needs every rank's error");
  if (conv == "depthwise")
    return fail("conv=depthwise has no rank to choose (expected tucker2, "
                "spatial or none)");
  lr::ConvForm convForm =
      conv == "spatial" ? lr::ConvForm::Spatial : lr::ConvForm::Tucker2;

  FailureOr<Collected> collected =
      collectLayers(module, common, /*needGram=*/true);
  if (failed(collected))
    return signalPassFailure();
  std::vector<Layer> &layers = collected->layers;

  // Each layer's choices: dense, then ranks from the largest that saves
  // anything down to the smallest of the grid, each with its error.
  std::vector<::slim::numerics::BudgetChoices> choices(layers.size());
  std::vector<std::vector<int64_t>> ranks(layers.size());
  std::vector<std::optional<lr::Decomposition>> decompositions(layers.size());
  double total = 0.0;
  bool anyFailed = false;
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer &l = layers[i];
    choices[i].saved.push_back(0.0);
    choices[i].errors.push_back(0.0);
    ranks[i].push_back(0);
    if (!l.skipped.empty())
      continue;
    total += l.params();
    if (l.conv) {
      // Factors fitted to the filter in the form conv= names, each rank's
      // error measured on the input patches (none without their Gram
      // matrix: the convolution stays dense).
      if (!l.gram)
        continue;
      const lr::ConvShape &cs = l.cs;
      auto convParams = [&](int64_t r) {
        return double(lr::convParams(cs, convForm, r, r));
      };
      int64_t most = lr::maxConvRank(cs, convForm);
      while (most > 1 && convParams(most) >= l.params())
        --most;
      for (int64_t s = steps; s >= 1; --s) {
        int64_t r = std::max<int64_t>(1, most * s / steps);
        if (r == ranks[i].back())
          continue;
        if (convParams(r) >= l.params())
          continue;
        LayerPlan trial;
        trial.layer = &l;
        takeConv(l, lr::factorizeConv(l.w.data(), cs, convForm, r, r), trial);
        ranks[i].push_back(r);
        choices[i].saved.push_back(l.params() - trial.params());
        choices[i].errors.push_back(trial.error.value_or(0.0));
      }
      continue;
    }
    FailureOr<lr::Decomposition> d = decompose(l, *options);
    if (failed(d)) {
      anyFailed = true;
      continue;
    }
    // The largest rank with fewer parameters than the weight.
    int64_t most = std::min<int64_t>(
        d->available(),
        static_cast<int64_t>(std::ceil(l.params() / double(l.k + l.n))) - 1);
    for (int64_t s = steps; s >= 1; --s) {
      int64_t r = std::max<int64_t>(1, most * s / steps);
      if (r < 1 || r > most || r == ranks[i].back())
        continue;
      LayerPlan trial;
      trial.layer = &l;
      takeRank(l, *d, r, trial);
      ranks[i].push_back(r);
      choices[i].saved.push_back(l.params() - double(r) * double(l.k + l.n));
      choices[i].errors.push_back(trial.error.value_or(0.0));
    }
    decompositions[i] = std::move(*d);
  }
  if (anyFailed)
    return signalPassFailure();

  std::vector<size_t> chosen;
  size_t counted = llvm::count_if(
      layers, [](const Layer &l) { return l.skipped.empty(); });
  std::string budget;
  bool sum = objective == "sum";
  if (params != 0.0) {
    double target = (1.0 - params) * total;
    chosen = sum ? ::slim::numerics::allocateSaving(choices, target)
                 : ::slim::numerics::allocateMinimax(choices, target);
    budget = "params=" + shortest(params);
  } else {
    chosen = sum ? ::slim::numerics::allocateWithinError(
                       choices, maxError * double(std::max<size_t>(counted, 1)))
                 : ::slim::numerics::chooseUnderCap(choices, maxError);
    budget = "max-error=" + shortest(maxError);
  }
  budget += ", objective=" + objective;
  std::vector<LayerPlan> plans;
  double kept = 0.0;
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer &l = layers[i];
    LayerPlan p;
    p.layer = &l;
    int64_t r = ranks[i][chosen[i]];
    if (r == 0) {
      p.reason = ranks[i].size() == 1
                     ? std::string("no rank has fewer parameters than the "
                                   "weight")
                     : llvm::formatv("{0}: {1}", budget,
                                     sum ? "its error grows faster than the "
                                           "other layers' for the parameters "
                                           "it would save"
                                         : "every rank tried has an error "
                                           "above the cap the budget set")
                           .str();
      if (l.skipped.empty())
        p.error = 0.0;
      kept += l.skipped.empty() ? l.params() : 0.0;
    } else {
      if (l.conv)
        takeConv(l, lr::factorizeConv(l.w.data(), l.cs, convForm, r, r), p);
      else
        takeRank(l, *decompositions[i], r, p);
      p.reason = llvm::formatv("{0}: rank {1} of the {2} tried", budget, r,
                               ranks[i].size() - 1)
                     .str();
      kept += p.params();
    }
    plans.push_back(std::move(p));
  }
  if (total > 0.0)
    module.emitRemark(llvm::formatv(
        "slim-factorize: {0} of the candidate layers' parameters kept ({1}); "
        "{2} of {3} layers factorized",
        llvm::format("%.3f", kept / total), budget,
        llvm::count_if(plans, [](const LayerPlan &p) { return p.rank > 0; }),
        counted));
  if (failed(finish(module, "slim-factorize", plans, options->method,
                    reportFile, collected->numStages)))
    return signalPassFailure();
}

} // namespace
