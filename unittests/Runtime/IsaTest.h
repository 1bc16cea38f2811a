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
