//===- SConv.cpp - f32 convolution on the f32 kernel ----------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// sconv2d: output pixels in blocks of kConvPixels; each block's patches are
// gathered (im2col) into a scratch of pixels x K floats, the f32 kernel
// multiplies it by the packed filter into a pixels x F scratch, which is
// written to the output in its layout (NCHW transposes it). Blocks run in
// parallel over batches and pixels. Compiled for baseline x86-64 (the
// kernel is the ISA's).
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "DwConvImpl.h"
#include "Parallel.h"
#include "SGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {

/// Output pixels per block: with K = 576 (64 channels, 3 x 3) the patches
/// take 144 KiB and stay in L2 while the kernel sweeps the filter.
constexpr int64_t kConvPixels = 64;

/// The patches of output pixels [p0, p0 + rows) as rows of `patches` (K
/// floats each, taps in (c, kh, kw) or (kh, kw, c) order). NHWC reads C
/// contiguous values per tap; NCHW 1 x 1 (a transpose of the block) walks
/// channels outside and pixels inside, reading rows of each plane.
void gatherPatches(const SConvArgs &a, const float *image, int64_t p0,
                   int64_t rows, int64_t k, float *patches) {
  if (a.nhwc) {
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = (p0 + r) / a.ow, j = (p0 + r) % a.ow;
      float *row = patches + r * k;
      for (int64_t p = 0; p < a.kh; ++p)
        for (int64_t q = 0; q < a.kw; ++q) {
          const float *tap =
              image + (i * a.strideH + p * a.dilationH) * a.xStrides[1] +
              (j * a.strideW + q * a.dilationW) * a.xStrides[2];
          for (int64_t ch = 0; ch < a.c; ++ch)
            *row++ = tap[ch * a.xStrides[3]];
        }
    }
    return;
  }
  if (a.kh * a.kw > 1) {
    // A window's taps of one channel are neighbours in the image: one
    // pixel's row at a time.
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = (p0 + r) / a.ow, j = (p0 + r) % a.ow;
      float *row = patches + r * k;
      for (int64_t ch = 0; ch < a.c; ++ch)
        for (int64_t p = 0; p < a.kh; ++p) {
          const float *line = image + ch * a.xStrides[1] +
                              (i * a.strideH + p * a.dilationH) * a.xStrides[2] +
                              j * a.strideW * a.xStrides[3];
          for (int64_t q = 0; q < a.kw; ++q)
            *row++ = line[q * a.dilationW * a.xStrides[3]];
        }
    }
    return;
  }
  int64_t t = 0;
  for (int64_t ch = 0; ch < a.c; ++ch)
    for (int64_t p = 0; p < a.kh; ++p)
      for (int64_t q = 0; q < a.kw; ++q, ++t) {
        const float *plane = image + ch * a.xStrides[1];
        for (int64_t r = 0; r < rows; ++r) {
          int64_t i = (p0 + r) / a.ow, j = (p0 + r) % a.ow;
          patches[r * k + t] =
              plane[(i * a.strideH + p * a.dilationH) * a.xStrides[2] +
                    (j * a.strideW + q * a.dilationW) * a.xStrides[3]];
        }
      }
}

/// y's element (image b, filter fi, pixel (i, j)).
float &outputAt(const SConvArgs &a, int64_t b, int64_t fi, int64_t i,
                int64_t j) {
  const int64_t *s = a.yStrides;
  return a.nhwc ? a.y[b * s[0] + i * s[1] + j * s[2] + fi * s[3]]
                : a.y[b * s[0] + fi * s[1] + i * s[2] + j * s[3]];
}

/// Threads for a convolution: one under kParallelWork multiply-adds (each
/// output reads C channels' taps, or one channel's when depthwise).
int convThreads(const SConvArgs &a) {
  return threadsFor(a.n * a.oh * a.ow * a.f * (a.depthwise ? 1 : a.c) * a.kh *
                    a.kw);
}

