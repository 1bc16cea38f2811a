//===- Report.cpp - Reports of Slim's quantization passes -----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Layers/Report.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinOps.h"
#include "slim/Layers/Matchers.h"
#include "slim/Support/OutputFile.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::slim;

llvm::Error mlir::slim::writeJsonReport(llvm::StringRef path,
                                        llvm::StringRef pass,
                                        llvm::StringRef key,
                                        llvm::json::Array entries) {
  llvm::json::Object root{{"pass", pass}};
  root[key] = std::move(entries);
  return ::slim::writeFile(
      path, llvm::formatv("{0:2}\n", llvm::json::Value(std::move(root))).str(),
      /*text=*/true);
}

EmbeddingLookup mlir::slim::getEmbeddingLookup(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumReductionLoops() != 0 ||
      generic.getNumDpsInits() != 1)
    return {};
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1)
    return {};
  auto read = yield.getOperand(0).getDefiningOp<tensor::ExtractOp>();
  if (!read || read->getBlock() != &body)
    return {};
  // The only read of a table in the body.
  for (Operation &inner : body)
    if (isa<tensor::ExtractOp>(inner) && &inner != read.getOperation())
      return {};
  auto table = read.getTensor().getDefiningOp<arith::ConstantOp>();
  if (!table || !table->hasOneUse())
    return {};
  auto type = dyn_cast<RankedTensorType>(table.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
      !type.getElementType().isF32())
    return {};
  auto dense = dyn_cast<DenseElementsAttr>(table.getValue());
  if (dense && dense.isSplat())
    return {};
  return {generic, read, table};
}

llvm::MapVector<Operation *, std::string>
mlir::slim::nameEmbeddings(Operation *root) {
  llvm::MapVector<Operation *, std::string> names;
  root->walk([&](func::FuncOp func) {
    int64_t count = 0;
    func.walk([&](linalg::GenericOp op) {
      if (getEmbeddingLookup(op).op)
        names[op] = llvm::formatv("{0}/embedding#{1}", func.getSymName(),
                                  count++)
                        .str();
    });
  });
  return names;
}

llvm::MapVector<Operation *, std::string>
mlir::slim::nameLayers(Operation *root) {
  // Walk order first; the attributes' names are taken before any name is
  // generated, so that a generated name never takes a fixed one.
  SmallVector<std::pair<Operation *, StringRef>> ops;
  llvm::StringSet<> fixed;
  ConstantLikeAnalysis constants;
  root->walk([&](func::FuncOp func) {
    func.walk([&](Operation *op) {
      if (!isQuantizableCompute(op))
        return;
      // A product of constants (a rotary table: inverse frequencies times
      // positions) has no activation and nothing to compress: it is
      // computed once from constants, not a layer.
      if (llvm::all_of(cast<DestinationStyleOpInterface>(op).getDpsInputs(),
                       [&](Value v) { return constants.isConstantLike(v); }))
        return;
      StringRef name;
      if (auto attr = op->getAttrOfType<StringAttr>(kLayerNameAttr)) {
        name = attr.getValue();
        fixed.insert(name);
      }
      ops.push_back({op, name});
    });
  });
  llvm::MapVector<Operation *, std::string> names;
  llvm::StringSet<> used;
  llvm::DenseMap<std::pair<Operation *, StringRef>, int> counters;
  for (auto [op, attrName] : ops) {
    // Named or not, an op takes its number: the generated names are the
    // ones the ops would have without any attribute.
    auto func = op->getParentOfType<func::FuncOp>();
    StringRef opName = op->getName().getStringRef();
    int k = counters[{func, opName}]++;
    std::string name = attrName.str();
    bool generated = name.empty();
    if (generated)
      name = (func.getSymName() + "/" + opName + "#" + llvm::Twine(k)).str();
    // A generated name may not take a fixed one; a fixed name seen twice
    // keeps it for the first op only.
    while ((generated && fixed.contains(name)) || used.contains(name))
      name += "'";
    used.insert(name);
    names[op] = std::move(name);
  }
  return names;
}

void mlir::slim::inheritLayerName(Operation *from, Operation *to,
                                  StringRef suffix) {
  if (auto attr = from->getAttrOfType<StringAttr>(kLayerNameAttr))
    to->setAttr(kLayerNameAttr,
                StringAttr::get(from->getContext(), attr.getValue() + suffix));
}

void LayerWorkAction::print(llvm::raw_ostream &os) const {
  os << tag << ": " << pass << " layer " << index + 1 << " of " << total;
}

