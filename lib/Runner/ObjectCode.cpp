//===- ObjectCode.cpp - LLVM IR to machine code, on threads ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runner/ObjectCode.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/SmallVectorMemoryBuffer.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Transforms/IPO/MergeFunctions.h"
#include "llvm/Transforms/Utils/SplitModule.h"

#include <cstring>

using namespace mlir;
using namespace mlir::slim;

/// compileToObjects' partitions per thread.
static constexpr unsigned kPartitionsPerThread = 4;

/// Copies the bytes of `c` (an array, nested or not, of numbers, as MLIR
/// writes a dense tensor) to `out` (when not null) and counts them in
/// `size`; false for any other constant.
static bool copyBytes(const llvm::Constant *c, const llvm::DataLayout &layout,
                      char *out, uint64_t &size) {
  if (auto *data = dyn_cast<llvm::ConstantDataArray>(c)) {
    StringRef raw = data->getRawDataValues();
    if (out)
      std::memcpy(out + size, raw.data(), raw.size());
    size += raw.size();
    return true;
  }
  if (isa<llvm::ConstantAggregateZero>(c) && c->getType()->isArrayTy()) {
    uint64_t bytes = layout.getTypeAllocSize(c->getType());
    if (out)
      std::memset(out + size, 0, bytes);
    size += bytes;
    return true;
  }
  auto *array = dyn_cast<llvm::ConstantArray>(c);
  if (!array)
    return false;
  for (const llvm::Use &element : array->operands())
    if (!copyBytes(cast<llvm::Constant>(element.get()), layout, out, size))
      return false;
  return true;
}

std::vector<TakenConstant> mlir::slim::takeConstants(llvm::Module &module,
                                                     uint64_t minBytes) {
  const llvm::DataLayout &layout = module.getDataLayout();
  std::vector<TakenConstant> taken;
  llvm::SmallPtrSet<const llvm::GlobalValue *, 4> aliased;
  for (const llvm::GlobalAlias &alias : module.aliases())
    aliased.insert(alias.getAliaseeObject());
  for (llvm::GlobalVariable &g : module.globals()) {
    if (!g.isConstant() || !g.hasInitializer() || !g.hasName() ||
        g.isThreadLocal() || g.hasComdat() || g.isExternallyInitialized() ||
        aliased.contains(&g))
      continue;
    uint64_t size = layout.getTypeAllocSize(g.getValueType());
    // Arrays of numbers have no padding: their bytes are the elements'
    // (and [N x <3 x float>] is not taken: its elements are padded).
    uint64_t counted = 0;
    if (size < minBytes ||
        !copyBytes(g.getInitializer(), layout, nullptr, counted) ||
        counted != size)
      continue;
    uint64_t align = std::max<uint64_t>(
        64, g.getAlign() ? g.getAlign()->value()
                         : layout.getPreferredAlign(&g).value());
    TakenConstant c;
    c.name = g.getName().str();
    c.size = size;
    c.storage.reset(new char[size + align]);
    auto address = reinterpret_cast<uintptr_t>(c.storage.get());
    char *start = c.storage.get() + (align - address % align) % align;
    c.data = start;
    counted = 0;
    copyBytes(g.getInitializer(), layout, start, counted);
    taken.push_back(std::move(c));
    // A declaration the optimizer still knows to be constant and aligned.
    g.setInitializer(nullptr);
    g.setLinkage(llvm::GlobalValue::ExternalLinkage);
    g.setVisibility(llvm::GlobalValue::DefaultVisibility);
    // Anywhere in the address space: not assumed within a 32-bit
    // displacement of the code (the JIT's large code model would not
    // assume it anyway).
    g.setDSOLocal(false);
    g.setAlignment(llvm::Align(align));
  }
  return taken;
}

unsigned mlir::slim::defaultCodegenThreads() {
  return std::clamp(llvm::hardware_concurrency().compute_thread_count(), 1u,
                    8u);
}

/// Keeps a thread's LLVM errors (and drops its warnings and remarks).
struct RecordingDiagnostics : llvm::DiagnosticHandler {
  explicit RecordingDiagnostics(std::string &errors) : errors(errors) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo &info) override {
    if (info.getSeverity() == llvm::DS_Error) {
      llvm::raw_string_ostream os(errors);
      llvm::DiagnosticPrinterRawOStream printer(os);
      info.print(printer);
      os << "\n";
    }
    return true;
  }
  std::string &errors;
};

