//===- slim-compile.cpp - Compile a model ahead of time -------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// slim-compile model.mlir -o model.o [--shared] writes the model as an
// object file (or a shared library with the runtime linked in) with its
// weights inside, and a C header that declares its API: the shapes and
// dtypes of its inputs and outputs, load (which checks the CPU), run on
// caller-provided buffers, free. The code is Slim's CPU pipeline, the same
// that slim-run JIT-compiles, for the host or for --target-cpu /
// --target-features.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "slim/Codegen/Target.h"
#include "slim/Dialect/Slim/IR/SlimDialect.h"
#include "slim/Runner/JitRunner.h"
#include "slim/Runtime/Kernels.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace llvm;

static cl::OptionCategory category("slim-compile options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::Required,
                                       cl::cat(category));
static cl::opt<bool>
    shared("shared",
           cl::desc("Write a shared library with Slim's runtime linked in "
                    "(default: an object file)"),
           cl::cat(category));
static cl::opt<std::string>
    headerFile("header",
               cl::desc("The C header to write (default: the output with "
                        "its extension replaced by .h)"),
               cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string>
    modelName("name",
              cl::desc("Prefix of the C API's names (default: the output's "
                       "file name without extension)"),
              cl::cat(category));
static cl::opt<std::string> entryName("e", cl::desc("Entry function"),
                                      cl::init("main"), cl::cat(category));
static cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("CPU to compile for, as LLVM names it (default: the "
                       "host's)"),
              cl::cat(category));
static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("Features to compile for, LLVM's '+avx2,+fma' (default: the "
             "host's, or the CPU's own with --target-cpu)"),
    cl::cat(category));
static cl::opt<std::string>
    kernelIsa("isa",
              cl::desc("Micro-kernel ISA (default: the best the target's "
                       "features run)"),
              cl::cat(category));
static cl::opt<int64_t> parallelWork(
    "parallel-work",
    cl::desc("Loop nests of at least this many iterations run on threads "
             "(OpenMP regions on the runtime's thread count; 0: none)"),
    cl::init(mlir::slim::CodegenOptions().parallelWork), cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::cat(category));

static std::string typeString(mlir::Type t) {
  std::string s;
  raw_string_ostream os(s);
  os << t;
  return s;
}

static int fail(const Twine &msg) {
  WithColor::error(errs(), "slim-compile") << msg << "\n";
  return 1;
}

/// A C identifier from a file name: letters, digits and underscores.
static std::string identifierFrom(StringRef text) {
  std::string id;
  for (char c : text)
    id += isAlnum(c) ? c : '_';
  if (id.empty() || isDigit(id.front()))
    id.insert(0, "model_");
  return id;
}

/// The C type of a boundary dtype.
static StringRef cTypeName(mlir::slim::NpyDType type) {
  switch (type) {
  case mlir::slim::NpyDType::F16:
    return "uint16_t";
  case mlir::slim::NpyDType::F32:
    return "float";
  case mlir::slim::NpyDType::F64:
    return "double";
  case mlir::slim::NpyDType::I8:
    return "int8_t";
  case mlir::slim::NpyDType::U8:
    return "uint8_t";
  case mlir::slim::NpyDType::I16:
    return "int16_t";
  case mlir::slim::NpyDType::U16:
    return "uint16_t";
  case mlir::slim::NpyDType::I32:
    return "int32_t";
  case mlir::slim::NpyDType::I64:
    return "int64_t";
  }
  return "void";
}

