//===- JitRunner.cpp - Compile and run a tensor function in-process -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runner/JitRunner.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "slim/Codegen/Target.h"
#include "slim/Conversion/Passes.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Pipelines/Pipelines.h"
#include "slim/Runtime/Kernels.h"
#include "slim/Runtime/Observers.h"
#include "slim/Support/OutputFile.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::slim;

static constexpr llvm::StringLiteral kWrapperName = "_slim_run_entry";

/// The .npy element type that carries values of `elementType`.
static std::optional<NpyDType> dtypeFor(Type elementType) {
  if (auto q = dyn_cast<quant::QuantizedType>(elementType)) {
    switch (q.getStorageTypeIntegralWidth()) {
    case 8:
      return q.isSigned() ? NpyDType::I8 : NpyDType::U8;
    case 16:
      return q.isSigned() ? NpyDType::I16 : NpyDType::U16;
    case 32:
      return q.isSigned() ? std::optional(NpyDType::I32) : std::nullopt;
    default:
      return std::nullopt;
    }
  }
  if (elementType.isF16())
    return NpyDType::F16;
  if (elementType.isF32())
    return NpyDType::F32;
  if (elementType.isF64())
    return NpyDType::F64;
  if (elementType.isSignlessInteger(8))
    return NpyDType::I8;
  if (elementType.isSignlessInteger(16))
    return NpyDType::I16;
  if (elementType.isSignlessInteger(32))
    return NpyDType::I32;
  if (elementType.isSignlessInteger(64))
    return NpyDType::I64;
  return std::nullopt;
}

static FailureOr<BoundaryValue> boundaryValue(func::FuncOp entry, Type type,
                                              StringRef what, unsigned index,
                                              bool needStatic) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return entry.emitError() << what << " " << index << " has type " << type
                             << "; slim-run exchanges ranked tensors only";
  std::optional<NpyDType> dtype = dtypeFor(tensor.getElementType());
  if (!dtype)
    return entry.emitError()
           << what << " " << index << " has element type "
           << tensor.getElementType()
           << ", which has no .npy form (supported: f16, f32, f64, i8, i16, "
              "i32, i64 and quantized types stored in 8, 16 or 32 bits)";
  if (needStatic && !tensor.hasStaticShape())
    return entry.emitError() << what << " " << index << " has type " << type
                             << "; slim-run needs static result shapes";
  return BoundaryValue{tensor, *dtype};
}

/// Adds `_slim_run_entry(inputs..., outputs...)` on memrefs: it calls the
/// entry and writes each result into its output buffer (without outputs,
/// it takes the inputs alone and the results are dropped).
static void addWrapper(ModuleOp module, func::FuncOp entry, bool withOutputs) {
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  Location loc = entry.getLoc();
  FunctionType fnType = entry.getFunctionType();
  SmallVector<Type> argTypes;
  auto addBuffer = [&](Type t) {
    auto tensor = cast<RankedTensorType>(t);
    argTypes.push_back(
        MemRefType::get(tensor.getShape(), tensor.getElementType()));
  };
  llvm::for_each(fnType.getInputs(), addBuffer);
  if (withOutputs)
    llvm::for_each(fnType.getResults(), addBuffer);
  auto wrapper = func::FuncOp::create(b, loc, kWrapperName,
                                      b.getFunctionType(argTypes, {}));
  wrapper->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                   b.getUnitAttr());
  Block *body = wrapper.addEntryBlock();
  b.setInsertionPointToStart(body);
  unsigned numInputs = fnType.getNumInputs();
  SmallVector<Value> tensors;
  for (unsigned i = 0; i < numInputs; ++i)
    tensors.push_back(bufferization::ToTensorOp::create(
        b, loc, fnType.getInput(i), body->getArgument(i), /*restrict=*/true,
        /*writable=*/false));
  auto call = func::CallOp::create(b, loc, entry, tensors);
  for (auto [i, result] : llvm::enumerate(call.getResults())) {
    if (!withOutputs)
      break;
    auto store = bufferization::MaterializeInDestinationOp::create(
        b, loc, result, body->getArgument(numInputs + i));
    store.setRestrict(true);
    store.setWritable(true);
  }
  func::ReturnOp::create(b, loc);
  // The caller's input buffers must stay unchanged across repeated runs.
  for (unsigned i = 0; i < numInputs; ++i)
    entry.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                     b.getBoolAttr(false));
}

