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
    patchesByNumber.push_back(info.patches);
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
  const std::vector<int64_t> &patches = patchesByNumber[observer];
  if (grams && !patches.empty() && rank == 4) {
    scratch.clear();
    gather(data, rank, sizes, strides, scratch);
    addPatches(hessians.observers[s.id], patches, scratch.data(), sizes);
    return;
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

void Collector::addPatches(Gram &gram, llvm::ArrayRef<int64_t> patches,
                           const float *data, const int64_t *sizes) {
  bool nchw = patches[0] == 1;
  int64_t kh = patches[1], kw = patches[2], sh = patches[3], sw = patches[4],
          dh = patches[5], dw = patches[6];
  int64_t n = sizes[0], c = nchw ? sizes[1] : sizes[3],
          h = nchw ? sizes[2] : sizes[1], w = nchw ? sizes[3] : sizes[2];
  int64_t k = kh * kw * c;
  int64_t spanH = dh * (kh - 1) + 1, spanW = dw * (kw - 1) + 1;
  if (k <= 0 || k > kMaxGramSize || h < spanH || w < spanW)
    return;
  int64_t oh = (h - spanH) / sh + 1, ow = (w - spanW) / sw + 1;
  auto at = [&](int64_t b, int64_t ch, int64_t y, int64_t x) {
    return nchw ? data[((b * c + ch) * h + y) * w + x]
                : data[((b * h + y) * w + x) * c + ch];
  };
  // Rows in chunks: each output pixel's window, (kh, kw, c) order.
  constexpr int64_t kChunk = 256;
  std::vector<float> rows;
  rows.reserve(static_cast<size_t>(kChunk * k));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        for (int64_t p = 0; p < kh; ++p)
          for (int64_t q = 0; q < kw; ++q)
            for (int64_t ch = 0; ch < c; ++ch)
              rows.push_back(at(b, ch, y * sh + p * dh, x * sw + q * dw));
        if (static_cast<int64_t>(rows.size()) == kChunk * k) {
          gram.addRows(rows.data(), kChunk, k);
          rows.clear();
        }
      }
  if (!rows.empty())
    gram.addRows(rows.data(), static_cast<int64_t>(rows.size()) / k, k);
}
