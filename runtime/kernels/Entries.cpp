//===- Entries.cpp - The kernels' C entry points --------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What code compiled by Slim calls (slim-lower-micro-kernels): one entry per
// kernel and ISA, unpacking the flat arguments into the drivers' structs,
// and the table a JIT registers them from.
//
//===----------------------------------------------------------------------===//

#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <bit>

using namespace slim::runtime;

namespace {
/// The drivers' arguments from an entry point's flat ones.
template <typename Args, typename A, typename B, typename C>
Args gemmArgs(int64_t batch, int64_t m, int64_t n, int64_t k, const A *a,
              int64_t aOffset, int64_t aBatchStride, int64_t aRowStride,
              const B *packed, int64_t packedOffset, C *c, int64_t cOffset,
              int64_t cBatchStride, int64_t cRowStride, const C *bias,
              int64_t biasOffset, int64_t flags) {
  Args args;
  args.batch = batch;
  args.m = m;
  args.n = n;
  args.k = k;
  args.a = a + aOffset;
  args.aBatchStride = aBatchStride;
  args.aRowStride = aRowStride;
  args.packedB = packed + packedOffset;
  args.c = c + cOffset;
  args.cBatchStride = cBatchStride;
  args.cRowStride = cRowStride;
  args.accumulate = flags & 2;
  args.bias = bias ? bias + biasOffset : nullptr;
  return args;
}
} // namespace

#define SLIM_GEMM_ARGS(AType, a)                                               \
  batch, m, n, k, static_cast<const AType *>(a), aOffset, aBatchStride,        \
      aRowStride, packed, packedOffset, c, cOffset, cBatchStride, cRowStride,  \
      bias, biasOffset, flags
#define SLIM_QGEMM_DEFINE(suffix, isa)                                         \
  SLIM_QGEMM_ENTRY(suffix) {                                                   \
    QGemmArgs args = gemmArgs<QGemmArgs>(SLIM_GEMM_ARGS(uint8_t, a));          \
    args.aSigned = flags & 1;                                                  \
    args.sparseB = flags & 4;                                                  \
    qgemm(isa, args);                                                          \
  }

#define SLIM_SGEMM_DEFINE(suffix, isa)                                         \
  SLIM_SGEMM_ENTRY(suffix) {                                                   \
    SGemmArgs args = gemmArgs<SGemmArgs>(SLIM_GEMM_ARGS(float, a));            \
    /* The row-compressed form is bytes: its offset counts bytes. */          \
    if (flags & 4)                                                             \
      args.sparseB = reinterpret_cast<const int8_t *>(packed) + packedOffset; \
    sgemm(isa, args);                                                          \
  }

#define SLIM_QGEMM_ACTIVATIONS_DEFINE(suffix, isa)                             \
  SLIM_QGEMM_ACTIVATIONS_ENTRY(suffix) {                                       \
    QGemmActivationArgs args;                                                  \
    args.gemm = gemmArgs<QGemmArgs>(                                           \
        batch, m, n, k, static_cast<const uint8_t *>(a), aOffset,              \
        aBatchStride, aRowStride, static_cast<const int8_t *>(nullptr), 0, c,  \
        cOffset, cBatchStride, cRowStride, static_cast<const int32_t *>(nullptr), \
        0, flags);                                                             \
    args.gemm.aSigned = flags & 1;                                             \
    args.b = static_cast<const int8_t *>(b) + bOffset;                         \
    args.bBatchStride = bBatchStride;                                          \
    args.bRowStride = bRowStride;                                              \
    args.bColStride = bColStride;                                              \
    args.bSigned = flags & 4;                                                  \
    qgemmActivations(isa, args);                                               \
  }

#define SLIM_DQGEMM_DEFINE(suffix, isa)                                        \
  SLIM_DQGEMM_ENTRY(suffix) {                                                  \
    DQGemmArgs args;                                                           \
    args.m = m;                                                                \
    args.n = n;                                                                \
    args.k = k;                                                                \
    args.a = a + aOffset;                                                      \
    args.aRowStride = aRowStride;                                              \
    args.packedB = packed + packedOffset;                                      \
    args.c = c + cOffset;                                                      \
    args.cRowStride = cRowStride;                                              \
    args.weightScales = scales + scalesOffset;                                 \
    args.weightZeros = zeros ? zeros + zerosOffset : nullptr;                  \
    args.bias = bias ? bias + biasOffset : nullptr;                            \
    args.perRow = flags & 1;                                                   \
    dqgemm(isa, args);                                                         \
  }

