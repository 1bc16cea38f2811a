//===- Pipelines.cpp - Named Slim pass pipelines --------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "slim/Codegen/Passes.h"
#include "slim/Conversion/Passes.h"
#include "slim/Import/Passes.h"
#include "slim/Layers/Report.h"
#include "slim/Quantization/Passes.h"
#include "slim/Sparsity/Passes.h"

using namespace mlir;
using namespace mlir::slim;

void mlir::slim::buildTosaToLinalgPipeline(OpPassManager &pm) {
  // Upstream's TOSA lowering (no-ops on IR without TOSA), then the rewrites
  // that give Slim's passes their forms: tosa.matmul of a reshaped
  // activation by a 1xKxN constant becomes a 2-D matmul.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  pm.addPass(createSlimNormalizeImportedPass());
}

void mlir::slim::buildSlimToLinalgPipeline(OpPassManager &pm) {
  // TOSA input (slim-import --dialect tosa) first becomes linalg.
  buildTosaToLinalgPipeline(pm);
  // Fold first: quantized constants (weights) become integer constants
  // instead of run-time quantization of float constants.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createSlimLowerObserversPass()); // mode=erase: an identity here
  pm.addPass(createSlimLowerQuantPass());
  // arith/math on whole tensors become linalg.generic: everything is linalg
  // from here on, and canonicalization can propagate static shapes.
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::slim::buildSlimCodegenPipeline(OpPassManager &pm,
                                          const CodegenOptions &options) {
  // Unused private functions (declarations included) need no code.
  pm.addPass(createSymbolDCEPass());
  // Whatever still computes on whole tensors with arith/math (IR that did
  // not come through the front half) becomes linalg.generic, which
  // bufferizes.
  pm.addPass(createConvertElementwiseToLinalgPass());
  // math.fpowi has no vector lowering (LLVM's powi takes a scalar
  // exponent): multiplications, or powf. Before fusion and vectorization,
  // which then see plain arithmetic (RMSNorm's x^2).
  pm.addNestedPass<func::FuncOp>(createSlimExpandPowersPass());
  // Contractions with constant int8 weights: packed now, run by the
  // runtime's micro-kernel for the chosen ISA.
  addPackContractions(pm, options);
  // Elementwise ops fused into their consumers; reductions in the form the
  // vectorizer takes.
  pm.addNestedPass<func::FuncOp>(createSlimFuseElementwisePass());
  // The vectorized path: vector-sized tiles of every linalg op with static
  // shapes (convolutions stay whole and become loops below).
  // (Large ops: the outer tile loop an scf.forall, for threads.)
  SlimTileAndVectorizePassOptions tiles;
  tiles.parallelWork = options.parallelWork;
  pm.addNestedPass<func::FuncOp>(createSlimTileAndVectorizePass(tiles));
  // exp, erf, tanh, ... as polynomials that stay vectors (LLVM would call
  // libm once per lane).
  pm.addNestedPass<func::FuncOp>(createSlimApproximateMathPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  // What deallocation leaves (bufferization.clone) becomes alloc + copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Micro-kernel ops on buffers become calls of the runtime.
  pm.addPass(createSlimLowerMicroKernelsPass());
  // Transfers read and write the whole buffers (subviews fold into their
  // indices), and contraction accumulators stay in registers across the
  // reduction loop.
  pm.addPass(createCSEPass()); // identical subviews: self-copies fold away
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createFoldMemRefAliasOpsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createSlimHoistVectorTransfersPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  // n-D transfers unroll to 1-D ones, which become (masked) loads/stores.
  VectorTransferToSCFOptions transfers;
  transfers.enableFullUnroll();
  pm.addPass(createConvertVectorToSCFPass(transfers));
  // Extracts of the unrolled transfers fold into 1-D constants.
  pm.addPass(createCanonicalizerPass());
  // One function per loop nest: LLVM's loop analyses cost the square of a
  // function's length.
  pm.addPass(createForallToParallelLoopPass());
  pm.addPass(createSlimOutlineLoopNestsPass());
  // The layers' copies of a nest, which differ in their scales, become one.
  pm.addPass(createSlimMergeSimilarFunctionsPass());
  // Parallel loops: OpenMP regions on the runtime's thread count.
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createSlimOpenMPThreadsPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // Math first to LLVM intrinsics, then what has none (erf) to libm calls,
  // unrolled over vector lanes: before the vector ops become LLVM.
  // (The other order makes rsqrt a call to rsqrtf, which libm lacks.)
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  ConvertVectorToLLVMPassOptions vectors;
  vectors.vectorContractLowering = vector::VectorContractLowering::OuterProduct;
  vectors.vectorTransposeLowering = vector::VectorTransposeLowering::Shuffle1D;
  // A row's sum or maximum reduces as a tree of vector operations, not one
  // element after another.
  vectors.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vectors));
  // Buffers through the runtime's allocator (slim_rt_alloc: large blocks
  // kept for the next call) under MLIR's generic names.
  FinalizeMemRefToLLVMConversionPassOptions memrefs;
  memrefs.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefs));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  // Padding lanes of vector ops (ub.poison) become LLVM poison.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::slim::addPackContractions(OpPassManager &pm,
                                     const CodegenOptions &options) {
  SlimPackContractionsPassOptions pack;
  pack.isa = options.isa;
  pack.weightOnlyActivations = options.weightOnlyActivations;
  pack.sparseWeights = options.sparseWeights;
  pm.addNestedPass<func::FuncOp>(createSlimPackContractionsPass(pack));
}

