//===- QConvTest.cpp - int8 convolution against the integer formula -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// qconv2d on every ISA the host runs, bit for bit against the sums of
// products computed here in 64-bit integers and wrapped to int32, from the
// unpacked filter: uint8 and int8 inputs over their full ranges (the
// values at both ends included), full-range weights, odd sizes, strides,
// dilations, blocks of pixels past one (64, and AMX's 256) with a tail
// below 16 rows, accumulation, a bias, batches, threads, strided outputs,
// padding with a byte value; depthwise in both layouts.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"
#include "slim/Numerics/Quantization.h"

#include "gtest/gtest.h"

#include <cstring>
#include <iterator>
#include <optional>
#include <random>
#include <vector>

using namespace slim::runtime;

namespace {

struct Case {
  int64_t n, c, h, w, f, kh, kw, stride, dilation;
  bool nhwc, accumulate, bias, xSigned;
  bool depthwise = false;
  /// Padding (top, left, bottom, right) filled with the byte `padValue`.
  int64_t pad[4] = {0, 0, 0, 0};
  uint8_t padValue = 0;
  /// A requantize epilogue (not with accumulate): per-filter multipliers
  /// from 2^-33 to 60 (left shifts included), output zero point and range.
  bool requantize = false;
  int32_t zeroOut = 0, lo = -128, hi = 127;
  /// When set: every filter's multiplier, and every filter's bias.
  double multiplier = 0.0;
  std::optional<int32_t> biasAll;
  /// An input of zeros (the sums are the bias).
  bool zeroInput = false;
};

void check(Isa isa, const Case &t, std::mt19937 &rng) {
  int64_t oh =
      (t.h + t.pad[0] + t.pad[2] - t.dilation * (t.kh - 1) - 1) / t.stride + 1;
  int64_t ow =
      (t.w + t.pad[1] + t.pad[3] - t.dilation * (t.kw - 1) - 1) / t.stride + 1;
  std::uniform_int_distribution<int> byte(0, 255), word(-(1 << 30), 1 << 30);
  std::vector<uint8_t> x(t.n * t.c * t.h * t.w);
  std::vector<int8_t> wt((t.depthwise ? 1 : t.f) * t.c * t.kh * t.kw);
  std::vector<int32_t> y(t.n * t.f * oh * ow), bias(t.f);
  // The range ends first, then random bytes.
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = t.zeroInput ? 0 : i < 2 ? uint8_t(i ? 255 : 0) : uint8_t(byte(rng));
  for (size_t i = 0; i < wt.size(); ++i)
    wt[i] = int8_t(i < 2 ? (i ? 127 : -128) : byte(rng) - 128);
  for (int32_t &v : y)
    v = word(rng);
  for (int32_t &v : bias)
    v = t.biasAll ? *t.biasAll : word(rng);
  int64_t k = t.c * t.kh * t.kw;
  auto filter = [&](int64_t fi, int64_t ch, int64_t p, int64_t q) {
    return int64_t(t.depthwise ? wt[(fi * t.kh + p) * t.kw + q]
                               : wt[((fi * t.c + ch) * t.kh + p) * t.kw + q]);
  };
  std::vector<int8_t> packed;
  int64_t cp = (t.c + 15) / 16 * 16;
  if (t.depthwise) {
    packed.assign(packedDepthwiseElements(t.c, t.kh, t.kw), 0);
    for (int64_t ch = 0; ch < t.c; ++ch)
      for (int64_t p = 0; p < t.kh; ++p)
        for (int64_t q = 0; q < t.kw; ++q)
          packed[(p * t.kw + q) * cp + ch] = int8_t(filter(ch, ch, p, q));
  } else {
    // B (K x F), rows (kh, kw, c) in both layouts.
    std::vector<int8_t> b(k * t.f);
    for (int64_t fi = 0; fi < t.f; ++fi)
      for (int64_t ch = 0; ch < t.c; ++ch)
        for (int64_t p = 0; p < t.kh; ++p)
          for (int64_t q = 0; q < t.kw; ++q) {
            int64_t row = (p * t.kw + q) * t.c + ch;
            b[row * t.f + fi] = int8_t(filter(fi, ch, p, q));
          }
    packed.assign(packedInt8Shape(k, t.f).bytes(), 0);
    packInt8Rhs(b.data(), t.f, 1, k, t.f, packed.data());
  }
  // (i, j) in the padded image.
  auto xAt = [&](int64_t bt, int64_t ch, int64_t i, int64_t j) {
    i -= t.pad[0];
    j -= t.pad[1];
    bool inside = i >= 0 && i < t.h && j >= 0 && j < t.w;
    uint8_t v = !inside ? t.padValue
                : t.nhwc ? x[((bt * t.h + i) * t.w + j) * t.c + ch]
                         : x[((bt * t.c + ch) * t.h + i) * t.w + j];
    return t.xSigned ? int64_t(int8_t(v)) : int64_t(v);
  };
  // The output with its rows 3 elements apart from the next (a strided
  // view: not the kernel's C).
  int64_t pad = 3;
  auto yIndex = [&](int64_t bt, int64_t fi, int64_t i, int64_t j) {
    return t.nhwc ? ((bt * oh + i) * ow + j) * t.f + fi
                  : ((bt * t.f + fi) * oh + i) * ow + j;
  };
  std::vector<int32_t> want = y;
  for (int64_t bt = 0; bt < t.n; ++bt)
    for (int64_t fi = 0; fi < t.f; ++fi)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          int32_t &o = want[yIndex(bt, fi, i, j)];
          int64_t acc = (t.accumulate ? o : 0) + (t.bias ? bias[fi] : 0);
          for (int64_t ch = 0; ch < t.c; ++ch) {
            if (t.depthwise && ch != fi)
              continue;
            for (int64_t p = 0; p < t.kh; ++p)
              for (int64_t q = 0; q < t.kw; ++q)
                acc += xAt(bt, ch, i * t.stride + p * t.dilation,
                           j * t.stride + q * t.dilation) *
                       filter(fi, ch, p, q);
          }
          o = static_cast<int32_t>(static_cast<uint32_t>(acc));
        }
  // The epilogue's parameters and the expected bytes: Numerics' scalar
  // requantization (what slim-lower-quant lowers slim.requantize to).
  std::vector<int32_t> multipliers, shifts;
  std::vector<int8_t> wantBytes;
  if (t.requantize) {
    const double kMultipliers[] = {0x1p-33, 1e-6, 3.3e-4, 0.017, 0.5,
                                   0.75,    1.0,  2.5,    60.0};
    std::vector<slim::numerics::FixedPointMultiplier> fps;
    for (int64_t fi = 0; fi < t.f; ++fi) {
      fps.push_back(*slim::numerics::decomposeMultiplier(
          t.multiplier > 0.0 ? t.multiplier
                             : kMultipliers[fi % std::size(kMultipliers)]));
      multipliers.push_back(fps.back().multiplier);
      shifts.push_back(fps.back().shift);
    }
    for (size_t e = 0; e < want.size(); ++e) {
      int64_t fi = t.nhwc ? int64_t(e) % t.f : int64_t(e) / (oh * ow) % t.f;
      wantBytes.push_back(static_cast<int8_t>(slim::numerics::requantizeFixedPoint(
          want[e], 0, fps[fi], t.zeroOut, {t.lo, t.hi})));
    }
  }
  for (bool strided : {false, true}) {
    QConvArgs a;
    a.nhwc = t.nhwc;
    a.depthwise = t.depthwise;
    // Strided: every output row (NCHW) or pixel (NHWC) `pad` elements
    // further than the dense layout.
    slim::test::setConvShape(a, t.n, t.c, t.h, t.w, t.f, t.kh, t.kw, t.stride,
                             t.dilation, strided ? pad : 0, t.pad);
    a.padValue = t.padValue;
    const int64_t *ys = a.yStrides;
    a.x = x.data();
    a.xSigned = t.xSigned;
    a.packedB = packed.data();
    std::vector<int32_t> got(static_cast<size_t>(t.n * ys[0]), 0);
    for (int64_t bt = 0; bt < t.n; ++bt)
      for (int64_t fi = 0; fi < t.f; ++fi)
        for (int64_t i = 0; i < oh; ++i)
          for (int64_t j = 0; j < ow; ++j)
            got[t.nhwc ? bt * ys[0] + i * ys[1] + j * ys[2] + fi
                       : bt * ys[0] + fi * ys[1] + i * ys[2] + j] =
                y[yIndex(bt, fi, i, j)];
    // With the epilogue, bytes; the gaps of a strided output stay 0x5A.
    std::vector<int8_t> gotBytes(static_cast<size_t>(t.n * ys[0]), 0x5A);
    a.y = t.requantize ? static_cast<void *>(gotBytes.data())
                       : static_cast<void *>(got.data());
    a.accumulate = t.accumulate;
    a.bias = t.bias ? bias.data() : nullptr;
    if (t.requantize) {
      a.multipliers = multipliers.data();
      a.shifts = shifts.data();
      a.zeroOut = t.zeroOut;
      a.lo = t.lo;
      a.hi = t.hi;
    }
    qconv2d(isa, a);
    int64_t bad = 0, touched = 0;
    for (int64_t bt = 0; bt < t.n; ++bt)
      for (int64_t fi = 0; fi < t.f; ++fi)
        for (int64_t i = 0; i < oh; ++i)
          for (int64_t j = 0; j < ow; ++j) {
            int64_t at = t.nhwc ? bt * ys[0] + i * ys[1] + j * ys[2] + fi
                                : bt * ys[0] + fi * ys[1] + i * ys[2] + j;
            int64_t e = yIndex(bt, fi, i, j);
            bad += t.requantize ? gotBytes[at] != wantBytes[e]
                                : got[at] != want[e];
          }
    if (t.requantize)
      for (int8_t v : gotBytes)
        touched += v != 0x5A;
    ASSERT_LE(touched, t.n * t.f * oh * ow) << "bytes written in the gaps";
    ASSERT_EQ(0, bad) << isaName(isa) << " nhwc " << t.nhwc << " c " << t.c
                      << " f " << t.f << " k " << t.kh << "x" << t.kw
                      << " stride " << t.stride << " dilation " << t.dilation
                      << " signed " << t.xSigned << " depthwise "
                      << t.depthwise << " strided output " << strided;
  }
}

