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

def SlimLowerObserversPass : Pass<"slim-lower-observers", "ModuleOp"> {
  let summary = "Remove slim.observe, or turn it into calls that record statistics";
  let description = [{
    `mode=erase` (the default, part of every lowering pipeline) replaces each
    `slim.observe` by its input.

    `mode=runtime` (what `slim-run --calibrate` runs first) numbers the
    observers in module order, records the table as the module attribute
    `slim.observers` (an array of `{id, axis}` dictionaries whose position is
    the observer's number), and replaces each observer by

    ```mlir
    %b = bufferization.to_buffer %x read_only : tensor<...> to memref<...>
    %u = memref.cast %b : memref<...> to memref<*xf32>
    func.call @slim_observe_f32(%number, %u) : (i64, memref<*xf32>) -> ()
    ```

    (f16/bf16 tensors are extended to f32 first). `slim_observe_f32` is
    provided by Slim's runtime (runtime/), which slim-run links into the
    JIT. Duplicate observer ids are refused.
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"erase\"",
           "What to do with observers: erase or runtime">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

#endif // SLIM_CONVERSION_PASSES_TD
