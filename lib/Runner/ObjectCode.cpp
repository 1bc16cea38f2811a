//===- ObjectCode.cpp - LLVM IR to machine code, on threads ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runner/ObjectCode.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
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

/// The bytes of `c` (an array of arrays of numbers, as MLIR writes a
/// dense tensor), written at `out` unless it is null; false for any other
/// constant.
static bool copyBytes(const llvm::Constant *c, const llvm::DataLayout &layout,
                      char *&out) {
  if (auto *data = dyn_cast<llvm::ConstantDataSequential>(c)) {
    StringRef raw = data->getRawDataValues();
    if (out)
      std::memcpy(out, raw.data(), raw.size());
    out += out ? raw.size() : 0;
    return true;
  }
  if (isa<llvm::ConstantAggregateZero>(c)) {
    uint64_t size = layout.getTypeAllocSize(c->getType());
    if (out)
      std::memset(out, 0, size);
    out += out ? size : 0;
    return true;
  }
  auto *array = dyn_cast<llvm::ConstantArray>(c);
  if (!array)
    return false;
  for (const llvm::Use &element : array->operands())
    if (!copyBytes(cast<llvm::Constant>(element.get()), layout, out))
      return false;
  return true;
}

std::vector<ConstantData> mlir::slim::takeConstants(llvm::Module &module,
                                                    uint64_t minBytes) {
  const llvm::DataLayout &layout = module.getDataLayout();
  std::vector<ConstantData> taken;
  for (llvm::GlobalVariable &g : module.globals()) {
    if (!g.isConstant() || !g.hasInitializer() || !g.hasName() ||
        g.isThreadLocal())
      continue;
    uint64_t size = layout.getTypeAllocSize(g.getValueType());
    char *none = nullptr;
    // Arrays of floats or integers have no padding: their bytes are the
    // elements'.
    if (size < minBytes || !copyBytes(g.getInitializer(), layout, none))
      continue;
    uint64_t align = std::max<uint64_t>(
        64, g.getAlign() ? g.getAlign()->value()
                         : layout.getPreferredAlign(&g).value());
    ConstantData c;
    c.name = g.getName().str();
    c.size = size;
    c.storage.reset(new char[size + align]);
    auto address = reinterpret_cast<uintptr_t>(c.storage.get());
    char *start = c.storage.get() + (align - address % align) % align;
    c.data = start;
    copyBytes(g.getInitializer(), layout, start);
    taken.push_back(std::move(c));
    // A declaration the optimizer still knows to be constant and aligned.
    g.setInitializer(nullptr);
    g.setLinkage(llvm::GlobalValue::ExternalLinkage);
    g.setVisibility(llvm::GlobalValue::DefaultVisibility);
    // Anywhere in the address space: reached through the GOT, not by a
    // 32-bit displacement from the code.
    g.setDSOLocal(false);
    g.setAlignment(llvm::Align(align));
  }
  return taken;
}

unsigned mlir::slim::defaultCodegenThreads() {
  return std::clamp(llvm::hardware_concurrency().compute_thread_count(), 1u,
                    8u);
}

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
        // hidden and assumed near; object files may be linked anywhere in
        // the address space (the JIT's are): exported, reached through
        // the GOT or a stub.
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
          llvm::Expected<std::unique_ptr<llvm::TargetMachine>> target =
              makeTarget();
          if (!target)
            return target.takeError();
          return compileOne(**part, **target, optLevel);
        };
        llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> object = compile();

        if (object)
          objects[i] = std::move(*object);
        else
          errors[i] = llvm::toString(object.takeError());
      });
    pool.wait();
  }
  for (const std::string &e : errors)
    if (!e.empty())
      return llvm::createStringError(e);
  return objects;
}
