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

#include "mlir/Pass/Pass.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
namespace slim {

/// Writes `{"pass": pass, <key>: entries}` as indented JSON to `path`; the
/// error names the file.
llvm::Error writeJsonReport(llvm::StringRef path, llvm::StringRef pass,
                            llvm::StringRef key, llvm::json::Array entries);

/// Names every quantizable compute op under `root` "func/op#k", k counting
/// the ops of that name in the function in walk order. Observer ids start
/// with these names, and the per-layer report is keyed by them, so they stay
/// stable across passes that keep the compute ops (all but the fusion, which
/// names them before it replaces them).
llvm::MapVector<Operation *, std::string> nameLayers(Operation *root);

/// The layers of `names` that a `skip=` option leaves in float: those whose
/// name matches one of `patterns` (regular expressions, each matched against
/// the whole name), each mapped to the pattern that matched it. An invalid
/// expression, or one that matches no layer (a typo would otherwise quantize
/// everything silently), is an error on `module`, prefixed with `pass`.
FailureOr<llvm::DenseMap<Operation *, std::string>>
skippedLayers(const llvm::MapVector<Operation *, std::string> &names,
              llvm::ArrayRef<std::string> patterns, Operation *module,
              llvm::StringRef pass);

/// The per-layer findings of a pipeline's passes, merged by layer name.
class LayerReport {
public:
  /// Creates the entries of `layers` that do not exist yet, in that order
  /// (IR order, from nameLayers), each with its op's name.
  void addLayers(const llvm::MapVector<Operation *, std::string> &layers);

  /// Sets `key` of `layer`'s entry (created on first use, in that order).
  void set(llvm::StringRef layer, llvm::StringRef key, llvm::json::Value value);

  /// `{"layers": [{"layer": name, ...}, ...]}`.
  llvm::json::Value toJson() const;

  /// A Markdown table, one row per layer: input, weight (or second input),
  /// output, compute.
  std::string toTable() const;

  /// Writes the report to `path` as `format` ("json" or "table").
  llvm::Error write(llvm::StringRef path, llvm::StringRef format) const;

private:
  std::vector<std::string> order;
  llvm::StringMap<llvm::json::Object> layers;
};

/// A module pass that writes `report` to `path` in `format` when it runs:
/// the last pass of a pipeline whose passes fill `report`.
std::unique_ptr<Pass>
createWriteLayerReportPass(std::shared_ptr<LayerReport> report,
                           std::string path, std::string format);

} // namespace slim
} // namespace mlir

#endif // SLIM_LAYERS_REPORT_H
