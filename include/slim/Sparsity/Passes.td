//===- Passes.td - Slim pruning passes ---------------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SPARSITY_PASSES_TD
#define SLIM_SPARSITY_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimPrunePass : Pass<"slim-prune", "::mlir::ModuleOp"> {
  let summary = "Prune the constant weights of matmuls to a sparsity pattern";
  let description = [{
    For every `linalg.matmul` and `linalg.batch_matmul` (default indexing
    maps) whose right-hand side is a constant f32 weight (an
    `arith.constant`, possibly through `linalg.transpose` or
    `linalg.broadcast`, read in the layout the op uses: K x N, or B x K x
    N with each batch pruned on its own), and every
    `linalg.conv_2d_nchw_fchw` / `conv_2d_nhwc_hwcf` with a constant f32
    filter (pruned as the K x F matrix of its taps, K in (kh, kw, c) order:
    an n:m group is m input channels of one tap; its Gram matrix is that of
    its input's patches, which `slim-insert-observers` marks), the
    weight is replaced by a
    constant with the pruned weights set to +0, and the op is marked with
    a `#slim.sparsity` attribute (`slim.sparsity`) naming the pattern and
    the fraction of zeros, for later passes, the report and the lowering.

    * `pattern=unstructured` (any weights: the `sparsity` fraction of the
      layer with the lowest scores), `nm` (`n` kept of every `m`
      consecutive weights along the reduction dimension K, per output
      column: 2:4 by default, what sparse tensor cores and Slim's sparse
      kernels read) or `block` (`block=RxC`: R rows along K by C columns,
      whole blocks removed, the lowest-scoring `sparsity` fraction) or
      `bank` (bank-balanced: each column's K weights split into `banks`
      equal banks, each pruned to the same `sparsity`: n:m with m = K /
      banks and n = m - round(sparsity * m), per layer);
    * `criterion=magnitude` (score |w|) or `wanda` (|w| times the norm of
      the input channel it reads, from the diagonal of the calibration
      inputs' Gram matrix: `hessians=DIR` as `slim-run --calibrate
      --hessians DIR` writes it; 2-D matmuls reading a `slim.observe`,
      convolutions reading one with `patches`) or
      `sparsegpt` (layer-wise reconstruction: the rows of W in order, each
      removed weight's error spread over the rows not yet visited through
      the Cholesky factor of the damped H^-1, GPTQ's machinery; the mask
      chosen by OBS saliency w^2 / [H^-1]_kk as the rows are reached, per
      group of m rows for n:m, per 128 rows for unstructured; the kept
      weights change; unstructured and nm only; same `hessians=`);
    * `skip=` leaves the named layers dense (regular expressions on layer
      names, as the quantization passes have it);
    * `scope=global` (with `hessians=`) makes `sparsity=` a target for all
      the pruned layers' weights together: every layer's output error is
      measured for each choice (unstructured: 0 to 95% in steps of 5%;
      a fixed pattern: dense or pruned), and each layer takes the choice
      that minimizes the sum of the layers' relative output errors while
      the weights removed reach the target (a Lagrange multiplier per
      removed weight, bisected); sensitive layers stay denser, or dense
      with a remark. Every layer needs its Gram matrix (skip= the others);
      not with `max-output-error`;
    * `stage=k` prunes only the layers of stage k, for sequential
      calibration: a layer's stage is 0 when no prunable layer computes its
      input, else one more than the latest stage its input depends on
      (Q, K and V of an attention block share one; the output projection
      is the next). Calibrating, pruning stage k, calibrating the result
      and pruning stage k + 1 lets each stage's Gram matrices see the
      earlier stages already pruned (SparseGPT's sequential mode). A stage
      with no layer is a remark and no change.

    `pattern=channel` and `pattern=head` remove whole output channels
    (attention heads) and shrink the shapes: a layer (a 2-D matmul, or a
    convolution, with a constant f32 weight) loses weight columns
    (filters), and every tensor its channels reach shrinks with it: bias
    adds, activations and other linalg ops whose loops carry the channels
    (elementwise generics, transposes, poolings, fills), reshapes that
    keep each unit a whole slice of one dimension, `slim.observe`; the
    layers that read the channels (contractions and convolutions reducing
    over them) lose the matching weight rows (input channels). A tensor
    met on the way that is computed elsewhere (the K of Q K^T) is traced
    back to the layer computing it, so Q, K and V of an attention block
    are pruned together, one head at a time: `pattern=head` takes as unit
    the channels of one head (from the `tensor.expand_shape` that splits
    the projection's channels into heads) and prunes only layers whose
    channels are split so. Where the channels reach something that cannot
    shrink (a function argument or result, a residual add, a reduction
    over the channels such as a normalization, an op it does not know)
    the layer is left as it is with a remark naming the op. `sparsity` is
    the fraction of units removed; a unit scores, with `magnitude`, the
    norm of the weights computing it times the norm of the weights reading
    it, with `wanda` its share of the reading layers' outputs on the
    calibration inputs (tr(W_u^T H_uu W_u) / ||X W||^2 from their Gram
    matrices), and `sparsegpt` takes wanda's units and moves the reading
    layers' kept rows to make up for the removed ones (least squares on
    the calibration inputs: W_K += (H_KK + damping)^-1 H_KS W_S). With a
    Gram criterion or `max-output-error`, a layer whose readers lack a
    Gram matrix of the right size is left as it is with a remark.
    `max-output-error` removes the largest fraction, in steps of 0.05 from
    `sparsity` down, whose relative output error at every reading layer
    fits. Layers are pruned one after the other in IR order, each traced
    on the IR the ones before left; the attribute's `zeros` is the
    fraction of units removed. Re-calibrate after channel pruning: the
    observed tensors changed shape.

    The count removed is `round(sparsity * count)` (ties to even); among
    equal scores the lower index is kept, so the mask is deterministic.
    Each pruned op gets a remark with the fraction of zeros and, when the
    layer has a Gram matrix (`hessians=`, any criterion), its relative
    output error on the calibration inputs, `||X (W - W')||^2 / ||X W||^2`,
    computed exactly from H = X^T X; `report=path.json` writes the same per
    layer (name, pattern, criterion, zeros, nonzeros, dense bytes, output
    error).

    `refit=N` (with `hessians=`) then moves each pruned layer's kept
    weights, the mask fixed, toward the least-squares fit of the dense
    layer on the calibration inputs: per output column, (H_SS + lambda I)
    w'_S = (H w)_S + lambda w_S over its kept rows S (`damp` sets lambda;
    it pulls toward the dense weights), N steps of conjugate gradients
    from the pruned weights, kept only where it lowers the layer's error
    on the calibration inputs (SparseGPT's sequential updates approximate
    this fit; Wanda and magnitude choose a mask only). Not for channel or
    head pruning (their sparsegpt criterion fits the readers exactly).

    `bias-correction=true` (with `hessians=`, whose index holds the sums
    of the calibration inputs as well as their Gram matrices) adds to each
    pruned layer's bias what pruning removes from its outputs on average,
    `E[x]^T (W - W')` over the calibration inputs (channel and head
    pruning: to the reading layers' biases); a bias is the constant of a
    bias add after the layer or the one broadcast into a convolution's
    init, and a layer without one keeps its outputs' mean shift (the
    report's `bias_corrected` says which).

    `max-output-error=e` (with `hessians=`) is a per-layer error budget:
    an unstructured layer gets the largest sparsity, from `sparsity` down
    in steps of 0.05, whose output error is at most `e`; a layer of a
    fixed pattern (n:m, bank, block) is pruned only if its error is at
    most `e`, and otherwise left dense with a remark. Every layer then
    needs a Gram matrix.

    Refused, with the module unchanged: a sparsity outside [0, 1), `n`
    outside [0, m], an `m` (or `banks`) that does not divide K, `banks`
    below 1, blocks that do not tile
    the weight, a weight holding NaN or Inf, a negative
    `max-output-error` or one without `hessians=` (or for a layer without
    a Gram matrix), `wanda` or `sparsegpt`
    without `hessians=` or for a layer without a Gram matrix, an unknown pattern or
    criterion, `sparsegpt` with blocks or a Hessian that is not positive
    definite, a skip pattern that matches no layer, a negative `refit` or
    `refit` or `bias-correction` without `hessians=`; for `channel` and
    `head`, also `scope=global`, `stage=` or `refit` (shapes change:
    every layer at once, and sparsegpt fits the readers).
  }];
  let options = [
    Option<"pattern", "pattern", "std::string", /*default=*/"\"nm\"",
           "unstructured, nm, block, bank, channel or head">,
    Option<"sparsity", "sparsity", "double", /*default=*/"0.5",
           "Fraction of weights (unstructured), blocks (block), channels "
           "(channel) or heads (head) removed">,
    Option<"n", "n", "int64_t", /*default=*/"2", "N:M: weights kept per group">,
    Option<"m", "m", "int64_t", /*default=*/"4", "N:M: group size along K">,
    Option<"banks", "banks", "int64_t", /*default=*/"0",
           "bank: banks per column along K">,
    Option<"block", "block", "std::string", /*default=*/"\"1x4\"",
           "block: RxC, R rows along K by C columns">,
    Option<"criterion", "criterion", "std::string", /*default=*/"\"magnitude\"",
           "magnitude, wanda or sparsegpt">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Where to write the per-layer report (JSON)">,
    Option<"maxOutputError", "max-output-error", "double", /*default=*/"0.0",
           "Per-layer error budget (relative output error on the "
           "calibration inputs; 0: none)">,
    Option<"hessianDir", "hessians", "std::string", /*default=*/"\"\"",
           "Directory of Gram matrices (slim-run --calibrate --hessians) "
           "for wanda">,
    ListOption<"skip", "skip", "std::string",
               "Layers left dense: regular expressions on layer names">,
    Option<"scope", "scope", "std::string", /*default=*/"\"layer\"",
           "layer (every layer at sparsity=) or global (sparsity= of all "
           "the pruned layers' weights, spent where the output error "
           "grows least)">,
    Option<"damp", "damp", "double", /*default=*/"0.01",
           "sparsegpt: damping added to H's diagonal, as a fraction of its "
           "mean (GPTQ's percdamp)">,
    Option<"refit", "refit", "int64_t", /*default=*/"0",
           "Conjugate-gradient steps refitting each pruned layer's kept "
           "weights by least squares on the calibration inputs (needs "
           "hessians=; 0: none)">,
    Option<"biasCorrection", "bias-correction", "bool", /*default=*/"false",
           "Add to each pruned layer's bias what pruning removes from its "
           "outputs on average on the calibration inputs (needs hessians=)">,
    Option<"stage", "stage", "int64_t", /*default=*/"-1",
           "Prune only the layers of this stage (sequential calibration; "
           "-1: all)">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::arith::ArithDialect",
  ];
}

#endif // SLIM_SPARSITY_PASSES_TD
