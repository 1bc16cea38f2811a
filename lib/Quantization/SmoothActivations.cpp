//===- SmoothActivations.cpp - Move activation outliers into weights
//-------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Quantization/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "slim/Calibration/Stats.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMSMOOTHACTIVATIONSPASS
#include "slim/Quantization/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
using ::slim::calibration::ObserverStats;
using ::slim::calibration::Stats;

namespace {

/// One observed activation to smooth, fully computed before anything
/// changes: the factors and the rescaled weights of its matmuls.
struct SmoothPlan {
  ObserveOp observer;
  std::vector<float> inverse; ///< 1 / s_k per channel
  SmallVector<std::pair<linalg::MatmulOp, DenseElementsAttr>> weights;
  double activationBefore = 0, activationAfter = 0;
  double weightBefore = 0, weightAfter = 0;
};

struct SlimSmoothActivationsPass
    : mlir::slim::impl::SlimSmoothActivationsPassBase<
          SlimSmoothActivationsPass> {
  using SlimSmoothActivationsPassBase::SlimSmoothActivationsPassBase;

  void runOnOperation() override;

private:
  /// The plan for `op`, std::nullopt when it is not smoothed (not read by
  /// matmuls only, as their left operand, by constant weights), failure on
  /// a refusal.
  FailureOr<std::optional<SmoothPlan>>
  plan(ObserveOp op, const Stats &stats,
       const llvm::DenseMap<Operation *, std::string> &skipped);
};
} // namespace

FailureOr<std::optional<SmoothPlan>> SlimSmoothActivationsPass::plan(
    ObserveOp op, const Stats &stats,
    const llvm::DenseMap<Operation *, std::string> &skipped) {
  RankedTensorType type = op.getInput().getType();
  if (type.getRank() != 2 || type.isDynamicDim(1))
    return std::optional<SmoothPlan>();
  int64_t k = type.getDimSize(1);
  SmallVector<linalg::MatmulOp> matmuls;
  for (OpOperand &use : op.getResult().getUses()) {
    Operation *user = use.getOwner();
    if (!isQuantizableCompute(user))
      continue; // reads the activation unsmoothed
    auto mm = dyn_cast<linalg::MatmulOp>(user);
    if (!mm || mm.hasUserDefinedMaps() || use.getOperandNumber() != 0 ||
        skipped.contains(user))
      return std::optional<SmoothPlan>();
    matmuls.push_back(mm);
  }
  if (matmuls.empty())
    return std::optional<SmoothPlan>();

  // The weights, [K, N] each, and the largest |w| of every row k.
  ConstantLikeAnalysis constants;
  std::vector<double> weightMax(k, 0.0);
  SmallVector<std::vector<float>> values;
  for (linalg::MatmulOp mm : matmuls) {
    Value w = mm.getInputs()[1];
    auto wType = dyn_cast<RankedTensorType>(w.getType());
    std::optional<std::vector<float>> v;
    if (wType && wType.getElementType().isF32() && constants.isConstantLike(w))
      v = readConstantValues(w);
    if (!v)
      return std::optional<SmoothPlan>();
    int64_t n = wType.getDimSize(1);
    for (int64_t i = 0; i < k * n; ++i) {
      if (!std::isfinite((*v)[i]))
        return mm.emitOpError("weight holds NaN or Inf (element ")
               << i << "); refusing to smooth its input";
      weightMax[i / n] =
          std::max(weightMax[i / n], std::fabs(static_cast<double>((*v)[i])));
    }
    values.push_back(std::move(*v));
  }

  auto it = stats.observers.find(op.getId().str());
  if (it == stats.observers.end())
    return op.emitOpError("observer '")
           << op.getId() << "' has no statistics in " << statsFile;
  const ObserverStats &s = it->second;
  if (s.axis != 1 || static_cast<int64_t>(s.channelMax.size()) != k)
    return op.emitOpError("observer '")
           << op.getId()
           << "' has no per-channel statistics along its last dimension; "
              "calibrate a module instrumented with slim-insert-observers "
              "granularity=channel";

  // s_k = max|x_k|^alpha / max|w_k|^(1 - alpha); a channel without range
  // (or a zero weight row) keeps s_k = 1.
  SmoothPlan p;
  p.observer = op;
  p.inverse.resize(k);
  std::vector<double> factor(k, 1.0);
  for (int64_t c = 0; c < k; ++c) {
    double a =
        s.channelMin[c] <= s.channelMax[c]
            ? std::max(std::fabs(s.channelMin[c]), std::fabs(s.channelMax[c]))
            : 0.0;
    if (a > 0.0 && weightMax[c] > 0.0)
      factor[c] = std::clamp(std::pow(a, static_cast<double>(alpha)) /
                                 std::pow(weightMax[c], 1.0 - alpha),
                             1e-5, 1e5);
    p.inverse[c] = static_cast<float>(1.0 / factor[c]);
    p.activationBefore = std::max(p.activationBefore, a);
    p.activationAfter = std::max(p.activationAfter, a * p.inverse[c]);
    p.weightBefore = std::max(p.weightBefore, weightMax[c]);
    p.weightAfter = std::max(p.weightAfter, weightMax[c] * factor[c]);
  }
  for (auto [mm, v] : llvm::zip_equal(matmuls, values)) {
    auto wType = cast<RankedTensorType>(mm.getInputs()[1].getType());
    int64_t n = wType.getDimSize(1);
    for (int64_t i = 0; i < k * n; ++i)
      v[i] = static_cast<float>(v[i] * factor[i / n]);
    p.weights.push_back(
        {mm, DenseElementsAttr::get(wType, ArrayRef<float>(v))});
  }
  return std::optional<SmoothPlan>(std::move(p));
}

void SlimSmoothActivationsPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto fail = [&](const Twine &msg) {
    module.emitError("slim-smooth-activations: ") << msg;
    signalPassFailure();
  };
  if (!(alpha > 0.0 && alpha <= 1.0))
    return fail("alpha must be in (0, 1], got " + std::to_string(alpha));
  if (statsFile.empty())
    return fail("needs stats= (per-channel statistics from slim-run "
                "--calibrate of a module instrumented with "
                "slim-insert-observers granularity=channel)");
  llvm::Expected<Stats> stats = Stats::readFile(statsFile);
  if (!stats)
    return fail(llvm::toString(stats.takeError()));
  llvm::MapVector<Operation *, std::string> names = nameLayers(module);
  FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
      skippedLayers(names, skip, module, "slim-smooth-activations");
  if (failed(skipped))
    return signalPassFailure();

  // Plan everything first: a refusal leaves the module unchanged.
  SmallVector<SmoothPlan> plans;
  bool refused = false;
  module.walk([&](ObserveOp op) {
    FailureOr<std::optional<SmoothPlan>> p = plan(op, *stats, *skipped);
    if (failed(p))
      refused = true;
    else if (*p)
      plans.push_back(std::move(**p));
  });
  if (refused)
    return signalPassFailure();

  for (SmoothPlan &p : plans) {
    ObserveOp old = p.observer;
    Value x = old.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    OpBuilder b(old);
    Location loc = old.getLoc();
    int64_t k = type.getDimSize(1);
    Value inverse = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({k}, b.getF32Type()),
                               ArrayRef<float>(p.inverse)));
    Value init = tensor::EmptyOp::create(
        b, loc, tensor::getMixedSizes(b, loc, x), type.getElementType());
    Value scaled =
        combineAlongAxis(b, loc, x, inverse, init, /*axis=*/1,
                         [](OpBuilder &nb, Location nl, Value v, Value f) {
                           return arith::MulFOp::create(nb, nl, v, f);
                         });
    auto observed = ObserveOp::create(b, loc, type, scaled, old.getIdAttr(),
                                      old.getAxisAttr());
    if (DenseI64ArrayAttr patches = old.getPatchesAttr())
      observed.setPatchesAttr(patches);
    llvm::SmallPtrSet<Operation *, 4> smoothed;
    for (auto &[mm, weight] : p.weights) {
      OpBuilder wb(mm);
      Value before = mm.getInputs()[1];
      mm.setOperand(1, arith::ConstantOp::create(wb, mm.getLoc(), weight));
      // The float weight (and what only moved it) goes when unused.
      eraseDeadProducers(before);
      smoothed.insert(mm);
    }
    for (OpOperand &use : llvm::make_early_inc_range(old->getUses()))
      use.set(smoothed.contains(use.getOwner()) ? observed.getResult() : x);
    old->erase();
    observed->emitRemark(llvm::formatv(
        "smoothed {0} channels (alpha {1}): max |x| {2:F3} -> {3:F3}, max "
        "|w| {4:F3} -> {5:F3}",
        k, alpha.getValue(), p.activationBefore, p.activationAfter,
        p.weightBefore, p.weightAfter));
  }
}
