//===- slim-example-opt.cpp - A downstream tool using Slim ----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What a compiler that embeds Slim does: register upstream MLIR's dialects,
// extensions and passes and Slim's (slim/InitAllSlim.h, from the target
// Slim::SlimPasses), then hand the command line to MlirOptMain. Every Slim
// pass and pipeline (`--slim-ptq-dynamic`, `--slim-cpu-pipeline`, ...) is
// then a flag of this tool, next to upstream's.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "slim/InitAllSlim.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::slim::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::slim::registerAllDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "An out-of-tree tool with Slim's passes\n", registry));
}
