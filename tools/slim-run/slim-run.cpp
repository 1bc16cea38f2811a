//===- slim-run.cpp - JIT runner for tensor functions ---------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim-run model.mlir -e main --input a.npy --input b.npy [--output r.npy]
//                              [--print] [--repeat N]
// slim-run model.mlir -e main --calibrate data/ --stats-file stats.json
//                              [--batch N] [--hessians DIR [--hessian-mask N]]
//
// Lowers the module with Slim's default CPU pipeline for the host CPU, runs
// the entry function on the inputs, and prints the results or writes them
// as .npy files. Every bad input is a diagnostic and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "slim/Calibration/Hessians.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"
#include "slim/Runner/Calibrate.h"
#include "slim/Runner/JitRunner.h"
#include "slim/Runtime/Kernels.h"
#include "slim/Support/OutputFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace mlir;
using namespace llvm;

static cl::OptionCategory category("slim-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<std::string> entryName("e", cl::desc("Entry function"),
                                      cl::init("main"), cl::cat(category));
static cl::alias entryAlias("entry", cl::aliasopt(entryName),
                            cl::desc("Alias for -e"));
static cl::list<std::string>
    inputs("input", cl::desc("A .npy file per argument, in argument order"),
           cl::cat(category));
static cl::list<std::string>
    outputs("output",
            cl::desc("A .npy file per result, in result order (default: "
                     "print the results)"),
            cl::cat(category));
static cl::opt<bool>
    printResults("print",
                 cl::desc("Print the results (also when --output is given)"),
                 cl::cat(category));
static cl::opt<unsigned>
    repeat("repeat", cl::desc("Run N more times and print min/median time"),
           cl::init(0), cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::cat(category));
static cl::list<std::string>
    sharedLibs("shared-libs", cl::desc("Libraries to load into the JIT"),
               cl::CommaSeparated, cl::cat(category));
static cl::list<std::string> calibrate(
    "calibrate",
    cl::desc("Calibrate instead of running once: one path per argument, a "
             ".npy with samples along dimension 0 or a directory of .npy "
             "files; needs --stats-file"),
    cl::cat(category));
static cl::list<std::string> samples(
    "samples",
    cl::desc("Run a whole data set: one path per argument, a .npy with "
             "samples along dimension 0 or a directory of .npy files; the "
             "results of every batch are stacked along dimension 0 into the "
             "--output files"),
    cl::cat(category));
static cl::opt<std::string>
    statsFile("stats-file", cl::desc("Where --calibrate writes its statistics"),
              cl::cat(category));
static cl::opt<std::string> hessianDir(
    "hessians",
    cl::desc("With --calibrate, also write every observed activation's Gram "
             "matrix (sum of x x^T over its rows; GPTQ's Hessian) into this "
             "directory, for slim-quantize-weights hessians="),
    cl::cat(category));
static cl::opt<int64_t> hessianMask(
    "hessian-mask",
    cl::desc("With --hessians: argument N (0-based) is a mask over the rows "
             "of the activations, as a transformer's attention mask "
             "[batch, tokens] is over its tokens; an activation with one row "
             "per mask element enters its Gram matrix with only the rows "
             "where the mask is nonzero (padding left out)"),
    cl::init(-1), cl::cat(category));
static cl::opt<int64_t>
    batchSize("batch",
              cl::desc("Samples per run with --calibrate or --samples, when "
                       "the batch dimension is dynamic"),
              cl::init(1), cl::cat(category));
static cl::opt<std::string> kernelIsa(
    "isa",
    cl::desc("Micro-kernel ISA for contractions with constant weights: host "
             "(default: the strongest this CPU runs), generic, avx2, "
             "avx_vnni, avx512_vnni, amx; one the CPU lacks is an error"),
    cl::init("host"), cl::cat(category));
static cl::opt<std::string> weightOnlyActivations(
    "weight-only-activations",
    cl::desc("Weight-only matmuls: f32 (default: the float arithmetic) or "
             "int8 (4-bit weights; the activation quantized per row and "
             "group, int8 dot products, as ONNX Runtime's accuracy_level "
             "4)"),
    cl::init("f32"), cl::cat(category));
static cl::opt<std::string> sparseWeights(
    "sparse-weights",
    cl::desc("Pruned weights in sparse forms (int8 masked, f32 "
             "row-compressed, int4 2:4): auto (default: where that is "
             "faster or as fast), never, or always"),
    cl::init("auto"), cl::cat(category));
