//===- Kernels.h - Slim's packed micro-kernels ------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The runtime's contraction kernels (runtime/kernels/), which code compiled
// by Slim calls, and the packing of constant operands into the layout they
// read, which the compiler runs at compile time (slim-pack-contractions).
// No MLIR or LLVM dependency: this is what an ahead-of-time compiled model
// links.
//
// Packed int8 right-hand side (one layout for every ISA). The K x N weight
// is cut into panels of 16 columns (N padded to Np, a multiple of 16) and K
// is padded to Kp, a multiple of 64, with zeros. Panel p stores, for each
// group of 4 consecutive k (a "quad" q), 16 columns x 4 bytes:
//
//   packed[p * Kp * 16 + q * 64 + j * 4 + t] = B[4q + t][16p + j]
//
// which is the operand layout of vpdpbusd (one zmm: 16 int32 lanes of 4
// bytes each) and of an AMX B tile (16 rows of 64 bytes: 16 quads of one
// panel). After the Np * Kp bytes come Np int32 column sums of B (zero for
// padded columns), which kernels that compute u8 x s8 need to correct a
// signed activation shifted by 128.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_H
#define SLIM_RUNTIME_KERNELS_H

#include <cstdint>
#include <utility>
#include <vector>

namespace slim::runtime {

/// The instruction sets Slim has micro-kernels for, weakest first. Each
/// needs everything before it except Generic, which runs anywhere.
enum class Isa : int {
  Generic = 0,    ///< portable C++ (the compiler vectorizes what it can)
  Avx2 = 1,       ///< AVX2 + FMA; int8 exact through vpmaddwd
  AvxVnni = 2,    ///< AVX-VNNI: vpdpbusd on ymm
  Avx512Vnni = 3, ///< AVX-512 F/BW/VL + VNNI: vpdpbusd on zmm
  Amx = 4,        ///< AMX-TILE + AMX-INT8 (and AVX-512 VNNI for small M)
};
constexpr int kNumIsas = 5;

/// The name used in options, symbols and reports: "generic", "avx2",
/// "avx_vnni", "avx512_vnni", "amx" (as in #slim.isa).
const char *isaName(Isa isa);
/// The suffix of kernel symbols: "generic", "avx2", "avxvnni",
/// "avx512vnni", "amx".
const char *isaSymbolSuffix(Isa isa);

/// Geometry of a packed int8 right-hand side.
struct PackedInt8Shape {
  int64_t k = 0, n = 0;   ///< logical sizes
  int64_t kp = 0, np = 0; ///< padded: kp % 64 == 0, np % 16 == 0
  /// Total bytes: the panels, then np int32 column sums.
  int64_t bytes() const { return kp * np + 4 * np; }
};
constexpr int64_t kPanelColumns = 16;
constexpr int64_t kDepthAlignment = 64;
PackedInt8Shape packedInt8Shape(int64_t k, int64_t n);

/// Packs B (K x N int8, element (r, c) at b[r * rowStride + c * colStride])
/// into `out`, which has packedInt8Shape(k, n).bytes() bytes. With
/// `fromUnsigned`, B's bytes are uint8 and the packed values (and column
/// sums) are b - 128, the int8 the kernels multiply.
void packInt8Rhs(const int8_t *b, int64_t rowStride, int64_t colStride,
                 int64_t k, int64_t n, int8_t *out, bool fromUnsigned = false);

/// The sparse packed form of B: the packed panels of packInt8Rhs with their
/// zero bytes left out, for weights that pruning made at least half zeros.
/// Little-endian, read with unaligned loads (P = np / 16 panels, Q = kp / 4
/// quads of 64 bytes, kp / 64 blocks of 16 quads):
///
///   int64 panelStart[P + 1]   byte offset of each panel; [P]: the sums
///   per panel p, at panelStart[p]:
///     uint64 mask[Q]          bit i of quad q: byte i of the dense quad
///                             (column i / 4, k 4 q + i % 4) is nonzero
///     uint32 blockStart[kp / 64]  offset of each block's first value from
///                             the panel's values (to start mid-panel)
///     int8   values[]         the nonzero bytes, quad by quad, in byte
///                             order, padded to 8 bytes
///   int32  colsum[np]         the column sums, as in the dense form
///   64 zero bytes             (vector loads may read past the values)
///
/// A quad's mask is what vpexpandb takes to rebuild it from the values;
/// 2:4 sparsity keeps 2 of every 4 bytes of a column's quad word, so a
/// 2:4 weight stores 8 + 32 of every 64 bytes (0.625 of the dense form).
int64_t sparseInt8Bytes(const int8_t *packed, int64_t k, int64_t n);
/// Writes the sparse form of `packed` (packInt8Rhs's layout of a K x N B)
/// into `out`, which has sparseInt8Bytes(packed, k, n) bytes.
void packSparseInt8Rhs(const int8_t *packed, int64_t k, int64_t n,
                       int8_t *out);
/// The fraction of the 64 k x 16 column blocks of `packed` (packInt8Rhs's
/// layout of a K x N B; AMX's tiles of B) that hold no nonzero byte: the
/// share of the tile products the AMX kernel skips on the sparse form.
double emptyInt8TileFraction(const int8_t *packed, int64_t k, int64_t n);

/// One call: C[bt] (=|+=) A[bt] x B for bt < batch, with A (M x K, rows
/// contiguous) int8 or uint8, B packed, C int32 (rows contiguous). The sums
/// are exact in int32 arithmetic (they wrap like the IR they replace).
struct QGemmArgs {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  const void *a = nullptr;
  int64_t aBatchStride = 0, aRowStride = 0; ///< in elements (bytes)
  bool aSigned = true;
  const int8_t *packedB = nullptr;
  int32_t *c = nullptr;
  int64_t cBatchStride = 0, cRowStride = 0; ///< in elements
  bool accumulate = false; ///< C += A x B instead of C = A x B
  /// Optional: N int32 added to every row of C (a fused epilogue).
  const int32_t *bias = nullptr;
  /// Bytes from one batch's packed B to the next; 0: the batches share B.
  int64_t packedBBatchStride = 0;
  /// Optional: batch x M int32; rowAdd[bt * m + r] is added to every
  /// column of row r of batch bt.
  const int32_t *rowAdd = nullptr;
  /// packedB is in the sparse form (packSparseInt8Rhs); the batches share
  /// it (packedBBatchStride 0).
  bool sparseB = false;
};

/// Runs `args` with the kernels of `isa`. The caller guarantees that the
/// CPU has `isa` (the compiler checks the host; see Codegen/Target.h).
void qgemm(Isa isa, const QGemmArgs &args);

/// C[bt] (=|+=) A[bt] x B[bt] where B is not packed either: an activation
/// (attention's Q x K^T and P x V), int8 or uint8, element (r, c) of batch
/// bt at b[bt * bBatchStride + r * bRowStride + c * bColStride] (any
/// strides: a transposed B is read in place; bBatchStride 0 shares one B).
/// B is packed at run time into a scratch buffer; a uint8 B is packed as
/// b - 128 and 128 * (row sums of A) is added back, so the result is the
/// same exact int32 sum. `gemm.packedB`, `packedBBatchStride` and `rowAdd`
/// are ignored.
struct QGemmActivationArgs {
  QGemmArgs gemm;
  const void *b = nullptr;
  int64_t bBatchStride = 0, bRowStride = 0, bColStride = 0;
  bool bSigned = true;
};
void qgemmActivations(Isa isa, const QGemmActivationArgs &args);

/// Dynamic quantization on the int8 kernels (slim.dynamic_qmatmul's
/// arithmetic, docs/reference): A (M x K f32) is quantized to u8 with
/// parameters from its own range (per tensor, or per row), in one pass that
/// also lays it out for the kernel; the int32 sums with the packed int8
/// weight are corrected for both zero points and scaled back to f32 in C
/// (M x N, f32), right after the kernel wrote each block:
///   y = f32(acc - Z colsum[n] - Zw[n] rowsum[m] + K Z Zw[n])
///       * f32(S * weightScales[n])   (+ bias[n], one more rounding)
/// with every integer step wrapping like int32.
struct DQGemmArgs {
  int64_t m = 0, n = 0, k = 0;
  const float *a = nullptr;
  int64_t aRowStride = 0; ///< in elements
  const int8_t *packedB = nullptr;
  float *c = nullptr;
  int64_t cRowStride = 0;
  const float *weightScales = nullptr;   ///< N
  const int32_t *weightZeros = nullptr;  ///< N, or null: all zero
  const float *bias = nullptr;           ///< N, or null
  bool perRow = false;
};
void dqgemm(Isa isa, const DQGemmArgs &args);

/// Packed f32 right-hand side: panels of 16 columns (N padded to Np), each
/// storing its K rows of 16 floats one after the other:
///   packed[p * K * 16 + k * 16 + j] = B[k][16p + j]
struct PackedF32Shape {
  int64_t k = 0, n = 0, np = 0;
  int64_t elements() const { return k * np; }
};
PackedF32Shape packedF32Shape(int64_t k, int64_t n);
void packF32Rhs(const float *b, int64_t rowStride, int64_t colStride,
                int64_t k, int64_t n, float *out);

/// The row-compressed form of a packed f32 B, for pruned weights: each
/// panel keeps only its rows (16 floats of one k) that are not all +0 or
/// -0, with their k, and of each kept row only the values that are not
/// +0, with a 16-bit mask of their lanes (a 2:4 row stores 8 of its 16
/// floats; a block-pruned row all 16, mask 0xFFFF). Little-endian bytes
/// (P = np / 16 panels):
///
///   int64 panelStart[P + 1]  byte offset of each panel; [P]: the end
///   per panel: int32 count, int32 k[count] (ascending),
///              uint16 mask[count] (then 2 zero bytes when count is odd,
///              so that the values stay 4-byte aligned), then the kept
///              rows' values (row by row, lanes ascending), then
///              kSparseF32Padding zero bytes
///
/// The kernels skip the removed rows and expand the others (AVX-512:
/// vexpandps; AVX2: a permutation table; a full row is read in place):
/// each element is one chain of fused multiply-adds over the kept k in
/// order (the dense chain without the removed rows' terms: equal to it
/// but where the activation holds Inf or NaN facing a removed weight, or
/// in the sign of a zero sum).
constexpr int64_t kSparseF32Padding = 64;
/// Bytes of a panel's masks: 2 per kept row, rounded up to 4.
constexpr int64_t sparseF32MaskBytes(int64_t count) {
  return (2 * count + 3) / 4 * 4;
}
int64_t sparseF32Bytes(const float *packed, int64_t k, int64_t n);
/// The fraction of panel rows (16 floats of one k) that are all zeros.
double sparseF32RemovedRows(const float *packed, int64_t k, int64_t n);
void packSparseF32Rhs(const float *packed, int64_t k, int64_t n,
                      int8_t *out);

/// C[bt] (=|+=) A[bt] x B in f32: every element is one chain of fused
/// multiply-adds over k in order, starting from C (accumulate) or +0, so
/// the result is the same on every ISA and equal to a sequential
/// fma loop.
struct SGemmArgs {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  const float *a = nullptr;
  int64_t aBatchStride = 0, aRowStride = 0; ///< in elements
  const float *packedB = nullptr;
  float *c = nullptr;
  int64_t cBatchStride = 0, cRowStride = 0;
  bool accumulate = false;
  /// Optional: N floats added to every row after its chain (one more
  /// rounding, as a separate bias add would do).
  const float *bias = nullptr;
  /// When set, B in the row-compressed form (packSparseF32Rhs) instead of
  /// packedB, shared by the batches.
  const int8_t *sparseB = nullptr;
};
/// Runs `args` with the f32 kernel of `isa` (AVX-512 for avx512_vnni and
/// amx, AVX2 + FMA for avx2 and avx_vnni).
void sgemm(Isa isa, const SGemmArgs &args);

/// Packed low-bit weight (weight-only quantization: int8 or int4 weights,
/// f32 activations). Panels of 16 columns (N padded to Np); panel p holds,
/// for 8 bits, K rows of 16 int8 and, for 4 bits, ceil(K / 2) rows of 16
/// bytes, byte j of row i holding k = 2i in its low nibble and k = 2i + 1
/// in its high one. Values are stored shifted so that one subtraction
/// dequantizes: int8 as q (signed storage) or q - 128 (unsigned), read
/// sign-extended; int4 as q + 8 (signed) or q (unsigned), read as 0..15.
/// `offsets` (groups x Np int8) are the zero points shifted the same way,
/// `scales` (groups x Np f32) the scales, group g covering k in
/// [g * groupSize, (g + 1) * groupSize):
///   W[k][n] = f32(stored - offsets[k / groupSize][n]) * scales[...][n]
/// exactly slim.dequantize's f32(q - z) * s.
///
/// The quad layout (`quads`, 4 bits only: the int8-activation path) keeps
/// the same values in the order vpdpbusd reads: per panel, one 64-byte block
/// per 8 k (K padded to a multiple of 8 with stored zeros), byte 4 j + i of
/// the block holding k0 + i of column j in its low nibble and k0 + 4 + i in
/// its high one. Same size as the plain layout but for the padding.
struct PackedLowBitShape {
  int64_t k = 0, n = 0, np = 0, bits = 8, groupSize = 1;
  bool quads = false;
  int64_t rowsPerPanel() const {
    if (bits == 8)
      return k;
    return quads ? (k + 7) / 8 * 4 : (k + 1) / 2;
  }
  int64_t bytes() const { return rowsPerPanel() * np; }
  int64_t groups() const { return (k + groupSize - 1) / groupSize; }
};
PackedLowBitShape packedLowBitShape(int64_t k, int64_t n, int64_t bits,
                                    int64_t groupSize, bool quads = false);
/// Packs q (K x N, row-major int32 storage values) of a signed or unsigned
/// storage type into `out` (PackedLowBitShape::bytes()), in the quad layout
/// with `quads`.
void packLowBitRhs(const int32_t *q, int64_t k, int64_t n, int64_t bits,
                   bool isSigned, uint8_t *out, bool quads = false);
/// The 2:4 form of 4-bit weights (f32 activations), for weights pruned 2:4
/// along K: per panel, per quartet of k (4 k from 0, the last maybe
/// shorter) 24 bytes: 16 bytes of kept values (byte j: column j's first
/// kept stored value in its low nibble, its second in the high one, stored
/// as in the plain layout), then 8 bytes of their in-quartet indices
/// (column j in the low nibble of byte j / 2 for even j, the high for odd:
/// i0 | i1 << 2, i0 < i1 < 4). Every other position of the quartet holds
/// the group's zero point, which dequantizes to +0: the kernels write +0
/// there, the value dequantizing gives. 0.75 of the plain layout's bytes
/// when K is a multiple of 4 (a short last quartet costs a whole one).
/// It needs groups of whole quartets (a multiple of 4 along K, or one
/// group); a quartet column with fewer than two nonzeros keeps zero-point
/// values at its first free indices.
constexpr int64_t kSparseLowBitQuartetBytes = 24;
int64_t sparseLowBitBytes(int64_t k, int64_t n);
/// Packs q (K x N storage values, 4 bits, signed or unsigned storage; `z`:
/// its zero points, groups x N, group g covering k in [g * groupSize, (g +
/// 1) * groupSize)) into the 2:4 form at `out` (sparseLowBitBytes(k, n)
/// bytes). False, with `out` untouched, when the grouping does not allow
/// it or a quartet of some column has more than two values other than its
/// zero point.
bool packSparseLowBitRhs(const int32_t *q, const int32_t *z, int64_t k,
                         int64_t n, int64_t groupSize, bool isSigned,
                         uint8_t *out);
/// Whether the 2:4 form can hold weights of this grouping.
bool sparseLowBitApplies(int64_t groupSize, int64_t k);
/// Whether the int8-activation path takes these weights: 4 bits, and
/// groups that are whole blocks of 8 k (or one group for all of K).
bool int8ActivationsApply(int64_t bits, int64_t groupSize, int64_t k);
/// The value a zero point `z` is stored as (see above).
int32_t lowBitOffset(int32_t z, int64_t bits, bool isSigned);

/// C (=|+=) A x W with W packed low-bit weights, dequantized block by block
/// into f32 panels in cache (never the whole matrix) and multiplied by the
/// f32 kernel: every element one chain of fused multiply-adds over k in
/// order (as sgemm), so the result is the same as dequantizing W first and
/// multiplying.
///
/// With `int8Activations` (4-bit weights in the quad layout,
/// int8ActivationsApply) the activation is quantized instead, per row and
/// weight group (G = groupSize, or K for one group), and each group's dot
/// product is exact in int32 (vpdpbusd, or vpmaddubsw whose pair sums of
/// 4-bit x int8 products cannot saturate):
///   amax = max |a[k]| over the group; sa = amax / 127
///   qa[k] = clamp(round-half-even(a[k] * (127 / amax)), -127, 127)
///     (all 0 when amax is 0; when the group holds a NaN or an infinity,
///     qa = 0 and sa = NaN, which makes the row's results NaN)
///   d = sum_k stored[k][n] * qa[k] - offsets[g][n] * sum_k qa[k]   (int32)
///   acc = fma(f32(d), scales[g][n] * sa, acc)  over the groups in order,
///   from C (accumulate) or +0, then + bias[n].
/// This is ONNX Runtime's MatMulNBits accuracy_level 4 kind of arithmetic:
/// no longer the float model's, an opt-in.
struct WGemmArgs {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  const float *a = nullptr;
  int64_t aBatchStride = 0, aRowStride = 0;
  const uint8_t *packedB = nullptr;
  int64_t bits = 8, groupSize = 1;
  const float *scales = nullptr;
  const int8_t *offsets = nullptr; ///< groups x Np, the shifted zero points
  float *c = nullptr;
  int64_t cBatchStride = 0, cRowStride = 0;
  bool accumulate = false;
  const float *bias = nullptr; ///< N floats added after the chains, or null
  bool int8Activations = false;
  /// packedB in the 2:4 form of 4-bit weights (packSparseLowBitRhs; f32
  /// activations only): the same results as the plain layout, the same
  /// chains of fused multiply-adds over every k.
  bool sparse24 = false;
};
void wgemm(Isa isa, const WGemmArgs &args);

/// One-bit weights (OneBit's sign matrix, slim.sign_matmul): W[k][n] =
/// scales[n] * S[k][n] with S = +1 or -1, one bit per weight. The packed
/// layout: panels of 16 columns (N padded to Np, a multiple of 16), each K
/// little-endian 16-bit words, bit j of word k of panel p set when
/// S[k][16p + j] = +1 (clear for -1 and for padded columns):
///
///   packed[(p * K + k) * 2 + j / 8] bit (j % 8) = S[k][16p + j] > 0
///
/// 2 bytes per 16 weights, 1/32 of the f32 matrix.
int64_t packedSignBytes(int64_t k, int64_t n);
/// Packs the signs of the K x N row-major `w` (+1 where w >= 0) into `out`
/// (packedSignBytes(k, n) bytes).
void packSignRhs(const float *w, int64_t k, int64_t n, uint8_t *out);

/// C (=|+=) A x W (+ bias), W = S diag(scales) made from the signs where
/// it is used (W[k][n] = scales[n] or -scales[n], exact) and never stored
/// as f32: every element one chain of fused multiply-adds over k in order,
/// from C (accumulate) or +0, then + bias[n] (as sgemm does with the dense
/// W, bit for bit). AVX-512 (and a few rows on any ISA) makes each panel's
/// 16 weights in registers from its sign word (one masked blend) for one
/// fma per row; more rows on AVX2 and the baseline make blocks in a cache
/// scratch for the f32 kernel. The weight is read at 1 bit per element.
struct SignGemmArgs {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  const float *a = nullptr;
  int64_t aBatchStride = 0, aRowStride = 0;
  const uint8_t *packedB = nullptr;
  const float *scales = nullptr; ///< N
  float *c = nullptr;
  int64_t cBatchStride = 0, cRowStride = 0;
  bool accumulate = false;
  const float *bias = nullptr; ///< N, or null
};
void signGemm(Isa isa, const SignGemmArgs &args);

/// The geometry of a 2-D convolution call (sconv2d, qconv2d). The window
/// runs over the input padded by `pad` (zeros, or qconv2d's padValue);
/// the runtime pads a copy itself, once per call. Strides are in
/// elements, in the layout's order (NCHW: n, c, h, w; NHWC: n, h, w, c).
struct ConvGeometry {
  int64_t n = 0, c = 0, h = 0, w = 0; ///< input sizes (before padding)
  int64_t f = 0, oh = 0, ow = 0;      ///< output sizes
  /// Rows and columns of padding: top, left, bottom, right.
  int64_t pad[4] = {};
  int64_t kh = 1, kw = 1, strideH = 1, strideW = 1, dilationH = 1,
          dilationW = 1;
  bool nhwc = false;
  /// Depthwise (F = C, channel c of the output reads channel c of the
  /// input only).
  bool depthwise = false;
  int64_t xStrides[4] = {};
  int64_t yStrides[4] = {};
  bool accumulate = false; ///< y += conv instead of y = conv
};

/// 2-D convolution in f32 (padding with +0). NCHW input with an FCHW filter: `packedB` is
/// the filter itself, F x K row-major (K = C * KH * KW, taps in (c, kh, kw)
/// order), the kernel's left operand; the patches of 64 output pixels at a
/// time are packed as its right operand (K rows of 16 pixels per panel)
/// and each block of the result lands in the output planes. NHWC input
/// with an HWCF filter: `packedB` is the K x F matrix (row k = (kh * KW +
/// kw) * C + c) packed by packF32Rhs, and the patches of 64 pixels are
/// gathered as rows (im2col). Either way every output is one chain of
/// fused multiply-adds over the taps in that order, from the output
/// (accumulate) or +0, then the bias. Depthwise: `packedB` holds the
/// filter taps-major, KH * KW rows of C floats padded to a multiple of 16
/// with zeros (packedDepthwiseElements); each output is one chain of fused
/// multiply-adds over the taps in (kh, kw) order.
struct SConvArgs : ConvGeometry {
  const float *x = nullptr;
  const float *packedB = nullptr;
  float *y = nullptr;
  const float *bias = nullptr; ///< F floats, or null
};
void sconv2d(Isa isa, const SConvArgs &args);
/// Elements of a packed depthwise filter (SConvArgs::depthwise; bytes for
/// QConvArgs::depthwise).
inline int64_t packedDepthwiseElements(int64_t c, int64_t kh, int64_t kw) {
  return kh * kw * ((c + 15) / 16 * 16);
}

/// 2-D convolution of int8 or uint8 `x` (`xSigned`) by a signed int8
/// filter into int32 `y`, exact with wrapping like int32:
///   y[n, f, i, j] (=|+=) sum over the taps x * W + bias[f]
/// with x padded by `pad` with the byte `padValue` (no zero points: the
/// compiler pads with x's zero point and folds -Z_x * sum(W[f]) into the
/// bias). Dense forms: `packedB` is the K x F matrix of taps, row k =
/// (kh * KW + kw) * C + c in both layouts, packed by packInt8Rhs; each
/// image is copied once, padded, into NHWC, blocks of output pixels are
/// gathered from it as rows (im2col: C contiguous bytes per tap, shifted
/// by 128 where the ISA's vpdpbusd needs u8) and multiplied by the ISA's
/// int8 GEMM kernel (AMX tiles, vpdpbusd, AVX2 vpmaddwd). Depthwise:
/// `packedB` holds the filter taps-major, KH * KW rows of C int8 padded to
/// a multiple of 16 (packedDepthwiseElements bytes), and the runtime sums
/// the taps directly, vectorized along the channels (NHWC) or the output
/// columns (NCHW).
///
/// With `multipliers` (a requantize epilogue, slim.requantize's
/// fixed-point arithmetic fused in) each sum becomes one 8-bit value
/// instead, stored as a byte in `y`:
///   x = saturate_i32(acc * 2^max(n, 0)), n = shifts[f]
///   h = SaturatingRoundingDoublingHighMul(x, multipliers[f])
///   v = clamp(RoundingDivideByPOT(h, max(-n, 0)) + zeroOut, lo, hi)
/// (multipliers in [0, 2^31), shifts in [-31, 31], lo <= hi within -128 ..
/// 255), applied to each block of sums while it is in cache; the int32
/// sums are never written to `y`. Not with `accumulate`.
struct QConvArgs : ConvGeometry {
  const void *x = nullptr;
  bool xSigned = false;
  uint8_t padValue = 0; ///< the byte padding holds (x's zero point)
  const int8_t *packedB = nullptr;
  void *y = nullptr; ///< int32, or bytes with a requantize epilogue
  const int32_t *bias = nullptr; ///< F int32, or null
  const int32_t *multipliers = nullptr; ///< F, or null: no epilogue
  const int32_t *shifts = nullptr;      ///< F
  int32_t zeroOut = 0, lo = -128, hi = 127;
  /// Bytes past x's last element that the depthwise loops may read without
  /// using them (the slack of qconv2d's padded copy of x); 0 for a caller's
  /// tensor.
  int64_t xSlack = 0;
  /// Dense forms: C and F split into this many consecutive groups, filter f
  /// reading the C / groups channels of its group; packedB then holds one
  /// packed right-hand side per group (K = KH * KW * C / groups rows, F /
  /// groups columns, packedInt8Shape(K, F / groups).bytes() each), one
  /// after another, and bias, multipliers and shifts stay F long.
  int64_t groups = 1;
};
void qconv2d(Isa isa, const QConvArgs &args);

/// Scaled dot-product attention of f32 tensors, one head at a time, in
/// flash attention's order: for query row i of head (b, h),
///   s[j] = (sum_t q[b,h,i,t] k[b,h,j,t]) {* or /} scale + mask[b,h,i,j]
///   out[b,h,i,:] = (sum_j exp(s[j] - max s) v[b,h,j,:]) / sum_j exp(s[j] - max s)
/// with every dot product one chain of fused multiply-adds over t in order,
/// the scale applied as the IR does it (a multiplication, a division or
/// none), and the keys visited in tiles of kAttentionKeyTile with a running
/// maximum and sum (each tile's exponentials rescaled by exp(old max - new
/// max) when a later tile raises the maximum). With one tile this is the
/// softmax of the whole row, its division moved after P x V; the exp is a
/// polynomial within 2 ulp. A NaN score makes its row NaN; n = 0 gives NaN
/// (0 / 0). Every operand is read through 4 strides (b, h, row, feature;
/// 0 broadcasts), so transposed views and broadcast masks cost no copy.
constexpr int64_t kAttentionKeyTile = 256;
struct AttentionArgs {
  int64_t batch = 1, heads = 1;
  int64_t m = 0;  ///< query rows
  int64_t n = 0;  ///< keys
  int64_t d = 0;  ///< features of q and k
  int64_t dv = 0; ///< features of v and out
  const float *q = nullptr, *k = nullptr, *v = nullptr;
  /// Optional: added to the scores.
  const float *mask = nullptr;
  float *out = nullptr;
  int64_t qStrides[4] = {}, kStrides[4] = {}, vStrides[4] = {},
          maskStrides[4] = {}, outStrides[4] = {};
  enum class Scale { None = 0, Multiply = 1, Divide = 2 };
  Scale scaleOp = Scale::None;
  float scale = 1.0f;
};
void attention(Isa isa, const AttentionArgs &args);

/// Threads the kernels use (OpenMP): n > 0, or 0 for OpenMP's default (the
/// default: OMP_NUM_THREADS if set, else one per core). Small calls run on one thread whatever this says.
void setNumThreads(int threads);
int getNumThreads();

/// Asks Linux for the AMX tile state of this process (once; later calls
/// return the first answer). False where the kernel refuses or the build
/// has no AMX.
bool requestAmx();

/// (symbol, address) pairs of the kernels' C entry points, for a JIT.
std::vector<std::pair<const char *, void *>> getKernelRuntimeSymbols();

/// A runtime function that generated code calls besides the kernels: the
/// name the code calls (MLIR's own for what its lowering emits: memrefCopy,
/// _mlir_memref_to_llvm_alloc, ...), the runtime's exported C name
/// (slim-compile renames the calls to it where the two differ) and its
/// address (a JIT binds the called name to it).
struct GeneratedCodeSymbol {
  const char *calledName;
  const char *runtimeName;
  void *address;
};
std::vector<GeneratedCodeSymbol> getGeneratedCodeSymbols();

} // namespace slim::runtime

