//===- slim-opt.cpp - Slim optimizer driver -------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with every upstream dialect, pass and extension, plus Slim's
// dialect, passes and named pipelines. The output goes through
// slim::OutputFile: a failed write is an error with exit code 1, an
// existing file is replaced only by a complete output, and special files
// (/dev/null, /dev/full) are written in place.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "slim/InitAllSlim.h"
#include "slim/Support/OutputFile.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "slim-opt") << msg << "\n";
  return EXIT_FAILURE;
}

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::slim::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::slim::registerAllDialects(registry);

  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "Slim optimizer driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listings print to standard output: upstream's driver does those.
  if (config.shouldShowDialects() || config.shouldListPasses()) {
    bool ok = succeeded(
        mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));
    return slim::flushStandardOutput("slim-opt") && ok ? EXIT_SUCCESS
                                                       : EXIT_FAILURE;
  }

  llvm::InitLLVM y(argc, argv);
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFile, &message);
  if (!input)
    return fail(message);
  llvm::Expected<std::unique_ptr<slim::OutputFile>> output =
      slim::OutputFile::open(outputFile);
  if (!output)
    return fail(llvm::toString(output.takeError()));
  // On failure the diagnostics are printed and the output is dropped.
  if (failed(mlir::MlirOptMain((*output)->os(), std::move(input), registry,
                               config)))
    return EXIT_FAILURE;
  if (llvm::Error e = (*output)->commit())
    return fail(llvm::toString(std::move(e)));
  return slim::flushStandardOutput("slim-opt") ? EXIT_SUCCESS : EXIT_FAILURE;
}