using QConvTest = slim::test::IsaTest;

TEST_P(QConvTest, Dense) {
  std::mt19937 rng(91);
  for (bool nhwc : {false, true})
    for (bool xSigned : {false, true}) {
      check(GetParam(), {1, 3, 9, 11, 5, 3, 3, 1, 1, nhwc, false, false, xSigned}, rng);
      check(GetParam(), {2, 16, 12, 10, 17, 3, 3, 2, 1, nhwc, true, true, xSigned}, rng);
      check(GetParam(), {1, 7, 13, 13, 33, 3, 2, 1, 2, nhwc, false, true, xSigned}, rng);
      check(GetParam(), {1, 8, 5, 5, 20, 1, 1, 1, 1, nhwc, true, false, xSigned}, rng);
      // 18 x 18 = 324 pixels: one AMX block of 256 and 68; 5 x 55 = 275:
      // 256 and a tail of 19; 17 x 17 = 289 (4 blocks of 64 and 33).
      check(GetParam(), {1, 64, 20, 20, 64, 3, 3, 1, 1, nhwc, false, true, xSigned}, rng);
      check(GetParam(), {1, 5, 5, 55, 16, 1, 1, 1, 1, nhwc, true, true, xSigned}, rng);
      // A tail of 3 pixels past 256 (AMX hands it to the VNNI kernel).
      check(GetParam(), {1, 9, 1, 259, 7, 1, 1, 1, 1, nhwc, false, true, xSigned}, rng);
      check(GetParam(), {1, 19, 17, 17, 40, 1, 1, 1, 1, nhwc, false, false, xSigned}, rng);
    }
}

