//===- AttentionImpl.h - One attention head, flash style (internal) -*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The body of the attention kernel, included by one file per vector width
// (Attention.cpp for baseline x86-64, AttentionAvx2.cpp, AttentionAvx512.cpp)
// and compiled with that width's flags: plain loops over small fixed-size
// tiles that the compiler vectorizes, in an anonymous namespace so that each
// file keeps its own copy.
//
// For one (batch, head) and a block of query rows: K^T is packed once per
// head (d rows of n keys, so that a row of scores is a vector over keys),
// then the keys are visited in tiles of kAttentionKeyTile with a running
// maximum and sum per row (flash attention's online softmax): per tile,
// the scores of kRows rows, their new maximum, exp(s - max), the rescale of
// what was accumulated before, and P x V into kRows rows of dv outputs.
// The division by the sum comes last, once per output.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_ATTENTIONIMPL_H
#define SLIM_RUNTIME_KERNELS_ATTENTIONIMPL_H

#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace slim::runtime::detail {

/// Query rows computed together (they share each loaded key and value).
constexpr int64_t kAttentionRows = 4;
/// Partial maxima and sums per row (the widest vector's f32 lanes).
constexpr int64_t kLanes = 16;

/// Keys and value features padded to whole vectors of partial results.
constexpr int64_t attentionPadded(int64_t x) {
  return (x + kLanes - 1) / kLanes * kLanes;
}
constexpr int64_t attentionMin(int64_t a, int64_t b) { return a < b ? a : b; }
/// Keys per tile of the online softmax.
constexpr int64_t attentionTile(int64_t n) {
  return attentionMin(attentionPadded(n), kAttentionKeyTile);
}

/// Per-thread buffers of the kernel, for one head: raw pointers into
/// memory the driver (compiled for the baseline) owns, so that the files
/// compiled for an ISA instantiate no standard-library template whose
/// out-of-line copy the linker could pick for everyone (QGemmImpl.h).
struct AttentionScratch {
  float *kt; ///< d x np: K^T of the head, keys padded with zeros
  float *v;  ///< np x dvp: V of the head, keys and features padded
  float *q;  ///< kAttentionRows x d
  float *s;  ///< kAttentionRows x the key tile
  float *o;  ///< kAttentionRows x dvp
  /// The floats of all five for `args`.
  static int64_t floats(const AttentionArgs &args) {
    int64_t np = attentionPadded(args.n), dvp = attentionPadded(args.dv);
    return args.d * np + np * dvp +
           kAttentionRows * (args.d + attentionTile(args.n) + dvp);
  }
  /// The five carved out of `base` (floats(args) of them).
  static AttentionScratch carve(const AttentionArgs &args, float *base) {
    int64_t np = attentionPadded(args.n), dvp = attentionPadded(args.dv);
    AttentionScratch w;
    w.kt = base;
    w.v = w.kt + args.d * np;
    w.q = w.v + np * dvp;
    w.s = w.q + kAttentionRows * args.d;
    w.o = w.s + kAttentionRows * attentionTile(args.n);
    return w;
  }
};

/// Query rows [r0, r1) of head (b, h), one function per vector width.
void attentionRowsAvx2(const AttentionArgs &args, int64_t b, int64_t h,
                       int64_t r0, int64_t r1, AttentionScratch &scratch);
void attentionRowsAvx512(const AttentionArgs &args, int64_t b, int64_t h,
                         int64_t r0, int64_t r1, AttentionScratch &scratch);

} // namespace slim::runtime::detail

