//===- SlimAttrs.td - Slim attributes and enums ------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_DIALECT_SLIM_IR_SLIMATTRS_TD
#define SLIM_DIALECT_SLIM_IR_SLIMATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "slim/Dialect/Slim/IR/SlimDialect.td"

def Slim_RoundingMode : I32EnumAttr<"RoundingMode",
    "how a real value halfway between two integers is rounded", [
      I32EnumAttrCase<"HalfToEven", 0, "half_to_even">,
      I32EnumAttrCase<"HalfAwayFromZero", 1, "half_away_from_zero">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::slim";
}

def Slim_RoundingModeAttr : EnumAttr<Slim_Dialect, Slim_RoundingMode,
                                     "rounding"> {
  let summary = "Rounding mode of a float-to-integer step";
  let description = [{
    `half_to_even` rounds ties to the even integer (ONNX QuantizeLinear, IEEE
    roundeven); `half_away_from_zero` rounds ties away from zero
    (TFLite/gemmlowp, C `round`). Both round the exact float32 quotient, so
    0.49999997 rounds to 0 under either mode.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Slim_RequantMode : I32EnumAttr<"RequantMode",
    "how slim.requantize applies its real multiplier", [
      I32EnumAttrCase<"FixedPoint", 0, "fixed_point">,
      I32EnumAttrCase<"Float", 1, "float">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::slim";
}

def Slim_RequantModeAttr : EnumAttr<Slim_Dialect, Slim_RequantMode,
                                    "requant_mode"> {
  let summary = "Arithmetic of a requantization";
  let description = [{
    `fixed_point` applies the multiplier as a 32-bit fixed-point number and a
    power-of-two shift (gemmlowp / TFLite reference arithmetic); `float`
    multiplies in float64 and rounds with the op's rounding mode.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Slim_KernelIsa : I32EnumAttr<"KernelIsa",
    "instruction set of a runtime micro-kernel", [
      I32EnumAttrCase<"Generic", 0, "generic">,
      I32EnumAttrCase<"Avx2", 1, "avx2">,
      I32EnumAttrCase<"AvxVnni", 2, "avx_vnni">,
      I32EnumAttrCase<"Avx512Vnni", 3, "avx512_vnni">,
      I32EnumAttrCase<"Amx", 4, "amx">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::slim";
}

def Slim_KernelIsaAttr : EnumAttr<Slim_Dialect, Slim_KernelIsa, "isa"> {
  let summary = "Instruction set of the micro-kernel an op runs on";
  let description = [{
    Which of the runtime's micro-kernels executes the op: `generic`
    (portable C++), `avx2` (AVX2 + FMA; int8 exact through vpmaddwd),
    `avx_vnni` (vpdpbusd on ymm), `avx512_vnni` (vpdpbusd on zmm), `amx`
    (AMX-INT8 tiles, and AVX-512 VNNI below 16 rows). Chosen at compile time
    by `slim-pack-contractions` (from the host, or forced); code that calls a
    kernel the CPU lacks is refused before it runs.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Slim_SparsityPattern : I32EnumAttr<"SparsityPattern",
    "which weights a pruning pattern removes", [
      I32EnumAttrCase<"Unstructured", 0, "unstructured">,
      I32EnumAttrCase<"NM", 1, "nm">,
      I32EnumAttrCase<"Block", 2, "block">,
      I32EnumAttrCase<"Bank", 3, "bank">,
      I32EnumAttrCase<"Channel", 4, "channel">,
      I32EnumAttrCase<"Head", 5, "head">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::slim";
}

def Slim_SparsityAttr : AttrDef<Slim_Dialect, "Sparsity"> {
  let mnemonic = "sparsity";
  let summary = "The sparsity pattern of an op's pruned constant weight";
  let description = [{
    Set by `slim-prune` on the compute op whose weight it pruned (as the
    discardable attribute `slim.sparsity`), for later passes, the layer
    report and the lowering: `pattern` (`unstructured`; `nm`, `n` of
    every `m` consecutive weights along the reduction kept; `bank`, the
    same counts from a bank-balanced pruning, `n` kept in each of the banks
    of `m` weights a column's K is split into; `block`, `blockRows` x
    `blockCols` blocks removed whole; `channel` and `head`, whole output
    channels or attention heads removed, the shapes shrunk), and `zeros`,
    the fraction of the weight's values that are zero after pruning (an
    f64 in [0, 1]; for `channel` and `head`, whose weights keep no zeros,
    the fraction of the layer's channels or heads removed). The fields a
    pattern does not use are 0.

    Example: `#slim.sparsity<nm, n = 2, m = 4, blockRows = 0, blockCols = 0,
    zeros = 5.000000e-01 : f64>`.
  }];
  let parameters = (ins
    EnumParameter<Slim_SparsityPattern>:$pattern,
    "int64_t":$n,
    "int64_t":$m,
    "int64_t":$blockRows,
    "int64_t":$blockCols,
    "::mlir::FloatAttr":$zeros
  );
  let assemblyFormat =
      "`<` $pattern `,` struct($n, $m, $blockRows, $blockCols, $zeros) `>`";
}

def Slim_LowRankMethod : I32EnumAttr<"LowRankMethod",
    "how a low-rank factorization was fitted", [
      I32EnumAttrCase<"Svd", 0, "svd">,
      I32EnumAttrCase<"Asvd", 1, "asvd">,
      I32EnumAttrCase<"SvdLlm", 2, "svdllm">,
      I32EnumAttrCase<"OneBit", 3, "onebit">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::slim";
}

def Slim_LowRankForm : I32EnumAttr<"LowRankForm",
    "the ops a factorized layer became", [
      I32EnumAttrCase<"Matmul", 0, "matmul">,
      I32EnumAttrCase<"Tucker2", 1, "tucker2">,
      I32EnumAttrCase<"Spatial", 2, "spatial">,
      I32EnumAttrCase<"Depthwise", 3, "depthwise">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::slim";
}

def Slim_LowRankFormParameter : EnumParameter<Slim_LowRankForm> {
  let defaultValue = "::mlir::slim::LowRankForm::Matmul";
}

def Slim_LowRankAttr : AttrDef<Slim_Dialect, "LowRank"> {
  let mnemonic = "low_rank";
  let summary = "One of the two factors of a weight that slim-low-rank "
                "factorized";
  let description = [{
    Set by `slim-low-rank` (as the discardable attribute `slim.low_rank`)
    on the two contractions that replace a layer y = x W with y = (x A) B:
    `factor` 0 on x A (A: K x `rank`), 1 on the product by B (`rank` x
    N), which also takes the layer's original init. `method` names how the
    factors were fitted (`svd`: the truncated SVD of W; `asvd`: of W with
    its rows scaled by the calibration inputs' channel magnitudes;
    `svdllm`: of W whitened by the Cholesky factor of the inputs' Gram
    matrix, which minimizes the output error on them; `onebit`: W ~ diag(a)
    sign(W) diag(b), rank 1, where factor 0 is the `linalg.generic` that
    scales x by a and factor 1 the `slim.sign_matmul` by the signs and b).
    A convolution's
    decomposition names its `form` (omitted for matmuls): `tucker2` (a 1 x 1
    convolution down to `rank` channels, factor 0; the k x k core, 1; a 1 x
    1 convolution up, 2), `spatial` (k x 1, factor 0, then 1 x k, 1) or
    `depthwise` (a depthwise k x k, 0, then a pointwise 1 x 1, 1). For the
    report, later passes and readers of the IR.

    Examples: `#slim.low_rank<svdllm, rank = 64, factor = 0>`,
    `#slim.low_rank<svd, rank = 16, factor = 2, form = tucker2>`.
  }];
  let parameters = (ins
    EnumParameter<Slim_LowRankMethod>:$method,
    "int64_t":$rank,
    "int64_t":$factor,
    Slim_LowRankFormParameter:$form
  );
  let assemblyFormat =
      "`<` $method `,` struct($rank, $factor, $form) `>`";
  let genVerifyDecl = 1;
}

#endif // SLIM_DIALECT_SLIM_IR_SLIMATTRS_TD