// The C entry points code compiled by Slim calls: one per kernel and ISA,
// slim_uk_qgemm_s8_<suffix> (int8), slim_uk_sgemm_f32_<suffix> (f32) and
// slim_uk_qgemm_act_s8_<suffix> (int8, B an activation) and
// slim_uk_dqgemm_<suffix> (f32 A quantized dynamically) and
// slim_uk_wgemm_<suffix> (f32 A, low-bit weights) and
// slim_uk_signgemm_<suffix> (f32 A, one-bit weights) and
// slim_uk_sconv2d_<suffix> (f32 convolution) and slim_uk_qconv2d_s8_<suffix>
// (int8 convolution).
// Flags: bit 0 the activation is signed (int8), bit 1 accumulate into C,
// bit 2 (int8) the packed weight is in the sparse form (packSparseInt8Rhs).
// `bias` (N elements of C's type at bias + biasOffset) may be null.
// Offsets and strides are in elements.
#define SLIM_GEMM_ENTRY(name, AType, BType, CType)                             \
  void name(int64_t batch, int64_t m, int64_t n, int64_t k, const AType *a,    \
            int64_t aOffset, int64_t aBatchStride, int64_t aRowStride,         \
            const BType *packed, int64_t packedOffset, CType *c,               \
            int64_t cOffset, int64_t cBatchStride, int64_t cRowStride,         \
            const CType *bias, int64_t biasOffset, int64_t flags)
