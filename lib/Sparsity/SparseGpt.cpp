//===- SparseGpt.cpp - SparseGPT pruning ----------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/SparseGpt.h"

#include "slim/Numerics/Gptq.h"

#include <algorithm>

namespace slim {
namespace sparsity {

std::optional<std::vector<float>> sparseGptPrune(const float *w, int64_t k,
                                                 int64_t n, const double *gram,
                                                 const SparseGptOptions &o) {
  if (k <= 0 || n <= 0 || o.blockRows <= 0 || o.spec.pattern == Pattern::Block)
    return std::nullopt;
  const PatternSpec spec = o.spec.forReduction(k);
  std::optional<::slim::numerics::ObsState> obs =
      ::slim::numerics::startObs(w, k, n, gram, o.damping);
  if (!obs)
    return std::nullopt;

  // OBS saliency of the current weights of rows [r0, r1): w^2 / U[r][r]^2.
  auto saliency = [&](int64_t r0, int64_t r1) {
    std::vector<float> s(static_cast<size_t>((r1 - r0) * n));
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t c = 0; c < n; ++c) {
        double d = obs->uAt(r, r), v = obs->w(r, c);
        s[(r - r0) * n + c] = static_cast<float>(v * v / (d * d));
      }
    return s;
  };
  std::vector<uint8_t> keep(static_cast<size_t>(k * n), 1);
  std::vector<double> err(static_cast<size_t>(n));
  for (int64_t i = 0; i < k; ++i) {
    bool unstructured = spec.pattern == Pattern::Unstructured;
    int64_t period = unstructured ? o.blockRows : spec.m;
    if (i % period == 0) {
      // The mask of the rows from here to the next decision.
      int64_t rows = std::min(period, k - i);
      std::vector<float> s = saliency(i, i + rows);
      std::vector<uint8_t> mask = selectMask(spec, s.data(), rows, n);
      std::copy(mask.begin(), mask.end(), keep.begin() + i * n);
    }
    for (int64_t c = 0; c < n; ++c) {
      double kept = keep[i * n + c] ? obs->w(i, c) : 0.0;
      err[c] = (obs->w(i, c) - kept) / obs->uAt(i, i);
      obs->w(i, c) = kept;
    }
    obs->spread(i, err.data());
  }
  std::vector<float> out(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < k * n; ++i)
    out[i] = keep[i] ? static_cast<float>(obs->weights[i]) : 0.0f;
  return out;
}

} // namespace sparsity
} // namespace slim