static cl::opt<int64_t> parallelWork(
    "parallel-work",
    cl::desc("Loop nests of at least this many iterations run on threads "
             "(OpenMP regions on the runtime's thread count; 0: none)"),
    cl::init(mlir::slim::CodegenOptions().parallelWork), cl::cat(category));
// Registered under another name: libLLVM already has a hidden global
// "threads" option, which main() unregisters before giving this one its
// name (slim-run has no use for LLVM's).
static cl::opt<int> numThreads(
    "slim-threads",
    cl::desc("Threads of the micro-kernels (0, the default: OMP_NUM_THREADS "
             "if set, else one per core)"),
    cl::init(0), cl::cat(category));
static cl::opt<std::string> objectFile(
    "dump-object",
    cl::desc("Write the machine code the JIT made to this object file"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<unsigned> codegenThreads(
    "codegen-threads",
    cl::desc("Threads that optimize and compile the LLVM IR (default: one "
             "per hardware thread; independent of --threads)"),
    cl::init(0), cl::cat(category));
static cl::opt<bool> showHost("show-host",
                              cl::desc("Print the host CPU and its features"),
                              cl::cat(category));

/// The compile's timing (--mlir-timing), set by run().
static TimingScope *compileTiming = nullptr;

static int fail(const Twine &msg) {
  WithColor::error(errs(), "slim-run") << msg << "\n";
  return 1;
}

/// Prints an array numpy-style: nested brackets, one innermost row a line.
static void printArray(raw_ostream &os, const ::slim::NpyArray &a) {
  ArrayRef<int64_t> shape = a.getShape();
  bool isFloat = a.getType() == ::slim::NpyDType::F16 ||
                 a.getType() == ::slim::NpyDType::F32 ||
                 a.getType() == ::slim::NpyDType::F64;
  auto printValue = [&](int64_t i) {
    double v = a.getAsDouble(i);
    if (!isFloat)
      os << static_cast<int64_t>(v);
    else if (a.getType() == ::slim::NpyDType::F64)
      os << format("%.17g", v);
    else
      os << format("%.9g", v);
  };
  if (shape.empty()) {
    printValue(0);
    os << "\n";
    return;
  }
  int64_t n = a.getNumElements(), row = shape.back();
  for (int64_t i = 0; i < n; ++i) {
    // Open a bracket for every dimension that starts at this element.
    int64_t opened = 0, stride = 1;
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      stride *= shape[d];
      if (i % stride == 0)
        ++opened;
    }
    if (i % row == 0)
      os.indent(shape.size() - opened);
    for (int64_t k = 0; k < opened; ++k)
      os << "[";
    printValue(i);
    int64_t closed = 0;
    stride = 1;
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      stride *= shape[d];
      if ((i + 1) % stride == 0)
        ++closed;
    }
    for (int64_t k = 0; k < closed; ++k)
      os << "]";
    if (closed == 0)
      os << ", ";
    else if (i + 1 < n)
      os << ",\n";
  }
  if (n == 0)
    os << "[]";
  os << "\n";
}

/// Lowers and JIT-compiles the module with the command line's options.
static FailureOr<std::unique_ptr<mlir::slim::JitRunner>>
compile(ModuleOp module, bool forCalibration,
        ArrayRef<::slim::NpyArray> inputArrays = {}) {
  mlir::slim::JitRunnerOptions options;
  for (const ::slim::NpyArray &a : inputArrays)
    options.inputShapes.emplace_back(a.getShape().begin(), a.getShape().end());
  options.entry = entryName;
  options.optLevel = optLevel;
  options.calibrate = forCalibration;
  options.sharedLibPaths.assign(sharedLibs.begin(), sharedLibs.end());
  options.isa = kernelIsa;
  options.weightOnlyActivations = weightOnlyActivations;
  options.sparseWeights = sparseWeights;
  options.parallelWork = parallelWork;
  options.timing = compileTiming;
  options.objectFile = objectFile;
  options.codegenThreads = codegenThreads;
  auto runner = mlir::slim::JitRunner::compile(module, options);
  // --mlir-timing reports the compile only, not the runs after it.
  if (compileTiming)
    compileTiming->stop();
  return runner;
}

