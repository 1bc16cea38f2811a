//===- Factorize.cpp - Low-rank factors of a weight -----------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/LowRank/Factorize.h"

#include "slim/Numerics/OutputError.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <tuple>

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
  if (options.method == Method::OneBit) {
    error = "onebit is not a truncated SVD (oneBit() computes it)";
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
  return lowrank::rankForEnergy(sigma_, energy, total_);
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
slim::lowrank::relativeOutputError(const std::vector<double> &gram,
                                   const float *w, const std::vector<float> &a,
                                   const std::vector<float> &b, int64_t k,
                                   int64_t n, int64_t r) {
  using RowMajorF =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  std::vector<float> ab(static_cast<size_t>(k * n));
  Eigen::Map<RowMajorF>(ab.data(), k, n) =
      (Eigen::Map<const RowMajorF>(a.data(), k, r).cast<double>() *
       Eigen::Map<const RowMajorF>(b.data(), r, n).cast<double>())
          .cast<float>();
  return numerics::relativeOutputError(gram, w, ab, k, n);
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

namespace {
/// W as the (C KH) x (F KW) matrix M[(c, i), (f, j)] (spatial).
Matrix spatialMatrix(const float *w, const ConvShape &s) {
  Matrix m(s.c * s.kh, s.f * s.kw);
  for (int64_t f = 0; f < s.f; ++f)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t i = 0; i < s.kh; ++i)
        for (int64_t j = 0; j < s.kw; ++j)
          m(c * s.kh + i, f * s.kw + j) = w[((f * s.c + c) * s.kh + i) * s.kw + j];
  return m;
}
/// The filter mode unfolding, F x (C KH KW), and the channel mode
/// unfolding, C x (F KH KW).
Matrix filterUnfolding(const float *w, const ConvShape &s) {
  Matrix m(s.f, s.c * s.kh * s.kw);
  for (int64_t f = 0; f < s.f; ++f)
    for (int64_t r = 0; r < s.c * s.kh * s.kw; ++r)
      m(f, r) = w[f * s.c * s.kh * s.kw + r];
  return m;
}
Matrix channelUnfolding(const float *w, const ConvShape &s) {
  int64_t taps = s.kh * s.kw;
  Matrix m(s.c, s.f * taps);
  for (int64_t f = 0; f < s.f; ++f)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t t = 0; t < taps; ++t)
        m(c, f * taps + t) = w[(f * s.c + c) * taps + t];
  return m;
}
std::vector<double> singularValues(const Matrix &m) {
  Eigen::BDCSVD<Matrix> svd(m);
  Eigen::VectorXd v = svd.singularValues();
  return std::vector<double>(v.data(), v.data() + v.size());
}
/// The leading `r` left singular vectors of m (columns).
Matrix leading(const Matrix &m, int64_t r) {
  Eigen::BDCSVD<Matrix> svd(m, Eigen::ComputeThinU);
  return svd.matrixU().leftCols(r);
}
} // namespace

int64_t slim::lowrank::rankForEnergy(const std::vector<double> &sigma,
                                     double energy,
                                     std::optional<double> total) {
  if (!total) {
    total = 0.0;
    for (double v : sigma)
      *total += v * v;
  }
  double kept = 0.0;
  for (size_t r = 0; r < sigma.size(); ++r) {
    kept += sigma[r] * sigma[r];
    if (kept >= energy * *total * (1.0 - 1e-12))
      return static_cast<int64_t>(r) + 1;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(sigma.size()));
}

ConvSpectra slim::lowrank::convSpectra(const float *w, const ConvShape &s,
                                       ConvForm form) {
  ConvSpectra out;
  if (form == ConvForm::Tucker2) {
    out.channels = singularValues(channelUnfolding(w, s));
    out.filters = singularValues(filterUnfolding(w, s));
  } else if (form == ConvForm::Spatial) {
    out.channels = singularValues(spatialMatrix(w, s));
  }
  return out;
}

