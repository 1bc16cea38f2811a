//===- Factorize.h - Low-rank factors of a weight ---------------*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The arithmetic of slim-low-rank, free of MLIR: a K x N weight W (y = x W)
// written as A B, A K x r and B r x N, from the SVD of W transformed so
// that truncating it minimizes what matters:
//
//   svd     M = W                     (minimizes ||W - A B||_F)
//   asvd    M = diag(s) W, s_k = sqrt(H_kk)^alpha  (ASVD: rows scaled by
//           the input channels' magnitudes, alpha = 0.5)
//   svdllm  M = L^T W, L L^T = H + lambda I  (SVD-LLM: whitened by the
//           Cholesky factor of the inputs' Gram matrix H = X^T X, so that
//           ||L^T (W - A B)||_F = ||X (W - A B)||_F when lambda = 0: the
//           truncation minimizes the output error on the inputs)
//
// M = U S V^T; A = T^-1 U_r S_r^1/2 and B = S_r^1/2 V_r^T, T the transform
// (the singular values split evenly between the factors, which keeps
// their ranges alike for quantization). The SVD is Eigen's: BDCSVD
// (exact), or a randomized range finder (Halko, Martinsson and Tropp) for
// a few leading singular values of a large matrix.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LOWRANK_FACTORIZE_H
#define SLIM_LOWRANK_FACTORIZE_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slim {
namespace lowrank {

/// OneBit is not an SVD of W: see oneBit() below.
enum class Method { Svd, Asvd, SvdLlm, OneBit };

enum class Solver {
  Auto,       ///< randomized for a fixed small rank of a large matrix
  Exact,      ///< BDCSVD: every singular value
  Randomized, ///< the leading `rank` ones (needs a rank)
};

struct FactorizeOptions {
  Method method = Method::Svd;
  Solver solver = Solver::Auto;
  /// The singular values wanted: 0 for all of them (energy and error
  /// targets need the whole spectrum), else at least this many.
  int64_t rank = 0;
  /// svdllm: lambda, as a fraction of the mean of H's diagonal.
  double damping = 0.01;
  /// asvd: the exponent on the channels' RMS.
  double alpha = 0.5;
  /// Randomized: extra columns and power iterations.
  int64_t oversample = 16;
  int64_t powerIterations = 2;
  uint64_t seed = 0;
};

/// The SVD of a transformed weight, from which factors of any rank up to
/// available() come.
class Decomposition {
public:
  /// W is K x N, row-major; `gram` (K x K, row-major) is needed by asvd and
  /// svdllm. Fails with `error` set when the Gram matrix is missing or not
  /// positive definite after damping (svdllm), or W is empty.
  static std::optional<Decomposition> compute(const float *w, int64_t k,
                                              int64_t n, const double *gram,
                                              const FactorizeOptions &options,
                                              std::string &error);

