//===- DwConvImpl.h - Depthwise f32 convolution, per ISA (internal) -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// sconv2d's depthwise path (SConvArgs::depthwise): every output channel
// reads only its own input channel, so there is no reduction over channels
// to hand to a matrix kernel. Each output is one chain of fused
// multiply-adds over the taps in (kh, kw) order (linalg's depthwise
// reduction order), from the output (accumulate) or +0, then the bias.
// Vectorized along the contiguous dimension: channels for NHWC (16 per
// vector, four pixels at a time), output columns for NCHW (up to four
// vectors of 16 columns of one output row; with stride 1 straight loads
// from the input rows and the taps broadcast once per plane, 3 x 3
// unrolled). Plain loops over clang vector
// types, compiled in one file per ISA (SGemm.cpp for baseline x86-64,
// SGemmAvx2.cpp, SGemmAvx512.cpp: one zmm, two ymm or four xmm per vector);
// internal linkage (QGemmImpl.h says why).
//
// The filter is packed taps-major: row t = kh * KW + kw holds the C
// channels' weights, padded to a multiple of 16 with zeros
// (packedDepthwiseShape in Kernels.h).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_DWCONVIMPL_H
#define SLIM_RUNTIME_KERNELS_DWCONVIMPL_H

#include "Tiling.h"
#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace slim::runtime::detail {

/// Output rows [i0, i1) of image b (NHWC) or planes [i0, i1) (b * C + c,
/// NCHW) of a depthwise convolution.
using DwConvRows = void (*)(const SConvArgs &args, int64_t i0, int64_t i1);
void dwConvSse2(const SConvArgs &, int64_t, int64_t);
void dwConvAvx2(const SConvArgs &, int64_t, int64_t);
void dwConvAvx512(const SConvArgs &, int64_t, int64_t);

#pragma clang fp contract(off)

typedef float DwFloats __attribute__((ext_vector_type(16)));

/// 16 floats from p, `stride` apart; `live` of them (the rest +0).
static inline DwFloats dwLoad(const float *p, int64_t stride, int64_t live) {
  DwFloats v = 0.0f;
  if (stride == 1 && live == 16) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  for (int64_t j = 0; j < live; ++j)
    v[j] = p[j * stride];
  return v;
}

/// Stores the first `live` lanes of v (+ bias lanes) `stride` apart.
static inline void dwStore(float *p, int64_t stride, int64_t live, DwFloats v) {
  if (stride == 1 && live == 16) {
    std::memcpy(p, &v, sizeof(v));
    return;
  }
  for (int64_t j = 0; j < live; ++j)
    p[j * stride] = v[j];
}

/// NHWC: output pixels of one row, P at a time, 16 channels per vector.
template <int P>
static inline void dwNhwcPixels(const SConvArgs &a, int64_t b, int64_t i,
                                int64_t j0) {
  const int64_t *xs = a.xStrides, *ys = a.yStrides;
  int64_t cp = (a.c + 15) / 16 * 16;
  for (int64_t c0 = 0; c0 < a.c; c0 += 16) {
    int64_t live = a.c - c0 < 16 ? a.c - c0 : 16;
    DwFloats acc[P];
    for (int px = 0; px < P; ++px)
      acc[px] = a.accumulate
                    ? dwLoad(a.y + b * ys[0] + i * ys[1] + (j0 + px) * ys[2] +
                                 c0 * ys[3],
                             ys[3], live)
                    : DwFloats(0.0f);
    for (int64_t kh = 0; kh < a.kh; ++kh)
      for (int64_t kw = 0; kw < a.kw; ++kw) {
        DwFloats w;
        std::memcpy(&w, a.packedB + (kh * a.kw + kw) * cp + c0, sizeof(w));
        const float *row = a.x + b * xs[0] +
                           (i * a.strideH + kh * a.dilationH) * xs[1] +
                           kw * a.dilationW * xs[2] + c0 * xs[3];
        for (int px = 0; px < P; ++px)
          acc[px] = __builtin_elementwise_fma(
              dwLoad(row + (j0 + px) * a.strideW * xs[2], xs[3], live), w,
              acc[px]);
      }
    DwFloats bias = 0.0f;
    if (a.bias)
      bias = dwLoad(a.bias + c0, 1, live);
    for (int px = 0; px < P; ++px)
      dwStore(a.y + b * ys[0] + i * ys[1] + (j0 + px) * ys[2] + c0 * ys[3],
              ys[3], live, a.bias ? acc[px] + bias : acc[px]);
  }
}

