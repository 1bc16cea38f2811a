//===- WGemmImpl.h - Weight-only dequantization, per ISA (internal) -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// wgemm's step that turns a block of packed low-bit weights into the f32
// panels the f32 kernel reads. Plain loops over 16 columns, compiled in one
// file per ISA (WGemm.cpp for baseline x86-64, WGemmAvx2.cpp,
// WGemmAvx512.cpp) so that the compiler vectorizes them for that ISA;
// internal linkage (QGemmImpl.h says why). Exact: f32(stored - offset) is
// an integer conversion of a small value, and one multiplication by the
// scale rounds once, as slim.dequantize does.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_WGEMMIMPL_H
#define SLIM_RUNTIME_KERNELS_WGEMMIMPL_H

#include "Tiling.h"
#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstring>

namespace slim::runtime::detail {

/// Rows [k0, k1) of panels [p, p + count) of the weight, dequantized into
/// `out`: panel after panel, each its k1 - k0 rows of 16 floats (the
/// layout of packF32Rhs for a matrix of k1 - k0 rows).
using WDequantize = void (*)(const WGemmArgs &args, int64_t p, int64_t count,
                             int64_t k0, int64_t k1, float *out);
/// Few rows: rows [r0, r0 + rows) (rows <= 4) of batch bt times panels
/// [p, p + count) (count <= 4), the weight dequantized in registers and
/// each element one fma chain over k in order, from C or +0, then the
/// bias: the same values as the scratch path, without the scratch.
using WGemv = void (*)(const WGemmArgs &args, int64_t bt, int64_t r0,
                       int64_t rows, int64_t p, int64_t count);
void wGemvSse2(const WGemmArgs &, int64_t, int64_t, int64_t, int64_t,
               int64_t);
void wGemvAvx2(const WGemmArgs &, int64_t, int64_t, int64_t, int64_t,
               int64_t);
void wGemvAvx512(const WGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                 int64_t);
void wDequantizeSse2(const WGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                     float *);
void wDequantizeAvx2(const WGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                     float *);
void wDequantizeAvx512(const WGemmArgs &, int64_t, int64_t, int64_t, int64_t,
                       float *);

/// The int8-activation path (WGemmArgs::int8Activations): the activation
/// quantized once per call, per row (batch-major) and weight group.
struct WQ8Task {
  const WGemmArgs *args = nullptr;
  const int8_t *q = nullptr; ///< rows x kq, zeros past K
  int64_t kq = 0;            ///< K rounded up to 8
  const float *scale = nullptr; ///< rows x groups: sa
  const int32_t *sum = nullptr; ///< rows x groups: sum of qa
  int64_t groups = 0;
  int64_t groupBlocks = 0; ///< 8-k blocks per group
  int64_t panelBytes = 0;  ///< one panel of the quad layout
  int64_t np = 0;          ///< N rounded up to 16: the parameters' row

