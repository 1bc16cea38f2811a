//===- SparseGpt.cpp - SparseGPT pruning ----------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/SparseGpt.h"

#include "slim/Numerics/Gptq.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>

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

std::optional<std::vector<float>>
reconstructRows(const float *w, int64_t k, int64_t n, const double *gram,
                const std::vector<uint8_t> &kept, double damping) {
  std::vector<int64_t> keep, drop;
  for (int64_t r = 0; r < k; ++r)
    (kept[r] ? keep : drop).push_back(r);
  std::vector<float> out(static_cast<size_t>(k * n), 0.0f);
  auto kk = static_cast<Eigen::Index>(keep.size());
  auto ss = static_cast<Eigen::Index>(drop.size());
  Eigen::MatrixXd hkk(kk, kk), hks(kk, ss), ws(ss, n);
  for (Eigen::Index i = 0; i < kk; ++i) {
    for (Eigen::Index j = 0; j < kk; ++j)
      hkk(i, j) = gram[keep[i] * k + keep[j]];
    for (Eigen::Index j = 0; j < ss; ++j)
      hks(i, j) = gram[keep[i] * k + drop[j]];
  }
  for (Eigen::Index i = 0; i < ss; ++i)
    for (int64_t c = 0; c < n; ++c)
      ws(i, c) = w[drop[i] * n + c];
  double mean = kk ? hkk.diagonal().mean() : 0.0;
  hkk.diagonal().array() += damping * (mean > 0.0 ? mean : 1.0);
  Eigen::LLT<Eigen::MatrixXd> llt(hkk);
  if (llt.info() != Eigen::Success)
    return std::nullopt;
  Eigen::MatrixXd delta = llt.solve(hks * ws);
  for (Eigen::Index i = 0; i < kk; ++i)
    for (int64_t c = 0; c < n; ++c)
      out[keep[i] * n + c] =
          static_cast<float>(w[keep[i] * n + c] + delta(i, c));
  return out;
}

std::vector<float> refitMasked(const float *w, const std::vector<float> &pruned,
                               int64_t k, int64_t n, const double *gram,
                               double damping, int iterations) {
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic,
                               Eigen::RowMajor>;
  Eigen::Map<const Matrix> h(gram, k, k);
  Matrix dense(k, n), kept(k, n), mask(k, n);
  for (int64_t i = 0; i < k * n; ++i) {
    dense.data()[i] = w[i];
    kept.data()[i] = pruned[i];
    mask.data()[i] = pruned[i] != 0.0f ? 1.0 : 0.0;
  }
  double lambda = damping * (k ? h.diagonal().mean() : 0.0);
  // A x = (H + lambda I) x restricted to each column's kept rows.
  auto apply = [&](const Matrix &x) -> Matrix {
    return ((h * x).array() + lambda * x.array()) * mask.array();
  };
  // The damping pulls toward the dense weights (not toward zero): at no
  // sparsity the fit is W itself.
  Matrix r =
      (((h * dense).array() + lambda * dense.array()) * mask.array()).matrix() -
      apply(kept);
  Matrix p = r;
  Eigen::RowVectorXd rs = r.colwise().squaredNorm();
  for (int it = 0; it < iterations; ++it) {
    Matrix ap = apply(p);
    Eigen::RowVectorXd pap = (p.array() * ap.array()).colwise().sum();
    for (int64_t c = 0; c < n; ++c) {
      if (!(pap(c) > 0.0) || !(rs(c) > 0.0))
        continue; // converged (or nothing kept)
      double alpha = rs(c) / pap(c);
      kept.col(c) += alpha * p.col(c);
      r.col(c) -= alpha * ap.col(c);
    }
    Eigen::RowVectorXd next = r.colwise().squaredNorm();
    for (int64_t c = 0; c < n; ++c)
      p.col(c) = r.col(c) + (rs(c) > 0.0 ? next(c) / rs(c) : 0.0) * p.col(c);
    rs = next;
  }
  std::vector<float> out(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < k * n; ++i)
    out[i] = mask.data()[i] != 0.0 ? static_cast<float>(kept.data()[i]) : 0.0f;
  return out;
}

} // namespace sparsity
} // namespace slim