/// NCHW: V vectors of 16 output columns from j0 in row i of plane (b, c).
template <int V>
static inline void dwNchwColumns(const SConvArgs &a, int64_t b, int64_t c,
                                 int64_t i, int64_t j0) {
  const int64_t *xs = a.xStrides, *ys = a.yStrides;
  int64_t cp = (a.c + 15) / 16 * 16;
  int64_t live[V];
  DwFloats acc[V];
  float *out = a.y + b * ys[0] + c * ys[1] + i * ys[2];
  for (int v = 0; v < V; ++v) {
    int64_t j = j0 + 16 * v;
    live[v] = a.ow - j < 16 ? a.ow - j : 16;
    acc[v] = a.accumulate ? dwLoad(out + j * ys[3], ys[3], live[v])
                          : DwFloats(0.0f);
  }
  const float *plane = a.x + b * xs[0] + c * xs[1];
  for (int64_t kh = 0; kh < a.kh; ++kh)
    for (int64_t kw = 0; kw < a.kw; ++kw) {
      DwFloats w = a.packedB[(kh * a.kw + kw) * cp + c];
      const float *row = plane + (i * a.strideH + kh * a.dilationH) * xs[2] +
                         kw * a.dilationW * xs[3];
      for (int v = 0; v < V; ++v) {
        int64_t j = j0 + 16 * v;
        const float *p = row + j * a.strideW * xs[3];
        DwFloats x;
        if (a.strideW == 2 && xs[3] == 1 && live[v] == 16 &&
            j * 2 + kw * a.dilationW + 32 <= a.w) {
          // Stride 2: the even lanes of two contiguous vectors.
          DwFloats lo, hi;
          std::memcpy(&lo, p, sizeof(lo));
          std::memcpy(&hi, p + 16, sizeof(hi));
          x = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14, 16,
                                      18, 20, 22, 24, 26, 28, 30);
        } else {
          x = dwLoad(p, a.strideW * xs[3], live[v]);
        }
        acc[v] = __builtin_elementwise_fma(x, w, acc[v]);
      }
    }
  for (int v = 0; v < V; ++v) {
    DwFloats r = a.bias ? acc[v] + DwFloats(a.bias[c]) : acc[v];
    dwStore(out + (j0 + 16 * v) * ys[3], ys[3], live[v], r);
  }
}

/// NCHW plane (b, c) with stride 1 along the width and unit-stride rows:
/// vectors of 16 columns loaded straight from the input rows, four at a
/// time; the filter's taps broadcast once per plane (KH x KW known at
/// compile time when not 0).
template <int KH, int KW>
static inline void dwNchwPlane(const SConvArgs &a, int64_t b, int64_t c) {
  const int64_t kh = KH ? KH : a.kh, kw = KW ? KW : a.kw;
  const int64_t *xs = a.xStrides, *ys = a.yStrides;
  int64_t cp = (a.c + 15) / 16 * 16;
  constexpr int kTaps = KH * KW > 0 ? KH * KW : 1;
  DwFloats taps[kTaps];
  if constexpr (KH * KW > 0)
    for (int t = 0; t < kTaps; ++t)
      taps[t] = a.packedB[t * cp + c];
  auto tap = [&](int64_t p, int64_t q) -> DwFloats {
    if constexpr (KH * KW > 0)
      return taps[p * KW + q];
    return DwFloats(a.packedB[(p * kw + q) * cp + c]);
  };
  const float *plane = a.x + b * xs[0] + c * xs[1];
  for (int64_t i = 0; i < a.oh; ++i) {
    float *out = a.y + b * ys[0] + c * ys[1] + i * ys[2];
    const float *row0 = plane + i * a.strideH * xs[2];
    auto columns = [&]<int V>(int64_t j) {
      DwFloats acc[V];
      for (int v = 0; v < V; ++v) {
        if (a.accumulate)
          std::memcpy(&acc[v], out + j + 16 * v, sizeof(DwFloats));
        else
          acc[v] = 0.0f;
      }
      for (int64_t p = 0; p < kh; ++p) {
        const float *row = row0 + p * a.dilationH * xs[2] + j;
        for (int64_t q = 0; q < kw; ++q) {
          DwFloats w = tap(p, q);
          for (int v = 0; v < V; ++v) {
            DwFloats x;
            std::memcpy(&x, row + q * a.dilationW + 16 * v, sizeof(x));
            acc[v] = __builtin_elementwise_fma(x, w, acc[v]);
          }
        }
      }
      for (int v = 0; v < V; ++v) {
        DwFloats r = a.bias ? acc[v] + DwFloats(a.bias[c]) : acc[v];
        std::memcpy(out + j + 16 * v, &r, sizeof(r));
      }
    };
    int64_t j = 0;
    for (; j + 64 <= a.ow; j += 64)
      columns.template operator()<4>(j);
    for (; j + 16 <= a.ow; j += 16)
      columns.template operator()<1>(j);
    if (j < a.ow)
      dwNchwColumns<1>(a, b, c, i, j);
  }
}

