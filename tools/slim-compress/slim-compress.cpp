//===- slim-compress.cpp - One command from a model to compressed code ----===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim-compress model.onnx|model.mlir[bc] --recipe int8-static
//               --calibration data/ | --calibration sentences.txt
//               --tokenizer tokenizer.json
//               -o model.slim.mlirbc [--report report.html] [-c model.o]
//
// Runs a recipe (Recipe.h: the built-in ones or a YAML/JSON file) on a
// model: imports ONNX through slim-import, fixes the layers' names
// (slim-name-layers), and for each step inserts observers and calibrates
// in-process when the step needs statistics or Gram matrices, runs the
// step's passes restricted to its layers, and merges what they report into
// one per-layer report. Writes the compressed module as bytecode (only when
// every step succeeded), the report, and with -c the object file that
// slim-compile makes of it. docs/compress.md.
//
//===----------------------------------------------------------------------===//

#include "Recipe.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "slim/Conversion/Passes.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/InitAllSlim.h"
#include "slim/Layers/Passes.h"
#include "slim/Layers/Report.h"
#include "slim/LowRank/Passes.h"
#include "slim/Pipelines/Pipelines.h"
#include "slim/Quantization/Passes.h"
#include "slim/Runner/Calibrate.h"
#include "slim/Runner/JitRunner.h"
#include "slim/Support/OutputFile.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
using namespace mlir;
using namespace ::slim::compress;

static cl::OptionCategory category("slim-compress options");
static cl::opt<std::string>
    inputFile(cl::Positional,
              cl::desc("<model.onnx | model.mlir | model.mlirbc>"),
              cl::cat(category));
