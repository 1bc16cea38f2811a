//===- Masks.h - Which weights a sparsity pattern keeps ---------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The arithmetic of pruning, without MLIR: the patterns (unstructured, N:M
// along the reduction, blocks), their checks against a weight's shape, the
// importance scores (magnitude, Wanda) and the keep-mask each pattern
// selects from them. A weight is K x N, row-major: K along the reduction
// (a matmul's rows), N output channels (its columns).
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_SPARSITY_MASKS_H
#define SLIM_SPARSITY_MASKS_H

#include <cstdint>
#include <string>
#include <vector>

namespace slim {
namespace sparsity {

enum class Pattern {
  Unstructured, ///< any weights, the least important fraction of the layer
  NM,           ///< n kept of every m consecutive along K, per column
  Block,        ///< blockRows x blockCols blocks, whole blocks removed
  Bank,         ///< each column's K split into `banks` banks, equally pruned
};

struct PatternSpec {
  Pattern pattern = Pattern::Unstructured;
  /// Unstructured and Block: the fraction of weights (of blocks) removed,
  /// in [0, 1); round(sparsity * count) of them, ties to even.
  double sparsity = 0.5;
  int64_t n = 2, m = 4;                  ///< NM
  int64_t blockRows = 1, blockCols = 4; ///< Block: along K, along N
  int64_t banks = 1;                     ///< Bank

  /// The pattern for a reduction of `k` (which checkPattern accepted): a
  /// Bank is the n:m with m = k / banks and n = m - round(sparsity * m);
  /// the others are themselves.
  PatternSpec forReduction(int64_t k) const;
};

/// Why `spec` cannot prune a K x N weight (an empty string when it can):
/// sparsity outside [0, 1), n outside [0, m], m < 1 or not dividing K,
/// blocks that do not tile the weight, banks < 1 or not dividing K.
std::string checkPattern(const PatternSpec &spec, int64_t k, int64_t n);

/// |w|, the magnitude criterion.
std::vector<float> magnitudeScores(const float *w, int64_t count);

/// Wanda (Sun et al. 2023): |w[r][c]| * ||X_r||, with ||X_r||^2 the
/// diagonal of the calibration inputs' Gram matrix X^T X (gramDiagonal, K
/// values), so that a weight reading a large input channel counts more.
std::vector<float> wandaScores(const float *w, int64_t k, int64_t n,
                               const double *gramDiagonal);

/// The keep-mask (1 kept, 0 removed) of a K x N weight whose importance
/// is `scores` (higher is more important), per `spec` (which checkPattern
/// accepted). Among equal scores the lower index is kept (blocks: the
/// earlier block in row-major block order), so the mask is deterministic.
std::vector<uint8_t> selectMask(const PatternSpec &spec, const float *scores,
                                int64_t k, int64_t n);

} // namespace sparsity
} // namespace slim

#endif // SLIM_SPARSITY_MASKS_H
