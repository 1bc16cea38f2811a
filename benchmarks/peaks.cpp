//===- peaks.cpp - Register-only throughput loops per ISA -----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The machine's measured peak for each kernel family: 12 independent
// dependency chains of one instruction on registers only (AMX: four
// accumulator tiles), one thread. Each function carries its own target
// attribute and runs only where the host has the ISA.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Target.h"
#include "slim/Runtime/Kernels.h"

#include <immintrin.h>

#include <chrono>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rt = slim::runtime;
using mlir::slim::codegen::hostSupports;
using Clock = std::chrono::steady_clock;

namespace {

volatile int sink;
volatile float oneF = 1.0f, tinyF = 1e-9f;
volatile char oneB = 1, twoB = 2;
// The accumulators end here, so that the loops are not optimized away.
alignas(64) char sinkBuffer[12 * 64];
constexpr int64_t kSteps = 1 << 22;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// 12 chains of `step` on `Vec` registers compiled for `features`; `ops`
// per step and vector (a multiply-add counts 2). The other operands come
// from volatile values, so that nothing is computed once outside the loop.
#define SLIM_PEAK_LOOP(name, features, Vec, init, xy, step, ops)                     \
  __attribute__((target(features))) double name() {                             \
    Vec acc[12];                                                               \
    for (auto &v : acc)                                                        \
      v = init;                                                                \
    xy;                                                                        \
    auto t0 = Clock::now();                                                    \
    for (int64_t i = 0; i < kSteps; ++i) {                                     \
      /* Unrolled, or the 12 vectors live on the stack. */                     \
      _Pragma("unroll") for (int c = 0; c < 12; ++c) {                         \
        Vec &v = acc[c];                                                       \
        v = step;                                                              \
      }                                                                        \
    }                                                                          \
    double s = since(t0);                                                      \
    std::memcpy(sinkBuffer, acc, sizeof(acc));                                 \
    asm volatile("" : : "r"(sinkBuffer) : "memory");                           \
    return kSteps * 12.0 * (ops) / s;                                          \
  }

SLIM_PEAK_LOOP(fma512, "avx512f", __m512, _mm512_set1_ps(0.5f),
               __m512 x = _mm512_set1_ps(oneF); __m512 y = _mm512_set1_ps(tinyF),
               _mm512_fmadd_ps(v, x, y),
               16 * 2)
SLIM_PEAK_LOOP(fma256, "avx2,fma", __m256, _mm256_set1_ps(0.5f),
               __m256 x = _mm256_set1_ps(oneF); __m256 y = _mm256_set1_ps(tinyF),
               _mm256_fmadd_ps(v, x, y),
               8 * 2)
SLIM_PEAK_LOOP(vnni512, "avx512f,avx512bw,avx512vnni", __m512i,
               _mm512_setzero_si512(),
               __m512i x = _mm512_set1_epi8(oneB);
               __m512i y = _mm512_set1_epi8(twoB),
               _mm512_dpbusd_epi32(v, x, y),
               64 * 2)
SLIM_PEAK_LOOP(vnni256, "avx2,avxvnni", __m256i, _mm256_setzero_si256(),
               __m256i x = _mm256_set1_epi8(oneB);
               __m256i y = _mm256_set1_epi8(twoB),
               _mm256_dpbusd_avx_epi32(v, x, y),
               32 * 2)
// What AVX2-only peers run for int8: vpmaddubsw (saturating pairs) +
// vpmaddwd + vpaddd per 32 u8 x s8 products.
SLIM_PEAK_LOOP(avx2int8, "avx2", __m256i, _mm256_setzero_si256(),
               __m256i x = _mm256_set1_epi16(oneB);
               __m256i y = _mm256_set1_epi8(twoB),
               _mm256_add_epi32(
                   v, _mm256_madd_epi16(_mm256_maddubs_epi16(v, y), x)),
               32 * 2)

struct alignas(64) TileConfig {
  uint8_t palette = 1, startRow = 0, reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

__attribute__((target("amx-tile,amx-int8"))) double amx() {
  TileConfig cfg;
  for (int i = 0; i < 8; ++i) {
    cfg.rows[i] = 16;
    cfg.colsb[i] = 64;
  }
  alignas(64) static int8_t buf[16 * 64];
  for (auto &v : buf)
    v = 1;
  _tile_loadconfig(&cfg);
  _tile_loadd(4, buf, 64);
  _tile_loadd(5, buf, 64);
  _tile_loadd(6, buf, 64);
  _tile_loadd(7, buf, 64);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  const int64_t steps = kSteps / 16;
  auto t0 = Clock::now();
    for (int64_t i = 0; i < steps; ++i) {
      _tile_dpbusd(0, 4, 6);
      _tile_dpbusd(1, 4, 7);
      _tile_dpbusd(2, 5, 6);
      _tile_dpbusd(3, 5, 7);
    }
  double s = since(t0);
  alignas(64) static int32_t out[16 * 16];
  _tile_stored(0, out, 64);
  _tile_release();
  sink = out[0];
  return steps * 4.0 * 16 * 16 * 64 * 2 / s;
}

/// Read bandwidth of one thread (10^9 bytes/s): passes over a buffer of
/// `bytes` (touched first), eight independent sums of 8-byte words, the
/// best pass of several. 1 GiB streams from DRAM; 64 MiB is what the
/// largest benchmark weights (1 x 11008 x 4096: 180 MB in f32, 45 MB in
/// int8, 30 MB in int4 with its scales) stream from where they fit.
double stream(size_t bytes) {
  size_t words = bytes / 8;
  auto *buffer = static_cast<uint64_t *>(std::malloc(words * 8));
  if (!buffer)
    return -1;
  for (size_t i = 0; i < words; ++i)
    buffer[i] = i;
  double best = 0;
  for (int pass = 0; pass < 5; ++pass) {
    uint64_t sum[8] = {};
    auto t0 = Clock::now();
    for (size_t i = 0; i + 8 <= words; i += 8)
      for (int j = 0; j < 8; ++j)
        sum[j] += buffer[i + j];
    double s = since(t0);
    uint64_t total = 0;
    for (uint64_t v : sum)
      total += v;
    sink = static_cast<int>(total);
    best = std::max(best, static_cast<double>(words * 8) / s);
  }
  std::free(buffer);
  return best;
}

} // namespace

/// 10^9 ops/s of `name` on one thread, or -1 where the host lacks it;
/// stream64m and stream1g: 10^9 bytes/s read.
double peakGops(const std::string &name, double seconds) {
  (void)seconds;
  auto best = [](double (*f)()) {
    double g = 0;
    for (int i = 0; i < 3; ++i)
      g = std::max(g, f());
    return g / 1e9;
  };
  if (name == "fma512")
    return hostSupports(rt::Isa::Avx512Vnni) ? best(fma512) : -1;
  if (name == "fma256")
    return hostSupports(rt::Isa::Avx2) ? best(fma256) : -1;
  if (name == "vnni512")
    return hostSupports(rt::Isa::Avx512Vnni) ? best(vnni512) : -1;
  if (name == "vnni256")
    return hostSupports(rt::Isa::AvxVnni) ? best(vnni256) : -1;
  if (name == "avx2int8")
    return hostSupports(rt::Isa::Avx2) ? best(avx2int8) : -1;
  if (name == "amx")
    return hostSupports(rt::Isa::Amx) ? best(amx) : -1;
  if (name == "stream64m")
    return stream(size_t(64) << 20) / 1e9;
  if (name == "stream1g")
    return stream(size_t(1) << 30) / 1e9;
  return -1;
}