static cl::opt<std::string> outputFile(
    "o", cl::desc("The compressed module (MLIR bytecode; '-' for stdout)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> recipeName(
    "recipe",
    cl::desc("A built-in recipe (int8-static, int8-integer, int8-dynamic, "
             "int4-weight-only, 2:4+int8, lowrank+int8) or a YAML/JSON "
             "recipe file"),
    cl::init("int8-static"), cl::cat(category));
static cl::list<std::string> calibration(
    "calibration",
    cl::desc("Calibration data: per entry argument a .npy (samples along "
             "dimension 0) or a directory of .npy files (as slim-run "
             "--calibrate); or one directory holding one .npy per argument "
             "(sorted by name); or a text file of sentences with "
             "--tokenizer"),
    cl::value_desc("path"), cl::cat(category));
static cl::opt<std::string> tokenizer(
    "tokenizer",
    cl::desc("A Hugging Face tokenizer.json for a sentences file: the "
             "entry's arguments are then input_ids, attention_mask and, when "
             "it takes a third, token_type_ids"),
    cl::value_desc("tokenizer.json"), cl::cat(category));
static cl::opt<int64_t>
    samples("samples", cl::desc("Calibrate on the first N samples (0: all)"),
            cl::init(0), cl::cat(category));
static cl::opt<int64_t> batchSize(
    "batch",
    cl::desc("Samples per calibration run when the entry's batch dimension "
             "is dynamic"),
    cl::init(1), cl::cat(category));
static cl::opt<int64_t> hessianMask(
    "hessian-mask",
    cl::desc("Argument N (0-based) masks the rows of the Gram matrices "
             "(a transformer's attention mask; the default for sentences: "
             "1); -1: none"),
    cl::init(-2), cl::cat(category));
static cl::opt<std::string>
    reportFile("report", cl::desc("Where to write the per-layer report"),
               cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> reportFormat(
    "report-format",
    cl::desc("json, table (Markdown) or html (one self-contained page); "
             "default: from the report's extension (.html, .md, else json)"),
    cl::cat(category));
static cl::opt<std::string> objectFile(
    "c",
    cl::desc("Also compile the compressed module to this object file "
             "(slim-compile; its C header next to it)"),
    cl::value_desc("model.o"), cl::cat(category));
static cl::list<std::string>
    compileArgs("compile-arg",
                cl::desc("An argument for slim-compile (with -c)"),
                cl::cat(category));
static cl::list<std::string> importArgs(
    "import-arg",
    cl::desc("An argument for slim-import (ONNX input: --input-shape ...)"),
    cl::cat(category));
static cl::opt<std::string> entryName("e", cl::desc("Entry function"),
                                      cl::init("main"), cl::cat(category));
static cl::opt<std::string>
    workDir("work-dir",
            cl::desc("Where the intermediate files go (imported model, tokens, "
                     "statistics, Gram matrices); kept. Default: a temporary "
                     "directory, removed at the end"),
            cl::cat(category));
static cl::opt<cl::boolOrDefault> progress(
    "progress",
    cl::desc("Progress on stderr (default: when stderr is a terminal)"),
    cl::cat(category));
static cl::opt<bool> printRemarks(
    "remarks",
    cl::desc("Print the passes' remarks (per-layer notes; the report has "
             "them too)"),
    cl::cat(category));
static cl::opt<bool>
    printRecipeOnly("print-recipe",
                    cl::desc("Print the recipe as YAML and exit"),
                    cl::cat(category));

/// A per-layer progress line is on the terminal without its newline (the
/// pass's last candidate layer was not its last layer).
static bool progressLinePending = false;

static int fail(const Twine &message) {
  if (progressLinePending)
    errs() << "\n";
  progressLinePending = false;
  WithColor::error(errs(), "slim-compress") << message << "\n";
  return 1;
}

static bool showProgress() {
  if (progress == cl::BOU_UNSET)
    return sys::Process::StandardErrIsDisplayed();
  return progress == cl::BOU_TRUE;
}

namespace {
using Clock = std::chrono::steady_clock;

/// What the steps share.
struct Session {
  MLIRContext *context;
  std::string work;
  /// Per entry argument: the data calibration reads.
  SmallVector<std::string> data;
  int64_t rowMask = -1;
  int64_t calibrationSamples = 0;
  std::shared_ptr<mlir::slim::LayerReport> report;
  Clock::time_point start = Clock::now();

  void status(const Twine &message) const {
    if (!showProgress())
      return;
    if (progressLinePending)
      errs() << "\n";
    progressLinePending = false;
    std::chrono::duration<double> t = Clock::now() - start;
    errs() << format("[%6.1f s] ", t.count()) << message << "\n";
  }
};
} // namespace

/// A tool installed or built next to this one.
static std::string sibling(StringRef name) {
  std::string exe =
      sys::fs::getMainExecutable(nullptr, reinterpret_cast<void *>(&sibling));
  SmallString<256> path(sys::path::parent_path(exe));
  sys::path::append(path, name);
  return std::string(path);
}

/// Runs a sibling tool; its errors go to our stderr, its other output
/// (what it did) too with progress, nowhere without.
static LogicalResult runTool(StringRef name, ArrayRef<std::string> args) {
  std::string tool = sibling(name);
  if (!sys::fs::can_execute(tool)) {
    fail("cannot find " + name + " next to slim-compress (" + tool +
         "); it is in the build tree's bin/");
    return failure();
  }
  SmallVector<StringRef> argv{tool};
  argv.append(args.begin(), args.end());
  std::string message;
  // Never to our stdout, which may be the module (-o -).
  std::optional<StringRef> redirects[] = {
      std::nullopt, StringRef(showProgress() ? "/dev/stderr" : ""),
      std::nullopt};
  int rc =
      sys::ExecuteAndWait(tool, argv, std::nullopt, redirects, 0, 0, &message);
  if (rc != 0) {
    fail(name + " failed" +
         (message.empty() ? Twine(" (exit code ") + Twine(rc) + ")"
                          : Twine(": ") + message));
    return failure();
  }
  return success();
}

static bool hasObservers(ModuleOp module) {
  bool found = false;
  module.walk([&](mlir::slim::ObserveOp) {
    found = true;
    return WalkResult::interrupt();
  });
  return found;
}

/// The bytes of the module's constant tensors (weights, as stored).
static int64_t constantBytes(ModuleOp module) {
  int64_t bytes = 0;
  module.walk([&](Operation *op) {
    if (!op->hasTrait<OpTrait::ConstantLike>() || op->getNumResults() != 1)
      return;
    auto type = dyn_cast<ShapedType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape() ||
        !type.getElementType().isIntOrIndexOrFloat())
      return;
    unsigned bits = type.getElementType().isIndex()
                        ? 64
                        : type.getElementType().getIntOrFloatBitWidth();
    bytes += type.getNumElements() * bits / 8;
  });
  return bytes;
}

static std::string megabytes(int64_t bytes) {
  return formatv("{0:F3} MB", bytes / 1e6).str();
}

/// The text of a pass-options string value: quoted when it holds what the
/// options parser splits on.
static std::string optionValue(StringRef value) {
  if (value.find_first_of(" ,{}[]()'") == StringRef::npos)
    return value.str();
  return ("\"" + value + "\"").str();
}

/// What a step needs calibrated before it runs.
struct Needs {
  bool stats = false;
  bool channelStats = false;
  bool hessians = false;
};

static Needs needsOf(const RecipeStep &step) {
  Needs n;
  StringRef p = step.pipeline;
  n.hessians = step.hessians;
  if (p == "ptq-static")
    n.stats = true;
  if (p == "smooth")
    n.stats = n.channelStats = true;
  if (p == "prune") {
    // The criteria and refinements that read Gram matrices.
    auto nonzero = [&](StringRef key) {
      StringRef v = step.option(key, "0");
      return v != "0" && v != "0.0" && v != "false";
    };
    n.hessians |= is_contained({"wanda", "sparsegpt"},
                               step.option("criterion", "magnitude")) ||
                  nonzero("max-output-error") || nonzero("refit") ||
                  nonzero("bias-correction");
    n.stats = step.option("quantize", "none") == "static";
  }
  if (p == "low-rank")
    n.hessians |= is_contained({"asvd", "svdllm"}, step.option("method"));
  return n;
}

/// The step's options as a pass-options string, with what slim-compress
/// sets (statistics, Gram matrices, skipped layers, report).
static std::string
optionString(const RecipeStep &step, ArrayRef<std::string> skip,
             ArrayRef<std::pair<StringRef, std::string>> extra) {
  std::string text;
  raw_string_ostream os(text);
  for (const RecipeOption &o : step.options)
    os << " " << o.name << "=" << (o.list ? o.text() : optionValue(o.text()));
  if (step.pipeline == "prune" && step.option("quantize").empty())
    os << " quantize=none";
  for (const auto &[key, value] : extra)
    os << " " << key << "=\"" << value << "\"";
  if (!skip.empty()) {
    os << " skip=";
    interleave(
        skip, os, [&](const std::string &p) { os << "\"" << p << "\""; }, ",");
  }
  return text;
}

/// Adds the step's passes to `pm`; errors name the step.
static LogicalResult
addStepPasses(OpPassManager &pm, const RecipeStep &step, StringRef options,
              std::shared_ptr<mlir::slim::LayerReport> report,
              const Twine &where) {
  std::string errors;
  raw_string_ostream es(errors);
  auto bad = [&]() {
    fail(where + ": bad options '" + StringRef(options).trim() + "'" +
         (errors.empty() ? "" : ": " + StringRef(errors).trim()));
    return failure();
  };
  // A pipeline's options parsed from the string, then its passes.
  auto pipeline = [&](auto options_, auto add) {
    if (failed(options_.parseFromString(options, es)))
      return bad();
    add(pm, options_, report);
    return success();
  };
  StringRef p = step.pipeline;
  if (p == "ptq-static") {
    return pipeline(mlir::slim::PtqStaticOptions(),
                    mlir::slim::addPtqStaticPasses);
  } else if (p == "ptq-dynamic") {
    return pipeline(mlir::slim::PtqDynamicOptions(),
                    mlir::slim::addPtqDynamicPasses);
  } else if (p == "weight-only") {
    return pipeline(mlir::slim::WeightOnlyOptions(),
                    mlir::slim::addWeightOnlyPasses);
  } else if (p == "prune") {
    mlir::slim::SparsifyOptions o;
    if (failed(o.parseFromString(options, es)))
      return bad();
    if (failed(mlir::slim::addSparsifyPasses(pm, o, report))) {
      errors = "unknown quantize='" + o.quantize + "'";
      return bad();
    }
  } else {
    std::unique_ptr<Pass> pass =
        p == "low-rank" ? mlir::slim::createSlimLowRankPass()
                        : mlir::slim::createSlimSmoothActivationsPass();
    if (failed(pass->initializeOptions(options, [&](const Twine &m) {
          es << m;
          return failure();
        })))
      return bad();
    pm.addPass(std::move(pass));
    pm.addPass(createCanonicalizerPass());
  }
  return success();
}

/// Calibrates the current module: statistics (and Gram matrices) of its
/// observers on the session's data, written to the work directory.
static LogicalResult calibrate(ModuleOp module, Session &s, StringRef stats,
                               StringRef hessians) {
  OwningOpRef<ModuleOp> copy = module.clone();
  mlir::slim::JitRunnerOptions options;
  options.entry = entryName;
  options.calibrate = true;
  FailureOr<std::unique_ptr<mlir::slim::JitRunner>> runner =
      mlir::slim::JitRunner::compile(*copy, options);
  if (failed(runner))
    return failure();
  mlir::slim::CalibrationOptions c;
  c.data = s.data;
  c.batch = batchSize;
  c.limit = samples;
  c.hessians = !hessians.empty();
  c.rowMaskArgument = c.hessians ? s.rowMask : -1;
  if (showProgress())
    c.progress = mlir::slim::progressBar("  calibrating");
  Expected<mlir::slim::CalibrationSummary> summary =
      mlir::slim::runCalibration(**runner, c);
  if (!summary)
    return fail(toString(summary.takeError())), failure();
  s.calibrationSamples = summary->samples;
  if (Error e = summary->stats.writeFile(stats))
    return fail(toString(std::move(e))), failure();
  if (!hessians.empty())
    if (Error e = summary->hessians.writeDirectory(hessians))
      return fail(toString(std::move(e))), failure();
  return success();
}

/// The low-rank pass's own report, merged into the layers' entries.
static LogicalResult mergeLowRankReport(StringRef path,
                                        mlir::slim::LayerReport &report) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(path);
  if (!file)
    return success(); // nothing factorized: no file
  Expected<json::Value> value = json::parse((*file)->getBuffer());
  if (!value)
    return fail("cannot read " + path + ": " + toString(value.takeError())),
           failure();
  const json::Object *root = value->getAsObject();
  const json::Array *layers = root ? root->getArray("layers") : nullptr;
  if (!layers)
    return success();
  for (const json::Value &v : *layers) {
    const json::Object *entry = v.getAsObject();
    std::optional<StringRef> name =
        entry ? entry->getString("layer") : std::nullopt;
    if (name)
      report.set(*name, "low_rank", json::Object(*entry));
  }
  return success();
}