/// Pixels per NCHW block: 4 panels of 16, two of the AVX-512 f32 kernel's
/// 2-panel register tiles (the patches, K x 64 floats, stay in L2 with the
/// filter).
constexpr int64_t kConvPanels = 4;

/// NCHW as W (F x K) times the patches (K x pixels): the patches of 16
/// consecutive output pixels form one panel of the f32 right-hand-side
/// layout (K rows of 16 floats; for stride 1 within an output row, 16
/// contiguous values of an image row), and the kernel's rows are the
/// filters, so each block of the result is written straight into the
/// output planes.
void packPatchPanels(const SConvArgs &a, const float *image, int64_t p0,
                     int64_t panels, int64_t pixels, float *out) {
  int64_t k = a.c * a.kh * a.kw;
  for (int64_t p = 0; p < panels; ++p) {
    float *panel = out + p * k * 16;
    int64_t first = p0 + p * 16;
    int64_t live = std::min<int64_t>(16, pixels - first);
    int64_t i0 = first / a.ow, j0 = first % a.ow;
    bool run = live == 16 && j0 + 16 <= a.ow && a.strideW == 1 &&
               a.xStrides[3] == 1;
    // Where each pixel's window starts in a channel plane (0 past the end).
    int64_t start[16] = {};
    for (int64_t j = 0, i = i0, jx = j0; j < live; ++j) {
      start[j] = i * a.strideH * a.xStrides[2] + jx * a.strideW * a.xStrides[3];
      if (++jx == a.ow)
        jx = 0, ++i;
    }
    int64_t t = 0;
    for (int64_t ch = 0; ch < a.c; ++ch)
      for (int64_t kh = 0; kh < a.kh; ++kh)
        for (int64_t kw = 0; kw < a.kw; ++kw, ++t) {
          const float *tap = image + ch * a.xStrides[1] +
                             kh * a.dilationH * a.xStrides[2] +
                             kw * a.dilationW * a.xStrides[3];
          float *row = panel + t * 16;
          if (run) {
            std::memcpy(row, tap + start[0], 16 * sizeof(float));
            continue;
          }
          for (int64_t j = 0; j < 16; ++j)
            row[j] = j < live ? tap[start[j]] : 0.0f;
        }
  }
}

void sconvNchw(Isa isa, const SConvArgs &a) {
  int64_t pixels = a.oh * a.ow, k = a.c * a.kh * a.kw;
  SGemmKernel kernel = sgemmKernelFor(isa);
  int64_t blockPixels = kConvPanels * 16;
  int64_t blocks = (pixels + blockPixels - 1) / blockPixels;
  int64_t items = a.n * blocks;
  // The result's pixels of one filter must be one row of the kernel's C:
  // contiguous along (h, w).
  bool direct = a.yStrides[3] == 1 && a.yStrides[2] == a.ow;
  int threads = convThreads(a);
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) if (threads > 1)
#endif
  {
    std::vector<float> patches(static_cast<size_t>(kConvPanels * 16 * std::max<int64_t>(k, 1)));
    std::vector<float> out(direct ? 0 : static_cast<size_t>(a.f * blockPixels));
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t item = 0; item < items; ++item) {
      int64_t b = item / blocks, p0 = (item % blocks) * blockPixels;
      int64_t cols = std::min(blockPixels, pixels - p0);
      int64_t panels = (cols + 15) / 16;
      packPatchPanels(a, a.x + b * a.xStrides[0], p0, panels, pixels,
                      patches.data());
      float *c = direct ? a.y + b * a.yStrides[0] + p0 : out.data();
      int64_t ldc = direct ? a.yStrides[1] : blockPixels;
      auto at = [&](int64_t fi, int64_t r) -> float & {
        int64_t i = (p0 + r) / a.ow, j = (p0 + r) % a.ow;
        return a.y[b * a.yStrides[0] + fi * a.yStrides[1] + i * a.yStrides[2] +
                   j * a.yStrides[3]];
      };
      if (!direct && a.accumulate)
        for (int64_t fi = 0; fi < a.f; ++fi)
          for (int64_t r = 0; r < cols; ++r)
            out[fi * blockPixels + r] = at(fi, r);
      if (k > 0) {
        SGemmTask t;
        t.a = a.packedB; // the filter, F x K
        t.lda = k;
        t.b = patches.data();
        t.c = c;
        t.ldc = ldc;
        t.m = a.f;
        t.n = cols;
        t.k = k;
        t.accumulate = a.accumulate;
        kernel(t, 0, panels);
      } else if (!a.accumulate) {
        for (int64_t fi = 0; fi < a.f; ++fi)
          for (int64_t r = 0; r < cols; ++r)
            c[fi * ldc + r] = 0.0f;
      }
      // The bias per filter: one more addition after the chains (nothing
      // to do when the kernel wrote the planes and there is no bias).
      if (direct && !a.bias)
        continue;
      for (int64_t fi = 0; fi < a.f; ++fi)
        for (int64_t r = 0; r < cols; ++r) {
          float v = c[fi * ldc + r];
          v = a.bias ? v + a.bias[fi] : v;
          if (direct)
            c[fi * ldc + r] = v;
          else
            at(fi, r) = v;
        }
    }
  }
}

} // namespace

