//===- OutputError.h - A layer's output error from a Gram matrix -*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// How much a changed weight W' (pruned, factorized) moves a layer's output
// on the calibration inputs X, from their Gram matrix H = X^T X alone:
// ||X D||_F^2 = sum_c d_c^T H d_c. The compression passes measure, budget
// and report with it.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_NUMERICS_OUTPUTERROR_H
#define SLIM_NUMERICS_OUTPUTERROR_H

#include <cstdint>
#include <optional>
#include <vector>

namespace slim {
namespace numerics {

/// sum_c d_c^T H d_c over the columns of d (K x N, row-major), H = `gram`
/// (K x K, row-major): ||X d||_F^2 for the calibration inputs X.
double gramNorm(const std::vector<double> &gram, const std::vector<double> &d,
                int64_t k, int64_t n);

/// ||X (W - W')||^2 over the calibration inputs whose Gram matrix is
/// `gram` (K x K) for a K x N weight W and its pruned or factorized W' (row-major), and
/// the same over ||X W||^2 (none when that is 0).
double residualNorm(const std::vector<double> &gram, const float *w,
                    const std::vector<float> &pruned, int64_t k, int64_t n);
std::optional<double> relativeOutputError(const std::vector<double> &gram,
                                          const float *w,
                                          const std::vector<float> &pruned,
                                          int64_t k, int64_t n);

} // namespace numerics
} // namespace slim

#endif // SLIM_NUMERICS_OUTPUTERROR_H
