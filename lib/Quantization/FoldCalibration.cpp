//===- FoldCalibration.cpp - Observers to quantize/dequantize pairs -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Quantization/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "slim/Calibration/Stats.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"
#include "llvm/Support/JSON.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMFOLDCALIBRATIONPASS
#include "slim/Quantization/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace num = ::slim::numerics;
using ::slim::calibration::ObserverStats;
using ::slim::calibration::Stats;

/// Bins of the activation histograms the per-layer report carries.
constexpr int kReportHistogramBins = 64;

namespace {

/// What replaces one observer: the quantized type and, for the report, how
/// it was chosen.
struct Plan {
  Operation *op;
  Value input;
  Type quantType;
  llvm::json::Object report;
  /// The chosen range of a per-tensor observer, and its histogram.
  std::optional<num::RealRange> range;
  const ObserverStats *stats = nullptr;
};

struct SlimFoldCalibrationPass
    : mlir::slim::impl::SlimFoldCalibrationPassBase<SlimFoldCalibrationPass> {
  using SlimFoldCalibrationPassBase::SlimFoldCalibrationPassBase;

  void runOnOperation() override;

  /// Filled with each layer's input and output activations when set.
  std::shared_ptr<LayerReport> layers;

private:
  LogicalResult checkOptions(ModuleOp module);
  void reportLayers(ModuleOp module, ArrayRef<Plan> plans);
  FailureOr<Plan> planObserver(ObserveOp op, const Stats &stats);
  FailureOr<Plan> planCalibratedCast(quant::QuantizeCastOp op);
  num::RealRange chooseRange(const ObserverStats &s) const;
  Type tensorQuantType(RankedTensorType type, num::RealRange range,
                       Operation *op, llvm::json::Object &report);

  StorageSpec spec;
  bool symmetric = false;
};
} // namespace

LogicalResult SlimFoldCalibrationPass::checkOptions(ModuleOp module) {
  auto fail = [&](const Twine &msg) {
    return module.emitError("slim-fold-calibration: ") << msg;
  };
  static const char *methods[] = {"minmax", "ema", "percentile", "entropy",
                                  "mse"};
  if (!llvm::is_contained(methods, StringRef(method)))
    return fail("unknown method '" + method +
                "' (expected minmax, ema, percentile, entropy or mse)");
  if (scheme != "symmetric" && scheme != "asymmetric")
    return fail("unknown scheme '" + scheme +
                "' (expected symmetric or asymmetric)");
  if (granularity != "tensor" && granularity != "channel")
    return fail("unknown granularity '" + granularity +
                "' (expected tensor or channel)");
  if (outputs != "quantize" && outputs != "float")
    return fail("unknown outputs '" + outputs +
                "' (expected quantize or float)");
  if (granularity == "channel" && method != "minmax")
    return fail("per-channel ranges come from per-channel extremes: "
                "granularity=channel needs method=minmax");
  if (!(percentile > 0.0 && percentile <= 100.0))
    return fail("percentile must be in (0, 100], got " +
                std::to_string(percentile));
  std::optional<StorageSpec> parsed = StorageSpec::parse(storage, narrowRange);
  if (!parsed)
    return fail("unknown storage '" + storage +
                "' (expected i<N> or u<N> with N from 2 to 32)");
  spec = *parsed;
  symmetric = scheme == "symmetric";
  return success();
}

num::RealRange
SlimFoldCalibrationPass::chooseRange(const ObserverStats &s) const {
  num::IntRange range = spec.range();
  if (method == "ema")
    return {s.emaMin, s.emaMax};
  if (method == "percentile")
    return num::choosePercentileRange(s.histogram, percentile, symmetric, s.min,
                                      s.max);
  if (method == "entropy")
    return num::chooseEntropyRange(s.histogram, range, symmetric, s.min, s.max);
  if (method == "mse")
    return num::chooseMseRange(s.histogram, range, symmetric, s.min, s.max);
  return {s.min, s.max};
}

/// Parameters for a range; the chooser widens it to include 0.
static std::optional<num::QuantParams>
paramsFor(num::RealRange r, const StorageSpec &spec, bool symmetric) {
  return num::chooseQuantParams(static_cast<float>(r.min),
                                static_cast<float>(r.max), spec.range(),
                                symmetric);
}

