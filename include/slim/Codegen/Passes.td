//===- Passes.td - Slim code generation passes -------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CODEGEN_PASSES_TD
#define SLIM_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimPackContractionsPass
    : Pass<"slim-pack-contractions", "::mlir::func::FuncOp"> {
  let summary = "Pack constant contraction operands and run the contractions "
                "on the runtime's micro-kernels";
  let description = [{
    The data-tiling step of the CPU pipeline, on linalg on tensors (after
    `slim-lower-to-linalg-pipeline`, before `slim-tile-and-vectorize`).
    Every contraction whose right-hand side W is a constant becomes a
    `slim.packed_matmul`, 2-D or batched over A and C with one W:

    - int8: `C[m, n] += ext(A[m, k]) * extsi(W[k, n])` with A and W int8
      and C int32 (what `slim-lower-quant` makes of `slim.qmatmul` and
      `slim.dynamic_qmatmul` with a constant weight, or a `linalg.matmul` on
      i8 with an i32 result);
    - f32: `C[m, n] += A[m, k] * W[k, n]` (`linalg.matmul` on f32, or the
      same generic).

    W is packed now, at compile time, into the runtime's layout (panels of
    16 columns; int8 in groups of 4 k with K padded to 64 and column sums
    appended; docs/codegen.md) and the module holds the packed constant
    instead of W. A `linalg.fill` of +0 feeding C is dropped (the kernel
    writes C); otherwise the kernel accumulates onto C.

    An elementwise op that only adds per-column vectors to the result (the
    zero-point corrections and bias `slim-lower-quant` emits; a float
    model's bias add, one vector) is fused: the vectors, summed once over N
    elements when there are several, become the op's `bias`, which the
    kernel adds before it stores C. Other epilogues (requantize,
    activations, per-row terms) stay separate ops.

    `isa` selects the micro-kernel: `host` (default) takes the strongest the
    compiling CPU runs (amx > avx512_vnni > avx_vnni > avx2 > generic, from
    LLVM's host feature query; AMX also needs Linux to grant the tile
    state); a name forces it, for tests and cross-compiling. Code that calls
    a kernel the running CPU lacks is refused by `slim-run` before it runs.

    An int8 contraction whose right-hand side is not such a constant (an
    activation: attention's Q x K^T and P x V, per batch or shared, signed
    or unsigned; or a constant too big to pack here) becomes a
    `slim.activation_matmul`, which the runtime packs on every call. A
    `linalg.fill` of +0 feeding C is dropped the same way.

    Three more forms become single kernel calls, matched on Slim's own ops
    (the CPU pipeline and `slim-run` run this pass once before
    `slim-lower-quant` for them, and again on linalg): `slim.dynamic_qmatmul`
    by a constant weight of signed 8-bit storage becomes
    `slim.dynamic_packed_matmul`; a float contraction whose weight is
    `slim.dequantize` of a constant (4 or 8 bits, per tensor, column or
    group along K) becomes `slim.dequant_matmul`; and
    `linalg.conv_2d_nchw_fchw` / `linalg.conv_2d_nhwc_hwcf` in f32 with a
    constant filter and static shapes become `slim.packed_conv2d`, and so
    do `linalg.depthwise_conv_2d_nchw_chw` / `_nhwc_hwc` (with
    `depthwise`: the filter taps-major, computed directly by the
    runtime). `slim.qconv2d` (every form: NCHW, NHWC, depthwise) of an
    8-bit input by a constant filter of signed 8-bit storage with zero
    points 0 (what the weight quantizer makes) becomes an int8
    `slim.packed_conv2d`: the stored input padded with its zero point, the
    filter packed, `-Z_in * sum(W[f])` folded into the bias; its result
    is the same int32 accumulator.

    `weight-only-activations=int8` makes the weight-only form quantize
    its activation per row and weight group and compute each group's dot
    product in int8 (`slim.dequant_matmul` with `int8_activations`, the
    arithmetic its description states; ONNX Runtime's MatMulNBits
    `accuracy_level` 4 does the same kind of thing): about 2.4x faster than
    f32 compute at one row, no longer the float model's arithmetic. It
    applies to 4-bit weights in groups of a multiple of 8 along K (or one
    group); other weights stay f32 with a remark.

    A pruned int8 weight (at least half of its bytes zero: 2:4 and
    unstructured 50% or more, after quantization) is packed in the sparse
    form (`slim.packed_matmul` with `sparse`: each 64-byte group of the
    packed panels as a 64-bit mask of its nonzero bytes and those bytes;
    2:4 keeps 40 of every 64 bytes), which the kernels rebuild as they go
    (vpexpandb on AVX-512 VBMI2, pshufb elsewhere; `auto` uses it where
    the kernels gain by it: docs/codegen.md). A block-pruned f32 weight (at
    least half of its panels' rows, 16 floats of one k, all zero) is
    packed row-compressed (`sparse` with an i8 operand: each panel's kept
    rows and their k), and the kernels skip the removed rows. A 4-bit
    weight-only weight pruned 2:4 along K is packed in the 2:4 form
    (`slim.dequant_matmul` with `sparse`: each column's two kept values per
    quartet of k and their indices, 0.75 of the bytes; `auto` from 16 rows
    on). `sparse-weights=never` keeps every weight dense, `always` makes
    every packed weight sparse.

    Left as they are: f32 contractions whose weight is not a constant,
    `slim.qconv2d` by a filter that is not a constant or has nonzero zero
    points (it lowers to linalg), grouped convolutions (other than
    depthwise), and other element types.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"host\"",
           "Micro-kernel ISA: host, generic, avx2, avx_vnni, avx512_vnni, "
           "amx">,
    Option<"sparseWeights", "sparse-weights", "std::string",
           /*default=*/"\"auto\"",
           "Pruned weights in sparse forms: auto (int8 ones at least half "
           "zeros where the kernels gain by it; f32 ones with at least "
           "half of their panel rows zero; 2:4 int4 weight-only ones from "
           "16 rows on), never, or always (every packed weight)">,
    Option<"weightOnlyActivations", "weight-only-activations", "std::string",
           /*default=*/"\"f32\"",
           "Weight-only matmuls: f32 (the float arithmetic, bit for bit) or "
           "int8 (the activation quantized per row and group, int8 dot "
           "products; 4-bit weights)">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimLowerMicroKernelsPass
    : Pass<"slim-lower-micro-kernels", "::mlir::ModuleOp"> {
  let summary = "Turn micro-kernel ops on buffers into calls of the runtime";
  let description = [{
    After bufferization: every `slim.packed_matmul` on memrefs becomes a
    `func.call` of the runtime's `slim_uk_qgemm_s8_<isa>` (int8) or
    `slim_uk_sgemm_f32_<isa>` (f32), and every `slim.activation_matmul` a
    call of `slim_uk_qgemm_act_s8_<isa>` (its right-hand side passed with
    all its strides, so a transposed view is read in place);
    `slim.dynamic_packed_matmul`, `slim.dequant_matmul` and
    `slim.packed_conv2d` call `slim_uk_dqgemm_<isa>`, `slim_uk_wgemm_<isa>`
    and `slim_uk_sconv2d_<isa>` (f32) or `slim_uk_qconv2d_s8_<isa>` (int8),
    and `slim.attention` calls `slim_uk_attention_f32_<isa>` with the four
    strides of each operand (any layout, a size-1 mask dimension as stride
    0, no copies); all with the aligned
    base pointers (`!llvm.ptr`), offsets, sizes and strides of its buffers
    (`memref.extract_strided_metadata`), declared once per module with
    `slim.isa` naming the ISA (which `slim-run` checks against the host).
    An activation or bias whose innermost stride is not statically 1 is
    copied into a contiguous buffer first (freed after the call); a result
    buffer with such a stride is an error (attention's excepted).
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
  ];
}

def SlimTileAndVectorizePass
    : Pass<"slim-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg ops on tensors to vector-sized tiles and vectorize them";
  let description = [{
    The float (and integer) path of the CPU pipeline, before bufferization.
    Every linalg op on tensors with static loop ranges is tiled with
    `scf.for` loops (upstream `scf::tileUsingSCF`) and its tile vectorized
    (upstream `linalg::vectorize`). With `parallel-work=N`, an op of at
    least N loop iterations is first tiled along one loop with an
    `scf.forall` (one iteration per tile of that loop, the other tile
    loops inside it), which the CPU pipeline runs on threads
    (`slim-openmp-threads`): the first parallel loop, in the order the
    tile loops nest, that has two tiles or more and that every result
    indexes (a batch or head, then rows, then column tiles; never a
    reduction loop). Each result element is still computed by one
    iteration, in the same order.

    - contractions (`linalg.matmul`, `linalg.batch_matmul`) get
      `m x n x 1` tiles (`m` = `contraction-rows`, `n` = the vector width,
      one reduction step per iteration of the innermost loop) and become
      `vector.contract`, which lowers to outer products (FMAs); after
      bufferization `slim-hoist-vector-transfers` keeps the accumulator in
      registers across the reduction loop;
    - contractions written as generics (slim-lower-quant's integer
      matmuls: extend, multiply, add) have their loops reordered so that
      vectors run along `n`, take 4 reduction steps per tile, and become
      `vector.contract` through upstream's reduction-to-contract patterns;
    - reductions along the innermost loop (softmax's maximum and sum,
      LayerNorm's sums): a row longer than 64 is first split (upstream
      `linalg::splitReduction`) into up to `vector-width` lanes, lane `j`
      reducing elements `j`, `j + w`, `j + 2w`, ... in order (the largest
      lane count from 4 to `vector-width` that divides the row), then the
      lanes are reduced by a `vector.reduction`; a row of at most 64 is one
      vector and one `vector.reduction`. LLVM reduces a vector as a tree
      (`reassociate-fp-reductions` in the pipeline), so sums and maxima
      differ from a sequential loop by float reassociation only;
    - other ops (elementwise, transposes, fills, reductions over an outer
      dimension) vectorize along their innermost loop, `vector-width`
      elements at a time; the other loops step by one.

    Tile sizes are the largest divisors of each range up to these sizes, so
    nothing is masked. Left whole, for `convert-linalg-to-loops`: ops with
    dynamic shapes, convolutions and pooling, rows longer than 64 that no
    lane count from 4 up divides, maps with constant results (run
    `slim-fuse-elementwise` first), sub-byte element types, gathers, and
    anything else the vectorizer refuses. Contractions are exact in order:
    every output's reduction still runs one step at a time (integer sums
    are exact in any order).
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "Elements per vector along the innermost dimension (1 to 1024)">,
    Option<"contractionRows", "contraction-rows", "int64_t", /*default=*/"4",
           "Rows of a contraction tile (m, 1 to 256)">,
    Option<"parallelWork", "parallel-work", "int64_t", /*default=*/"0",
           "Ops with at least this many loop iterations get their outer "
           "tile loop as an scf.forall that threads share (0: none)">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::affine::AffineDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimHoistVectorTransfersPass
    : Pass<"slim-hoist-vector-transfers", "::mlir::func::FuncOp"> {
  let summary = "Hoist loop-invariant vector transfers out of loops (on buffers)";
  let description = [{
    Runs upstream `linalg::hoistRedundantVectorTransfers` after
    bufferization: a `vector.transfer_read`/`transfer_write` pair of the same
    memref location inside an `scf.for` (a contraction tile's accumulator in
    its reduction loop) becomes a loop-carried vector, read before the loop
    and written after it.

    Upstream refuses every buffer that has a view anywhere in the function
    (a batched product's result that the next op reads expanded: MiniLM's
    P x V stored its accumulators on every reduction step). The pass then
    hoists such pairs itself when nothing else in the loop may touch the
    buffer: every other memory access in the loop is to a buffer whose
    root (following view ops back) is another allocation of this function,
    or an allocation, global or argument when the accumulator's root is an
    allocation of this function. Two arguments may be the same buffer, and
    an op with effects on unnamed memory (a call) stops it. Innermost loops
    first; the pair must be unmasked, with loop-invariant indices, the same
    vector type, map and in-bounds flags, the read before the write.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect"];
}

def SlimOutlineLoopNestsPass
    : Pass<"slim-outline-loop-nests", "::mlir::ModuleOp"> {
  let summary = "Outline each top-level loop nest of a function into a "
                "function of its own that LLVM does not inline";
  let description = [{
    A compiled model is one function with hundreds of loop nests one after
    another. LLVM's loop analyses (ScalarEvolution's search for the
    conditions that guard a loop walks back through every block that
    dominates it) cost time that grows with the square of that length: on
    MiniLM, `IndVarSimplifyPass` alone took 6.5 of the 9.1 s of `opt -O3`.
    This pass runs on buffers, after the loops exist (`scf.for`,
    `scf.parallel`, `scf.forall` directly in a function's body): each
    becomes a call of a new private function `@<function>__nest<N>` that
    holds the nest, takes the values it uses from outside as arguments
    (index constants are cloned in) and returns the values the nest
    yields. The functions carry LLVM's `noinline` (as `passthrough`, which
    `convert-func-to-llvm` keeps), so that LLVM optimizes and generates code
    for each nest on its own. What the nests compute does not change; a call costs a few
    nanoseconds per nest and run.

    Functions whose body has more than one block, and nests with fewer
    than `min-nests` siblings in their function, are left alone.
  }];
  let options = [
    Option<"minNests", "min-nests", "int64_t", /*default=*/"2",
           "Outline only in functions with at least this many top-level "
           "loop nests">,
  ];
  let dependentDialects = [
    "::mlir::func::FuncDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def SlimMergeSimilarFunctionsPass
    : Pass<"slim-merge-similar-functions", "::mlir::ModuleOp"> {
  let summary = "Merge private functions that differ only in scalar or "
                "splat constants and the globals they read";
  let description = [{
    After `slim-outline-loop-nests`, each layer of a model has its own copy
    of the same nests; in a statically quantized model they differ only in
    the scales and zero points baked into them as constants, so LLVM's
    MergeFunctions (which needs identical functions) cannot merge them and
    every copy is lowered, optimized and compiled on its own.

    This pass groups the module's private function definitions that are
    only ever called directly (`func.call` without argument or result
    attributes, in this module's own symbol table; any other reference to
    a function keeps it as it is) by structure: the same function type and
    attributes, the same ops in the same order with the same types,
    operands, attributes and properties and regions, except that these
    ops may differ in their values:
    - `arith.constant` of an integer or float scalar;
    - `arith.constant` of a splat vector of integers or floats;
    - `memref.get_global` (another global of the same type).
    Constants are compared where they are used, so their order and unused
    copies do not matter, and one constant of a function must stand for
    one value in the other. The first function of each group in module
    order stays; each of its constants that differs in another function
    of the group becomes a new trailing argument of it (a splat's element,
    broadcast inside), every call of any function of the group calls it
    and passes its own function's value (a constant or `memref.get_global`
    made before the call), and the others are erased. Constants of `index`
    type (the loop bounds and sizes that the CPU pipeline's loops use),
    non-splat vectors and constants inside a region isolated from above
    must be equal. What every call computes does not change; LLVM no
    longer sees the merged values as constants (a multiplication by a
    scale becomes one by an argument).
    A function joins the first group whose representative it matches
    and which then needs at most `max-parameters` arguments; if none, it
    starts a group of its own. A negative `max-parameters` is refused.
  }];
  let options = [
    Option<"maxParameters", "max-parameters", "int64_t", /*default=*/"32",
           "The most values a merged function takes as new arguments">,
  ];
  let statistics = [
    Statistic<"numMerged", "merged-functions",
              "Functions that others were merged into">,
    Statistic<"numErased", "erased-functions",
              "Functions merged into another and erased">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def SlimOpenMPThreadsPass
    : Pass<"slim-openmp-threads", "::mlir::ModuleOp"> {
  let summary = "Run every OpenMP parallel region on the runtime's thread "
                "count";
  let description = [{
    `slim-tile-and-vectorize` (with `parallel-work`) makes the outer tile
    loop of a large op an `scf.forall`, which becomes `scf.parallel` and,
    through upstream `convert-scf-to-openmp`, an `omp.parallel` region with
    a worksharing loop. Upstream leaves the thread count to OpenMP's
    default (every core, or `OMP_NUM_THREADS`); this pass gives each
    `omp.parallel` without a `num_threads` the value of
    `slim_rt_get_num_threads()`, the runtime's setting that the
    micro-kernels use too (`slim-run --threads`,
    `slim_rt_set_num_threads` in a compiled model), declaring that
    function once in the module. Regions that name a thread count are
    left as they are. A module that declares the function with another
    type is refused.

    Upstream also wraps each iteration's body in a `memref.alloca_scope`,
    whose single block cannot take the branches `convert-scf-to-cf` makes
    of the loops inside: each result-less scope in these regions is
    replaced by its body, between `llvm.intr.stacksave` and
    `llvm.intr.stackrestore` when the body holds a `memref.alloca` (what
    the scope's own lowering does), as is otherwise.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::func::FuncDialect",
    "::mlir::omp::OpenMPDialect",
  ];
}

def SlimFuseAttentionPass
    : Pass<"slim-fuse-attention", "::mlir::func::FuncOp"> {
  let summary = "Replace attention chains in importer form with "
                "slim.attention";
  let description = [{
    Runs on tensors, before `slim-pack-contractions`. Finds scaled
    dot-product attention as ONNX and torch importers write it, one linalg
    op per graph op:

    ```
    S = batch_matmul(collapse(Q), collapse(K^T))   (Q: B x H x M x D)
    X = expand(S), then optionally / or * a scalar constant, then
        optionally + a mask broadcast along size-1 dimensions (a mask
        added before the scale is scaled too: not matched)
    P = exp(X - max_row(X)) / sum_row(exp(X - max_row(X)))
        (the maximum may carry an unused argmax, start at -inf or the
        lowest float; the row results in keep-dims form)
    O = batch_matmul(collapse(P), collapse(V))     (V: B x H x N x Dv)
    ```

    each payload reading its operands in this order, static f32 shapes
    that agree, batch_matmuls without their own indexing maps, and, when
    nothing outside the chain reads its intermediates, replaces it with
    one `slim.attention` (K^T given back as K through a transpose
    folded into the one that made it) and a collapse of its result in
    place of O. The result differs from the chain's by float reassociation
    and the kernel's exp (docs/codegen.md, "Attention kernel").

    Not in the default pipelines: at MiniLM's size (128 keys) the kernel is
    slower than the vectorized chain (docs/codegen.md); run it explicitly
    (`slim-opt --slim-fuse-attention` before `slim-run`) for longer
    sequences.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"host\"",
           "Kernel ISA of the attention ops: host (the best this CPU runs), "
           "generic, avx2, avx_vnni, avx512_vnni or amx">,
  ];
  let dependentDialects = [
    "::mlir::slim::SlimDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimFuseElementwisePass
    : Pass<"slim-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg generics into their consumers and "
                "give reductions the form the vectorizer takes";
  let description = [{
    Runs on tensors, after `slim-pack-contractions` and before
    `slim-tile-and-vectorize`. Importers write a model one small
    `linalg.generic` per ONNX or torch op (LayerNorm alone is eleven: a sum,
    a division, a broadcast, a subtraction, a square, ...), each a trip
    through memory. This pass

    - drops unit dimensions from generics (upstream
      `populateFoldUnitExtentDimsPatterns`): the keep-dims reductions that
      write through `(d0, d1, 0)` become reductions to `(d0)`, a form the
      vectorizer takes;
    - drops results of generics that nothing uses and that only feed
      themselves (the index half of an importer's max-with-index, which
      softmax does not read), with the payload that computed them;
    - fuses each elementwise generic into the generics that use it
      (upstream `populateElementwiseOpsFusionPatterns`), when it has one
      use, or when it is cheap to repeat in each user: it only moves
      values (a broadcast or a copy, always repeated), or it does one
      integer or float op other than a division and the user then holds at
      most 4 payload ops. Producers
      with several users that compute more (an `exp` that softmax both sums
      and divides, a LayerNorm's affine that the next matmul and the
      residual add read) stay, computed once. (The bound matters: repeated
      producers pull their own cheap producers in, and along a residual
      stream an unbounded policy recomputed every earlier layer's
      LayerNorm in each later one: 5.7x the payload ops on dynamic-int8 MiniLM.)

    - converts a widened integer to float directly (`sitofp(extsi x)` ->
      `sitofp x`, `sitofp`/`uitofp(extui x)` -> `uitofp x`): the same
      integer, the same float. A dequantized int32 accumulator is widened
      to i64 for its zero point, and i64 -> f32 has no single x86 vector
      instruction.

    Contractions and other named ops are not touched. Each value is still
    computed by the same operations in the same order: fusion changes
    where results are stored, not what they are.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def SlimApproximateMathPass
    : Pass<"slim-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "Replace math functions that x86 has no instruction for by "
                "vectorizable polynomial approximations";
  let description = [{
    LLVM lowers `math.exp`, `math.erf`, `math.tanh` and the like on a
    vector to one libm call per lane: in MiniLM's softmax and GELU these
    calls took 14 of 54 ms. This pass rewrites the functions named in
    `functions` (on scalars and vectors of f32; f16 and bf16 computed in
    f32) into upstream's polynomial approximations
    (`populateMathPolynomialApproximationPatterns`): range reduction and a
    polynomial of arithmetic ops, which vectorize. test/Integration/
    transformer-ops.mlir measures exp and erf against Python's
    double-precision functions (within 2.3 and 1.7 units in the last place,
    `exp` of -inf and of large negative inputs 0, of large positive inputs
    +inf, NaN kept NaN; subnormal results may be flushed to zero); the other
    functions' accuracy is upstream's and not measured here.
  }];
  let options = [
    ListOption<"functions", "functions", "std::string",
               "Math op names to approximate (default: exp, expm1, erf, "
               "tanh, log, log1p, log2)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def SlimExpandPowersPass
    : Pass<"slim-expand-powers", "::mlir::func::FuncOp"> {
  let summary = "Rewrite math.fpowi into multiplications (or math.powf), "
                "which vectorize";
  let description = [{
    `math.fpowi` (a float raised to an integer power, as importers write
    ONNX's `Pow(x, 2)` in RMSNorm) has no lowering on vectors: LLVM's
    `llvm.powi` takes a scalar exponent. This pass rewrites it, on scalars
    and vectors, before fusion and vectorization:

    - a constant exponent n (a scalar or a splat, or in a `linalg` op's
      body an input that is a splat constant, which is what
      `convert-elementwise-to-linalg` makes of `fpowi` on tensors) becomes
      |n| by squaring:
      x^n = product of x^(2^i) over the set bits i of |n|, each square and
      product one `arith.mulf`, then `1 / x^|n|` for n < 0, and `1.0` for
      n = 0 (NaN included, as C's `pown` and LLVM's `powi`). IEEE division
      gives the signs of the infinities: 0^-2 = +inf, (-0)^-3 = -inf.
      (Upstream's `math-expand-ops` expansion returns -inf for every zero
      to a negative power.)
    - any other exponent becomes `math.powf` computed in f64 (x extended,
      n converted exactly up to 2^53, so its parity survives; the result
      rounded back), C's `pow`, exact in sign and infinities for integral
      exponents. So does a constant n <= 0 on a tensor of dynamic shape,
      for which there is no constant 1.

    Fast-math flags carry over to the new ops. test/Integration/
    math-powers.mlir checks the results against exact powers.

    Example: `math.fpowi %x, %c3` with `%c3 = arith.constant 3 : i64`
    becomes `%s = arith.mulf %x, %x` and `%p = arith.mulf %x, %s`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
  ];
}

#endif // SLIM_CODEGEN_PASSES_TD