void mlir::slim::notifyLayerWork(Operation *op, StringRef pass, size_t index,
                                 size_t total) {
  op->getContext()->executeAction<LayerWorkAction>([] {}, {op}, pass, index,
                                                   total);
}

LayerCost mlir::slim::layerCost(Operation *op) {
  LayerCost cost;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    // The product of the loop bounds, when they are all static and it fits.
    int64_t macs = 1;
    bool known = true;
    for (int64_t range : linalgOp.getStaticLoopRanges()) {
      if (ShapedType::isDynamic(range) || range < 0 ||
          llvm::MulOverflow(macs, range, macs)) {
        known = false;
        break;
      }
    }
    if (known)
      cost.macs = macs;
  }
  if (op->getNumOperands() > 1) {
    Value weight = op->getOperand(1);
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    ConstantLikeAnalysis constants;
    if (type && type.hasStaticShape() &&
        isa<FloatType>(type.getElementType()) &&
        constants.isConstantLike(weight))
      cost.weightBytes =
          type.getNumElements() * type.getElementTypeBitWidth() / 8;
  }
  return cost;
}

FailureOr<llvm::DenseMap<Operation *, std::string>> mlir::slim::skippedLayers(
    const llvm::MapVector<Operation *, std::string> &names,
    ArrayRef<std::string> patterns, Operation *module, StringRef pass,
    StringRef option) {
  llvm::DenseMap<Operation *, std::string> skipped;
  for (const std::string &pattern : patterns) {
    llvm::Regex regex("^(" + pattern + ")$");
    std::string error;
    if (!regex.isValid(error))
      return module->emitError(pass)
             << ": " << option << " pattern '" << pattern
             << "' is not a regular expression: " << error;
    bool matched = false;
    for (const auto &[op, name] : names) {
      if (!regex.match(name))
        continue;
      matched = true;
      skipped.try_emplace(op, pattern);
    }
    // An embedding lookup's name is not a typo either, where a pass does
    // not quantize tables.
    if (!matched)
      for (const auto &[op, name] : nameEmbeddings(module))
        matched |= regex.match(name);
    if (!matched)
      return module->emitError(pass)
             << ": " << option << " pattern '" << pattern
             << "' matches no layer (layers are named like "
             << (names.empty() ? std::string("main/linalg.matmul#0")
                               : names.front().second)
             << "; the per-layer report lists them)";
  }
  return skipped;
}

//===----------------------------------------------------------------------===//
// LayerReport
//===----------------------------------------------------------------------===//

void LayerReport::addLayers(
    const llvm::MapVector<Operation *, std::string> &names) {
  for (const auto &[op, name] : names) {
    if (layers.count(name))
      continue;
    set(name, "op", op->getName().getStringRef().str());
    LayerCost cost = layerCost(op);
    if (cost.macs)
      set(name, "macs", *cost.macs);
    if (cost.weightBytes)
      set(name, "weight_bytes", *cost.weightBytes);
  }
}

void LayerReport::mergeFrom(const LayerReport &other,
                            llvm::function_ref<bool(StringRef)> keep) {
  for (const std::string &name : other.order) {
    if (!keep(name))
      continue;
    const llvm::json::Object *existing = lookup(name);
    for (const auto &[key, value] : other.layers.find(name)->second) {
      bool firstSeen = key == "op" || key == "macs" || key == "weight_bytes";
      if (existing && firstSeen && existing->get(key))
        continue;
      set(name, key, value);
    }
  }
}

const llvm::json::Object *LayerReport::lookup(StringRef layer) const {
  auto it = layers.find(layer);
  return it == layers.end() ? nullptr : &it->second;
}

void LayerReport::erase(StringRef layer, StringRef key) {
  auto it = layers.find(layer);
  if (it != layers.end())
    it->second.erase(key);
}

void LayerReport::setSummary(StringRef key, llvm::json::Value value) {
  summary[llvm::json::ObjectKey(key.str())] = std::move(value);
}

void LayerReport::set(llvm::StringRef layer, llvm::StringRef key,
                      llvm::json::Value value) {
  auto [it, inserted] = layers.try_emplace(layer);
  if (inserted)
    order.push_back(layer.str());
  it->second[llvm::json::ObjectKey(key.str())] = std::move(value);
}

