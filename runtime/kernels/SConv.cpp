//===- SConv.cpp - Convolutions on the GEMM kernels -----------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// sconv2d (f32) and qconv2d (int8): output pixels in blocks; each block's
// patches are gathered (im2col) into a scratch of pixels x K elements, the
// ISA's GEMM kernel multiplies it by the packed filter into a pixels x F
// scratch (or straight into an NHWC output), which is written to the
// output in its layout (NCHW transposes it). f32 NCHW instead packs the
// patches as the kernel's right operand (sconvNchw). Blocks run in
// parallel over batches and pixels. Depthwise convolutions have their own
// loops (DwConvImpl.h). Compiled for baseline x86-64 (the kernels are the
// ISA's).
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"
#include "DwConvImpl.h"
#include "Parallel.h"
#include "QGemmImpl.h"
#include "SGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <emmintrin.h>
#include <cstring>
#include <type_traits>
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

/// The patches of output pixels [p0, p0 + rows) of an NHWC image as rows
/// of `patches` (K elements each, taps in (kh, kw, c) order): C contiguous
/// values per tap. (NCHW inputs come here as NHWC copies, or, for f32,
/// take sconvNchw's panels.)
template <typename T>
void gatherPatches(const ConvGeometry &a, const T *image, int64_t p0,
                   int64_t rows, int64_t k, T *patches) {
  const int64_t c = a.c, kh = a.kh, kw = a.kw, ow = a.ow;
  const int64_t sh = a.strideH, sw = a.strideW, dh = a.dilationH,
                dw = a.dilationW;
  const int64_t *xs = a.xStrides;
  // Each tap's c contiguous values (xs[3] == 1) copied as `bytes`, a
  // constant where it is one of the small sizes (a grouped convolution's
  // few channels per group: a move, not a libc call per tap).
  auto gather = [&](auto bytes) {
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = (p0 + r) / ow, j = (p0 + r) % ow;
      T *row = patches + r * k;
      for (int64_t p = 0; p < kh; ++p)
        for (int64_t q = 0; q < kw; ++q, row += c) {
          const T *tap =
              image + (i * sh + p * dh) * xs[1] + (j * sw + q * dw) * xs[2];
          if (xs[3] == 1) {
            std::memcpy(row, tap, bytes);
            continue;
          }
          for (int64_t ch = 0; ch < c; ++ch)
            row[ch] = tap[ch * xs[3]];
        }
    }
  };
  switch (xs[3] == 1 ? c * sizeof(T) : 0) {
  case 1: return gather(std::integral_constant<size_t, 1>());
  case 2: return gather(std::integral_constant<size_t, 2>());
  case 4: return gather(std::integral_constant<size_t, 4>());
  case 8: return gather(std::integral_constant<size_t, 8>());
  case 16: return gather(std::integral_constant<size_t, 16>());
  case 32: return gather(std::integral_constant<size_t, 32>());
  default: return gather(size_t(c * sizeof(T)));
  }
}

/// 16 bytes of 16 rows (src + t * srcStride, t < 16) written transposed:
/// byte t of row jj at dst + jj * dstStride + t. SSE2 (baseline x86-64):
/// four rounds of the perfect shuffle (row i interleaved with row i + 8),
/// 64 shuffles for 256 bytes where a scalar transpose takes 512 loads and
/// stores.
static void transpose16x16(const uint8_t *src, int64_t srcStride, uint8_t *dst,
                           int64_t dstStride) {
  __m128i r[16], o[16];
  for (int t = 0; t < 16; ++t)
    r[t] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + t * srcStride));
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 8; ++i) {
      o[2 * i] = _mm_unpacklo_epi8(r[i], r[i + 8]);
      o[2 * i + 1] = _mm_unpackhi_epi8(r[i], r[i + 8]);
    }
    for (int i = 0; i < 16; ++i)
      r[i] = o[i];
  }
  for (int k = 0; k < 16; ++k)
    _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + k * dstStride), r[k]);
}

