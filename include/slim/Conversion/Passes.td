//===- Passes.td - Slim conversion passes ------------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CONVERSION_PASSES_TD
#define SLIM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimLowerQuantPass : Pass<"slim-lower-quant", "ModuleOp"> {
  let summary = "Lower slim quantization ops to linalg and arith on integers";
  let description = [{
    Rewrites `slim.quantize`, `slim.dequantize`, `slim.requantize` and
    `slim.fake_quant` into `linalg.generic` ops whose bodies compute, with
    `arith` and `math` on the storage integer types, exactly the arithmetic
    stated in each op's description (rounding, saturation, NaN and Inf
    included), for per-tensor, per-axis and sub-channel types. Per-tensor
    parameters become scalar constants in the body; parameters that vary
    become constant tensors read through an indexing map (`d floordiv B` for
    blocks).

    Quantized types are then stripped: function signatures, calls and
    returns use the signless storage integer types (`u8` data becomes `i8`
    holding the same bits), and `quant.scast` disappears.

    The pass refuses, with an error naming the op and leaving the module
    unchanged, any other operation that carries quantized types (it cannot
    know that the op is agnostic to the quantization parameters).

    Example: `slim.quantize %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:-3>>`
    becomes a `linalg.generic` producing `tensor<4xi8>` whose body divides by
    0.5, rounds with `math.roundeven`, adds -3, clamps to [-128, 127] and
    truncates.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // SLIM_CONVERSION_PASSES_TD