SLIM_DW_STEPS(Sse2)

/// The depthwise path: output rows (NHWC) or planes (NCHW) split over the
/// threads.
static void dwConv(Isa isa, const SConvArgs &a) {
  DwConvRows rows =
      byVectorWidth<DwConvRows>(isa, dwConvSse2, dwConvAvx2, dwConvAvx512);
  forEachRowRange(a.nhwc ? a.n * a.oh : a.n * a.c, /*granule=*/1,
                  convThreads(a),
                  [&](int64_t i0, int64_t i1) { rows(a, i0, i1); });
}

void slim::runtime::sconv2d(Isa isa, const SConvArgs &a) {
  int64_t pixels = a.oh * a.ow, k = a.c * a.kh * a.kw;
  if (a.n <= 0 || a.f <= 0 || pixels <= 0)
    return;
  if (a.depthwise)
    return dwConv(isa, a);
  if (!a.nhwc)
    return sconvNchw(isa, a);
  SGemmKernel kernel = sgemmKernelFor(isa);
  PackedF32Shape s = packedF32Shape(k, a.f);
  int64_t blocks = (pixels + kConvPixels - 1) / kConvPixels;
  int64_t items = a.n * blocks;
  int threads = convThreads(a);
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) if (threads > 1)
#endif
  {
    std::vector<float> patches(static_cast<size_t>(kConvPixels * std::max<int64_t>(k, 1)));
    std::vector<float> out(static_cast<size_t>(kConvPixels * a.f));
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t item = 0; item < items; ++item) {
      int64_t b = item / blocks, p0 = (item % blocks) * kConvPixels;
      int64_t rows = std::min(kConvPixels, pixels - p0);
      const float *image = a.x + b * a.xStrides[0];
      gatherPatches(a, image, p0, rows, k, patches.data());
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t fi = 0; fi < a.f; ++fi)
          out[r * a.f + fi] =
              a.accumulate
                  ? outputAt(a, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow)
                  : 0.0f;
      if (k > 0) {
        SGemmTask t;
        t.a = patches.data();
        t.lda = k;
        t.b = a.packedB;
        t.c = out.data();
        t.ldc = a.f;
        t.m = rows;
        t.n = a.f;
        t.k = k;
        t.accumulate = a.accumulate;
        kernel(t, 0, s.np / 16);
      }
      // NCHW writes each filter's pixels in a row; NHWC each pixel's
      // filters.
      auto store = [&](int64_t r, int64_t fi) {
        float v = out[r * a.f + fi];
        outputAt(a, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow) =
            a.bias ? v + a.bias[fi] : v;
      };
      if (a.nhwc) {
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t fi = 0; fi < a.f; ++fi)
            store(r, fi);
      } else {
        for (int64_t fi = 0; fi < a.f; ++fi)
          for (int64_t r = 0; r < rows; ++r)
            store(r, fi);
      }
    }
  }
}