/// A rows x cols byte matrix transposed: dst[j * dstStride + i] =
/// src[i * srcStride + j], in 16 x 16 blocks (transpose16x16), then the
/// last columns of the blocked rows and every column of the other rows.
static void transposeBytes(const uint8_t *src, int64_t srcStride,
                           uint8_t *dst, int64_t dstStride, int64_t rows,
                           int64_t cols) {
  int64_t i0 = 0, j0 = 0;
  for (; i0 + 16 <= rows; i0 += 16)
    for (j0 = 0; j0 + 16 <= cols; j0 += 16)
      transpose16x16(src + i0 * srcStride + j0, srcStride,
                     dst + j0 * dstStride + i0, dstStride);
  for (int64_t i = 0; i < rows; ++i) {
    const uint8_t *__restrict from = src + i * srcStride;
    uint8_t *__restrict to = dst + i;
    for (int64_t j = i < i0 ? j0 : 0; j < cols; ++j)
      to[j * dstStride] = from[j];
  }
}

/// n bytes from src to dst (not overlapping) with fixed-size moves: 16 at a
/// time (the last 16 overlapping the one before), or two overlapping
/// halves of 8, 4 or 2 below that.
static inline void copyBytes(uint8_t *dst, const uint8_t *src, int64_t n) {
  if (n >= 16) {
    for (int64_t j = 0; j + 16 <= n; j += 16)
      std::memcpy(dst + j, src + j, 16);
    std::memcpy(dst + n - 16, src + n - 16, 16);
  } else if (n >= 8) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + n - 4, src + n - 4, 4);
  } else if (n >= 2) {
    std::memcpy(dst, src, 2);
    std::memcpy(dst + n - 2, src + n - 2, 2);
  } else if (n == 1) {
    dst[0] = src[0];
  }
}

/// n bytes of dst set to v, the same way.
static inline void fillBytes(uint8_t *dst, uint8_t v, int64_t n) {
  uint8_t pattern[16];
  for (uint8_t &p : pattern)
    p = v;
  copyBytes(dst, pattern, n < 16 ? n : 16);
  for (int64_t j = 16; j < n; j += 16)
    copyBytes(dst + j, pattern, n - j < 16 ? n - j : 16);
}

