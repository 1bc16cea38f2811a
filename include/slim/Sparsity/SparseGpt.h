//===- SparseGpt.h - SparseGPT pruning --------------------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// SparseGPT (Frantar and Alistarh, "SparseGPT: Massive Language Models Can
// Be Accurately Pruned in One-Shot", 2023): layer-wise reconstruction by
// Optimal Brain Surgeon updates, on GPTQ's machinery. The rows of W [K, N]
// (row k multiplies input channel k) are visited in order; with U the
// upper Cholesky factor of H^-1, H = X^T X + damping (startObs in Numerics/Gptq.h),
// a removed weight's error is spread over the rows not yet visited so as
// to minimize || X W - X W' ||^2 on the calibration inputs:
//
//   err      = (W[k, :] - mask[k, :] * W[k, :]) / U[k, k]
//   W[j, :] -= U[k, j] * err                             for j > k
//
// The mask is chosen as the rows are reached, from the current (updated)
// weights, by the OBS saliency W[k][c]^2 / U[k][k]^2: for n:m at the first
// row of each group of m rows (the n most salient of the group, per
// column), for unstructured per block of `blockRows` rows (the block's
// least salient `sparsity` fraction). Plain C++ on Eigen; no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SPARSITY_SPARSEGPT_H
#define SLIM_SPARSITY_SPARSEGPT_H

#include "slim/Sparsity/Masks.h"

#include <optional>
#include <vector>

namespace slim {
namespace sparsity {

struct SparseGptOptions {
  PatternSpec spec;           ///< Unstructured, NM or Bank
  int64_t blockRows = 128;    ///< unstructured: rows per mask decision
  double damping = 0.01;      ///< of the mean of H's diagonal
};

/// The pruned (zeros where removed) and reconstructed (the kept weights
/// updated) K x N weight, row-major. Dead input channels (H[k][k] = 0) are
/// zero, as in GPTQ. std::nullopt when H is not positive definite after
/// damping or the pattern is Block.
std::optional<std::vector<float>> sparseGptPrune(const float *w, int64_t k,
                                                 int64_t n, const double *gram,
                                                 const SparseGptOptions &options);

/// Whole rows of a K x N weight removed at once (channel pruning: the
/// input channels `kept[r] == 0`), the kept rows W_K moved to minimize
/// ||X_K W'_K - X W||^2 on the calibration inputs:
///
///   W'_K = W_K + (H_KK + lambda I)^-1 H_KS W_S,   W'_S = 0,
///
/// lambda `damping` times the mean of H_KK's diagonal (GPTQ's percdamp).
/// std::nullopt when the damped H_KK is not positive definite.
std::optional<std::vector<float>>
reconstructRows(const float *w, int64_t k, int64_t n, const double *gram,
                const std::vector<uint8_t> &kept, double damping);

/// The kept weights of `pruned` (its nonzeros; K x N, row-major) moved
/// toward the least-squares fit of the dense W on the calibration inputs
/// with the mask fixed: per column c, (H_SS + lambda I) w'_S = (H w)_S +
/// lambda w_S over its kept rows S (the damping pulls toward the dense
/// weights), lambda `damping` times the mean of H's diagonal,
/// solved by `iterations` steps of conjugate gradients from `pruned` (all
/// columns together: each step one product by H). With uncorrelated
/// inputs (a diagonal H, no damping) the fit is the kept weights
/// themselves. Removed weights stay +0.
std::vector<float> refitMasked(const float *w, const std::vector<float> &pruned,
                               int64_t k, int64_t n, const double *gram,
                               double damping, int iterations);

} // namespace sparsity
} // namespace slim

#endif // SLIM_SPARSITY_SPARSEGPT_H