#define SLIM_QGEMM_ENTRY(suffix)                                               \
  SLIM_GEMM_ENTRY(slim_uk_qgemm_s8_##suffix, void, int8_t, int32_t)
#define SLIM_SGEMM_ENTRY(suffix)                                               \
  SLIM_GEMM_ENTRY(slim_uk_sgemm_f32_##suffix, float, float, float)
// Dynamic quantization (dqgemm): A f32, C f32, per-column weight scales,
// optional weight zero points and bias. Flags: bit 0 per row.
#define SLIM_DQGEMM_ENTRY(suffix)                                              \
  void slim_uk_dqgemm_##suffix(                                                \
      int64_t m, int64_t n, int64_t k, const float *a, int64_t aOffset,        \
      int64_t aRowStride, const int8_t *packed, int64_t packedOffset,          \
      float *c, int64_t cOffset, int64_t cRowStride, const float *scales,      \
      int64_t scalesOffset, const int32_t *zeros, int64_t zerosOffset,         \
      const float *bias, int64_t biasOffset, int64_t flags)
// Weight-only (wgemm): A f32, packed low-bit W with its scales and
// offsets, C f32, optional bias. Flags: bit 1 accumulate, bit 2 int8
// activations (the quad layout).
#define SLIM_WGEMM_ENTRY(suffix)                                               \
  void slim_uk_wgemm_##suffix(                                                 \
      int64_t batch, int64_t m, int64_t n, int64_t k, const float *a,          \
      int64_t aOffset, int64_t aBatchStride, int64_t aRowStride,               \
      const uint8_t *packed, int64_t packedOffset, int64_t bits,               \
      int64_t groupSize, const float *scales, int64_t scalesOffset,            \
      const int8_t *offsets, int64_t offsetsOffset, float *c,                  \
      int64_t cOffset, int64_t cBatchStride, int64_t cRowStride,               \
      const float *bias, int64_t biasOffset, int64_t flags)