static constexpr llvm::StringLiteral kSpecializedName = "_slim_run_specialized";

/// A copy of `entry` whose arguments have the given static shapes; the body
/// sees the original (dynamic) types through tensor.cast, which
/// canonicalization then folds into static shapes.
static func::FuncOp specialize(func::FuncOp entry,
                               ArrayRef<SmallVector<int64_t>> shapes) {
  FunctionType fnType = entry.getFunctionType();
  SmallVector<Type> argTypes;
  for (auto [t, shape] : llvm::zip_equal(fnType.getInputs(), shapes)) {
    auto tensor = cast<RankedTensorType>(t);
    if (static_cast<int64_t>(shape.size()) != tensor.getRank()) {
      entry.emitError() << "an input's rank does not match " << tensor;
      return nullptr;
    }
    for (auto [want, have] : llvm::zip_equal(tensor.getShape(), shape))
      if (!ShapedType::isDynamic(want) && want != have) {
        entry.emitError() << "an input's shape does not match " << tensor;
        return nullptr;
      }
    argTypes.push_back(tensor.clone(shape));
  }
  OpBuilder b(entry);
  b.setInsertionPointAfter(entry);
  auto clone = cast<func::FuncOp>(b.clone(*entry));
  clone.setSymName(kSpecializedName);
  clone.setPrivate();
  Block &body = clone.getBody().front();
  b.setInsertionPointToStart(&body);
  for (auto [arg, type] : llvm::zip_equal(body.getArguments(), argTypes)) {
    Type original = arg.getType();
    if (original == type)
      continue;
    arg.setType(type);
    auto cast = tensor::CastOp::create(b, clone.getLoc(), original, arg);
    arg.replaceAllUsesExcept(cast.getResult(), cast);
  }
  clone.setFunctionType(b.getFunctionType(argTypes, fnType.getResults()));
  return clone;
}

/// Where a returned value is a tensor.cast of a more static tensor, returns
/// that tensor and narrows the function's result type.
static void refineResultTypes(func::FuncOp fn) {
  SmallVector<Type> results;
  fn.walk([&](func::ReturnOp ret) {
    results.clear();
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      while (auto cast = v.getDefiningOp<tensor::CastOp>())
        v = cast.getSource();
      auto have = cast<RankedTensorType>(operand.get().getType());
      auto found = cast<RankedTensorType>(v.getType());
      if (found.hasStaticShape() && !have.hasStaticShape()) {
        operand.set(v);
        results.push_back(found);
      } else {
        results.push_back(have);
      }
    }
  });
  fn.setFunctionType(
      FunctionType::get(fn.getContext(), fn.getArgumentTypes(), results));
}

void mlir::slim::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<SlimDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  // Parallel loops become OpenMP regions (slim-openmp-threads).
  registerOpenMPDialectTranslation(registry);
}

StringRef mlir::slim::loweredEntryName() { return kWrapperName; }