/// Concatenates arrays of one dtype along dimension 0.
static Expected<::slim::NpyArray> stack(ArrayRef<::slim::NpyArray> parts) {
  SmallVector<int64_t> shape(parts.front().getShape());
  shape[0] = 0;
  for (const ::slim::NpyArray &p : parts)
    shape[0] += p.getShape()[0];
  Expected<::slim::NpyArray> out =
      ::slim::NpyArray::create(parts.front().getType(), shape);
  if (!out)
    return out.takeError();
  char *dst = static_cast<char *>(out->getData());
  for (const ::slim::NpyArray &p : parts) {
    std::memcpy(dst, p.getData(), p.getSizeInBytes());
    dst += p.getSizeInBytes();
  }
  return out;
}

/// --samples: every batch of the data set through one compiled module, the
/// results stacked along dimension 0 into --output.
static int runSampleSet(ModuleOp module) {
  if (!inputs.empty() || repeat > 0)
    return fail("--samples does not take --input or --repeat");
  FailureOr<std::unique_ptr<mlir::slim::JitRunner>> runner =
      compile(module, /*forCalibration=*/false);
  if (failed(runner))
    return 1;
  size_t numResults = (*runner)->getResults().size();
  if (outputs.size() != numResults)
    return fail("--samples writes its results to files: the entry function "
                "has " +
                Twine(numResults) + " result(s) but " + Twine(outputs.size()) +
                " --output file(s) were given");
  for (const mlir::slim::BoundaryValue &r : (*runner)->getResults())
    if (r.type.getRank() == 0 || !r.type.hasStaticShape()) {
      std::string type;
      llvm::raw_string_ostream os(type);
      os << r.type;
      return fail("--samples needs results with a batch dimension and static "
                  "shapes (pin the inputs' shapes), got " +
                  Twine(type));
    }
  mlir::slim::SampleOptions options;
  options.data.assign(samples.begin(), samples.end());
  options.batch = batchSize;
  std::vector<SmallVector<::slim::NpyArray>> perResult(numResults);
  auto start = std::chrono::steady_clock::now();
  Expected<int64_t> total = mlir::slim::runSamples(
      **runner, options, /*withResults=*/true,
      [&](MutableArrayRef<::slim::NpyArray> results, int64_t) {
        for (auto [i, r] : llvm::enumerate(results))
          perResult[i].push_back(std::move(r));
        return Error::success();
      });
  if (!total)
    return fail(toString(total.takeError()));
  std::chrono::duration<double> t = std::chrono::steady_clock::now() - start;
  for (auto [i, path] : llvm::enumerate(outputs)) {
    Expected<::slim::NpyArray> all = stack(perResult[i]);
    if (!all)
      return fail(toString(all.takeError()));
    if (Error e = ::slim::writeNpy(path, *all))
      return fail(toString(std::move(e)));
  }
  outs() << format("ran %lld sample(s) in %.3f s (%.3f ms per sample)\n",
                   (long long)*total, t.count(), 1e3 * t.count() / *total);
  return 0;
}

