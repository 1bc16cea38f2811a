//===- Prune.cpp - slim-prune: constant weights to a sparsity pattern -----===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Numerics/Budget.h"
#include "slim/Numerics/OutputError.h"
#include "slim/Sparsity/Channels.h"
#include "slim/Sparsity/Masks.h"
#include "slim/Sparsity/SparseGpt.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMPRUNEPASS
#include "slim/Sparsity/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace sp = ::slim::sparsity;
namespace num = ::slim::numerics;

namespace {

/// One weight to replace, computed before anything changes.
struct PrunePlan {
  Operation *op;
  sp::PatternSpec spec; ///< the layer's (bank: its n:m)
  DenseElementsAttr pruned;
  double zeros; ///< fraction of zero values after pruning
  int64_t nonzeros;
  /// ||X (W - W')||^2 / ||X W||^2 on the calibration inputs, from the Gram
  /// matrix (when the layer has one).
  std::optional<double> outputError;
  /// E[x]^T (W - W') per output channel (when the Gram matrix has the
  /// inputs' sums).
  std::vector<double> biasDelta;
};

struct SlimPrunePass : mlir::slim::impl::SlimPrunePassBase<SlimPrunePass> {
  using SlimPrunePassBase::SlimPrunePassBase;

  void runOnOperation() override;