/// Merges a step's report into the recipe's: only the layers the step
/// selected (it saw the others as skipped); a layer the step's own `skip:`
/// left alone is reported skipped only if no step did anything to it; a
/// layer the step worked on loses an earlier step's skipped or unfused
/// verdict. A layer the step made (a factor) is marked `added_by`, so that
/// the totals count the input model's layers before and the result's after.
static void mergeStepReport(const mlir::slim::LayerReport &step,
                            const RecipeStep &recipeStep,
                            const llvm::StringSet<> &selected,
                            mlir::slim::LayerReport &total) {
  static constexpr StringLiteral kWork[] = {
      "weight", "integer_op", "pruning", "low_rank", "input", "unfused"};
  for (StringRef layer : step.getLayerNames()) {
    if (!recipeStep.layers.empty() && !selected.contains(layer))
      continue;
    const json::Object *found = step.lookup(layer);
    const json::Object *before = total.lookup(layer);
    if (found->get("skipped")) {
      bool worked = before && llvm::any_of(kWork, [&](StringRef key) {
                      return before->get(key) != nullptr;
                    });
      if (!worked)
        total.mergeFrom(step, [&](StringRef l) { return l == layer; });
      continue;
    }
    // An embedding table (not a layer, so not in the report until a step
    // quantized it) was in the input model; a new layer was made.
    if (!before && found->getString("op") != "embedding")
      total.set(layer, "added_by", recipeStep.pipeline);
    else if (llvm::any_of(kWork, [&](StringRef key) {
               return found->get(key) != nullptr;
             })) {
      total.erase(layer, "skipped");
      total.erase(layer, "unfused");
    }
    total.mergeFrom(step, [&](StringRef l) { return l == layer; });
  }
}