// One-bit weights (signGemm): A f32, the packed signs, per-column scales,
// C f32, optional bias. Flags: bit 1 accumulate.
#define SLIM_SIGNGEMM_ENTRY(suffix)                                            \
  void slim_uk_signgemm_##suffix(                                              \
      int64_t batch, int64_t m, int64_t n, int64_t k, const float *a,          \
      int64_t aOffset, int64_t aBatchStride, int64_t aRowStride,               \
      const uint8_t *packed, int64_t packedOffset, const float *scales,        \
      int64_t scalesOffset, float *c, int64_t cOffset, int64_t cBatchStride,   \
      int64_t cRowStride, const float *bias, int64_t biasOffset,               \
      int64_t flags)
// Convolutions (sconv2d): sizes (n, c, h, w, f, oh, ow, kh, kw,
// strideH, strideW, dilationH, dilationW), the padding (top, left, bottom,
// right) and the pad value (qconv2d's byte; 0 for sconv2d), then x, its
// offset and 4 strides, the packed filter and its offset, y, its offset
// and 4 strides, the bias and its offset. Flags: bit 0 NHWC, bit 1
// accumulate, bit 2 depthwise.
#define SLIM_CONV_PARAMS(XType, WType, YType, BType)                           \
  int64_t n, int64_t c, int64_t h, int64_t w, int64_t f, int64_t oh,           \
      int64_t ow, int64_t kh, int64_t kw, int64_t strideH, int64_t strideW,    \
      int64_t dilationH, int64_t dilationW, int64_t padTop, int64_t padLeft,   \
      int64_t padBottom, int64_t padRight, int64_t padValue, const XType *x,   \
      int64_t xOffset, int64_t xs0, int64_t xs1, int64_t xs2, int64_t xs3,     \
      const WType *packed, int64_t packedOffset, YType *y, int64_t yOffset,    \
      int64_t ys0, int64_t ys1, int64_t ys2, int64_t ys3, const BType *bias,   \
      int64_t biasOffset, int64_t flags
