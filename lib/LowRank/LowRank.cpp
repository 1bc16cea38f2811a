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
#include "slim/Transforms/Matchers.h"
#include "slim/Transforms/Report.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// A candidate layer as both passes read it.
struct Layer {
  linalg::MatmulOp op;
  std::string name;
  int64_t k = 0, n = 0, stage = 0;
  std::vector<float> w;      ///< K x N, row-major (empty when skipped)
  const Gram *gram = nullptr;
  std::vector<double> h;     ///< the Gram matrix, both triangles
  std::string skipped;       ///< the skip= pattern that matched, if any

  double params() const { return double(k) * double(n); }
  const double *gramData() const { return gram ? h.data() : nullptr; }
};

/// One layer's decision: factors of rank `rank`, or dense with `reason`.
struct LayerPlan {
  Layer *layer = nullptr;
  int64_t rank = 0;
  double energy = 1.0;
  std::optional<double> error;
  std::vector<float> a, b;
  std::string reason; ///< why it stays dense (rank 0), or how it was chosen
};

/// What both passes take from their options.
struct CommonOptions {
  StringRef pass, method, solver, hessianDir;
  double damp = 0.01, alpha = 0.5;
  ArrayRef<std::string> skip;
  int64_t stage = -1;
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
  lr::FactorizeOptions o;
  if (c.method == "svd")
    o.method = lr::Method::Svd;
  else if (c.method == "asvd")
    o.method = lr::Method::Asvd;
  else if (c.method == "svdllm")
    o.method = lr::Method::SvdLlm;
  else
    return fail("unknown method '" + c.method +
                "' (expected svd, asvd or svdllm)");
  if (c.solver == "auto")
    o.solver = lr::Solver::Auto;
  else if (c.solver == "exact")
    o.solver = lr::Solver::Exact;
  else if (c.solver == "randomized")
    o.solver = lr::Solver::Randomized;
  else
    return fail("unknown solver '" + c.solver +
                "' (expected auto, exact or randomized)");
  if (!(c.damp > 0.0) || !std::isfinite(c.damp))
    return fail("damp must be a positive fraction, got " + shortest(c.damp));
  if (!(c.alpha >= 0.0) || !std::isfinite(c.alpha))
    return fail("alpha must be a finite exponent >= 0, got " +
                shortest(c.alpha));
  if (o.method != lr::Method::Svd && c.hessianDir.empty())
    return fail("method=" + c.method +
                " needs hessians=DIR (the Gram matrices of the layers' "
                "inputs, slim-run --calibrate --hessians)");
  o.damping = c.damp;
  o.alpha = c.alpha;
  return o;
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
  auto isCandidate = [&](Operation *operation) {
    auto op = dyn_cast<linalg::MatmulOp>(operation);
    if (!op || op.hasUserDefinedMaps() || !op.hasPureTensorSemantics() ||
        op->hasAttr(kLowRankAttrName))
      return false;
    Value weight = op.getInputs()[1];
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    return type && type.getElementType().isF32() && type.hasStaticShape() &&
           type.getNumElements() != 0 &&
           resultType.getElementType().isF32() &&
           cast<RankedTensorType>(op.getInputs()[0].getType())
               .getElementType()
               .isF32() &&
           constants.isConstantLike(weight);
  };
  // Stages: a factorized layer's second product stands for it.
  llvm::DenseMap<Operation *, int64_t> stages =
      layerStages(module, isCandidate, [](Operation *op) {
        auto attr = op->getAttrOfType<LowRankAttr>(kLowRankAttrName);
        return attr && attr.getFactor() == 1;
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
    auto op = cast<linalg::MatmulOp>(operation);
    Value weight = op.getInputs()[1];
    auto type = cast<RankedTensorType>(weight.getType());
    Layer l;
    l.op = op;
    l.name = name;
    l.k = type.getDimSize(0);
    l.n = type.getDimSize(1);
    l.stage = stages.lookup(op);
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
      op.emitOpError("the weight holds NaN or Inf: it cannot be factorized");
      anyFailed = true;
      continue;
    }
    l.w = std::move(*values);
    if (hessians) {
      FailureOr<const Gram *> found = findMatmulGram(
          op, *hessians, needGram ? MissingGram::Error : MissingGram::Ignore);
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
  p.error = l.gram ? lr::relativeOutputError(l.h.data(), l.w.data(), p.a,
                                             p.b, l.k, l.n, r)
                   : std::nullopt;
}

/// y = (x A) B in place of the layer's op, A and B new constants, the first
/// product into a zero-filled M x r tensor and the second into the op's
/// init.
void rewrite(const LayerPlan &p, LowRankMethod method) {
  const Layer &l = *p.layer;
  linalg::MatmulOp op = l.op;
  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  Type f32 = b.getF32Type();
  Value x = op.getInputs()[0];
  Value weight = op.getInputs()[1];
  Value init = op.getOutputs()[0];
  auto constant = [&](const std::vector<float> &values, int64_t rows,
                      int64_t cols) {
    auto type = RankedTensorType::get({rows, cols}, f32);
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<float>(values)));
  };
  Value a = constant(p.a, l.k, p.rank);
  Value bFactor = constant(p.b, p.rank, l.n);
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, x, 0),
                                  b.getIndexAttr(p.rank)};
  Value empty = tensor::EmptyOp::create(b, loc, sizes, f32);
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getZeroAttr(f32));
  Value filled = linalg::FillOp::create(b, loc, zero, empty).result();
  auto first = linalg::MatmulOp::create(b, loc, filled.getType(),
                                        ValueRange{x, a}, ValueRange{filled});
  auto second = linalg::MatmulOp::create(
      b, loc, op.getResultTypes(), ValueRange{first.getResult(0), bFactor},
      ValueRange{init});
  first->setAttr(kLowRankAttrName, LowRankAttr::get(ctx, method, p.rank, 0));
  second->setAttr(kLowRankAttrName,
                  LowRankAttr::get(ctx, method, p.rank, 1));
  op->replaceAllUsesWith(second->getResults());
  op->erase();
  eraseDeadProducers(weight);
}