/// Adds `<name>_entry(inputs, outputs)`: the lowered entry called on
/// buffers given as two arrays of pointers (identity layouts, so each
/// memref descriptor is the pointer, offset 0, the static sizes and the
/// row-major strides), and `<name>_cpu_features`, the features the code
/// was compiled for.
static LogicalResult addCEntry(ModuleOp module, StringRef name,
                               const mlir::slim::LoweredEntry &entry,
                               StringRef features) {
  MLIRContext *ctx = module.getContext();
  auto callee =
      module.lookupSymbol<LLVM::LLVMFuncOp>(mlir::slim::loweredEntryName());
  if (!callee)
    return module.emitError("the lowered entry is missing");
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  Location loc = module.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i64 = b.getI64Type();
  auto fnType =
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, ptr});
  auto fn = LLVM::LLVMFuncOp::create(b, loc, (name + "_entry").str(), fnType);
  Block *body = fn.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  SmallVector<mlir::Value> args;
  auto addBuffers = [&](mlir::Value array,
                        ArrayRef<mlir::slim::BoundaryValue> vs) {
    for (auto [i, v] : llvm::enumerate(vs)) {
      mlir::Value slot = LLVM::GEPOp::create(
          b, loc, ptr, ptr, array, ArrayRef<LLVM::GEPArg>{int32_t(i)});
      mlir::Value data = LLVM::LoadOp::create(b, loc, ptr, slot);
      args.append({data, data});
      auto constant = [&](int64_t c) -> mlir::Value {
        return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(c));
      };
      args.push_back(constant(0));
      ArrayRef<int64_t> shape = v.type.getShape();
      for (int64_t d : shape)
        args.push_back(constant(d));
      SmallVector<int64_t> strides(shape.size(), 1);
      for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * shape[d + 1];
      for (int64_t s : strides)
        args.push_back(constant(s));
    }
  };
  addBuffers(body->getArgument(0), entry.arguments);
  addBuffers(body->getArgument(1), entry.results);
  if (args.size() != callee.getNumArguments())
    return module.emitError("the lowered entry takes ")
           << callee.getNumArguments() << " arguments, expected "
           << args.size();
  LLVM::CallOp::create(b, loc, callee, args);
  LLVM::ReturnOp::create(b, loc, ValueRange());

  // What the code calls by MLIR's names (strided copies, buffers) is the
  // runtime's under its own C names: the object links with the runtime
  // alone.
  for (const ::slim::runtime::GeneratedCodeSymbol &s :
       ::slim::runtime::getGeneratedCodeSymbols()) {
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(s.calledName);
    if (!callee || StringRef(s.calledName) == s.runtimeName)
      continue;
    StringAttr renamed = b.getStringAttr(s.runtimeName);
    if (failed(SymbolTable::replaceAllSymbolUses(callee, renamed, module)))
      return module.emitError("cannot rename ") << s.calledName;
    callee.setSymName(renamed.getValue());
  }

  // Only the C API is visible: the model's own functions (its entry may be
  // called main) stay inside the object.
  for (auto other : module.getOps<LLVM::LLVMFuncOp>())
    if (other != fn && !other.isExternal())
      other.setLinkage(LLVM::Linkage::Internal);

  // The features, NUL-terminated, for the load-time check.
  b.setInsertionPointToEnd(module.getBody());
  std::string text = features.str();
  text.push_back('\0');
  auto arrayType = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
  LLVM::GlobalOp::create(b, loc, arrayType, /*isConstant=*/true,
                         LLVM::Linkage::External,
                         (name + "_cpu_features").str(), b.getStringAttr(text));
  return success();
}

