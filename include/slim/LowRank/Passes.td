//===- Passes.td - Slim low-rank passes --------------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LOWRANK_PASSES_TD
#define SLIM_LOWRANK_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimLowRankPass : Pass<"slim-low-rank", "::mlir::ModuleOp"> {
  let summary = "Factorize the constant weights of matmuls into two "
                "low-rank factors";
  let description = [{
    For every `linalg.matmul` (2-D, default indexing maps) whose right-hand
    side is a constant f32 weight W (K x N: an `arith.constant`, possibly
    through `linalg.transpose` or `linalg.broadcast`; batch matmuls and
    convolutions below),
    writes W as A B
    (A: K x r, B: r x N, both new constants) and the op as two matmuls,
    y = (x A) B: the first into a zero-filled M x r tensor, the second
    into the op's own init, so that an accumulating init (a bias filled
    in) keeps its meaning. Both carry a `#slim.low_rank` attribute
    (`slim.low_rank`: method, rank, and which factor), and the remark
    says the rank, the fraction of the parameters kept, the energy kept
    and, with a Gram matrix, the relative output error.

    `method`:
    * `svd`: the truncated SVD of W (minimizes ||W - A B||_F);
    * `asvd` (ASVD, Yuan et al. 2023): the SVD of diag(s) W with s_k the
      RMS of input channel k on the calibration inputs to the power
      `alpha` (0.5), unscaled afterwards: channels that carry large
      activations are kept more exactly;
    * `svdllm` (SVD-LLM, Wang et al. 2024): the SVD of L^T W, L the
      Cholesky factor of the inputs' Gram matrix H = X^T X (plus `damp`
      times its mean diagonal), unwhitened afterwards: with no damping the
      truncation minimizes the output error ||X (W - A B)||_F exactly;
    * `onebit` (OneBit, Xu et al. 2024): not a rank-r product but W ~
      diag(a) sign(W) diag(b), the signs at one bit per weight: a and b
      from the rank-1 SVD of |W| (SVID); with `hessians=`, `refine-steps`
      rounds of alternating least squares on a and b then minimize the
      output error on the calibration inputs instead (each exact in one
      vector: the error never grows). The layer becomes a `linalg.generic`
      scaling x by a (factor 0) and a `slim.sign_matmul` by the packed
      signs and b (factor 1), which the runtime executes on the bits (1/32
      of the f32 weight's bytes). `rank=` and `energy=` do not apply;
      `max-error=` leaves dense the layers whose output error it would
      exceed; min-saving compares bytes. Convolutions stay dense.

    asvd and svdllm need `hessians=DIR` (as `slim-run --calibrate
    --hessians DIR` writes it from a module `slim-insert-observers`
    observed; the layer's input must be observed). The singular values
    split evenly between the factors (A = T^-1 U_r S_r^1/2, B = S_r^1/2
    V_r^T), so that both have alike ranges for quantization afterwards.

    The rank: `rank=r` (at most min(K, N)), or `energy=e` (the smallest
    rank keeping the fraction e of the spectrum's energy, sum sigma_i^2, of
    the matrix truncated: for svdllm that is the output's energy), or
    `max-error=e` (with `hessians=`: the smallest rank whose relative output
    error on the calibration inputs, ||X (W - A B)||^2 / ||X W||^2 as
    slim-prune measures it, is at most e). Exactly one of them.
    `layer-max-error=PATTERN=E,...` gives the layers whose names match a
    pattern (a full-match regular expression; the first entry that
    matches) their own budget E, instead of max-error=, which applies to
    the others (without it, they stay dense): budgets from a model-level
    sensitivity, where layers whose errors the rest of the model shrinks
    (attention's query and key projections) take larger ones.
    `min-saving=s` leaves a layer dense (a remark, and the report says
    why) unless its factors have at most (1 - s) of its parameters (r (K +
    N) <= (1 - s) K N; the multiply-adds per row scale the same); with the
    default 0 a layer is factorized only if that is strictly smaller; a
    negative s allows factors larger than the weight (up to 1 - s times
    its parameters: full-rank factorizations, for tests and experiments).

    The SVD is Eigen's: BDCSVD (every singular value), or for a fixed
    rank of a large matrix (min(K, N) >= 1024, rank + 16 <= min(K, N) / 4)
    a randomized range finder with two power iterations (`solver=auto`,
    the default; `exact` or `randomized` force one).

    Convolutions (`linalg.conv_2d_nchw_fchw`, `conv_2d_nhwc_hwcf`, with
    a constant f32 filter and static spatial sizes) are decomposed by
    `conv=`: `tucker2` (default: a 1 x 1 convolution down to r channels,
    the k x k core r -> r with the op's strides and dilations, a 1 x 1
    convolution up; the truncated HOSVD of the filter's channel and filter
    modes), `spatial` (k x 1 with the row stride, then 1 x k with the
    column stride: the rank-r SVD of the filter as the (C KH) x (F KW)
    matrix), `depthwise` (a depthwise k x k convolution, then a 1 x 1:
    each input channel's rank-1 part), or `none`. Factors are fitted to
    the filter (method=svd; a convolution is left dense with a remark
    under asvd or svdllm); ranks clip to each mode's size; `energy=` uses
    each mode's spectrum, `max-error=` the output error on the input
    patches (their Gram matrix). The op's input is used as it is (already
    padded): the factors keep shapes, padding, strides and dilations.

    A `linalg.batch_matmul` by a constant B x K x N weight is factorized
    batch by batch at one rank (`energy=`: the largest any batch needs)
    into two batch matmuls by B x K x r and B x r x N constants; its input
    pools the batches (no Gram matrix per batch), so only `method=svd`
    with `rank=` or `energy=` takes it (otherwise it stays dense with a
    remark); `slim-factorize` leaves batch matmuls alone.

    `skip=` leaves the named layers dense (regular expressions on layer
    names, as the other passes have it). Products that already carry
    `#slim.low_rank` (factors) are not candidates.

    `stage=k` factorizes only the layers of stage k, for sequential
    calibration (`scripts/sequential.sh`): a layer's stage is 0 when no
    candidate layer computes its input, else one more than the latest
    stage its input depends on, a factorized layer counting as the layer
    it replaced (so stages keep their numbers as they are factorized).
    Factorizing stage k on Gram matrices calibrated on the module with
    stages 0 .. k - 1 already factorized lets each stage make up for the
    error of the ones before it. A stage with no layer is a remark and no
    change. `report=path.json` writes per
    layer: name, method, K, N, rank, energy kept, output error (with a Gram
    matrix), parameters, bytes and multiply-adds per row before and
    after, and the decision with its reason.

    Refused, with the module unchanged: no rank option or more than one
    (onebit: rank= or energy=; a negative refine-steps), a layer-max-error
    entry that is not PATTERN=E with a positive E, whose pattern is not a
    regular expression or matches no layer, or without `hessians=`,
    rank below 1 or above min(K, N) of a layer, energy outside (0, 1],
    a negative max-error or one without `hessians=`, min-saving of 1 or
    more, an unknown method, solver or conv form, asvd or svdllm without
    `hessians=` or for a layer without a Gram matrix, a Gram matrix that
    is not positive definite after damping (svdllm), a weight holding
    NaN or Inf, a skip pattern that matches no layer. A weight that is
    not a constant the pass can read is left as it is, with a remark.
  }];
  let options = [
    Option<"method", "method", "std::string", /*default=*/"\"svd\"",
           "svd, asvd, svdllm or onebit">,
    Option<"rank", "rank", "int64_t", /*default=*/"0",
           "The rank of every factorized layer (0: not set)">,
    Option<"refineSteps", "refine-steps", "int64_t", /*default=*/"8",
           "onebit with hessians=: rounds of least squares on the two "
           "scale vectors (0: SVID only)">,
    Option<"energy", "energy", "double", /*default=*/"0.0",
           "The fraction of the spectrum's energy kept (0: not set)">,
    Option<"maxError", "max-error", "double", /*default=*/"0.0",
           "The relative output error allowed per layer on the calibration "
           "inputs (0: not set; needs hessians=)">,
    Option<"minSaving", "min-saving", "double", /*default=*/"0.0",
           "Leave a layer dense unless its factors save this fraction of "
           "its parameters (0: any saving)">,
    ListOption<"layerMaxErrors", "layer-max-error", "std::string",
               "Per-layer error budgets: PATTERN=E (a regular expression on "
               "layer names and its max-error; first match wins)">,
    Option<"hessianDir", "hessians", "std::string", /*default=*/"\"\"",
           "Directory of Gram matrices (slim-run --calibrate --hessians)">,
    Option<"damp", "damp", "double", /*default=*/"0.01",
           "svdllm: damping added to H's diagonal, as a fraction of its "
           "mean">,
    Option<"alpha", "alpha", "double", /*default=*/"0.5",
           "asvd: the exponent on the input channels' RMS">,
    Option<"solver", "solver", "std::string", /*default=*/"\"auto\"",
           "auto, exact (BDCSVD) or randomized (range finder)">,
    ListOption<"skip", "skip", "std::string",
               "Layers left dense: regular expressions on layer names">,
    Option<"stage", "stage", "int64_t", /*default=*/"-1",
           "Factorize only the layers of this stage (sequential "
           "calibration; -1: all)">,
    Option<"conv", "conv", "std::string", /*default=*/"\"tucker2\"",
           "Convolutions: tucker2, spatial, depthwise or none">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Where to write the per-layer report (JSON)">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimFactorizePass : Pass<"slim-factorize", "::mlir::ModuleOp"> {
  let summary = "Choose each layer's rank (or leave it dense) to meet a "
                "model-level budget, and factorize";
  let description = [{
    `slim-low-rank`'s rewrite (the same candidate matmuls and convolutions
    (below), methods, factors and `#slim.low_rank` attributes; batch
    matmuls are not candidates) with the ranks chosen together for
    all the layers: `params=f` keeps at most the fraction f of the
    candidate layers' parameters (and so of their multiply-adds per row),
    spent where the output error grows least; `max-error=e` saves the most
    parameters while the mean of the layers' relative output errors on the
    calibration inputs (||X (W - A B)||^2 / ||X W||^2, from each layer's
    Gram matrix: `hessians=DIR` is required) stays at most e.

    Each layer's sensitivity is measured first: its SVD once, then its
    relative output error at `steps` ranks spread evenly from the largest
    rank that has fewer parameters than the weight down to 1 (exactly, from
    the Gram matrix); dense counts as a choice at no error. Then, with
    `objective=max` (the default), one cap on every layer's error: each
    layer takes the smallest rank tried whose error is within the cap
    (dense if none is), and the cap is bisected to the smallest that meets
    `params=` (with `max-error=e` the cap is e: the mean is then at most e
    too); with `objective=sum`, a small sum of the layers' errors: a
    Lagrange multiplier, each layer taking the choice minimizing its error
    minus a price per parameter saved, the price bisected to meet the
    budget (slim-prune's `scope=global` allocator; over discrete choices
    it is not always the least sum). A layer left dense and
    a factorized one both say why in the remark and the report (`reason`:
    the budget, the rank among those tried); a module remark gives the
    fraction of the parameters kept and the layers factorized.

    Convolutions (what `slim-low-rank` takes) are candidates too, in the
    form `conv=` names (`tucker2`, the default, or `spatial`; `none` leaves
    them out): their factors are fitted to the filter (as `slim-low-rank`
    fits them, whatever `method` says for the matmuls), one rank for both
    of Tucker-2's modes (clipped to each), each rank's error measured on
    the convolution's input patches (their Gram matrix, which
    `slim-run --hessians` collects for an observed convolution); one
    without it stays dense. Batch matmuls are not candidates.

    Both objectives weigh the layers' relative errors as equals, a proxy
    for the model's output error (layers whose errors the rest of the
    model amplifies are not weighed more). On MiniLM at params=0.8 the
    sum concentrates the saving on 7 of 36 layers and gives 0.915 mean
    cosine, the cap 0.93 and up (docs/low-rank.md).

    Refused, with the module unchanged: neither or both of params= and
    max-error=, params outside (0, 1), a max-error that is not positive,
    no `hessians=`, a matmul without a Gram matrix, `steps` below 1, an
    unknown objective, `conv=depthwise` (no rank to choose) or an unknown
    form,
    `solver=randomized` (the budget needs every rank's error), and what
    `slim-low-rank` refuses for its other options.
  }];
  let options = [
    Option<"method", "method", "std::string", /*default=*/"\"svdllm\"",
           "svd, asvd or svdllm">,
    Option<"params", "params", "double", /*default=*/"0.0",
           "The fraction of the candidate layers' parameters kept (0: not "
           "set)">,
    Option<"maxError", "max-error", "double", /*default=*/"0.0",
           "The mean relative output error allowed over the layers (0: not "
           "set)">,
    Option<"hessianDir", "hessians", "std::string", /*default=*/"\"\"",
           "Directory of Gram matrices (slim-run --calibrate --hessians)">,
    Option<"steps", "steps", "int64_t", /*default=*/"32",
           "Ranks tried per layer (evenly spread)">,
    Option<"objective", "objective", "std::string", /*default=*/"\"max\"",
           "max (one cap on every layer's error) or sum (the least sum of "
           "the layers' errors)">,
    Option<"damp", "damp", "double", /*default=*/"0.01",
           "svdllm: damping added to H's diagonal, as a fraction of its "
           "mean">,
    Option<"alpha", "alpha", "double", /*default=*/"0.5",
           "asvd: the exponent on the input channels' RMS">,
    Option<"solver", "solver", "std::string", /*default=*/"\"auto\"",
           "auto or exact (BDCSVD: every rank's error is needed)">,
    ListOption<"skip", "skip", "std::string",
               "Layers left dense: regular expressions on layer names">,
    Option<"conv", "conv", "std::string", /*default=*/"\"tucker2\"",
           "Convolutions: tucker2, spatial or none">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Where to write the per-layer report (JSON)">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // SLIM_LOWRANK_PASSES_TD