/// A layer's weight bytes after compression: its quantized weight's, none
/// for a factorized layer (its factors' rows count them), else as before.
static std::optional<int64_t> weightBytesAfter(const llvm::json::Object &e) {
  const llvm::json::Object *lowRank = e.getObject("low_rank");
  if (lowRank && lowRank->getString("decision") == "factorized")
    return 0;
  if (const llvm::json::Object *w = e.getObject("weight"))
    if (std::optional<int64_t> bytes = w->getInteger("bytes"))
      return bytes;
  return e.getInteger("weight_bytes");
}

/// Weight bytes before; none for a layer a step made (a factor).
static int64_t weightBytesBefore(const llvm::json::Object &e) {
  if (e.get("added_by"))
    return 0;
  return e.getInteger("weight_bytes").value_or(0);
}

std::pair<int64_t, int64_t> LayerReport::weightBytesTotal() const {
  int64_t before = 0, after = 0;
  for (const std::string &name : order) {
    const llvm::json::Object &e = layers.find(name)->second;
    before += weightBytesBefore(e);
    after += weightBytesAfter(e).value_or(0);
  }
  return {before, after};
}

llvm::json::Value LayerReport::toJson() const {
  llvm::json::Array entries;
  for (const std::string &name : order) {
    llvm::json::Object entry = layers.lookup(name);
    entry["layer"] = name;
    if (std::optional<int64_t> after = weightBytesAfter(entry))
      entry["weight_bytes_after"] = *after;
    entries.push_back(std::move(entry));
  }
  llvm::json::Object root = summary;
  auto [before, after] = weightBytesTotal();
  root["weight_bytes"] = llvm::json::Object{{"before", before}, {"after", after}};
  root["layers"] = std::move(entries);
  return root;
}

/// "331.8 kB"
static std::string describeBytes(int64_t bytes) {
  if (bytes >= 1000000)
    return llvm::formatv("{0:F1} MB", bytes / 1e6).str();
  if (bytes >= 1000)
    return llvm::formatv("{0:F1} kB", bytes / 1e3).str();
  return llvm::formatv("{0} B", bytes).str();
}

/// "S=0.01111 Z=73, [-0.8102, 2.023] of [-0.8102, 2.023], 0.00% clipped
/// (entropy)"; "float" without an entry.
static std::string describeActivation(const llvm::json::Object *a) {
  if (!a)
    return "float";
  if (std::optional<llvm::StringRef> dynamic = a->getString("dynamic"))
    return ("dynamic " + *dynamic).str();
  std::string text;
  llvm::raw_string_ostream os(text);
  if (std::optional<double> s = a->getNumber("scale"))
    os << llvm::format(
        "S=%.4g Z=%lld", *s,
        static_cast<long long>(a->getInteger("zero_point").value_or(0)));
  else
    os << "per channel";
  auto range = [](const llvm::json::Array *r) {
    if (!r || r->size() != 2)
      return std::string("?");
    return llvm::formatv(
               "[{0}, {1}]",
               llvm::format("%.4g", (*r)[0].getAsNumber().value_or(0)),
               llvm::format("%.4g", (*r)[1].getAsNumber().value_or(0)))
        .str();
  };
  os << ", " << range(a->getArray("range"));
  if (const llvm::json::Array *observed = a->getArray("observed"))
    os << " of " << range(observed);
  if (std::optional<double> c = a->getNumber("clipped"))
    os << llvm::formatv(", {0:F2}% clipped", 100.0 * *c);
  if (std::optional<llvm::StringRef> m = a->getString("method"))
    os << " (" << *m << ")";
  return text;
}

static std::string describeWeight(const llvm::json::Object *w) {
  if (!w)
    return "float";
  std::string text =
      llvm::formatv("int{0} {1}", w->getInteger("bits").value_or(0),
                    w->getString("granularity").value_or(""))
          .str();
  if (std::optional<double> sqnr = w->getNumber("sqnr_db"))
    text += llvm::formatv(", {0:F1} dB", *sqnr).str();
  else
    text += ", exact";
  return text;
}

/// A pruning entry (slim-prune's report) in a few words: the pattern, the
/// zeros or the units kept, the output error.
static std::string describePruning(const llvm::json::Object *p) {
  if (!p)
    return "-";
  std::string text;
  llvm::raw_string_ostream os(text);
  std::optional<llvm::StringRef> pattern = p->getString("pattern");
  std::optional<int64_t> units = p->getInteger("units");
  if (units) {
    const llvm::json::Array *kept = p->getArray("kept");
    os << *pattern << ": " << (kept ? kept->size() : 0) << " of " << *units
       << " kept";
  } else {
    os << (pattern ? *pattern : "pruned") << ", "
       << llvm::formatv("{0:F1}% zeros",
                        100.0 * p->getNumber("zeros").value_or(0.0));
  }
  if (std::optional<double> error = p->getNumber("output_error"))
    os << llvm::formatv(", error {0:e1}", *error);
  return text;
}

