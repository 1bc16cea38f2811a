//===- SlimOps.td - Slim operations ------------------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_DIALECT_SLIM_IR_SLIMOPS_TD
#define SLIM_DIALECT_SLIM_IR_SLIMOPS_TD

include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "slim/Dialect/Slim/IR/SlimAttrs.td"

class Slim_Op<string mnemonic, list<Trait> traits = []>
    : Op<Slim_Dialect, mnemonic, traits>;

def Slim_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Slim_QuantizedTensor : RankedTensorOf<[quant_QuantizedType]>;

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

def Slim_QuantizeOp : Slim_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Quantize a float tensor to a quantized tensor";
  let description = [{
    Converts every element `x` of a float tensor to the stored integer `q` of
    the result's quantized type (per-tensor, per-axis or sub-channel):

    ```
    t = float32(x) / float32(S)            // IEEE float32 division
    r = round(t)                           // `rounding`, default half_to_even
    q = clamp(r + Z, qmin, qmax)           // saturating, zero point added
                                           // after rounding
    ```

    `S` and `Z` are the scale and zero point that the quantized type assigns to
    the element: per-tensor, the type's single pair; per-axis, the pair of the
    element's index along the axis; sub-channel, the pair of the element's
    block (index `i_d / B_d` along every dimension `d`).

    Edge cases are defined, not poison: `+Inf` gives `qmax`, `-Inf` gives
    `qmin`, and NaN gives `Z` (the integer that stands for real 0.0).
    `half_away_from_zero` rounds the exact quotient (`llvm.round`), so
    0.49999997 gives 0 under both modes.

    Example:

    ```mlir
    %q = slim.quantize %x rounding<half_away_from_zero>
        : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
    ```

    Quantizing a constant folds into an integer constant (`arith.constant`
    of the storage type reinterpreted by `quant.scast`): this is how weights
    become integer constants.
  }];

  let arguments = (ins
    Slim_FloatTensor:$input,
    DefaultValuedAttr<Slim_RoundingModeAttr, "RoundingMode::HalfToEven">:$rounding
  );
  let results = (outs Slim_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input (`rounding` `` $rounding^)? attr-dict `:` type($input) `to` type($result)
  }];
  let extraClassDeclaration = [{
    /// Whether quantizing to `quantized` the dequantized values of a
    /// tensor of that type, held in `floatType`, returns every stored value
    /// unchanged (what the folder of quantize(dequantize(x)) requires).
    static bool isRoundTripExact(RankedTensorType quantized, Type floatType);
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// DequantizeOp
//===----------------------------------------------------------------------===//

def Slim_DequantizeOp : Slim_Op<"dequantize",
                                [Pure, SameOperandsAndResultShape]> {
  let summary = "Dequantize a quantized tensor to a float tensor";
  let description = [{
    Converts every stored integer `q` to the real value it stands for:

    ```
    d = q - Z                              // exact, in 64-bit integers
    r = float32(d) * float32(S)            // IEEE float32 multiply
    y = expressed(r)                       // round to f16/bf16 if needed
    ```

    `S` and `Z` are chosen per element as for `slim.quantize`. For storage of
    up to 16 bits `float32(d)` is exact, so the only rounding is the
    multiply (and the final narrowing for f16/bf16); for i32 storage `d`
    itself rounds above 2^24.

    Example:

    ```mlir
    %y = slim.dequantize %q
        : tensor<4x!quant.uniform<u8:f32, 0.5:128>> to tensor<4xf32>
    ```

    `slim.dequantize(slim.quantize(x))` is never folded to `x`: the pair is
    lossy.
  }];

  let arguments = (ins Slim_QuantizedTensor:$input);
  let results = (outs Slim_FloatTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `to` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// UnpackOp
//===----------------------------------------------------------------------===//

def Slim_UnpackOp : Slim_Op<"unpack", [Pure]> {
  let summary = "Unpack 4-bit integers stored two per byte";
  let description = [{
    Reads a tensor of 4-bit integers from bytes that hold two of them each,
    packed along the last dimension, the lower-indexed element in the low
    nibble (the order of ONNX's int4 and ONNX Runtime's MatMulNBits):

    ```
    result[..., j] = trunc_i4(packed[..., j floordiv 2] >> (4 * (j mod 2)))
    ```

    The packed tensor has the result's shape with the last dimension
    `ceil(N / 2)`; when `N` is odd the high nibble of each row's last byte is
    padding and is ignored. The result is signless `i4`: the bits; whether
    they read as signed or unsigned is up to the `!quant.uniform` type that
    a following `quant.scast` gives them.

    `slim-quantize-weights` with `bits=4` writes weights this way, so they
    take half a byte each in the module and in memory. The op is never
    folded into an unpacked constant: that would undo the packing.

    Example:

    ```mlir
    %w4 = slim.unpack %packed : tensor<16x3xi8> -> tensor<16x5xi4>
    %q = quant.scast %w4 : tensor<16x5xi4>
        to tensor<16x5x!quant.uniform<i4<-7:7>:f32:1, {0.1,0.2,0.3,0.4,0.5}>>
    ```
  }];

  let arguments = (ins RankedTensorOf<[I8]>:$packed);
  let results = (outs RankedTensorOf<[I<4>]>:$result);
  let assemblyFormat = [{
    $packed attr-dict `:` type($packed) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

def Slim_RequantizeOp : Slim_Op<"requantize",
                                [Pure, SameOperandsAndResultShape]> {
  let summary = "Requantize to other quantization parameters";
  let description = [{
    Re-expresses a quantized tensor in another quantized type: an int8
    tensor under new parameters, or an int32 accumulator
    (`!quant.uniform<i32:f32, S_acc>`, typically `S_acc = S_w * S_x`,
    per-axis for per-channel weights) narrowed to int8. The real multiplier
    of an element is `M = S_in / S_out`, computed in float64 from the two
    types' scales (per-tensor, or per-axis on either or both sides).

    `mode<fixed_point>` (the default) is the gemmlowp / TFLite reference
    arithmetic. `M` is decomposed as `M = M0 * 2^(n - 31)` with the
    32-bit `M0` in `[2^30, 2^31)` (`M0 = round_half_away(frac(M) * 2^31)`,
    frexp-style; if that gives 2^31 then `M0 = 2^30` and `n += 1`; if
    `n < -31` the multiplier is 0). Then:

    ```
    x  = saturate_i32(q - Z_in)
    x  = saturate_i32(x * 2^max(n, 0))     // left shift for M >= 1 saturates
    h  = SaturatingRoundingDoublingHighMul(x, M0)
         // (x * M0 + (x*M0 >= 0 ? 2^30 : 1 - 2^30)) / 2^31, truncating;
         // the only overflow (x = M0 = -2^31) gives 2^31 - 1
    y  = RoundingDivideByPOT(h, max(-n, 0))
         // (h >> e) + (rem > (mask >> 1) + (h < 0) ? 1 : 0), ties away
    q' = clamp(y + Z_out, lo, hi)
    ```

    `mode<float>` multiplies in float64 and rounds once with `rounding`
    (default `half_to_even`):

    ```
    q' = clamp(round(float64(q - Z_in) * M) + Z_out, lo, hi)
    ```

    `[lo, hi]` is the storage range of the result type, narrowed by the
    optional fused `clamp [lo, hi]` (in result storage units: ReLU is
    `clamp [Z_out, qmax]`, ReLU6 `clamp [Z_out, Z_out + round(6 / S_out)]`).
    The two modes differ on ties: fixed-point rounds through two steps, so
    it is not `round_half_even(x * M)`.

    Example:

    ```mlir
    %y = slim.requantize %acc clamp [-3, 127]
        : tensor<16x!quant.uniform<i32:f32, 0.0005>>
          to tensor<16x!quant.uniform<i8:f32, 0.1:-3>>
    ```

    Requantizing to the identical type without a clamp folds to its input;
    two requantizes of which one is lossless combine into one.
  }];

  let arguments = (ins
    Slim_QuantizedTensor:$input,
    DefaultValuedAttr<Slim_RequantModeAttr, "RequantMode::FixedPoint">:$mode,
    OptionalAttr<Slim_RoundingModeAttr>:$rounding,
    OptionalAttr<DenseI64ArrayAttr>:$clamp
  );
  let results = (outs Slim_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input (`mode` `` $mode^)? (`rounding` `` $rounding^)? (`clamp` $clamp^)?
    attr-dict `:` type($input) `to` type($result)
  }];
  let extraClassDeclaration = [{
    /// The rounding mode of the float path (half_to_even unless set).
    RoundingMode getEffectiveRounding() {
      return getRounding().value_or(RoundingMode::HalfToEven);
    }
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

def Slim_FakeQuantOp : Slim_Op<"fake_quant",
                               [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Quantize then dequantize, float in and float out";
  let description = [{
    Simulates quantization in float (quantization-aware training, export of
    a QAT model, error measurement): every element becomes
    `dequantize(quantize(x))` under `quant_type`, with exactly the arithmetic
    of `slim.quantize` (using `rounding`) followed by that of
    `slim.dequantize`. The result has the input's type.

    Example:

    ```mlir
    %y = slim.fake_quant %x as !quant.uniform<i8:f32, 0.25> : tensor<3xf32>
    ```

    A fake_quant of a constant folds to a constant.
  }];

  let arguments = (ins
    Slim_FloatTensor:$input,
    TypeAttrOf<quant_QuantizedType>:$quant_type,
    DefaultValuedAttr<Slim_RoundingModeAttr, "RoundingMode::HalfToEven">:$rounding
  );
  let results = (outs Slim_FloatTensor:$result);
  let assemblyFormat = [{
    $input `as` $quant_type (`rounding` `` $rounding^)? attr-dict `:`
    type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// QMatmulOp
//===----------------------------------------------------------------------===//

def Slim_QMatmulOp : Slim_Op<"qmatmul", [Pure]> {
  let summary = "Integer matrix multiplication of quantized tensors";
  let description = [{
    Multiplies `lhs` (M x K) by `rhs` (K x N), both quantized, into an int32
    accumulator, with an optional int32 `bias` (N) added:

    ```
    acc[m, n] = sum_k (lhs[m, k] - Z_lhs) * (rhs[k, n] - Z_rhs[n]) + bias[n]
    ```

    computed exactly in 32-bit two's-complement integers (it wraps if the sum
    leaves int32: with 8-bit operands that takes K above 33,000). `lhs` is
    quantized per tensor; `rhs` per tensor or per output channel (its last
    axis). The result type is `!quant.uniform<i32:f32, S_lhs * S_rhs>`
    (per-axis on its last axis when `rhs` is), zero point 0: the real value
    of the accumulator. `bias`, when present, has that same scale on its one
    axis. N must be static.

    The batched form (`linalg.batch_matmul`) takes B x M x K and B x K x N to
    B x M x N, the same formula per batch; `rhs` may then be another
    activation (attention's `Q K^T`), with its own zero point.

    Follow it with `slim.requantize` (with a fused clamp for ReLU/ReLU6) to
    get back to 8 bits. The lowering precomputes what depends on constants
    only: the column sums of a constant 2-D `rhs` times `Z_lhs`, and
    `K * Z_lhs * Z_rhs[n]`, folded into the bias; other column sums are
    computed at run time.

    Example:

    ```mlir
    %acc = slim.qmatmul %x, %w, %b
        : tensor<4x16x!quant.uniform<u8:f32, 0.1:128>>,
          tensor<16x8x!quant.uniform<i8:f32, 0.01>>,
          tensor<8x!quant.uniform<i32:f32, 0.001>>
        -> tensor<4x8x!quant.uniform<i32:f32, 0.001>>
    ```
  }];

  let arguments = (ins
    Slim_QuantizedTensor:$lhs,
    Slim_QuantizedTensor:$rhs,
    Optional<Slim_QuantizedTensor>:$bias
  );
  let results = (outs Slim_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` type($lhs) `,` type($rhs)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// QConv2DOp
//===----------------------------------------------------------------------===//

def Slim_QConv2DOp : Slim_Op<"qconv2d", [Pure]> {
  let summary = "Integer 2-D convolution of quantized tensors (NCHW or NHWC; "
                "dense, grouped or depthwise)";
  let description = [{
    Convolves `input` (quantized per tensor) with `filter` (per tensor or
    per output channel) into an int32 accumulator, with an optional int32
    `bias` (one value per output channel). Four forms, the layouts of
    `linalg`'s convolutions:

    | form                    | input        | filter (channel axis)  | result        |
    |-------------------------|--------------|------------------------|---------------|
    | default                 | N x C x H x W | F x C x KH x KW (0)   | N x F x OH x OW |
    | `nhwc`                  | N x H x W x C | KH x KW x C x F (3)   | N x OH x OW x F |
    | `depthwise`             | N x C x H x W | C x KH x KW (0)       | N x C x OH x OW |
    | `nhwc depthwise`        | N x H x W x C | KH x KW x C (2)       | N x OH x OW x C |

    For the dense forms

    ```
    xp = input padded by `padding` = [top, left, bottom, right] with Z_in
         (the stored value of real 0, so padding contributes nothing)
    acc[n, f, i, j] = sum_{c, a, b}
        (xp[n, c, i*s0 + a*d0, j*s1 + b*d1] - Z_in) * (filter[f, c, a, b] - Z_f[f])
        + bias[f]
    ```

    (indices written in NCHW order), and with `depthwise` each output
    channel reads its own input channel only (F = C, no sum over c):

    ```
    acc[n, c, i, j] = sum_{a, b}
        (xp[n, c, i*s0 + a*d0, j*s1 + b*d1] - Z_in) * (filter[c, a, b] - Z_f[c])
        + bias[c]
    ```

    With `groups` G > 1 (dense forms only; G divides C and F, and the
    filter's input-channel dimension is C/G, as in ONNX's and PyTorch's
    grouped convolutions) the channels split into G consecutive groups and
    filter f reads only the input channels of its group:

    ```
    acc[n, f, i, j] = sum_{c < C/G, a, b}
        (xp[n, g*C/G + c, i*s0 + a*d0, j*s1 + b*d1] - Z_in)
          * (filter[f, c, a, b] - Z_f[f]) + bias[f],   g = f / (F/G)
    ```

    with `strides` `[s0, s1]` and `dilations` `[d0, d1]` (height, width),
    exact in 32-bit two's-complement integers. Output sizes follow from the
    padded input: `(H + top + bottom - d0*(KH-1) - 1) / s0 + 1` and likewise
    for W. The result type is `!quant.uniform<i32:f32:A, {S_in * S_f[f]}>`
    with A its channel axis (1, or 3 for `nhwc`), per tensor when the
    filter is, zero point 0; `bias` has the same scales.

    `slim-lower-quant` lowers every form to `linalg` (pad, one integer
    contraction, over grouped views of the operands when G > 1);
    `slim-pack-contractions` puts those with a constant signed 8-bit filter
    of zero points 0 on the runtime's int8 kernels (`slim.packed_conv2d`;
    one per group, on the group's channels, concatenated).

    Example:

    ```mlir
    %acc = slim.qconv2d %x, %w, %b strides [1, 1] dilations [1, 1]
        padding [1, 1, 1, 1]
        : tensor<1x3x8x8x!quant.uniform<u8:f32, 0.02:128>>,
          tensor<4x3x3x3x!quant.uniform<i8:f32:0, {...}>>,
          tensor<4x!quant.uniform<i32:f32:0, {...}>>
        -> tensor<1x4x8x8x!quant.uniform<i32:f32:1, {...}>>
    %dw = slim.qconv2d %y, %k strides [2, 2] dilations [1, 1]
        padding [0, 0, 1, 1] nhwc depthwise
        : tensor<1x8x8x32x!quant.uniform<u8:f32, 0.02:128>>,
          tensor<3x3x32x!quant.uniform<i8:f32:2, {...}>>
        -> tensor<1x4x4x32x!quant.uniform<i32:f32:3, {...}>>
    %g = slim.qconv2d %z, %v strides [1, 1] dilations [1, 1]
        padding [1, 1, 1, 1] groups 4
        : tensor<1x12x8x8x!quant.uniform<u8:f32, 0.02:128>>,
          tensor<24x3x3x3x!quant.uniform<i8:f32:0, {...}>>
        -> tensor<1x24x8x8x!quant.uniform<i32:f32:1, {...}>>
    ```
  }];

  let arguments = (ins
    Slim_QuantizedTensor:$input,
    Slim_QuantizedTensor:$filter,
    Optional<Slim_QuantizedTensor>:$bias,
    DenseI64ArrayAttr:$strides,
    DenseI64ArrayAttr:$dilations,
    DenseI64ArrayAttr:$padding,
    UnitAttr:$nhwc,
    UnitAttr:$depthwise,
    DefaultValuedAttr<I64Attr, "1">:$groups
  );
  let results = (outs Slim_QuantizedTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? `strides` $strides `dilations` $dilations
    `padding` $padding (`nhwc` $nhwc^)? (`depthwise` $depthwise^)?
    (`groups` $groups^)? attr-dict
    `:` type($input) `,` type($filter) (`,` type($bias)^)? `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// The layout of each form, for the op and for whoever builds one
    /// (slim-fuse-quantized reads linalg's convolutions with them).
    /// The channel dimension of the input and the result: 1, or 3 (nhwc).
    static int64_t channelDim(bool nhwc) { return nhwc ? 3 : 1; }
    /// The first of the two spatial dimensions (height, width) of the
    /// input and the result.
    static int64_t spatialDim(bool nhwc) { return nhwc ? 1 : 2; }
    /// The filter's output-channel dimension, its quantization axis.
    static int64_t filterChannelDim(bool nhwc, bool depthwise) {
      if (depthwise)
        return nhwc ? 2 : 0;
      return nhwc ? 3 : 0;
    }
    /// The filter's input-channel dimension (dense forms only).
    static int64_t filterInputDim(bool nhwc) { return nhwc ? 2 : 1; }
    /// The filter's first spatial dimension (KH, then KW).
    static int64_t filterSpatialDim(bool nhwc, bool depthwise) {
      return nhwc ? 0 : (depthwise ? 1 : 2);
    }

    int64_t getChannelDim() { return channelDim(getNhwc()); }
    int64_t getSpatialDim() { return spatialDim(getNhwc()); }
    int64_t getFilterChannelDim() {
      return filterChannelDim(getNhwc(), getDepthwise());
    }
    int64_t getFilterInputDim() { return filterInputDim(getNhwc()); }
    int64_t getFilterSpatialDim() {
      return filterSpatialDim(getNhwc(), getDepthwise());
    }
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// QAddOp
//===----------------------------------------------------------------------===//

def Slim_QAddOp : Slim_Op<"qadd", [Pure]> {
  let summary = "Add two quantized tensors that have different parameters";
  let description = [{
    Adds `lhs` and `rhs` elementwise, each under its own per-tensor scale and
    zero point, into a result with a third: the residual add of a network
    whose activations stay 8-bit. The arithmetic is TFLite's reference
    8-bit ADD, all in 32-bit integers. With `S = 2 * max(S_lhs, S_rhs)` and
    `L = 20`:

    ```
    M_lhs = S_lhs / S            M_rhs = S_rhs / S         // both in (0, 1/2]
    M_out = S / (2^L * S_out)
    a = MultiplyByQuantizedMultiplier((q_lhs - Z_lhs) * 2^L, M_lhs)
    b = MultiplyByQuantizedMultiplier((q_rhs - Z_rhs) * 2^L, M_rhs)
    q = clamp(MultiplyByQuantizedMultiplier(a + b, M_out) + Z_out, lo, hi)
    ```

    `MultiplyByQuantizedMultiplier(x, M)` is the fixed-point multiply of
    `slim.requantize`'s default mode: `M` decomposed into a 32-bit `M0` and a
    shift, a saturating left shift for `M >= 1`, the rounding doubling high
    multiply, a rounding right shift (ties away from zero). Both inputs are
    first brought to the common scale `S / 2^L` (20 fraction bits below the
    coarser input's step, so that the finer input keeps its resolution);
    their sum is exact, then rounded once more to the output. Nothing can
    overflow: an 8-bit `q - Z` times `2^L` is below `2^29`, so `a`, `b` and
    `a + b` fit in 32 bits. When the result's scale is at least `2^-17`
    times the coarser input's (`M_out <= 1/4`; a residual add's output scale
    is of the order of its inputs'), the result before the clamp is within
    one output step of the real sum `S_lhs (q_lhs - Z_lhs) + S_rhs (q_rhs -
    Z_rhs)`: the two rounded addends are off by less than 2 units of `S /
    2^L`, which `M_out` shrinks below half a step, plus the final rounding.
    Finer result scales are accepted (down to `M_out < 2^31`) with a larger
    error.

    `[lo, hi]` is the result's storage range, narrowed by the optional
    `clamp [lo, hi]` (in result storage units: a ReLU after the add is
    `clamp [Z_out, qmax]`).

    The operands are quantized per tensor with storage of at most 8 bits,
    the result per tensor with storage of at most 16 bits; the three share
    one expressed type and one shape. `slim-fuse-quantized` forms this op
    from a float add of two dequantized activations followed by a
    quantize; `slim-lower-quant` lowers it to one elementwise
    `linalg.generic`.

    Example:

    ```mlir
    %y = slim.qadd %a, %b clamp [-128, 127]
        : tensor<1x24x8x8x!quant.uniform<i8:f32, 0.05:-3>>,
          tensor<1x24x8x8x!quant.uniform<u8:f32, 0.02:128>>
        -> tensor<1x24x8x8x!quant.uniform<i8:f32, 0.06:4>>
    ```
  }];

  let arguments = (ins
    Slim_QuantizedTensor:$lhs,
    Slim_QuantizedTensor:$rhs,
    OptionalAttr<DenseI64ArrayAttr>:$clamp
  );
  let results = (outs Slim_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`clamp` $clamp^)? attr-dict `:` type($lhs) `,` type($rhs)
    `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// The left shift L of the description.
    static constexpr int kLeftShift = 20;
    /// M_lhs, M_rhs and M_out of the description, from the three scales.
    static std::array<double, 3> getMultipliers(double lhsScale,
                                                double rhsScale,
                                                double resultScale);
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// DynamicQMatmulOp
//===----------------------------------------------------------------------===//

def Slim_DynamicQMatmulOp : Slim_Op<"dynamic_qmatmul", [Pure]> {
  let summary = "Matmul of a float activation, quantized at run time, by a quantized weight";
  let description = [{
    Dynamic quantization (ONNX DynamicQuantizeLinear followed by an integer
    matmul): the float `lhs` (M x K) is quantized to u8 with parameters
    computed from its own range on every call, multiplied exactly in
    integers by the quantized `rhs` (K x N, i8 or u8, per tensor or per
    output channel), and the int32 sums are scaled back to f32:

    ```
    rmin = min(0, min_i x_i)   rmax = max(0, max_i x_i)      // NaN ignored
    S    = f32(rmax - rmin) / 255                             // float32
    S    = 1 if S == 0                                        // all zeros
    Z    = clamp(round_half_even(0 - rmin / S), 0, 255)
    q    = clamp(round_half_even(x / S) + Z, 0, 255)          // NaN -> Z
    acc  = sum_k (q[m, k] - Z) * (rhs[k, n] - Z_rhs[n])       // int32
    y    = f32(acc) * f32(S * f32(S_rhs[n]))                  // float32
    ```

    With `per_row`, every row m of `lhs` (a token, in a transformer) gets
    its own `S[m]` and `Z[m]` from its own range, by the same formulas: an
    outlier in one row no longer coarsens the steps of all the others, and
    the integer sums are unchanged (the row's scale multiplies its sums).

    Weights are quantized offline (`slim-quantize-weights`); the pass
    `slim-quantize-dynamic` forms this op from a matmul whose weight is
    dequantized.

    Example:

    ```mlir
    %y = slim.dynamic_qmatmul %x, %w
        : tensor<?x16xf32>, tensor<16x8x!quant.uniform<i8:f32:1, {...}>>
        -> tensor<?x8xf32>
    %z = slim.dynamic_qmatmul %x, %w per_row
        : tensor<?x16xf32>, tensor<16x8x!quant.uniform<i8:f32:1, {...}>>
        -> tensor<?x8xf32>
    ```
  }];

  let arguments = (ins
    RankedTensorOf<[F32]>:$lhs,
    Slim_QuantizedTensor:$rhs,
    UnitAttr:$per_row
  );
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`per_row` $per_row^)? attr-dict `:` type($lhs) `,`
    type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// ObserveOp
//===----------------------------------------------------------------------===//

def Slim_ObserveOp : Slim_Op<"observe", [AllTypesMatch<["input", "result"]>]> {
  let summary = "Record statistics of a tensor during calibration";
  let description = [{
    Returns its input unchanged. When the module is run for calibration
    (`slim-run --calibrate`, after `slim-lower-observers{mode=runtime}`), every
    execution records statistics of the tensor under the observer's `id`:
    minimum, maximum, their exponential moving averages, a histogram, and
    with `axis` the minimum and maximum of every channel along that axis.

    A *sample* is one index along dimension 0 (the batch) of a tensor of rank
    2 or more, or the whole tensor for rank 0 or 1; the statistics are
    updated one sample at a time, so they do not depend on how the
    calibration data was batched.

    Outside calibration the op is an identity (`slim-lower-observers` with
    `mode=erase`, part of every lowering pipeline, removes it).
    `slim-fold-calibration` replaces it by a quantize/dequantize pair whose
    parameters come from the recorded statistics.

    With `slim-run --calibrate --hessians`, the tensor's Gram matrix (the
    sum of x x^T over its rows, the vectors along its last dimension) is
    recorded too; with the discardable attribute `slim.patches` (on the
    input of a 2-D convolution, set by `slim-insert-observers`), over its
    convolution patches instead: `slim.patches = array<i64: c, kh, kw, sh,
    sw, dh, dw>` names the channel dimension (1 for NCHW, 3 for NHWC; rank
    4), the window, its strides and dilations, and each output pixel's
    window of kh x kw x C values, in (kh, kw, c) order (a filter seen as a
    K x F matrix, K = kh * kw * C), is one row. (A discardable attribute,
    not a property, so that modules written before it existed still read.)

    The op has side effects (it must not be removed, merged or moved while
    calibrating); `id` must be unique in the module.

    Example:

    ```mlir
    %y = slim.observe %x id "main/linalg.matmul#0/in0" axis 1 : tensor<?x256xf32>
    %p = slim.observe %i id "main/arg0"
           {slim.patches = array<i64: 1, 3, 3, 1, 1, 1, 1>} : tensor<?x8x16x16xf32>
    ```
  }];

  let arguments = (ins
    Slim_FloatTensor:$input,
    StrAttr:$id,
    OptionalAttr<I64Attr>:$axis
  );
  let results = (outs Slim_FloatTensor:$result);
  let assemblyFormat = [{
    $input `id` $id (`axis` $axis^)? attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    /// The convolution patches of `slim.patches`, or null.
    ::mlir::DenseI64ArrayAttr getPatchesAttr() {
      return (*this)->getAttrOfType<::mlir::DenseI64ArrayAttr>(
          "slim.patches");
    }
    void setPatchesAttr(::mlir::DenseI64ArrayAttr patches) {
      (*this)->setAttr("slim.patches", patches);
    }
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// PackedMatmulOp
//===----------------------------------------------------------------------===//

def Slim_PackedMatmulOp : Slim_Op<"packed_matmul", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Matmul of an activation by a packed constant weight, on a "
                "runtime micro-kernel";
  let description = [{
    Multiplies `lhs` (M x K, or B x M x K) by the K x N matrix W that
    `packed` holds in the runtime's packed layout, into `init` (M x N or
    B x M x N), in one of two kinds:

    - **int8**: `lhs` i8 (signed, or u8 with `lhs_unsigned`), W signed
      int8, `init` i32; exact in 32-bit two's-complement arithmetic
      (wrapping like the `linalg` contraction it replaces):

      ```
      result[b, m, n] = (accumulate ? init[b, m, n] : 0)
                        + sum_k lhs[b, m, k] * W[k, n] (+ bias[n])
      ```

      `packed` is a 1-D i8 tensor of `Kp * Np + 4 * Np` bytes, Kp = K
      rounded up to 64 and Np = N rounded up to 16: panels of 16 columns,
      each a sequence of 64-byte groups of 4 k x 16 columns, then the Np
      int32 column sums of W. With `sparse`, `packed` is the sparse form of
      those bytes instead (a pruned weight, at least half zeros): per
      panel, a 64-bit mask per 64-byte group naming its nonzero bytes and
      the nonzero bytes alone (docs/codegen.md, "Sparse int8 weights"), of
      a size that depends on the values; the result is the same exact sum.
      An f32 `sparse` weight is `packed` as i8 bytes in the row-compressed
      form (a block-pruned weight: each panel keeps only its k whose 16
      floats are not all zero, with their k), and each element is the
      chain of fused multiply-adds over the kept k in order (the dense
      chain without the removed terms: the same but where `lhs` holds Inf
      or NaN facing a removed weight, and in the sign of a zero sum).

    - **f32**: `lhs`, `packed` and `init` f32; every element is one chain
      of fused multiply-adds over k in order, starting from `init`
      (`accumulate`) or +0:

      ```
      acc = accumulate ? init[b, m, n] : +0
      for k in 0 .. K-1: acc = fma(lhs[b, m, k], W[k, n], acc)
      result[b, m, n] = acc (+ bias[n], one f32 addition)
      ```

      the order and rounding of `slim-tile-and-vectorize`'s contractions
      followed by a separate bias add.
      `packed` is a 1-D f32 tensor of `K * Np` elements: panels of 16
      columns, each its K rows of 16 floats.

    `bias`, when present, is a 1-D tensor of N elements of the result's
    type: a per-column epilogue (bias, zero-point corrections) that
    `slim-pack-contractions` fuses into the kernel, which adds it to the
    accumulators before they are stored.

    The layouts (docs/codegen.md) are the same for every `isa`; `isa` only
    selects the kernel that runs them (`slim_uk_qgemm_s8_<isa>` or
    `slim_uk_sgemm_f32_<isa>` in the runtime).

    `slim-pack-contractions` creates the op on tensors from a linalg
    contraction whose right-hand side is a constant, packing the constant at
    compile time. It bufferizes in destination-passing style (the result is
    `init`'s buffer) and, on memrefs, `slim-lower-micro-kernels` turns it
    into the call. The rows of `lhs` and `init` must be contiguous (unit
    innermost stride).

    Example:

    ```mlir
    %r = slim.packed_matmul ins(%x, %w : tensor<4x17xi8>, tensor<1088xi8>)
        outs(%init : tensor<4x5xi32>) k = 17 n = 5 isa = <avx512_vnni>
        -> tensor<4x5xi32>
    %y = slim.packed_matmul ins(%a, %v : tensor<?x3xf32>, tensor<48xf32>)
        outs(%c : tensor<?x5xf32>) bias(%b : tensor<5xf32>) k = 3 n = 5
        isa = <avx2> -> tensor<?x5xf32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$lhs,
    AnyShaped:$packed,
    AnyShaped:$init,
    Optional<AnyShaped>:$bias,
    I64Attr:$k,
    I64Attr:$n,
    Slim_KernelIsaAttr:$isa,
    UnitAttr:$lhs_unsigned,
    UnitAttr:$accumulate,
    UnitAttr:$sparse
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $packed `:` type($lhs) `,` type($packed) `)`
    `outs` `(` $init `:` type($init) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `k` `=` $k `n` `=` $n `isa` `=` $isa attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

def Slim_ActivationMatmulOp : Slim_Op<"activation_matmul", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "int8 matmul of two activations on a runtime micro-kernel";
  let description = [{
    Multiplies `lhs` (M x K, or B x M x K) by `rhs` (K x N, or B x K x N),
    both 8-bit integer tensors computed at run time (attention's Q x K^T
    and P x V), into the i32 `init` (M x N or B x M x N), exactly in 32-bit
    two's-complement arithmetic (wrapping like the `linalg` contraction it
    replaces):

    ```
    result[b, m, n] = (accumulate ? init[b, m, n] : 0)
                      + sum_k lhs[b, m, k] * rhs[b, k, n]
    ```

    Each operand's bytes are signed, or unsigned with `lhs_unsigned` /
    `rhs_unsigned`. A 2-D `rhs` is shared by every batch. Zero points are
    not the op's business: `slim-lower-quant` subtracts their terms around
    the raw product, as it does for every contraction.

    Unlike `slim.packed_matmul`, whose weight was packed at compile time,
    the runtime packs `rhs` into the kernels' layout on every call (a uint8
    `rhs` as `rhs - 128`, with `128 * sum_k lhs` added back), reading it
    through its strides: a transposed `rhs` (a `memref.transpose` or a
    strided view) costs no copy. `isa` selects the kernel
    (`slim_uk_qgemm_act_s8_<isa>` in the runtime).

    `slim-pack-contractions` creates the op on tensors from an int8
    contraction whose right-hand side is not a constant. It bufferizes in
    destination-passing style and `slim-lower-micro-kernels` turns it into
    the call. The rows of `lhs` and `init` must be contiguous (unit
    innermost stride); `rhs` may have any strides.

    Example:

    ```mlir
    %s = slim.activation_matmul ins(%q, %kt : tensor<12x128x32xi8>,
        tensor<12x32x128xi8>) outs(%init : tensor<12x128x128xi32>)
        isa = <avx512_vnni> {lhs_unsigned, rhs_unsigned}
        -> tensor<12x128x128xi32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$lhs,
    AnyShaped:$rhs,
    AnyShaped:$init,
    Slim_KernelIsaAttr:$isa,
    UnitAttr:$lhs_unsigned,
    UnitAttr:$rhs_unsigned,
    UnitAttr:$accumulate
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `:` type($init) `)`
    `isa` `=` $isa attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

def Slim_AttentionOp : Slim_Op<"attention", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Scaled dot-product attention in one pass, on a runtime "
                "kernel";
  let description = [{
    Attention of f32 `query` (B x H x M x D), `key` (B x H x N x D) and
    `value` (B x H x N x Dv) into `init` (B x H x M x Dv), with an optional
    additive `mask` whose dimensions are those of the scores (B x H x M x
    N) or 1 (broadcast):

    ```
    s[b, h, i, j] = (sum_t query[b, h, i, t] * key[b, h, j, t])
                    {* scale | / scale} (+ mask[b, h, i, j])
    result[b, h, i, :] = sum_j softmax_j(s[b, h, i, :]) * value[b, h, j, :]
    ```

    where the scale is applied as the matched IR applied it: multiplied,
    divided (`scale_divides`), or not at all (no `scale`). This is the
    chain `slim-fuse-attention` replaces (a batched Q x K^T, the scale, the
    mask add, softmax's maximum, subtraction, exponential, sum and
    division, and a batched P x V), computed the way flash attention
    computes it on a CPU: per head, the keys in tiles of 256 with a running
    maximum and sum, each dot product one chain of fused multiply-adds,
    the exponential a polynomial within 2 ulp and the softmax's division
    applied once to each output after P x V. The scores and probabilities
    are never stored. Results differ from the unfused chain by float
    reassociation and the exponential's rounding (docs/codegen.md); a NaN
    score makes its row NaN, a row whose scores are all -inf is NaN (as
    the unfused softmax gives) and N = 0 gives NaN.

    On memrefs, operands are read through their strides: a transposed view
    (a `memref.transpose` of a B x S x H x D projection read as B x H x S x
    D) costs no copy (a `linalg.transpose` on tensors is still a copy after
    bufferization). The mask's shape must be static: its size-1 dimensions
    are what broadcasts. Dynamic sizes of the other operands must agree at
    run time (not checked). It bufferizes in destination-passing style (the
    result is `init`'s buffer) and `slim-lower-micro-kernels` turns it into
    a call of `slim_uk_attention_f32_<isa>`.

    Example:

    ```mlir
    %o = slim.attention ins(%q, %k, %v : tensor<1x12x128x32xf32>,
        tensor<1x12x128x32xf32>, tensor<1x12x128x32xf32>)
        outs(%init : tensor<1x12x128x32xf32>)
        mask(%m : tensor<1x1x1x128xf32>) scale = 5.656854 divides
        isa = <avx512_vnni> -> tensor<1x12x128x32xf32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$query,
    AnyShaped:$key,
    AnyShaped:$value,
    AnyShaped:$init,
    Optional<AnyShaped>:$mask,
    OptionalAttr<F32Attr>:$scale,
    UnitAttr:$scale_divides,
    Slim_KernelIsaAttr:$isa
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
        type($value) `)`
    `outs` `(` $init `:` type($init) `)`
    (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`scale` `=` $scale^ (`divides` $scale_divides^)?)?
    `isa` `=` $isa attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

def Slim_DynamicPackedMatmulOp : Slim_Op<"dynamic_packed_matmul", [
    AttrSizedOperandSegments,
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Dynamically quantized matmul by a packed int8 weight, on a "
                "runtime micro-kernel";
  let description = [{
    `slim.dynamic_qmatmul` by a constant int8 weight, as one runtime call:
    the f32 `lhs` (M x K) is quantized to u8 from its own range (per
    tensor, or per row with `per_row`), multiplied by the weight W that
    `packed` holds (the layout of `slim.packed_matmul`'s int8 kind), and
    the sums are scaled back into the f32 `init` (M x N), with the
    arithmetic of `slim.dynamic_qmatmul` bit for bit (`scales` are W's
    per-column f32 scales S_w, `zero_points` its per-column zero points
    Z_w, all zero when absent):

    ```
    acc = sum_k (q[m, k] - Z) * (W[k, n] - Z_w[n])            // int32, wraps
    y   = f32(acc) * f32(S * S_w[n])  (+ bias[n], one f32 addition)
    ```

    The runtime (`slim_uk_dqgemm_<isa>`) makes one pass over `lhs` for its
    range and one that quantizes it into the kernel's operand, writes the
    integer sums into the result's buffer and scales them in place right
    after the kernel wrote each block.

    `slim-pack-contractions` creates the op from `slim.dynamic_qmatmul`
    whose weight is a constant of signed 8-bit storage (the CPU pipeline
    runs it before `slim-lower-quant` for this), packing the weight at
    compile time; `bias` is a following per-column f32 add, fused. The
    rows of `lhs` and `init` must be contiguous.

    Example:

    ```mlir
    %y = slim.dynamic_packed_matmul ins(%x, %w : tensor<128x384xf32>,
        tensor<148992xi8>) outs(%init : tensor<128x384xf32>)
        scales(%s : tensor<384xf32>) k = 384 n = 384 isa = <amx> {per_row}
        -> tensor<128x384xf32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$lhs,
    AnyShaped:$packed,
    AnyShaped:$init,
    AnyShaped:$scales,
    Optional<AnyShaped>:$zero_points,
    Optional<AnyShaped>:$bias,
    I64Attr:$k,
    I64Attr:$n,
    Slim_KernelIsaAttr:$isa,
    UnitAttr:$per_row
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $packed `:` type($lhs) `,` type($packed) `)`
    `outs` `(` $init `:` type($init) `)`
    `scales` `(` $scales `:` type($scales) `)`
    (`zero_points` `(` $zero_points^ `:` type($zero_points) `)`)?
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `k` `=` $k `n` `=` $n `isa` `=` $isa attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

def Slim_DequantMatmulOp : Slim_Op<"dequant_matmul", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "f32 matmul by packed int4/int8 weights dequantized in cache, "
                "on a runtime micro-kernel";
  let description = [{
    Weight-only quantization's matmul: the f32 `lhs` (M x K, or B x M x K)
    times W (K x N), which `packed` holds as `bits`-bit integers (4 or 8)
    with per-group parameters along K (`group_size` rows per group; K for
    one group per column), into the f32 `init`:

    ```
    W[k, n] = f32(stored[k, n] - offsets[k / group_size, n])
              * scales[k / group_size, n]            // slim.dequantize
    acc = accumulate ? init[b, m, n] : +0
    for k in 0 .. K-1: acc = fma(lhs[b, m, k], W[k, n], acc)
    result[b, m, n] = acc (+ bias[n], one f32 addition)
    ```

    the value of dequantizing the weight with `slim.dequantize` and
    multiplying with the f32 kernels, bit for bit. `packed` (1-D i8) is the
    runtime's low-bit layout (panels of 16 columns, two 4-bit values per
    byte along K; docs/codegen.md); `scales` (f32) and `offsets` (i8) hold
    groups x Np values, Np = N rounded up to 16, the offsets being the zero
    points shifted like the stored values.

    The runtime (`slim_uk_wgemm_<isa>`) dequantizes blocks of a few panels
    by 512 rows into a scratch that stays in cache and runs the f32 kernel
    on them: the weight is read at its packed size once per call and never
    exists in memory as f32.

    With `int8_activations` (4-bit weights only, in groups that are whole
    blocks of 8 k, or one group for all of K) the arithmetic is no longer
    the float model's: `lhs` is quantized per row and group, and each
    group's dot product is exact in int32 (vpdpbusd, or vpmaddubsw, which
    cannot saturate on 4-bit weights), ONNX Runtime's MatMulNBits
    `accuracy_level` 4 kind of computation:

    ```
    amax = max |lhs[b, m, k]| over the group; sa = amax / 127
    qa[k] = clamp(round_half_even(lhs[b, m, k] * (127 / amax)), -127, 127)
            (0 when amax is 0; with a NaN or an infinity in the group,
             qa = 0 and sa = NaN)
    d = sum_k (stored[k, n] - offsets[g, n]) * qa[k]        (int32)
    acc = fma(f32(d), scales[g, n] * sa, acc)   for each group g in order
    ```

    from `init` (accumulate) or +0, then the bias. `packed` is then in the
    quad layout (8 k per 64-byte block per panel, K padded to 8).
    `slim-pack-contractions weight-only-activations=int8` chooses it.

    With `sparse` (4-bit weights pruned 2:4 along K, f32 arithmetic only,
    groups of whole quartets of k), `packed` is the 2:4 form: per panel and
    quartet of k, each column's two kept stored values and their indices in
    the quartet (24 bytes per 16 columns x 4 k: 0.75 of the plain layout;
    docs/codegen.md). The positions not kept hold the zero point, which
    dequantizes to +0: the result is the formula above, bit for bit.

    `slim-pack-contractions` creates the op from a matmul whose weight is
    `slim.dequantize` of a constant (through `slim.unpack` for 4 bits) with
    per-tensor, per-column or per-group (along K) parameters, what
    `slim-weight-only` makes; it runs before `slim-lower-quant` in the CPU
    pipeline for this. The rows of `lhs` and `init` must be contiguous.

    Example:

    ```mlir
    %y = slim.dequant_matmul ins(%x, %w : tensor<1x4096xf32>,
        tensor<8388608xi8>) outs(%init : tensor<1x4096xf32>)
        scales(%s : tensor<524288xf32>) offsets(%o : tensor<524288xi8>)
        k = 4096 n = 4096 bits = 4 group_size = 32 isa = <avx512_vnni>
        -> tensor<1x4096xf32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$lhs,
    AnyShaped:$packed,
    AnyShaped:$init,
    AnyShaped:$scales,
    AnyShaped:$offsets,
    Optional<AnyShaped>:$bias,
    I64Attr:$k,
    I64Attr:$n,
    I64Attr:$bits,
    I64Attr:$group_size,
    Slim_KernelIsaAttr:$isa,
    UnitAttr:$accumulate,
    UnitAttr:$int8_activations,
    UnitAttr:$sparse
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $packed `:` type($lhs) `,` type($packed) `)`
    `outs` `(` $init `:` type($init) `)`
    `scales` `(` $scales `:` type($scales) `)`
    `offsets` `(` $offsets `:` type($offsets) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `k` `=` $k `n` `=` $n `bits` `=` $bits `group_size` `=` $group_size
    (`int8_activations` $int8_activations^)? (`sparse` $sparse^)? `isa` `=` $isa attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

def Slim_SignMatmulOp : Slim_Op<"sign_matmul", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "f32 matmul by one-bit weights (a sign matrix with column "
                "scales), on a runtime micro-kernel";
  let description = [{
    The matmul of OneBit's factorization (`slim-low-rank method=onebit`):
    the f32 `lhs` (M x K, or B x M x K) times W = S diag(`scales`), S a
    K x N matrix of +1 and -1 that `signs` holds at one bit per element,
    into the f32 `init`:

    ```
    W[k, n] = S[k, n] = +1 ? scales[n] : -scales[n]          (exact)
    acc = accumulate ? init[b, m, n] : +0
    for k in 0 .. K-1: acc = fma(lhs[b, m, k], W[k, n], acc)
    result[b, m, n] = acc (+ bias[n], one f32 addition)
    ```

    the value of multiplying by the dense f32 W with the f32 kernels, bit
    for bit, as `slim.dequant_matmul` is for its weights.

    `signs` (1-D i8, ceil(N / 16) * K * 2 bytes) is the packed form of S:
    panels of 16 columns, each K little-endian 16-bit words, bit j of word
    k of panel p set when S[k, 16 p + j] = +1 (the bits of columns past N
    are ignored):

    ```
    signs[(p * K + k) * 2 + j / 8] bit (j % 8)  <=>  S[k, 16 p + j] = +1
    ```

    2 bytes per 16 weights, 1/32 of the f32 matrix. The kernel
    (`slim_uk_signgemm_<isa>`) reads it as it is: on AVX-512 (and for a few
    rows on every ISA) each word makes its panel's 16 weights in registers
    (one masked blend of the +scales and -scales) for one fma per row;
    more rows on AVX2 and the baseline make blocks of panels in a cache
    scratch for the f32 kernel. W never exists in memory as f32.

    OneBit's other factor, the input-channel scale diag(a) of W ~ diag(a)
    S diag(b), is an f32 multiplication of `lhs` before this op (a
    `linalg.generic`).

    `isa` names the kernel; `slim-pack-contractions` sets it on ops that
    have none (what `slim-low-rank` writes), and `slim-lower-micro-kernels`
    needs it. The rows of `lhs` and `init` must be contiguous.

    Example:

    ```mlir
    %y = slim.sign_matmul ins(%x, %s : tensor<8x384xf32>, tensor<18432xi8>)
        outs(%init : tensor<8x384xf32>) scales(%b : tensor<384xf32>)
        k = 384 n = 384 -> tensor<8x384xf32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$lhs,
    AnyShaped:$signs,
    AnyShaped:$init,
    AnyShaped:$scales,
    Optional<AnyShaped>:$bias,
    I64Attr:$k,
    I64Attr:$n,
    OptionalAttr<Slim_KernelIsaAttr>:$isa,
    UnitAttr:$accumulate
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $signs `:` type($lhs) `,` type($signs) `)`
    `outs` `(` $init `:` type($init) `)`
    `scales` `(` $scales `:` type($scales) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    `k` `=` $k `n` `=` $n (`accumulate` $accumulate^)?
    (`isa` `=` $isa^)? attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

def Slim_PackedConv2DOp : Slim_Op<"packed_conv2d", [
    DestinationStyleOpInterface, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "2-D convolution (f32 or int8) by a packed constant filter, "
                "on a runtime micro-kernel";
  let description = [{
    The convolution of `input`, NCHW or with `nhwc` NHWC, padded by
    `padding` ([top, left, bottom, right], none when absent), by the filter
    that `packed` holds, into `init` (NFHW or NHWF), with `strides` and
    `dilations` (height, width), in one of two kinds:

    - **f32**: `input`, `packed`, `init` (and `bias`) f32:

      ```
      acc = accumulate ? init[n, f, i, j] : +0
      for each tap t in order: acc = fma(x_t, W_t, acc)
      result[n, f, i, j] = acc (+ bias[f], one f32 addition)
      ```

      the taps taken in the order (c, kh, kw) for NCHW and (kh, kw, c) for
      NHWC, the reduction order of `linalg.conv_2d_nchw_fchw` and
      `linalg.conv_2d_nhwc_hwcf`. K = C * KH * KW. For NCHW `packed` is the
      FCHW filter itself, F x K row-major (F * K elements): the kernel's
      left operand. For NHWC it is the f32 right-hand-side layout of
      `slim.packed_matmul` for the K x F matrix whose row k is the tap
      W[kh, kw, c, f] of that order.

    - **int8**: `input` i8 (signed, or u8 with `input_unsigned`), `packed`
      i8 (signed weights), `init` and `bias` i32; exact in 32-bit
      two's-complement arithmetic:

      ```
      result[n, f, i, j] = (accumulate ? init[n, f, i, j] : 0)
                           + sum over the taps x_t * W_t (+ bias[f])
      ```

      For the dense forms `packed` is the int8 right-hand-side layout of
      `slim.packed_matmul` (panels, then column sums) for the K x F matrix
      of taps in (kh, kw, c) order, in both layouts (integer sums do not
      depend on the order). The padding holds `pad_value` (0 when absent):
      the stored value of the input's zero point, in 0 .. 255 with
      `input_unsigned`, else -128 .. 127. There are no zero points:
      `slim-pack-contractions` folds `-Z_in * sum(W[f])` into `bias`.

      With `requantize(multipliers, shifts)` (two 1-D i32 operands of F
      values) and `output_range = [zero_out, lo, hi]`, the int8 kind
      stores each sum requantized to 8 bits instead (an i8 `init`: the
      bytes of u8 or i8 values), with `slim.requantize`'s fixed-point
      arithmetic, M0 = multipliers[f] in [0, 2^31) and n = shifts[f]:

      ```
      x = saturate_i32(sum * 2^max(n, 0))
      h = SaturatingRoundingDoublingHighMul(x, M0)
      result = clamp(RoundingDivideByPOT(h, max(-n, 0)) + zero_out, lo, hi)
      ```

      The runtime applies it to each block of sums while the block is in
      cache; the int32 sums never reach `init`. `slim-pack-contractions`
      fuses a `slim.requantize` (mode `fixed_point`) of a `slim.qconv2d`'s
      accumulator this way.

    With `groups` G > 1 (int8 dense forms only; `slim.qconv2d groups`)
    the channels split into G consecutive groups and filter f reads the
    C/G channels of its group only: `packed` holds G such right-hand sides
    one after another, each for the (KH * KW * C/G) x F/G matrix of its
    group, and the runtime gathers each group's taps from the one padded
    copy and writes its F/G columns of every block before the block is
    requantized and stored.

    With `depthwise` each output channel reads its own input channel only
    (F = C, `linalg.depthwise_conv_2d_nchw_chw` / `_nhwc_hwc`, or
    `slim.qconv2d depthwise`): the taps are (kh, kw), and `packed` holds
    the filter taps-major, KH * KW rows of C weights padded to a multiple
    of 16 with zeros. The runtime computes it directly, vectorized along
    the channels (NHWC) or the output columns (NCHW).

    The runtime (`slim_uk_sconv2d_<isa>`, `slim_uk_qconv2d_s8_<isa>`) pads
    a copy of the input itself (int8 dense: a padded NHWC copy whatever
    the layout, so each tap's C channels are contiguous bytes), then takes
    blocks of output pixels: f32 NCHW packs their patches as the kernel's
    right operand (16 pixels per panel, K rows) and the kernel writes the
    block of each filter's plane; the other dense forms gather the patches
    as rows (im2col) and multiply them by the packed filter (int8: on the
    ISA's int8 GEMM kernel, AMX tiles included).

    `slim-pack-contractions` creates the op from `linalg.conv_2d_nchw_fchw`,
    `linalg.conv_2d_nhwc_hwcf` and the two depthwise forms with a constant
    f32 filter (taking in a `tensor.pad` of +0 that feeds them as
    `padding`), and from `slim.qconv2d` with a constant signed 8-bit filter
    whose zero points are 0, all with static shapes but the batch. The
    rows of `init` need not be contiguous.

    Example:

    ```mlir
    %y = slim.packed_conv2d ins(%x, %w : tensor<1x64x58x58xf32>,
        tensor<36864xf32>) outs(%init : tensor<1x64x56x56xf32>)
        kernel = [3, 3] strides = [1, 1] dilations = [1, 1] isa = <avx2>
        -> tensor<1x64x56x56xf32>
    ```
  }];

  let arguments = (ins
    AnyShaped:$input,
    AnyShaped:$packed,
    AnyShaped:$init,
    Optional<AnyShaped>:$bias,
    Optional<AnyShaped>:$multipliers,
    Optional<AnyShaped>:$shifts,
    DenseI64ArrayAttr:$kernel,
    DenseI64ArrayAttr:$strides,
    DenseI64ArrayAttr:$dilations,
    Slim_KernelIsaAttr:$isa,
    UnitAttr:$nhwc,
    UnitAttr:$accumulate,
    UnitAttr:$depthwise,
    UnitAttr:$input_unsigned,
    OptionalAttr<DenseI64ArrayAttr>:$padding,
    OptionalAttr<I64Attr>:$pad_value,
    OptionalAttr<DenseI64ArrayAttr>:$output_range,
    DefaultValuedAttr<I64Attr, "1">:$groups
  );
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let assemblyFormat = [{
    `ins` `(` $input `,` $packed `:` type($input) `,` type($packed) `)`
    `outs` `(` $init `:` type($init) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`requantize` `(` $multipliers^ `,` $shifts `:` type($multipliers) `,`
       type($shifts) `)`)?
    `kernel` `=` $kernel `strides` `=` $strides `dilations` `=` $dilations
    (`padding` `=` $padding^)? (`pad_value` `=` $pad_value^)?
    (`output_range` `=` $output_range^)? (`groups` `=` $groups^)?
    `isa` `=` $isa attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  let hasVerifier = 1;
}

#endif // SLIM_DIALECT_SLIM_IR_SLIMOPS_TD
