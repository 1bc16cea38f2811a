//===- PruneChannels.cpp - slim-prune pattern=channel and pattern=head ----===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Which channels (heads) of a layer go: each unit is scored from the
// weights its trace reaches (Channels.h), the lowest-scoring fraction is
// removed, and the layers reading the channels are measured (and, with
// sparsegpt, corrected) on their calibration Gram matrices.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/Channels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Numerics/OutputError.h"
#include "slim/Sparsity/SparseGpt.h"
#include "slim/Layers/Matchers.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::slim;
namespace sp = ::slim::sparsity;
namespace num = ::slim::numerics;

namespace {

/// One layer's decision: which units stay, what the reading layers become.
struct ChannelPlan {
  ChannelTrace trace;
  SmallVector<int64_t> kept;
  /// Reconstructed weights of the reading layers (sparsegpt), full size.
  llvm::DenseMap<Value, std::vector<float>> replacement;
  /// The largest relative output error among the reading layers that have
  /// a Gram matrix.
  std::optional<double> error;
  /// bias-correction: each reading layer's mean output shift.
  SmallVector<std::pair<Operation *, std::vector<double>>> biasDeltas;
};

/// A reading layer with its Gram matrix: a 2-D matmul or convolution
/// whose weight loses rows (input channels).
struct Reader {
  Operation *op;
  const ::slim::calibration::Gram *source;
  Value weight;
  std::vector<float> values; ///< K x N (a filter: its K x F matrix)
  int64_t k, n;
  std::vector<double> gram; ///< K x K
  /// The unit each of the K rows reads.
  std::vector<int64_t> rowUnit;
  /// A filter: where each of its elements sits in `values` (empty: the
  /// weight is `values`).
  std::vector<int64_t> layout;
};

/// The dimension of `op`'s result that holds its output channels, for the
/// layers channel pruning starts from.
std::optional<int64_t> outputChannelDim(Operation *op) {
  if (auto mm = dyn_cast<linalg::MatmulOp>(op))
    return mm.hasUserDefinedMaps() ? std::nullopt : std::optional<int64_t>(1);
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return 1;
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return 3;
  return std::nullopt;
}

/// Sum of squares of `values` (of `shape`) per unit of `node`.
std::vector<double> unitEnergy(const std::vector<float> &values,
                               ArrayRef<int64_t> shape, ChannelNode node,
                               int64_t units) {
  int64_t rest = 1;
  for (size_t d = node.dim + 1; d < shape.size(); ++d)
    rest *= shape[d];
  int64_t size = shape[node.dim];
  std::vector<double> energy(static_cast<size_t>(units), 0.0);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t at = (static_cast<int64_t>(i) / rest) % size;
    energy[at / node.inner] += double(values[i]) * double(values[i]);
  }
  return energy;
}

/// The rows of a reader kept when `keep` units are.
std::vector<uint8_t> keptRows(const Reader &r, const std::vector<uint8_t> &keep) {
  std::vector<uint8_t> rows(static_cast<size_t>(r.k));
  for (int64_t i = 0; i < r.k; ++i)
    rows[i] = keep[r.rowUnit[i]];
  return rows;
}

/// A reading layer with its Gram matrix, or none: a 2-D matmul reading an
/// observed input (its rows: the weight's), a 2-D convolution reading an
/// observed input with patches (its rows: the filter's K, in (kh, kw, c)
/// order), the Gram matrix of the weight's K.
std::optional<Reader> makeReader(const TracedWeight &w, ChannelNode node,
                                 const std::vector<float> &values,
                                 const ::slim::calibration::Hessians &grams) {
  Operation *op = w.op;
  if (w.weight != op->getOperand(1))
    return std::nullopt;
  auto observed = op->getOperand(0).getDefiningOp<ObserveOp>();
  if (!observed)
    return std::nullopt;
  auto type = cast<RankedTensorType>(w.weight.getType());
  Reader r{op, nullptr, w.weight, values, 0, 0, {}, {}, {}};
  if (auto mm = dyn_cast<linalg::MatmulOp>(op)) {
    if (mm.hasUserDefinedMaps())
      return std::nullopt;
    r.k = type.getDimSize(0);
    r.n = type.getDimSize(1);
    for (int64_t i = 0; i < r.k; ++i)
      r.rowUnit.push_back(i / node.inner);
  } else if (auto matrix = filterMatrix(op, type)) {
    if (!observed.getPatchesAttr())
      return std::nullopt;
    r.k = matrix->second[0];
    r.n = matrix->second[1];
    r.layout = std::move(matrix->first);
    if (!r.layout.empty())
      for (size_t i = 0; i < values.size(); ++i)
        r.values[r.layout[i]] = values[i];
    // K in (kh, kw, c) order: the channel is the row modulo C.
    int64_t channels = type.getDimSize(node.dim);
    for (int64_t i = 0; i < r.k; ++i)
      r.rowUnit.push_back((i % channels) / node.inner);
  } else {
    return std::nullopt;
  }
  auto it = grams.observers.find(observed.getId().str());
  if (it == grams.observers.end() || it->second.k != r.k ||
      it->second.rows == 0)
    return std::nullopt;
  r.gram = it->second.full();
  r.source = &it->second;
  return r;
}