/// Writes the C header of the model's API.
static void writeHeader(raw_ostream &os, StringRef name,
                        const mlir::slim::LoweredEntry &entry, StringRef cpu,
                        StringRef isa) {
  std::string guard = name.upper() + "_H";
  os << "/* " << name << ".h: the C API of a model compiled by slim-compile\n"
     << " * (CPU " << cpu << ", micro-kernels " << isa << "). Link "
     << (shared ? "the shared library"
                : "the object with libSlimRuntime.a, "
                  "libomp, libstdc++ and libm")
     << ".\n *\n"
     << " *   char error[256];\n"
     << " *   " << name << "_model *m = " << name
     << "_load(error, sizeof error);   // NULL: see error\n"
     << " *   " << name
     << "_run(m, inputs, outputs);  // arrays of pointers "
        "to the buffers\n"
     << " *   " << name << "_free(m);\n */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#include \"slim/Runtime/Model.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto describe = [&](StringRef kind,
                      ArrayRef<mlir::slim::BoundaryValue> values) {
    std::string upper = kind.upper();
    os << "enum { " << name.upper() << "_NUM_" << upper
       << "S = " << values.size() << ", " << name << "_num_" << kind
       << "s = " << values.size() << " };\n";
    for (auto [i, v] : llvm::enumerate(values)) {
      ArrayRef<int64_t> shape = v.type.getShape();
      int64_t count = 1;
      for (int64_t d : shape)
        count *= d;
      os << "/* " << kind << " " << i << ": " << ::slim::npyTypeName(v.dtype)
         << " [";
      llvm::interleaveComma(shape, os);
      os << "] */\n";
      os << "typedef " << cTypeName(v.dtype) << " " << name << "_" << kind << i
         << "_t;\n";
      os << "static const int64_t " << name << "_" << kind << i
         << "_shape[] = {";
      if (shape.empty())
        os << "1";
      llvm::interleaveComma(shape, os);
      os << "};\n";
      os << "enum { " << name.upper() << "_" << upper << i
         << "_RANK = " << shape.size() << ", " << name.upper() << "_" << upper
         << i << "_ELEMENTS = " << count << " };\n";
    }
    // The same, indexed: for code that loops over the buffers.
    auto table = [&](StringRef type, StringRef what, auto value) {
      os << "static const " << type << " " << name << "_" << kind << "_" << what
         << "[] = {";
      if (values.empty())
        os << "0";
      for (auto [i, v] : llvm::enumerate(values))
        os << (i ? ", " : "") << value(i, v);
      os << "};\n";
    };
    table("int", "ranks", [](size_t, const mlir::slim::BoundaryValue &v) {
      return std::to_string(v.type.getRank());
    });
    table("int64_t *const", "shapes",
          [&](size_t i, const mlir::slim::BoundaryValue &) {
            return (name + "_" + kind + Twine(i) + "_shape").str();
          });
    table("char *const", "dtypes",
          [](size_t, const mlir::slim::BoundaryValue &v) {
            return ("\"" + ::slim::npyTypeName(v.dtype) + "\"").str();
          });
    table("size_t", "bytes", [](size_t, const mlir::slim::BoundaryValue &v) {
      int64_t n = ::slim::npyElementSize(v.dtype);
      for (int64_t d : v.type.getShape())
        n *= d;
      return std::to_string(n);
    });
    os << "\n";
  };
  describe("input", entry.arguments);
  describe("output", entry.results);
  os << "/* The features the code was compiled for (LLVM's spelling). */\n"
     << "extern const char " << name << "_cpu_features[];\n"
     << "/* The compiled model: inputs[i] points to input i's elements, "
        "outputs[i]\n * to room for output i's (row-major, as the shapes "
        "above). */\n"
     << "void " << name
     << "_entry(const void *const *inputs, void *const *outputs);\n\n"
     << "/* The model holds no state of its own: its weights are constants "
        "of the\n * code, its scratch the runtime's per thread. */\n"
     << "typedef struct " << name << "_model { int loaded; } " << name
     << "_model;\n\n"
     << "/* NULL, with a message in error, on a CPU without the features "
        "the\n * model was compiled for. */\n"
     << "static inline " << name << "_model *" << name
     << "_load(char *error, size_t size) {\n"
     << "  static " << name << "_model model = {1};\n"
     << "  if (slim_rt_check_cpu(" << name << "_cpu_features, error, size))\n"
     << "    return NULL;\n"
     << "  return &model;\n}\n\n"
     << "/* 0 on success; -1 without a loaded model. */\n"
     << "static inline int " << name << "_run(" << name
     << "_model *model, const void *const *inputs,\n"
     << "    void *const *outputs) {\n"
     << "  if (!model)\n    return -1;\n"
     << "  " << name << "_entry(inputs, outputs);\n  return 0;\n}\n\n"
     << "static inline void " << name << "_free(" << name
     << "_model *model) { (void)model; }\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}

/// The host's features in LLVM's "+a,-b" form.
static std::string hostFeatures() {
  std::vector<std::string> entries;
  for (const auto &f : sys::getHostCPUFeatures())
    entries.push_back((f.second ? "+" : "-") + f.first().str());
  llvm::sort(entries);
  return llvm::join(entries, ",");
}

