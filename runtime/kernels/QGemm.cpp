//===- QGemm.cpp - int8 GEMM driver, packing and the generic kernel -------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "Parallel.h"
#include "QGemmImpl.h"
#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

#ifdef _OPENMP
#include <omp.h>
#endif

#if defined(__linux__) && defined(__x86_64__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace slim::runtime;
using namespace slim::runtime::detail;

namespace {
struct IsaNames {
  const char *name, *suffix;
};
// Indexed by Isa.
constexpr IsaNames kIsaNames[kNumIsas] = {{"generic", "generic"},
                                          {"avx2", "avx2"},
                                          {"avx_vnni", "avxvnni"},
                                          {"avx512_vnni", "avx512vnni"},
                                          {"amx", "amx"}};
} // namespace

const char *slim::runtime::isaName(Isa isa) {
  return kIsaNames[static_cast<int>(isa)].name;
}

const char *slim::runtime::isaSymbolSuffix(Isa isa) {
  return kIsaNames[static_cast<int>(isa)].suffix;
}

PackedInt8Shape slim::runtime::packedInt8Shape(int64_t k, int64_t n) {
  PackedInt8Shape s;
  s.k = k;
  s.n = n;
  s.kp = (k + kDepthAlignment - 1) / kDepthAlignment * kDepthAlignment;
  s.np = (n + kPanelColumns - 1) / kPanelColumns * kPanelColumns;
  return s;
}

void slim::runtime::packInt8Rhs(const int8_t *b, int64_t rowStride,
                                int64_t colStride, int64_t k, int64_t n,
                                int8_t *out, bool fromUnsigned) {
  PackedInt8Shape s = packedInt8Shape(k, n);
  std::memset(out, 0, static_cast<size_t>(s.bytes()));
  int32_t *colsum = reinterpret_cast<int32_t *>(out + s.kp * s.np);
  // u8 - 128 is the byte with its top bit flipped, read as int8.
  uint8_t flip = fromUnsigned ? 0x80 : 0;
  for (int64_t c = 0; c < n; ++c) {
    int64_t p = c / 16, j = c % 16;
    uint32_t sum = 0; // wraps like the kernels' int32 arithmetic
    for (int64_t r = 0; r < k; ++r) {
      auto v = static_cast<int8_t>(
          static_cast<uint8_t>(b[r * rowStride + c * colStride]) ^ flip);
      out[p * s.kp * 16 + (r / 4) * 64 + j * 4 + r % 4] = v;
      sum += static_cast<uint32_t>(int32_t(v));
    }
    // The sums are stored little-endian whatever the alignment of `out`.
    std::memcpy(colsum + c, &sum, 4);
  }
}

// The reference every other kernel is tested against: plain loops over the
// packed layout.
void slim::runtime::detail::qgemmGeneric(const QGemmTask &t, int64_t p0,
                                         int64_t p1) {
  for (int64_t r = 0; r < t.m; ++r) {
    const uint8_t *row = t.a + r * t.lda;
    for (int64_t p = p0; p < p1; ++p) {
      int32_t acc[16] = {0};
      for (int64_t kk = 0; kk < t.k; ++kk) {
        int32_t x = t.aSigned ? int32_t(int8_t(row[kk])) : int32_t(row[kk]);
        const int8_t *q = quadOf(t, p, kk & ~int64_t(3)) + (kk & 3);
        for (int j = 0; j < 16; ++j)
          acc[j] = wrapAdd(acc[j], x * q[j * 4]); // |x * q| < 2^15
      }
      int32_t *out = t.c + r * t.ldc + p * 16;
      for (int64_t j = 0, e = columnsIn(t, p); j < e; ++j) {
        int32_t v = wrapAdd(acc[j], t.colAdd ? t.colAdd[p * 16 + j] : 0);
        out[j] = t.accumulate ? wrapAdd(out[j], v) : v;
      }
    }
  }
}

QGemmKernel slim::runtime::detail::qgemmKernelFor(Isa isa) {
  switch (isa) {
  case Isa::Generic:
    return qgemmGeneric;
  case Isa::Avx2:
    return qgemmAvx2;
  case Isa::AvxVnni:
    return qgemmAvxVnni;
  case Isa::Avx512Vnni:
    return qgemmAvx512Vnni;
  case Isa::Amx:
    return qgemmAmx;
  }
  return qgemmGeneric;
}

