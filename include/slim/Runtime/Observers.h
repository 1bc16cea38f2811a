//===- Observers.h - Runtime entry points of calibration observers -*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The C entry point that observers lowered by
// slim-lower-observers{mode=runtime} call, and the sink it forwards every
// observed tensor to. A JIT registers the entry point by name
// (getObserverRuntimeSymbols); an AOT build links runtime/ directly.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_RUNTIME_OBSERVERS_H
#define SLIM_RUNTIME_OBSERVERS_H

#include <cstdint>
#include <utility>
#include <vector>

namespace slim {
namespace runtime {

/// Receives every observed tensor: a strided float32 view.
class ObserverSink {
public:
  virtual ~ObserverSink() = default;
  virtual void observe(int64_t observer, const float *data, int64_t rank,
                       const int64_t *sizes, const int64_t *strides) = 0;
};

/// Installs the sink observers report to (nullptr: observations are
/// dropped). Not thread-safe: one calibration at a time per process.
void setObserverSink(ObserverSink *sink);

/// (symbol name, address) of every runtime entry point, for a JIT.
std::vector<std::pair<const char *, void *>> getObserverRuntimeSymbols();

} // namespace runtime
} // namespace slim

/// The MLIR C interface of `func.func private @slim_observe_f32(i64,
/// memref<*xf32>) attributes {llvm.emit_c_interface}`.
struct SlimUnrankedMemRef {
  int64_t rank;
  void *descriptor;
};
extern "C" void _mlir_ciface_slim_observe_f32(int64_t observer,
                                              SlimUnrankedMemRef *tensor);

#endif // SLIM_RUNTIME_OBSERVERS_H