LowRankMethod attrMethod(lr::Method m) {
  return m == lr::Method::Svd    ? LowRankMethod::Svd
         : m == lr::Method::Asvd ? LowRankMethod::Asvd
                                 : LowRankMethod::SvdLlm;
}

/// Remarks, the report (written first: one that cannot be written leaves
/// the module unchanged), then the rewrites.
LogicalResult finish(ModuleOp module, StringRef pass,
                     MutableArrayRef<LayerPlan> plans, lr::Method m,
                     StringRef reportFile, int64_t numStages) {
  LowRankMethod method = attrMethod(m);
  StringRef methodName = stringifyLowRankMethod(method);
  llvm::json::Array entries;
  for (LayerPlan &p : plans) {
    const Layer &l = *p.layer;
    double dense = l.params();
    double params = double(p.rank) * double(l.k + l.n);
    llvm::json::Object entry{{"layer", l.name},
                             {"stage", l.stage},
                             {"stages", numStages},
                             {"method", methodName},
                             {"k", l.k},
                             {"n", l.n},
                             {"params_before", dense},
                             {"bytes_before", 4.0 * dense},
                             {"macs_per_row_before", dense}};
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
    l.op->emitRemark(llvm::formatv(
        "factorized at rank {0} ({1}): {2:F3} of the parameters, energy "
        "kept {3:F4}{4}",
        p.rank, methodName, params / dense, p.energy, error));
    entry["decision"] = "factorized";
    if (!p.reason.empty())
      entry["reason"] = p.reason;
    entry["rank"] = p.rank;
    entry["energy"] = p.energy;
    if (p.error)
      entry["output_error"] = *p.error;
    entry["params_after"] = params;
    entry["bytes_after"] = 4.0 * params;
    entry["macs_per_row_after"] = params;
    entries.push_back(std::move(entry));
  }
  if (!reportFile.empty())
    if (llvm::Error e =
            writeJsonReport(reportFile, pass, "layers", std::move(entries))) {
      module.emitError(pass) << ": " << llvm::toString(std::move(e));
      return failure();
    }
  for (const LayerPlan &p : plans)
    if (p.rank > 0)
      rewrite(p, method);
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
  /// The plan of one layer; failure after an error on its op.
  FailureOr<LayerPlan> plan(Layer &l, const lr::FactorizeOptions &options);
};

FailureOr<LayerPlan> SlimLowRankPass::plan(Layer &l,
                                           const lr::FactorizeOptions &options) {
  LayerPlan p;
  p.layer = &l;
  if (!l.skipped.empty())
    return p;
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
  if (maxError > 0.0) {
    // The smallest rank within the budget: the error falls as the rank
    // grows (exactly so for svdllm without damping), so bisect.
    int64_t lo = 1, hi = d->available();
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      LayerPlan trial;
      takeRank(l, *d, mid, trial);
      if (!trial.error || *trial.error <= maxError)
        hi = mid;
      else
        lo = mid + 1;
    }
    r = lo;
  }
  double params = double(r) * double(l.k + l.n);
  double dense = l.params();
  bool fits = minSaving == 0.0 ? params < dense
                              : params <= (1.0 - minSaving) * dense;
  if (!fits) {
    p.reason = llvm::formatv("factors of rank {0} would hold {1:F3} of the "
                             "parameters (r (K + N) = {2}, K N = {3})",
                             r, params / dense, int64_t(params),
                             int64_t(dense))
                   .str();
    p.reason += minSaving != 0.0
                    ? llvm::formatv("; min-saving={0} allows at most {1:F3}",
                                    shortest(minSaving),
                                    1.0 - minSaving.getValue())
                          .str()
                    : std::string(": no saving");
    return p;
  }
  takeRank(l, *d, r, p);
  return p;
}

void SlimLowRankPass::runOnOperation() {
  ModuleOp module = getOperation();
  CommonOptions common{"slim-low-rank", method, solver, hessianDir, damp,
                       alpha,           skip,   stage};
  FailureOr<lr::FactorizeOptions> options = parseCommon(module, common);
  if (failed(options))
    return signalPassFailure();
  auto fail = [&](const Twine &message) {
    module.emitError("slim-low-rank: ") << message;
    signalPassFailure();
  };
  int targets = (rank != 0) + (energy != 0.0) + (maxError != 0.0);
  if (targets != 1)
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

  bool needGram = options->method != lr::Method::Svd || maxError > 0.0;
  FailureOr<Collected> collected = collectLayers(module, common, needGram);
  if (failed(collected))
    return signalPassFailure();
  SmallVector<LayerPlan> plans;
  bool anyFailed = false;
  for (Layer &l : collected->layers) {
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
  CommonOptions common{"slim-factorize", method, solver, hessianDir, damp,
                       alpha,            skip,   -1};
  FailureOr<lr::FactorizeOptions> options = parseCommon(module, common);
  if (failed(options))
    return signalPassFailure();
  auto fail = [&](const Twine &message) {
    module.emitError("slim-factorize: ") << message;
    signalPassFailure();
  };
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
  SmallVector<LayerPlan> plans;
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
      takeRank(l, *decompositions[i], r, p);
      p.reason = llvm::formatv("{0}: rank {1} of the {2} tried", budget, r,
                               ranks[i].size() - 1)
                     .str();
      kept += double(r) * double(l.k + l.n);
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