/// The enabled features of a "+a,-b" list, as a map for cpuSupports.
static StringMap<bool> featureMap(StringRef features) {
  StringMap<bool> map;
  SmallVector<StringRef> entries;
  features.split(entries, ',', -1, /*KeepEmpty=*/false);
  for (StringRef e : entries)
    if (e.size() > 1)
      map[e.drop_front()] = e.front() == '+';
  return map;
}

/// Slim's runtime library: next to this tool's bin/, in the installed
/// prefix's library directory or the build tree's lib/, else where the
/// build put it.
static std::string runtimeLibrary() {
  std::string exe = sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&runtimeLibrary));
  if (!exe.empty()) {
    StringRef prefix = sys::path::parent_path(sys::path::parent_path(exe));
    for (StringRef dir : {StringRef(SLIM_INSTALL_LIBDIR), StringRef("lib")}) {
      SmallString<256> path(prefix);
      sys::path::append(path, dir, "libSlimRuntime.a");
      if (sys::fs::exists(path))
        return std::string(path);
    }
  }
  return SLIM_RUNTIME_LIBRARY;
}

/// Links `object` and Slim's runtime into a shared library.
static int linkShared(StringRef object, StringRef output) {
  std::string runtime = runtimeLibrary();
  ErrorOr<std::string> driver = sys::findProgramByName(SLIM_LINKER_DRIVER);
  if (!driver)
    return fail("cannot find the linker driver '" SLIM_LINKER_DRIVER
                "' to make a shared library");
  SmallVector<StringRef> args{*driver, "-shared",
                              "-o",    output,
                              object,  "-Wl,--whole-archive",
                              runtime, "-Wl,--no-whole-archive"};
  SmallVector<StringRef> extra;
  SplitString(SLIM_RUNTIME_LINK_FLAGS, extra);
  args.append(extra.begin(), extra.end());
  args.append({"-lstdc++", "-lm"});
  std::string message;
  int rc = sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0)
    return fail("linking the shared library failed" +
                (message.empty() ? Twine("") : ": " + Twine(message)));
  return 0;
}

