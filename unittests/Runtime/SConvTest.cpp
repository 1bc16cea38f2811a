//===- SConvTest.cpp - f32 convolution against fma chains -----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// sconv2d on every ISA the host runs, bit for bit against one std::fma
// chain per output over (c, kh, kw) (NCHW) or (kh, kw, c) (NHWC), or (kh,
// kw) for depthwise, computed here from the unpacked filter: odd sizes,
// strides, dilations, more than one block of pixels, accumulation, a bias,
// batches, threads.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"

#include "gtest/gtest.h"

#include <cmath>
#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

using namespace slim::runtime;

namespace {

struct Case {
  int64_t n, c, h, w, f, kh, kw, stride, dilation;
  bool nhwc, accumulate, bias;
  /// Depthwise (f == c): the taps of channel c only, in (kh, kw) order.
  bool depthwise = false;
  /// Padding (top, left, bottom, right) with +0.
  int64_t pad[4] = {0, 0, 0, 0};
};

void check(Isa isa, const Case &t, std::mt19937 &rng) {
  int64_t oh =
      (t.h + t.pad[0] + t.pad[2] - t.dilation * (t.kh - 1) - 1) / t.stride + 1;
  int64_t ow =
      (t.w + t.pad[1] + t.pad[3] - t.dilation * (t.kw - 1) - 1) / t.stride + 1;
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> x(t.n * t.c * t.h * t.w),
      wt((t.depthwise ? 1 : t.f) * t.c * t.kh * t.kw),
      y(t.n * t.f * oh * ow), bias(t.f);
  for (auto *v : {&x, &wt, &y, &bias})
    for (float &e : *v)
      e = normal(rng);
  int64_t k = t.c * t.kh * t.kw;
  // B (K x F) in the order of the layout; the filter as FCHW here.
  // (CHW for depthwise, where ch == fi.)
  auto filter = [&](int64_t fi, int64_t ch, int64_t p, int64_t q) {
    return t.depthwise ? wt[(fi * t.kh + p) * t.kw + q]
                       : wt[((fi * t.c + ch) * t.kh + p) * t.kw + q];
  };
  std::vector<float> b(t.depthwise ? 0 : k * t.f);
  for (int64_t fi = 0; fi < (t.depthwise ? 0 : t.f); ++fi)
    for (int64_t ch = 0; ch < t.c; ++ch)
      for (int64_t p = 0; p < t.kh; ++p)
        for (int64_t q = 0; q < t.kw; ++q) {
          int64_t row = t.nhwc ? (p * t.kw + q) * t.c + ch
                               : (ch * t.kh + p) * t.kw + q;
          b[row * t.f + fi] = filter(fi, ch, p, q);
        }
  // NHWC: B packed as a right-hand side; NCHW: the filter itself, F x K;
  // depthwise: taps-major, channels padded to 16.
  std::vector<float> packed(
      t.depthwise ? packedDepthwiseElements(t.c, t.kh, t.kw)
      : t.nhwc    ? packedF32Shape(k, t.f).elements()
                  : t.f * k);
  int64_t cp = (t.c + 15) / 16 * 16;
  if (t.depthwise)
    for (int64_t ch = 0; ch < t.c; ++ch)
      for (int64_t p = 0; p < t.kh; ++p)
        for (int64_t q = 0; q < t.kw; ++q)
          packed[(p * t.kw + q) * cp + ch] = filter(ch, ch, p, q);
  else if (t.nhwc)
    packF32Rhs(b.data(), t.f, 1, k, t.f, packed.data());
  else
    std::copy(wt.begin(), wt.end(), packed.begin());
  // (i, j) in the padded image.
  auto xAt = [&](int64_t bt, int64_t ch, int64_t i, int64_t j) {
    i -= t.pad[0];
    j -= t.pad[1];
    if (i < 0 || i >= t.h || j < 0 || j >= t.w)
      return 0.0f;
    return t.nhwc ? x[((bt * t.h + i) * t.w + j) * t.c + ch]
                  : x[((bt * t.c + ch) * t.h + i) * t.w + j];
  };
  auto yIndex = [&](int64_t bt, int64_t fi, int64_t i, int64_t j) {
    return t.nhwc ? ((bt * oh + i) * ow + j) * t.f + fi
                  : ((bt * t.f + fi) * oh + i) * ow + j;
  };
  std::vector<float> want = y;
  for (int64_t bt = 0; bt < t.n; ++bt)
    for (int64_t fi = 0; fi < t.f; ++fi)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          float &o = want[yIndex(bt, fi, i, j)];
          float acc = t.accumulate ? o : 0.0f;
          auto tap = [&](int64_t ch, int64_t p, int64_t q) {
            acc = std::fma(xAt(bt, ch, i * t.stride + p * t.dilation,
                               j * t.stride + q * t.dilation),
                           filter(fi, ch, p, q), acc);
          };
          if (t.depthwise) {
            for (int64_t p = 0; p < t.kh; ++p)
              for (int64_t q = 0; q < t.kw; ++q)
                tap(fi, p, q);
          } else if (t.nhwc) {
            for (int64_t p = 0; p < t.kh; ++p)
              for (int64_t q = 0; q < t.kw; ++q)
                for (int64_t ch = 0; ch < t.c; ++ch)
                  tap(ch, p, q);
          } else {
            for (int64_t ch = 0; ch < t.c; ++ch)
              for (int64_t p = 0; p < t.kh; ++p)
                for (int64_t q = 0; q < t.kw; ++q)
                  tap(ch, p, q);
          }
          o = t.bias ? acc + bias[fi] : acc;
        }
  SConvArgs a;
  a.nhwc = t.nhwc;
  slim::test::setConvShape(a, t.n, t.c, t.h, t.w, t.f, t.kh, t.kw, t.stride,
                           t.dilation, 0, t.pad);
  a.x = x.data();
  a.packedB = packed.data();
  std::vector<float> got = y;
  a.y = got.data();
  a.accumulate = t.accumulate;
  a.bias = t.bias ? bias.data() : nullptr;
  a.depthwise = t.depthwise;
  sconv2d(isa, a);
  ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * 4))
      << isaName(isa) << " nhwc " << t.nhwc << " c " << t.c << " f " << t.f
      << " k " << t.kh << "x" << t.kw << " stride " << t.stride
      << " dilation " << t.dilation << " depthwise " << t.depthwise;
}

