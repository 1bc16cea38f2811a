//===- Parallel.h - How a kernel call is split over threads -----*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Internal to the drivers (compiled for baseline x86-64): every call is cut
// into work items, each batch into as many ranges of column panels as the
// threads need, run with OpenMP.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_KERNELS_PARALLEL_H
#define SLIM_RUNTIME_KERNELS_PARALLEL_H

#include "slim/Runtime/Kernels.h"

#include <algorithm>
#include <cstdint>

namespace slim::runtime::detail {

/// Below this many multiply-adds a call runs on one thread: waking the
/// others costs more than it saves.
constexpr int64_t kParallelWork = int64_t(1) << 18;

/// Threads for a call of `work` multiply-adds: all of them, or one below
/// kParallelWork.
static inline int threadsFor(int64_t work) {
  return work < kParallelWork ? 1 : getNumThreads();
}

/// Calls fn(r0, r1) on `threads` threads for ranges covering [0, m), one per
/// thread, each a multiple of `granule` but the last.
template <typename F>
static inline void forEachRowRange(int64_t m, int64_t granule, int threads,
                                   F &&fn) {
  int64_t chunk = (m + threads - 1) / threads;
  chunk = (chunk + granule - 1) / granule * granule;
  int64_t parts = (m + chunk - 1) / chunk;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
#endif
  for (int64_t i = 0; i < parts; ++i)
    fn(i * chunk, std::min(m, (i + 1) * chunk));
}

/// Calls fn(batch, p0, p1) for every batch and ranges [p0, p1) covering its
/// `panels`, each range a multiple of `granule` panels but the last.
template <typename F>
static inline void forEachPanelRange(int64_t batch, int64_t panels,
                                     int64_t work, int64_t granule, F &&fn) {
  int threads = threadsFor(work);
  int64_t parts = 1;
  if (batch < threads)
    parts = std::min<int64_t>(panels, (threads + batch - 1) / batch);
  int64_t chunk = (panels + parts - 1) / parts;
  chunk = (chunk + granule - 1) / granule * granule;
  parts = (panels + chunk - 1) / chunk;
  int64_t items = batch * parts;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
#endif
  for (int64_t item = 0; item < items; ++item) {
    int64_t p0 = (item % parts) * chunk;
    fn(item / parts, p0, std::min(panels, p0 + chunk));
  }
}

} // namespace slim::runtime::detail

#endif // SLIM_RUNTIME_KERNELS_PARALLEL_H