#define SLIM_WGEMM_DEFINE(suffix, isa)                                         \
  SLIM_WGEMM_ENTRY(suffix) {                                                   \
    WGemmArgs args;                                                            \
    args.batch = batch;                                                        \
    args.m = m;                                                                \
    args.n = n;                                                                \
    args.k = k;                                                                \
    args.a = a + aOffset;                                                      \
    args.aBatchStride = aBatchStride;                                          \
    args.aRowStride = aRowStride;                                              \
    args.packedB = packed + packedOffset;                                      \
    args.bits = bits;                                                          \
    args.groupSize = groupSize;                                                \
    args.scales = scales + scalesOffset;                                       \
    args.offsets = offsets + offsetsOffset;                                    \
    args.c = c + cOffset;                                                      \
    args.cBatchStride = cBatchStride;                                          \
    args.cRowStride = cRowStride;                                              \
    args.accumulate = flags & 2;                                               \
    args.int8Activations = flags & 4;                                          \
    args.sparse24 = flags & 8;                                                 \
    args.bias = bias ? bias + biasOffset : nullptr;                            \
    wgemm(isa, args);                                                          \
  }

#define SLIM_SIGNGEMM_DEFINE(suffix, isa)                                      \
  SLIM_SIGNGEMM_ENTRY(suffix) {                                                \
    SignGemmArgs args = gemmArgs<SignGemmArgs>(SLIM_GEMM_ARGS(float, a));      \
    args.scales = scales + scalesOffset;                                       \
    signGemm(isa, args);                                                       \
  }

#define SLIM_CONV_ARGS(Args, XType, isa)                                       \
  Args args;                                                                   \
  args.n = n;                                                                  \
  args.c = c;                                                                  \
  args.h = h;                                                                  \
  args.w = w;                                                                  \
  args.f = f;                                                                  \
  args.oh = oh;                                                                \
  args.ow = ow;                                                                \
  args.kh = kh;                                                                \
  args.kw = kw;                                                                \
  args.strideH = strideH;                                                      \
  args.strideW = strideW;                                                      \
  args.dilationH = dilationH;                                                  \
  args.dilationW = dilationW;                                                  \
  args.pad[0] = padTop;                                                        \
  args.pad[1] = padLeft;                                                       \
  args.pad[2] = padBottom;                                                     \
  args.pad[3] = padRight;                                                      \
  args.nhwc = flags & 1;                                                       \
  args.accumulate = flags & 2;                                                 \
  args.depthwise = flags & 4;                                                  \
  args.x = static_cast<const XType *>(x) + xOffset;                            \
  const int64_t xs[4] = {xs0, xs1, xs2, xs3};                                  \
  const int64_t ys[4] = {ys0, ys1, ys2, ys3};                                  \
  for (int i = 0; i < 4; ++i) {                                                \
    args.xStrides[i] = xs[i];                                                  \
    args.yStrides[i] = ys[i];                                                  \
  }                                                                            \
  args.packedB = packed + packedOffset;                                        \
  args.bias = bias ? bias + biasOffset : nullptr;

#define SLIM_SCONV_DEFINE(suffix, isa)                                         \
  SLIM_SCONV_ENTRY(suffix) {                                                   \
    (void)padValue;                                                            \
    SLIM_CONV_ARGS(SConvArgs, float, isa)                                      \
    args.y = y + yOffset;                                                      \
    sconv2d(isa, args);                                                        \
  }

#define SLIM_QCONV_DEFINE(suffix, isa)                                         \
  SLIM_QCONV_ENTRY(suffix) {                                                   \
    SLIM_CONV_ARGS(QConvArgs, uint8_t, isa)                                    \
    args.xSigned = flags & 8;                                                  \
    args.padValue = static_cast<uint8_t>(padValue);                            \
    args.groups = std::max<int64_t>(1, flags >> 8);                            \
    /* yOffset counts elements: bytes with the epilogue, else int32. */      \
    args.y = flags & 16 ? static_cast<void *>(static_cast<int8_t *>(y) +       \
                                              yOffset)                         \
                        : static_cast<void *>(static_cast<int32_t *>(y) +      \
                                              yOffset);                        \
    if (flags & 16) {                                                          \
      args.multipliers = multipliers + multipliersOffset;                      \
      args.shifts = shifts + shiftsOffset;                                     \
      args.zeroOut = static_cast<int32_t>(zeroOut);                            \
      args.lo = static_cast<int32_t>(lo);                                      \
      args.hi = static_cast<int32_t>(hi);                                      \
    }                                                                          \
    qconv2d(isa, args);                                                        \
  }