/// The input of `a` copied, padded by a.pad with `fill`, into `out` (n x
/// (h + top + bottom) x (w + left + right) x c elements, dense): in NHWC
/// when `toNhwc`, else in a's layout. NCHW into NHWC walks each padded
/// row's channels outside (contiguous reads, the row's writes in L1).
/// Returns a's geometry for reading the copy: padded sizes, no padding,
/// dense strides, the copy's layout in `nhwc`.
template <typename T>
ConvGeometry paddedCopy(const ConvGeometry &a, const T *x, T fill, bool toNhwc,
                        T *out) {
  ConvGeometry g = a;
  int64_t top = a.pad[0], left = a.pad[1];
  g.h = a.h + a.pad[0] + a.pad[2];
  g.w = a.w + a.pad[1] + a.pad[3];
  for (int64_t &p : g.pad)
    p = 0;
  g.nhwc = toNhwc || a.nhwc;
  int64_t c = a.c, hp = g.h, wp = g.w;
  if (g.nhwc) {
    int64_t s[4] = {hp * wp * c, wp * c, c, 1};
    std::copy(s, s + 4, g.xStrides);
  } else {
    int64_t s[4] = {c * hp * wp, hp * wp, wp, 1};
    std::copy(s, s + 4, g.xStrides);
  }
  const int64_t *xs = a.xStrides;
  // Strides of x along (channel, row, column).
  int64_t sc = a.nhwc ? xs[3] : xs[1], sh = a.nhwc ? xs[1] : xs[2],
          sw = a.nhwc ? xs[2] : xs[3];
  // NCHW bytes to NHWC, no padding, dense rows: each image is a [C, H * W]
  // matrix to transpose, in 16 x 16 blocks over the flattened pixels (a
  // 7 x 7 plane is three blocks of pixels, not seven rows of 7).
  if constexpr (sizeof(T) == 1)
    if (g.nhwc && !a.nhwc && sw == 1 && sh == a.w && !a.pad[0] &&
        !a.pad[1] && !a.pad[2] && !a.pad[3]) {
      const int64_t pixels = a.h * a.w;
      forEachRowRange(a.n, /*granule=*/1, threadsFor(a.n * pixels * c),
                      [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b)
          transposeBytes(reinterpret_cast<const uint8_t *>(x + b * xs[0]), sc,
                         reinterpret_cast<uint8_t *>(out + b * pixels * c), c,
                         c, pixels);
      });
      return g;
    }
  forEachRowRange(a.n * hp, /*granule=*/1, threadsFor(a.n * hp * wp * c),
                  [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t b = r / hp, i = r % hp - top;
      const T *image = x + b * xs[0];
      bool inside = i >= 0 && i < a.h;
      if (g.nhwc) {
        T *row = out + r * wp * c;
        if (!inside) {
          std::fill(row, row + wp * c, fill);
          continue;
        }
        std::fill(row, row + left * c, fill);
        std::fill(row + (left + a.w) * c, row + wp * c, fill);
        T *body = row + left * c;
        if (a.nhwc && sc == 1 && sw == c) {
          std::memcpy(body, image + i * sh, a.w * c * sizeof(T));
          continue;
        }
        if (a.nhwc && sc == 1) {
          for (int64_t j = 0; j < a.w; ++j)
            std::memcpy(body + j * c, image + i * sh + j * sw, c * sizeof(T));
          continue;
        }
        int64_t ch0 = 0, j0 = 0;
        if constexpr (sizeof(T) == 1) {
          // NCHW rows of bytes: 16 channels x 16 pixels at a time.
          if (!a.nhwc && sw == 1)
            for (; ch0 + 16 <= c; ch0 += 16) {
              const T *src = image + ch0 * sc + i * sh;
              for (j0 = 0; j0 + 16 <= a.w; j0 += 16)
                transpose16x16(reinterpret_cast<const uint8_t *>(src + j0), sc,
                               reinterpret_cast<uint8_t *>(body + j0 * c + ch0),
                               c);
            }
        }
        // What the blocks left: the last columns of the blocked channels,
        // then every column of the other channels.
        for (int64_t ch = 0; ch < c; ++ch) {
          const T *src = image + ch * sc + i * sh;
          for (int64_t j = ch < ch0 ? j0 : 0; j < a.w; ++j)
            body[j * c + ch] = src[j * sw];
        }
        continue;
      }
      if constexpr (sizeof(T) == 1)
        if (sw == 1) {
          // Bytes: each padded row filled, then its body copied, with
          // fixed-size moves (a 7-pixel row is not worth three calls).
          for (int64_t ch = 0; ch < c; ++ch) {
            T *row = out + ((b * c + ch) * hp + i + top) * wp;
            fillBytes(reinterpret_cast<uint8_t *>(row), uint8_t(fill), wp);
            if (inside)
              copyBytes(reinterpret_cast<uint8_t *>(row + left),
                        reinterpret_cast<const uint8_t *>(image + ch * sc +
                                                          i * sh),
                        a.w);
          }
          continue;
        }
      for (int64_t ch = 0; ch < c; ++ch) {
        T *row = out + ((b * c + ch) * hp + i + top) * wp;
        if (!inside) {
          std::fill(row, row + wp, fill);
          continue;
        }
        std::fill(row, row + left, fill);
        std::fill(row + left + a.w, row + wp, fill);
        const T *src = image + ch * sc + i * sh;
        if (sw == 1) {
          std::memcpy(row + left, src, a.w * sizeof(T));
          continue;
        }
        for (int64_t j = 0; j < a.w; ++j)
          row[left + j] = src[j * sw];
      }
    }
  });
  return g;
}

/// Whether `a` pads its input.
bool pads(const ConvGeometry &a) {
  return a.pad[0] || a.pad[1] || a.pad[2] || a.pad[3];
}

/// Elements of paddedCopy's result.
int64_t paddedElements(const ConvGeometry &a) {
  return a.n * a.c * (a.h + a.pad[0] + a.pad[2]) * (a.w + a.pad[1] + a.pad[3]);
}