TEST_P(QConvTest, Padding) {
  // Uneven padding holding a byte (a zero point: 200, and 0x80, which is
  // -128 signed), in both layouts, dense and depthwise, with strides and
  // dilations; a padding wider than the window (whole rows of pad).
  std::mt19937 rng(103);
  for (bool nhwc : {false, true})
    for (bool xSigned : {false, true})
      for (bool depthwise : {false, true}) {
        int64_t f = depthwise ? 7 : 12;
        Case a{1, 7, 9, 11, f, 3, 3, 2, 1, nhwc, false, true, xSigned, depthwise,
               {1, 0, 2, 1}, 200};
        check(GetParam(), a, rng);
        Case b{2, 7, 5, 6, f, 3, 2, 1, 2, nhwc, true, false, xSigned, depthwise,
               {4, 3, 5, 2}, 0x80};
        check(GetParam(), b, rng);
        Case c{1, 7, 56, 20, f, 3, 3, 1, 1, nhwc, false, true, xSigned, depthwise,
               {1, 1, 1, 1}, 3};
        check(GetParam(), c, rng);
      }
}

TEST_P(QConvTest, RequantizeNearInt32Limits) {
  // Sums at the int32 limits (an input of zeros, every bias INT32_MAX or
  // INT32_MIN) under a multiplier of 1 - 2^-31 (M0 = 2^31 - 1, no shift)
  // and output zero points of 10 and -3: the rounded value is within |Z| of
  // the limit, where adding Z before clamping would wrap. Dense (the rows'
  // vector requantize) and depthwise (the planes'), both layouts, 17
  // filters (16 lanes and a scalar one).
  std::mt19937 rng(109);
  for (bool nhwc : {false, true})
    for (bool depthwise : {false, true})
      for (int32_t zeroOut : {10, -3}) {
        Case t{1, depthwise ? 17 : 5, 6, 7, 17, 3, 3, 1, 1, nhwc, false, true,
               false, depthwise, {1, 1, 1, 1}, 0};
        t.requantize = true, t.zeroOut = zeroOut;
        t.multiplier = 1.0 - 0x1p-31;
        t.biasAll = zeroOut > 0 ? INT32_MAX : INT32_MIN;
        t.zeroInput = true;
        check(GetParam(), t, rng);
      }
}

