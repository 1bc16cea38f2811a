//===- IsaTest.h - Kernel tests run once per ISA ----------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// A test suite parameterized by the kernels' ISA; cases skip (and say so)
// on ISAs the host cannot run, which lit tests pin instead.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_UNITTESTS_RUNTIME_ISATEST_H
#define SLIM_UNITTESTS_RUNTIME_ISATEST_H

#include "slim/Codegen/Target.h"
#include "slim/Runtime/Kernels.h"

#include "gtest/gtest.h"

#include <string>

namespace slim::test {

class IsaTest : public ::testing::TestWithParam<runtime::Isa> {
protected:
  void SetUp() override {
    if (!mlir::slim::codegen::hostSupports(GetParam()))
      GTEST_SKIP() << "this CPU cannot run " << runtime::isaName(GetParam());
  }
};

inline std::string
isaParamName(const ::testing::TestParamInfo<runtime::Isa> &info) {
  return runtime::isaName(info.param);
}

/// Sets a convolution's sizes and the dense strides of its input and output
/// in the layout `a.nhwc` names (set it first): image n x c x h x w, f
/// filters of kh x kw, the same stride and dilation along both axes; each
/// output row (NCHW) or pixel (NHWC) `rowPad` elements further than the
/// dense layout; the input padded by `pad` (top, left, bottom, right) when
/// given.
inline void setConvShape(runtime::ConvGeometry &a, int64_t n, int64_t c,
                         int64_t h, int64_t w, int64_t f, int64_t kh,
                         int64_t kw, int64_t stride, int64_t dilation,
                         int64_t rowPad = 0, const int64_t *pad = nullptr) {
  a.n = n, a.c = c, a.h = h, a.w = w, a.f = f, a.kh = kh, a.kw = kw;
  for (int i = 0; i < 4; ++i)
    a.pad[i] = pad ? pad[i] : 0;
  a.oh = (h + a.pad[0] + a.pad[2] - dilation * (kh - 1) - 1) / stride + 1;
  a.ow = (w + a.pad[1] + a.pad[3] - dilation * (kw - 1) - 1) / stride + 1;
  a.strideH = a.strideW = stride;
  a.dilationH = a.dilationW = dilation;
  int64_t row = (a.nhwc ? f : a.ow) + rowPad;
  if (a.nhwc) {
    int64_t xs[4] = {h * w * c, w * c, c, 1};
    int64_t ys[4] = {a.oh * a.ow * row, a.ow * row, row, 1};
    for (int i = 0; i < 4; ++i)
      a.xStrides[i] = xs[i], a.yStrides[i] = ys[i];
  } else {
    int64_t xs[4] = {c * h * w, h * w, w, 1};
    int64_t ys[4] = {f * a.oh * row, a.oh * row, row, 1};
    for (int i = 0; i < 4; ++i)
      a.xStrides[i] = xs[i], a.yStrides[i] = ys[i];
  }
}

} // namespace slim::test

/// Instantiates the IsaTest-derived suite `Suite` for every ISA.
#define SLIM_INSTANTIATE_FOR_ALL_ISAS(Suite)                                   \
  INSTANTIATE_TEST_SUITE_P(                                                    \
      AllIsas, Suite,                                                          \
      ::testing::Values(::slim::runtime::Isa::Generic,                         \
                        ::slim::runtime::Isa::Avx2,                            \
                        ::slim::runtime::Isa::AvxVnni,                         \
                        ::slim::runtime::Isa::Avx512Vnni,                      \
                        ::slim::runtime::Isa::Amx),                            \
      ::slim::test::isaParamName)

#endif // SLIM_UNITTESTS_RUNTIME_ISATEST_H
