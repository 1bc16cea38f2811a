//===- InitAllSlim.cpp - Register Slim's dialect and passes ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/InitAllSlim.h"

#include "mlir/IR/DialectRegistry.h"
#include "slim/Codegen/Passes.h"
#include "slim/Conversion/Passes.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"
#include "slim/Layers/Passes.h"
#include "slim/LowRank/Passes.h"
#include "slim/Pipelines/Pipelines.h"
#include "slim/Sparsity/Passes.h"
#include "slim/Import/Passes.h"
#include "slim/Quantization/Passes.h"

#include <mutex>

void mlir::slim::registerAllDialects(DialectRegistry &registry) {
  registry.insert<SlimDialect>();
}

void mlir::slim::registerAllPasses() {
  // MLIR's registry refuses a second registration of the same pipeline
  // name: once per process.
  static std::once_flag once;
  std::call_once(once, [] {
    registerSlimConversionPasses();
    registerSlimImportPasses();
    registerSlimLayersPasses();
    registerSlimQuantizationPasses();
    registerSlimCodegenPasses();
    registerSlimSparsityPasses();
    registerSlimLowRankPasses();
    registerSlimPipelines();
  });
}