FailureOr<LoweredEntry> mlir::slim::lowerToLLVM(ModuleOp module,
                                                const JitRunnerOptions &options,
                                                bool forHost) {
  if (options.optLevel > 3)
    return module.emitError() << "optimization level " << options.optLevel
                              << " is out of range (0 to 3)";
  // The engine only warns about a library it cannot load and runs on; a
  // missing or broken library is an error here, before any compile.
  for (const std::string &path : options.sharedLibPaths) {
    std::string message;
    if (!llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &message)
             .isValid())
      return module.emitError()
             << "cannot load shared library '" << path << "': " << message;
  }
  if (options.isa != "host") {
    std::optional<codegen::Isa> isa = codegen::parseIsa(options.isa);
    if (!isa)
      return module.emitError() << "unknown micro-kernel isa '" << options.isa
                                << "' (expected host, generic, avx2, avx_vnni, "
                                   "avx512_vnni or amx)";
    if (forHost && !codegen::hostSupports(*isa))
      return module.emitError()
             << "this CPU cannot run the " << ::slim::runtime::isaName(*isa)
             << " micro-kernels (it runs: " << codegen::describeHostIsas()
             << ")";
  }
  auto entry = module.lookupSymbol<func::FuncOp>(options.entry);
  if (!entry || entry.isDeclaration())
    return module.emitError() << "entry function '@" << options.entry
                              << "' is not defined in the module";
  LoweredEntry lowered;
  FunctionType fnType = entry.getFunctionType();
  for (auto [i, t] : llvm::enumerate(fnType.getInputs())) {
    FailureOr<BoundaryValue> v = boundaryValue(entry, t, "argument", i, false);
    if (failed(v))
      return failure();
    lowered.arguments.push_back(*v);
  }
  for (auto [i, t] : llvm::enumerate(fnType.getResults())) {
    FailureOr<BoundaryValue> v =
        boundaryValue(entry, t, "result", i, /*needStatic=*/false);
    if (failed(v))
      return failure();
    lowered.results.push_back(*v);
  }

  if (options.calibrate) {
    PassManager observe(module->getName());
    SlimLowerObserversPassOptions runtimeMode;
    runtimeMode.mode = "runtime";
    observe.addPass(createSlimLowerObserversPass(runtimeMode));
    if (failed(observe.run(module)))
      return failure();
    if (auto table = module->getAttrOfType<ArrayAttr>(kObserverTableAttr)) {
      for (Attribute a : table) {
        auto entry = cast<DictionaryAttr>(a);
        ::slim::calibration::ObserverInfo info;
        info.id = cast<StringAttr>(entry.get("id")).str();
        if (auto axis = entry.getAs<IntegerAttr>("axis"))
          info.axis = axis.getInt();
        if (auto patches = entry.getAs<DenseI64ArrayAttr>("patches"))
          info.patches.assign(patches.asArrayRef().begin(),
                              patches.asArrayRef().end());
        lowered.observers.push_back(std::move(info));
      }
    }
  }

  // Dynamic argument dimensions are bound to the inputs' shapes in a
  // specialized copy of the entry, so that results get static shapes.
  func::FuncOp specialized;
  if (!options.inputShapes.empty() &&
      llvm::any_of(fnType.getInputs(), [](Type t) {
        return !cast<RankedTensorType>(t).hasStaticShape();
      })) {
    if (options.inputShapes.size() != fnType.getNumInputs())
      return module.emitError()
             << "the entry function takes " << fnType.getNumInputs()
             << " argument(s) but " << options.inputShapes.size()
             << " input(s) were given";
    specialized = specialize(entry, options.inputShapes);
    if (!specialized)
      return failure();
  }

  // Lower to integer linalg (this strips quantized types from the
  // signature), add the memref wrapper, then lower to LLVM.
  CodegenOptions codegenOptions;
  codegenOptions.isa = options.isa;
  codegenOptions.weightOnlyActivations = options.weightOnlyActivations;
  codegenOptions.sparseWeights = options.sparseWeights;
  codegenOptions.parallelWork = options.parallelWork;
  // Untimed unless the caller asked: an inactive scope times nothing.
  TimingScope untimed;
  TimingScope &timing = options.timing ? *options.timing : untimed;
  PassManager front(module->getName());
  if (options.timing)
    front.enableTiming(timing);
  addPackContractions(front, codegenOptions);
  buildSlimToLinalgPipeline(front);
  if (failed(front.run(module)))
    return failure();
  func::FuncOp target = entry;
  if (specialized) {
    target = specialized;
    refineResultTypes(target);
  }
  if (!options.calibrate) {
    // Results are written into buffers the caller allocates: their shapes
    // must be known now.
    for (auto [i, t] : llvm::enumerate(target.getFunctionType().getResults())) {
      auto tensor = cast<RankedTensorType>(t);
      if (!tensor.hasStaticShape())
        return entry.emitError()
               << "result " << i << " has type " << lowered.results[i].type
               << "; slim-run needs static result shapes (after binding the "
                  "inputs' shapes, it is still "
               << tensor << ")";
      BoundaryValue &r = lowered.results[i];
      r.type =
          RankedTensorType::get(tensor.getShape(), r.type.getElementType());
    }
  }
  addWrapper(module, target, /*withOutputs=*/!options.calibrate);
  PassManager back(module->getName());
  if (options.timing)
    back.enableTiming(timing);
  buildSlimCodegenPipeline(back, codegenOptions);
  if (failed(back.run(module)))
    return failure();
  // Never run an instruction the CPU lacks: the module may have been
  // packed for another ISA (slim-opt --slim-pack-contractions{isa=...}).
  // (The kernels' declarations are llvm.func by now.)
  for (Operation &fn : module.getBody()->getOperations()) {
    auto isa = fn.getAttrOfType<KernelIsaAttr>("slim.isa");
    if (!isa)
      continue;
    codegen::Isa kernelIsa = codegen::toRuntimeIsa(isa.getValue());
    if (forHost && !codegen::hostSupports(kernelIsa))
      return module.emitError()
             << "the code calls the " << ::slim::runtime::isaName(kernelIsa)
             << " micro-kernels, which this CPU cannot run (it runs: "
             << codegen::describeHostIsas() << ")";
  }
  return lowered;
}