Isa slim::runtime::detail::qgemmIsaForRows(Isa isa, int64_t rows) {
  if (isa == Isa::Amx && rows < 16)
    return Isa::Avx512Vnni;
  if (isa == Isa::Amx && !requestAmx()) {
    std::fprintf(stderr, "slim runtime: the kernel refused AMX to this "
                         "process; cannot run AMX code\n");
    std::abort();
  }
  return isa;
}

void slim::runtime::detail::qgemmColumnAddend(const int8_t *sums,
                                              const PackedInt8Shape &s,
                                              const int32_t *bias, bool shift,
                                              int32_t *out) {
  for (int64_t c = 0; c < s.np; ++c) {
    int32_t sum;
    std::memcpy(&sum, sums + 4 * c, 4);
    uint32_t v = c < s.n && bias ? uint32_t(bias[c]) : 0u;
    if (shift)
      v -= uint32_t(sum) << 7;
    out[c] = static_cast<int32_t>(v);
  }
}

namespace {
/// One thread's scratch buffers (threadScratch).
struct ThreadScratch {
  void *data[static_cast<int>(Scratch::Count)] = {};
  size_t size[static_cast<int>(Scratch::Count)] = {};
  ~ThreadScratch() {
    for (void *p : data)
      std::free(p);
  }
};
} // namespace

void *slim::runtime::detail::threadScratch(Scratch slot, size_t bytes) {
  thread_local ThreadScratch buffers;
  int i = static_cast<int>(slot);
  if (buffers.size[i] < bytes) {
    std::free(buffers.data[i]);
    size_t rounded = (bytes + 63) / 64 * 64;
    buffers.data[i] = std::aligned_alloc(64, rounded);
    if (!buffers.data[i]) {
      std::fprintf(stderr, "slim runtime: out of memory for %zu bytes of "
                           "scratch\n", rounded);
      std::abort();
    }
    buffers.size[i] = rounded;
  }
  return buffers.data[i];
}

namespace {
std::atomic<int> requestedThreads{0};
} // namespace

void slim::runtime::setNumThreads(int threads) {
  requestedThreads.store(threads > 0 ? threads : 0);
}

int slim::runtime::getNumThreads() {
  int n = requestedThreads.load();
#ifdef _OPENMP
  return n > 0 ? n : omp_get_max_threads();
#else
  (void)n;
  return 1;
#endif
}

/// Adds rowAdd to the columns of panels [p0, p1) of batch `bt`, right
/// after the kernel wrote them (they are still in cache).
static void addRows(const QGemmArgs &args, int64_t bt, int64_t p0,
                    int64_t p1) {
  int64_t c0 = p0 * 16, c1 = std::min(args.n, p1 * 16);
  for (int64_t r = 0; r < args.m; ++r) {
    uint32_t add = uint32_t(args.rowAdd[bt * args.m + r]);
    int32_t *row = args.c + bt * args.cBatchStride + r * args.cRowStride;
    for (int64_t c = c0; c < c1; ++c)
      row[c] = static_cast<int32_t>(uint32_t(row[c]) + add);
  }
}

void slim::runtime::qgemm(Isa isa, const QGemmArgs &args) {
  runQGemm(isa, args, nullptr, nullptr);
}