/// The output's element (image b, filter fi, pixel (i, j)) in `y`, laid
/// out as `a` says.
template <typename Y>
Y &outputAt(const ConvGeometry &a, Y *y, int64_t b, int64_t fi, int64_t i,
            int64_t j) {
  const int64_t *s = a.yStrides;
  return a.nhwc ? y[b * s[0] + i * s[1] + j * s[2] + fi * s[3]]
                : y[b * s[0] + fi * s[1] + i * s[2] + j * s[3]];
}

/// Threads for a convolution: one under kParallelWork multiply-adds (each
/// output reads C channels' taps, or one channel's when depthwise).
int convThreads(const ConvGeometry &a) {
  return threadsFor(a.n * a.oh * a.ow * a.f * (a.depthwise ? 1 : a.c) * a.kh *
                    a.kw);
}

/// Calls fn(scratch, b, p0, pixels) for every block of `blockPixels`
/// output pixels (the last one shorter) of every image, the blocks split
/// over the threads; each thread makes its scratch once with makeScratch().
template <typename MakeScratch, typename Fn>
void forEachPixelBlock(const ConvGeometry &a, int64_t blockPixels,
                       MakeScratch makeScratch, Fn fn) {
  int64_t pixels = a.oh * a.ow;
  int64_t blocks = (pixels + blockPixels - 1) / blockPixels;
  int64_t items = a.n * blocks;
  int threads = convThreads(a);
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) if (threads > 1)
#endif
  {
    auto scratch = makeScratch();
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int64_t item = 0; item < items; ++item) {
      int64_t p0 = (item % blocks) * blockPixels;
      fn(scratch, item / blocks, p0, std::min(blockPixels, pixels - p0));
    }
  }
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

/// A block's scratch: the gathered patches and the block's result.
template <typename T, typename C> struct ConvScratch {
  T *patches;
  C *out;
  /// This thread's buffers for `patches` and `out` elements.
  static ConvScratch get(int64_t patches, int64_t out) {
    return {static_cast<T *>(threadScratch(Scratch::ConvPatches,
                                           sizeof(T) * size_t(patches))),
            static_cast<C *>(
                threadScratch(Scratch::ConvOut, sizeof(C) * size_t(out)))};
  }
};

/// This thread's buffer for a padded copy of `a`'s input.
/// Bytes allocated past the padded copy (QConvArgs::xSlack).
constexpr int64_t kPaddedSlack = 64;

template <typename T> T *paddedBuffer(const ConvGeometry &a) {
  return static_cast<T *>(threadScratch(
      Scratch::ConvInput,
      sizeof(T) * size_t(paddedElements(a)) + size_t(kPaddedSlack)));
}