static inline void dwConvRows(const SConvArgs &a, int64_t i0, int64_t i1) {
  if (a.nhwc) {
    for (int64_t row = i0; row < i1; ++row) {
      int64_t b = row / a.oh, i = row % a.oh, j = 0;
      for (; j + 4 <= a.ow; j += 4)
        dwNhwcPixels<4>(a, b, i, j);
      for (; j < a.ow; ++j)
        dwNhwcPixels<1>(a, b, i, j);
    }
    return;
  }
  bool contiguous = a.strideW == 1 && a.xStrides[3] == 1 && a.yStrides[3] == 1;
  for (int64_t plane = i0; plane < i1; ++plane) {
    int64_t b = plane / a.c, c = plane % a.c;
    if (contiguous && a.kh == 3 && a.kw == 3) {
      dwNchwPlane<3, 3>(a, b, c);
      continue;
    }
    if (contiguous) {
      dwNchwPlane<0, 0>(a, b, c);
      continue;
    }
    for (int64_t i = 0; i < a.oh; ++i) {
      int64_t j = 0;
      for (; j + 64 <= a.ow; j += 64)
        dwNchwColumns<4>(a, b, c, i, j);
      if (j < a.ow)
        dispatchUpTo<4>(static_cast<int>((a.ow - j + 15) / 16), [&]<int V>() {
          dwNchwColumns<V>(a, b, c, i, j);
        });
    }
  }
}

#pragma clang fp contract(on)

//===----------------------------------------------------------------------===//
// int8 (qconv2d's depthwise path)
//===----------------------------------------------------------------------===//

/// Output rows [i0, i1) of image b (NHWC) or planes [i0, i1) (NCHW) of an
/// int8 depthwise convolution.
using QDwConvRows = void (*)(const QConvArgs &args, int64_t i0, int64_t i1);
void qDwConvSse2(const QConvArgs &, int64_t, int64_t);
void qDwConvAvx2(const QConvArgs &, int64_t, int64_t);
void qDwConvAvx512(const QConvArgs &, int64_t, int64_t);

/// Lanes summed at a time (a stack buffer: no allocation in the loops).
constexpr int64_t kQDwLanes = 1024;

/// x * w of a byte and a signed byte: |x * w| <= 255 * 128 fits int16,
/// so the product is taken in 16 bits (vpmullw, twice the lanes of a
/// 32-bit multiply) and widened.
template <typename T>
static inline uint32_t qDwProduct(T x, int8_t w) {
  return uint32_t(int32_t(int16_t(int16_t(x) * int16_t(w))));
}

/// acc[l] += x[l * stride] * w over `n` lanes, in wrapping uint32
/// arithmetic. The stride-1 loop is the one the compiler vectorizes.
template <typename T, typename W>
static inline void qDwTap(uint32_t *acc, const T *x, int64_t stride, W w,
                          int64_t n) {
  if (stride == 1) {
    for (int64_t l = 0; l < n; ++l)
      acc[l] += qDwProduct(x[l], w[l]);
    return;
  }
  for (int64_t l = 0; l < n; ++l)
    acc[l] += qDwProduct(x[l * stride], w[l]);
}

