//===- DQGemmTest.cpp - Dynamic quantization on the kernels vs the formulas ===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// dqgemm on every ISA the host runs, bit for bit against slim.dynamic_qmatmul's
// formulas evaluated here in scalar code on the unpacked weight: per tensor
// and per row, weights with and without zero points, a bias, odd sizes,
// rounding ties, NaN inputs, all-zero rows, accumulators that wrap.
//
//===----------------------------------------------------------------------===//

#include "IsaTest.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace slim::runtime;

#pragma clang fp contract(off)

namespace {

struct Case {
  int64_t m, n, k;
  bool perRow, zeros, bias;
};

/// slim.dynamic_qmatmul's parameters of one range (the op's description).
void params(float lo, float hi, float &s, int32_t &z) {
  float rmin = std::fmin(0.0f, lo), rmax = std::fmax(0.0f, hi);
  s = (rmax - rmin) / 255.0f;
  if (s == 0.0f)
    s = 1.0f;
  float zf = std::nearbyint(0.0f - rmin / s);
  zf = std::fmin(std::fmax(zf, 0.0f), 255.0f);
  z = static_cast<int32_t>(zf);
}

std::vector<float> reference(const Case &c, const std::vector<float> &x,
                             const std::vector<int8_t> &w,
                             const std::vector<float> &sw,
                             const std::vector<int32_t> &zw,
                             const std::vector<float> &bias) {
  std::vector<float> s(c.m);
  std::vector<int32_t> z(c.m);
  float lo = INFINITY, hi = -INFINITY;
  for (int64_t r = 0; r < c.m; ++r) {
    if (c.perRow)
      lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < c.k; ++i) {
      lo = std::fmin(lo, x[r * c.k + i]); // fmin ignores NaN
      hi = std::fmax(hi, x[r * c.k + i]);
    }
    if (c.perRow)
      params(lo, hi, s[r], z[r]);
  }
  if (!c.perRow) {
    params(lo, hi, s[0], z[0]);
    for (int64_t r = 1; r < c.m; ++r)
      s[r] = s[0], z[r] = z[0];
  }
  std::vector<float> y(c.m * c.n);
  for (int64_t r = 0; r < c.m; ++r)
    for (int64_t j = 0; j < c.n; ++j) {
      int64_t acc = 0;
      for (int64_t i = 0; i < c.k; ++i) {
        float v = x[r * c.k + i];
        int64_t q = z[r];
        if (!std::isnan(v))
          q = std::min<int64_t>(
              255, std::max<int64_t>(
                       0, static_cast<int64_t>(std::nearbyint(v / s[r])) +
                              z[r]));
        acc += (q - z[r]) * (int64_t(w[i * c.n + j]) - (c.zeros ? zw[j] : 0));
      }
      float scale = s[r] * sw[j];
      float v = static_cast<float>(static_cast<int32_t>(
                    static_cast<uint32_t>(acc))) *
                scale;
      if (c.bias)
        v = v + bias[j];
      y[r * c.n + j] = v;
    }
  return y;
}

/// fill: 0 random normal, 1 multiples of 1/4 up to 127.5 (ties of x / S at
/// S = 0.5), 2 with NaN and an all-zero row.
void check(Isa isa, const Case &c, std::mt19937 &rng, int fill = 0) {
  std::normal_distribution<float> normal(0.0f, 2.0f);
  std::uniform_int_distribution<int> byte(-128, 127), quarter(0, 510);
  std::vector<float> x(c.m * c.k);
  for (int64_t r = 0; r < c.m; ++r)
    for (int64_t i = 0; i < c.k; ++i) {
      float &v = x[r * c.k + i];
      v = fill == 1 ? quarter(rng) * 0.25f : normal(rng);
      if (fill == 1 && i == 0)
        v = 127.5f; // every row's range is [0, 127.5]: S = 0.5, Z = 0
      if (fill == 2 && (i * 7 + r) % 5 == 0)
        v = std::numeric_limits<float>::quiet_NaN();
      if (fill == 2 && r == 1)
        v = 0.0f;
    }
  std::vector<int8_t> w(c.k * c.n);
  for (auto &v : w)
    v = static_cast<int8_t>(byte(rng));
  std::vector<float> sw(c.n), bias(c.n);
  std::vector<int32_t> zw(c.n);
  for (int64_t j = 0; j < c.n; ++j) {
    sw[j] = 0.001f * (1 + j % 7);
    zw[j] = j % 3 == 0 ? -128 : j % 3 == 1 ? 127 : 5;
    bias[j] = normal(rng);
  }
  std::vector<int8_t> packed(packedInt8Shape(c.k, c.n).bytes());
  packInt8Rhs(w.data(), c.n, 1, c.k, c.n, packed.data());
  std::vector<float> got(c.m * c.n, -1.0f);
  DQGemmArgs args;
  args.m = c.m;
  args.n = c.n;
  args.k = c.k;
  args.a = x.data();
  args.aRowStride = c.k;
  args.packedB = packed.data();
  args.c = got.data();
  args.cRowStride = c.n;
  args.weightScales = sw.data();
  args.weightZeros = c.zeros ? zw.data() : nullptr;
  args.bias = c.bias ? bias.data() : nullptr;
  args.perRow = c.perRow;
  dqgemm(isa, args);
  std::vector<float> want = reference(c, x, w, sw, zw, bias);
  // Bit for bit (NaN never appears: every q is finite).
  ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * 4))
      << isaName(isa) << " m " << c.m << " n " << c.n << " k " << c.k
      << " perRow " << c.perRow << " zeros " << c.zeros << " bias " << c.bias
      << " fill " << fill;
}

using DQGemmTest = slim::test::IsaTest;

TEST_P(DQGemmTest, OddShapes) {
  std::mt19937 rng(31);
  for (bool perRow : {false, true})
    for (bool zeros : {false, true})
      for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{1, 17, 3},
                             {3, 33, 67},
                             {17, 5, 130},
                             {40, 64, 129},
                             {1, 300, 1}})
        check(GetParam(), {m, n, k, perRow, zeros, (m + n) % 2 == 0}, rng);
}

TEST_P(DQGemmTest, TiesNaNAndZeroRows) {
  std::mt19937 rng(37);
  for (bool perRow : {false, true}) {
    check(GetParam(), {5, 19, 37, perRow, false, true}, rng, /*fill=*/1);
    check(GetParam(), {6, 21, 41, perRow, true, false}, rng, /*fill=*/2);
  }
}

TEST_P(DQGemmTest, Threads) {
  // Calls large enough to split: the range and quantization passes over
  // rows run on the threads (the tensor's range the min and max of the
  // threads'), then the kernel; NaN and zero rows, per tensor and per row.
  std::mt19937 rng(83);
  for (int threads : {1, 2, 3}) {
    setNumThreads(threads);
    for (bool perRow : {false, true}) {
      check(GetParam(), {67, 130, 70, perRow, true, true}, rng);
      check(GetParam(), {45, 100, 90, perRow, false, false}, rng, /*fill=*/1);
    }
  }
  setNumThreads(0);
}

TEST_P(DQGemmTest, EmptyDepth) {
  std::mt19937 rng(41);
  check(GetParam(), {3, 5, 0, false, true, true}, rng);
  check(GetParam(), {3, 5, 0, true, false, false}, rng);
}

SLIM_INSTANTIATE_FOR_ALL_ISAS(DQGemmTest);

} // namespace