int64_t ConvFactors::params() const {
  return static_cast<int64_t>(first.size() + core.size() + last.size());
}

std::pair<int64_t, int64_t> slim::lowrank::convRanks(const ConvShape &s,
                                                     ConvForm form,
                                                     int64_t rin,
                                                     int64_t rout) {
  int64_t taps = s.kh * s.kw;
  switch (form) {
  case ConvForm::Tucker2:
    return {std::clamp<int64_t>(rin, 1, std::min(s.c, s.f * taps)),
            std::clamp<int64_t>(rout, 1, std::min(s.f, s.c * taps))};
  case ConvForm::Spatial: {
    int64_t r = std::clamp<int64_t>(rin, 1, std::min(s.c * s.kh, s.f * s.kw));
    return {r, r};
  }
  case ConvForm::Depthwise:
    break;
  }
  return {s.c, s.c};
}

int64_t slim::lowrank::convParams(const ConvShape &s, ConvForm form,
                                  int64_t rin, int64_t rout) {
  std::tie(rin, rout) = convRanks(s, form, rin, rout);
  switch (form) {
  case ConvForm::Tucker2:
    return rin * s.c + rout * rin * s.kh * s.kw + s.f * rout;
  case ConvForm::Spatial:
    return rin * s.c * s.kh + s.f * rin * s.kw;
  case ConvForm::Depthwise:
    break;
  }
  return s.c * s.kh * s.kw + s.f * s.c;
}

int64_t slim::lowrank::maxConvRank(const ConvShape &s, ConvForm form) {
  int64_t unbounded = std::numeric_limits<int64_t>::max();
  auto [rin, rout] = convRanks(s, form, unbounded, unbounded);
  return std::max(rin, rout);
}

ConvFactors slim::lowrank::factorizeConv(const float *w, const ConvShape &s,
                                         ConvForm form, int64_t rin,
                                         int64_t rout) {
  ConvFactors out;
  out.form = form;
  out.shape = s;
  int64_t taps = s.kh * s.kw;
  std::tie(rin, rout) = convRanks(s, form, rin, rout);
  if (form == ConvForm::Tucker2) {
    Matrix uc = leading(channelUnfolding(w, s), rin); // C x rin
    Matrix uf = leading(filterUnfolding(w, s), rout); // F x rout
    // core[o][r][t] = sum_f sum_c uf(f, o) uc(c, r) w[f][c][t]
    std::vector<double> half(static_cast<size_t>(s.f * rin * taps), 0.0);
    for (int64_t f = 0; f < s.f; ++f)
      for (int64_t c = 0; c < s.c; ++c)
        for (int64_t r = 0; r < rin; ++r)
          for (int64_t t = 0; t < taps; ++t)
            half[(f * rin + r) * taps + t] +=
                uc(c, r) * w[(f * s.c + c) * taps + t];
    out.core.assign(static_cast<size_t>(rout * rin * taps), 0.0f);
    for (int64_t o = 0; o < rout; ++o)
      for (int64_t r = 0; r < rin; ++r)
        for (int64_t t = 0; t < taps; ++t) {
          double v = 0.0;
          for (int64_t f = 0; f < s.f; ++f)
            v += uf(f, o) * half[(f * rin + r) * taps + t];
          out.core[(o * rin + r) * taps + t] = static_cast<float>(v);
        }
    out.first.resize(static_cast<size_t>(rin * s.c));
    for (int64_t r = 0; r < rin; ++r)
      for (int64_t c = 0; c < s.c; ++c)
        out.first[r * s.c + c] = static_cast<float>(uc(c, r));
    out.last.resize(static_cast<size_t>(s.f * rout));
    for (int64_t f = 0; f < s.f; ++f)
      for (int64_t o = 0; o < rout; ++o)
        out.last[f * rout + o] = static_cast<float>(uf(f, o));
  } else if (form == ConvForm::Spatial) {
    Matrix m = spatialMatrix(w, s);
    Eigen::BDCSVD<Matrix> svd(m, Eigen::ComputeThinU | Eigen::ComputeThinV);
    out.first.resize(static_cast<size_t>(rin * s.c * s.kh));
    out.last.resize(static_cast<size_t>(s.f * rin * s.kw));
    for (int64_t r = 0; r < rin; ++r) {
      double root = std::sqrt(svd.singularValues()(r));
      for (int64_t row = 0; row < s.c * s.kh; ++row)
        out.first[r * s.c * s.kh + row] =
            static_cast<float>(svd.matrixU()(row, r) * root);
      for (int64_t f = 0; f < s.f; ++f)
        for (int64_t j = 0; j < s.kw; ++j)
          out.last[(f * rin + r) * s.kw + j] =
              static_cast<float>(root * svd.matrixV()(f * s.kw + j, r));
    }
  } else {
    out.first.resize(static_cast<size_t>(s.c * taps));
    out.last.resize(static_cast<size_t>(s.f * s.c));
    for (int64_t c = 0; c < s.c; ++c) {
      Matrix m(s.f, taps);
      for (int64_t f = 0; f < s.f; ++f)
        for (int64_t t = 0; t < taps; ++t)
          m(f, t) = w[(f * s.c + c) * taps + t];
      Eigen::BDCSVD<Matrix> svd(m, Eigen::ComputeThinU | Eigen::ComputeThinV);
      double root = std::sqrt(svd.singularValues()(0));
      for (int64_t t = 0; t < taps; ++t)
        out.first[c * taps + t] =
            static_cast<float>(root * svd.matrixV()(t, 0));
      for (int64_t f = 0; f < s.f; ++f)
        out.last[f * s.c + c] = static_cast<float>(svd.matrixU()(f, 0) * root);
    }
  }
  out.rin = rin;
  out.rout = rout;
  return out;
}