static LogicalResult runStep(ModuleOp module, const RecipeStep &step,
                             size_t index, size_t count, Session &s) {
  std::string where =
      formatv("recipe step {0} ({1})", index + 1, step.pipeline).str();
  s.status(formatv("step {0}/{1}: {2}", index + 1, count, step.pipeline));
  // The layers (and embedding tables) the step selects; the others are
  // skipped by exact name.
  MapVector<Operation *, std::string> names = mlir::slim::nameLayers(module);
  for (auto &[op, name] : mlir::slim::nameEmbeddings(module))
    names[op] = name;
  SmallVector<std::string> skip(step.skip.begin(), step.skip.end());
  llvm::StringSet<> selected;
  for (const auto &[op, name] : names)
    selected.insert(name);
  if (!step.layers.empty()) {
    selected.clear();
    for (const std::string &pattern : step.layers) {
      Regex regex("^(" + pattern + ")$");
      std::string error;
      if (!regex.isValid(error))
        return fail(where + ": layers pattern '" + pattern +
                    "' is not a regular expression: " + error),
               failure();
      bool matched = false;
      for (const auto &[op, name] : names)
        if (regex.match(name))
          matched = true, selected.insert(name);
      if (!matched)
        return fail(where + ": layers pattern '" + pattern +
                    "' matches no layer (layers are named like " +
                    (names.empty() ? std::string("main/linalg.matmul#0")
                                   : names.front().second) +
                    "; --report lists them)"),
               failure();
    }
    for (const auto &[op, name] : names)
      if (!selected.contains(name))
        skip.push_back(Regex::escape(name));
  }

  Needs needs = needsOf(step);
  SmallVector<std::pair<StringRef, std::string>> extra;
  std::string stem =
      (Twine(s.work) + "/step" + Twine(index + 1) + "-" + step.pipeline).str();
  if (needs.stats || needs.hessians) {
    if (s.data.empty())
      return fail(where + " needs calibration data: --calibration"), failure();
    // Fresh observers on the model as the previous steps left it: a step
    // that rewrote layers (factors, fused ops) has activations the old
    // observers do not see.
    {
      mlir::slim::SlimInsertObserversPassOptions observe;
      observe.granularity = needs.channelStats ? "channel" : "tensor";
      mlir::PassManager pm(s.context);
      if (hasObservers(module))
        pm.addPass(mlir::slim::createSlimLowerObserversPass());
      pm.addPass(mlir::slim::createSlimInsertObserversPass(observe));
      if (failed(pm.run(module)))
        return failure();
    }
    std::string stats = stem + "-stats.json";
    std::string hessians = needs.hessians ? stem + "-hessians" : "";
    s.status("  calibrating" + Twine(needs.hessians
                                         ? " (statistics and Gram matrices)"
                                         : " (statistics)"));
    if (failed(calibrate(module, s, stats, hessians)))
      return failure();
    if (needs.stats)
      extra.push_back({"stats", stats});
    if (needs.hessians)
      extra.push_back({"hessians", hessians});
  }
  std::string lowRankReport;
  if (step.pipeline == "low-rank") {
    lowRankReport = stem + "-report.json";
    extra.push_back({"report", lowRankReport});
  }

  auto stepReport = std::make_shared<mlir::slim::LayerReport>();
  mlir::PassManager pm(s.context);
  std::string options = optionString(step, skip, extra);
  if (failed(addStepPasses(pm, step, options, stepReport, where)))
    return failure();
  s.status("  running " + step.pipeline);
  if (failed(pm.run(module)))
    return fail(where + " failed (the diagnostics above say why)"), failure();
  if (!lowRankReport.empty() &&
      failed(mergeLowRankReport(lowRankReport, *stepReport)))
    return failure();
  // Layers the step made (a factorization's factors) enter the report
  // with their costs as made.
  MapVector<Operation *, std::string> made;
  for (const auto &[op, name] : mlir::slim::nameLayers(module))
    if (!s.report->lookup(name))
      made[op] = name;
  s.report->addLayers(made);
  for (const auto &[op, name] : made)
    s.report->set(name, "added_by", step.pipeline);
  mergeStepReport(*stepReport, step, selected, *s.report);
  return success();
}