  /// The first 8-k block past group g.
  int64_t groupEnd(int64_t g) const {
    int64_t end = (g + 1) * groupBlocks;
    return end < kq / 8 ? end : kq / 8;
  }
  /// Panel p's 64-byte block `blk`.
  const uint8_t *block(int64_t p, int64_t blk) const {
    return args->packedB + p * panelBytes + blk * 64;
  }
  /// Row r of batch bt of C.
  float *cRow(int64_t bt, int64_t r) const {
    return args->c + bt * args->cBatchStride + r * args->cRowStride;
  }
  /// The 4 quantized activations of `row` (batch-major) at k = 8 blk + 4 h
  /// as one word: the operand a dot-product instruction broadcasts.
  int32_t word(int64_t row, int64_t blk, int h) const {
    int32_t w;
    std::memcpy(&w, q + row * kq + blk * 8 + 4 * h, 4);
    return w;
  }
  /// Where group g of `row` keeps its scale and sum.
  int64_t rowGroup(int64_t row, int64_t g) const { return row * groups + g; }
};
/// Rows [r0, m) of batch bt times panels [p, p + count): C (=|+=) the
/// int8-activation arithmetic (Kernels.h), each ISA's tiles.
using WGemvQ8 = void (*)(const WQ8Task &task, int64_t bt, int64_t p,
                         int64_t count);
void wGemvQ8Generic(const WQ8Task &, int64_t, int64_t, int64_t);
void wGemvQ8Avx2(const WQ8Task &, int64_t, int64_t, int64_t);
void wGemvQ8Avx512(const WQ8Task &, int64_t, int64_t, int64_t);

/// Column j of panel p's 64-byte block `blk` in the quad layout: the stored
/// 4-bit value of k = 8 blk + i (i < 8).
static inline int32_t wQuadValue(const uint8_t *block, int j, int i) {
  uint8_t byte = block[4 * j + (i & 3)];
  return i < 4 ? byte & 15 : byte >> 4;
}

/// Stores the first `cols` of 16 floats `v` (+ bias) to out.
static inline void wStoreColumns(float *out, const float *v, int64_t cols,
                                 const float *bias) {
  for (int64_t j = 0; j < cols; ++j)
    out[j] = bias ? v[j] + bias[j] : v[j];
}

#pragma clang fp contract(off)

// 16 lanes (one panel row) as clang vector types: one zmm, two ymm or four
// xmm, whatever the file's ISA.
typedef uint8_t WBytes __attribute__((ext_vector_type(16)));
typedef int8_t WSBytes __attribute__((ext_vector_type(16)));
typedef int32_t WInts __attribute__((ext_vector_type(16)));
typedef float WFloats __attribute__((ext_vector_type(16)));

/// 16 offsets (int8) widened.
static inline WInts wOffsets(const int8_t *at) {
  WSBytes b;
  std::memcpy(&b, at, sizeof(b));
  return __builtin_convertvector(b, WInts);
}

typedef uint8_t WHalfBytes __attribute__((ext_vector_type(8)));

/// Lanes of `a` where `mask` is all ones, +0 elsewhere.
static inline WFloats wKeep(WInts mask, WFloats a) {
  return __builtin_bit_cast(WFloats, __builtin_bit_cast(WInts, a) & mask);
}

/// Quartet `t` of a panel of the 2:4 form (Kernels.h) dequantized: rows[i]
/// holds k = 4 t + i, each lane the value dequantizing its stored value
/// gives (+0 where the weight was removed).
static inline void wSparseQuartet(const uint8_t *panel, int64_t t,
                                  WInts offset, WFloats scale,
                                  WFloats rows[4]) {
  const uint8_t *at = panel + t * kSparseLowBitQuartetBytes;
  WBytes b;
  std::memcpy(&b, at, sizeof(b));
  WInts v = __builtin_convertvector(b, WInts);
  WFloats w0 = __builtin_convertvector((v & 15) - offset, WFloats) * scale;
  WFloats w1 = __builtin_convertvector((v >> 4) - offset, WFloats) * scale;
  WHalfBytes h;
  std::memcpy(&h, at + 16, sizeof(h));
  WInts pairs = __builtin_convertvector(
      __builtin_shufflevector(h, h, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                              7, 7),
      WInts);
  const WInts odd = {0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4};
  WInts idx = (pairs >> odd) & 15;
  WInts i0 = idx & 3, i1 = idx >> 2;
  for (int i = 0; i < 4; ++i)
    rows[i] = __builtin_bit_cast(
        WFloats, __builtin_bit_cast(WInts, wKeep(i0 == i, w0)) |
                     __builtin_bit_cast(WInts, wKeep(i1 == i, w1)));
}

/// wDequantizeBlock for the 2:4 form: k0 and the groups start at multiples
/// of 4.
static inline void wDequantizeSparseBlock(const WGemmArgs &args, int64_t p,
                                          int64_t count, int64_t k0,
                                          int64_t k1, float *out) {
  PackedLowBitShape s = packedLowBitShape(args.k, args.n, 4, args.groupSize);
  int64_t quartets = (args.k + 3) / 4, np = s.np, group = s.groupSize;
  for (int64_t pp = p; pp < p + count; ++pp) {
    const uint8_t *panel =
        args.packedB + pp * quartets * kSparseLowBitQuartetBytes;
    float *o = out + (pp - p) * (k1 - k0) * 16;
    for (int64_t g0 = k0; g0 < k1;) {
      int64_t g = g0 / group, g1 = (g + 1) * group < k1 ? (g + 1) * group : k1;
      WFloats scale;
      std::memcpy(&scale, args.scales + g * np + pp * 16, sizeof(scale));
      WInts offset = wOffsets(args.offsets + g * np + pp * 16);
      for (int64_t kk = g0; kk < g1; kk += 4) {
        WFloats rows[4];
        wSparseQuartet(panel, kk / 4, offset, scale, rows);
        for (int64_t i = 0; i < 4 && kk + i < g1; ++i, o += 16)
          std::memcpy(o, &rows[i], sizeof(rows[i]));
      }
      g0 = g1;
    }
  }
}

static inline void wDequantizeBlock(const WGemmArgs &args, int64_t p,
                                    int64_t count, int64_t k0, int64_t k1,
                                    float *out) {
  if (args.sparse24)
    return wDequantizeSparseBlock(args, p, count, k0, k1, out);
  PackedLowBitShape s =
      packedLowBitShape(args.k, args.n, args.bits, args.groupSize);
  int64_t rows = s.rowsPerPanel(), np = s.np, group = s.groupSize;
  for (int64_t pp = p; pp < p + count; ++pp) {
    const uint8_t *panel = args.packedB + pp * rows * 16;
    float *o = out + (pp - p) * (k1 - k0) * 16;
    // One group's parameters at a time: 16 scales and offsets in registers.
    for (int64_t g0 = k0; g0 < k1;) {
      int64_t g = g0 / group, g1 = (g + 1) * group < k1 ? (g + 1) * group : k1;
      WFloats scale;
      WInts offset;
      std::memcpy(&scale, args.scales + g * np + pp * 16, sizeof(scale));
      offset = wOffsets(args.offsets + g * np + pp * 16);
      for (int64_t kk = g0; kk < g1; ++kk, o += 16) {
        WInts v;
        if (args.bits == 4) {
          WBytes b;
          std::memcpy(&b, panel + (kk >> 1) * 16, sizeof(b));
          v = (__builtin_convertvector(b, WInts) >> static_cast<int>((kk & 1) * 4)) & 15;
        } else {
          WSBytes b;
          std::memcpy(&b, panel + kk * 16, sizeof(b));
          v = __builtin_convertvector(b, WInts);
        }
        WFloats w = __builtin_convertvector(v - offset, WFloats) * scale;
        std::memcpy(o, &w, sizeof(w));
      }
      g0 = g1;
    }
  }
}

/// Row kk of panel `panel` dequantized: 16 lanes.
static inline WFloats wDequantizeRow(const uint8_t *panel, int64_t bits,
                                     int64_t kk, WInts offset, WFloats scale) {
  WInts v;
  if (bits == 4) {
    WBytes b;
    std::memcpy(&b, panel + (kk >> 1) * 16, sizeof(b));
    v = (__builtin_convertvector(b, WInts) >> static_cast<int>((kk & 1) * 4)) &
        15;
  } else {
    WSBytes b;
    std::memcpy(&b, panel + kk * 16, sizeof(b));
    v = __builtin_convertvector(b, WInts);
  }
  return __builtin_convertvector(v - offset, WFloats) * scale;
}

template <int Rows, int Count>
static inline void wGemvTile(const WGemmArgs &args, int64_t bt, int64_t r0,
                             int64_t p) {
  PackedLowBitShape s =
      packedLowBitShape(args.k, args.n, args.bits, args.groupSize);
  int64_t panelBytes = s.rowsPerPanel() * 16, np = s.np;
  const float *a = args.a + bt * args.aBatchStride + r0 * args.aRowStride;
  float *c = args.c + bt * args.cBatchStride + r0 * args.cRowStride;
  // Accumulators start from C (accumulate) or +0; they stay in registers.
  WFloats acc[Rows][Count];
  for (int r = 0; r < Rows; ++r)
    for (int q = 0; q < Count; ++q) {
      float start[16] = {};
      if (args.accumulate)
        for (int j = 0; j < 16 && (p + q) * 16 + j < args.n; ++j)
          start[j] = c[r * args.cRowStride + (p + q) * 16 + j];
      std::memcpy(&acc[r][q], start, sizeof(start));
    }
  for (int64_t g0 = 0; g0 < args.k;) {
    int64_t g = g0 / s.groupSize;
    int64_t g1 = (g + 1) * s.groupSize < args.k ? (g + 1) * s.groupSize : args.k;
    WFloats scale[Count];
    WInts offset[Count];
    for (int q = 0; q < Count; ++q) {
      std::memcpy(&scale[q], args.scales + g * np + (p + q) * 16, 64);
      offset[q] = wOffsets(args.offsets + g * np + (p + q) * 16);
    }
    int64_t kk = g0;
    if (args.sparse24) {
      // Quartets (groups start at multiples of 4): the same chains.
      int64_t quartets = (args.k + 3) / 4;
      for (; kk < g1; kk += 4)
        for (int q = 0; q < Count; ++q) {
          WFloats rows[4];
          wSparseQuartet(args.packedB +
                             (p + q) * quartets * kSparseLowBitQuartetBytes,
                         kk / 4, offset[q], scale[q], rows);
          for (int64_t i = 0; i < 4 && kk + i < g1; ++i)
            for (int r = 0; r < Rows; ++r)
              acc[r][q] = __builtin_elementwise_fma(
                  WFloats(a[r * args.aRowStride + kk + i]), rows[i],
                  acc[r][q]);
        }
    } else if (args.bits == 4) {
      // Pairs of k from one row of bytes: low nibbles, then high ones.
      if (kk & 1) {
        for (int q = 0; q < Count; ++q) {
          WFloats w = wDequantizeRow(args.packedB + (p + q) * panelBytes, 4,
                                     kk, offset[q], scale[q]);
          for (int r = 0; r < Rows; ++r)
            acc[r][q] = __builtin_elementwise_fma(
                WFloats(a[r * args.aRowStride + kk]), w, acc[r][q]);
        }
        ++kk;
      }
      for (; kk + 1 < g1; kk += 2)
        for (int q = 0; q < Count; ++q) {
          WBytes b;
          std::memcpy(&b, args.packedB + (p + q) * panelBytes + (kk >> 1) * 16,
                      sizeof(b));
          WInts v = __builtin_convertvector(b, WInts);
          WFloats lo =
              __builtin_convertvector((v & 15) - offset[q], WFloats) * scale[q];
          WFloats hi =
              __builtin_convertvector((v >> 4) - offset[q], WFloats) * scale[q];
          for (int r = 0; r < Rows; ++r) {
            acc[r][q] = __builtin_elementwise_fma(
                WFloats(a[r * args.aRowStride + kk]), lo, acc[r][q]);
            acc[r][q] = __builtin_elementwise_fma(
                WFloats(a[r * args.aRowStride + kk + 1]), hi, acc[r][q]);
          }
        }
    }
    for (; kk < g1; ++kk)
      for (int q = 0; q < Count; ++q) {
        WFloats w = wDequantizeRow(args.packedB + (p + q) * panelBytes,
                                   args.bits, kk, offset[q], scale[q]);
        for (int r = 0; r < Rows; ++r)
          acc[r][q] = __builtin_elementwise_fma(
              WFloats(a[r * args.aRowStride + kk]), w, acc[r][q]);
      }
    g0 = g1;
  }
  for (int r = 0; r < Rows; ++r)
    for (int q = 0; q < Count; ++q) {
      float out[16];
      std::memcpy(out, &acc[r][q], sizeof(out));
      for (int j = 0; j < 16 && (p + q) * 16 + j < args.n; ++j)
        c[r * args.cRowStride + (p + q) * 16 + j] =
            args.bias ? out[j] + args.bias[(p + q) * 16 + j] : out[j];
    }
}

/// wGemvTile for `rows` x `count` known at run time (both 1 to 4).
static inline void wGemvBlock(const WGemmArgs &args, int64_t bt, int64_t r0,
                              int64_t rows, int64_t p, int64_t count) {
  dispatchUpTo<4>(static_cast<int>(rows), [&]<int R>() {
    dispatchUpTo<4>(static_cast<int>(count), [&]<int C>() {
      wGemvTile<R, C>(args, bt, r0, p);
    });
  });
}

#pragma clang fp contract(on)

} // namespace slim::runtime::detail

/// Defines wDequantize<Suffix> and wGemv<Suffix> from the templates above,
/// compiled with the including file's flags.
#define SLIM_W_STEPS(Suffix)                                                   \
  void slim::runtime::detail::wDequantize##Suffix(                             \
      const WGemmArgs &args, int64_t p, int64_t count, int64_t k0, int64_t k1, \
      float *out) {                                                            \
    wDequantizeBlock(args, p, count, k0, k1, out);                             \
  }                                                                            \
  void slim::runtime::detail::wGemv##Suffix(const WGemmArgs &args, int64_t bt, \
                                            int64_t r0, int64_t rows,          \
                                            int64_t p, int64_t count) {        \
    wGemvBlock(args, bt, r0, rows, p, count);                                  \
  }

#endif // SLIM_RUNTIME_KERNELS_WGEMMIMPL_H
