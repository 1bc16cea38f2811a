//===- Passes.td - Importer normalization passes -----------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_IMPORT_PASSES_TD
#define SLIM_IMPORT_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimNormalizeImportedPass : Pass<"slim-normalize-imported", "ModuleOp"> {
  let summary = "Bring importer output into the forms Slim's passes match";
  let description = [{
    Importers (torch-mlir's ONNX and TOSA routes) write linear layers and
    convolutions in shapes the other Slim passes do not look for. This pass
    rewrites them, and nothing else (it is not upstream elementwise fusion,
    which turns named `linalg.batch_matmul`s into generics no pass can
    recover):

    - **Constant data movement folds.** A `linalg.transpose`, a
      `linalg.broadcast` or a copy-only `linalg.generic` (its body yields its
      one input, read through a projected permutation) of an
      `arith.constant` becomes one constant, when it does not grow the data
      (a transpose, or adding unit dimensions). The weight of
      `linalg.matmul(x, linalg.transpose(W))` becomes a plain constant.
    - **Linear.** A `linalg.batch_matmul` (zero init) whose right operand is
      one constant `K x N` matrix for every batch (broadcast along the batch,
      or a `1 x K x N` constant) becomes a `linalg.matmul` on the
      activation collapsed to `(B*M) x K`; a bias add of a constant vector on
      the last dimension that follows it moves with it, and a
      `tensor.expand_shape` restores `B x M x N`. So every Linear reaches
      quantization, pruning and low-rank passes as
      `matmul(x, W[K, N])` + bias.
    - **Convolution bias.** A `linalg.conv_2d_nchw_fchw` whose init is a
      constant bias broadcast over N, H and W gets a zero-filled init and a
      bias-add `linalg.generic` after it; the `tensor.pad` of its input is
      left as it is (the fusion folds it into `slim.qconv2d`'s padding).

    Everything else is left untouched. The rewrites are exact in float.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimResourceConstantsPass : Pass<"slim-resource-constants", "ModuleOp"> {
  let summary = "Move large constants into dense_resource blobs";
  let description = [{
    Replaces every non-splat `arith.constant` of at least `min-bytes` bytes
    (integer or float elements of a whole number of bytes) by the same values
    as a `dense_resource` blob. Written as bytecode, such a module loads its
    weights without parsing them (FACTS.md: 0.0006 s instead of 0.26 s for
    a 4096x4096 f32 constant); `slim-import` runs it before writing
    `.mlirbc`. Blob names are `<func>_w<k>`, numbered in walk order.
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"1024",
           "Constants smaller than this stay inline">,
  ];
}

#endif // SLIM_IMPORT_PASSES_TD
