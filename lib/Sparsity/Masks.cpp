//===- Masks.cpp - Which weights a sparsity pattern keeps -----------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Sparsity/Masks.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace slim {
namespace sparsity {

PatternSpec PatternSpec::forReduction(int64_t k) const {
  if (pattern != Pattern::Bank)
    return *this;
  PatternSpec nm = *this;
  nm.pattern = Pattern::NM;
  nm.m = k / banks;
  nm.n = nm.m - static_cast<int64_t>(std::nearbyint(sparsity * double(nm.m)));
  return nm;
}

std::string checkPattern(const PatternSpec &spec, int64_t k, int64_t n) {
  if (!(spec.sparsity >= 0.0 && spec.sparsity < 1.0))
    return "sparsity must be in [0, 1), got " + std::to_string(spec.sparsity);
  switch (spec.pattern) {
  case Pattern::Unstructured:
    return "";
  case Pattern::NM:
    if (spec.m < 1 || spec.n < 0 || spec.n > spec.m)
      return "n:m needs 0 <= n <= m and m >= 1, got " + std::to_string(spec.n) +
             ":" + std::to_string(spec.m);
    if (k % spec.m != 0)
      return "m = " + std::to_string(spec.m) +
             " does not divide the reduction dimension of size " +
             std::to_string(k);
    return "";
  case Pattern::Block:
    if (spec.blockRows < 1 || spec.blockCols < 1)
      return "blocks must be at least 1 x 1, got " +
             std::to_string(spec.blockRows) + "x" +
             std::to_string(spec.blockCols);
    if (k % spec.blockRows != 0 || n % spec.blockCols != 0)
      return "blocks of " + std::to_string(spec.blockRows) + "x" +
             std::to_string(spec.blockCols) + " do not tile the " +
             std::to_string(k) + "x" + std::to_string(n) + " weight";
    return "";
  case Pattern::Bank:
    if (spec.banks < 1)
      return "pattern=bank needs banks >= 1, got " +
             std::to_string(spec.banks);
    if (k % spec.banks != 0)
      return "banks = " + std::to_string(spec.banks) +
             " does not divide the reduction dimension of size " +
             std::to_string(k);
    return "";
  }
  return "unknown pattern";
}

std::vector<float> magnitudeScores(const float *w, int64_t count) {
  std::vector<float> s(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    s[i] = std::fabs(w[i]);
  return s;
}

std::vector<float> wandaScores(const float *w, int64_t k, int64_t n,
                               const double *gramDiagonal) {
  std::vector<float> s(static_cast<size_t>(k * n));
  for (int64_t r = 0; r < k; ++r) {
    double norm = std::sqrt(std::max(gramDiagonal[r], 0.0));
    for (int64_t c = 0; c < n; ++c)
      s[r * n + c] = static_cast<float>(std::fabs(double(w[r * n + c])) * norm);
  }
  return s;
}

/// How many of `count` items `sparsity` removes: round(sparsity * count),
/// ties to even.
static int64_t removedOf(double sparsity, int64_t count) {
  return static_cast<int64_t>(std::nearbyint(sparsity * double(count)));
}

/// The indices [0, count) by decreasing score, equal scores in increasing
/// index order.
static std::vector<int64_t> byImportance(const std::vector<double> &score) {
  std::vector<int64_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return score[a] > score[b] || (score[a] == score[b] && a < b);
  });
  return order;
}

std::vector<uint8_t> selectMask(const PatternSpec &spec, const float *scores,
                                int64_t k, int64_t n) {
  if (spec.pattern == Pattern::Bank)
    return selectMask(spec.forReduction(k), scores, k, n);
  std::vector<uint8_t> mask(static_cast<size_t>(k * n), 1);
  switch (spec.pattern) {
  case Pattern::Unstructured: {
    std::vector<double> s(scores, scores + k * n);
    std::vector<int64_t> order = byImportance(s);
    int64_t removed = removedOf(spec.sparsity, k * n);
    for (int64_t i = k * n - removed; i < k * n; ++i)
      mask[order[i]] = 0;
    break;
  }
  case Pattern::NM:
    for (int64_t c = 0; c < n; ++c)
      for (int64_t r0 = 0; r0 < k; r0 += spec.m) {
        std::vector<double> s(static_cast<size_t>(spec.m));
        for (int64_t i = 0; i < spec.m; ++i)
          s[i] = scores[(r0 + i) * n + c];
        std::vector<int64_t> order = byImportance(s);
        for (int64_t i = spec.n; i < spec.m; ++i)
          mask[(r0 + order[i]) * n + c] = 0;
      }
    break;
  case Pattern::Block: {
    int64_t br = spec.blockRows, bc = spec.blockCols;
    int64_t rows = k / br, cols = n / bc;
    std::vector<double> s(static_cast<size_t>(rows * cols), 0.0);
    for (int64_t r = 0; r < k; ++r)
      for (int64_t c = 0; c < n; ++c)
        s[(r / br) * cols + c / bc] += scores[r * n + c];
    std::vector<int64_t> order = byImportance(s);
    int64_t removed = removedOf(spec.sparsity, rows * cols);
    for (int64_t i = rows * cols - removed; i < rows * cols; ++i) {
      int64_t b = order[i], r0 = b / cols * br, c0 = b % cols * bc;
      for (int64_t r = r0; r < r0 + br; ++r)
        for (int64_t c = c0; c < c0 + bc; ++c)
          mask[r * n + c] = 0;
    }
    break;
  }
  case Pattern::Bank:
    break; // resolved above
  }
  return mask;
}

} // namespace sparsity
} // namespace slim