Type SlimFoldCalibrationPass::tensorQuantType(RankedTensorType type,
                                              num::RealRange range,
                                              Operation *op,
                                              llvm::json::Object &report) {
  std::optional<num::QuantParams> p = paramsFor(range, spec, symmetric);
  if (!p) {
    op->emitOpError("cannot quantize the range [")
        << range.min << ", " << range.max << "] to " << storage;
    return nullptr;
  }
  report["range"] = llvm::json::Array{range.min, range.max};
  report["scale"] = p->scale;
  report["zero_point"] = p->zeroPoint;
  return getUniformType(spec, type.getElementType(), p->scale, p->zeroPoint);
}

FailureOr<Plan> SlimFoldCalibrationPass::planObserver(ObserveOp op,
                                                      const Stats &stats) {
  auto it = stats.observers.find(op.getId().str());
  if (it == stats.observers.end())
    return op.emitOpError("observer '")
           << op.getId() << "' has no statistics in " << statsFile;
  const ObserverStats &s = it->second;
  if (s.count == 0)
    return op.emitOpError("observer '")
           << op.getId() << "' recorded no finite values while calibrating";
  if (s.nonFinite)
    op.emitWarning("observer '")
        << op.getId() << "' saw " << s.nonFinite
        << " NaN or infinite value(s); its range uses the finite ones";

  Plan plan;
  plan.op = op;
  plan.input = op.getInput();
  RankedTensorType type = op.getInput().getType();
  llvm::json::Object &report = plan.report;
  report["id"] = s.id;
  report["method"] = method;
  report["samples"] = static_cast<int64_t>(s.samples);
  report["observed"] = llvm::json::Array{s.min, s.max};

  if (granularity == "channel" && s.axis >= 0 && !s.channelMin.empty()) {
    SmallVector<double> scales;
    SmallVector<int64_t> zeroPoints;
    for (auto [lo, hi] : llvm::zip_equal(s.channelMin, s.channelMax)) {
      // A channel that saw nothing finite takes the tensor's range.
      num::RealRange r =
          lo <= hi ? num::RealRange{lo, hi} : num::RealRange{s.min, s.max};
      std::optional<num::QuantParams> p = paramsFor(r, spec, symmetric);
      if (!p)
        return op.emitOpError("cannot quantize a channel range to ") << storage;
      scales.push_back(p->scale);
      zeroPoints.push_back(p->zeroPoint);
    }
    if (type.isDynamicDim(s.axis) ||
        type.getDimSize(s.axis) != static_cast<int64_t>(scales.size()))
      return op.emitOpError("per-channel statistics have ")
             << scales.size() << " channels but axis " << s.axis
             << " of the tensor does not match";
    plan.quantType =
        getUniformPerAxisType(spec, type.getElementType(), scales, zeroPoints,
                              static_cast<int32_t>(s.axis));
    report["axis"] = s.axis;
    report["clipped"] = 0.0;
    return plan;
  }
  num::RealRange range = chooseRange(s);
  plan.range = range;
  plan.stats = &s;
  report["clipped"] = num::clippedFraction(s.histogram, range);
  // For the HTML report: the values over the observed and chosen ranges.
  num::RealRange shown{std::min(s.min, range.min), std::max(s.max, range.max)};
  if (shown.min < shown.max) {
    llvm::json::Array counts;
    for (uint64_t c : num::resampleHistogram(s.histogram, shown,
                                             kReportHistogramBins))
      counts.push_back(static_cast<int64_t>(c));
    report["histogram"] =
        llvm::json::Object{{"range", llvm::json::Array{shown.min, shown.max}},
                           {"counts", std::move(counts)}};
  }
  plan.quantType = tensorQuantType(type, range, op, report);
  if (!plan.quantType)
    return failure();
  return plan;
}

FailureOr<Plan>
SlimFoldCalibrationPass::planCalibratedCast(quant::QuantizeCastOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getResult().getType());
  auto calibrated =
      type ? dyn_cast<quant::CalibratedQuantizedType>(type.getElementType())
           : nullptr;
  if (!calibrated)
    return failure();
  for (Operation *user : op->getUsers())
    if (!isa<quant::DequantizeCastOp>(user))
      return op.emitOpError("a calibrated range can only be folded when "
                            "every use is a quant.dcast");
  Plan plan;
  plan.op = op;
  plan.input = op.getInput();
  plan.report["id"] = "quant.qcast";
  plan.report["method"] = "calibrated";
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  plan.quantType = tensorQuantType(
      inputType, {calibrated.getMin(), calibrated.getMax()}, op, plan.report);
  if (!plan.quantType)
    return failure();
  return plan;
}

