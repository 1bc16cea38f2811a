//===- Observers.cpp - Runtime entry points of calibration observers ------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Runtime/Observers.h"

namespace {
slim::runtime::ObserverSink *activeSink = nullptr;
} // namespace

void slim::runtime::setObserverSink(ObserverSink *sink) { activeSink = sink; }

std::vector<std::pair<const char *, void *>>
slim::runtime::getObserverRuntimeSymbols() {
  return {{"_mlir_ciface_slim_observe_f32",
           reinterpret_cast<void *>(&_mlir_ciface_slim_observe_f32)}};
}

extern "C" void _mlir_ciface_slim_observe_f32(int64_t observer,
                                              SlimUnrankedMemRef *tensor) {
  if (!activeSink || !tensor)
    return;
  // A ranked descriptor: {allocated, aligned, offset, sizes[rank],
  // strides[rank]}, pointers and integers all 64 bits.
  auto *fields = static_cast<int64_t *>(tensor->descriptor);
  const auto *aligned = reinterpret_cast<const float *>(fields[1]);
  int64_t offset = fields[2];
  const int64_t *sizes = fields + 3;
  const int64_t *strides = sizes + tensor->rank;
  activeSink->observe(observer, aligned + offset, tensor->rank, sizes, strides);
}
