//===- slim-opt.cpp - Slim optimizer driver
//---------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with every upstream dialect, pass and extension, plus Slim's
// dialect, passes and named pipelines.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "slim/Conversion/Passes.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"
#include "slim/Pipelines/Pipelines.h"
#include "slim/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::slim::registerSlimConversionPasses();
  mlir::slim::registerSlimTransformsPasses();
  mlir::slim::registerSlimPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::slim::SlimDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Slim optimizer driver\n", registry));
}