std::vector<float> ConvFactors::reconstruct() const {
  const ConvShape &s = shape;
  int64_t taps = s.kh * s.kw;
  std::vector<double> w(static_cast<size_t>(s.size()), 0.0);
  for (int64_t f = 0; f < s.f; ++f)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t i = 0; i < s.kh; ++i)
        for (int64_t j = 0; j < s.kw; ++j) {
          double v = 0.0;
          int64_t t = i * s.kw + j;
          if (form == ConvForm::Tucker2) {
            for (int64_t o = 0; o < rout; ++o)
              for (int64_t r = 0; r < rin; ++r)
                v += double(last[f * rout + o]) *
                     double(core[(o * rin + r) * taps + t]) *
                     double(first[r * s.c + c]);
          } else if (form == ConvForm::Spatial) {
            for (int64_t r = 0; r < rin; ++r)
              v += double(first[(r * s.c + c) * s.kh + i]) *
                   double(last[(f * rin + r) * s.kw + j]);
          } else {
            v = double(last[f * s.c + c]) * double(first[c * taps + t]);
          }
          w[((f * s.c + c) * s.kh + i) * s.kw + j] = v;
        }
  return std::vector<float>(w.begin(), w.end());
}

std::vector<float> OneBitFactors::reconstruct(const float *w, int64_t k,
                                              int64_t n) const {
  std::vector<float> out(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float v = a[i] * b[j];
      out[i * n + j] = w[i * n + j] >= 0.0f ? v : -v;
    }
  return out;
}

