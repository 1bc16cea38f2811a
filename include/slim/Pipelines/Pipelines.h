//===- Pipelines.h - Named Slim pass pipelines --------------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_PIPELINES_PIPELINES_H
#define SLIM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <memory>

namespace mlir {
namespace slim {

/// Slim ops and quantized types -> linalg/arith/tensor on integers
/// (canonicalize, which folds quantized constants, slim-lower-observers
/// erasing any observer, slim-lower-quant, convert-elementwise-to-linalg,
/// then canonicalize and cse). Registered as
/// `slim-lower-to-linalg-pipeline`.
/// TOSA to linalg on tensors (upstream's passes), then
/// slim-normalize-imported.
void buildTosaToLinalgPipeline(OpPassManager &pm);

void buildSlimToLinalgPipeline(OpPassManager &pm);

/// Options of the code generation half.
struct CodegenOptions : public PassPipelineOptions<CodegenOptions> {
  Option<std::string> isa{
      *this, "isa",
      llvm::cl::desc("Micro-kernel ISA of slim-pack-contractions: host, "
                     "generic, avx2, avx_vnni, avx512_vnni, amx"),
      llvm::cl::init("host")};
  Option<std::string> weightOnlyActivations{
      *this, "weight-only-activations",
      llvm::cl::desc("slim-pack-contractions' weight-only-activations: f32 "
                     "(default) or int8"),
      llvm::cl::init("f32")};
  Option<std::string> sparseWeights{
      *this, "sparse-weights",
      llvm::cl::desc("slim-pack-contractions' sparse-weights: auto "
                     "(default), never or always"),
      llvm::cl::init("auto")};
  Option<int64_t> parallelWork{
      *this, "parallel-work",
      llvm::cl::desc("Loop nests of at least this many iterations run on "
                     "threads (OpenMP parallel regions; 0: none)"),
      llvm::cl::init(int64_t(1) << 15)};
};

/// Tensor-level linalg/arith/math -> LLVM dialect for the CPU: contractions
/// with constant weights onto the runtime's micro-kernels
/// (slim-pack-contractions), bufferize (function boundaries included), free
/// temporaries, kernel calls, loops, LLVM. Registered as
/// `slim-codegen-pipeline`.
void buildSlimCodegenPipeline(OpPassManager &pm,
                              const CodegenOptions &options = {});

/// slim-pack-contractions with `options.isa`, on every function. The CPU
/// pipeline runs it first on Slim's ops (slim.dynamic_qmatmul becomes one
/// kernel call only before slim-lower-quant expands it), and again on
/// linalg inside the codegen half.
void addPackContractions(OpPassManager &pm, const CodegenOptions &options);

/// The default CPU pipeline: slim-pack-contractions, then the two above in
/// order. Registered as `slim-cpu-pipeline`; slim-run uses the same passes.
void buildSlimCpuPipeline(OpPassManager &pm,
                          const CodegenOptions &options = {});

/// The options every compression pipeline has: layers to leave in float,
/// the bits of embedding tables, and the per-layer report.
template <typename Derived>
struct ReportOptions : public PassPipelineOptions<Derived> {
  ::mlir::detail::PassOptions::ListOption<std::string> skip{
      *this, "skip",
      llvm::cl::desc("Layers left in float: regular expressions on the layer "
                     "names of the report (main/linalg.matmul#4)")};
  ::mlir::detail::PassOptions::Option<unsigned> embeddingBits{
      *this, "embedding-bits",
      llvm::cl::desc("Embedding tables (gathers from a constant table): 8 "
                     "(a scale per row), 4 (a scale per group of a row) or "
                     "0 (left float)"),
      llvm::cl::init(8)};
  ::mlir::detail::PassOptions::Option<int64_t> embeddingMinRows{
      *this, "embedding-min-rows",
      llvm::cl::desc("Embedding tables with fewer rows stay float"),
      llvm::cl::init(1024)};
  ::mlir::detail::PassOptions::Option<std::string> report{
      *this, "report", llvm::cl::desc("Where to write the per-layer report")};
  ::mlir::detail::PassOptions::Option<std::string> reportFormat{
      *this, "report-format",
      llvm::cl::desc("json, table (Markdown) for reading, or html (one self-contained page)"),
      llvm::cl::init("json")};
};

/// Options of `slim-ptq-static`.
struct PtqStaticOptions : public ReportOptions<PtqStaticOptions> {
  Option<std::string> stats{*this, "stats",
                            llvm::cl::desc("Calibration statistics (JSON)")};
  Option<std::string> method{
      *this, "method",
      llvm::cl::desc("minmax, ema, percentile, entropy or mse"),
      llvm::cl::init("minmax")};
  Option<double> percentile{*this, "percentile",
                            llvm::cl::desc("Percentile for method=percentile"),
                            llvm::cl::init(99.99)};
  Option<std::string> activationStorage{
      *this, "activation-storage",
      llvm::cl::desc("Activation storage type (u8, i8, ...)"),
      llvm::cl::init("u8")};
  Option<std::string> activationScheme{
      *this, "activation-scheme",
      llvm::cl::desc("asymmetric or symmetric activations"),
      llvm::cl::init("asymmetric")};
  Option<unsigned> weightBits{*this, "weight-bits",
                              llvm::cl::desc("Weight bits: 8 or 4"),
                              llvm::cl::init(8)};
  Option<std::string> weightGranularity{*this, "weight-granularity",
                                        llvm::cl::desc("tensor or channel"),
                                        llvm::cl::init("channel")};
  Option<std::string> weightMethod{
      *this, "weight-method",
      llvm::cl::desc("Weight ranges: minmax or mse (searched clipping)"),
      llvm::cl::init("minmax")};
  Option<std::string> outputs{
      *this, "outputs",
      llvm::cl::desc("quantize: every observed activation is int8 and fused "
                     "ops requantize; float: only the inputs of matmuls and "
                     "convolutions are, fused ops dequantize their int32 "
                     "accumulators"),
      llvm::cl::init("quantize")};
  Option<bool> strict{
      *this, "strict",
      llvm::cl::desc("Fail instead of leaving a layer in float (the skip= "
                     "layers excepted): for a fully integer model"),
      llvm::cl::init(false)};
};

/// Static post-training quantization of an instrumented module:
/// slim-fold-calibration, slim-quantize-weights, slim-fuse-quantized,
/// canonicalize. Registered as `slim-ptq-static`.
void buildPtqStaticPipeline(OpPassManager &pm, const PtqStaticOptions &options);

/// Options of `slim-weight-only`.
struct WeightOnlyOptions : public ReportOptions<WeightOnlyOptions> {
  Option<unsigned> bits{*this, "bits", llvm::cl::desc("8 or 4"),
                        llvm::cl::init(8)};
  Option<std::string> granularity{*this, "granularity",
                                  llvm::cl::desc("tensor, channel or group"),
                                  llvm::cl::init("group")};
  Option<int64_t> groupSize{*this, "group-size",
                            llvm::cl::desc("Elements per group"),
                            llvm::cl::init(128)};
  Option<std::string> scheme{*this, "scheme",
                             llvm::cl::desc("symmetric or asymmetric"),
                             llvm::cl::init("symmetric")};
  Option<bool> narrowRange{
      *this, "narrow-range",
      llvm::cl::desc("Symmetric weights without the lowest storage value"),
      llvm::cl::init(true)};
  Option<std::string> method{
      *this, "method",
      llvm::cl::desc("Weight ranges: minmax or mse (searched clipping)"),
      llvm::cl::init("minmax")};
  Option<std::string> hessians{
      *this, "hessians",
      llvm::cl::desc("GPTQ from the Hessians slim-run --calibrate --hessians "
                     "wrote (the module must be the observed one)")};
  ListOption<std::string> int8Layers{
      *this, "int8-layers",
      llvm::cl::desc("With bits=4 or embedding-bits=4: layers (int8 per "
                     "channel) and embedding tables (int8 per row) kept at 8 "
                     "bits (regular expressions on names)")};
  Option<double> sizeBudget{
      *this, "size-budget",
      llvm::cl::desc("With bits=4 or embedding-bits=4: bytes allowed as a "
                     "fraction of the float bytes; the most sensitive layers "
                     "and tables get 8 bits (0: off)"),
      llvm::cl::init(0.0)};
};

/// Weight-only quantization: integer weights dequantized in the kernel,
/// float activations (slim-quantize-weights, canonicalize). Registered as
/// `slim-weight-only`.
void buildWeightOnlyPipeline(OpPassManager &pm,
                             const WeightOnlyOptions &options);

/// Dynamic quantization: int8 weights per output channel, activations
/// quantized at run time (slim-quantize-weights, slim-quantize-dynamic,
/// canonicalize). Registered as `slim-ptq-dynamic`.
struct PtqDynamicOptions : public ReportOptions<PtqDynamicOptions> {
  Option<std::string> activationGranularity{
      *this, "activation-granularity",
      llvm::cl::desc("Activation parameters per row (per token: the "
                     "default) or per tensor (ONNX's DynamicQuantizeLinear)"),
      llvm::cl::init("row")};
};
void buildPtqDynamicPipeline(OpPassManager &pm,
                             const PtqDynamicOptions &options);

/// Options of `slim-sparsify`: slim-prune's, then the quantization.
struct SparsifyOptions : public ReportOptions<SparsifyOptions> {
  Option<std::string> pattern{
      *this, "pattern",
      llvm::cl::desc("slim-prune: unstructured, nm, block, bank, channel or "
                     "head"),
      llvm::cl::init("nm")};
  Option<double> sparsity{*this, "sparsity",
                          llvm::cl::desc("slim-prune's sparsity"),
                          llvm::cl::init(0.5)};
  Option<int64_t> n{*this, "n", llvm::cl::desc("N:M: kept per group"),
                    llvm::cl::init(2)};
  Option<int64_t> m{*this, "m", llvm::cl::desc("N:M: group size"),
                    llvm::cl::init(4)};
  Option<std::string> block{*this, "block",
                            llvm::cl::desc("block: RxC"),
                            llvm::cl::init("1x4")};
  Option<int64_t> banks{*this, "banks",
                        llvm::cl::desc("bank: banks per column"),
                        llvm::cl::init(0)};
  Option<std::string> criterion{
      *this, "criterion", llvm::cl::desc("magnitude, wanda or sparsegpt"),
      llvm::cl::init("magnitude")};
  Option<std::string> hessians{
      *this, "hessians",
      llvm::cl::desc("Gram matrices of the calibration inputs (slim-run "
                     "--calibrate --hessians): wanda, sparsegpt, the output "
                     "errors")};
  Option<double> maxOutputError{
      *this, "max-output-error",
      llvm::cl::desc("slim-prune's per-layer error budget (0: none)"),
      llvm::cl::init(0.0)};
  Option<double> damp{*this, "damp",
                      llvm::cl::desc("sparsegpt's damping"),
                      llvm::cl::init(0.01)};
  Option<int64_t> refit{
      *this, "refit",
      llvm::cl::desc("slim-prune's least-squares refit steps (0: none)"),
      llvm::cl::init(0)};
  Option<bool> biasCorrection{
      *this, "bias-correction",
      llvm::cl::desc("slim-prune's bias correction"), llvm::cl::init(false)};
  Option<std::string> quantize{
      *this, "quantize",
      llvm::cl::desc("Then: static (slim-ptq-static with stats=), dynamic "
                     "(slim-ptq-dynamic), weight-only (slim-weight-only) or "
                     "none"),
      llvm::cl::init("static")};
  Option<std::string> stats{
      *this, "stats",
      llvm::cl::desc("static: the calibration statistics (JSON)")};
  Option<std::string> method{
      *this, "method",
      llvm::cl::desc("static: activation ranges (minmax, ema, percentile, "
                     "entropy, mse)"),
      llvm::cl::init("minmax")};
  Option<std::string> outputs{
      *this, "outputs",
      llvm::cl::desc("static: quantize or float (slim-ptq-static's outputs)"),
      llvm::cl::init("quantize")};
  Option<unsigned> bits{
      *this, "bits",
      llvm::cl::desc("weight-only: 8 or 4 (static and dynamic: 8)"),
      llvm::cl::init(8)};
  Option<std::string> granularity{
      *this, "granularity",
      llvm::cl::desc("weight-only: tensor, channel or group"),
      llvm::cl::init("group")};
  Option<int64_t> groupSize{*this, "group-size",
                            llvm::cl::desc("weight-only: elements per group"),
                            llvm::cl::init(128)};
};

/// slim-prune, then the quantization `quantize` names, one per-layer
/// report for both. Registered as `slim-sparsify`. Failure (nothing added)
/// for an unknown `quantize`.
LogicalResult buildSparsifyPipeline(OpPassManager &pm,
                                    const SparsifyOptions &options);

class LayerReport;

/// The passes of each compression pipeline, without the report file:
/// they fill `layers` when it is not null (one report for several
/// pipelines, as slim-compress merges a recipe's steps). The registered
/// pipelines are these plus the pass that writes `report=`.
void addPtqStaticPasses(OpPassManager &pm, const PtqStaticOptions &options,
                        std::shared_ptr<LayerReport> layers);
void addWeightOnlyPasses(OpPassManager &pm, const WeightOnlyOptions &options,
                         std::shared_ptr<LayerReport> layers);
void addPtqDynamicPasses(OpPassManager &pm, const PtqDynamicOptions &options,
                         std::shared_ptr<LayerReport> layers);
/// Failure (nothing added) for an unknown `quantize`.
LogicalResult addSparsifyPasses(OpPassManager &pm,
                                const SparsifyOptions &options,
                                std::shared_ptr<LayerReport> layers);

/// Registers the named pipelines with the global pass registry.
void registerSlimPipelines();

} // namespace slim
} // namespace mlir

#endif // SLIM_PIPELINES_PIPELINES_H
