//===- Gptq.h - GPTQ weight quantization ------------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// GPTQ (Frantar et al., "GPTQ: Accurate Post-Training Quantization for
// Generative Pre-trained Transformers", 2023; from Optimal Brain
// Quantization): the rows of a weight W [K, N] (row k multiplies input
// channel k) are quantized one at a time, and each row's rounding error is
// spread over the rows not yet quantized so as to minimize
// || X W - X Q(W) ||^2 over the calibration inputs X, through the upper
// Cholesky factor U of H^-1, H = X^T X (+ damping):
//
//   err      = (W[k, :] - Q(W[k, :])) / U[k, k]
//   W[j, :] -= U[k, j] * err                     for j > k
//
// Group parameters are chosen when the quantization reaches a group's first
// row, from the group's current (already corrected) values. Plain C++ on
// Eigen; no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_NUMERICS_GPTQ_H
#define SLIM_NUMERICS_GPTQ_H

#include "slim/Numerics/Quantization.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace slim {
namespace numerics {

struct GptqOptions {
  IntRange range;
  bool symmetric = true;
  /// Rows per group (the whole K for one set of parameters per column).
  int64_t groupSize = 0;
  /// Group ranges: the extremes, or the MSE search (chooseMseRange).
  bool mse = false;
  /// Added to H's diagonal: this fraction of its mean.
  double damping = 0.01;
};

struct GptqResult {
  std::vector<int64_t> values;     ///< K x N quantized weights, row-major
  std::vector<double> scales;      ///< (K / groupSize) x N
  std::vector<int64_t> zeroPoints; ///< (K / groupSize) x N
};

/// What GPTQ and SparseGPT walk the rows of a weight with (Optimal Brain
/// Surgeon updates): U, the upper Cholesky factor of H'^-1 = U^T U, H' the
/// Gram matrix with dead input channels (a zero diagonal) given 1 there and
/// `damping` times the mean of its diagonal added; and the weights, dead
/// rows zeroed, which spread() updates as the rows are visited.
struct ObsState {
  int64_t k = 0, n = 0;
  std::vector<double> u;       ///< K x K, row-major
  std::vector<double> weights; ///< K x N, row-major
  double &w(int64_t row, int64_t col) { return weights[row * n + col]; }
  double uAt(int64_t row, int64_t col) const { return u[row * k + col]; }
  /// weights[j, :] -= U[row, j] * err for every row j after `row`; `err`
  /// (N values) is the row's error divided by U[row, row].
  void spread(int64_t row, const double *err);
};

/// The state for `w` (K x N, row-major) and `gram` (K x K, the sum of
/// x x^T over calibration rows); std::nullopt when H' is not positive
/// definite.
std::optional<ObsState> startObs(const float *w, int64_t k, int64_t n,
                                 const double *gram, double damping);

/// Quantizes `w` (K x N, row-major) given `gram` (K x K, the sum of x x^T
/// over calibration rows). Rows whose input channel never saw a non-zero
/// value (H[k, k] = 0) are zero, as in GPTQ. std::nullopt when H is not
/// positive definite after damping, or groupSize does not divide K.
std::optional<GptqResult> gptqQuantize(const float *w, int64_t k, int64_t n,
                                       const double *gram,
                                       const GptqOptions &options);

} // namespace numerics
} // namespace slim

#endif // SLIM_NUMERICS_GPTQ_H
