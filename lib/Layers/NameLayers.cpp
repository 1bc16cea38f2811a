//===- NameLayers.cpp - Fix the layers' names in attributes ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Layers/Passes.h"
#include "slim/Layers/Report.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMNAMELAYERSPASS
#include "slim/Layers/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;

namespace {
struct SlimNameLayersPass
    : mlir::slim::impl::SlimNameLayersPassBase<SlimNameLayersPass> {
  using SlimNameLayersPassBase::SlimNameLayersPassBase;

  void runOnOperation() override {
    if (clear) {
      getOperation()->walk(
          [](Operation *op) { op->removeAttr(kLayerNameAttr); });
      return;
    }
    for (auto &[op, name] : nameLayers(getOperation()))
      op->setAttr(kLayerNameAttr, StringAttr::get(&getContext(), name));
  }
};
} // namespace