static int compile() {
  if (optLevel > 3)
    return fail("-O " + Twine(optLevel) + " is out of range (0 to 3)");
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();

  DialectRegistry registry;
  mlir::slim::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  // The target: the host, or what the options name.
  std::string triple = sys::getDefaultTargetTriple();
  // Features alone describe a generic x86-64 with those features.
  std::string cpu = !targetCpu.empty()       ? targetCpu.getValue()
                    : targetFeatures.empty() ? sys::getHostCPUName().str()
                                             : std::string("x86-64");
  std::string features = targetFeatures;
  if (features.empty() && targetCpu.empty())
    features = hostFeatures();
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(Triple(triple), error);
  if (!target)
    return fail("no target for " + triple + ": " + error);
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(
      Triple(triple), cpu, features, TargetOptions(), Reloc::PIC_, std::nullopt,
      static_cast<CodeGenOptLevel>(optLevel.getValue())));
  if (!tm)
    return fail("cannot make a target machine for CPU '" + cpu + "'");
  // The features the code may use: the CPU's own and the listed ones.
  std::vector<std::string> enabled;
  for (const auto &kv : tm->getMCSubtargetInfo()->getAllProcessorFeatures())
    if (tm->getMCSubtargetInfo()->checkFeatures("+" + std::string(kv.Key)))
      enabled.push_back("+" + std::string(kv.Key));
  std::string allFeatures = llvm::join(enabled, ",");

  // The micro-kernels: named, or the best the features run.
  std::string isa = kernelIsa;
  if (isa.empty()) {
    if (targetCpu.empty() && targetFeatures.empty()) {
      isa = ::slim::runtime::isaName(mlir::slim::codegen::bestHostIsa());
    } else {
      StringMap<bool> map = featureMap(allFeatures);
      isa = "generic";
      for (int i = ::slim::runtime::kNumIsas - 1; i > 0; --i)
        if (mlir::slim::codegen::cpuSupports(
                map, static_cast<::slim::runtime::Isa>(i))) {
          isa = ::slim::runtime::isaName(static_cast<::slim::runtime::Isa>(i));
          break;
        }
    }
  } else if (std::optional<::slim::runtime::Isa> named =
                 mlir::slim::codegen::parseIsa(isa)) {
    // The kernels' instructions must be among the features the load-time
    // check sees.
    if (!mlir::slim::codegen::cpuSupports(featureMap(allFeatures), *named))
      return fail("the " + isa + " micro-kernels need features CPU '" + cpu +
                  "' does not have (add them with --target-features)");
  } else {
    return fail("unknown micro-kernel isa '" + isa +
                "' (expected generic, avx2, avx_vnni, avx512_vnni or amx)");
  }

  SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  auto file = openInputFile(inputFile, &error);
  if (!file)
    return fail(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  TimingScope parseTiming = timing.nest("parse");
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  parseTiming.stop();

  auto entryFn = module->lookupSymbol<func::FuncOp>(entryName);
  if (entryFn)
    for (mlir::Type t : entryFn.getFunctionType().getInputs())
      if (auto tensor = dyn_cast<RankedTensorType>(t);
          tensor && !tensor.hasStaticShape())
        return fail("the entry's arguments need static shapes to be compiled "
                    "ahead of time; got an argument of type " +
                    Twine(typeString(t)));

  std::string name = modelName.empty()
                         ? identifierFrom(sys::path::stem(outputFile))
                         : modelName.getValue();
  if (name != identifierFrom(name))
    return fail("--name must be a C identifier, got '" + name + "'");

  mlir::slim::JitRunnerOptions options;
  options.entry = entryName;
  options.isa = isa;
  options.optLevel = optLevel;
  options.parallelWork = parallelWork;
  options.timing = &timing;
  FailureOr<mlir::slim::LoweredEntry> lowered =
      mlir::slim::lowerToLLVM(*module, options, /*forHost=*/false);
  if (failed(lowered))
    return 1;
  if (failed(addCEntry(*module, name, *lowered, allFeatures)))
    return 1;

  TimingScope translation = timing.nest("LLVM translation");
  LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, name);
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  llvmModule->setTargetTriple(Triple(triple));
  llvmModule->setDataLayout(tm->createDataLayout());
  translation.stop();
  // One object file: partitions would have to be linked into one (and
  // their internal symbols made global), so the code is made on one thread.
  Expected<std::vector<std::unique_ptr<MemoryBuffer>>> objects =
      mlir::slim::compileToObjects(
          std::move(llvmModule),
          [&]() -> Expected<std::unique_ptr<TargetMachine>> {
            return std::unique_ptr<TargetMachine>(target->createTargetMachine(
                Triple(triple), cpu, features, TargetOptions(), Reloc::PIC_,
                std::nullopt,
                static_cast<CodeGenOptLevel>(optLevel.getValue())));
          },
          optLevel, /*threads=*/1, timing);
  if (!objects)
    return fail("code generation failed: " + toString(objects.takeError()));

  // The object: the output, or a temporary one for --shared.
  SmallString<128> objectPath(outputFile);
  if (shared) {
    if (std::error_code ec =
            sys::fs::createTemporaryFile(name, "o", objectPath))
      return fail("cannot make a temporary file: " + ec.message());
  }
  {
    std::error_code ec;
    ToolOutputFile out(objectPath, ec, sys::fs::OF_None);
    if (ec)
      return fail("cannot write " + objectPath + ": " + ec.message());
    out.os() << objects->front()->getBuffer();
    out.keep();
  }
  if (shared) {
    TimingScope scope = timing.nest("link");
    int rc = linkShared(objectPath, outputFile);
    sys::fs::remove(objectPath);
    if (rc)
      return rc;
  }

  std::string headerPath = headerFile;
  if (headerPath.empty()) {
    SmallString<128> p(outputFile);
    sys::path::replace_extension(p, "h");
    headerPath = p.str().str();
  }
  std::error_code ec;
  ToolOutputFile header(headerPath, ec, sys::fs::OF_Text);
  if (ec)
    return fail("cannot write " + headerPath + ": " + ec.message());
  writeHeader(header.os(), name, *lowered, cpu, isa);
  header.keep();
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Slim ahead-of-time compiler\n");
  return compile();
}
