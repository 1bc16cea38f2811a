//===- Collector.h - Observer sink that accumulates statistics ----*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_CALIBRATION_COLLECTOR_H
#define SLIM_CALIBRATION_COLLECTOR_H

#include "slim/Calibration/Hessians.h"
#include "slim/Calibration/Stats.h"
#include "slim/Runtime/Observers.h"

namespace slim {
namespace calibration {

/// One observer as numbered by slim-lower-observers{mode=runtime}.
struct ObserverInfo {
  std::string id;
  int64_t axis = -1; ///< channel axis of the whole tensor, or -1
  /// The convolution patches whose Gram matrix is wanted (slim.observe's
  /// `patches`: c, kh, kw, sh, sw, dh, dw), or empty: its rows.
  std::vector<int64_t> patches;
};

/// Accumulates what the observers of a running module report: a sample is
/// one index along dimension 0 of a tensor of rank 2 or more (the whole
/// tensor otherwise), recorded one at a time so that the statistics do not
/// depend on batching. Memory is the statistics only: every tensor is
/// reduced as it arrives.
class Collector : public runtime::ObserverSink {
public:
  /// With `grams`, also the sum of x x^T over the rows (vectors along the
  /// last dimension) of every observed tensor of rank 2 or more whose last
  /// dimension is at most kMaxGramSize; for an observer with `patches`,
  /// over its convolution patches (kh * kw * C values each, at most
  /// kMaxGramSize) instead.
  explicit Collector(std::vector<ObserverInfo> observers, bool grams = false);

  static constexpr int64_t kMaxGramSize = 8192;

  void observe(int64_t observer, const float *data, int64_t rank,
               const int64_t *sizes, const int64_t *strides) override;

  /// A mask over the rows of the next run's activations (one entry per row,
  /// nonzero to keep): an observed tensor with exactly as many rows (the
  /// product of all but its last dimension) enters its Gram matrix with
  /// only the kept rows. A transformer's attention mask, [batch, tokens],
  /// leaves the padding tokens out this way; tensors with another number
  /// of rows (attention scores, per-head views) take every row. The
  /// statistics are not masked. Empty: no mask.
  void setRowMask(std::vector<uint8_t> mask) { rowMask = std::move(mask); }

  const Stats &getStats() const { return stats; }
  const Hessians &getHessians() const { return hessians; }
  /// Calls that named an observer number outside the table.
  uint64_t getUnknownObserverCalls() const { return unknownCalls; }

private:
  /// The patches of a convolution's input as rows, into its Gram matrix.
  void addPatches(Gram &gram, llvm::ArrayRef<int64_t> patches, const float *data,
                  const int64_t *sizes);

  std::vector<ObserverStats *> byNumber;
  std::vector<std::vector<int64_t>> patchesByNumber;
  bool grams;
  Hessians hessians;
  std::vector<float> scratch;
  std::vector<uint8_t> rowMask;
  Stats stats;
  uint64_t unknownCalls = 0;
};

} // namespace calibration
} // namespace slim

#endif // SLIM_CALIBRATION_COLLECTOR_H