void sconvNchw(Isa isa, const SConvArgs &a) {
  int64_t pixels = a.oh * a.ow, k = a.c * a.kh * a.kw;
  SGemmKernel kernel = sgemmKernelFor(isa);
  int64_t blockPixels = kConvPanels * 16;
  // The result's pixels of one filter must be one row of the kernel's C:
  // contiguous along (h, w).
  bool direct = a.yStrides[3] == 1 && a.yStrides[2] == a.ow;
  auto scratch = [&] {
    return ConvScratch<float, float>::get(blockPixels * std::max<int64_t>(k, 1),
                                          direct ? 0 : a.f * blockPixels);
  };
  forEachPixelBlock(a, blockPixels, scratch, [&](ConvScratch<float, float> &w,
                                                 int64_t b, int64_t p0,
                                                 int64_t cols) {
    int64_t panels = (cols + 15) / 16;
    packPatchPanels(a, a.x + b * a.xStrides[0], p0, panels, pixels,
                    w.patches);
    float *c = direct ? a.y + b * a.yStrides[0] + p0 : w.out;
    int64_t ldc = direct ? a.yStrides[1] : blockPixels;
    auto at = [&](int64_t fi, int64_t r) -> float & {
      return outputAt(a, a.y, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow);
    };
    if (!direct && a.accumulate)
      for (int64_t fi = 0; fi < a.f; ++fi)
        for (int64_t r = 0; r < cols; ++r)
          w.out[fi * blockPixels + r] = at(fi, r);
    if (k > 0) {
      SGemmTask t;
      t.a = a.packedB; // the filter, F x K
      t.lda = k;
      t.b = w.patches;
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
      return;
    for (int64_t fi = 0; fi < a.f; ++fi)
      for (int64_t r = 0; r < cols; ++r) {
        float v = c[fi * ldc + r];
        v = a.bias ? v + a.bias[fi] : v;
        if (direct)
          c[fi * ldc + r] = v;
        else
          at(fi, r) = v;
      }
  });
}

/// Writes a block's result (rows x F, `out`) to the output `y` in its
/// layout (NCHW: each filter's pixels in a row; NHWC: each pixel's
/// filters), each value through store(value, filter).
template <typename Y, typename T, typename Store>
void storeBlock(const ConvGeometry &a, Y *y, int64_t b, int64_t p0,
                int64_t rows, const T *out, Store store) {
  auto put = [&](int64_t r, int64_t fi) {
    outputAt(a, y, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow) =
        store(out[r * a.f + fi], fi);
  };
  if (a.nhwc) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t fi = 0; fi < a.f; ++fi)
        put(r, fi);
  } else if (a.yStrides[3] == 1 && a.yStrides[2] == a.ow) {
    // Each filter's pixels are consecutive in its plane: 16 filters at a
    // time, each block row read once (64 bytes) and written to 16 planes.
    for (int64_t f0 = 0; f0 < a.f; f0 += 16) {
      int64_t fe = std::min<int64_t>(16, a.f - f0);
      Y *planes[16];
      for (int64_t t = 0; t < fe; ++t)
        planes[t] = &outputAt(a, y, b, f0 + t, 0, 0) + p0;
      for (int64_t r = 0; r < rows; ++r) {
        const T *src = out + r * a.f + f0;
        for (int64_t t = 0; t < fe; ++t)
          planes[t][r] = store(src[t], f0 + t);
      }
    }
  } else {
    for (int64_t fi = 0; fi < a.f; ++fi)
      for (int64_t r = 0; r < rows; ++r)
        put(r, fi);
  }
}

/// storeBlock for bytes into NCHW planes whose pixels are consecutive: the
/// block's rows x F bytes transposed into the F planes.
void storeBytesToPlanes(const ConvGeometry &a, int8_t *y, int64_t b,
                        int64_t p0, int64_t rows, const int8_t *out) {
  transposeBytes(reinterpret_cast<const uint8_t *>(out), a.f,
                 reinterpret_cast<uint8_t *>(y + b * a.yStrides[0] + p0),
                 a.yStrides[1], rows, a.f);
}

/// NHWC in f32: blocks of patches as rows times the packed filter.
void sconvNhwc(Isa isa, const SConvArgs &a) {
  int64_t k = a.c * a.kh * a.kw;
  SGemmKernel kernel = sgemmKernelFor(isa);
  PackedF32Shape s = packedF32Shape(k, a.f);
  auto scratch = [&] {
    return ConvScratch<float, float>::get(kConvPixels * std::max<int64_t>(k, 1),
                                          kConvPixels * a.f);
  };
  forEachPixelBlock(a, kConvPixels, scratch, [&](ConvScratch<float, float> &w,
                                                 int64_t b, int64_t p0,
                                                 int64_t rows) {
    gatherPatches(a, a.x + b * a.xStrides[0], p0, rows, k, w.patches);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t fi = 0; fi < a.f; ++fi)
        w.out[r * a.f + fi] =
            a.accumulate ? outputAt(a, a.y, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow)
                         : 0.0f;
    if (k > 0) {
      SGemmTask t;
      t.a = w.patches;
      t.lda = k;
      t.b = a.packedB;
      t.c = w.out;
      t.ldc = a.f;
      t.m = rows;
      t.n = a.f;
      t.k = k;
      t.accumulate = a.accumulate;
      kernel(t, 0, s.np / 16);
    }
    storeBlock(a, a.y, b, p0, rows, w.out, [&](float v, int64_t fi) {
      return a.bias ? v + a.bias[fi] : v;
    });
  });
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
  if (a.n <= 0 || a.f <= 0 || a.oh * a.ow <= 0)
    return;
  if (pads(a)) {
    // One padded copy (+0), then the convolution of that.
    float *padded = paddedBuffer<float>(a);
    SConvArgs inner = a;
    static_cast<ConvGeometry &>(inner) =
        paddedCopy(a, a.x, 0.0f, /*toNhwc=*/false, padded);
    inner.x = padded;
    return sconv2d(isa, inner);
  }
  if (a.depthwise)
    return dwConv(isa, a);
  if (!a.nhwc)
    return sconvNchw(isa, a);
  sconvNhwc(isa, a);
}