/// A value broadcast to every lane (NCHW: one channel per plane).
template <typename T> struct QDwSplat {
  T v;
  T operator[](int64_t) const { return v; }
};

/// QConvArgs' requantize epilogue on one sum: slim.requantize's
/// fixed-point arithmetic (gemmlowp's), branch-free so that loops of it
/// vectorize: the saturating left shift, SaturatingRoundingDoublingHighMul
/// (m0 >= 0: its one overflow case cannot occur), RoundingDivideByPOT,
/// the output zero point and the clamp.
template <bool LeftShifts = true>
static inline int32_t qRequantize(int32_t acc, int32_t m0, int32_t shift,
                                  int32_t zeroOut, int32_t lo, int32_t hi) {
  int64_t right = shift > 0 ? 0 : -shift;
  int64_t x = acc;
  if (LeftShifts) {
    int64_t left = shift > 0 ? shift : 0;
    x *= int64_t(1) << left; // |acc| <= 2^31, left <= 31: no overflow
    x = x < INT32_MIN ? INT32_MIN : x > INT32_MAX ? INT32_MAX : x;
  }
  int64_t ab = x * int64_t(m0);
  int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : 1 - (int64_t(1) << 30);
  int64_t high = (ab + nudge) / (int64_t(1) << 31); // truncates toward 0
  int64_t mask = (int64_t(1) << right) - 1;
  int64_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  int64_t y = (high >> right) + ((high & mask) > threshold ? 1 : 0) + zeroOut;
  return int32_t(y < lo ? lo : y > hi ? hi : y);
}

typedef int32_t QRqI32 __attribute__((ext_vector_type(16)));
typedef int64_t QRqI64 __attribute__((ext_vector_type(16)));
typedef int8_t QRqI8 __attribute__((ext_vector_type(16)));
typedef uint32_t QRqU32 __attribute__((ext_vector_type(16)));

/// qRequantize on 16 sums at once, each with its own multiplier and shift.
/// The high multiply is taken as floor((x * m0 + 2^30) / 2^31), an
/// arithmetic shift: for x * m0 < 0 gemmlowp's truncating division of
/// x * m0 + 1 - 2^30 is its ceiling, ceil(n / d) = floor((n + d - 1) / d),
/// which is that same floor. Only the product needs 64-bit lanes; the
/// rounding shift, the zero point and the clamp run on 32-bit lanes (vector
/// compares give -1 for true, hence the subtractions).
template <bool LeftShifts>
static inline QRqI8 qRequantize16(QRqI32 acc, QRqI32 m0, QRqI32 shift,
                                  int32_t zeroOut, int32_t lo, int32_t hi) {
  QRqI32 right = shift > 0 ? QRqI32(0) : -shift;
  QRqI64 x = __builtin_convertvector(acc, QRqI64);
  if (LeftShifts) {
    // x * 2^left: a left shift of a negative value is undefined in C++17.
    QRqI64 left = __builtin_convertvector(shift > 0 ? shift : QRqI32(0), QRqI64);
    x *= QRqI64(1) << left;
    x = x < QRqI64(INT32_MIN) ? QRqI64(INT32_MIN) : x;
    x = x > QRqI64(INT32_MAX) ? QRqI64(INT32_MAX) : x;
  }
  QRqI64 ab = x * __builtin_convertvector(m0, QRqI64);
  QRqI32 high = __builtin_convertvector((ab + (int64_t(1) << 30)) >> 31, QRqI32);
  QRqI32 mask = (QRqI32)((QRqU32(1) << (QRqU32)right) - 1u); // right <= 31
  QRqI32 threshold = (mask >> 1) - (high < 0);
  // Clamped before the zero point is added: the rounded value may be
  // within |Z| of 2^31, where adding Z would wrap a 32-bit lane.
  QRqI32 y = (high >> right) - ((high & mask) > threshold);
  y = y < QRqI32(lo - zeroOut) ? QRqI32(lo - zeroOut) : y;
  y = y > QRqI32(hi - zeroOut) ? QRqI32(hi - zeroOut) : y;
  return __builtin_convertvector(y + zeroOut, QRqI8);
}