std::string LayerReport::toTable() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  // A pruning column when a pruning pass contributed.
  bool pruned = llvm::any_of(order, [&](const std::string &name) {
    return layers.find(name)->second.getObject("pruning") != nullptr;
  });
  os << "| layer | input | weight | output | compute | weight bytes |"
     << (pruned ? " pruning |\n" : "\n") << "|---|---|---|---|---|---|"
     << (pruned ? "---|\n" : "\n");
  for (const std::string &name : order) {
    const llvm::json::Object &e = layers.find(name)->second;
    std::string compute = "float";
    const llvm::json::Object *lowRank = e.getObject("low_rank");
    if (lowRank && lowRank->getString("decision") == "factorized")
      compute = llvm::formatv("factorized: rank {0} ({1}), the /factor rows",
                              lowRank->getInteger("rank").value_or(0),
                              lowRank->getString("method").value_or("?"))
                    .str();
    else if (std::optional<llvm::StringRef> pattern = e.getString("skipped"))
      compute = ("float: skipped (skip=" + *pattern + ")").str();
    else if (std::optional<llvm::StringRef> op = e.getString("integer_op"))
      compute = op->str();
    else if (std::optional<llvm::StringRef> why = e.getString("unfused"))
      compute = ("float: " + *why).str();
    // A second activation operand (attention's K) stands where a weight
    // would.
    const llvm::json::Object *input1 = e.getObject("input1");
    std::string weight = !e.getObject("weight") && input1
                             ? describeActivation(input1)
                             : describeWeight(e.getObject("weight"));
    os << "| " << name << " | " << describeActivation(e.getObject("input"))
       << " | " << weight << " | " << describeActivation(e.getObject("output"))
       << " | " << compute << " | ";
    std::optional<int64_t> after = weightBytesAfter(e);
    if (e.getInteger("weight_bytes") && after)
      os << describeBytes(weightBytesBefore(e)) << " -> "
         << describeBytes(*after);
    os << " |";
    if (pruned)
      os << " " << describePruning(e.getObject("pruning")) << " |";
    os << "\n";
  }
  auto [before, after] = weightBytesTotal();
  os << "| total | | | | | " << describeBytes(before) << " -> "
     << describeBytes(after) << " |" << (pruned ? " |\n" : "\n");
  return text;
}

bool LayerReport::isFormat(llvm::StringRef format) {
  return llvm::is_contained({"json", "table", "html"}, format);
}

llvm::Error LayerReport::write(llvm::StringRef path,
                               llvm::StringRef format) const {
  if (format == "table")
    return ::slim::writeFile(path, toTable(), /*text=*/true);
  if (format == "html")
    return ::slim::writeFile(path, toHtml(), /*text=*/true);
  return ::slim::writeFile(path, llvm::formatv("{0:2}\n", toJson()).str(),
                           /*text=*/true);
}

//===----------------------------------------------------------------------===//
// The writing pass
//===----------------------------------------------------------------------===//

namespace {
struct WriteLayerReportPass
    : PassWrapper<WriteLayerReportPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(WriteLayerReportPass)

  WriteLayerReportPass(std::shared_ptr<LayerReport> report, std::string path,
                       std::string format)
      : report(std::move(report)), path(std::move(path)),
        format(std::move(format)) {}

  StringRef getArgument() const override { return "slim-write-layer-report"; }
  StringRef getDescription() const override {
    return "Write the per-layer report that a pipeline's passes collected";
  }

  LogicalResult initialize(MLIRContext *ctx) override {
    if (LayerReport::isFormat(format))
      return success();
    return emitError(UnknownLoc::get(ctx), "unknown report-format '")
           << format << "' (expected json, table or html)";
  }

  void runOnOperation() override {
    if (llvm::Error e = report->write(path, format)) {
      getOperation().emitError(llvm::toString(std::move(e)));
      signalPassFailure();
    }
  }

  std::shared_ptr<LayerReport> report;
  std::string path, format;
};
} // namespace

std::unique_ptr<Pass>
mlir::slim::createWriteLayerReportPass(std::shared_ptr<LayerReport> report,
                                       std::string path, std::string format) {
  return std::make_unique<WriteLayerReportPass>(
      std::move(report), std::move(path), std::move(format));
}