/// A reader's K x N values back in its weight's layout.
std::vector<float> inLayout(const Reader &r, const std::vector<float> &m) {
  if (r.layout.empty())
    return m;
  std::vector<float> own(m.size());
  for (size_t i = 0; i < own.size(); ++i)
    own[i] = m[r.layout[i]];
  return own;
}

/// The reader's weight with the rows of the removed units zero (and the
/// kept ones reconstructed when `reconstruct`), or nothing when the damped
/// Gram matrix is not positive definite.
std::optional<std::vector<float>> prunedRows(const Reader &r,
                                             const std::vector<uint8_t> &keep,
                                             bool reconstruct, double damp) {
  std::vector<uint8_t> rows = keptRows(r, keep);
  if (reconstruct)
    return sp::reconstructRows(r.values.data(), r.k, r.n, r.gram.data(), rows,
                               damp);
  std::vector<float> out(r.values);
  for (int64_t i = 0; i < r.k; ++i)
    if (!rows[i])
      std::fill(out.begin() + i * r.n, out.begin() + (i + 1) * r.n, 0.0f);
  return out;
}

/// The units kept when `remove` of them go: the highest scores, the lower
/// index first among equal ones; ascending.
SmallVector<int64_t> keepHighest(const std::vector<double> &scores,
                                 int64_t remove) {
  SmallVector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::sort(order, [&](int64_t a, int64_t b) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  });
  order.resize(scores.size() - static_cast<size_t>(remove));
  llvm::sort(order);
  return order;
}

} // namespace