/// Requantizes `rows` rows of F sums (row stride F) into bytes (row stride
/// F), the parameters per column: what the dense path runs on each block.
using QRequantizeRows = void (*)(const QConvArgs &args, const int32_t *acc,
                                 int64_t rows, int8_t *out);
void qRequantizeRowsSse2(const QConvArgs &, const int32_t *, int64_t, int8_t *);
void qRequantizeRowsAvx2(const QConvArgs &, const int32_t *, int64_t, int8_t *);
void qRequantizeRowsAvx512(const QConvArgs &, const int32_t *, int64_t,
                           int8_t *);

template <bool LeftShifts>
static inline void qRequantizeRowsWith(const QConvArgs &a, const int32_t *acc,
                                       int64_t rows, int8_t *out) {
  const int64_t f = a.f;
  const int32_t *m0 = a.multipliers, *shift = a.shifts;
  const int32_t zeroOut = a.zeroOut, lo = a.lo, hi = a.hi;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t c = 0;
    for (; c + 16 <= f; c += 16) {
      QRqI32 sums, m, sh;
      std::memcpy(&sums, acc + r * f + c, sizeof(sums));
      std::memcpy(&m, m0 + c, sizeof(m));
      std::memcpy(&sh, shift + c, sizeof(sh));
      QRqI8 bytes = qRequantize16<LeftShifts>(sums, m, sh, zeroOut, lo, hi);
      std::memcpy(out + r * f + c, &bytes, sizeof(bytes));
    }
    for (; c < f; ++c)
      out[r * f + c] = int8_t(qRequantize<LeftShifts>(
          acc[r * f + c], m0[c], shift[c], zeroOut, lo, hi));
  }
}

/// The usual multipliers are below 1 (no left shift): that loop skips the
/// shift and its saturation.
static inline void qRequantizeRows(const QConvArgs &a, const int32_t *acc,
                                   int64_t rows, int8_t *out) {
  bool left = false;
  for (int64_t c = 0; c < a.f; ++c)
    left |= a.shifts[c] > 0;
  if (left)
    qRequantizeRowsWith<true>(a, acc, rows, out);
  else
    qRequantizeRowsWith<false>(a, acc, rows, out);
}

/// Stores acc (+ y's old values when accumulating) `stride` apart, or,
/// with a requantize epilogue, its bytes (into `bytes` instead of y when
/// given); `m0` and `shift` give lane l's parameters.
template <typename P>
static inline void qDwStore(const QConvArgs &a, int64_t offset, int64_t stride,
                            const uint32_t *acc, int64_t n, P m0, P shift,
                            int8_t *bytes = nullptr) {
  if (a.multipliers) {
    int8_t *y = bytes ? bytes + offset : static_cast<int8_t *>(a.y) + offset;
    int64_t l = 0;
    if constexpr (std::is_same_v<P, QDwSplat<int32_t>>)
      if (stride == 1) {
        // One multiplier and shift for every lane (an NCHW plane).
        QRqI32 m = m0.v, sh = shift.v;
        for (; l + 16 <= n; l += 16) {
          QRqI32 sums;
          std::memcpy(&sums, acc + l, sizeof(sums));
          QRqI8 bytes =
              shift.v > 0 ? qRequantize16<true>(sums, m, sh, a.zeroOut, a.lo, a.hi)
                          : qRequantize16<false>(sums, m, sh, a.zeroOut, a.lo, a.hi);
          std::memcpy(y + l, &bytes, sizeof(bytes));
        }
      }
    for (; l < n; ++l)
      y[l * stride] = int8_t(qRequantize(int32_t(acc[l]), m0[l], shift[l],
                                         a.zeroOut, a.lo, a.hi));
    return;
  }
  int32_t *y = static_cast<int32_t *>(a.y) + offset;
  for (int64_t l = 0; l < n; ++l) {
    uint32_t v = acc[l] + (a.accumulate ? uint32_t(y[l * stride]) : 0u);
    y[l * stride] = static_cast<int32_t>(v);
  }
}

