//===- OutputError.cpp - A layer's output error from a Gram matrix --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/OutputError.h"

#include <algorithm>

namespace slim {
namespace numerics {

double gramNorm(const std::vector<double> &gram, const std::vector<double> &d,
                int64_t k, int64_t n) {
  double total = 0.0;
  std::vector<double> hd(static_cast<size_t>(n));
  for (int64_t r = 0; r < k; ++r) {
    std::fill(hd.begin(), hd.end(), 0.0);
    for (int64_t j = 0; j < k; ++j) {
      double h = gram[r * k + j];
      if (h == 0.0)
        continue;
      for (int64_t c = 0; c < n; ++c)
        hd[c] += h * d[j * n + c];
    }
    for (int64_t c = 0; c < n; ++c)
      total += d[r * n + c] * hd[c];
  }
  return total;
}

double residualNorm(const std::vector<double> &gram, const float *w,
                    const std::vector<float> &pruned, int64_t k, int64_t n) {
  std::vector<double> diff(pruned.size());
  for (size_t i = 0; i < diff.size(); ++i)
    diff[i] = double(w[i]) - double(pruned[i]);
  return gramNorm(gram, diff, k, n);
}

std::optional<double> relativeOutputError(const std::vector<double> &gram,
                                          const float *w,
                                          const std::vector<float> &pruned,
                                          int64_t k, int64_t n) {
  std::vector<double> dense(w, w + k * n);
  double ref = gramNorm(gram, dense, k, n);
  if (!(ref > 0.0))
    return std::nullopt;
  return residualNorm(gram, w, pruned, k, n) / ref;
}

} // namespace numerics
} // namespace slim
