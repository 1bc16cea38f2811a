//===- Passes.td - Slim quantization passes ----------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_QUANTIZATION_PASSES_TD
#define SLIM_QUANTIZATION_PASSES_TD

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

def SlimFoldCalibrationPass : Pass<"slim-fold-calibration", "ModuleOp"> {
  let summary = "Replace observers by quantize/dequantize pairs from calibration statistics";
  let description = [{
    Reads the statistics that `slim-run --calibrate` wrote (`stats=`), chooses
    a range for every `slim.observe` with `method`, and replaces the observer
    by `slim.quantize` + `slim.dequantize` with concrete `!quant.uniform`
    parameters (the storage type `storage`, `scheme` symmetric or asymmetric;
    the range widened to include 0, a degenerate range giving scale 1).

    Methods (BRIEF.md section 4): `minmax` (the observed extremes), `ema`
    (their moving averages over samples), `percentile` (the `percentile`-th
    percentile, from the histogram), `entropy` (TensorRT's KL search) and
    `mse` (the clipping that minimizes the squared error of
    quantize-then-dequantize). With `granularity=channel`, observers that
    recorded per-channel extremes get per-axis parameters (minmax only).

    Ranges already in the IR are folded too: `quant.qcast` to a
    `!quant.calibrated<f32<min:max>>` type followed by `quant.dcast` becomes
    the same quantize/dequantize pair.

    With `report=path.json` it writes, per observer, the statistics, the
    chosen range and parameters and the fraction of observed values the
    range clips.

    An observer of a `tensor.pad` with 0.0 of an observed activation (a
    convolution's padded input) takes that activation's per-tensor
    parameters instead of its own (its report says `tied_to`): the
    padding's zeros are exact under any range that holds 0, and with one
    type on both sides `slim-fuse-quantized` pads the stored integers with
    the zero point instead of dequantizing, padding and quantizing again.

    `skip=` names layers to leave in float (regular expressions matched
    against the whole layer name, `<function>/<op name>#<k>` as the
    per-layer report lists them; a comma-separated list). With
    `outputs=float` a skipped layer reads its inputs unquantized, and an
    observer that no other matmul or convolution reads is dropped. With
    `outputs=quantize` activations between layers stay int8 (a skipped layer
    reads what the layer before it requantized); only an observer that
    nothing but skipped layers read, and that ends no other layer, is
    dropped. A pattern that matches no layer is refused.

    Refused, with the module left unchanged: a missing or malformed stats
    file, an observer id absent from it or that recorded nothing, an unknown
    method, scheme, storage or granularity. An observer that saw NaN or Inf
    gets a warning; its range comes from its finite values.
  }];
  let options = [
    Option<"statsFile", "stats", "std::string", /*default=*/"\"\"",
           "Calibration statistics (JSON) written by slim-run --calibrate">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "Range chooser: minmax, ema, percentile, entropy or mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile kept by method=percentile">,
    Option<"scheme", "scheme", "std::string", /*default=*/"\"asymmetric\"",
           "symmetric (zero point 0 or the unsigned midpoint) or asymmetric">,
    Option<"storage", "storage", "std::string", /*default=*/"\"u8\"",
           "Activation storage type: u8, i8, u16, i16, u4 or i4">,
    Option<"narrowRange", "narrow-range", "bool", /*default=*/"false",
           "Drop the lowest storage value (i8 in [-127, 127])">,
    Option<"granularity", "granularity", "std::string",
           /*default=*/"\"tensor\"",
           "Activation parameters per tensor, or per channel where recorded">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Where to write the per-observer report (JSON)">,
    Option<"outputs", "outputs", "std::string", /*default=*/"\"quantize\"",
           "quantize: every observer becomes a quantize/dequantize pair; "
           "float: only observers whose value feeds a matmul or "
           "convolution do, the others are dropped">,
    ListOption<"skip", "skip", "std::string",
               "Layers left in float: regular expressions on layer names "
               "(main/linalg.matmul#4)">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::quant::QuantDialect",
  ];
}

def SlimSmoothActivationsPass
    : Pass<"slim-smooth-activations", "ModuleOp"> {
  let summary = "Move activation outliers into the weights (SmoothQuant)";
  let description = [{
    Per-tensor int8 activations lose their resolution to a few outlier
    channels (BERT's LayerNorm outputs reach |x| = 7 in channels where the
    others stay below 1). For every observed activation `x` [M, K] that
    only `linalg.matmul`s read, as their left operand, by constant weights
    `W` [K, N], this pass chooses per channel

    ```
    s_k = max|x_k|^alpha / max_n |W[k, n]|^(1 - alpha)
    ```

    (over every matmul reading `x`; `s_k = 1` for a channel that saw
    nothing or a zero weight row; clamped to [1e-5, 1e5]) and rewrites
    `x W` as `(x diag(1/s)) (diag(s) W)`: an elementwise multiply by the
    constant `1/s` before the observer, and new weight constants with row
    `k` scaled by `s_k`. The product is unchanged in exact arithmetic; the
    activation's range flattens across channels and the weights, quantized
    per output channel, take the difference. Other readers of `x` (a
    residual add) read it unscaled and unobserved.

    The factors come from per-channel extremes: `stats=` is what
    `slim-run --calibrate` wrote for a module instrumented with
    `slim-insert-observers granularity=channel`. The observers stay (same
    ids) on the scaled activations, which need a new calibration before
    `slim-ptq-static`. A remark per smoothed activation gives its max |x|
    and the weights' max |w| before and after.

    `skip=` (as in `slim-fold-calibration`) leaves the inputs of the named
    layers alone. Refused, with the module unchanged: a missing or
    malformed stats file, an observer to smooth without per-channel
    statistics along its last dimension, a weight with NaN or Inf, alpha
    outside (0, 1], a skip pattern that matches no layer.
  }];
  let options = [
    Option<"statsFile", "stats", "std::string", /*default=*/"\"\"",
           "Per-channel calibration statistics (JSON)">,
    Option<"alpha", "alpha", "double", /*default=*/"0.5",
           "Migration strength: 0 leaves the activations, 1 moves all of "
           "their range into the weights">,
    ListOption<"skip", "skip", "std::string",
               "Layers whose inputs are not smoothed: regular expressions on "
               "layer names">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimQuantizeWeightsPass : Pass<"slim-quantize-weights", "ModuleOp"> {
  let summary = "Quantize the constant weights of compute ops";
  let description = [{
    For every compute op that quantization targets (see
    `slim-insert-observers`), the constant weight operand (an
    `arith.constant`, possibly through `linalg.transpose` or
    `linalg.broadcast`, read in the layout the op uses) is replaced by an
    integer constant of the chosen storage, a `quant.scast` to its
    `!quant.uniform` type and a `slim.dequantize`: the op still computes in
    float, on the quantized weight (weight-only quantization; a later fusion
    turns dequantize -> op into integer compute).

    * `bits=8|4`, `scheme=symmetric|asymmetric` (symmetric: zero point 0,
      range [-M, M] with M = max |w|; `narrow-range`, on by default, keeps
      i8 in [-127, 127] and i4 in [-7, 7]);
    * `granularity=tensor` (one scale), `channel` (one per output channel:
      the last dimension of a matmul's right operand, the filter dimension
      of a convolution) or `group` (matmul and batch_matmul only: blocks of
      `group-size` along the reduction dimension, per output channel, as a
      sub-channel quantized type);
    * `method=minmax` (each scale covers its values' extremes) or `mse`
      (each scale's range is searched among 100 shrinkings of the extremes,
      k / 100 for k = 1..100, for the smallest squared round-trip error of
      its own values: at 4 bits clipping the rare large weights of a group
      lowers the error of all the others).

    4-bit weights are stored packed, two per byte: an `i8` constant of shape
    `[d0, ceil(d1 * ... * dn / 2)]`, `slim.unpack` to `[d0, d1 * ... * dn]`,
    and, for a weight of rank above 2, `tensor.expand_shape` back to its
    shape before the `quant.scast`.

    The signal-to-quantization-noise ratio of every weight,
    `10 log10(sum w^2 / sum (w - dequant(quant(w)))^2)` in dB, is reported as
    a remark on the op and, with `report=path.json`, in a JSON report.

    `skip=` leaves the weights of the named layers in float (regular
    expressions on layer names, as in `slim-fold-calibration`).

    With `hessians=DIR` (what `slim-run --calibrate --hessians DIR` wrote
    for this observed module), a `linalg.matmul` whose input is a
    `slim.observe` with a Gram matrix `H = sum x x^T` in DIR is quantized by
    GPTQ instead of rounding to nearest: the weight's rows (input channels)
    in order, each one's rounding error spread over the rows after it
    through the Cholesky factor of `H^-1` (H damped by 1% of its mean
    diagonal), group parameters chosen from the corrected values when a
    group starts (`method` as above). It minimizes the layer's output error
    on the calibration inputs rather than the weight's own error, so the
    reported SQNR is lower while the model is more accurate. A matmul
    without a Hessian is rounded to nearest, with a warning.


    A `group-size` that does not divide a weight's reduction dimension K
    does not refuse the module: that weight gets the largest divisor of K
    between `group-size` / 2 and `group-size` (a multiple of 8 first, which
    the int8-activation and 2:4 kernels take), or per-channel parameters
    (one group) when K is at most `group-size` or no divisor is in range;
    a remark on the op says which, and the report's entry has the
    `group_size` used.

    Embedding tables are quantized too (`embedding-bits=8`, the default;
    `4`; `0` leaves them float). An embedding lookup is what importers make
    of ONNX `Gather` and torch's `embedding`: a `linalg.generic` whose body
    reads a constant 2-D f32 table of at least `embedding-min-rows` rows
    (1024 by default) with one
    `tensor.extract` and yields what it read. Its table becomes symmetric
    integers, i8 with one f32 scale per row, or i4 packed two per byte
    (low nibble first) with one scale per `group-size` elements of a row
    (narrowed to a divisor of the row length as for matmuls), and the body
    reads the integer and its scale and yields their product: only the rows
    the ids select are dequantized. A table something else also reads (a
    second lookup, a tied output projection) stays float, and so does one
    the pass cannot read (a remark says so). Lookups are named
    `<function>/embedding#<k>` (k counting every lookup of the function,
    whatever its size) for `skip=`, `int8-layers=` and the report. The row
    count is the only test of what is a word embedding: tables of fewer
    rows than `embedding-min-rows` stay float (most position and
    token-type tables), but a position table or precomputed rotary cache of
    that many rows is quantized like a word embedding (`skip=` it).

    With `bits=4` (or `embedding-bits=4`), `int8-layers=` keeps the named
    layers (int8 per channel) and tables (int8 per row) at 8 bits, and
    `size-budget=F` chooses them: every weight and table is planned at 4
    and at 8 bits, 4 bits costing a relative error (with GPTQ's Gram matrix
    H the weight error weighted by the input energy,
    `sum_k H[k,k] |e[k,:]|^2 / sum_k H[k,k] |w[k,:]|^2`, else the relative
    weight error); the tables and each function's last layer (an output
    projection) get 8 bits first, then the layers whose 4 bits cost the
    most error per byte saved, while the bytes stay within F times the
    float bytes. A weight whose 4 bits would not be smaller takes 8. A
    remark names each layer kept at 8 bits; a budget below the bytes of
    every choice at 4 bits is refused.

    Refused, with the module unchanged: a weight or embedding table holding
    NaN or Inf, a skip or int8-layers pattern that matches no layer or
    table, a size budget below every choice at 4 bits, a size budget or
    int8-layers without bits=4 or embedding-bits=4, a missing or malformed
    Hessian directory, a Hessian
    whose size is not the weight's row count, GPTQ with
    `granularity=tensor`, unknown options.
  }];
  let options = [
    Option<"bits", "bits", "unsigned", /*default=*/"8", "Weight bits: 8 or 4">,
    Option<"scheme", "scheme", "std::string", /*default=*/"\"symmetric\"",
           "symmetric or asymmetric">,
    Option<"narrowRange", "narrow-range", "bool", /*default=*/"true",
           "Symmetric weights without the lowest storage value">,
    Option<"granularity", "granularity", "std::string",
           /*default=*/"\"channel\"", "tensor, channel or group">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"128",
           "Elements per group along the reduction dimension">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "Range of each scale: minmax (the extremes) or mse (the clipping "
           "with the smallest round-trip error)">,
    Option<"hessianDir", "hessians", "std::string", /*default=*/"\"\"",
           "GPTQ: the directory slim-run --calibrate --hessians wrote">,
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Where to write the per-weight report (JSON)">,
    Option<"embeddingBits", "embedding-bits", "unsigned", /*default=*/"8",
           "Embedding tables: 8 (a scale per row), 4 (a scale per "
           "group-size elements of a row) or 0 (left float)">,
    ListOption<"int8Layers", "int8-layers", "std::string",
               "With bits=4 or embedding-bits=4: layers (int8 per channel) "
               "and tables (int8 per row) kept at 8 bits (regular "
               "expressions on names)">,
    Option<"sizeBudget", "size-budget", "double", /*default=*/"0",
           "With bits=4 or embedding-bits=4: the bytes allowed, as a "
           "fraction of the float bytes of every quantized weight and "
           "table; the layers and tables whose 4 bits cost the most error "
           "per byte saved get 8 bits (0: off)">,
    Option<"embeddingMinRows", "embedding-min-rows", "int64_t",
           /*default=*/"1024",
           "Tables with fewer rows stay float (position embeddings, rotary "
           "caches)">,
    ListOption<"skip", "skip", "std::string",
               "Layers whose weights stay float: regular expressions on "
               "layer names (main/linalg.matmul#4)">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimFuseQuantizedPass : Pass<"slim-fuse-quantized", "ModuleOp"> {
  let summary = "Turn dequantize -> matmul/conv (+ bias, clamps, affine steps) -> quantize, residual adds and concatenations into integer ops";
  let description = [{
    Matches a `linalg.matmul`, `linalg.batch_matmul`, 2-D convolution
    (`conv_2d_nchw_fchw`, `conv_2d_nhwc_hwcf`) or depthwise convolution
    (`depthwise_conv_2d_nchw_chw`, `depthwise_conv_2d_nhwc_hwc`) whose
    operands are `slim.dequantize`d (the activation per tensor, the weight
    per tensor or per output channel; a batch matmul's right operand may be
    another activation, as in attention), whose init is a zero fill (for a
    convolution also a bias broadcast into the init, as importers write it;
    its input may be a `tensor.pad` with 0.0 of the dequantized activation,
    which becomes the op's zero-point padding, also when the padded tensor
    was quantized again under the same parameters), followed by an epilogue
    of single-use elementwise ops (a bias add of a constant vector, clamps,
    and affine steps: adding, subtracting, multiplying or dividing the value
    by a constant, the factor positive; as `linalg.generic` bodies or, for
    bias adds and clamps, `arith` ops on tensors) and a `slim.quantize` (per
    tensor). The epilogue is read as one function `clamp(a * (x + bias) +
    c, lo, hi)`: ReLU, ReLU6, Clip and hard-sigmoid (`clamp(x / 6 + 1/2, 0,
    1)`) are all of this form; hard-swish (`x * relu6(x + 3) / 6`) is not
    (it multiplies the value by itself) and stays in float. The offset `c`
    joins the bias as `c / a`, and the factor `a` multiplies the scales the
    accumulator is read with (two `quant.scast`s of the same integers), so
    the requantize's multiplier becomes `a * S_x * S_w[n] / S_y`.

    A clamp may be written in any of the forms
    importers produce: `maximumf`/`minimumf`/`maxnumf`/`minnumf` by a
    constant, or `cmpf` + `select` with the constant on either side of an
    ordered or unordered `<`, `<=`, `>`, `>=` and the select's operands in
    either order (ONNX Clip arrives as `cmpf ult` + `select` then `cmpf ugt`
    + `select`); the constant may be a scalar or a 0-d or splat tensor the
    generic reads. These forms differ only for NaN (`maximumf` propagates
    it, `maxnumf` returns the constant, a select returns the operand its
    false side names when an ordered compare is false, its true side when an
    unordered one is true), and what they clamp is the float value of an
    integer accumulator, which is never NaN: the fused clamp is exact for
    all of them. Clamps compose (`min(max(x, 6), 0)` is 0); a bound of NaN
    or infinity is not read as a clamp. It becomes

    ```mlir
    %acc = slim.qmatmul %xq, %wq, %bias : ... -> !quant.uniform<i32:f32, S_x*S_w>
    %y = slim.requantize %acc clamp [lo, hi] : ... to <the quantize's type>
    ```

    (the batched `slim.qmatmul` for a batch matmul, its bias on the last
    dimension; `slim.qconv2d` with the convolution's strides, dilations and
    padding for a convolution).

    with the float bias quantized to int32 at scale `S_x * S_w[n]` (round
    half to even), ReLU/ReLU6/clamp bounds quantized with the output's
    parameters into the requantize's clamp, and the fixed-point requantize.
    Every use of the old quantize now reads `%y`.

    Joins of quantized activations become integer too. An add of two
    `slim.dequantize`d tensors of one shape (a `linalg.generic` adding its
    two identity-mapped inputs, `linalg.add`, or `arith.addf` on tensors:
    an inverted-residual block's skip connection), followed by clamps
    (ReLU, ReLU6) and a `slim.quantize`, becomes `slim.qadd` with the clamp
    (both addends per tensor in at most 8 bits, the sum per tensor in at
    most 16). A `tensor.concat` of `slim.dequantize`d pieces whose only use
    is a per-tensor `slim.quantize` becomes a `tensor.concat` of the stored
    pieces, each requantized (fixed point) to the result's type unless it
    has it already. An add or concatenation whose result is not quantized
    (a transformer's residual add before its LayerNorm) stays in float.

    A pattern that does not match exactly (a non-zero init, an epilogue op it
    does not understand, per-channel activations, ...) stays in float with
    its dequantize/quantize around it: nothing is dropped. With
    `report-unfused` each such op gets a remark saying why, naming the op
    or operand that does not fit.
    With `strict`, every layer left in float (but those `skip=` names) is an
    error instead, and so is every add or concatenation of a dequantized
    tensor whose result is quantized but that stays in float; the pass
    fails: for a model that must be integer. The layers are the ops above;
    other compute (convolutions in other layouts, grouped or with a channel
    multiplier, matmuls written as generics) and float ops between layers
    (softmax, LayerNorm, hard-swish) are not checked.

    With `float-outputs`, an op whose epilogue does not end in a
    `slim.quantize` (as `slim-fold-calibration outputs=float` leaves the
    transformer's Linears, whose outputs feed residual adds, softmax and
    LayerNorm) still runs in integers: `slim.qmatmul` with the bias that
    directly follows it, and `slim.dequantize` of the accumulator at scale
    `S_x * S_w[n]`. The output is not rounded to 8 bits, so outliers in it
    cost nothing; ReLU and clamps after it stay in float.
  }];
  let options = [
    Option<"reportUnfused", "report-unfused", "bool", /*default=*/"false",
           "Emit a remark for every matmul left in float">,
    Option<"floatOutputs", "float-outputs", "bool", /*default=*/"false",
           "Also fuse ops whose output is not quantized: the integer op "
           "(with a bias add that follows it) then a slim.dequantize of "
           "its int32 accumulator">,
    Option<"strict", "strict", "bool", /*default=*/"false",
           "Fail when a layer stays in float (except the skip= layers)">,
    ListOption<"skip", "skip", "std::string",
               "Layers left in float on purpose (regular expressions on "
               "layer names): not fused, not an error with strict">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def SlimQuantizeDynamicPass : Pass<"slim-quantize-dynamic", "ModuleOp"> {
  let summary = "Quantize matmul activations at run time";
  let description = [{
    Replaces `linalg.matmul` (zero init) of a float activation by a weight
    that is a `slim.dequantize` of a quantized tensor (i8/u8, per tensor or
    per output channel, as `slim-quantize-weights` leaves it) with
    `slim.dynamic_qmatmul`: the activation is quantized to u8 with
    parameters from its own range on every call (ONNX DynamicQuantizeLinear)
    and multiplied in integers. What follows the matmul stays in float.

    `granularity=tensor` (the default, ONNX's semantics) gives the whole
    activation one scale; `granularity=row` gives each row (each token of a
    transformer's [tokens, features] activation) its own, from its own
    range (`per_row` on the op): a row with an outlier no longer costs the
    other rows their resolution.
  }];
  let options = [
    Option<"granularity", "granularity", "std::string",
           /*default=*/"\"tensor\"",
           "Activation parameters per tensor or per row">,
  ];
  let dependentDialects = ["::mlir::slim::SlimDialect"];
}

#endif // SLIM_QUANTIZATION_PASSES_TD