/// The flat path's registers: 16 lanes of bytes, their products in 16 bits,
/// the sums in 32 (wrapping).
template <typename T>
using QDwBytes = T __attribute__((ext_vector_type(16)));
template <typename T>
using QDwBytes32 = T __attribute__((ext_vector_type(32)));
template <typename T>
using QDwBytes8 = T __attribute__((ext_vector_type(8)));
typedef int16_t QDwI16 __attribute__((ext_vector_type(16)));
constexpr int64_t kQDwRegisterTaps = 25;

/// NCHW plane (b, c), its output rows taken as one run of lanes l = i * R +
/// j over a row stride R of the input it reads (the R - OW lanes past each
/// row's end are computed and dropped), so that every tap is one contiguous
/// loop over the whole plane instead of one short loop per output row (a
/// 7 x 7 plane is 49 lanes, not seven loops of 7): tap (p, q) reads
/// tapInput(p, q)[l].
template <typename T, typename TapInput>
static inline void qDwPlaneFlat(const QConvArgs &a, int64_t rowStride,
                                TapInput tapInput, bool overread, int64_t b,
                                int64_t c, uint32_t *acc) {
  const int64_t *ys = a.yStrides;
  const int64_t lanes = (a.oh - 1) * rowStride + a.ow;
  int64_t cp = (a.c + 15) / 16 * 16;
  uint32_t start = a.bias ? uint32_t(a.bias[c]) : 0u;
  QDwSplat<int32_t> m0{a.multipliers ? a.multipliers[c] : 0};
  QDwSplat<int32_t> shift{a.shifts ? a.shifts[c] : 0};
  const int64_t taps = a.kh * a.kw;
  // Up to 5 x 5 taps: their weights and inputs in arrays, every 16 lanes'
  // sum kept in a register over all the taps.
  const bool inRegisters = taps <= kQDwRegisterTaps;
  int16_t weight[kQDwRegisterTaps];
  const T *input[kQDwRegisterTaps];
  if (inRegisters)
    for (int64_t p = 0; p < a.kh; ++p)
      for (int64_t q = 0; q < a.kw; ++q) {
        weight[p * a.kw + q] = a.packedB[(p * a.kw + q) * cp + c];
        input[p * a.kw + q] = static_cast<const T *>(tapInput(p, q));
      }
  for (int64_t l0 = 0; l0 < lanes; l0 += kQDwLanes) {
    int64_t n = lanes - l0 < kQDwLanes ? lanes - l0 : kQDwLanes;
    // With `overread`, the last lanes' inputs may be read up to 15 bytes
    // past the plane's last byte used: every lane is in a vector.
    int64_t vectorLanes = overread ? (n + 15) / 16 * 16 : n;
    int64_t l = 0;
    if (inRegisters)
      for (; l + 16 <= vectorLanes; l += 16) {
        QRqU32 sum = start;
        for (int64_t t = 0; t < taps; ++t) {
          QDwBytes<T> x;
          std::memcpy(&x, input[t] + l0 + l, sizeof(x));
          QDwI16 product = __builtin_convertvector(x, QDwI16) * weight[t];
          sum += (QRqU32)__builtin_convertvector(product, QRqI32);
        }
        std::memcpy(acc + l, &sum, sizeof(sum));
      }
    // The last lanes (and more taps than the arrays hold): one loop per tap.
    if (l < n) {
      for (int64_t k = l; k < n; ++k)
        acc[k] = start;
      for (int64_t p = 0; p < a.kh; ++p)
        for (int64_t q = 0; q < a.kw; ++q)
          qDwTap(acc + l, static_cast<const T *>(tapInput(p, q)) + l0 + l, 1,
                 QDwSplat<int8_t>{a.packedB[(p * a.kw + q) * cp + c]}, n - l);
    }
    // With a requantize epilogue every lane is requantized (the dropped ones
    // too: 16 at a time, whatever the row length), then the rows copied.
    int8_t bytes[kQDwLanes];
    if (a.multipliers)
      qDwStore(a, 0, 1, acc, l > n ? l : n, m0, shift, bytes);
    // The output rows that meet [l0, l0 + n).
    for (int64_t i = l0 / rowStride; i < a.oh && i * rowStride < l0 + n;
         ++i) {
      int64_t from = i * rowStride > l0 ? i * rowStride : l0;
      int64_t to = i * rowStride + a.ow < l0 + n ? i * rowStride + a.ow
                                                  : l0 + n;
      if (from >= to)
        continue;
      int64_t offset = b * ys[0] + c * ys[1] + i * ys[2] + (from - i * rowStride);
      if (a.multipliers)
        std::memcpy(static_cast<int8_t *>(a.y) + offset, bytes + (from - l0),
                    size_t(to - from));
      else
        qDwStore(a, offset, 1, acc + (from - l0), to - from, m0, shift);
    }
  }
}

