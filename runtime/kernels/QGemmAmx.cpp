//===- QGemmAmx.cpp - int8 GEMM on AMX tiles ------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Compiled with -mamx-tile -mamx-int8. Eight tile registers, all 16 rows x
// 64 bytes: four int32 accumulators (a 32 x 32 block of C), two A tiles (16
// rows x 64 k) and two B tiles (16 quads of one panel: the packed layout is
// the tile layout). tdpbssd multiplies s8 x s8 and tdpbusd u8 x s8, so no
// shift is needed. Below 16 rows the driver runs the AVX-512 VNNI kernel
// instead (a tile would be mostly padding).
//
// A 2 x 2 block of tiles reads 4 KB of operands per 64 k for four tile
// multiplies (about 64 cycles at the measured peak); tile loads from L2
// take about twice as long as from L1, and each block's accumulators wait
// for their first loads and drain before their stores. So:
// - A is copied, per chunk of kChunkRows rows, into the tile layout: for
//   each 16-row tile, 1 KB per 64 k (16 rows x 64 bytes, zero-padded), the
//   k blocks of a tile one after the other. Every tile load then reads 1 KB
//   of consecutive bytes (a row stride of K = 2048 or 4096 would put all 16
//   rows in one set of L1);
// - K is cut into slices (kSliceBytes): the slice of a 32-row block of A
//   stays in L1 while it meets every panel pair of a group of kGroupPanels
//   panels, whose slices come from L2;
// - between slices the accumulators go to a per-call buffer of int32 tiles
//   (the group's panels x the chunk's rows, in L2);
// - a whole 32 x 32 block (no accumulation with a column addend) starts
//   from the column addend, loaded as a tile with row stride 0, or from C
//   when accumulating, and its last slice stores the tiles straight into
//   C. Partial blocks go through a 32 x 32 scratch and an epilogue in zmm
//   registers (the addend, C's old values, masked stores);
// - a sparse B (QGemmTask::sparse) has each group's slice rebuilt into
//   dense tiles in this thread's scratch once per chunk of rows, before
//   its row blocks meet it: the expansion is paid once per 256 rows. A
//   tile of B with no nonzero byte (a 64 k x 16 block that pruning
//   removed) is neither rebuilt nor loaded nor multiplied, so block
//   sparsity in units of tiles skips its share of the work.
//
//===----------------------------------------------------------------------===//

#include "QGemmImpl.h"

#include <immintrin.h>

#include <cassert>
#include <cstdlib>

using namespace slim::runtime::detail;

namespace {

struct alignas(64) TileConfig {
  uint8_t palette = 1;
  uint8_t startRow = 0;
  uint8_t reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

constexpr int64_t kChunkRows = 256;
/// K up to kOneSliceBytes runs in one slice, longer K in slices of at most
/// kSliceBytes (measured on 128 x 768 x 768 and 2048^3: a 32-row block's
/// slice of A and a panel pair's slice of B, 16 KB each, then fit L1
/// together).
constexpr int64_t kOneSliceBytes = 768;
constexpr int64_t kSliceBytes = 512;
/// A sparse B's slices are longer: most of its tiles are skipped, so a
/// slice of kSliceBytes would spend more on the accumulators' trips to the
/// partial buffer than on products (measured on 128 x 4096 x 4096 with 80%
/// of the 64 k x 16 tiles removed: 0.91 ms at 512 bytes, 0.79 at 1024,
/// 0.79 at 2048, 0.82 at 4096).
constexpr int64_t kSparseSliceBytes = 1024;
/// Panels per group: a group's slice of B (256 KB) stays in L2 while every
/// row block of the chunk meets it.
constexpr int64_t kGroupPanels = 16;
constexpr int64_t kTileBytes = 1024;

/// Tile C += A x B: s8 x s8 or u8 x s8.
template <bool Signed, int C, int A, int B> inline void dot() {
  if constexpr (Signed)
    _tile_dpbssd(C, A, B);
  else
    _tile_dpbusd(C, A, B);
}

/// Where a 32 x 32 block's four int32 tiles are loaded from or stored to:
/// tile (i, j) (rows 16 i.., columns 16 j..) at base + i * rowStep + j *
/// colStep bytes, its rows `stride` bytes apart. A stride of 0 reads one row
/// 16 times (a column addend as the starting accumulator).
struct TileSet {
  char *base = nullptr;
  int64_t stride = 0, rowStep = 0, colStep = 0;