  /// A pipeline's per-layer report (null: report= alone).
  std::shared_ptr<LayerReport> layers;

private:
  /// Writes the entries: into the pipeline's report under `pruning`, and
  /// to report= when given.
  LogicalResult writeReport(ModuleOp module, llvm::json::Array report);
  /// pattern=channel and pattern=head.
  void runOnChannels(ModuleOp module);
  /// Checks damp= and max-output-error=, reads the Gram matrices
  /// (hessians=) and names the layers; the skipped ones, or failure (after
  /// an error on `module`) when an option, a file or a skip= pattern is
  /// wrong.
  FailureOr<llvm::DenseMap<Operation *, std::string>>
  readInputs(ModuleOp module,
             std::optional<::slim::calibration::Hessians> &hessians,
             llvm::MapVector<Operation *, std::string> &names);
  /// Whether `criterion` is known and has what it needs (Wanda and
  /// SparseGPT: hessians=DIR, for `grams`); else `error` says why.
  LogicalResult checkCriterion(StringRef grams, std::string &error) const;
  /// The pattern from the options, or a message saying what is wrong.
  FailureOr<sp::PatternSpec> parseSpec(std::string &error) const;
  /// `gram` (when not null) scores Wanda and SparseGPT and measures the
  /// output error.
  /// `materialize` false: the fractions and the error only (no constant).
  FailureOr<PrunePlan> plan(Operation *op, const sp::PatternSpec &spec,
                            const std::vector<float> &values,
                            RankedTensorType type,
                            const ::slim::calibration::Gram *gram,
                            bool materialize = true);
};

/// scope=global: one layer's choices, each a pattern (null: left dense)
/// with the weights it removes and its output error.
struct LayerChoices {
  Operation *op;
  std::vector<float> values;
  RankedTensorType type;
  const ::slim::calibration::Gram *gram;
  SmallVector<std::optional<sp::PatternSpec>> specs;
  SmallVector<double> removed, errors;
};

LogicalResult SlimPrunePass::checkCriterion(StringRef grams,
                                            std::string &error) const {
  if (criterion != "magnitude" && criterion != "wanda" &&
      criterion != "sparsegpt") {
    error = "unknown criterion '" + criterion +
            "' (expected magnitude, wanda or sparsegpt)";
    return failure();
  }
  if (criterion != "magnitude" && hessianDir.empty()) {
    error = "criterion=" + criterion +
            " needs hessians=DIR (slim-run --calibrate --hessians DIR): " +
            grams.str();
    return failure();
  }
  return success();
}

FailureOr<sp::PatternSpec> SlimPrunePass::parseSpec(std::string &error) const {
  sp::PatternSpec spec;
  spec.sparsity = sparsity;
  spec.n = n;
  spec.m = m;
  if (pattern == "unstructured") {
    spec.pattern = sp::Pattern::Unstructured;
  } else if (pattern == "nm") {
    spec.pattern = sp::Pattern::NM;
  } else if (pattern == "bank") {
    spec.pattern = sp::Pattern::Bank;
    spec.banks = banks;
  } else if (pattern == "block") {
    spec.pattern = sp::Pattern::Block;
    StringRef rows, cols;
    std::tie(rows, cols) = StringRef(block).split('x');
    if (rows.getAsInteger(10, spec.blockRows) ||
        cols.getAsInteger(10, spec.blockCols)) {
      error = "block must be RxC (for example 4x4), got '" + block + "'";
      return failure();
    }
  } else {
    error = "unknown pattern '" + pattern +
            "' (expected unstructured, nm, block, bank, channel or head)";
    return failure();
  }
  if (failed(checkCriterion("the calibration inputs' Gram matrices", error)))
    return failure();
  if (criterion == "sparsegpt" && spec.pattern == sp::Pattern::Block) {
    error = "criterion=sparsegpt prunes unstructured or n:m patterns, not "
            "blocks";
    return failure();
  }
  // The shape-independent checks now (a shape that each pattern's shape
  // checks accept).
  int64_t rows = spec.pattern == sp::Pattern::Block  ? spec.blockRows
                 : spec.pattern == sp::Pattern::Bank ? std::max<int64_t>(
                                                           spec.banks, 1)
                                                     : spec.m;
  std::string why = sp::checkPattern(
      spec, rows, spec.pattern == sp::Pattern::Block ? spec.blockCols : 1);
  if (!why.empty()) {
    error = why;
    return failure();
  }
  return spec;
}

FailureOr<PrunePlan> SlimPrunePass::plan(Operation *op,
                                        const sp::PatternSpec &given,
                                        const std::vector<float> &values,
                                        RankedTensorType type,
                                        const ::slim::calibration::Gram *gram,
                                        bool materialize) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      return op->emitOpError("weight holds NaN or Inf (element ")
             << i << "); refusing to prune it";
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = type.getRank();
  int64_t k = shape[rank - 2], cols = shape[rank - 1];
  int64_t batches = rank == 3 ? shape[0] : 1;
  std::string why = sp::checkPattern(given, k, cols);
  if (!why.empty())
    return op->emitOpError("cannot prune its ")
           << type << " weight: " << why;
  // A bank pattern as this layer's n:m.
  sp::PatternSpec spec = given.forReduction(k);
  std::vector<double> full, diagonal;
  if (gram) {
    full = gram->full();
    for (int64_t r = 0; r < k; ++r)
      diagonal.push_back(full[r * k + r]);
  }
  std::vector<float> pruned(values);
  if (criterion == "sparsegpt") {
    // The mask and the reconstruction of the kept weights together.
    sp::SparseGptOptions options;
    options.spec = spec;
    options.damping = damp;
    std::optional<std::vector<float>> r =
        sp::sparseGptPrune(values.data(), k, cols, full.data(), options);
    if (!r)
      return op->emitOpError("SparseGPT failed: the damped Hessian is not "
                             "positive definite");
    pruned = std::move(*r);
  } else {
    for (int64_t b = 0; b < batches; ++b) {
      float *w = pruned.data() + b * k * cols;
      std::vector<float> scores =
          criterion == "wanda" ? sp::wandaScores(w, k, cols, diagonal.data())
                               : sp::magnitudeScores(w, k * cols);
      std::vector<uint8_t> mask = sp::selectMask(spec, scores.data(), k, cols);
      for (int64_t i = 0; i < k * cols; ++i)
        if (!mask[i])
          w[i] = 0.0f; // +0, whatever the sign of the weight
    }
  }
  if (refit > 0 && gram && rank == 2) {
    // Kept only where it lowers the error on the calibration inputs.
    std::vector<float> fitted = sp::refitMasked(
        values.data(), pruned, k, cols, full.data(), damp,
        static_cast<int>(refit));
    if (num::residualNorm(full, values.data(), fitted, k, cols) <
        num::residualNorm(full, values.data(), pruned, k, cols))
      pruned = std::move(fitted);
  }
  int64_t zeros = std::count(pruned.begin(), pruned.end(), 0.0f);
  PrunePlan p;
  p.op = op;
  p.spec = spec;
  if (materialize)
    p.pruned = DenseElementsAttr::get(type, ArrayRef<float>(pruned));
  p.zeros = double(zeros) / double(values.size());
  p.nonzeros = static_cast<int64_t>(values.size()) - zeros;
  if (gram && rank == 2) {
    p.outputError =
        num::relativeOutputError(full, values.data(), pruned, k, cols);
    p.biasDelta = meanShift(*gram, values, pruned, k, cols);
  }
  return p;
}

