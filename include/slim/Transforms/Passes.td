//===- Passes.td - Slim transformation passes --------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_TRANSFORMS_PASSES_TD
#define SLIM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimInsertObserversPass : Pass<"slim-insert-observers", "ModuleOp"> {
  let summary = "Put a slim.observe on every activation a quantization needs";
  let description = [{
    Finds the compute ops that quantization targets (`linalg.matmul`,
    `linalg.batch_matmul`, `linalg.conv_2d_nhwc_hwcf`,
    `linalg.conv_2d_nchw_fchw`, `linalg.depthwise_conv_2d_nhwc_hwc`,
    `linalg.depthwise_conv_2d_nchw_chw`) and observes:

    * every input that is not constant-like (weights are constants, possibly
      transposed or broadcast by ops on constants);
    * the end of each op's epilogue: the chain of single-use elementwise ops
      that follows it (bias add, ReLU, clamp) whose other operands are
      constant-like. That value is what a fused integer op will requantize.

    A value is observed once, and every other use of it is redirected to the
    observer's result, so that a later quantize/dequantize pair applies to
    all of its consumers. Observer ids are derived from the IR and stable
    across runs: `<function>/arg<i>` for function arguments, otherwise
    `<function>/<op name>#<k>/in<i>` or `/out`, with `k` counting that op
    name in the function in walk order.

    With `granularity=channel` the observers also record per-channel
    extremes along the channel axis (dimension 1 for NCHW convolutions, the
    last dimension otherwise; none for rank-1 tensors or dynamic channel
    dimensions).
  }];
  let options = [
    Option<"granularity", "granularity", "std::string", /*default=*/"\"tensor\"",
           "Statistics per tensor, or per channel as well: tensor or channel">,
  ];
  let dependentDialects = ["::mlir::slim::SlimDialect"];
}

#endif // SLIM_TRANSFORMS_PASSES_TD