#define SLIM_ATTENTION_DEFINE(suffix, isa)                                     \
  SLIM_ATTENTION_ENTRY(suffix) {                                               \
    AttentionArgs args;                                                        \
    args.batch = batch;                                                        \
    args.heads = heads;                                                        \
    args.m = m;                                                                \
    args.n = n;                                                                \
    args.d = d;                                                                \
    args.dv = dv;                                                              \
    args.q = q + qOffset;                                                      \
    args.k = k + kOffset;                                                      \
    args.v = v + vOffset;                                                      \
    args.mask = mask ? mask + maskOffset : nullptr;                            \
    args.out = out + outOffset;                                                \
    const int64_t strides[5][4] = {{qs0, qs1, qs2, qs3},                       \
                                   {ks0, ks1, ks2, ks3},                       \
                                   {vs0, vs1, vs2, vs3},                       \
                                   {ms0, ms1, ms2, ms3},                       \
                                   {os0, os1, os2, os3}};                      \
    for (int i = 0; i < 4; ++i) {                                              \
      args.qStrides[i] = strides[0][i];                                        \
      args.kStrides[i] = strides[1][i];                                        \
      args.vStrides[i] = strides[2][i];                                        \
      args.maskStrides[i] = strides[3][i];                                     \
      args.outStrides[i] = strides[4][i];                                      \
    }                                                                          \
    args.scaleOp = static_cast<AttentionArgs::Scale>(flags & 3);               \
    args.scale = std::bit_cast<float>(static_cast<uint32_t>(scaleBits));       \
    attention(isa, args);                                                      \
  }

#define SLIM_DEFINE_KERNEL_ENTRIES(suffix, isa)                                \
  SLIM_QGEMM_DEFINE(suffix, isa)                                               \
  SLIM_SGEMM_DEFINE(suffix, isa)                                               \
  SLIM_QGEMM_ACTIVATIONS_DEFINE(suffix, isa)                                   \
  SLIM_DQGEMM_DEFINE(suffix, isa)                                              \
  SLIM_WGEMM_DEFINE(suffix, isa)                                               \
  SLIM_SIGNGEMM_DEFINE(suffix, isa)                                            \
  SLIM_SCONV_DEFINE(suffix, isa)                                               \
  SLIM_QCONV_DEFINE(suffix, isa)                                               \
  SLIM_ATTENTION_DEFINE(suffix, isa)
SLIM_FOR_EACH_KERNEL_ISA(SLIM_DEFINE_KERNEL_ENTRIES)

#define SLIM_ENTRY_SYMBOL(name) {#name, reinterpret_cast<void *>(&name)},
#define SLIM_KERNEL_SYMBOLS(suffix, isa)                                       \
  SLIM_ENTRY_SYMBOL(slim_uk_qgemm_s8_##suffix)                                 \
  SLIM_ENTRY_SYMBOL(slim_uk_sgemm_f32_##suffix)                                \
  SLIM_ENTRY_SYMBOL(slim_uk_qgemm_act_s8_##suffix)                             \
  SLIM_ENTRY_SYMBOL(slim_uk_dqgemm_##suffix)                                   \
  SLIM_ENTRY_SYMBOL(slim_uk_wgemm_##suffix)                                    \
  SLIM_ENTRY_SYMBOL(slim_uk_signgemm_##suffix)                                 \
  SLIM_ENTRY_SYMBOL(slim_uk_sconv2d_##suffix)                                  \
  SLIM_ENTRY_SYMBOL(slim_uk_qconv2d_s8_##suffix)                               \
  SLIM_ENTRY_SYMBOL(slim_uk_attention_f32_##suffix)
std::vector<std::pair<const char *, void *>>
slim::runtime::getKernelRuntimeSymbols() {
  return {SLIM_FOR_EACH_KERNEL_ISA(SLIM_KERNEL_SYMBOLS)};
}