using SConvTest = slim::test::IsaTest;

TEST_P(SConvTest, Shapes) {
  std::mt19937 rng(61);
  for (bool nhwc : {false, true}) {
    check(GetParam(), {1, 3, 9, 11, 5, 3, 3, 1, 1, nhwc, false, false}, rng);
    check(GetParam(), {2, 16, 12, 10, 17, 3, 3, 2, 1, nhwc, true, true}, rng);
    check(GetParam(), {1, 7, 13, 13, 33, 3, 2, 1, 2, nhwc, false, true}, rng);
    check(GetParam(), {1, 8, 5, 5, 20, 1, 1, 1, 1, nhwc, true, false}, rng);
  }
}

TEST_P(SConvTest, Padding) {
  // Uneven padding with +0 (the runtime's padded copy), both layouts,
  // dense and depthwise, strides, dilations, a padding wider than the
  // window.
  std::mt19937 rng(71);
  for (bool nhwc : {false, true})
    for (bool depthwise : {false, true}) {
      int64_t f = depthwise ? 7 : 12;
      check(GetParam(), {1, 7, 9, 11, f, 3, 3, 2, 1, nhwc, false, true, depthwise, {1, 0, 2, 1}}, rng);
      check(GetParam(), {2, 7, 5, 6, f, 3, 2, 1, 2, nhwc, true, false, depthwise, {4, 3, 5, 2}}, rng);
    }
}

TEST_P(SConvTest, Threads) {
  std::mt19937 rng(67);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {2, 32, 18, 18, 40, 3, 3, 1, 1, false, false, true}, rng);
    check(GetParam(), {1, 32, 18, 18, 40, 3, 3, 1, 1, true, true, false}, rng);
  }
  setNumThreads(0);
}

TEST_P(SConvTest, Depthwise) {
  // Channels below, at and past a vector (16), with a partial last one;
  // output widths past 64 columns (NCHW's four vectors) and not a multiple
  // of 16 or 4; strides 1 (NCHW's straight loads, 3 x 3 unrolled or not),
  // 2 (the even-lane path, and its edge near the row's end) and 3;
  // dilation; 5 x 3 and 2 x 4 windows; accumulation, a bias, batches.
  std::mt19937 rng(73);
  for (bool nhwc : {false, true}) {
    check(GetParam(), {1, 3, 9, 11, 3, 3, 3, 1, 1, nhwc, false, false, true}, rng);
    check(GetParam(), {2, 16, 12, 70, 16, 3, 3, 1, 1, nhwc, true, true, true}, rng);
    check(GetParam(), {1, 33, 13, 75, 33, 3, 3, 2, 1, nhwc, false, true, true}, rng);
    check(GetParam(), {1, 17, 14, 40, 17, 5, 3, 3, 2, nhwc, true, false, true}, rng);
    check(GetParam(), {1, 5, 7, 36, 5, 3, 3, 2, 1, nhwc, false, false, true}, rng);
    // Stride 1, a 2 x 4 window dilated by 2 (NCHW's runtime-tap path):
    // 84 columns, 64 + 16 + a tail of 4.
    check(GetParam(), {1, 6, 11, 90, 6, 2, 4, 1, 2, nhwc, true, true, true}, rng);
  }
  for (int threads : {2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {2, 32, 30, 30, 32, 3, 3, 1, 1, false, false, true, true}, rng);
    check(GetParam(), {1, 32, 30, 30, 32, 3, 3, 2, 1, true, true, false, true}, rng);
  }
  setNumThreads(0);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(SConvTest);

} // namespace