/// Each layer's activations are the observers on its operands and at the
/// end of its epilogue (an observer between two layers is the output of one
/// and the input of the next).
void SlimFoldCalibrationPass::reportLayers(ModuleOp module,
                                           ArrayRef<Plan> plans) {
  llvm::DenseMap<Operation *, const Plan *> byObserver;
  for (const Plan &plan : plans)
    byObserver[plan.op] = &plan;
  ConstantLikeAnalysis constants;
  llvm::MapVector<Operation *, std::string> names = nameLayers(module);
  layers->addLayers(names);
  for (auto &[op, name] : names) {
    for (auto [i, operand] :
         llvm::enumerate(cast<linalg::LinalgOp>(op).getDpsInputs()))
      if (const Plan *plan = byObserver.lookup(
              (i == 0 ? layerInput(op) : operand).getDefiningOp()))
        layers->set(name, i == 0 ? "input" : "input" + std::to_string(i),
                    llvm::json::Object(plan->report));
    for (Operation *user : epilogueEnd(layerResult(op), constants).getUsers())
      if (const Plan *plan = byObserver.lookup(user))
        layers->set(name, "output", llvm::json::Object(plan->report));
  }
}

/// An observer of a zero padding of an observed activation (a
/// convolution's padded input) quantizes like the activation it pads: the
/// padding's zeros are exact under any parameters whose range holds 0, and
/// one type on both sides lets slim-fuse-quantized pad the stored integers
/// with the zero point instead of padding in float and quantizing again.
static void tiePaddedObservers(MutableArrayRef<Plan> plans) {
  llvm::DenseMap<Value, const Plan *> byResult;
  for (const Plan &plan : plans)
    if (auto op = dyn_cast<ObserveOp>(plan.op))
      byResult[op.getResult()] = &plan;
  for (Plan &plan : plans) {
    auto pad = plan.input.getDefiningOp<tensor::PadOp>();
    if (!pad || !isa<ObserveOp>(plan.op))
      continue;
    Value padValue = pad.getConstantPaddingValue();
    APFloat zero(0.0);
    if (!padValue || !matchPattern(padValue, m_ConstantFloat(&zero)) ||
        !zero.isZero())
      continue;
    const Plan *source = byResult.lookup(pad.getSource());
    if (!source || !source->range || !plan.range || !plan.stats)
      continue;
    plan.quantType = source->quantType;
    plan.range = source->range;
    plan.report["tied_to"] = cast<ObserveOp>(source->op).getId().str();
    for (StringRef key : {"range", "scale", "zero_point"})
      if (const llvm::json::Value *v = source->report.get(key))
        plan.report[key] = *v;
    plan.report["clipped"] =
        num::clippedFraction(plan.stats->histogram, *plan.range);
  }
}

void SlimFoldCalibrationPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(checkOptions(module)))
    return signalPassFailure();

  llvm::MapVector<Operation *, std::string> names = nameLayers(module);
  FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
      skippedLayers(names, skip, module, "slim-fold-calibration");
  if (::mlir::failed(skipped))
    return signalPassFailure();
  auto isSkipped = [&](OpOperand &use) {
    SmallVector<Operation *, 1> layers = layersReading(use);
    if (layers.empty())
      return skipped->contains(use.getOwner());
    return llvm::all_of(layers,
                        [&](Operation *layer) { return skipped->contains(layer); });
  };
  // With outputs=quantize, the layers that are not skipped requantize what
  // ends their epilogues, whoever reads it.
  llvm::DenseSet<Value> requantized;
  ConstantLikeAnalysis constants;
  if (outputs == "quantize")
    for (Operation *op : names.keys())
      if (!skipped->contains(op))
        requantized.insert(epilogueEnd(layerResult(op), constants));
  SmallVector<ObserveOp> observers, dropped;
  module.walk([&](ObserveOp op) {
    // outputs=float: only what integer compute reads is quantized. Nothing
    // is quantized for skipped layers alone.
    bool needed = outputs == "float"
                      ? feedsCompute(op.getResult(), &*skipped)
                      : !llvm::all_of(op.getResult().getUses(), isSkipped) ||
                            requantized.contains(op.getInput());
    (needed ? observers : dropped).push_back(op);
  });
  SmallVector<quant::QuantizeCastOp> casts;
  module.walk([&](quant::QuantizeCastOp op) {
    auto type = dyn_cast<RankedTensorType>(op.getResult().getType());
    if (type && isa<quant::CalibratedQuantizedType>(type.getElementType()))
      casts.push_back(op);
  });

  // A module with nothing to fold still has its statistics read when it
  // names them: statistics of observers for a module without any were
  // measured on another module (the observed copy), and quantizing this
  // one would quantize its weights only and say nothing.
  bool nothingToFold = observers.empty() && dropped.empty() && casts.empty();
  Stats stats;
  if (!observers.empty() || (nothingToFold && !statsFile.empty())) {
    if (statsFile.empty()) {
      module.emitError("slim-fold-calibration: the module has observers but "
                       "no stats= file was given");
      return signalPassFailure();
    }
    llvm::Expected<Stats> read = Stats::readFile(statsFile);
    if (!read) {
      module.emitError("slim-fold-calibration: ")
          << llvm::toString(read.takeError());
      return signalPassFailure();
    }
    stats = std::move(*read);
    // (A model with nothing to quantize calibrates to no observers at all.)
    if (nothingToFold && !stats.observers.empty()) {
      module.emitError("slim-fold-calibration: ")
          << statsFile << " holds " << stats.observers.size()
          << " observers' statistics but the module has no slim.observe "
             "ops to fold them into; quantize the module that "
             "slim-insert-observers made and slim-run --calibrate measured";
      return signalPassFailure();
    }
  }

  // Plan everything first: a refusal leaves the module unchanged.
  SmallVector<Plan> plans;
  bool failed = false;
  for (ObserveOp op : observers) {
    FailureOr<Plan> plan = planObserver(op, stats);
    if (::mlir::failed(plan))
      failed = true;
    else
      plans.push_back(std::move(*plan));
  }
  for (quant::QuantizeCastOp op : casts) {
    FailureOr<Plan> plan = planCalibratedCast(op);
    if (::mlir::failed(plan))
      failed = true;
    else
      plans.push_back(std::move(*plan));
  }
  if (failed)
    return signalPassFailure();
  tiePaddedObservers(plans);

  for (ObserveOp op : dropped) {
    op.getResult().replaceAllUsesWith(op.getInput());
    op->erase();
  }
  // With outputs=float, skipped layers read their activations as they were
  // (with outputs=quantize, the activations between layers are int8).
  if (outputs == "float")
    for (ObserveOp op : observers)
      op.getResult().replaceUsesWithIf(op.getInput(), isSkipped);
  if (layers) {
    reportLayers(module, plans);
    for (auto &[op, pattern] : *skipped)
      layers->set(names.lookup(op), "skipped", pattern);
  }
  llvm::json::Array report;
  for (Plan &plan : plans) {
    OpBuilder b(plan.op);
    Location loc = plan.op->getLoc();
    auto inputType = cast<RankedTensorType>(plan.input.getType());
    auto quantized =
        QuantizeOp::create(b, loc, inputType.clone(plan.quantType), plan.input);
    auto dequantized =
        DequantizeOp::create(b, loc, inputType, quantized.getResult());
    if (auto cast = dyn_cast<quant::QuantizeCastOp>(plan.op)) {
      for (Operation *user : llvm::make_early_inc_range(cast->getUsers())) {
        user->getResult(0).replaceAllUsesWith(dequantized.getResult());
        user->erase();
      }
    } else {
      plan.op->getResult(0).replaceAllUsesWith(dequantized.getResult());
    }
    plan.op->erase();
    report.push_back(std::move(plan.report));
  }

  if (!reportFile.empty())
    if (llvm::Error e = writeJsonReport(reportFile, "slim-fold-calibration",
                                        "observers", std::move(report))) {
      module.emitError("slim-fold-calibration: ")
          << llvm::toString(std::move(e));
      return signalPassFailure();
    }
}

std::unique_ptr<Pass> mlir::slim::createSlimFoldCalibrationPass(
    const SlimFoldCalibrationPassOptions &options,
    std::shared_ptr<LayerReport> layers) {
  auto pass = std::make_unique<SlimFoldCalibrationPass>(options);
  pass->layers = std::move(layers);
  return pass;
}