void slim::runtime::detail::runQGemm(Isa isa, const QGemmArgs &args,
                                     TileEpilogue epilogue, void *context) {
  if (args.m <= 0 || args.n <= 0 || args.batch <= 0)
    return;
  PackedInt8Shape s = packedInt8Shape(args.k, args.n);
  if (args.k == 0) {
    // An empty sum: C = bias (or C += bias).
    for (int64_t bt = 0; bt < args.batch; ++bt)
      for (int64_t r = 0; r < args.m; ++r) {
        int32_t *row = args.c + bt * args.cBatchStride + r * args.cRowStride;
        uint32_t add =
            args.rowAdd ? uint32_t(args.rowAdd[bt * args.m + r]) : 0u;
        for (int64_t c = 0; c < args.n; ++c) {
          uint32_t b = args.bias ? uint32_t(args.bias[c]) : 0u;
          row[c] = static_cast<int32_t>(
              (args.accumulate ? uint32_t(row[c]) : 0u) + b + add);
        }
      }
    if (epilogue)
      for (int64_t bt = 0; bt < args.batch; ++bt)
        epilogue(context, bt, 0, s.np / 16);
    return;
  }
  isa = qgemmIsaForRows(isa, args.m);
  QGemmKernel kernel = qgemmKernelFor(isa);
  // A sparse B: the fused kernel, AMX's own expansion, or dense kernels on
  // chunks rebuilt in scratch (QGemmSparse.cpp).
  SparseB sparse{args.packedB, s.kp, s.np};
  bool expandChunks = false;
  if (args.sparseB) {
    if (args.packedBBatchStride) {
      std::fprintf(stderr, "slim runtime: a sparse packed B is shared by "
                           "the batches (packedBBatchStride must be 0)\n");
      std::abort();
    }
    if (sparseFused(isa))
      kernel = qgemmSparseVbmi2;
    else
      expandChunks = isa != Isa::Amx;
  }

  // vpdpbusd multiplies u8 x s8: a signed A is stored once as A + 128
  // (rows padded to a multiple of 4 with zeros), so that the kernels
  // broadcast its words straight from memory, and 128 * colsum(B) comes off
  // at the end.
  const auto *a = static_cast<const uint8_t *>(args.a);
  int64_t aBatchStride = args.aBatchStride, lda = args.aRowStride;
  uint8_t *shifted = nullptr;
  bool shift = args.aSigned && qgemmShiftsSigned(isa);
  if (shift) {
    int64_t kq = (args.k + 3) & ~int64_t(3);
    shifted = static_cast<uint8_t *>(
        std::calloc(static_cast<size_t>(args.batch * args.m * kq), 1));
    for (int64_t bt = 0; bt < args.batch; ++bt)
      for (int64_t r = 0; r < args.m; ++r) {
        const uint8_t *from = a + bt * aBatchStride + r * lda;
        uint8_t *to = shifted + (bt * args.m + r) * kq;
        for (int64_t kk = 0; kk < args.k; ++kk)
          to[kk] = from[kk] ^ 0x80;
      }
    a = shifted;
    lda = kq;
    aBatchStride = args.m * kq;
  }
  // What every row gets added: the bias, and the shift's correction (one
  // vector per batch when each batch has its own B).
  int32_t *colAdd = nullptr;
  int64_t colAdds = shift && args.packedBBatchStride ? args.batch : 1;
  if (shift || args.bias) {
    colAdd = static_cast<int32_t *>(
        std::calloc(static_cast<size_t>(colAdds * s.np), sizeof(int32_t)));
    for (int64_t i = 0; i < colAdds; ++i)
      qgemmColumnAddend(args.sparseB ? sparseColumnSums(sparse)
                                     : args.packedB +
                                           i * args.packedBBatchStride +
                                           s.kp * s.np,
                        s, args.bias, shift, colAdd + i * s.np);
  }

  auto task = [&](int64_t bt) {
    QGemmTask t;
    t.a = a + bt * aBatchStride;
    t.lda = lda;
    t.b = args.packedB + bt * args.packedBBatchStride;
    t.kp = s.kp;
    t.c = args.c + bt * args.cBatchStride;
    t.ldc = args.cRowStride;
    t.m = args.m;
    t.n = args.n;
    t.k = args.k;
    t.aSigned = args.aSigned && !shift;
    t.colAdd = colAdd ? colAdd + (colAdds > 1 ? bt * s.np : 0) : nullptr;
    t.accumulate = args.accumulate;
    if (args.sparseB) {
      t.sparse = &sparse;
      t.expand = sparseExpandFor(isa);
    }
    return t;
  };
  auto run = [&](const QGemmTask &t, int64_t p0, int64_t p1) {
    if (expandChunks)
      runSparseExpanded(t, p0, p1, kernel);
    else
      kernel(t, p0, p1);
  };
  // AMX, one batch, many rows, no per-panel hook, and a packed B that two
  // cores' L2 hold (or more rows than columns): the threads take row ranges
  // (multiples of 32, the kernel's blocks), each copying only its rows of A
  // into tiles and reading all of B, instead of all of A and part of B.
  // Two threads on the Xeon: 128 x 768 x 768 0.041 -> 0.030 ms, 512 x 1024
  // x 1024 0.259 -> 0.225 ms, 2048^3 3.85 -> 3.7 ms; 128 x 4096 x 4096
  // (16 MB of B) 0.94 -> 1.07 ms, so it keeps the panel split.
  int64_t work = args.batch * args.m * args.n * args.k;
  int threads = threadsFor(work);
  // A sparse B too: each thread then rebuilds all of B, which measured
  // better than the panel split (128 x 768 x 768, 2:4: 0.73x dense against
  // 0.65x).
  if (isa == Isa::Amx && args.batch == 1 && !epilogue && !args.rowAdd &&
      threads > 1 && args.m >= 64 * threads &&
      (s.bytes() <= (int64_t(4) << 20) || args.m >= args.n)) {
    forEachRowRange(args.m, /*granule=*/32, threads,
                    [&](int64_t r0, int64_t r1) {
                      QGemmTask t = task(0);
                      t.a += r0 * t.lda;
                      t.c += r0 * t.ldc;
                      t.m = r1 - r0;
                      run(t, 0, s.np / 16);
                    });
  } else {
    // An even number of panels per range: AMX computes two at a time.
    forEachPanelRange(args.batch, s.np / 16, work, /*granule=*/2,
                      [&](int64_t bt, int64_t p0, int64_t p1) {
                        run(task(bt), p0, p1);
                        if (args.rowAdd)
                          addRows(args, bt, p0, p1);
                        if (epilogue)
                          epilogue(context, bt, p0, p1);
                      });
  }
  std::free(shifted);
  std::free(colAdd);
}