LogicalResult mlir::slim::pruneChannels(
    Operation *module, const ChannelPruneOptions &o,
    const llvm::MapVector<Operation *, std::string> &names,
    const llvm::DenseMap<Operation *, std::string> &skipped,
    llvm::json::Array &report) {
  bool gramCriterion = o.criterion != "magnitude";
  bool measure = gramCriterion || o.maxOutputError > 0.0;
  bool reconstruct = o.criterion == "sparsegpt";
  const char *unitName = o.heads ? "heads" : "channels";
  // Layers are pruned one after the other, each on the IR the ones before
  // left (a layer that reads pruned channels may have its own output
  // channels pruned next), so what fails is found first, before anything
  // changes: a weight holding NaN or Inf.
  auto candidateWeight = [](Operation *op) -> Value {
    if (!outputChannelDim(op))
      return nullptr;
    Value weight = op->getOperand(1);
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
      return nullptr;
    return weight;
  };
  bool anyFailed = false;
  for (Operation *op : names.keys()) {
    Value weight = candidateWeight(op);
    if (!weight)
      continue;
    if (failed(checkMaterializable(
            op, cast<RankedTensorType>(weight.getType()).getNumElements(),
            "the weight"))) {
      anyFailed = true;
      continue;
    }
    std::optional<std::vector<float>> values = readConstantValues(weight);
    if (!values)
      continue;
    if (auto i = llvm::find_if(*values,
                               [](float v) { return !std::isfinite(v); });
        i != values->end()) {
      op->emitOpError("weight holds NaN or Inf (element ")
          << (i - values->begin()) << "); refusing to prune it";
      anyFailed = true;
    }
  }
  if (anyFailed)
    return failure();

  // Each layer's latest op (pruning rebuilds the ops it reaches) and name.
  llvm::DenseMap<Operation *, Operation *> latest;
  llvm::DenseMap<Operation *, std::string> nameOf;
  for (auto &[op, name] : names) {
    latest[op] = op;
    nameOf[op] = name;
  }
  llvm::StringSet<> done, skippedNames;
  for (auto &[op, name] : names)
    if (skipped.count(op))
      skippedNames.insert(name);
  MLIRContext *ctx = module->getContext();
  for (Operation *original : names.keys()) {
    Operation *op = latest.lookup(original);
    std::string name = names.lookup(original);
    Value weight = candidateWeight(op);
    if (!weight || done.contains(name) || skippedNames.contains(name))
      continue;
    ConstantLikeAnalysis constants;
    if (!constants.isConstantLike(weight))
      continue;
    int64_t dim = *outputChannelDim(op);
    Value result = op->getResult(0);
    int64_t inner = 1;
    if (o.heads) {
      // Attention projections only: their channels are split into heads.
      std::optional<int64_t> head = headSize(result, dim);
      if (!head)
        continue;
      inner = *head;
    }
    std::string why;
    Operation *blame = nullptr;
    FailureOr<ChannelTrace> trace =
        traceChannels(result, dim, inner, constants, why, blame);
    auto leave = [&](const Twine &reason) {
      return op->emitRemark("output ")
             << unitName << " left as they are: " << reason;
    };
    if (failed(trace)) {
      InFlightDiagnostic d = leave(why);
      if (blame && blame != op)
        d.attachNote(blame->getLoc()) << "here: " << blame->getName();
      continue;
    }
    std::string skippedLayer;
    for (const TracedWeight &w : trace->weights) {
      std::string wname = nameOf.lookup(w.op);
      if (!w.rows)
        done.insert(wname);
      if (skippedNames.contains(wname))
        skippedLayer = wname;
    }
    if (!skippedLayer.empty()) {
      leave("they reach " + skippedLayer + ", which skip= leaves as it is");
      continue;
    }

    // Scores from every weight the units reach.
    int64_t units = trace->units;
    std::vector<double> computed(units, 0.0), read(units, 0.0);
    std::vector<Reader> readers;
    std::string noGram;
    for (const TracedWeight &w : trace->weights) {
      auto type = cast<RankedTensorType>(w.weight.getType());
      std::vector<float> values = *readConstantValues(w.weight);
      ChannelNode node = trace->nodes.lookup(w.weight);
      std::vector<double> e = unitEnergy(values, type.getShape(), node, units);
      for (int64_t u = 0; u < units; ++u)
        (w.rows ? read : computed)[u] += e[u];
      if (!w.rows)
        continue;
      std::optional<Reader> reader =
          o.hessians ? makeReader(w, node, values, *o.hessians) : std::nullopt;
      if (!reader) {
        noGram = nameOf.lookup(w.op);
        continue;
      }
      readers.push_back(std::move(*reader));
    }
    if (measure && !noGram.empty()) {
      leave(llvm::formatv("criterion={0}{1} the Gram matrix of every layer "
                          "that reads them, and {2} has none of its size "
                          "(a 2-D matmul or convolution reading an "
                          "observed input, calibrated on this module)",
                          o.criterion,
                          o.maxOutputError > 0.0
                              ? " and max-output-error need"
                              : " needs",
                          noGram)
                .str());
      continue;
    }
    std::vector<double> scores(units, 0.0);
    for (int64_t u = 0; u < units; ++u)
      scores[u] = std::sqrt(computed[u]) * std::sqrt(read[u]);
    if (gramCriterion) {
      // Each unit's share of the readers' outputs on the calibration
      // inputs, exact within the unit: tr(W_u^T H_uu W_u) / ||X W||^2.
      std::fill(scores.begin(), scores.end(), 0.0);
      for (const Reader &r : readers) {
        std::vector<double> dense(r.values.begin(), r.values.end());
        double total = num::gramNorm(r.gram, dense, r.k, r.n);
        std::vector<std::vector<int64_t>> rowsOf(units);
        for (int64_t i = 0; i < r.k; ++i)
          rowsOf[r.rowUnit[i]].push_back(i);
        for (int64_t u = 0; u < units; ++u) {
          const std::vector<int64_t> &at = rowsOf[u];
          auto g = static_cast<int64_t>(at.size());
          std::vector<double> sub(static_cast<size_t>(g * g)), rows;
          for (int64_t i = 0; i < g; ++i) {
            for (int64_t j = 0; j < g; ++j)
              sub[i * g + j] = r.gram[at[i] * r.k + at[j]];
            rows.insert(rows.end(), dense.begin() + at[i] * r.n,
                        dense.begin() + (at[i] + 1) * r.n);
          }
          scores[u] +=
              total > 0.0 ? num::gramNorm(sub, rows, g, r.n) / total : 0.0;
        }
      }
    }

    // The fraction removed: sparsity=, or under max-output-error the
    // largest in steps of 0.05 below it whose error fits.
    ChannelPlan plan;
    plan.trace = std::move(*trace);
    double fraction = o.sparsity;
    bool fits = false, definite = true;
    while (true) {
      int64_t remove =
          static_cast<int64_t>(std::nearbyint(fraction * double(units)));
      if (remove >= units)
        remove = units - 1;
      plan.kept = keepHighest(scores, remove);
      std::vector<uint8_t> keep(units, 0);
      for (int64_t u : plan.kept)
        keep[u] = 1;
      plan.replacement.clear();
      plan.error.reset();
      plan.biasDeltas.clear();
      for (const Reader &r : readers) {
        std::optional<std::vector<float>> pruned =
            prunedRows(r, keep, reconstruct, o.damp);
        if (!pruned) {
          definite = false;
          break;
        }
        double e = num::relativeOutputError(r.gram, r.values.data(), *pruned,
                                           r.k, r.n)
                       .value_or(0.0);
        plan.error = std::max(plan.error.value_or(0.0), e);
        if (o.biasCorrection)
          plan.biasDeltas.push_back(
              {r.op, meanShift(*r.source, r.values, *pruned, r.k, r.n)});
        if (reconstruct)
          plan.replacement[r.weight] = inLayout(r, *pruned);
      }
      if (!definite)
        break;
      fits = o.maxOutputError <= 0.0 || *plan.error <= o.maxOutputError;
      if (fits || fraction <= 0.05 + 1e-9)
        break;
      fraction -= 0.05;
    }
    if (!definite) {
      leave("sparsegpt: the damped Gram matrix of the kept input channels of "
            "a layer reading them is not positive definite");
      continue;
    }
    if (!fits) {
      leave(llvm::formatv("removing 5% of them, the output error would be "
                          "{0:e2}, above max-output-error {1:e2}",
                          *plan.error, o.maxOutputError)
                .str());
      continue;
    }
    int64_t kept = static_cast<int64_t>(plan.kept.size());
    if (kept == units) {
      leave(llvm::formatv("sparsity= removes none of its {0}", units).str());
      continue;
    }

    // Rewrite now; the next layers are traced on the result.
    double removed = double(units - kept) / double(units);
    int64_t before = 0, after = 0;
    llvm::json::Array layers;
    SmallVector<Operation *> weightOps;
    for (const TracedWeight &w : plan.trace.weights) {
      int64_t n = cast<RankedTensorType>(w.weight.getType()).getNumElements();
      before += n;
      after += n / units * kept;
      if (!llvm::is_contained(weightOps, w.op)) {
        weightOps.push_back(w.op);
        layers.push_back(nameOf.lookup(w.op));
      }
    }
    Location loc = op->getLoc();
    llvm::DenseMap<Operation *, Operation *> replaced =
        shrinkChannels(plan.trace, plan.kept, plan.replacement);
    for (auto &[from, to] : replaced) {
      auto it = nameOf.find(from);
      if (it == nameOf.end())
        continue;
      std::string moved = it->second;
      nameOf.erase(it);
      nameOf[to] = moved;
    }
    for (auto &[orig, now] : latest)
      if (Operation *to = replaced.lookup(now))
        now = to;
    // The reading layers' biases take what the removed channels gave them
    // on average.
    int64_t corrected = 0;
    for (auto &[reader, delta] : plan.biasDeltas) {
      Operation *now = replaced.lookup(reader);
      corrected += !delta.empty() && correctBias(now ? now : reader, delta);
    }
    auto attr = SparsityAttr::get(
        ctx, o.heads ? SparsityPattern::Head : SparsityPattern::Channel, 0, 0,
        0, 0, FloatAttr::get(Float64Type::get(ctx), removed));
    for (Operation *w : weightOps)
      replaced.lookup(w)->setAttr("slim.sparsity", attr);
    std::string what =
        o.heads ? llvm::formatv("heads of {0} channels", inner).str()
                : std::string("channels");
    std::string error =
        plan.error ? llvm::formatv(", output error {0:e2} on the "
                                   "calibration inputs",
                                   *plan.error)
                         .str()
                   : std::string();
    std::string bias =
        o.biasCorrection
            ? llvm::formatv(", {0} of {1} reading layer bias(es) corrected",
                            corrected, plan.biasDeltas.size())
                  .str()
            : std::string();
    emitRemark(loc, llvm::formatv("removed {0} of {1} {2} ({3}) from {4} "
                                  "layer(s): {5} of {6} weights left{7}{8}",
                                  units - kept, units, what, o.criterion,
                                  weightOps.size(), after, before, error, bias)
                        .str());
    llvm::json::Array keptJson;
    for (int64_t u : plan.kept)
      keptJson.push_back(u);
    llvm::json::Object entry{
        {"layer", name},
        {"pattern", o.heads ? "head" : "channel"},
        {"criterion", o.criterion},
        {"units", units},
        {"unit_channels", inner},
        {"kept", std::move(keptJson)},
        {"removed_fraction", removed},
        {"layers", std::move(layers)},
        {"dense_bytes", before * static_cast<int64_t>(sizeof(float))},
        {"bytes", after * static_cast<int64_t>(sizeof(float))}};
    entry["output_error"] = plan.error ? llvm::json::Value(*plan.error)
                                       : llvm::json::Value(nullptr);
    if (o.biasCorrection)
      entry["biases_corrected"] = corrected;
    report.push_back(std::move(entry));
  }
  return success();
}
