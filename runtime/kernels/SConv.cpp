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

#include "SGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
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

/// Row (c, kh, kw) or (kh, kw, c) of the patch of output pixel (i, j).
void gatherPatch(const SConvArgs &a, const float *image, int64_t i, int64_t j,
                 float *row) {
  int64_t y0 = i * a.strideH, x0 = j * a.strideW;
  if (a.nhwc) {
    // Strides (n, h, w, c): C contiguous values per tap.
    for (int64_t p = 0; p < a.kh; ++p)
      for (int64_t q = 0; q < a.kw; ++q) {
        const float *tap = image + (y0 + p * a.dilationH) * a.xStrides[1] +
                           (x0 + q * a.dilationW) * a.xStrides[2];
        for (int64_t ch = 0; ch < a.c; ++ch)
          *row++ = tap[ch * a.xStrides[3]];
      }
    return;
  }
  // Strides (n, c, h, w).
  for (int64_t ch = 0; ch < a.c; ++ch)
    for (int64_t p = 0; p < a.kh; ++p) {
      const float *line = image + ch * a.xStrides[1] +
                          (y0 + p * a.dilationH) * a.xStrides[2] +
                          x0 * a.xStrides[3];
      for (int64_t q = 0; q < a.kw; ++q)
        *row++ = line[q * a.dilationW * a.xStrides[3]];
    }
}

/// y's element (image b, filter fi, pixel (i, j)).
float &outputAt(const SConvArgs &a, int64_t b, int64_t fi, int64_t i,
                int64_t j) {
  const int64_t *s = a.yStrides;
  return a.nhwc ? a.y[b * s[0] + i * s[1] + j * s[2] + fi * s[3]]
                : a.y[b * s[0] + fi * s[1] + i * s[2] + j * s[3]];
}

} // namespace

void slim::runtime::sconv2d(Isa isa, const SConvArgs &a) {
  int64_t pixels = a.oh * a.ow, k = a.c * a.kh * a.kw;
  if (a.n <= 0 || a.f <= 0 || pixels <= 0)
    return;
  SGemmKernel kernel = sgemmKernelFor(isa);
  PackedF32Shape s = packedF32Shape(k, a.f);
  int64_t blocks = (pixels + kConvPixels - 1) / kConvPixels;
  int64_t items = a.n * blocks;
  int threads = getNumThreads();
  if (a.n * pixels * a.f * k < (int64_t(1) << 18))
    threads = 1;
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
      for (int64_t r = 0; r < rows; ++r)
        gatherPatch(a, image, (p0 + r) / a.ow, (p0 + r) % a.ow,
                    patches.data() + r * k);
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
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t fi = 0; fi < a.f; ++fi) {
          float v = out[r * a.f + fi];
          outputAt(a, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow) =
              a.bias ? v + a.bias[fi] : v;
        }
    }
  }
}
