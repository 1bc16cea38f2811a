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

#pragma clang fp contract(off)

// 16 lanes (one panel row) as clang vector types: one zmm, two ymm or four
// xmm, whatever the file's ISA.
typedef uint8_t WBytes __attribute__((ext_vector_type(16)));
typedef int8_t WSBytes __attribute__((ext_vector_type(16)));
typedef int32_t WInts __attribute__((ext_vector_type(16)));
typedef float WFloats __attribute__((ext_vector_type(16)));

static inline void wDequantizeBlock(const WGemmArgs &args, int64_t p,
                                    int64_t count, int64_t k0, int64_t k1,
                                    float *out) {
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
      std::memcpy(&offset, args.offsets + g * np + pp * 16, sizeof(offset));
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
      std::memcpy(&offset[q], args.offsets + g * np + (p + q) * 16, 64);
    }
    int64_t kk = g0;
    if (args.bits == 4) {
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
