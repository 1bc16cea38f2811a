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

using Matrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::optional<ObsState> startObs(const float *w, int64_t k, int64_t n,
                                 const double *gram, double damping) {
  Matrix h = Eigen::Map<const Matrix>(gram, k, k);
  ObsState s;
  s.k = k;
  s.n = n;
  s.weights.assign(w, w + k * n);
  for (int64_t i = 0; i < k; ++i) {
    if (h(i, i) == 0.0) { // a dead input channel
      h(i, i) = 1.0;
      std::fill(s.weights.begin() + i * n, s.weights.begin() + (i + 1) * n,
                0.0);
    }
  }
  h.diagonal().array() += damping * h.diagonal().mean();
  Eigen::LLT<Matrix> factor(h);
  if (factor.info() != Eigen::Success)
    return std::nullopt;
  Matrix inverse = factor.solve(Matrix::Identity(k, k));
  Eigen::LLT<Matrix> inverseFactor(inverse);
  if (inverseFactor.info() != Eigen::Success)
    return std::nullopt;
  Matrix u = inverseFactor.matrixU(); // H^-1 = U^T U
  s.u.assign(u.data(), u.data() + k * k);
  return s;
}

void ObsState::spread(int64_t row, const double *err) {
  if (row + 1 >= k)
    return;
  Eigen::Map<Matrix> all(weights.data(), k, n);
  Eigen::Map<const Matrix> factor(u.data(), k, k);
  Eigen::Map<const Eigen::RowVectorXd> e(err, n);
  all.bottomRows(k - row - 1).noalias() -=
      factor.row(row).tail(k - row - 1).transpose() * e;
}

std::optional<GptqResult> gptqQuantize(const float *w, int64_t k, int64_t n,
                                       const double *gram,
                                       const GptqOptions &options) {
  int64_t groupSize = options.groupSize;
  if (k <= 0 || n <= 0 || groupSize <= 0 || k % groupSize != 0)
    return std::nullopt;
  std::optional<ObsState> obs = startObs(w, k, n, gram, options.damping);
  if (!obs)
    return std::nullopt;

  GptqResult result;
  result.values.resize(k * n);
  result.scales.resize((k / groupSize) * n);
  result.zeroPoints.resize((k / groupSize) * n);
  std::vector<float> group(groupSize);
  std::vector<double> err(static_cast<size_t>(n));
  for (int64_t i = 0; i < k; ++i) {
    int64_t g = i / groupSize;
    if (i % groupSize == 0) {
      for (int64_t c = 0; c < n; ++c) {
        for (int64_t r = 0; r < groupSize; ++r)
          group[r] = static_cast<float>(obs->w(i + r, c));
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
      int64_t q = quantize(static_cast<float>(obs->w(i, c)), scale, zp,
                           options.range, Rounding::HalfToEven);
      result.values[i * n + c] = q;
      err[c] = (obs->w(i, c) - dequantize(q, scale, zp)) / obs->uAt(i, i);
    }
    obs->spread(i, err.data());
  }
  return result;
}

} // namespace numerics
} // namespace slim