  char *at(int i, int j) const { return base + i * rowStep + j * colStep; }
};

/// Calls f.template operator()<T>(i, j) for each live accumulator tile T
/// (rows 16 i.., columns 16 j.. of the block).
template <bool TwoRows, bool TwoCols, typename F>
inline void eachAccumulator(F &&f) {
  f.template operator()<0>(0, 0);
  if constexpr (TwoCols)
    f.template operator()<1>(0, 1);
  if constexpr (TwoRows)
    f.template operator()<2>(1, 0);
  if constexpr (TwoRows && TwoCols)
    f.template operator()<3>(1, 1);
}

/// Which 64-k blocks of a slice a block of C multiplies: all of them
/// (dense B), or, for a sparse B, those whose B tile holds a nonzero byte,
/// per panel (`live0`, `live1`: one byte per block of the slice, nonzero
/// when the tile of b0, b1 there is live; a zero tile contributes nothing,
/// so skipping its products is exact).
struct LiveTiles {
  const uint8_t *live0 = nullptr, *live1 = nullptr;
};

/// One 32 x 32 block over one slice of K (fewer live tiles when the flags
/// say so): starts from `from` (zeros if its base is null), ends in `to`.
/// `a` is the block's first A tile at the slice's first k, `b0` and `b1`
/// the panels' tiles there; `blocks` the slice's 64-k blocks. With
/// `Sparse`, only the tiles `live` names are loaded and multiplied.
template <bool Signed, bool TwoRows, bool TwoCols, bool Sparse>
void block(const uint8_t *a, int64_t aTileStride, const int8_t *b0,
           const int8_t *b1, int64_t blocks, const TileSet &from,
           const TileSet &to, LiveTiles live) {
  if (from.base)
    eachAccumulator<TwoRows, TwoCols>([&]<int T>(int i, int j) {
      _tile_loadd(T, from.at(i, j), from.stride);
    });
  else
    eachAccumulator<TwoRows, TwoCols>([&]<int T>(int, int) { _tile_zero(T); });
  for (int64_t i = 0; i < blocks; ++i) {
    int64_t off = i * kTileBytes;
    bool use0 = true, use1 = TwoCols;
    if constexpr (Sparse) {
      use0 = live.live0[i];
      if constexpr (TwoCols)
        use1 = live.live1[i];
      if (!use0 && !use1)
        continue;
    }
    _tile_loadd(4, a + off, 64);
    if constexpr (TwoRows)
      _tile_loadd(5, a + aTileStride + off, 64);
    if (use0) {
      _tile_loadd(6, b0 + off, 64);
      dot<Signed, 0, 4, 6>();
      if constexpr (TwoRows)
        dot<Signed, 2, 5, 6>();
    }
    if constexpr (TwoCols) {
      if (use1) {
        _tile_loadd(7, b1 + off, 64);
        dot<Signed, 1, 4, 7>();
        if constexpr (TwoRows)
          dot<Signed, 3, 5, 7>();
      }
    }
  }
  eachAccumulator<TwoRows, TwoCols>([&]<int T>(int i, int j) {
    _tile_stored(T, to.at(i, j), to.stride);
  });
}

/// Rows [m0, m0 + rows) of A into `packed`, in the tile layout over Kp
/// (rows past `rows` up to a multiple of 16, and k past K, are zeros).
void packRows(const QGemmTask &t, int64_t m0, int64_t rows, uint8_t *packed) {
  int64_t tiles = (rows + 15) / 16;
  for (int64_t ti = 0; ti < tiles; ++ti)
    for (int64_t r = 0; r < 16; ++r) {
      int64_t row = ti * 16 + r;
      const uint8_t *from = t.a + (m0 + row) * t.lda;
      uint8_t *to = packed + ti * 16 * t.kp + r * 64;
      int64_t live = row < rows ? t.k : 0, kk = 0;
      for (; kk + 64 <= live; kk += 64)
        std::memcpy(to + kk * 16, from + kk, 64);
      for (; kk < t.kp; kk += 64) {
        int64_t n = live - kk > 0 ? live - kk : 0;
        if (n)
          std::memcpy(to + kk * 16, from + kk, static_cast<size_t>(n));
        std::memset(to + kk * 16 + n, 0, static_cast<size_t>(64 - n));
      }
    }
}

/// C's rows [r0, r0 + liveRows) at panels p, p + 1 (if twoCols) from a
/// finished 32 x 32 block: the column addend, and C's old values when
/// accumulating, added in zmm registers (colAdd has Np entries, so its
/// loads never pass the end).
void epilogue(const QGemmTask &t, int32_t (*scratch)[32], int64_t r0,
              int64_t liveRows, int64_t p, bool twoCols) {
  for (int h = 0; h < (twoCols ? 2 : 1); ++h) {
    int64_t cols = columnsIn(t, p + h);
    __mmask16 live = static_cast<__mmask16>((1u << cols) - 1u);
    __m512i add = t.colAdd ? _mm512_loadu_si512(t.colAdd + (p + h) * 16)
                           : _mm512_setzero_si512();
    for (int64_t r = 0; r < liveRows; ++r) {
      int32_t *o = t.c + (r0 + r) * t.ldc + (p + h) * 16;
      __m512i v =
          _mm512_add_epi32(_mm512_load_si512(scratch[r] + h * 16), add);
      if (t.accumulate)
        v = _mm512_add_epi32(v, _mm512_maskz_loadu_epi32(live, o));
      _mm512_mask_storeu_epi32(o, live, v);
    }
  }
}

template <bool Signed>
void run(const QGemmTask &t, int64_t p0, int64_t p1) {
  TileConfig config;
  for (int i = 0; i < 8; ++i) {
    config.rows[i] = 16;
    config.colsb[i] = 64;
  }
  _tile_loadconfig(&config);
  int64_t kBlocks = t.kp / 64;
  int64_t sliceBytes = t.sparse ? kSparseSliceBytes : kSliceBytes;
  int64_t slices =
      t.kp <= kOneSliceBytes ? 1 : (t.kp + sliceBytes - 1) / sliceBytes;
  // Slices of equal size (in 64-k blocks), the last one maybe shorter.
  int64_t sliceBlocks = (kBlocks + slices - 1) / slices;
  int64_t chunkRows = t.m < kChunkRows ? t.m : kChunkRows;
  int64_t chunkBlocks = (chunkRows + 31) / 32;
  int64_t aTileStride = 16 * t.kp;
  auto *packed = static_cast<uint8_t *>(threadScratch(
      Scratch::AmxRows, static_cast<size_t>(chunkBlocks * 2 * aTileStride)));
  // The accumulators between slices: four tiles per 32-row block and panel
  // pair of a group.
  char *partial = nullptr;
  if (slices > 1)
    partial = static_cast<char *>(threadScratch(
        Scratch::AmxPartial, static_cast<size_t>(chunkBlocks * kGroupPanels /
                                                 2 * 4 * kTileBytes)));
  // A sparse B: each group's slice rebuilt once per chunk of rows, panel
  // after panel (sliceBlocks tiles each), and read from there.
  int8_t *rebuilt = nullptr;
  if (t.sparse)
    rebuilt = static_cast<int8_t *>(threadScratch(
        Scratch::SparseB,
        static_cast<size_t>(kGroupPanels * sliceBlocks * kTileBytes)));
  // Per panel of the group, which tiles of the current slice are live (a
  // sparse B's slices hold at most kSparseSliceBytes / 64 blocks, or
  // kOneSliceBytes / 64 in one slice). A plain array: this file is built
  // for AMX, and instantiating a standard template here could give the
  // linker an AVX-512 copy of code the baseline files share.
  constexpr int64_t kMaxSliceBlocks = kSparseSliceBytes / 64;
  static_assert(kOneSliceBytes / 64 <= kMaxSliceBlocks);
  uint8_t liveTiles[kGroupPanels * kMaxSliceBlocks];
  assert((!rebuilt || sliceBlocks <= kMaxSliceBlocks) && "slice too long");
  alignas(64) int32_t last[32][32];
  const TileSet lastSet{reinterpret_cast<char *>(&last[0][0]), 128,
                        16 * 128, 64};
  int64_t cRow = t.ldc * int64_t(sizeof(int32_t));
  for (int64_t m0 = 0; m0 < t.m; m0 += kChunkRows) {
    int64_t rows = t.m - m0 < kChunkRows ? t.m - m0 : kChunkRows;
    packRows(t, m0, rows, packed);
    for (int64_t g0 = p0; g0 < p1; g0 += kGroupPanels) {
      int64_t g1 = g0 + kGroupPanels < p1 ? g0 + kGroupPanels : p1;
      for (int64_t s = 0; s < slices; ++s) {
        int64_t first = s * sliceBlocks;
        int64_t blocks =
            kBlocks - first < sliceBlocks ? kBlocks - first : sliceBlocks;
        if (rebuilt)
          for (int64_t p = g0; p < g1; ++p) {
            // Only the live tiles are rebuilt (runs of them per call);
            // the others are never read.
            uint8_t *live = liveTiles + (p - g0) * sliceBlocks;
            for (int64_t i = 0; i < blocks; ++i)
              live[i] = !sparseBlockEmpty(*t.sparse, p, first + i);
            for (int64_t i = 0; i < blocks;) {
              if (!live[i]) {
                ++i;
                continue;
              }
              int64_t j = i;
              while (j < blocks && live[j])
                ++j;
              t.expand(*t.sparse, p, first + i, j - i,
                       rebuilt + ((p - g0) * sliceBlocks + i) * kTileBytes);
              i = j;
            }
          }
        auto sliceOf = [&](int64_t p) {
          return rebuilt ? rebuilt + (p - g0) * sliceBlocks * kTileBytes
                         : quadOf(t, p, first * 64);
        };
        for (int64_t rb = 0; rb < rows; rb += 32) {
          const uint8_t *a =
              packed + (rb / 16) * aTileStride + first * kTileBytes;
          bool twoRows = rb + 16 < rows;
          int64_t liveRows = rows - rb < 32 ? rows - rb : 32;
          for (int64_t p = g0; p < g1; p += 2) {
            bool twoCols = p + 1 < g1;
            const int8_t *b0 = sliceOf(p);
            const int8_t *b1 = twoCols ? sliceOf(p + 1) : b0;
            // A whole block starts from C (accumulating) or from the
            // column addend and ends in C: no pass over it afterwards.
            bool whole = liveRows == 32 && twoCols &&
                         columnsIn(t, p + 1) == 16 &&
                         !(t.accumulate && t.colAdd);
            TileSet c{reinterpret_cast<char *>(t.c + (m0 + rb) * t.ldc +
                                               p * 16),
                      cRow, 16 * cRow, 64};
            TileSet mine;
            if (partial)
              mine = {partial + ((rb / 32) * (kGroupPanels / 2) +
                                 (p - g0) / 2) *
                                    4 * kTileBytes,
                      64, 2 * kTileBytes, kTileBytes};
            TileSet from, to = s + 1 < slices ? mine : whole ? c : lastSet;
            if (s > 0)
              from = mine;
            else if (whole && t.accumulate)
              from = c;
            else if (whole && t.colAdd)
              from = {reinterpret_cast<char *>(const_cast<int32_t *>(
                          t.colAdd + p * 16)),
                      0, 0, 64};
            LiveTiles live;
            if (rebuilt) {
              live.live0 = liveTiles + (p - g0) * sliceBlocks;
              live.live1 = twoCols ? live.live0 + sliceBlocks : live.live0;
            }
            auto run = [&]<bool Sparse>() {
              if (twoRows && twoCols)
                block<Signed, true, true, Sparse>(a, aTileStride, b0, b1,
                                                  blocks, from, to, live);
              else if (twoRows)
                block<Signed, true, false, Sparse>(a, aTileStride, b0, b1,
                                                   blocks, from, to, live);
              else if (twoCols)
                block<Signed, false, true, Sparse>(a, aTileStride, b0, b1,
                                                   blocks, from, to, live);
              else
                block<Signed, false, false, Sparse>(a, aTileStride, b0, b1,
                                                    blocks, from, to, live);
            };
            if (rebuilt)
              run.template operator()<true>();
            else
              run.template operator()<false>();
            if (s + 1 == slices && !whole)
              epilogue(t, last, m0 + rb, liveRows, p, twoCols);
          }
        }
      }
    }
  }
  _tile_release();
}

} // namespace

void slim::runtime::detail::qgemmAmx(const QGemmTask &t, int64_t p0,
                                     int64_t p1) {
  if (t.aSigned)
    run<true>(t, p0, p1);
  else
    run<false>(t, p0, p1);
}