void slim::runtime::qgemmActivations(Isa isa,
                                     const QGemmActivationArgs &args) {
  QGemmArgs g = args.gemm;
  if (g.m <= 0 || g.n <= 0 || g.batch <= 0)
    return;
  PackedInt8Shape s = packedInt8Shape(g.k, g.n);
  int64_t packs = args.bBatchStride ? g.batch : 1;
  auto *packed = static_cast<int8_t *>(
      std::malloc(static_cast<size_t>(packs * s.bytes())));
  const auto *b = static_cast<const int8_t *>(args.b);
  for (int64_t i = 0; i < packs; ++i)
    packInt8Rhs(b + i * args.bBatchStride, args.bRowStride, args.bColStride,
                g.k, g.n, packed + i * s.bytes(), /*fromUnsigned=*/!args.bSigned);
  // sum_k a * b = sum_k a * (b - 128) + 128 * sum_k a for a uint8 B.
  int32_t *rowAdd = nullptr;
  if (!args.bSigned) {
    rowAdd = static_cast<int32_t *>(
        std::malloc(static_cast<size_t>(g.batch * g.m) * sizeof(int32_t)));
    const auto *a = static_cast<const uint8_t *>(g.a);
    for (int64_t bt = 0; bt < g.batch; ++bt)
      for (int64_t r = 0; r < g.m; ++r) {
        const uint8_t *row = a + bt * g.aBatchStride + r * g.aRowStride;
        uint32_t sum = 0;
        for (int64_t kk = 0; kk < g.k; ++kk)
          sum += g.aSigned ? uint32_t(int32_t(int8_t(row[kk])))
                           : uint32_t(row[kk]);
        rowAdd[bt * g.m + r] = static_cast<int32_t>(sum << 7);
      }
  }
  g.packedB = packed;
  g.packedBBatchStride = packs > 1 ? s.bytes() : 0;
  g.rowAdd = rowAdd;
  qgemm(isa, g);
  std::free(packed);
  std::free(rowAdd);
}

bool slim::runtime::requestAmx() {
#if defined(__linux__) && defined(__x86_64__)
  // ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA (Linux 5.16+): without it the
  // first tile instruction raises SIGILL.
  static const bool granted =
      syscall(SYS_arch_prctl, 0x1023, 18) == 0;
  return granted;
#else
  return false;
#endif
}