/// The data calibration reads, per entry argument.
static LogicalResult prepareData(ModuleOp module, Session &s) {
  if (calibration.empty())
    return success();
  auto entry = module.lookupSymbol<func::FuncOp>(entryName);
  if (!entry)
    return fail("the module has no entry function '" + entryName + "' (-e)"),
           failure();
  unsigned numArgs = entry.getNumArguments();
  // Sentences: tokenized into the work directory.
  if (calibration.size() == 1 && !sys::fs::is_directory(calibration[0]) &&
      !StringRef(calibration[0]).ends_with(".npy")) {
    if (tokenizer.empty())
      return fail("--calibration " + calibration[0] +
                  " is a text file: it needs --tokenizer tokenizer.json "
                  "(or give .npy data)"),
             failure();
    if (numArgs < 2 || numArgs > 3)
      return fail("sentences calibrate an entry that takes input_ids, "
                  "attention_mask and optionally token_type_ids; '" +
                  entryName + "' takes " + Twine(numArgs) + " argument(s)"),
             failure();
    // The sequence length: the ids argument's static second dimension.
    auto ids = dyn_cast<RankedTensorType>(entry.getArgumentTypes()[0]);
    if (!ids || ids.getRank() != 2 || ids.isDynamicDim(1))
      return fail("sentences need the entry's input_ids as a [batch, "
                  "tokens] tensor with a static token count"),
             failure();
    std::string dir = s.work + "/tokens";
    std::vector<std::string> args{tokenizer, calibration[0], dir, "--seq",
                                  std::to_string(ids.getDimSize(1))};
    if (samples > 0)
      args.insert(args.end(), {"--limit", std::to_string(samples)});
    s.status("tokenizing " + calibration[0]);
    if (failed(runTool("slim-tokenize", args)))
      return failure();
    for (StringRef name : {"input_ids", "attention_mask", "token_type_ids"})
      if (s.data.size() < numArgs)
        s.data.push_back((dir + "/" + name + ".npy").str());
    if (hessianMask == -2)
      s.rowMask = 1;
  } else if (!tokenizer.empty()) {
    return fail("--tokenizer goes with a sentences file as --calibration"),
           failure();
  } else if (calibration.size() == 1 && numArgs > 1) {
    // One directory, one entry per argument.
    std::error_code ec;
    SmallVector<std::string> entries;
    for (sys::fs::directory_iterator it(calibration[0], ec), end;
         it != end && !ec; it.increment(ec))
      entries.push_back(it->path());
    if (ec)
      return fail("cannot read " + calibration[0] + ": " + ec.message()),
             failure();
    llvm::sort(entries);
    if (entries.size() != numArgs)
      return fail("--calibration " + calibration[0] + " holds " +
                  Twine(entries.size()) + " entries, but '" + entryName +
                  "' takes " + Twine(numArgs) +
                  " arguments: give one .npy (or directory) per argument, "
                  "in argument order by name, or --calibration once per "
                  "argument"),
             failure();
    s.data.assign(entries.begin(), entries.end());
  } else {
    if (calibration.size() != numArgs)
      return fail("'" + entryName + "' takes " + Twine(numArgs) +
                  " argument(s) but --calibration was given " +
                  Twine(calibration.size()) + " time(s)"),
             failure();
    s.data.assign(calibration.begin(), calibration.end());
  }
  if (hessianMask != -2)
    s.rowMask = hessianMask;
  if (s.rowMask >= static_cast<int64_t>(numArgs))
    return fail("--hessian-mask " + Twine(s.rowMask) + ": '" + entryName +
                "' takes " + Twine(numArgs) + " argument(s)"),
           failure();
  return success();
}

