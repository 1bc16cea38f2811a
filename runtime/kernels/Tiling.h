//===- Tiling.h - Register tiles over rows and panels (internal) -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Shared by every kernel file (internal linkage: each file gets its own
// copy, compiled with its own ISA's flags).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_TILING_H
#define SLIM_RUNTIME_KERNELS_TILING_H

#include <cstdint>

namespace slim::runtime::detail {

/// Calls f.template operator()<V>() for the V in [1, Max] equal to v.
template <int Max, typename F> static inline void dispatchUpTo(int v, F &&f) {
  if constexpr (Max >= 1) {
    if (v == Max)
      return f.template operator()<Max>();
    dispatchUpTo<Max - 1>(v, f);
  }
}

/// Rows [0, m) over panels [p0, p1) in register tiles of up to MR rows x
/// NP panels: tile.template operator()<R, N>(row, panel) computes one.
template <int MR, int NP, typename Task, typename Tile>
static inline void sweepTiles(const Task &t, int64_t p0, int64_t p1,
                              Tile &&tile) {
  for (int64_t p = p0; p < p1; p += NP) {
    int np = static_cast<int>(p1 - p < NP ? p1 - p : NP);
    int64_t r = 0;
    dispatchUpTo<NP>(np, [&]<int N>() {
      for (; r + MR <= t.m; r += MR)
        tile.template operator()<MR, N>(r, p);
      if (r < t.m)
        dispatchUpTo<MR>(static_cast<int>(t.m - r), [&]<int R>() {
          tile.template operator()<R, N>(r, p);
        });
    });
  }
}

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_TILING_H