OneBitFactors slim::lowrank::oneBit(const float *w, int64_t k, int64_t n,
                                    const double *gram, int64_t refineSteps) {
  OneBitFactors f;
  f.a.assign(static_cast<size_t>(k), 0.0f);
  f.b.assign(static_cast<size_t>(n), 0.0f);
  if (k <= 0 || n <= 0)
    return f;
  Matrix wm(k, n), s(k, n);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j) {
      wm(i, j) = w[i * n + j];
      s(i, j) = w[i * n + j] >= 0.0f ? 1.0 : -1.0;
    }
  // SVID: the leading singular pair of |W| (this file's SVD at rank 1:
  // exact, or the randomized range finder for a large matrix), split as
  // a = sqrt(sigma) u, b = sqrt(sigma) v. |W| is non-negative, so its
  // leading vectors are too, up to a common sign.
  std::vector<float> magnitudes(static_cast<size_t>(k * n));
  for (int64_t i = 0; i < k * n; ++i)
    magnitudes[i] = std::fabs(w[i]);
  FactorizeOptions svid;
  svid.rank = 1;
  std::string error;
  std::optional<Decomposition> d =
      Decomposition::compute(magnitudes.data(), k, n, nullptr, svid, error);
  std::vector<float> left, right;
  d->factors(1, left, right);
  Eigen::VectorXd av(k), bv(n);
  for (int64_t i = 0; i < k; ++i)
    av(i) = std::fabs(left[i]);
  for (int64_t j = 0; j < n; ++j)
    bv(j) = std::fabs(right[j]);
  auto store = [&](const Eigen::VectorXd &x, const Eigen::VectorXd &y) {
    for (int64_t i = 0; i < k; ++i)
      f.a[i] = static_cast<float>(x(i));
    for (int64_t j = 0; j < n; ++j)
      f.b[j] = static_cast<float>(y(j));
  };
  store(av, bv);
  if (!gram)
    return f;
  Eigen::Map<const RowMajor> hm(gram, k, k);
  Matrix h = hm;
  Matrix hw = h * wm;
  double total = (wm.array() * hw.array()).sum();
  if (!(total > 0.0))
    return f;
  // ||X (W - W~)||^2 / ||X W||^2 of diag(x) S diag(y), in double.
  auto errorOf = [&](const Eigen::VectorXd &x, const Eigen::VectorXd &y) {
    Matrix d = wm - x.asDiagonal() * s * y.asDiagonal();
    return ((h * d).array() * d.array()).sum() / total;
  };
  double best = errorOf(av, bv);
  f.svidError = f.error = best;
  Eigen::VectorXd bestA = av, bestB = bv;
  for (int64_t step = 0; step < refineSteps; ++step) {
    // b: per column, the least-squares scale of u_n = a o s_n.
    Matrix um = av.asDiagonal() * s;
    Matrix hu = h * um;
    Eigen::VectorXd num = (um.array() * hw.array()).colwise().sum();
    Eigen::VectorXd den = (um.array() * hu.array()).colwise().sum();
    for (int64_t j = 0; j < n; ++j)
      bv(j) = den(j) > 0.0 ? num(j) / den(j) : 0.0;
    // a: (H o (S diag(b^2) S^T)) a = (S o H W) b.
    Matrix sb = s * bv.asDiagonal();
    Matrix g = h.cwiseProduct(sb * sb.transpose());
    Eigen::VectorXd rhs = (s.array() * hw.array()).matrix() * bv;
    // A singular system (an input channel the inputs never use, a column
    // whose b is 0): stop, keeping the best round.
    Eigen::LDLT<Matrix> ldlt(g);
    Eigen::VectorXd pivots = ldlt.vectorD().cwiseAbs();
    if (ldlt.info() != Eigen::Success || pivots.size() == 0 ||
        !(pivots.minCoeff() > 1e-12 * pivots.maxCoeff()))
      break;
    Eigen::VectorXd next = ldlt.solve(rhs);
    if (!next.allFinite())
      break;
    av = next;
    double e = errorOf(av, bv);
    f.stepsTaken = step + 1;
    if (e < best) {
      best = e;
      bestA = av;
      bestB = bv;
    }
  }
  store(bestA, bestB);
  f.error = best;
  return f;
}
