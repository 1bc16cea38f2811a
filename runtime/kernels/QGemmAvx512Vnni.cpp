//===- QGemmAvx512Vnni.cpp - int8 GEMM with vpdpbusd on zmm ---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni: the register
// tile of QGemmZmm.h on the dense packed panels.
//
//===----------------------------------------------------------------------===//

#include "QGemmZmm.h"

using namespace slim::runtime::detail;

namespace {
/// Quads straight from the packed panels.
template <int NP> struct DenseQuads {
  const int8_t *__restrict b;
  int64_t panel;
  DenseQuads(const QGemmTask &t, int64_t p0)
      : b(quadOf(t, p0, 0)), panel(t.kp * 16) {}
  __m512i next(int p, int64_t kk) const {
    return _mm512_loadu_si512(b + p * panel + kk * 16);
  }
};
} // namespace

void slim::runtime::detail::qgemmAvx512Vnni(const QGemmTask &t, int64_t p0,
                                            int64_t p1) {
  zmmSweep<DenseQuads>(t, p0, p1);
}