FailureOr<llvm::DenseMap<Operation *, std::string>>
SlimPrunePass::readInputs(
    ModuleOp module, std::optional<::slim::calibration::Hessians> &hessians,
    llvm::MapVector<Operation *, std::string> &names) {
  if (!(damp > 0.0) || !std::isfinite(damp)) {
    module.emitError("slim-prune: damp must be a positive fraction, got ")
        << damp.getValue();
    return failure();
  }
  if (maxOutputError < 0.0 || (maxOutputError > 0.0 && hessianDir.empty())) {
    module.emitError("slim-prune: max-output-error needs a positive value "
                     "and hessians=DIR (each layer's error comes from its "
                     "Gram matrix)");
    return failure();
  }
  if (refit < 0 || (refit > 0 && hessianDir.empty())) {
    module.emitError("slim-prune: refit needs a count of steps (0 or more) "
                     "and hessians=DIR (the fit is on the calibration "
                     "inputs' Gram matrices)");
    return failure();
  }
  if (biasCorrection && hessianDir.empty()) {
    module.emitError("slim-prune: bias-correction needs hessians=DIR (the "
                     "calibration inputs' sums come with their Gram "
                     "matrices)");
    return failure();
  }
  if (!hessianDir.empty()) {
    llvm::Expected<::slim::calibration::Hessians> read =
        ::slim::calibration::Hessians::readDirectory(hessianDir);
    if (!read) {
      module.emitError("slim-prune: ") << llvm::toString(read.takeError());
      return failure();
    }
    hessians = std::move(*read);
  }
  names = nameLayers(module);
  return skippedLayers(names, skip, module, "slim-prune");
}

void SlimPrunePass::runOnChannels(ModuleOp module) {
  auto refuse = [&](const Twine &message) {
    module.emitError("slim-prune: ") << message;
    signalPassFailure();
  };
  if (!(sparsity >= 0.0 && sparsity < 1.0))
    return refuse(llvm::formatv("sparsity must be in [0, 1), got {0}",
                                static_cast<double>(sparsity)));
  std::string error;
  if (failed(checkCriterion(
          "the Gram matrices of the layers reading the pruned channels",
          error)))
    return refuse(error);
  if (scope != "layer" || stage >= 0)
    return refuse("pattern=" + pattern +
                  " changes shapes: it prunes every layer at once "
                  "(scope=layer, no stage=)");
  if (refit != 0)
    return refuse("refit is for the patterns that prune in place; with "
                  "pattern=" +
                  pattern + ", criterion=sparsegpt fits the reading layers");
  std::optional<::slim::calibration::Hessians> hessians;
  llvm::MapVector<Operation *, std::string> names;
  FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
      readInputs(module, hessians, names);
  if (failed(skipped))
    return signalPassFailure();
  ChannelPruneOptions options;
  options.heads = pattern == "head";
  options.sparsity = sparsity;
  options.criterion = criterion;
  options.damp = damp;
  options.maxOutputError = maxOutputError;
  options.biasCorrection = biasCorrection;
  options.hessians = hessians ? &*hessians : nullptr;
  llvm::json::Array report;
  if (failed(pruneChannels(module, options, names, *skipped, report)) ||
      failed(writeReport(module, std::move(report))))
    return signalPassFailure();
}

LogicalResult SlimPrunePass::writeReport(ModuleOp module,
                                         llvm::json::Array report) {
  if (layers) {
    layers->addLayers(nameLayers(module));
    for (const llvm::json::Value &v : report) {
      const llvm::json::Object *entry = v.getAsObject();
      layers->set(*entry->getString("layer"), "pruning",
                  llvm::json::Object(*entry));
    }
  }
  if (reportFile.empty())
    return success();
  if (llvm::Error e = writeJsonReport(reportFile, "slim-prune", "layers",
                                      std::move(report))) {
    module.emitError("slim-prune: ") << llvm::toString(std::move(e));
    return failure();
  }
  return success();
}

