//===- Calibration.h - Histograms and range choosers --------------*- C++
//-*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// From observed activations to a quantization range: the histogram an
// observer keeps, and the range choosers of BRIEF.md section 4 (MinMax comes
// from the exact extremes; percentile, entropy/KL and MSE from the
// histogram). Plain C++ with no MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_NUMERICS_CALIBRATION_H
#define SLIM_NUMERICS_CALIBRATION_H

#include "slim/Numerics/Quantization.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace slim {
namespace numerics {

/// A histogram of observed values: kBins bins of |x| over [0, limit) for the
/// negative and the positive values separately, plus a count of zeros.
/// `limit` is a power of two; when a value at or above it arrives, the limit
/// doubles and neighbouring bins merge pairwise. All grids are nested, so the
/// final histogram depends only on the multiset of values, not on their order
/// or on how they were grouped into batches.
class Histogram {
public:
  static constexpr int kBins = 2048;

  /// Adds one finite value; returns false (and records nothing) for NaN and
  /// infinities.
  bool add(double x);

  /// Adds every value of `other` (both end up on the coarser grid).
  void merge(const Histogram &other);

  /// The upper end of the histogram's range (0 while only zeros were seen).
  double getLimit() const { return limit; }
  double getBinWidth() const { return limit / kBins; }
  uint64_t getZeros() const { return zeros; }
  const std::vector<uint64_t> &getPositive() const { return positive; }
  const std::vector<uint64_t> &getNegative() const { return negative; }
  uint64_t getTotal() const;

  /// Counts of |x| per bin (negative + positive; zeros in bin 0).
  std::vector<uint64_t> getAbsolute() const;

  /// Rebuilds a histogram from its parts (for deserialization). Fails when
  /// the limit is not zero or a power of two, or the sizes are not kBins.
  static std::optional<Histogram> fromParts(double limit, uint64_t zeros,
                                            std::vector<uint64_t> negative,
                                            std::vector<uint64_t> positive);

  bool operator==(const Histogram &other) const;

private:
  /// Doubles the limit until it exceeds `magnitude`.
  void growTo(double magnitude);
  void coarsen();

  double limit = 0.0;
  uint64_t zeros = 0;
  std::vector<uint64_t> negative = std::vector<uint64_t>(kBins, 0);
  std::vector<uint64_t> positive = std::vector<uint64_t>(kBins, 0);
};

/// A real range [min, max].
struct RealRange {
  double min = 0.0;
  double max = 0.0;
};

/// The p-th percentile (0 < p <= 100) of the values. Symmetric: [-T, T] with T
/// the p-th percentile of |x|. Asymmetric: [q(1 - p/100), q(p/100)] of x.
/// Bounds are bin edges, never beyond the exact extremes [exactMin, exactMax].
RealRange choosePercentileRange(const Histogram &h, double percentile,
                                bool symmetric, double exactMin,
                                double exactMax);

/// Entropy calibration (TensorRT): a clipping window [a, b) of bins is scored
/// by KL(P || Q), P the window's counts with the mass outside added to its end
/// bins, Q the window merged into `levels` groups and spread back over each
/// group's non-empty bins. Exact zeros are left out (the zero point
/// represents them exactly). Symmetric: on |x| with
/// levels = (qmax - qmin + 1) / 2, every window [0, i) for i >= levels,
/// range [-T, T] with T = i * bin width. Asymmetric, no negative values: the
/// same on x with qmax - qmin + 1 levels, range [0, T]. Asymmetric with both
/// signs: from the occupied bins, the end whose removal gives the smaller KL
/// moves in, one step at a time; the best window seen is the range. Never
/// beyond the exact extremes.
RealRange chooseEntropyRange(const Histogram &h, IntRange storage,
                             bool symmetric, double exactMin, double exactMax);

/// MSE search: the clipping range minimizing the expected squared error of
/// quantize-then-dequantize over the histogram (bin centres weighted by
/// their counts), among 100 candidates scaling the exact range by k / 100.
RealRange chooseMseRange(const Histogram &h, IntRange storage, bool symmetric,
                         double exactMin, double exactMax);

/// The same search on exact values (finite; a weight group, say): the
/// candidate that minimizes the sum of squared round-trip errors of `values`
/// themselves. The range of all-zero (or no) values is [0, 0].
RealRange chooseMseRange(const float *values, size_t count, IntRange storage,
                         bool symmetric);

/// The fraction of the histogram's values outside [range.min, range.max],
/// counting the bins that lie wholly beyond it (a lower estimate: values in
/// a bin the bound cuts through count as kept).
double clippedFraction(const Histogram &h, RealRange range);

/// The histogram for display: counts in `bins` equal-width bins over
/// [range.min, range.max] (range.min < range.max, else all counts are 0),
/// each of h's bins (and its zeros) counted whole in the bin that holds its
/// centre, clamped into the range; bins wholly outside it are dropped.
std::vector<uint64_t> resampleHistogram(const Histogram &h, RealRange range,
                                        int bins);

/// KL divergence of two unnormalized distributions (each normalized here);
/// bins where p is 0 contribute nothing, bins where p > 0 and q == 0 are
/// charged as if q held a tiny mass.
double klDivergence(const std::vector<double> &p, const std::vector<double> &q);

} // namespace numerics
} // namespace slim

#endif // SLIM_NUMERICS_CALIBRATION_H