void mlir::slim::buildSlimCpuPipeline(OpPassManager &pm,
                                      const CodegenOptions &options) {
  addPackContractions(pm, options);
  buildSlimToLinalgPipeline(pm);
  buildSlimCodegenPipeline(pm, options);
}

/// The report the passes of a pipeline fill, when one is asked for.
static std::shared_ptr<LayerReport> startReport(StringRef path) {
  return path.empty() ? nullptr : std::make_shared<LayerReport>();
}

static void finishReport(OpPassManager &pm, std::shared_ptr<LayerReport> layers,
                         StringRef path, StringRef format) {
  if (layers)
    pm.addPass(createWriteLayerReportPass(std::move(layers), path.str(),
                                          format.str()));
}

void mlir::slim::addPtqStaticPasses(OpPassManager &pm,
                                    const PtqStaticOptions &options,
                                    std::shared_ptr<LayerReport> layers) {
  SlimFoldCalibrationPassOptions fold;
  fold.statsFile = options.stats;
  fold.method = options.method;
  fold.percentile = options.percentile;
  fold.storage = options.activationStorage;
  fold.scheme = options.activationScheme;
  fold.outputs = options.outputs;
  fold.skip.assign(options.skip.begin(), options.skip.end());
  pm.addPass(createSlimFoldCalibrationPass(fold, layers));
  SlimQuantizeWeightsPassOptions weights;
  weights.bits = options.weightBits;
  weights.granularity = options.weightGranularity;
  weights.method = options.weightMethod;
  weights.embeddingBits = options.embeddingBits;
  weights.embeddingMinRows = options.embeddingMinRows;
  weights.skip.assign(options.skip.begin(), options.skip.end());
  pm.addPass(createSlimQuantizeWeightsPass(weights, layers));
  SlimFuseQuantizedPassOptions fuse;
  fuse.floatOutputs = options.outputs == "float";
  fuse.strict = options.strict;
  fuse.skip.assign(options.skip.begin(), options.skip.end());
  pm.addPass(createSlimFuseQuantizedPass(fuse, layers));
  pm.addPass(createCanonicalizerPass());
}

void mlir::slim::addWeightOnlyPasses(OpPassManager &pm,
                                     const WeightOnlyOptions &options,
                                     std::shared_ptr<LayerReport> layers) {
  SlimQuantizeWeightsPassOptions weights;
  weights.bits = options.bits;
  weights.granularity = options.granularity;
  weights.groupSize = options.groupSize;
  weights.scheme = options.scheme;
  weights.narrowRange = options.narrowRange;
  weights.method = options.method;
  weights.hessianDir = options.hessians;
  weights.int8Layers.assign(options.int8Layers.begin(),
                            options.int8Layers.end());
  weights.sizeBudget = options.sizeBudget;
  weights.embeddingBits = options.embeddingBits;
  weights.embeddingMinRows = options.embeddingMinRows;
  weights.skip.assign(options.skip.begin(), options.skip.end());
  pm.addPass(createSlimQuantizeWeightsPass(weights, layers));
  pm.addPass(createCanonicalizerPass());
}

void mlir::slim::addPtqDynamicPasses(OpPassManager &pm,
                                     const PtqDynamicOptions &options,
                                     std::shared_ptr<LayerReport> layers) {
  SlimQuantizeWeightsPassOptions weights;
  weights.embeddingBits = options.embeddingBits;
  weights.embeddingMinRows = options.embeddingMinRows;
  weights.skip.assign(options.skip.begin(), options.skip.end());
  pm.addPass(createSlimQuantizeWeightsPass(weights, layers));
  SlimQuantizeDynamicPassOptions dynamic;
  dynamic.granularity = options.activationGranularity;
  pm.addPass(createSlimQuantizeDynamicPass(dynamic, layers));
  pm.addPass(createCanonicalizerPass());
}

/// A quantization pipeline on its own: its passes and its report.
template <typename Options, typename Add>
static void buildReported(OpPassManager &pm, const Options &options, Add add) {
  std::shared_ptr<LayerReport> layers = startReport(options.report);
  add(pm, options, layers);
  finishReport(pm, layers, options.report, options.reportFormat);
}

void mlir::slim::buildPtqStaticPipeline(OpPassManager &pm,
                                        const PtqStaticOptions &options) {
  buildReported(pm, options, addPtqStaticPasses);
}

void mlir::slim::buildWeightOnlyPipeline(OpPassManager &pm,
                                         const WeightOnlyOptions &options) {
  buildReported(pm, options, addWeightOnlyPasses);
}

