//===- QGemmImpl.h - Per-ISA int8 GEMM kernels (internal) -------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// What the driver (QGemm.cpp) hands each ISA's kernel: one batch of one
// call, and a range of column panels. Each ISA lives in its own file,
// compiled with that ISA's target flags; nothing else may be compiled with
// them (the driver runs on every CPU). For the same reason every helper
// here has internal linkage (static), and the kernels use no inline
// function of the standard library's templates: the linker keeps one copy of
// an inline function, and that copy could be the one compiled for AVX-512.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_QGEMMIMPL_H
#define SLIM_RUNTIME_KERNELS_QGEMMIMPL_H

#include "Tiling.h"
#include "slim/Runtime/Kernels.h"

#include <cstdint>
#include <cstring>

namespace slim::runtime::detail {

struct SparseB;

struct QGemmTask {
  const uint8_t *a = nullptr; ///< row-major M x K bytes (s8 or u8)
  int64_t lda = 0;
  const int8_t *b = nullptr;       ///< packed panels (Kernels.h)
  int64_t kp = 0;
  int32_t *c = nullptr; ///< row-major M x N int32
  int64_t ldc = 0;
  int64_t m = 0, n = 0, k = 0;
  bool aSigned = true, accumulate = false;
  /// Optional, np int32 added to every row: the bias, minus 128 * colsum(B)
  /// when A holds a + 128 of a signed activation (the driver's shift for
  /// vpdpbusd).
  const int32_t *colAdd = nullptr;
  /// Set when B is in the sparse form: `b` is then unused by the kernels
  /// that read the sparse form (AMX, the fused AVX-512 VBMI2 kernel), which
  /// rebuild quads with `expand`.
  const SparseB *sparse = nullptr;
  void (*expand)(const SparseB &, int64_t p, int64_t firstBlock,
                 int64_t blocks, int8_t *out) = nullptr;
};

/// The sparse packed form of B (Kernels.h, packSparseInt8Rhs), read by
/// the static functions below (members would be inline functions with
/// external linkage, which this header must not define).
struct SparseB {
  const int8_t *base = nullptr;
  int64_t kp = 0, np = 0;
};

/// Byte offset of panel p (p = np / 16: of the column sums).
static inline int64_t sparsePanelStart(const SparseB &b, int64_t p) {
  int64_t v;
  std::memcpy(&v, b.base + 8 * p, 8);
  return v;
}
/// Panel p's quad masks (8 bytes each, unaligned).
static inline const int8_t *sparseMasks(const SparseB &b, int64_t p) {
  return b.base + sparsePanelStart(b, p);
}
/// The first value of block `block` (64 k) of panel p.
static inline const int8_t *sparseBlockValues(const SparseB &b, int64_t p,
                                              int64_t block) {
  const int8_t *starts = sparseMasks(b, p) + 8 * (b.kp / 4);
  uint32_t off;
  std::memcpy(&off, starts + 4 * block, 4);
  return starts + 4 * (b.kp / 64) + off;
}
static inline const int8_t *sparseColumnSums(const SparseB &b) {
  return b.base + sparsePanelStart(b, b.np / 16);
}

/// Whether block `block` (64 k: one AMX tile of B) of panel p of a sparse B
/// holds no nonzero byte (its 16 quad masks are all zero).
static inline bool sparseBlockEmpty(const SparseB &b, int64_t p,
                                    int64_t block) {
  const int8_t *masks = sparseMasks(b, p) + 8 * 16 * block;
  uint64_t any = 0;
  for (int q = 0; q < 16; ++q) {
    uint64_t m;
    std::memcpy(&m, masks + 8 * q, 8);
    any |= m;
  }
  return any == 0;
}

/// Calls rebuild(mask, values, out) for each quad of blocks [firstBlock,
/// firstBlock + blocks) of panel p of a sparse B, in order: `values` is
/// the quad's first nonzero byte, `out` where its 64 dense bytes go.
template <typename F>
static inline void forEachSparseQuad(const SparseB &b, int64_t p,
                                     int64_t firstBlock, int64_t blocks,
                                     int8_t *out, F &&rebuild) {
  const int8_t *v = sparseBlockValues(b, p, firstBlock);
  const int8_t *masks = sparseMasks(b, p);
  for (int64_t q = firstBlock * 16; q < (firstBlock + blocks) * 16; ++q) {
    uint64_t m;
    std::memcpy(&m, masks + 8 * q, 8);
    rebuild(m, v, out);
    v += __builtin_popcountll(m);
    out += 64;
  }
}

/// Rebuilds blocks [firstBlock, firstBlock + blocks) of panel p of a sparse
/// B as dense packed quads (1024 bytes a block) at `out`.
using SparseExpand = void (*)(const SparseB &, int64_t p, int64_t firstBlock,
                              int64_t blocks, int8_t *out);
void sparseExpandGeneric(const SparseB &, int64_t, int64_t, int64_t,
                         int8_t *);
void sparseExpandAvx2(const SparseB &, int64_t, int64_t, int64_t, int8_t *);
void sparseExpandVbmi2(const SparseB &, int64_t, int64_t, int64_t, int8_t *);
/// The expansion for `isa` on this host (VBMI2's vpexpandb where the host
/// has it, pshufb through a table on AVX2 hosts, plain loops otherwise).
SparseExpand sparseExpandFor(Isa isa);
/// Whether `isa` runs a sparse B with qgemmSparseVbmi2 on this host.
bool sparseFused(Isa isa);
/// Runs `kernel` (a dense one) on panels [p0, p1) of task `t`'s sparse B,
/// rebuilt chunk by chunk into this thread's scratch.
void runSparseExpanded(const QGemmTask &t, int64_t p0, int64_t p1,
                       void (*kernel)(const QGemmTask &, int64_t, int64_t));
/// The fused kernel for AVX-512 VNNI hosts with VBMI2: each quad of B
/// rebuilt in a register by vpexpandb straight from the values, then
/// vpdpbusd as the dense kernel (A unsigned or shifted, as for it).
void qgemmSparseVbmi2(const QGemmTask &task, int64_t p0, int64_t p1);

/// Quad `kk / 4` of panel `p`: 64 bytes, 16 columns x 4 k.
static inline const int8_t *quadOf(const QGemmTask &t, int64_t p,
                                   int64_t kk) {
  return t.b + p * t.kp * 16 + kk * 16;
}

/// Bytes kk..kk+3 of row r as one little-endian word; past K, zeros (whose
/// products meet B's zero padding).
static inline uint32_t wordOf(const QGemmTask &t, int64_t r, int64_t kk) {
  uint32_t w = 0;
  const uint8_t *row = t.a + r * t.lda;
  if (kk + 4 <= t.k)
    std::memcpy(&w, row + kk, 4);
  else
    for (int64_t i = 0; kk + i < t.k; ++i)
      w |= uint32_t(row[kk + i]) << (8 * i);
  return w;
}

/// a + b wrapped to 32 bits (the contractions' arithmetic; signed overflow
/// would be undefined in C++).
static inline int32_t wrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) +
                              static_cast<uint32_t>(b));
}