static std::string defaultReportFormat(StringRef path) {
  if (path.ends_with(".html") || path.ends_with(".htm"))
    return "html";
  if (path.ends_with(".md"))
    return "table";
  return "json";
}

static int compress() {
  Expected<Recipe> recipe = loadRecipe(recipeName);
  if (!recipe) {
    std::string message = toString(recipe.takeError());
    errs() << message << "\n";
    return 1;
  }
  if (printRecipeOnly) {
    outs() << printRecipe(*recipe);
    return 0;
  }
  if (inputFile.empty())
    return fail("no model given (slim-compress MODEL -o OUT; --help)");
  if (outputFile.empty())
    return fail("no output given (-o FILE)");
  std::string format =
      reportFormat.empty() ? defaultReportFormat(reportFile) : reportFormat;
  if (!mlir::slim::LayerReport::isFormat(format))
    return fail("unknown --report-format '" + format +
                "' (expected json, table or html)");
  if (!reportFormat.empty() && reportFile.empty())
    return fail("--report-format goes with --report FILE");
  if (!compileArgs.empty() && objectFile.empty())
    return fail("--compile-arg goes with -c");
  if (samples < 0)
    return fail("--samples takes a count (0: all)");
  if (batchSize < 1)
    return fail("--batch takes a count of at least 1");
  if (hessianMask < -2)
    return fail("--hessian-mask takes an argument number (or -1: none)");
  if (!objectFile.empty() && outputFile == "-")
    return fail("-c needs the module in a file (-o FILE)");

  // The work directory.
  Session session;
  bool temporary = workDir.empty();
  if (temporary) {
    SmallString<128> dir;
    if (std::error_code ec =
            sys::fs::createUniqueDirectory("slim-compress", dir))
      return fail("cannot make a work directory: " + ec.message());
    session.work = std::string(dir);
  } else {
    session.work = workDir;
    if (std::error_code ec = sys::fs::create_directories(session.work))
      return fail("cannot make the work directory " + session.work + ": " +
                  ec.message());
  }
  llvm::scope_exit cleanup([&] {
    if (temporary)
      sys::fs::remove_directories(session.work);
  });

  DialectRegistry registry;
  mlir::slim::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  session.context = &context;

  // The model: ONNX through slim-import.
  std::string modelPath = inputFile;
  if (StringRef(inputFile).ends_with(".onnx")) {
    modelPath = session.work + "/imported.mlirbc";
    std::vector<std::string> args{inputFile,  "-o",      modelPath, "--emit",
                                  "bytecode", "--entry", entryName};
    args.insert(args.end(), importArgs.begin(), importArgs.end());
    session.status("importing " + inputFile);
    if (failed(runTool("slim-import", args)))
      return 1;
  } else if (!importArgs.empty()) {
    return fail("--import-arg goes with an .onnx model");
  }
  std::string error;
  std::unique_ptr<MemoryBuffer> buffer = openInputFile(modelPath, &error);
  if (!buffer)
    return fail(error);
  SourceMgr sources;
  sources.AddNewSourceBuffer(std::move(buffer), SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sources, &context);
  context.printOpOnDiagnostic(false);
  // Remarks (one or more per layer) only when asked for.
  ScopedDiagnosticHandler quietRemarks(
      &context, [](Diagnostic &d) -> LogicalResult {
        return success(d.getSeverity() == mlir::DiagnosticSeverity::Remark &&
                       !printRemarks);
      });
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sources, &context);
  if (!module)
    return 1;
  auto entry = module->lookupSymbol<func::FuncOp>(entryName);
  if (!entry)
    return fail("the module has no entry function '" + entryName + "' (-e)");
  // Checked now rather than after the recipe ran.
  if (!objectFile.empty())
    for (mlir::Type t : entry.getArgumentTypes())
      if (auto shaped = dyn_cast<ShapedType>(t);
          shaped && !shaped.hasStaticShape())
        return fail("-c compiles ahead of time, which needs the entry's "
                    "arguments to have static shapes; '" +
                    entryName + "' takes " + llvm::formatv("{0}", t).str());

  // Every step's options checked before anything long runs.
  for (auto [i, step] : llvm::enumerate(recipe->steps)) {
    OpPassManager probe(ModuleOp::getOperationName());
    SmallVector<std::pair<StringRef, std::string>> extra;
    Needs needs = needsOf(step);
    if (needs.stats)
      extra.push_back({"stats", "x"});
    if (needs.hessians)
      extra.push_back({"hessians", "x"});
    if ((needs.stats || needs.hessians) && calibration.empty())
      return fail(formatv("recipe step {0} ({1}) needs calibration data: "
                          "--calibration",
                          i + 1, step.pipeline)
                      .str());
    if (failed(addStepPasses(
            probe, step, optionString(step, {}, extra), nullptr,
            formatv("recipe step {0} ({1})", i + 1, step.pipeline))))
      return 1;
  }
  if (failed(prepareData(*module, session)))
    return 1;

  // The passes' per-layer work (GPTQ, pruning, factorization) as a bar.
  if (showProgress())
    context.registerActionHandler(
        [](llvm::function_ref<void()> work, const tracing::Action &action) {
          // "  slim-prune: layer 3 of 36, main/linalg.matmul#2", redrawn.
          if (auto *layer = dyn_cast<mlir::slim::LayerWorkAction>(&action)) {
            std::string name;
            if (auto *op = dyn_cast_if_present<Operation *>(
                    layer->getContextIRUnits().front()))
              if (auto attr =
                      op->getAttrOfType<StringAttr>(mlir::slim::kLayerNameAttr))
                name = (", " + attr.getValue()).str();
            errs() << "\r  " << layer->pass << ": layer " << layer->index + 1
                   << " of " << layer->total << name << "\x1b[K";
            progressLinePending = layer->index + 1 != layer->total;
            if (!progressLinePending)
              errs() << "\n";
          }
          work();
        });
  session.report = std::make_shared<mlir::slim::LayerReport>();
  int64_t bytesBefore = constantBytes(*module);
  {
    mlir::PassManager pm(&context);
    pm.addPass(mlir::slim::createSlimNameLayersPass());
    if (failed(pm.run(*module)))
      return 1;
    session.report->addLayers(mlir::slim::nameLayers(*module));
  }
  for (auto [i, step] : llvm::enumerate(recipe->steps))
    if (failed(runStep(*module, step, i, recipe->steps.size(), session)))
      return 1;
  {
    // Observers a step left (pruning, low rank, GPTQ read them) go.
    mlir::PassManager pm(&context);
    pm.addPass(mlir::slim::createSlimLowerObserversPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createSymbolDCEPass());
    if (failed(pm.run(*module)))
      return 1;
  }

  // The report, then the module (so that a report that cannot be written
  // leaves no module either), then the object.
  std::string bytes;
  raw_string_ostream os(bytes);
  if (failed(writeBytecodeToFile(*module, os)))
    return fail("cannot write the module as bytecode");
  int64_t bytesAfter = constantBytes(*module);
  if (!reportFile.empty()) {
    uint64_t inputBytes = 0;
    (void)sys::fs::file_size(inputFile, inputBytes);
    json::Object summary{
        {"input", inputFile},
        {"recipe", recipe->name.empty() ? recipeName.getValue() : recipe->name},
        {"input_bytes", static_cast<int64_t>(inputBytes)},
        {"output_bytes", static_cast<int64_t>(bytes.size())},
        {"constant_bytes_before", bytesBefore},
        {"constant_bytes_after", bytesAfter}};
    if (session.calibrationSamples)
      summary["calibration_samples"] = session.calibrationSamples;
    session.report->setSummary("model", std::move(summary));
    if (Error e = session.report->write(reportFile, format))
      return fail(toString(std::move(e)));
  }
  if (Error e = ::slim::writeFile(outputFile, bytes)) {
    if (!reportFile.empty() && reportFile != "-")
      sys::fs::remove(reportFile);
    return fail(toString(std::move(e)));
  }
  session.status("wrote " + outputFile + " (" + megabytes(bytes.size()) +
                 "; constants " + megabytes(bytesBefore) + " -> " +
                 megabytes(bytesAfter) + ")");
  if (!objectFile.empty()) {
    std::vector<std::string> args{outputFile, "-o", objectFile, "-e",
                                  entryName};
    args.insert(args.end(), compileArgs.begin(), compileArgs.end());
    session.status("compiling " + objectFile);
    if (failed(runTool("slim-compile", args)))
      return 1;
  }
  session.status("done");
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  mlir::slim::registerAllPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "slim-compress: a model in, its compressed module (and report, and "
      "object file) out\n");
  return compress();
}
