//===- Report.h - The per-layer report of Slim's passes ---------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Each pass can write its own JSON report (`report=` on the pass). A
// pipeline merges what its passes find into one report per layer (a
// LayerReport shared by the passes it builds, written by a last pass): the
// activation ranges and parameters chosen, the weight's SQNR, and whether
// the layer runs on integers. It is what a user reads when accuracy drops.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LAYERS_REPORT_H
#define SLIM_LAYERS_REPORT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Action.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace slim {

/// Writes `{"pass": pass, <key>: entries}` as indented JSON to `path`; the
/// error names the file.
llvm::Error writeJsonReport(llvm::StringRef path, llvm::StringRef pass,
                            llvm::StringRef key, llvm::json::Array entries);

/// The discardable attribute that fixes a layer's name (slim-name-layers
/// sets it): a string.
constexpr llvm::StringLiteral kLayerNameAttr = "slim.layer";

/// Names every quantizable compute op under `root` that reads something
/// other than constants (a product of constants, such as a rotary table,
/// is not a layer: every compression pass leaves it alone), in walk order:
/// its `slim.layer` attribute when it has one, else "func/op#k", k counting
/// the layers of that op in the function. Observer ids start with these names,
/// and the per-layer report and `skip=` patterns use them. Generated names
/// stay stable across passes that keep the compute ops; the attribute keeps
/// them stable across any rewrite (fusion, factorization: the ops that
/// replace a named layer inherit its name). A name already taken (by an
/// attribute, or twice the same attribute) gets primes appended until it is
/// unique.
llvm::MapVector<Operation *, std::string> nameLayers(Operation *root);

/// An embedding lookup, as importers write ONNX Gather and torch's
/// embedding: a linalg.generic (parallel loops, one result) whose body reads
/// a constant, non-splat, static 2-D f32 table that nothing else uses with
/// one tensor.extract, and yields what it read. Not a layer: only
/// slim-quantize-weights quantizes its table.
struct EmbeddingLookup {
  linalg::GenericOp op;
  tensor::ExtractOp read;
  arith::ConstantOp table;
};

/// `op` as an embedding lookup; an empty one (null op) when it is not.
EmbeddingLookup getEmbeddingLookup(Operation *op);

/// The embedding lookups under `root`, named `<function>/embedding#<k>` (k
/// counts them per function, in walk order, whatever their size): the
/// names `skip=` patterns, recipes' `layers:` and the report use.
llvm::MapVector<Operation *, std::string> nameEmbeddings(Operation *root);

/// Gives `to` the `slim.layer` name of `from` followed by `suffix`, when
/// `from` has one (the factors of a factorized layer: "<name>/factor0").
void inheritLayerName(Operation *from, Operation *to, llvm::StringRef suffix);

/// A compression pass starting on one layer's weight (quantizing it with
/// GPTQ, pruning it, factorizing it: the per-layer work that takes long), as
/// an MLIR action around nothing: a handler registered on the context
/// (MLIRContext::registerActionHandler) learns which layer (`index` of
/// `total`, the pass's candidate layers in IR order) a pass is at;
/// slim-compress draws its progress from it.
class LayerWorkAction : public tracing::ActionImpl<LayerWorkAction> {
public:
  LayerWorkAction(ArrayRef<IRUnit> units, llvm::StringRef pass, size_t index,
                  size_t total)
      : ActionImpl(units), pass(pass), index(index), total(total) {}
  static constexpr llvm::StringLiteral tag = "slim-layer-work";
  void print(llvm::raw_ostream &os) const override;

  llvm::StringRef pass;
  size_t index, total;
};

/// Dispatches a LayerWorkAction for `op` (a no-op without a handler).
void notifyLayerWork(Operation *op, llvm::StringRef pass, size_t index,
                     size_t total);

/// What a layer costs: the multiply-adds one run executes (the product of
/// its loop bounds; nullopt when one is dynamic), and the bytes of its
/// constant float weight (operand 1; nullopt when it is not one).
struct LayerCost {
  std::optional<int64_t> macs;
  std::optional<int64_t> weightBytes;
};
LayerCost layerCost(Operation *op);