  int64_t k() const { return k_; }
  int64_t n() const { return n_; }
  /// The singular values computed, largest first.
  const std::vector<double> &singularValues() const { return sigma_; }
  int64_t available() const { return static_cast<int64_t>(sigma_.size()); }
  /// Whether the randomized solver computed them (only the leading ones).
  bool randomized() const { return randomized_; }
  /// sum of sigma_i^2 over i < r, over ||M||_F^2 (exact even when only the
  /// leading values were computed): for svdllm (and lambda = 0) one minus
  /// the relative output error of rank r.
  double energyKept(int64_t r) const;
  /// The smallest rank whose energy reaches `energy` (at most available()).
  int64_t rankForEnergy(double energy) const;
  /// A (K x r) and B (r x N), row-major, r <= available().
  void factors(int64_t r, std::vector<float> &a, std::vector<float> &b) const;

private:
  int64_t k_ = 0, n_ = 0;
  bool randomized_ = false;
  double total_ = 0.0; ///< ||M||_F^2
  std::vector<double> sigma_;
  std::vector<double> left_;  ///< T^-1 U, K x available(), column-major
  std::vector<double> right_; ///< V, N x available(), column-major
};

/// The relative output error ||X (W - A B)||^2 / ||X W||^2 of the factors
/// A (K x r) and B (r x N) on the inputs whose Gram matrix is `gram` (K x
/// K; numerics::relativeOutputError). None when ||X W|| is 0.
std::optional<double> relativeOutputError(const std::vector<double> &gram,
                                          const float *w,
                                          const std::vector<float> &a,
                                          const std::vector<float> &b,
                                          int64_t k, int64_t n, int64_t r);

/// OneBit's form of a K x N weight: W ~ diag(a) S diag(b), S = sign(W) (+1
/// where W >= 0), one bit per weight, and a (K) and b (N) from the rank-1
/// SVD of |W| (SVID: |W| ~ sigma u v^T, u and v non-negative, a = sqrt(sigma)
/// u, b = sqrt(sigma) v), which minimizes ||W - diag(a) S diag(b)||_F over
/// a and b for these signs. With the Gram matrix H of the layer's inputs,
/// `refineSteps` rounds of alternating least squares then minimize the
/// output error ||X (W - diag(a) S diag(b))||_F instead, each round exact
/// in b (per column: b_n = u_n^T H w_n / u_n^T H u_n, u_n = a * s_n) and
/// then in a ((H o (S diag(b^2) S^T)) a = (S o (H W)) b, a K x K system;
/// a singular one ends the rounds): the error never grows, and the best
/// round is kept.
struct OneBitFactors {
  std::vector<float> a, b;
  /// ||X (W - W~)||^2 / ||X W||^2 before and after the refinement (with a
  /// Gram matrix whose ||X W|| is not 0).
  std::optional<double> svidError, error;
  int64_t stepsTaken = 0;
  /// W~ = diag(a) S diag(b), K x N row-major.
  std::vector<float> reconstruct(const float *w, int64_t k, int64_t n) const;
};
OneBitFactors oneBit(const float *w, int64_t k, int64_t n, const double *gram,
                     int64_t refineSteps);

/// A convolution filter W[f][c][i][j] (F filters over C channels, KH x KW
/// taps; FCHW, row-major) written as two or three smaller convolutions,
/// each fitted to W itself (least squares on the filter: plain SVD, the
/// `svd` method's objective):
///
///   tucker2    a 1 x 1 convolution C -> rin (`first`, rin x C), a KH x KW
///              core rin -> rout (`core`, rout x rin x KH x KW), a 1 x 1
///              convolution rout -> F (`last`, F x rout): the truncated
///              HOSVD of W along its filter and channel modes,
///              W ~ core x_f last x_c first^T;
///   spatial    a KH x 1 convolution C -> r (`first`, r x C x KH), then a
///              1 x KW convolution r -> F (`last`, F x r x KW): the rank-r
///              SVD of W as the (C KH) x (F KW) matrix M[(c, i), (f, j)];
///   depthwise  a depthwise KH x KW convolution of each channel (`first`,
///              C x KH x KW), then a 1 x 1 convolution C -> F (`last`, F x
///              C): per channel c, the rank-1 SVD of W[:, c, :, :] (F x KH
///              KW).
///
/// The singular values split evenly between the factors, as for matmuls.
enum class ConvForm { Tucker2, Spatial, Depthwise };

struct ConvShape {
  int64_t f = 0, c = 0, kh = 0, kw = 0;
  int64_t size() const { return f * c * kh * kw; }
};

struct ConvFactors {
  ConvForm form = ConvForm::Tucker2;
  ConvShape shape;
  int64_t rin = 0, rout = 0; ///< tucker2: the two ranks; spatial: rin = rout
  std::vector<float> first, core, last;
  /// Parameters of the factors (first + core + last).
  int64_t params() const;
  /// The filter the factors make, FCHW.
  std::vector<float> reconstruct() const;
};

/// The singular values of the unfoldings a rank is chosen from: tucker2's
/// channel mode (C) and filter mode (F), spatial's M; none for depthwise.
struct ConvSpectra {
  std::vector<double> channels, filters;
};
ConvSpectra convSpectra(const float *w, const ConvShape &shape, ConvForm form);

/// The smallest count of the leading values of `sigma` keeping the fraction
/// `energy` of `total` (sum sigma^2 unless given: a randomized SVD's
/// leading values are measured against the whole matrix's energy); all of
/// them if none does, and at least 1.
int64_t rankForEnergy(const std::vector<double> &sigma, double energy,
                      std::optional<double> total = std::nullopt);

/// The ranks factorizeConv takes for `rin` and `rout`, clipped to what the
/// unfoldings have: tucker2 rin to [1, min(C, F KH KW)] and rout to [1,
/// min(F, C KH KW)]; spatial one rank in [1, min(C KH, F KW)]; depthwise
/// C.
std::pair<int64_t, int64_t> convRanks(const ConvShape &shape, ConvForm form,
                                      int64_t rin, int64_t rout);
/// The parameters of factorizeConv's factors at `rin` and `rout`, without
/// computing them.
int64_t convParams(const ConvShape &shape, ConvForm form, int64_t rin,
                   int64_t rout);
/// The largest rank that changes the factors of `form` (beyond it, ranks
/// clip): tucker2's larger clipped mode, spatial's min(C KH, F KW).
int64_t maxConvRank(const ConvShape &shape, ConvForm form);

/// The factors of `form` at ranks `rin` (tucker2: C -> rin; spatial: the
/// rank) and `rout` (tucker2: rin -> rout; ignored otherwise); ranks are
/// clipped as convRanks says.
ConvFactors factorizeConv(const float *w, const ConvShape &shape,
                          ConvForm form, int64_t rin, int64_t rout);

} // namespace lowrank
} // namespace slim

#endif // SLIM_LOWRANK_FACTORIZE_H
