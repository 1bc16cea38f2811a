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
    qgemm(isa, args);                                                          \
  }
SLIM_QGEMM_DEFINE(generic, Isa::Generic)
SLIM_QGEMM_DEFINE(avx2, Isa::Avx2)
SLIM_QGEMM_DEFINE(avxvnni, Isa::AvxVnni)
SLIM_QGEMM_DEFINE(avx512vnni, Isa::Avx512Vnni)
SLIM_QGEMM_DEFINE(amx, Isa::Amx)

#define SLIM_SGEMM_DEFINE(suffix, isa)                                         \
  SLIM_SGEMM_ENTRY(suffix) {                                                   \
    sgemm(isa, gemmArgs<SGemmArgs>(SLIM_GEMM_ARGS(float, a)));                 \
  }
SLIM_SGEMM_DEFINE(generic, Isa::Generic)
SLIM_SGEMM_DEFINE(avx2, Isa::Avx2)
SLIM_SGEMM_DEFINE(avxvnni, Isa::AvxVnni)
SLIM_SGEMM_DEFINE(avx512vnni, Isa::Avx512Vnni)
SLIM_SGEMM_DEFINE(amx, Isa::Amx)

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
SLIM_QGEMM_ACTIVATIONS_DEFINE(generic, Isa::Generic)
SLIM_QGEMM_ACTIVATIONS_DEFINE(avx2, Isa::Avx2)
SLIM_QGEMM_ACTIVATIONS_DEFINE(avxvnni, Isa::AvxVnni)
SLIM_QGEMM_ACTIVATIONS_DEFINE(avx512vnni, Isa::Avx512Vnni)
SLIM_QGEMM_ACTIVATIONS_DEFINE(amx, Isa::Amx)

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
SLIM_DQGEMM_DEFINE(generic, Isa::Generic)
SLIM_DQGEMM_DEFINE(avx2, Isa::Avx2)
SLIM_DQGEMM_DEFINE(avxvnni, Isa::AvxVnni)
SLIM_DQGEMM_DEFINE(avx512vnni, Isa::Avx512Vnni)
SLIM_DQGEMM_DEFINE(amx, Isa::Amx)

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
    args.bias = bias ? bias + biasOffset : nullptr;                            \
    wgemm(isa, args);                                                          \
  }
SLIM_WGEMM_DEFINE(generic, Isa::Generic)
SLIM_WGEMM_DEFINE(avx2, Isa::Avx2)
SLIM_WGEMM_DEFINE(avxvnni, Isa::AvxVnni)
SLIM_WGEMM_DEFINE(avx512vnni, Isa::Avx512Vnni)
SLIM_WGEMM_DEFINE(amx, Isa::Amx)

#define SLIM_SCONV_DEFINE(suffix, isa)                                         \
  SLIM_SCONV_ENTRY(suffix) {                                                   \
    SConvArgs args;                                                            \
    args.n = n;                                                                \
    args.c = c;                                                                \
    args.h = h;                                                                \
    args.w = w;                                                                \
    args.f = f;                                                                \
    args.oh = oh;                                                              \
    args.ow = ow;                                                              \
    args.kh = kh;                                                              \
    args.kw = kw;                                                              \
    args.strideH = strideH;                                                    \
    args.strideW = strideW;                                                    \
    args.dilationH = dilationH;                                                \
    args.dilationW = dilationW;                                                \
    args.nhwc = flags & 1;                                                     \
    args.accumulate = flags & 2;                                               \
    args.x = x + xOffset;                                                      \
    const int64_t xs[4] = {xs0, xs1, xs2, xs3};                                \
    const int64_t ys[4] = {ys0, ys1, ys2, ys3};                                \
    for (int i = 0; i < 4; ++i) {                                              \
      args.xStrides[i] = xs[i];                                                \
      args.yStrides[i] = ys[i];                                                \
    }                                                                          \
    args.packedB = packed + packedOffset;                                      \
    args.y = y + yOffset;                                                      \
    args.bias = bias ? bias + biasOffset : nullptr;                            \
    sconv2d(isa, args);                                                        \
  }
SLIM_SCONV_DEFINE(generic, Isa::Generic)
SLIM_SCONV_DEFINE(avx2, Isa::Avx2)
SLIM_SCONV_DEFINE(avxvnni, Isa::AvxVnni)
SLIM_SCONV_DEFINE(avx512vnni, Isa::Avx512Vnni)
SLIM_SCONV_DEFINE(amx, Isa::Amx)

#define SLIM_ENTRY_SYMBOL(name) {#name, reinterpret_cast<void *>(&name)}
std::vector<std::pair<const char *, void *>>
slim::runtime::getKernelRuntimeSymbols() {
  return {
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_s8_generic),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_s8_avx2),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_s8_avxvnni),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_s8_avx512vnni),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_s8_amx),
      SLIM_ENTRY_SYMBOL(slim_uk_sgemm_f32_generic),
      SLIM_ENTRY_SYMBOL(slim_uk_sgemm_f32_avx2),
      SLIM_ENTRY_SYMBOL(slim_uk_sgemm_f32_avxvnni),
      SLIM_ENTRY_SYMBOL(slim_uk_sgemm_f32_avx512vnni),
      SLIM_ENTRY_SYMBOL(slim_uk_sgemm_f32_amx),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_act_s8_generic),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_act_s8_avx2),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_act_s8_avxvnni),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_act_s8_avx512vnni),
      SLIM_ENTRY_SYMBOL(slim_uk_qgemm_act_s8_amx),
      SLIM_ENTRY_SYMBOL(slim_uk_dqgemm_generic),
      SLIM_ENTRY_SYMBOL(slim_uk_dqgemm_avx2),
      SLIM_ENTRY_SYMBOL(slim_uk_dqgemm_avxvnni),
      SLIM_ENTRY_SYMBOL(slim_uk_dqgemm_avx512vnni),
      SLIM_ENTRY_SYMBOL(slim_uk_dqgemm_amx),
      SLIM_ENTRY_SYMBOL(slim_uk_wgemm_generic),
      SLIM_ENTRY_SYMBOL(slim_uk_wgemm_avx2),
      SLIM_ENTRY_SYMBOL(slim_uk_wgemm_avxvnni),
      SLIM_ENTRY_SYMBOL(slim_uk_wgemm_avx512vnni),
      SLIM_ENTRY_SYMBOL(slim_uk_wgemm_amx),
      SLIM_ENTRY_SYMBOL(slim_uk_sconv2d_generic),
      SLIM_ENTRY_SYMBOL(slim_uk_sconv2d_avx2),
      SLIM_ENTRY_SYMBOL(slim_uk_sconv2d_avxvnni),
      SLIM_ENTRY_SYMBOL(slim_uk_sconv2d_avx512vnni),
      SLIM_ENTRY_SYMBOL(slim_uk_sconv2d_amx),
  };
}