/// The function the JIT calls: `void _slim_jit_entry(void **descriptors)`
/// calls the wrapper's C interface with descriptors[i] as argument i.
static constexpr llvm::StringLiteral kPackedEntryName = "_slim_jit_entry";

/// Weights of at least this many bytes stay out of the machine code.
static constexpr uint64_t kMinTakenBytes = 4096;

static FailureOr<size_t> addPackedEntry(ModuleOp module, llvm::Module &m) {
  llvm::Function *wrapper =
      m.getFunction(("_mlir_ciface_" + kWrapperName).str());
  if (!wrapper)
    return module.emitError() << "the lowered entry's C interface is missing";
  if (m.getNamedValue(kPackedEntryName))
    return module.emitError() << "the module defines '" << kPackedEntryName
                              << "', a name slim-run's JIT reserves for itself";
  llvm::LLVMContext &ctx = m.getContext();
  auto *ptr = llvm::PointerType::get(ctx, 0);
  auto *fn = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false),
      llvm::GlobalValue::ExternalLinkage, kPackedEntryName, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  SmallVector<llvm::Value *> args;
  for (unsigned i = 0, e = wrapper->arg_size(); i < e; ++i) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, fn->getArg(0), i);
    args.push_back(b.CreateLoad(ptr, slot));
  }
  b.CreateCall(wrapper, args);
  b.CreateRetVoid();
  return args.size();
}