/// Optimizes and compiles one module to an object file.
static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
compileOne(llvm::Module &module, llvm::TargetMachine &target,
           unsigned optLevel) {
  if (llvm::Error e = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                                &target)(&module))
    return std::move(e);
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager passes;
  if (target.addPassesToEmitFile(passes, os, nullptr,
                                 llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot write object files");
  passes.run(module);
  return std::make_unique<llvm::SmallVectorMemoryBuffer>(
      std::move(object), module.getModuleIdentifier() + ".o",
      /*RequiresNullTerminator=*/false);
}

llvm::Expected<std::vector<std::unique_ptr<llvm::MemoryBuffer>>>
mlir::slim::compileToObjects(std::unique_ptr<llvm::Module> module,
                             TargetMachineFactory makeTarget, unsigned optLevel,
                             unsigned threads, TimingScope &timing) {
  TimingScope prepare = timing.nest("LLVM function merging and split");
  {
    // The repeated layers' loop nests are the same functions: one copy
    // each (an outlined nest is private, so its calls are redirected).
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder builder;
    builder.registerModuleAnalyses(mam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerFunctionAnalyses(fam);
    builder.registerLoopAnalyses(lam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::ModulePassManager merge;
    merge.addPass(llvm::MergeFunctionsPass());
    merge.run(*module, mam);
  }
  // Partitions of about equal size, several per thread: a thread that
  // got the model's main function is not the one all others wait for.
  unsigned definitions = 0;
  for (llvm::Function &f : *module)
    definitions += !f.isDeclaration();
  unsigned partitions =
      threads <= 1 ? 1 : std::min(kPartitionsPerThread * threads, definitions);

  std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects;
  if (partitions == 1) {
    prepare.stop();
    TimingScope scope = timing.nest("LLVM IR optimization and machine code");
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> target = makeTarget();
    if (!target)
      return target.takeError();
    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> object =
        compileOne(*module, **target, optLevel);
    if (!object)
      return object.takeError();
    objects.push_back(std::move(*object));
    return objects;
  }

  // Each partition crosses to its thread's context as bitcode.
  std::vector<llvm::SmallVector<char, 0>> bitcode;
  llvm::SplitModule(
      *module, partitions,
      [&](std::unique_ptr<llvm::Module> part) {
        // What the split made external to reach across partitions is
        // hidden, which ORC does not export from one object to another, and
        // dso_local: exported instead, and not assumed near (the JIT places
        // each object's memory on its own).
        for (llvm::GlobalValue &value : part->global_values())
          if (value.hasHiddenVisibility()) {
            value.setVisibility(llvm::GlobalValue::DefaultVisibility);
            value.setDSOLocal(false);
          }
        llvm::SmallVector<char, 0> &bytes = bitcode.emplace_back();
        llvm::raw_svector_ostream os(bytes);
        llvm::WriteBitcodeToFile(*part, os);
      },
      /*PreserveLocals=*/false, /*RoundRobin=*/true);
  module.reset();
  prepare.stop();

  TimingScope scope =
      timing.nest("LLVM IR optimization and machine code, " +
                  std::to_string(bitcode.size()) + " partitions on " +
                  std::to_string(threads) + " threads");
  objects.resize(bitcode.size());
  std::vector<std::string> errors(bitcode.size());
  {
    llvm::DefaultThreadPool pool(llvm::hardware_concurrency(threads));
    for (size_t i = 0; i < bitcode.size(); ++i)
      pool.async([&, i] {
        llvm::LLVMContext context;
        auto compile =
            [&]() -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
          llvm::Expected<std::unique_ptr<llvm::Module>> part =
              llvm::parseBitcodeFile(
                  llvm::MemoryBufferRef(
                      StringRef(bitcode[i].data(), bitcode[i].size()),
                      "partition" + std::to_string(i)),
                  context);
          if (!part)
            return part.takeError();
          bitcode[i] = {};
          llvm::Expected<std::unique_ptr<llvm::TargetMachine>> target =
              makeTarget();
          if (!target)
            return target.takeError();
          return compileOne(**part, **target, optLevel);
        };
        llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> object = compile();

        if (!object)
          errors[i] += llvm::toString(object.takeError());
        else if (errors[i].empty())
          objects[i] = std::move(*object);
      });
    pool.wait();
  }
  for (const std::string &e : errors)
    if (!e.empty())
      return llvm::createStringError(e);
  return objects;
}