namespace {

using slim::runtime::AttentionArgs;
using slim::runtime::kAttentionKeyTile;
using slim::runtime::detail::attentionMin;
using slim::runtime::detail::attentionPadded;
using slim::runtime::detail::AttentionScratch;
using slim::runtime::detail::attentionTile;
using slim::runtime::detail::kAttentionRows;
using slim::runtime::detail::kLanes;

/// exp(x) in f32 within 2 ulp (the kernel's one transcendental): x = k ln2
/// + r by Cody-Waite with |r| <= ln2 / 2, a degree-6 polynomial for e^r
/// (Cephes' expf coefficients), 2^k applied in two halves so that results
/// down to the subnormals and up to +inf come out right. NaN stays NaN;
/// -inf gives +0, +inf gives +inf.
inline float attentionExp(float x) {
  // A NaN goes through the steps as -104 (no NaN reaches the integer
  // conversion) and comes out as itself.
  float c = x > -104.0f ? (x < 89.0f ? x : 89.0f) : -104.0f;
  float kf = __builtin_rintf(c * 1.44269504088896341f);
  float r = __builtin_fmaf(kf, -0.693359375f, c);
  r = __builtin_fmaf(kf, 2.12194440e-4f, r);
  float p = 1.9875691500e-4f;
  p = __builtin_fmaf(p, r, 1.3981999507e-3f);
  p = __builtin_fmaf(p, r, 8.3334519073e-3f);
  p = __builtin_fmaf(p, r, 4.1665795894e-2f);
  p = __builtin_fmaf(p, r, 1.6666665459e-1f);
  p = __builtin_fmaf(p, r, 5.0000001201e-1f);
  float y = __builtin_fmaf(p * r, r, r) + 1.0f;
  int32_t k = static_cast<int32_t>(kf);
  int32_t k1 = k >> 1, k2 = k - k1;
  y *= std::bit_cast<float>((k1 + 127) << 23);
  y *= std::bit_cast<float>((k2 + 127) << 23);
  return x != x ? x : y;
}

/// Rows [r0, r1) of head (b, h).
inline void attentionRows(const AttentionArgs &a, int64_t b, int64_t h,
                          int64_t r0, int64_t r1, AttentionScratch &w) {
  constexpr int64_t R = kAttentionRows, L = kLanes;
  const int64_t n = a.n, d = a.d, dv = a.dv;
  // Keys and value features padded to whole vectors of L: K^T (row t holds
  // feature t of every key) and V, zeros in the padding.
  const int64_t np = attentionPadded(n), dvp = attentionPadded(dv);
  // dst[j * jStep + t * tStep] = head[j * strides[2] + t * strides[3]]
  // for the n keys j and `cols` features t, zeros elsewhere in `size`.
  auto pack = [&](float *dst, int64_t size, const float *src,
                  const int64_t *strides, int64_t cols, int64_t jStep,
                  int64_t tStep) {
    for (int64_t x = 0; x < size; ++x)
      dst[x] = 0.0f;
    const float *head = src + b * strides[0] + h * strides[1];
    for (int64_t j = 0; j < n; ++j)
      for (int64_t t = 0; t < cols; ++t)
        dst[j * jStep + t * tStep] = head[j * strides[2] + t * strides[3]];
  };
  pack(w.kt, d * np, a.k, a.kStrides, d, 1, np);
  pack(w.v, np * dvp, a.v, a.vStrides, dv, dvp, 1);
  const int64_t tile = attentionTile(n);
  const float negInf = -__builtin_inff();

  for (int64_t i0 = r0; i0 < r1; i0 += R) {
    const int64_t rows = attentionMin(R, r1 - i0);
    float rowMax[R], rowSum[R];
    for (int64_t r = 0; r < R; ++r) {
      rowMax[r] = negInf;
      rowSum[r] = 0.0f;
      // Rows past the end repeat the last one (computed, not stored).
      int64_t i = i0 + attentionMin(r, rows - 1);
      const float *qRow =
          a.q + b * a.qStrides[0] + h * a.qStrides[1] + i * a.qStrides[2];
      for (int64_t t = 0; t < d; ++t)
        w.q[r * d + t] = qRow[t * a.qStrides[3]];
    }
    for (int64_t x = 0; x < R * dvp; ++x)
      w.o[x] = 0.0f;
    for (int64_t j0 = 0; j0 < np; j0 += tile) {
      const int64_t keys = attentionMin(tile, np - j0); // a multiple of L
      const int64_t real = attentionMin(keys, n - j0);
      float *s = w.s;
      // Scores, L keys x R rows in registers: one chain of multiply-adds
      // over the features per score.
      for (int64_t c = 0; c < keys; c += L) {
        float acc[R][L] = {};
        for (int64_t t = 0; t < d; ++t) {
          const float *kt = w.kt + t * np + j0 + c;
          for (int64_t r = 0; r < R; ++r) {
            float qv = w.q[r * d + t];
            for (int64_t l = 0; l < L; ++l)
              acc[r][l] = __builtin_fmaf(qv, kt[l], acc[r][l]);
          }
        }
        for (int64_t r = 0; r < R; ++r)
          for (int64_t l = 0; l < L; ++l)
            s[r * tile + c + l] = acc[r][l];
      }
      for (int64_t r = 0; r < R; ++r) {
        float *sr = s + r * tile;
        if (a.scaleOp == AttentionArgs::Scale::Multiply)
          for (int64_t j = 0; j < real; ++j)
            sr[j] *= a.scale;
        else if (a.scaleOp == AttentionArgs::Scale::Divide)
          for (int64_t j = 0; j < real; ++j)
            sr[j] /= a.scale;
        if (a.mask) {
          int64_t i = i0 + attentionMin(r, rows - 1);
          const float *m = a.mask + b * a.maskStrides[0] +
                           h * a.maskStrides[1] + i * a.maskStrides[2] +
                           j0 * a.maskStrides[3];
          if (a.maskStrides[3] == 1)
            for (int64_t j = 0; j < real; ++j)
              sr[j] += m[j];
          else
            for (int64_t j = 0; j < real; ++j)
              sr[j] += m[j * a.maskStrides[3]];
        }
        // Padding keys weigh exp(-inf) = 0.
        for (int64_t j = real; j < keys; ++j)
          sr[j] = negInf;
        // The running maximum (a NaN wins) and the sum of exp(s - max),
        // each in L partial results combined in a fixed order: the same on
        // every ISA, in loops the compiler vectorizes. What was summed for
        // earlier tiles is rescaled to the new maximum.
        float laneMax[L];
        for (int64_t l = 0; l < L; ++l)
          laneMax[l] = rowMax[r];
        for (int64_t c = 0; c < keys; c += L)
          for (int64_t l = 0; l < L; ++l) {
            float x = sr[c + l];
            laneMax[l] = x > laneMax[l] || x != x ? x : laneMax[l];
          }
        float mx = laneMax[0];
        for (int64_t l = 1; l < L; ++l)
          mx = laneMax[l] > mx || laneMax[l] != laneMax[l] ? laneMax[l] : mx;
        // Exponentials relative to the maximum, or to 0 while every score
        // so far is -inf (as flash attention does): exp(-inf - -inf) would
        // be NaN and poison the row for the finite keys of later tiles. A
        // row that stays -inf sums to 0 and divides 0 by 0: NaN, as the
        // unfused softmax gives.
        const float ref = mx == negInf ? 0.0f : mx;
        float laneSum[L] = {};
        for (int64_t c = 0; c < keys; c += L)
          for (int64_t l = 0; l < L; ++l) {
            float p = attentionExp(sr[c + l] - ref);
            sr[c + l] = p;
            laneSum[l] += p;
          }
        float sum = 0.0f;
        for (int64_t l = 0; l < L; ++l)
          sum += laneSum[l];
        if (j0 > 0) {
          float rescale = attentionExp(rowMax[r] - ref);
          rowSum[r] *= rescale;
          float *o = w.o + r * dvp;
          for (int64_t e = 0; e < dvp; ++e)
            o[e] *= rescale;
        }
        rowMax[r] = mx;
        rowSum[r] += sum;
      }
      // P x V, L outputs x R rows in registers over the tile's keys.
      for (int64_t e0 = 0; e0 < dvp; e0 += L) {
        float acc[R][L];
        for (int64_t r = 0; r < R; ++r)
          for (int64_t l = 0; l < L; ++l)
            acc[r][l] = w.o[r * dvp + e0 + l];
        for (int64_t j = 0; j < keys; ++j) {
          const float *vj = w.v + (j0 + j) * dvp + e0;
          for (int64_t r = 0; r < R; ++r) {
            float p = s[r * tile + j];
            for (int64_t l = 0; l < L; ++l)
              acc[r][l] = __builtin_fmaf(p, vj[l], acc[r][l]);
          }
        }
        for (int64_t r = 0; r < R; ++r)
          for (int64_t l = 0; l < L; ++l)
            w.o[r * dvp + e0 + l] = acc[r][l];
      }
    }
    for (int64_t r = 0; r < rows; ++r) {
      float *out = a.out + b * a.outStrides[0] + h * a.outStrides[1] +
                   (i0 + r) * a.outStrides[2];
      const float *o = w.o + r * dvp;
      for (int64_t e = 0; e < dv; ++e)
        out[e * a.outStrides[3]] = o[e] / rowSum[r];
    }
  }
}

} // namespace

#endif // SLIM_RUNTIME_KERNELS_ATTENTIONIMPL_H