#define SLIM_SCONV_ENTRY(suffix)                                               \
  void slim_uk_sconv2d_##suffix(SLIM_CONV_PARAMS(float, float, float, float))
// int8 convolution (qconv2d): the same arguments, x int8 or uint8, the
// packed filter int8, y int32 (or bytes: bit 4) and the bias int32, then
// the requantize epilogue: multipliers and shifts (F int32 each, with
// their offsets; null: none), zeroOut, lo, hi. Flags: bit 3 x is signed,
// bit 4 requantize.
#define SLIM_QCONV_ENTRY(suffix)                                               \
  void slim_uk_qconv2d_s8_##suffix(                                            \
      SLIM_CONV_PARAMS(void, int8_t, void, int32_t),                           \
      const int32_t *multipliers, int64_t multipliersOffset,                   \
      const int32_t *shifts, int64_t shiftsOffset, int64_t zeroOut,            \
      int64_t lo, int64_t hi)
// Both operands activations (qgemmActivations): B plain, with a batch, row
// and column stride. Flags: bit 0 A is signed, bit 1 accumulate, bit 2 B is
// signed.
#define SLIM_QGEMM_ACTIVATIONS_ENTRY(suffix)                                   \
  void slim_uk_qgemm_act_s8_##suffix(                                          \
      int64_t batch, int64_t m, int64_t n, int64_t k, const void *a,           \
      int64_t aOffset, int64_t aBatchStride, int64_t aRowStride,               \
      const void *b, int64_t bOffset, int64_t bBatchStride,                    \
      int64_t bRowStride, int64_t bColStride, int32_t *c, int64_t cOffset,     \
      int64_t cBatchStride, int64_t cRowStride, int64_t flags)