void mlir::slim::buildPtqDynamicPipeline(OpPassManager &pm,
                                         const PtqDynamicOptions &options) {
  buildReported(pm, options, addPtqDynamicPasses);
}

LogicalResult
mlir::slim::addSparsifyPasses(OpPassManager &pm, const SparsifyOptions &options,
                              std::shared_ptr<LayerReport> layers) {
  if (!llvm::is_contained({"static", "dynamic", "weight-only", "none"},
                          options.quantize.getValue()))
    return failure();
  SlimPrunePassOptions prune;
  prune.pattern = options.pattern;
  prune.sparsity = options.sparsity;
  prune.n = options.n;
  prune.m = options.m;
  prune.block = options.block;
  prune.banks = options.banks;
  prune.criterion = options.criterion;
  prune.hessianDir = options.hessians;
  prune.maxOutputError = options.maxOutputError;
  prune.damp = options.damp;
  prune.refit = options.refit;
  prune.biasCorrection = options.biasCorrection;
  prune.skip.assign(options.skip.begin(), options.skip.end());
  pm.addPass(createSlimPrunePass(prune, layers));
  // The quantization pipelines' options, from this pipeline's.
  if (options.quantize == "static") {
    PtqStaticOptions o;
    o.skip = options.skip;
    o.embeddingBits = options.embeddingBits;
    o.embeddingMinRows = options.embeddingMinRows;
    o.stats = options.stats;
    o.method = options.method;
    o.outputs = options.outputs;
    addPtqStaticPasses(pm, o, layers);
  } else if (options.quantize == "dynamic") {
    PtqDynamicOptions o;
    o.skip = options.skip;
    o.embeddingBits = options.embeddingBits;
    o.embeddingMinRows = options.embeddingMinRows;
    addPtqDynamicPasses(pm, o, layers);
  } else if (options.quantize == "weight-only") {
    WeightOnlyOptions o;
    o.skip = options.skip;
    o.embeddingBits = options.embeddingBits;
    o.embeddingMinRows = options.embeddingMinRows;
    o.bits = options.bits;
    o.granularity = options.granularity;
    o.groupSize = options.groupSize;
    addWeightOnlyPasses(pm, o, layers);
  }
  return success();
}

LogicalResult
mlir::slim::buildSparsifyPipeline(OpPassManager &pm,
                                  const SparsifyOptions &options) {
  std::shared_ptr<LayerReport> layers = startReport(options.report);
  if (failed(addSparsifyPasses(pm, options, layers)))
    return failure();
  finishReport(pm, layers, options.report, options.reportFormat);
  return success();
}

void mlir::slim::registerSlimPipelines() {
  PassPipelineRegistration<PtqDynamicOptions>(
      "slim-ptq-dynamic",
      "Dynamic quantization: int8 per-channel weights, activations quantized "
      "at run time, per row (per token) by default or per tensor (ONNX "
      "DynamicQuantizeLinear semantics)",
      buildPtqDynamicPipeline);
  PassPipelineRegistration<PtqStaticOptions>(
      "slim-ptq-static",
      "Static PTQ of a module instrumented and calibrated with "
      "slim-insert-observers and slim-run --calibrate: fold the statistics, "
      "quantize weights, fuse into integer ops",
      buildPtqStaticPipeline);
  PassPipelineRegistration<WeightOnlyOptions>(
      "slim-weight-only",
      "Weight-only quantization (int8/int4 weights, per group by default)",
      buildWeightOnlyPipeline);
  registerPassPipeline(
      "slim-sparsify",
      "Prune (slim-prune's options) then quantize (quantize=static with "
      "stats=, dynamic, weight-only or none), one per-layer report",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> error) {
        SparsifyOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        if (failed(buildSparsifyPipeline(pm, options)))
          return error("slim-sparsify: unknown quantize='" + options.quantize +
                       "' (expected static, dynamic, "
                       "weight-only or none)");
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> handler) {
        handler(SparsifyOptions());
      });
  PassPipelineRegistration<>(
      "slim-tosa-to-linalg-pipeline",
      "TOSA (as slim-import --dialect tosa writes it) to linalg on tensors, "
      "then slim-normalize-imported",
      [](OpPassManager &pm) { buildTosaToLinalgPipeline(pm); });
  PassPipelineRegistration<>(
      "slim-lower-to-linalg-pipeline",
      "Lower slim ops and quantized types to linalg/arith on integers",
      [](OpPassManager &pm) { buildSlimToLinalgPipeline(pm); });
  PassPipelineRegistration<CodegenOptions>(
      "slim-codegen-pipeline",
      "Bufferize and lower tensor-level linalg to the LLVM dialect for CPU",
      [](OpPassManager &pm, const CodegenOptions &options) {
        buildSlimCodegenPipeline(pm, options);
      });
  PassPipelineRegistration<CodegenOptions>(
      "slim-cpu-pipeline",
      "The default CPU pipeline: slim-lower-to-linalg-pipeline then "
      "slim-codegen-pipeline (what slim-run runs)",
      [](OpPassManager &pm, const CodegenOptions &options) {
        buildSlimCpuPipeline(pm, options);
      });
}
