//===- Factorize.cpp - Low-rank factors of a weight -----------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/LowRank/Factorize.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <random>

using namespace slim::lowrank;

namespace {
using Matrix = Eigen::MatrixXd;
using RowMajor =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The thin Q of a QR factorization of `y` (its columns orthonormal).
Matrix orthonormal(const Matrix &y) {
  Eigen::HouseholderQR<Matrix> qr(y);
  return qr.householderQ() * Matrix::Identity(y.rows(), y.cols());
}

/// Smallest `count` <= what the solver may ask of a p = min(K, N) matrix.
bool randomizedFits(int64_t rank, int64_t oversample, int64_t p) {
  return rank > 0 && rank + oversample <= p;
}
} // namespace

std::optional<Decomposition>
Decomposition::compute(const float *w, int64_t k, int64_t n,
                       const double *gram, const FactorizeOptions &options,
                       std::string &error) {
  if (k <= 0 || n <= 0) {
    error = "the weight is empty";
    return std::nullopt;
  }
  if (options.method != Method::Svd && !gram) {
    error = "asvd and svdllm need the Gram matrix of the layer's inputs";
    return std::nullopt;
  }
  Matrix m(k, n);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      m(i, j) = w[i * n + j];

  // The transform T (M = T W) and how to undo it on U.
  Eigen::VectorXd scale;  // asvd
  Eigen::LLT<Matrix> llt; // svdllm
  if (options.method == Method::Asvd) {
    scale.resize(k);
    double sum = 0.0;
    int64_t live = 0;
    for (int64_t i = 0; i < k; ++i) {
      double h = gram[i * k + i];
      scale(i) = h > 0.0 ? std::pow(std::sqrt(h), options.alpha) : 0.0;
      if (scale(i) > 0.0) {
        sum += scale(i);
        ++live;
      }
    }
    // A channel the inputs never used keeps a neutral scale: any weight
    // there gives the same outputs.
    double fill = live ? sum / static_cast<double>(live) : 1.0;
    for (int64_t i = 0; i < k; ++i)
      if (!(scale(i) > 0.0))
        scale(i) = fill;
    m = scale.asDiagonal() * m;
  } else if (options.method == Method::SvdLlm) {
    Eigen::Map<const RowMajor> h(gram, k, k);
    double mean = h.diagonal().mean();
    Matrix damped = h;
    damped.diagonal().array() += options.damping * (mean > 0.0 ? mean : 1.0);
    llt.compute(damped);
    if (llt.info() != Eigen::Success) {
      error = "the damped Gram matrix is not positive definite (raise damp)";
      return std::nullopt;
    }
    m = llt.matrixU() * m; // L^T W
  }

  Decomposition d;
  d.k_ = k;
  d.n_ = n;
  d.total_ = m.squaredNorm();
  int64_t p = std::min(k, n);
  bool randomized =
      options.solver == Solver::Randomized ||
      (options.solver == Solver::Auto && p >= 1024 &&
       randomizedFits(options.rank, options.oversample, p / 4));
  if (options.solver == Solver::Randomized &&
      (options.rank <= 0 || options.rank > p)) {
    error = "the randomized SVD needs a rank between 1 and min(K, N)";
    return std::nullopt;
  }
  Matrix u, v;
  Eigen::VectorXd sigma;
  if (randomized) {
    // Range finder with power iterations, re-orthonormalized each time.
    int64_t l = std::min(p, options.rank + options.oversample);
    std::mt19937_64 rng(options.seed);
    std::normal_distribution<double> normal;
    Matrix omega(n, l);
    for (int64_t j = 0; j < l; ++j)
      for (int64_t i = 0; i < n; ++i)
        omega(i, j) = normal(rng);
    Matrix q = orthonormal(m * omega);
    for (int64_t it = 0; it < options.powerIterations; ++it) {
      Matrix z = orthonormal(m.transpose() * q);
      q = orthonormal(m * z);
    }
    Matrix small = q.transpose() * m; // l x N
    Eigen::BDCSVD<Matrix> svd(small, Eigen::ComputeThinU | Eigen::ComputeThinV);
    int64_t r = options.rank;
    u = q * svd.matrixU().leftCols(r);
    v = svd.matrixV().leftCols(r);
    sigma = svd.singularValues().head(r);
  } else {
    Eigen::BDCSVD<Matrix> svd(m, Eigen::ComputeThinU | Eigen::ComputeThinV);
    u = svd.matrixU();
    v = svd.matrixV();
    sigma = svd.singularValues();
  }
  if (options.method == Method::Asvd)
    u = scale.cwiseInverse().asDiagonal() * u;
  else if (options.method == Method::SvdLlm)
    u = llt.matrixU().solve(u); // L^-T U
  d.randomized_ = randomized;
  d.sigma_.assign(sigma.data(), sigma.data() + sigma.size());
  d.left_.assign(u.data(), u.data() + u.size());
  d.right_.assign(v.data(), v.data() + v.size());
  return d;
}

double Decomposition::energyKept(int64_t r) const {
  if (!(total_ > 0.0))
    return 1.0;
  double kept = 0.0;
  for (int64_t i = 0; i < std::min(r, available()); ++i)
    kept += sigma_[i] * sigma_[i];
  return std::min(1.0, kept / total_);
}

int64_t Decomposition::rankForEnergy(double energy) const {
  for (int64_t r = 1; r <= available(); ++r)
    if (energyKept(r) >= energy * (1.0 - 1e-12))
      return r;
  return available();
}

void Decomposition::factors(int64_t r, std::vector<float> &a,
                            std::vector<float> &b) const {
  r = std::min(r, available());
  a.assign(static_cast<size_t>(k_ * r), 0.0f);
  b.assign(static_cast<size_t>(r * n_), 0.0f);
  for (int64_t j = 0; j < r; ++j) {
    double root = std::sqrt(sigma_[j]);
    for (int64_t i = 0; i < k_; ++i)
      a[i * r + j] = static_cast<float>(left_[j * k_ + i] * root);
    for (int64_t c = 0; c < n_; ++c)
      b[j * n_ + c] = static_cast<float>(root * right_[j * n_ + c]);
  }
}

std::optional<double>
slim::lowrank::relativeOutputError(const double *gram, const float *w,
                                   const std::vector<float> &a,
                                   const std::vector<float> &b, int64_t k,
                                   int64_t n, int64_t r) {
  Matrix wm(k, n), am(k, r), bm(r, n);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      wm(i, j) = w[i * n + j];
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < r; ++j)
      am(i, j) = a[i * r + j];
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < n; ++j)
      bm(i, j) = b[i * n + j];
  Eigen::Map<const RowMajor> h(gram, k, k);
  Matrix d = wm - am * bm;
  double ref = (h * wm).cwiseProduct(wm).sum();
  if (!(ref > 0.0))
    return std::nullopt;
  return (h * d).cwiseProduct(d).sum() / ref;
}