// Attention (attention): sizes (batch, heads, m, n, d, dv), then q, k, v,
// mask (may be null) and out, each with its offset and 4 strides, then the
// scale's f32 bits in the low 32 bits of `scaleBits`. Flags: bits 0-1 the
// scale's use (AttentionArgs::Scale).
#define SLIM_ATTENTION_ENTRY(suffix)                                           \
  void slim_uk_attention_f32_##suffix(                                         \
      int64_t batch, int64_t heads, int64_t m, int64_t n, int64_t d,           \
      int64_t dv, const float *q, int64_t qOffset, int64_t qs0, int64_t qs1,   \
      int64_t qs2, int64_t qs3, const float *k, int64_t kOffset, int64_t ks0,  \
      int64_t ks1, int64_t ks2, int64_t ks3, const float *v, int64_t vOffset,  \
      int64_t vs0, int64_t vs1, int64_t vs2, int64_t vs3, const float *mask,   \
      int64_t maskOffset, int64_t ms0, int64_t ms1, int64_t ms2, int64_t ms3,  \
      float *out, int64_t outOffset, int64_t os0, int64_t os1, int64_t os2,    \
      int64_t os3, int64_t scaleBits, int64_t flags)
// Every entry exists once per ISA: X(suffix, Isa) for each, in one list.
#define SLIM_FOR_EACH_KERNEL_ISA(X)                                            \
  X(generic, ::slim::runtime::Isa::Generic)                                    \
  X(avx2, ::slim::runtime::Isa::Avx2)                                          \
  X(avxvnni, ::slim::runtime::Isa::AvxVnni)                                    \
  X(avx512vnni, ::slim::runtime::Isa::Avx512Vnni)                              \
  X(amx, ::slim::runtime::Isa::Amx)
#define SLIM_DECLARE_KERNEL_ENTRIES(suffix, isa)                               \
  SLIM_QGEMM_ENTRY(suffix);                                                    \
  SLIM_SGEMM_ENTRY(suffix);                                                    \
  SLIM_QGEMM_ACTIVATIONS_ENTRY(suffix);                                        \
  SLIM_DQGEMM_ENTRY(suffix);                                                   \
  SLIM_WGEMM_ENTRY(suffix);                                                    \
  SLIM_SIGNGEMM_ENTRY(suffix);                                                 \
  SLIM_SCONV_ENTRY(suffix);                                                    \
  SLIM_QCONV_ENTRY(suffix);                                                    \
  SLIM_ATTENTION_ENTRY(suffix);
extern "C" {
SLIM_FOR_EACH_KERNEL_ISA(SLIM_DECLARE_KERNEL_ENTRIES)
}

#endif // SLIM_RUNTIME_KERNELS_H
