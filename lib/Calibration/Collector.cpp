//===- Collector.cpp - Observer sink that accumulates statistics ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Calibration/Collector.h"

using namespace slim;
using namespace slim::calibration;

Collector::Collector(std::vector<ObserverInfo> observers, bool grams)
    : grams(grams) {
  for (const ObserverInfo &info : observers) {
    ObserverStats &s = stats.observers[info.id];
    s.id = info.id;
    s.axis = info.axis;
    byNumber.push_back(&s);
  }
}

/// Copies a strided view (rank dims) into `out`, row-major.
static void gather(const float *data, int64_t rank, const int64_t *sizes,
                   const int64_t *strides, std::vector<float> &out) {
  if (rank == 0) {
    out.push_back(*data);
    return;
  }
  for (int64_t i = 0; i < sizes[0]; ++i)
    gather(data + i * strides[0], rank - 1, sizes + 1, strides + 1, out);
}

void Collector::observe(int64_t observer, const float *data, int64_t rank,
                        const int64_t *sizes, const int64_t *strides) {
  if (observer < 0 || observer >= static_cast<int64_t>(byNumber.size())) {
    ++unknownCalls;
    return;
  }
  ObserverStats &s = *byNumber[observer];
  // The table's axis is in whole-tensor coordinates; statistics are kept
  // per sample, without the batch dimension.
  bool batched = rank >= 2;
  int64_t sampleAxis = s.axis < 0 ? -1 : (batched ? s.axis - 1 : s.axis);
  int64_t samples = batched ? sizes[0] : 1;
  const int64_t *sampleSizes = batched ? sizes + 1 : sizes;
  const int64_t *sampleStrides = batched ? strides + 1 : strides;
  int64_t sampleRank = batched ? rank - 1 : rank;
  std::vector<int64_t> shape(sampleSizes, sampleSizes + sampleRank);
  for (int64_t i = 0; i < samples; ++i) {
    scratch.clear();
    gather(data + (batched ? i * strides[0] : 0), sampleRank, sampleSizes,
           sampleStrides, scratch);
    s.addSample(scratch, shape, sampleAxis);
  }
  // The Gram matrix takes every vector along the last dimension as a row,
  // all of them in one update.
  int64_t k = sizes[rank - 1];
  if (grams && rank >= 2 && k > 0 && k <= kMaxGramSize) {
    scratch.clear();
    gather(data, rank, sizes, strides, scratch);
    int64_t rows = static_cast<int64_t>(scratch.size()) / k;
    bool masked = !rowMask.empty() &&
                  static_cast<int64_t>(rowMask.size()) == rows;
    hessians.observers[s.id].addRows(scratch.data(), rows, k,
                                     masked ? rowMask.data() : nullptr);
  }
}