void SlimPrunePass::runOnOperation() {
  ModuleOp module = getOperation();
  if (pattern == "channel" || pattern == "head")
    return runOnChannels(module);
  std::string error;
  FailureOr<sp::PatternSpec> spec = parseSpec(error);
  if (failed(spec)) {
    module.emitError("slim-prune: ") << error;
    return signalPassFailure();
  }
  if (scope != "layer" && scope != "global") {
    module.emitError("slim-prune: unknown scope '")
        << scope.getValue() << "' (expected layer or global)";
    return signalPassFailure();
  }
  bool global = scope == "global";
  if (global && (hessianDir.empty() || maxOutputError > 0.0)) {
    module.emitError("slim-prune: scope=global needs hessians=DIR (each "
                     "layer's error from its Gram matrix) and no "
                     "max-output-error (it spends sparsity= over the model)");
    return signalPassFailure();
  }
  std::optional<::slim::calibration::Hessians> hessians;
  llvm::MapVector<Operation *, std::string> names;
  FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
      readInputs(module, hessians, names);
  if (failed(skipped))
    return signalPassFailure();

  ConstantLikeAnalysis constants;
  auto isCandidate = [&](Operation *op) {
    auto mm = dyn_cast<linalg::MatmulOp>(op);
    auto bmm = dyn_cast<linalg::BatchMatmulOp>(op);
    bool conv = isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(op);
    if ((!mm && !bmm && !conv) || (mm && mm.hasUserDefinedMaps()) ||
        (bmm && bmm.hasUserDefinedMaps()))
      return false;
    Value weight = op->getOperand(1);
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    return type && type.getElementType().isF32() && type.hasStaticShape() &&
           type.getNumElements() != 0 && constants.isConstantLike(weight);
  };
  // Stages count named layers only (a product of constants is none).
  llvm::DenseMap<Operation *, int64_t> stages = layerStages(
      module, [&](Operation *op) { return names.contains(op) && isCandidate(op); });
  int64_t numStages = 0;
  for (auto &[op, s] : stages)
    numStages = std::max(numStages, s + 1);
  if (stage >= 0 && stage >= numStages) {
    module.emitRemark(llvm::formatv("slim-prune: no layer in stage {0} (the "
                                    "module's prunable layers form {1} "
                                    "stage(s))",
                                    static_cast<int64_t>(stage), numStages)
                          .str());
    return;
  }

  SmallVector<PrunePlan> plans;
  SmallVector<LayerChoices> choices; // scope=global
  bool anyFailed = false;
  for (auto [index, op] : llvm::enumerate(names.keys())) {
    if (skipped->count(op) || !isCandidate(op))
      continue;
    if (stage >= 0 && stages.lookup(op) != stage)
      continue;
    notifyLayerWork(op, "slim-prune", index, names.size());
    auto mm = dyn_cast<linalg::MatmulOp>(op);
    bool conv = isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(op);
    Value weight = op->getOperand(1);
    auto type = cast<RankedTensorType>(weight.getType());
    // A convolution's Gram matrix is over its input's patches
    // (slim-insert-observers marks the input; slim-run --hessians collects).
    const ::slim::calibration::Gram *convGram = nullptr;
    if (conv && hessians && !global) {
      FailureOr<const ::slim::calibration::Gram *> found =
          findConvGram(op, *hessians);
      if (failed(found)) {
        anyFailed = true;
        continue;
      }
      convGram = *found;
    }
    if (conv && criterion != "magnitude" && !convGram) {
      op->emitRemark("left dense: criterion=")
          << criterion.getValue()
          << " needs the Gram matrix of the convolution's input patches "
             "(an input observed by slim-insert-observers, calibrated with "
             "slim-run --hessians)";
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
    const ::slim::calibration::Gram *gram = convGram;
    if (conv) {
      // Its patch Gram matrix (or none) is the one.
    } else if (criterion == "magnitude" && hessians && mm && !global) {
      // Only to measure the output error: a layer without one is pruned
      // all the same.
      FailureOr<const ::slim::calibration::Gram *> found =
          findMatmulGram(op, *hessians, MissingGram::Ignore);
      if (failed(found)) {
        anyFailed = true;
        continue;
      }
      gram = *found;
    } else if (criterion != "magnitude" || global) {
      // Gram matrices belong to 2-D matmuls (convolutions with another
      // criterion are left dense above).
      if (!mm) {
        if (global)
          op->emitOpError("scope=global needs every layer's Gram matrix: it "
                          "prunes 2-D matmuls reading an observed input "
                          "(skip= the others)");
        else
          op->emitOpError("criterion=")
              << criterion.getValue()
              << " prunes 2-D matmuls reading an observed input; this is a "
                 "batch_matmul";
        anyFailed = true;
        continue;
      }
      FailureOr<const ::slim::calibration::Gram *> found =
          findMatmulGram(op, *hessians, MissingGram::Error);
      if (failed(found)) {
        anyFailed = true;
        continue;
      }
      gram = *found;
    }
    if (global) {
      // Every choice's removed weights and error, measured now; the
      // constants are made for the chosen ones only. Unstructured: from
      // dense to 95% in steps of 5%; a fixed pattern: dense or it.
      LayerChoices l{op, std::move(*values), type, gram, {}, {}, {}};
      l.specs.push_back(std::nullopt);
      l.removed.push_back(0.0);
      l.errors.push_back(0.0);
      SmallVector<sp::PatternSpec> tries;
      if (spec->pattern == sp::Pattern::Unstructured)
        for (int step = 1; step <= 19; ++step) {
          sp::PatternSpec s = *spec;
          s.sparsity = 0.05 * step;
          tries.push_back(s);
        }
      else
        tries.push_back(*spec);
      for (const sp::PatternSpec &s : tries) {
        FailureOr<PrunePlan> p =
            plan(op, s, l.values, type, gram, /*materialize=*/false);
        if (failed(p)) {
          anyFailed = true;
          break;
        }
        l.specs.push_back(s);
        l.removed.push_back(p->zeros * double(l.values.size()));
        l.errors.push_back(p->outputError.value_or(0.0));
      }
      choices.push_back(std::move(l));
      continue;
    }
    // A convolution's filter as its K x F matrix of taps.
    std::optional<std::pair<std::vector<int64_t>, SmallVector<int64_t>>>
        matrix = conv ? filterMatrix(op, type) : std::nullopt;
    RankedTensorType planType = type;
    if (matrix) {
      planType = RankedTensorType::get(matrix->second, type.getElementType());
      if (!matrix->first.empty()) {
        std::vector<float> permuted(values->size());
        for (size_t i = 0; i < values->size(); ++i)
          permuted[matrix->first[i]] = (*values)[i];
        values = std::move(permuted);
      }
    }
    FailureOr<PrunePlan> p = plan(op, *spec, *values, planType, gram);
    if (failed(p)) {
      anyFailed = true;
      continue;
    }
    if (maxOutputError > 0.0) {
      // The error budget: every layer needs its error measured.
      if (!p->outputError) {
        op->emitOpError("max-output-error needs this layer's Gram matrix "
                        "(hessians=; a 2-D matmul or convolution reading an "
                        "observed input)");
        anyFailed = true;
        continue;
      }
      // Unstructured: the largest sparsity, down in steps of 0.05, whose
      // error fits; the fixed patterns: pruned or left dense.
      sp::PatternSpec lower = *spec;
      while (*p->outputError > maxOutputError &&
             lower.pattern == sp::Pattern::Unstructured &&
             lower.sparsity > 0.05 + 1e-9) {
        lower.sparsity -= 0.05;
        p = plan(op, lower, *values, planType, gram);
        if (failed(p))
          break;
      }
      if (failed(p)) {
        anyFailed = true;
        continue;
      }
      if (*p->outputError > maxOutputError) {
        op->emitRemark(llvm::formatv("left dense: pruned, its output error "
                                     "would be {0:e2}, above "
                                     "max-output-error {1:e2}",
                                     *p->outputError,
                                     static_cast<double>(maxOutputError))
                           .str());
        continue;
      }
    }
    if (matrix) {
      // Back to the filter's own layout.
      std::vector<float> pruned(p->pruned.getValues<float>().begin(),
                                p->pruned.getValues<float>().end());
      std::vector<float> own(pruned.size());
      for (size_t i = 0; i < own.size(); ++i)
        own[i] = matrix->first.empty() ? pruned[i] : pruned[matrix->first[i]];
      p->pruned = DenseElementsAttr::get(type, ArrayRef<float>(own));
    }
    plans.push_back(*p);
  }
  if (anyFailed)
    return signalPassFailure();
  if (global) {
    // sparsity= of every pruned layer's weights together.
    double weights = 0;
    for (const LayerChoices &l : choices)
      weights += double(l.values.size());
    std::vector<::slim::numerics::BudgetChoices> budget;
    for (const LayerChoices &l : choices)
      budget.push_back({std::vector<double>(l.removed.begin(), l.removed.end()),
                        std::vector<double>(l.errors.begin(), l.errors.end())});
    std::vector<size_t> chosen =
        ::slim::numerics::allocateSaving(budget, spec->sparsity * weights);
    for (auto [l, c] : llvm::zip(choices, chosen)) {
      if (!l.specs[c]) {
        l.op->emitRemark("left dense: scope=global spends the sparsity "
                         "where the output error grows least");
        continue;
      }
      FailureOr<PrunePlan> p = plan(l.op, *l.specs[c], l.values, l.type,
                                    l.gram);
      if (failed(p))
        return signalPassFailure();
      plans.push_back(*p);
    }
  }

  MLIRContext *ctx = &getContext();
  llvm::json::Array report;
  // The attribute's pattern is the one asked for (a bank stays a bank);
  // its n and m are the layer's.
  auto kind = static_cast<SparsityPattern>(spec->pattern);
  bool bank = spec->pattern == sp::Pattern::Bank;
  for (PrunePlan &p : plans) {
    const sp::PatternSpec &spec = p.spec;
    bool nm = spec.pattern == sp::Pattern::NM;
    bool blocks = spec.pattern == sp::Pattern::Block;
    OpBuilder b(p.op);
    Value pruned = arith::ConstantOp::create(b, p.op->getLoc(), p.pruned);
    Value dense = p.op->getOperand(1);
    p.op->setOperand(1, pruned);
    eraseUnused(dense);
    p.op->setAttr("slim.sparsity",
                  SparsityAttr::get(ctx, kind, nm ? spec.n : 0,
                                    nm ? spec.m : 0,
                                    blocks ? spec.blockRows : 0,
                                    blocks ? spec.blockCols : 0,
                                    FloatAttr::get(Float64Type::get(ctx),
                                                   p.zeros)));
    std::string what =
        bank     ? llvm::formatv("{0} banks of {1}, {2} kept in each",
                                 spec.banks, spec.m, spec.n)
                       .str()
        : nm     ? llvm::formatv("{0}:{1}", spec.n, spec.m).str()
        : blocks ? llvm::formatv("blocks of {0}x{1}", spec.blockRows,
                                 spec.blockCols)
                       .str()
                 : std::string("unstructured");
    std::string error =
        p.outputError
            ? llvm::formatv(", output error {0:e2} on the calibration inputs",
                            *p.outputError)
                  .str()
            : std::string();
    std::optional<bool> corrected;
    if (biasCorrection)
      corrected = !p.biasDelta.empty() && correctBias(p.op, p.biasDelta);
    std::string how = criterion.getValue();
    if (refit > 0 && p.outputError)
      how += llvm::formatv(", refit {0}", static_cast<int64_t>(refit)).str();
    p.op->emitRemark(llvm::formatv("pruned to {0:F1}% zeros ({1}, {2}){3}{4}",
                                   100.0 * p.zeros, what, how,
                                   error,
                                   !corrected ? ""
                                   : *corrected
                                       ? ", bias corrected"
                                       : ", no bias to correct")
                         .str());
    llvm::json::Object entry{
        {"layer", names.lookup(p.op)},
        {"op", p.op->getName().getStringRef()},
        {"loc", llvm::formatv("{0}", p.op->getLoc()).str()},
        {"pattern", what},
        {"criterion", criterion.getValue()},
        {"zeros", p.zeros},
        {"nonzeros", p.nonzeros},
        {"stage", stages.lookup(p.op)},
        {"stages", numStages},
        {"dense_bytes", static_cast<int64_t>(
                            p.pruned.getNumElements() * sizeof(float))}};
    entry["output_error"] = p.outputError ? llvm::json::Value(*p.outputError)
                                          : llvm::json::Value(nullptr);
    if (corrected)
      entry["bias_corrected"] = *corrected;
    report.push_back(std::move(entry));
  }
  if (failed(writeReport(module, std::move(report))))
    return signalPassFailure();
}

} // namespace

std::unique_ptr<Pass>
mlir::slim::createSlimPrunePass(const SlimPrunePassOptions &options,
                                std::shared_ptr<LayerReport> layers) {
  auto pass = std::make_unique<SlimPrunePass>(options);
  pass->layers = std::move(layers);
  return pass;
}
