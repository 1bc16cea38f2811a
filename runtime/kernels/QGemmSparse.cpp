//===- QGemmSparse.cpp - The sparse packed form of int8 weights -----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Packing a dense packed B into its sparse form (Kernels.h), the portable
// way back, and how the driver runs a sparse B on each ISA:
// - AVX-512 VNNI with VBMI2 (the Xeon with AMX, Zen 4): the fused kernel,
//   vpexpandb rebuilds each quad in a register (QGemmSparseAvx512.cpp);
// - AMX: the AMX kernel rebuilds each group's slice of B once per chunk
//   of rows, into L2, and multiplies it as dense tiles;
// - everywhere else: chunks of panels rebuilt into this thread's scratch
//   and run by the ISA's dense kernel.
// Compiled for the baseline x86-64, like the driver.
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"

#include <algorithm>
#include <bit>

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {
/// What the sparse form of one panel takes: masks, block starts, values
/// padded to 8 bytes.
int64_t panelBytes(const int8_t *panel, int64_t kp) {
  int64_t nonzeros = 0;
  for (int64_t i = 0; i < kp * 16; ++i)
    nonzeros += panel[i] != 0;
  return 8 * (kp / 4) + 4 * (kp / 64) + (nonzeros + 7) / 8 * 8;
}
constexpr int64_t kTailPadding = 64;
} // namespace

int64_t slim::runtime::sparseInt8Bytes(const int8_t *packed, int64_t k,
                                       int64_t n) {
  PackedInt8Shape s = packedInt8Shape(k, n);
  int64_t panels = s.np / 16;
  int64_t bytes = 8 * (panels + 1);
  for (int64_t p = 0; p < panels; ++p)
    bytes += panelBytes(packed + p * s.kp * 16, s.kp);
  return bytes + 4 * s.np + kTailPadding;
}

void slim::runtime::packSparseInt8Rhs(const int8_t *packed, int64_t k,
                                      int64_t n, int8_t *out) {
  PackedInt8Shape s = packedInt8Shape(k, n);
  int64_t panels = s.np / 16, quads = s.kp / 4, blocks = s.kp / 64;
  int64_t at = 8 * (panels + 1);
  for (int64_t p = 0; p <= panels; ++p) {
    std::memcpy(out + 8 * p, &at, 8);
    if (p == panels)
      break;
    const int8_t *panel = packed + p * s.kp * 16;
    int8_t *masks = out + at;
    int8_t *starts = masks + 8 * quads;
    int8_t *values = starts + 4 * blocks;
    uint32_t written = 0;
    for (int64_t q = 0; q < quads; ++q) {
      if (q % 16 == 0)
        std::memcpy(starts + 4 * (q / 16), &written, 4);
      uint64_t mask = 0;
      for (int i = 0; i < 64; ++i) {
        int8_t v = panel[q * 64 + i];
        if (!v)
          continue;
        mask |= uint64_t(1) << i;
        values[written++] = v;
      }
      std::memcpy(masks + 8 * q, &mask, 8);
    }
    int64_t padded = (written + 7) / 8 * 8;
    std::memset(values + written, 0, static_cast<size_t>(padded - written));
    at += 8 * quads + 4 * blocks + padded;
  }
  // The column sums and the tail.
  std::memcpy(out + at, packed + s.kp * s.np, static_cast<size_t>(4 * s.np));
  std::memset(out + at + 4 * s.np, 0, kTailPadding);
}

double slim::runtime::emptyInt8TileFraction(const int8_t *packed, int64_t k,
                                            int64_t n) {
  PackedInt8Shape s = packedInt8Shape(k, n);
  int64_t tiles = (s.np / 16) * (s.kp / 64), empty = 0;
  if (tiles == 0)
    return 0.0;
  for (int64_t t = 0; t < tiles; ++t) {
    const int8_t *tile = packed + t * 1024; // panels' tiles in order of k
    empty += std::all_of(tile, tile + 1024, [](int8_t v) { return v == 0; });
  }
  return static_cast<double>(empty) / static_cast<double>(tiles);
}

void slim::runtime::detail::sparseExpandGeneric(const SparseB &b, int64_t p,
                                                int64_t firstBlock,
                                                int64_t blocks, int8_t *out) {
  forEachSparseQuad(b, p, firstBlock, blocks, out,
                    [](uint64_t m, const int8_t *v, int8_t *o) {
                      for (int i = 0; i < 64; ++i)
                        o[i] = (m >> i) & 1 ? *v++ : 0;
                    });
}

namespace {
bool hostHasVbmi2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vbmi2") &&
           __builtin_cpu_supports("avx512bw");
  }();
  return has;
}
} // namespace

SparseExpand slim::runtime::detail::sparseExpandFor(Isa isa) {
  if ((isa == Isa::Avx512Vnni || isa == Isa::Amx) && hostHasVbmi2())
    return sparseExpandVbmi2;
  if (isa != Isa::Generic)
    return sparseExpandAvx2;
  return sparseExpandGeneric;
}

bool slim::runtime::detail::sparseFused(Isa isa) {
  return isa == Isa::Avx512Vnni && hostHasVbmi2();
}

void slim::runtime::detail::runSparseExpanded(const QGemmTask &t, int64_t p0,
                                              int64_t p1, QGemmKernel kernel) {
  // Chunks of panels large enough that the kernel's per-call work on A
  // (the AVX2 kernel widens A) stays small next to the chunk: at least
  // 256 KB and four times A's bytes, at most 4 MB (the scratch stays).
  int64_t panel = t.kp * 16;
  int64_t want = std::clamp<int64_t>(4 * t.m * t.kp, int64_t(256) << 10,
                                     int64_t(4) << 20);
  int64_t chunk = std::clamp<int64_t>((want / panel + 1) & ~int64_t(1), 2,
                                      std::max<int64_t>(p1 - p0, 2));
  auto *buffer = static_cast<int8_t *>(
      threadScratch(Scratch::SparseB, static_cast<size_t>(chunk * panel)));
  for (int64_t q0 = p0; q0 < p1; q0 += chunk) {
    int64_t q1 = std::min(p1, q0 + chunk);
    for (int64_t p = q0; p < q1; ++p)
      t.expand(*t.sparse, p, 0, t.kp / 64, buffer + (p - q0) * panel);
    QGemmTask sub = t;
    sub.b = buffer;
    sub.c = t.c + q0 * 16;
    sub.n = std::min(t.n - q0 * 16, (q1 - q0) * 16);
    sub.colAdd = t.colAdd ? t.colAdd + q0 * 16 : nullptr;
    sub.sparse = nullptr;
    kernel(sub, 0, q1 - q0);
  }
}