FailureOr<std::unique_ptr<JitRunner>>
JitRunner::compile(ModuleOp module, const JitRunnerOptions &options) {
  FailureOr<LoweredEntry> lowered =
      lowerToLLVM(module, options, /*forHost=*/true);
  if (failed(lowered))
    return failure();
  std::unique_ptr<JitRunner> runner(new JitRunner());
  runner->arguments = std::move(lowered->arguments);
  runner->results = std::move(lowered->results);
  runner->observers = std::move(lowered->observers);
  runner->calibrate = options.calibrate;
  TimingScope untimed;
  TimingScope &timing = options.timing ? *options.timing : untimed;

  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return module.emitError() << "cannot detect the host target: "
                              << llvm::toString(tmBuilder.takeError());
  tmBuilder->setCodeGenOptLevel(
      static_cast<llvm::CodeGenOptLevel>(options.optLevel));
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return module.emitError() << "cannot create a target machine: "
                              << llvm::toString(tm.takeError());

  TimingScope translation = timing.nest("LLVM translation");
  auto llvmContext = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, *llvmContext, "slim-run");
  if (!llvmModule)
    return module.emitError() << "translation to LLVM IR failed";
  llvmModule->setTargetTriple((*tm)->getTargetTriple());
  llvmModule->setDataLayout((*tm)->createDataLayout());
  FailureOr<size_t> entryArguments = addPackedEntry(module, *llvmModule);
  if (failed(entryArguments))
    return failure();
  runner->numEntryArguments = *entryArguments;
  // The weights stay out of the code generator and the JIT linker: the
  // code finds them in buffers of the runner's.
  runner->constants = takeConstants(*llvmModule, kMinTakenBytes);
  translation.stop();

  // One object file, the one --dump-object writes, or several on threads.
  unsigned threads = !options.objectFile.empty() ? 1
                     : options.codegenThreads    ? options.codegenThreads
                                                 : defaultCodegenThreads();
  llvm::Expected<std::vector<std::unique_ptr<llvm::MemoryBuffer>>> objects =
      compileToObjects(
          std::move(llvmModule),
          [&]() -> llvm::Expected<std::unique_ptr<llvm::TargetMachine>> {
            return tmBuilder->createTargetMachine();
          },
          options.optLevel, threads, timing);
  if (!objects)
    return module.emitError()
           << "JIT compilation failed: " << llvm::toString(objects.takeError());
  // The weights' LLVM constants are copies of what `constants` holds now.
  llvmContext.reset();
  if (!options.objectFile.empty())
    if (llvm::Error e = ::slim::writeFile(options.objectFile,
                                          objects->front()->getBuffer()))
      return module.emitError() << llvm::toString(std::move(e));

  TimingScope link = timing.nest("JIT link");
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*tmBuilder))
                 .create();
  if (!jit)
    return module.emitError()
           << "cannot create the JIT: " << llvm::toString(jit.takeError());
  runner->jit = std::move(*jit);
  llvm::orc::JITDylib &library = runner->jit->getMainJITDylib();
  char prefix = runner->jit->getDataLayout().getGlobalPrefix();
  // libc, libm and libomp from the process, then the libraries named.
  auto process =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
  if (!process)
    return module.emitError() << llvm::toString(process.takeError());
  library.addGenerator(std::move(*process));
  for (const std::string &path : options.sharedLibPaths) {
    auto lib =
        llvm::orc::DynamicLibrarySearchGenerator::Load(path.c_str(), prefix);
    if (!lib)
      return module.emitError() << "cannot load shared library '" << path
                                << "': " << llvm::toString(lib.takeError());
    library.addGenerator(std::move(*lib));
  }
  // The runtime entry points observers and kernels are called by, what
  // else generated code calls (buffers, the thread count, strided copies)
  // and the weights.
  llvm::orc::SymbolMap symbols;
  auto bind = [&](StringRef name, const void *address) {
    symbols[runner->jit->mangleAndIntern(name)] = {
        llvm::orc::ExecutorAddr::fromPtr(address),
        llvm::JITSymbolFlags::Exported};
  };
  for (auto [name, address] : ::slim::runtime::getObserverRuntimeSymbols())
    bind(name, address);
  for (auto [name, address] : ::slim::runtime::getKernelRuntimeSymbols())
    bind(name, address);
  for (const ::slim::runtime::GeneratedCodeSymbol &s :
       ::slim::runtime::getGeneratedCodeSymbols())
    bind(s.calledName, s.address);
  // Strided copies keep MLIR's own implementation here, so that
  // slim-compile's objects (the runtime's) are checked against an
  // independent one (test/Tools/slim-compile/strided-copy.mlir).
  bind("memrefCopy", reinterpret_cast<void *>(&memrefCopy));
  for (const TakenConstant &c : runner->constants)
    bind(c.name, c.data);
  if (llvm::Error e =
          library.define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return module.emitError() << llvm::toString(std::move(e));
  for (std::unique_ptr<llvm::MemoryBuffer> &object : *objects)
    if (llvm::Error e = runner->jit->addObjectFile(std::move(object)))
      return module.emitError()
             << "JIT compilation failed: " << llvm::toString(std::move(e));
  auto address = runner->jit->lookup(kPackedEntryName);
  if (!address)
    return module.emitError()
           << "JIT compilation failed: " << llvm::toString(address.takeError());
  runner->entry = address->toPtr<void (*)(void **)>();
  link.stop();
  return runner;
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + (shape.size() == 1 ? ",)" : ")");
}