TEST_P(QConvTest, Requantize) {
  // The fixed-point epilogue on every block path: NCHW (transposed stores)
  // and NHWC, dense (AMX blocks and their VNNI tail) and depthwise (per
  // channel lanes for NHWC, one channel per plane for NCHW), u8 and s8
  // outputs, clamps inside the storage range, zero points at the ends.
  std::mt19937 rng(107);
  for (bool nhwc : {false, true})
    for (bool depthwise : {false, true}) {
      int64_t f = depthwise ? 19 : 40;
      Case u8{1, 19, 17, 17, f, 3, 3, 1, 1, nhwc, false, true, false,
              depthwise, {1, 1, 1, 1}, 7};
      u8.requantize = true, u8.zeroOut = 255, u8.lo = 0, u8.hi = 255;
      check(GetParam(), u8, rng);
      Case s8{2, 19, 9, 30, f, 3, 2, 2, 1, nhwc, false, true, true, depthwise,
              {0, 1, 2, 0}, 0x80};
      s8.requantize = true, s8.zeroOut = -128, s8.lo = -100, s8.hi = 90;
      check(GetParam(), s8, rng);
    }
  // A 1 x 1 at stride 1 (the rows read in place) over 259 pixels.
  Case pointwise{1, 16, 1, 259, 33, 1, 1, 1, 1, true, false, true, false};
  pointwise.requantize = true, pointwise.zeroOut = 3, pointwise.lo = 3,
  pointwise.hi = 250;
  check(GetParam(), pointwise, rng);
}

TEST_P(QConvTest, Threads) {
  std::mt19937 rng(97);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {2, 32, 18, 18, 40, 3, 3, 1, 1, false, false, true, false}, rng);
    check(GetParam(), {1, 32, 18, 18, 40, 3, 3, 1, 1, true, true, false, true}, rng);
  }
  setNumThreads(0);
}

TEST_P(QConvTest, Depthwise) {
  // Channels below and past a vector, more lanes than one 256-lane pass
  // (NHWC 300 channels, NCHW 270 columns), strides 1 to 3, dilation, 5 x 3
  // and 2 x 4 windows, accumulation, a bias, batches, threads.
  std::mt19937 rng(101);
  for (bool nhwc : {false, true})
    for (bool xSigned : {false, true}) {
      check(GetParam(), {1, 3, 9, 11, 3, 3, 3, 1, 1, nhwc, false, false, xSigned, true}, rng);
      check(GetParam(), {2, 16, 12, 70, 16, 3, 3, 1, 1, nhwc, true, true, xSigned, true}, rng);
      check(GetParam(), {1, 33, 13, 75, 33, 3, 3, 2, 1, nhwc, false, true, xSigned, true}, rng);
      check(GetParam(), {1, 17, 14, 40, 17, 5, 3, 3, 2, nhwc, true, false, xSigned, true}, rng);
      check(GetParam(), {1, 6, 11, 90, 6, 2, 4, 1, 2, nhwc, true, true, xSigned, true}, rng);
      check(GetParam(), {1, 300, 4, 272, 300, 3, 3, 1, 1, nhwc, false, true, xSigned, true}, rng);
    }
  for (int threads : {2, 3}) {
    setNumThreads(threads);
    check(GetParam(), {2, 32, 30, 30, 32, 3, 3, 1, 1, false, false, true, false, true}, rng);
    check(GetParam(), {1, 32, 30, 30, 32, 3, 3, 2, 1, true, true, false, true, true}, rng);
  }
  setNumThreads(0);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(QConvTest);

} // namespace