/// The largest plane the stride-2 path splits into phases on the stack.
constexpr int64_t kQDwPhaseBytes = 16384;

/// Stride 2 in H and W: the plane split into its four phases (even / odd
/// rows x even / odd columns, each (H + 1) / 2 x (W + 1) / 2), so that tap
/// (p, q) reads phase (p mod 2, q mod 2) at offset (p / 2, q / 2),
/// contiguous over the lanes, instead of every second byte.
template <typename T>
static inline bool qDwPlaneStride2(const QConvArgs &a, const T *plane,
                                   int64_t b, int64_t c, uint32_t *acc) {
  const int64_t rows = a.xStrides[2];
  int64_t hh = (a.h + 1) / 2, wh = (a.w + 1) / 2;
  if (4 * hh * wh * int64_t(sizeof(T)) > kQDwPhaseBytes)
    return false;
  // 16 bytes of zeros after the phases: what the last lanes over-read.
  T phases[kQDwPhaseBytes / sizeof(T) + 16];
  std::memset(phases + 4 * hh * wh, 0, 16 * sizeof(T));
  for (int64_t r = 0; r < a.h; ++r) {
    T *even = phases + (r % 2) * 2 * hh * wh + (r / 2) * wh;
    T *odd = even + hh * wh;
    const T *in = plane + r * rows;
    int64_t k = 0;
    // 32 bytes at a time: their even and odd lanes.
    for (; k + 32 <= a.w; k += 32) {
      QDwBytes32<T> v;
      std::memcpy(&v, in + k, sizeof(v));
      QDwBytes<T> e = __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14,
                                              16, 18, 20, 22, 24, 26, 28, 30);
      QDwBytes<T> o = __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15,
                                              17, 19, 21, 23, 25, 27, 29, 31);
      std::memcpy(even + k / 2, &e, sizeof(e));
      std::memcpy(odd + k / 2, &o, sizeof(o));
    }
    for (; k + 16 <= a.w; k += 16) {
      QDwBytes<T> v;
      std::memcpy(&v, in + k, sizeof(v));
      QDwBytes8<T> e = __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14);
      QDwBytes8<T> o = __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15);
      std::memcpy(even + k / 2, &e, sizeof(e));
      std::memcpy(odd + k / 2, &o, sizeof(o));
    }
    for (; k < a.w; ++k)
      (k % 2 ? odd : even)[k / 2] = in[k];
  }
  qDwPlaneFlat<T>(
      a, wh,
      [&](int64_t p, int64_t q) {
        return phases + ((p % 2) * 2 + q % 2) * hh * wh + (p / 2) * wh + q / 2;
      },
      /*overread=*/true, b, c, acc);
  return true;
}