static std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

llvm::Error JitRunner::checkInputs(ArrayRef<NpyArray> inputs,
                                   ArrayRef<std::string> names) const {
  auto fail = [](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };
  if (inputs.size() != arguments.size())
    return fail("the entry function takes " + llvm::Twine(arguments.size()) +
                " argument(s) but " + llvm::Twine(inputs.size()) +
                " input(s) were given");
  for (auto [i, in] : llvm::enumerate(inputs)) {
    const BoundaryValue &arg = arguments[i];
    std::string what = "input " + std::to_string(i) + " ('" + names[i] + "')";
    if (in.getType() != arg.dtype)
      return fail(what + " has dtype " + npyTypeName(in.getType()) +
                  " but argument " + llvm::Twine(i) + " is " +
                  typeString(arg.type) + ", which needs " +
                  npyTypeName(arg.dtype));
    ArrayRef<int64_t> want = arg.type.getShape();
    bool ok = in.getShape().size() == want.size();
    for (size_t d = 0; ok && d < want.size(); ++d)
      ok = ShapedType::isDynamic(want[d]) || want[d] == in.getShape()[d];
    if (!ok)
      return fail(what + " has shape " + shapeString(in.getShape()) +
                  " but argument " + llvm::Twine(i) + " is " +
                  typeString(arg.type));
  }
  return llvm::Error::success();
}

llvm::Expected<SmallVector<NpyArray>> JitRunner::allocateResults() const {
  SmallVector<NpyArray> outs;
  for (auto [i, r] : llvm::enumerate(results)) {
    llvm::Expected<NpyArray> a = NpyArray::create(r.dtype, r.type.getShape());
    if (!a)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "result " + llvm::Twine(i) + " (" +
                                         typeString(r.type) +
                                         "): " + llvm::toString(a.takeError()));
    outs.push_back(std::move(*a));
  }
  return outs;
}

/// A ranked memref descriptor: {allocated, aligned, offset, sizes, strides}.
static SmallVector<int64_t> makeDescriptor(const NpyArray &array) {
  ArrayRef<int64_t> shape = array.getShape();
  SmallVector<int64_t> desc;
  auto ptr = reinterpret_cast<int64_t>(array.getData());
  desc.append({ptr, ptr, 0});
  desc.append(shape.begin(), shape.end());
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  desc.append(strides.begin(), strides.end());
  return desc;
}

llvm::Error JitRunner::run(ArrayRef<NpyArray> inputs,
                           MutableArrayRef<NpyArray> outs) {
  SmallVector<SmallVector<int64_t>> descriptors;
  for (const NpyArray &a : inputs)
    descriptors.push_back(makeDescriptor(a));
  for (const NpyArray &a : outs)
    descriptors.push_back(makeDescriptor(a));
  SmallVector<void *> pointers;
  for (SmallVector<int64_t> &d : descriptors)
    pointers.push_back(d.data());
  if (pointers.size() != numEntryArguments)
    return llvm::createStringError(
        "the compiled entry takes " + llvm::Twine(numEntryArguments) +
        " buffers, " + llvm::Twine(pointers.size()) + " given");
  entry(pointers.data());
  return llvm::Error::success();
}

JitRunner::~JitRunner() = default;

std::string JitRunner::describeHost() {
  std::string s = llvm::sys::getHostCPUName().str();
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  for (StringRef f : {"avx2", "fma", "avx512f", "avx512bw", "avx512vl",
                      "avx512vnni", "avx512vbmi2", "avxvnni", "avx512bf16"})
    if (features.lookup(f))
      s += " +" + f.str();
  if (features.lookup("amx-int8"))
    s += " +amx-int8";
  s += "; micro-kernels: " + codegen::describeHostIsas();
  return s;
}
