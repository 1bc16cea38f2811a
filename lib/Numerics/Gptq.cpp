//===- Gptq.cpp - GPTQ weight quantization --------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Gptq.h"

#include "slim/Numerics/Calibration.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>

namespace slim {
namespace numerics {

std::optional<GptqResult> gptqQuantize(const float *w, int64_t k, int64_t n,
                                       const double *gram,
                                       const GptqOptions &options) {
  int64_t groupSize = options.groupSize;
  if (k <= 0 || n <= 0 || groupSize <= 0 || k % groupSize != 0)
    return std::nullopt;
  using Matrix =
      Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Matrix h = Eigen::Map<const Matrix>(gram, k, k);
  Matrix weights(k, n);
  for (int64_t i = 0; i < k * n; ++i)
    weights(i / n, i % n) = w[i];
  for (int64_t i = 0; i < k; ++i) {
    if (h(i, i) == 0.0) { // a dead input channel
      h(i, i) = 1.0;
      weights.row(i).setZero();
    }
  }
  h.diagonal().array() += options.damping * h.diagonal().mean();
  Eigen::LLT<Matrix> factor(h);
  if (factor.info() != Eigen::Success)
    return std::nullopt;
  Matrix inverse = factor.solve(Matrix::Identity(k, k));
  Eigen::LLT<Matrix> inverseFactor(inverse);
  if (inverseFactor.info() != Eigen::Success)
    return std::nullopt;
  Matrix u = inverseFactor.matrixU(); // H^-1 = U^T U

  GptqResult result;
  result.values.resize(k * n);
  result.scales.resize((k / groupSize) * n);
  result.zeroPoints.resize((k / groupSize) * n);
  std::vector<float> group(groupSize);
  Eigen::RowVectorXd err(n);
  for (int64_t i = 0; i < k; ++i) {
    int64_t g = i / groupSize;
    if (i % groupSize == 0) {
      for (int64_t c = 0; c < n; ++c) {
        for (int64_t r = 0; r < groupSize; ++r)
          group[r] = static_cast<float>(weights(i + r, c));
        RealRange range{0.0, 0.0};
        if (options.mse) {
          range = chooseMseRange(group.data(), group.size(), options.range,
                                 options.symmetric);
        } else {
          auto [lo, hi] = std::minmax_element(group.begin(), group.end());
          range = {*lo, *hi};
        }
        std::optional<QuantParams> p = chooseQuantParams(
            static_cast<float>(range.min), static_cast<float>(range.max),
            options.range, options.symmetric);
        if (!p)
          return std::nullopt;
        result.scales[g * n + c] = p->scale;
        result.zeroPoints[g * n + c] = p->zeroPoint;
      }
    }
    for (int64_t c = 0; c < n; ++c) {
      auto scale = static_cast<float>(result.scales[g * n + c]);
      int64_t zp = result.zeroPoints[g * n + c];
      int64_t q = quantize(static_cast<float>(weights(i, c)), scale, zp,
                           options.range, Rounding::HalfToEven);
      result.values[i * n + c] = q;
      err(c) = (weights(i, c) - dequantize(q, scale, zp)) / u(i, i);
    }
    if (i + 1 < k)
      weights.bottomRows(k - i - 1).noalias() -=
          u.row(i).tail(k - i - 1).transpose() * err;
  }
  return result;
}

} // namespace numerics
} // namespace slim
