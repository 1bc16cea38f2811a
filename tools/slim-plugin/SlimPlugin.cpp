//===- SlimPlugin.cpp - Slim as a plugin of upstream mlir-opt -------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// One loadable module with both of MLIR's plugin entry points, so that
// Debian's own mlir-opt runs Slim's passes on Slim IR:
//
//   mlir-opt-22 --load-dialect-plugin=SlimPlugin.so \
//               --load-pass-plugin=SlimPlugin.so --slim-ptq-dynamic in.mlir
//
// Both flags name the same file: the dynamic loader maps it once, so the
// dialect and the passes share one copy of Slim (its type ids included).
// The module links libMLIR.so, the library mlir-opt-22 itself uses.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "slim/InitAllSlim.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Slim", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::slim::registerAllDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Slim", LLVM_VERSION_STRING,
          [] { mlir::slim::registerAllPasses(); }};
}