//===----------------------------------------------------------------------===//
// qconv2d
//===----------------------------------------------------------------------===//

namespace {

/// Output pixels per int8 block: the AMX kernel copies its rows into tiles
/// once per call, so it gets more of them.
int64_t qconvBlockPixels(Isa isa) { return isa == Isa::Amx ? 256 : 64; }

/// A dense int8 convolution: blocks of pixels gathered as rows (shifted by
/// 128 for the vpdpbusd kernels when x is signed, corrected by the column
/// addend), multiplied by the packed filter. Grouped: each block's rows
/// gathered and multiplied group by group (the group's channels of every
/// tap, its packed filter), each group writing its columns of the block's
/// sums, which are then requantized and stored once.
void qconvDense(Isa isa, const QConvArgs &a) {
  const int64_t groups = a.groups, cg = a.c / groups, fg = a.f / groups;
  int64_t k = cg * a.kh * a.kw;
  PackedInt8Shape s = packedInt8Shape(k, fg);
  const int64_t groupBytes = s.bytes();
  // What every pixel gets added, per group: the bias, and for shifted rows
  // -128 * colsum(W).
  // (The calling thread's scratch: the blocks' threads only read it.)
  auto *plain = static_cast<int32_t *>(threadScratch(
      Scratch::ConvAddends, 2 * sizeof(int32_t) * size_t(groups * s.np)));
  int32_t *shifted = plain + groups * s.np;
  for (int64_t g = 0; g < groups; ++g) {
    const int8_t *sums = a.packedB + g * groupBytes + s.kp * s.np;
    const int32_t *bias = a.bias ? a.bias + g * fg : nullptr;
    qgemmColumnAddend(sums, s, bias, /*shift=*/false, plain + g * s.np);
    qgemmColumnAddend(sums, s, bias, /*shift=*/true, shifted + g * s.np);
  }
  // The patches are read from an NHWC image (C contiguous bytes per tap):
  // the input itself when it is one, unpadded, else a padded copy.
  const auto *source = static_cast<const uint8_t *>(a.x);
  ConvGeometry in = a;
  if (!a.nhwc || pads(a) || a.xStrides[3] != 1) {
    uint8_t *copy = paddedBuffer<uint8_t>(a);
    in = paddedCopy(a, source, a.padValue, /*toNhwc=*/true, copy);
    source = copy;
  }
  bool pointwise = a.kh == 1 && a.kw == 1 && a.strideH == 1 &&
                   a.strideW == 1 && in.xStrides[3] == 1 &&
                   in.xStrides[2] == a.c && in.xStrides[1] == a.w * a.c &&
                   in.w == a.ow;
  // One group's view of the image: its C / groups channels of each pixel
  // (the pixel strides stay the whole image's).
  ConvGeometry inGroup = in;
  inGroup.c = cg;
  int64_t blockPixels = qconvBlockPixels(isa);
  // NHWC rows of int32 pixels one stride apart can be the kernel's C.
  auto *y32 = static_cast<int32_t *>(a.y);
  bool requantize = a.multipliers != nullptr;
  bool direct = !requantize && a.nhwc && a.yStrides[3] == 1 &&
                a.yStrides[1] == a.ow * a.yStrides[2];
  QRequantizeRows requantizeRows = byVectorWidth<QRequantizeRows>(
      isa, qRequantizeRowsSse2, qRequantizeRowsAvx2, qRequantizeRowsAvx512);
  using Block = ConvScratch<uint8_t, int32_t>;
  auto scratch = [&] {
    return Block::get(blockPixels * std::max<int64_t>(k, 1),
                      direct ? 0 : blockPixels * a.f);
  };
  forEachPixelBlock(a, blockPixels, scratch, [&](Block &w, int64_t b,
                                                 int64_t p0, int64_t rows) {
    Isa blockIsa = qgemmIsaForRows(isa, rows);
    bool shift = a.xSigned && qgemmShiftsSigned(blockIsa);
    int32_t *c =
        direct ? y32 + b * a.yStrides[0] + p0 * a.yStrides[2] : w.out;
    int64_t ldc = direct ? a.yStrides[2] : a.f;
    if (!direct && a.accumulate)
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t fi = 0; fi < a.f; ++fi)
          w.out[r * a.f + fi] =
              outputAt(a, y32, b, fi, (p0 + r) / a.ow, (p0 + r) % a.ow);
    const uint8_t *image = source + b * in.xStrides[0];
    for (int64_t g = 0; g < groups; ++g) {
      // A 1 x 1 window at stride 1 over an NHWC image whose pixels are C
      // bytes apart: the patches are the image's pixels themselves (their
      // group's channels, rows C bytes apart).
      const uint8_t *patches = w.patches;
      int64_t lda = k;
      if (pointwise && !shift) {
        patches = image + p0 * in.c + g * cg;
        lda = in.c;
      } else {
        gatherPatches(inGroup, image + g * cg, p0, rows, k, w.patches);
      }
      if (shift) {
        // x + 128 as u8: the top bit flipped.
        uint8_t *bytes = w.patches;
        for (int64_t i = 0, e = rows * k; i < e; ++i)
          bytes[i] ^= 0x80;
      }
      int32_t *cg0 = c + g * fg;
      const int32_t *groupPlain = plain + g * s.np;
      if (k > 0) {
        QGemmTask t;
        t.a = patches;
        t.lda = lda;
        t.b = a.packedB + g * groupBytes;
        t.kp = s.kp;
        t.c = cg0;
        t.ldc = ldc;
        t.m = rows;
        t.n = fg;
        t.k = k;
        t.aSigned = a.xSigned && !shift;
        t.accumulate = a.accumulate;
        t.colAdd = shift ? shifted + g * s.np : groupPlain;
        qgemmKernelFor(blockIsa)(t, 0, s.np / 16);
      } else {
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t fi = 0; fi < fg; ++fi)
            cg0[r * ldc + fi] = wrapAdd(
                a.accumulate ? cg0[r * ldc + fi] : 0, groupPlain[fi]);
      }
    }
    if (requantize) {
      // The block's sums, still in cache, become the output's bytes.
      auto *bytes = static_cast<int8_t *>(
          threadScratch(Scratch::ConvBytes, size_t(rows * a.f)));
      requantizeRows(a, w.out, rows, bytes);
      if (!a.nhwc && a.yStrides[3] == 1 && a.yStrides[2] == a.ow)
        storeBytesToPlanes(a, static_cast<int8_t *>(a.y), b, p0, rows, bytes);
      else
        storeBlock(a, static_cast<int8_t *>(a.y), b, p0, rows, bytes,
                   [](int8_t v, int64_t) { return v; });
    } else if (!direct) {
      storeBlock(a, y32, b, p0, rows, w.out,
                 [](int32_t v, int64_t) { return v; });
    }
  });
}

} // namespace

SLIM_QDW_STEPS(Sse2)

void slim::runtime::qconv2d(Isa isa, const QConvArgs &a) {
  if (a.n <= 0 || a.f <= 0 || a.oh * a.ow <= 0)
    return;
  if (!a.depthwise)
    return qconvDense(isa, a);
  // Depthwise reads the input in its own layout: padded, a padded copy.
  QConvArgs in = a;
  if (pads(a)) {
    uint8_t *copy = paddedBuffer<uint8_t>(a);
    static_cast<ConvGeometry &>(in) =
        paddedCopy(a, static_cast<const uint8_t *>(a.x), a.padValue,
                   /*toNhwc=*/false, copy);
    in.x = copy;
    in.xSlack = kPaddedSlack;
  }
  QDwConvRows rows =
      byVectorWidth<QDwConvRows>(isa, qDwConvSse2, qDwConvAvx2, qDwConvAvx512);
  forEachRowRange(a.nhwc ? a.n * a.oh : a.n * a.c, /*granule=*/1,
                  convThreads(a),
                  [&](int64_t i0, int64_t i1) { rows(in, i0, i1); });
}