/// The layers of `names` that a `skip=` option (or another list option of
/// layer patterns, named `option` in errors) selects: those whose name
/// matches one of `patterns` (regular expressions, each matched against the
/// whole name), each mapped to the pattern that matched it. An invalid
/// expression, or one that matches no layer (a typo would otherwise quantize
/// everything silently), is an error on `module`, prefixed with `pass`.
FailureOr<llvm::DenseMap<Operation *, std::string>>
skippedLayers(const llvm::MapVector<Operation *, std::string> &names,
              llvm::ArrayRef<std::string> patterns, Operation *module,
              llvm::StringRef pass, llvm::StringRef option = "skip");

/// The per-layer findings of a pipeline's passes, merged by layer name.
class LayerReport {
public:
  /// Creates the entries of `layers` that do not exist yet, in that order
  /// (IR order, from nameLayers), each with its op's name and, as it is
  /// when first seen, its cost ("macs", "weight_bytes": layerCost).
  void addLayers(const llvm::MapVector<Operation *, std::string> &layers);

  /// Copies into this report the entries of `other` whose layer `keep`
  /// accepts, in other's order: keys of an existing entry are overwritten,
  /// but for what addLayers records when a layer is first seen (its op and
  /// costs before any pass changed it).
  void mergeFrom(const LayerReport &other,
                 llvm::function_ref<bool(llvm::StringRef layer)> keep);

  /// The layers, in the order they were first seen.
  llvm::ArrayRef<std::string> getLayerNames() const { return order; }

  /// A layer's entry, or null.
  const llvm::json::Object *lookup(llvm::StringRef layer) const;

  /// Removes `key` from `layer`'s entry (if there is one).
  void erase(llvm::StringRef layer, llvm::StringRef key);

  /// Sets a key of the whole report ("model": totals that slim-compress
  /// measures), written next to "layers".
  void setSummary(llvm::StringRef key, llvm::json::Value value);

  /// Sets `key` of `layer`'s entry (created on first use, in that order).
  void set(llvm::StringRef layer, llvm::StringRef key, llvm::json::Value value);

  /// The weight bytes of all layers before and after compression: before,
  /// their float weights ("weight_bytes"; a layer a step made, such as a
  /// factor, has none); after, a quantized weight's stored bytes (integers,
  /// scales, zero points), nothing for a factorized layer (its factors
  /// count), else the float bytes.
  std::pair<int64_t, int64_t> weightBytesTotal() const;

  /// `{"layers": [{"layer": name, ..., "weight_bytes_after": n}, ...],
  /// "weight_bytes": {"before": n, "after": n}, <summary keys>}`.
  llvm::json::Value toJson() const;

  /// A Markdown table, one row per layer: input, weight (or second input),
  /// output, compute.
  std::string toTable() const;

  /// One self-contained HTML page (no network, no external files): the
  /// JSON report embedded, drawn by its own script as a sortable table, a
  /// bar chart of each layer's weight SQNR and output error, each
  /// activation's histogram with the chosen range, and the bytes and
  /// multiply-adds before and after.
  std::string toHtml() const;

  /// Writes the report to `path` as `format` ("json", "table" or "html").
  llvm::Error write(llvm::StringRef path, llvm::StringRef format) const;

  /// Whether `format` is one write() takes.
  static bool isFormat(llvm::StringRef format);

private:
  std::vector<std::string> order;
  llvm::StringMap<llvm::json::Object> layers;
  llvm::json::Object summary;
};

/// A module pass that writes `report` to `path` in `format` when it runs:
/// the last pass of a pipeline whose passes fill `report`.
std::unique_ptr<Pass>
createWriteLayerReportPass(std::shared_ptr<LayerReport> report,
                           std::string path, std::string format);

} // namespace slim
} // namespace mlir

#endif // SLIM_LAYERS_REPORT_H