template <typename T>
static inline void qDwConvTyped(const QConvArgs &a, int64_t i0, int64_t i1) {
  const int64_t *xs = a.xStrides, *ys = a.yStrides;
  const T *x = static_cast<const T *>(a.x);
  int64_t cp = (a.c + 15) / 16 * 16;
  uint32_t acc[kQDwLanes];
  for (int64_t item = i0; item < i1; ++item) {
    if (a.nhwc) {
      // Row i of image b: each pixel's channels, kQDwLanes at a time.
      int64_t b = item / a.oh, i = item % a.oh;
      for (int64_t j = 0; j < a.ow; ++j)
        for (int64_t c0 = 0; c0 < a.c; c0 += kQDwLanes) {
          int64_t n = a.c - c0 < kQDwLanes ? a.c - c0 : kQDwLanes;
          for (int64_t l = 0; l < n; ++l)
            acc[l] = a.bias ? uint32_t(a.bias[c0 + l]) : 0u;
          for (int64_t p = 0; p < a.kh; ++p)
            for (int64_t q = 0; q < a.kw; ++q)
              qDwTap(acc,
                     x + b * xs[0] + (i * a.strideH + p * a.dilationH) * xs[1] +
                         (j * a.strideW + q * a.dilationW) * xs[2] + c0 * xs[3],
                     xs[3], a.packedB + (p * a.kw + q) * cp + c0, n);
          qDwStore(a, b * ys[0] + i * ys[1] + j * ys[2] + c0 * ys[3], ys[3],
                   acc, n, a.multipliers + (a.multipliers ? c0 : 0),
                   a.shifts + (a.shifts ? c0 : 0));
        }
      continue;
    }
    // Plane c of image b: each output row's columns, kQDwLanes at a time.
    int64_t b = item / a.c, c = item % a.c;
    const T *plane = x + b * xs[0] + c * xs[1];
    if (a.strideH == 1 && a.strideW == 1 && a.dilationW == 1 && xs[3] == 1 &&
        xs[2] == a.w && ys[3] == 1) {
      qDwPlaneFlat<T>(
          a, xs[2],
          [&](int64_t p, int64_t q) {
            return plane + p * a.dilationH * xs[2] + q;
          },
          /*overread=*/a.xSlack >= 16 * int64_t(sizeof(T)), b, c, acc);
      continue;
    }
    if (a.strideH == 2 && a.strideW == 2 && a.dilationH == 1 &&
        a.dilationW == 1 && xs[3] == 1 && xs[2] >= a.w && ys[3] == 1 &&
        qDwPlaneStride2(a, plane, b, c, acc))
      continue;
    int64_t step = a.strideW * xs[3];
    for (int64_t i = 0; i < a.oh; ++i)
      for (int64_t j0 = 0; j0 < a.ow; j0 += kQDwLanes) {
        int64_t n = a.ow - j0 < kQDwLanes ? a.ow - j0 : kQDwLanes;
        uint32_t start = a.bias ? uint32_t(a.bias[c]) : 0u;
        for (int64_t l = 0; l < n; ++l)
          acc[l] = start;
        for (int64_t p = 0; p < a.kh; ++p)
          for (int64_t q = 0; q < a.kw; ++q)
            qDwTap(acc,
                   plane + (i * a.strideH + p * a.dilationH) * xs[2] +
                       (j0 * a.strideW + q * a.dilationW) * xs[3],
                   step, QDwSplat<int8_t>{a.packedB[(p * a.kw + q) * cp + c]},
                   n);
        qDwStore(a, b * ys[0] + c * ys[1] + i * ys[2] + j0 * ys[3], ys[3], acc,
                 n, QDwSplat<int32_t>{a.multipliers ? a.multipliers[c] : 0},
                 QDwSplat<int32_t>{a.shifts ? a.shifts[c] : 0});
      }
  }
}

static inline void qDwConvRows(const QConvArgs &a, int64_t i0, int64_t i1) {
  if (a.xSigned)
    qDwConvTyped<int8_t>(a, i0, i1);
  else
    qDwConvTyped<uint8_t>(a, i0, i1);
}


} // namespace slim::runtime::detail

/// Defines dwConv<Suffix> from the templates above, compiled with the
/// including file's flags.
#define SLIM_DW_STEPS(Suffix)                                                  \
  void slim::runtime::detail::dwConv##Suffix(const SConvArgs &args,            \
                                             int64_t i0, int64_t i1) {         \
    dwConvRows(args, i0, i1);                                                  \
  }
/// Defines qDwConv<Suffix> and qRequantizeRows<Suffix> likewise.
#define SLIM_QDW_STEPS(Suffix)                                                 \
  void slim::runtime::detail::qDwConv##Suffix(const QConvArgs &args,           \
                                              int64_t i0, int64_t i1) {        \
    qDwConvRows(args, i0, i1);                                                 \
  }                                                                            \
  void slim::runtime::detail::qRequantizeRows##Suffix(                         \
      const QConvArgs &args, const int32_t *acc, int64_t rows, int8_t *out) {  \
    qRequantizeRows(args, acc, rows, out);                                     \
  }

#endif // SLIM_RUNTIME_KERNELS_DWCONVIMPL_H