static int run() {
  if (optLevel > 3)
    return fail("-O " + Twine(optLevel) + " is out of range (0 to 3)");
  if (batchSize <= 0)
    return fail("--batch must be positive, got " + Twine(batchSize));
  if (numThreads < 0 || numThreads > 1024)
    return fail("--threads must be in [0, 1024], got " + Twine(numThreads));
  ::slim::runtime::setNumThreads(numThreads);
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();

  if (showHost)
    outs() << "host: " << mlir::slim::JitRunner::describeHost() << "\n";

  DialectRegistry registry;
  mlir::slim::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();

  // --mlir-timing: parsing and each compile stage (the report prints when
  // `timing` goes out of scope).
  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope rootTiming = timing.getRootScope();
  compileTiming = &rootTiming;
  TimingScope parseTiming = rootTiming.nest("parse");

  SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  parseTiming.stop();

  if (!hessianDir.empty() && calibrate.empty())
    return fail("--hessians goes with --calibrate");
  if (hessianMask.getNumOccurrences() && hessianDir.empty())
    return fail("--hessian-mask goes with --hessians");
  if (hessianMask.getNumOccurrences() && hessianMask < 0)
    return fail("--hessian-mask takes an argument number (0 or more)");
  // Checked before the calibration run, which may take long.
  if (!hessianDir.empty())
    if (Error e = ::slim::calibration::Hessians::checkDirectory(hessianDir))
      return fail(toString(std::move(e)));
  if (!calibrate.empty()) {
    if (statsFile.empty())
      return fail("--calibrate needs --stats-file FILE");
    if (!inputs.empty() || !outputs.empty() || repeat > 0)
      return fail("--calibrate does not take --input, --output or --repeat");
    FailureOr<std::unique_ptr<mlir::slim::JitRunner>> runner =
        compile(*module, /*forCalibration=*/true);
    if (failed(runner))
      return 1;
    mlir::slim::CalibrationOptions calibration;
    calibration.data.assign(calibrate.begin(), calibrate.end());
    calibration.batch = batchSize;
    calibration.hessians = !hessianDir.empty();
    calibration.rowMaskArgument = hessianMask;
    bool terminal = sys::Process::StandardErrIsDisplayed();
    if (terminal)
      calibration.progress = mlir::slim::progressBar("calibrating");
    auto start = std::chrono::steady_clock::now();
    Expected<mlir::slim::CalibrationSummary> summary =
        mlir::slim::runCalibration(**runner, calibration);
    if (!summary)
      return fail(toString(summary.takeError()));
    if (!hessianDir.empty())
      if (Error e = summary->hessians.writeDirectory(hessianDir))
        return fail(toString(std::move(e)));
    if (Error e = summary->stats.writeFile(statsFile))
      return fail(toString(std::move(e)));
    std::chrono::duration<double> t = std::chrono::steady_clock::now() - start;
    outs() << format("calibrated %zu observer(s) on %lld sample(s) in %lld "
                     "run(s), %.2f s; statistics written to ",
                     summary->stats.observers.size(),
                     (long long)summary->samples, (long long)summary->runs,
                     t.count())
           << statsFile << "\n";
    return 0;
  }

  if (!samples.empty())
    return runSampleSet(*module);

  // Inputs are read and checked before anything is compiled, so that a bad
  // file is reported without the cost of a compile.
  SmallVector<::slim::NpyArray> arrays;
  for (const std::string &path : inputs) {
    Expected<::slim::NpyArray> a = ::slim::readNpy(path);
    if (!a)
      return fail(toString(a.takeError()));
    arrays.push_back(std::move(*a));
  }

  FailureOr<std::unique_ptr<mlir::slim::JitRunner>> runner =
      compile(*module, /*forCalibration=*/false, arrays);
  if (failed(runner))
    return 1;
  SmallVector<std::string> names(inputs.begin(), inputs.end());
  if (Error e = (*runner)->checkInputs(arrays, names))
    return fail(toString(std::move(e)));
  if (!outputs.empty() && outputs.size() != (*runner)->getResults().size())
    return fail("the entry function has " +
                Twine((*runner)->getResults().size()) + " result(s) but " +
                Twine(outputs.size()) + " --output file(s) were given");

  Expected<SmallVector<::slim::NpyArray>> allocated =
      (*runner)->allocateResults();
  if (!allocated)
    return fail(toString(allocated.takeError()));
  SmallVector<::slim::NpyArray> &results = *allocated;
  if (Error e = (*runner)->run(arrays, results))
    return fail(toString(std::move(e)));

  if (repeat > 0) {
    SmallVector<double> times;
    for (unsigned i = 0; i < repeat; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (Error e = (*runner)->run(arrays, results))
        return fail(toString(std::move(e)));
      std::chrono::duration<double, std::milli> t =
          std::chrono::steady_clock::now() - start;
      times.push_back(t.count());
    }
    std::sort(times.begin(), times.end());
    outs() << format("timing: %u runs, min %.4f ms, median %.4f ms\n",
                     (unsigned)repeat, times.front(), times[times.size() / 2]);
  }

  for (auto [i, path] : llvm::enumerate(outputs))
    if (Error e = ::slim::writeNpy(path, results[i]))
      return fail(toString(std::move(e)));
  if (outputs.empty() || printResults) {
    for (auto [i, r] : llvm::enumerate(results)) {
      outs() << "result " << i << ": " << (*runner)->getResults()[i].type
             << "\n";
      printArray(outs(), r);
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  if (cl::Option *llvmThreads = cl::getRegisteredOptions().lookup("threads"))
    llvmThreads->removeArgument();
  numThreads.setArgStr("threads");
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Slim JIT runner\n");
  int rc = run();
  // Results printed to a full disk or a closed pipe: an error, not an abort.
  if (!::slim::flushStandardOutput("slim-run"))
    return 1;
  return rc;
}