/// Live columns of panel p (16 but in the last one).
static inline int64_t columnsIn(const QGemmTask &t, int64_t p) {
  int64_t rest = t.n - p * 16;
  return rest < 16 ? rest : 16;
}

/// Computes the columns of panels [p0, p1) of every row.
using QGemmKernel = void (*)(const QGemmTask &task, int64_t p0, int64_t p1);

/// The kernel of `isa`.
QGemmKernel qgemmKernelFor(Isa isa);

/// The ISA that runs `rows` rows on a host with `isa`: below 16 rows an AMX
/// tile would be mostly padding, so AVX-512 VNNI. For AMX, asks Linux for
/// the tile state first and aborts with a message if it is refused.
Isa qgemmIsaForRows(Isa isa, int64_t rows);

/// Whether `isa`'s kernel computes u8 x s8 only (vpdpbusd), so that a
/// signed A must be stored as A + 128 (flipped top bits) and 128 * colsum(B)
/// taken off through the column addend.
static inline bool qgemmShiftsSigned(Isa isa) {
  return isa == Isa::AvxVnni || isa == Isa::Avx512Vnni;
}

/// The column addend of a packed B (np values) from its column sums (np
/// int32, unaligned): bias[c] (0 past n or without a bias), minus 128 *
/// colsum(B)[c] when `shift`; wrapping.
void qgemmColumnAddend(const int8_t *columnSums, const PackedInt8Shape &s,
                       const int32_t *bias, bool shift, int32_t *out);

/// Scratch buffers that stay with the calling thread between calls.
enum class Scratch : int {
  AmxRows,     ///< the AMX kernel's rows of A in tile layout
  AmxPartial,  ///< its accumulators between K slices
  ConvInput,   ///< a convolution's padded copy of its input
  ConvPatches, ///< a block's gathered patches
  ConvOut,     ///< a block's result
  ConvBytes,   ///< a block's requantized result
  SparseB,     ///< dense quads rebuilt from a sparse B
  ConvAddends, ///< a convolution's per-filter addends (bias, column sums)
  Count
};
/// At least `bytes` bytes, 64-byte aligned, of this thread's buffer `slot`
/// (grown, never shrunk, freed when the thread ends): a buffer of more
/// than glibc's mmap threshold (128 KiB) allocated per call costs a fresh
/// mapping and a page fault per 4 KiB on every call. Contents are
/// undefined. Compiled for baseline x86-64 (a plain function, no template:
/// the per-ISA files call it).
void *threadScratch(Scratch slot, size_t bytes);

/// Run on the columns of panels [p0, p1) of batch `bt` right after the
/// kernel wrote them (the driver's hook for epilogues such as dqgemm's).
using TileEpilogue = void (*)(void *context, int64_t bt, int64_t p0,
                              int64_t p1);
/// qgemm, with `epilogue` (if not null) run after each kernel call.
void runQGemm(Isa isa, const QGemmArgs &args, TileEpilogue epilogue,
              void *context);

void qgemmGeneric(const QGemmTask &task, int64_t p0, int64_t p1);
void qgemmAvx2(const QGemmTask &task, int64_t p0, int64_t p1);
void qgemmAvxVnni(const QGemmTask &task, int64_t p0, int64_t p1);
void qgemmAvx512Vnni(const QGemmTask &task, int64_t p0, int64_t p1);
void qgemmAmx(const QGemmTask &task, int64_t p0, int64_t p1);

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_QGEMMIMPL_H
