//===- Calibration.cpp - Histograms and range choosers --------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Calibration.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace slim {
namespace numerics {

//===----------------------------------------------------------------------===//
// Histogram
//===----------------------------------------------------------------------===//

void Histogram::coarsen() {
  for (int i = 0; i < kBins / 2; ++i) {
    negative[i] = negative[2 * i] + negative[2 * i + 1];
    positive[i] = positive[2 * i] + positive[2 * i + 1];
  }
  std::fill(negative.begin() + kBins / 2, negative.end(), 0);
  std::fill(positive.begin() + kBins / 2, positive.end(), 0);
  limit *= 2.0;
}

void Histogram::growTo(double magnitude) {
  if (limit == 0.0) {
    int exponent = 0;
    std::frexp(magnitude, &exponent); // magnitude < 2^exponent
    limit = std::ldexp(1.0, exponent);
    return;
  }
  while (magnitude >= limit)
    coarsen();
}

bool Histogram::add(double x) {
  if (!std::isfinite(x))
    return false;
  if (x == 0.0) {
    ++zeros;
    return true;
  }
  double magnitude = std::fabs(x);
  if (magnitude >= limit)
    growTo(magnitude);
  // limit is a power of two: the scaling is exact, the floor is the bin.
  auto bin = static_cast<int>(magnitude / limit * kBins);
  (x < 0 ? negative : positive)[std::min(bin, kBins - 1)] += 1;
  return true;
}

void Histogram::merge(const Histogram &other) {
  zeros += other.zeros;
  if (other.limit == 0.0)
    return;
  Histogram coarse = other;
  if (limit == 0.0)
    limit = coarse.limit;
  while (limit < coarse.limit)
    coarsen();
  while (coarse.limit < limit)
    coarse.coarsen();
  for (int i = 0; i < kBins; ++i) {
    negative[i] += coarse.negative[i];
    positive[i] += coarse.positive[i];
  }
}

uint64_t Histogram::getTotal() const {
  uint64_t total = zeros;
  for (int i = 0; i < kBins; ++i)
    total += negative[i] + positive[i];
  return total;
}

std::vector<uint64_t> Histogram::getAbsolute() const {
  std::vector<uint64_t> abs(kBins);
  for (int i = 0; i < kBins; ++i)
    abs[i] = negative[i] + positive[i];
  abs[0] += zeros;
  return abs;
}

std::optional<Histogram> Histogram::fromParts(double limit, uint64_t zeros,
                                              std::vector<uint64_t> negative,
                                              std::vector<uint64_t> positive) {
  if (negative.size() != kBins || positive.size() != kBins)
    return std::nullopt;
  if (limit != 0.0) {
    int exponent = 0;
    if (!std::isfinite(limit) || std::frexp(limit, &exponent) != 0.5)
      return std::nullopt;
  }
  Histogram h;
  h.limit = limit;
  h.zeros = zeros;
  h.negative = std::move(negative);
  h.positive = std::move(positive);
  return h;
}

bool Histogram::operator==(const Histogram &other) const {
  return limit == other.limit && zeros == other.zeros &&
         negative == other.negative && positive == other.positive;
}

//===----------------------------------------------------------------------===//
// Range choosers
//===----------------------------------------------------------------------===//

static RealRange clampTo(RealRange r, double exactMin, double exactMax) {
  r.min = std::max(r.min, exactMin);
  r.max = std::min(r.max, exactMax);
  return r;
}

RealRange choosePercentileRange(const Histogram &h, double percentile,
                                bool symmetric, double exactMin,
                                double exactMax) {
  uint64_t total = h.getTotal();
  if (total == 0 || h.getLimit() == 0.0)
    return {std::min(exactMin, 0.0), std::max(exactMax, 0.0)};
  double w = h.getBinWidth();
  double fraction = std::min(std::max(percentile, 0.0), 100.0) / 100.0;
  const int n = Histogram::kBins;
  if (symmetric) {
    std::vector<uint64_t> abs = h.getAbsolute();
    double target = fraction * static_cast<double>(total);
    double cum = 0.0;
    int bin = n - 1;
    for (int b = 0; b < n; ++b) {
      cum += static_cast<double>(abs[b]);
      if (cum >= target) {
        bin = b;
        break;
      }
    }
    double amax = std::max(std::fabs(exactMin), std::fabs(exactMax));
    double t = std::min((bin + 1) * w, amax);
    return {-t, t};
  }
  // The values in increasing order: negative bins from the largest |x| down,
  // then zeros, then positive bins. Each entry: count, lower and upper edge.
  struct Slot {
    uint64_t count;
    double lo, hi;
  };
  std::vector<Slot> order;
  order.reserve(2 * n + 1);
  for (int b = n - 1; b >= 0; --b)
    order.push_back({h.getNegative()[b], -(b + 1) * w, -b * w});
  order.push_back({h.getZeros(), 0.0, 0.0});
  for (int b = 0; b < n; ++b)
    order.push_back({h.getPositive()[b], b * w, (b + 1) * w});
  auto quantileSlot = [&](double q) {
    double target = q * static_cast<double>(total), cum = 0.0;
    for (const Slot &s : order) {
      cum += static_cast<double>(s.count);
      if (s.count && cum >= target)
        return s;
    }
    return order.back();
  };
  RealRange r{quantileSlot(1.0 - fraction).lo, quantileSlot(fraction).hi};
  return clampTo(r, exactMin, exactMax);
}

double clippedFraction(const Histogram &h, RealRange range) {
  uint64_t total = h.getTotal();
  if (total == 0)
    return 0.0;
  double w = h.getBinWidth();
  uint64_t clipped = 0;
  for (int b = 0; b < Histogram::kBins; ++b) {
    double nearest = b * w; // the bin's edge closest to zero
    if (-nearest < range.min)
      clipped += h.getNegative()[b];
    if (nearest > range.max)
      clipped += h.getPositive()[b];
  }
  return static_cast<double>(clipped) / static_cast<double>(total);
}

double klDivergence(const std::vector<double> &p,
                    const std::vector<double> &q) {
  double sp = 0.0, sq = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    sp += p[i];
    sq += q[i];
  }
  if (sp == 0.0 || sq == 0.0)
    return std::numeric_limits<double>::infinity();
  constexpr double kFloor = 1e-12;
  double kl = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == 0.0)
      continue;
    double pi = p[i] / sp, qi = std::max(q[i] / sq, kFloor);
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

/// The TensorRT threshold search on one-sided counts; returns the best i.
static int entropyThresholdBin(const std::vector<uint64_t> &counts,
                               int levels) {
  const int n = static_cast<int>(counts.size());
  int last = 0;
  for (int b = 0; b < n; ++b)
    if (counts[b])
      last = b;
  std::vector<double> suffix(n + 1, 0.0);
  for (int b = n - 1; b >= 0; --b)
    suffix[b] = suffix[b + 1] + static_cast<double>(counts[b]);
  int best = n;
  double bestKl = std::numeric_limits<double>::infinity();
  // Past the last non-empty bin nothing changes but the coarser grouping:
  // stop one group beyond it.
  int stop = std::min(n, std::max(levels, last + 1) + n / levels + 1);
  for (int i = levels; i <= stop && i <= n; ++i) {
    std::vector<double> p(counts.begin(), counts.begin() + i);
    p[i - 1] += suffix[i];
    std::vector<double> q(i, 0.0);
    for (int g = 0; g < levels; ++g) {
      int start = static_cast<int>(static_cast<int64_t>(g) * i / levels);
      int end = static_cast<int>(static_cast<int64_t>(g + 1) * i / levels);
      double sum = 0.0;
      int nonEmpty = 0;
      for (int j = start; j < end; ++j) {
        sum += static_cast<double>(counts[j]);
        nonEmpty += counts[j] != 0;
      }
      if (nonEmpty == 0)
        continue;
      for (int j = start; j < end; ++j)
        if (counts[j])
          q[j] = sum / nonEmpty;
    }
    double kl = klDivergence(p, q);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return best;
}

RealRange chooseEntropyRange(const Histogram &h, IntRange storage,
                             bool symmetric, double exactMin, double exactMax) {
  if (h.getLimit() == 0.0)
    return {std::min(exactMin, 0.0), std::max(exactMax, 0.0)};
  double w = h.getBinWidth();
  bool nonNegative = exactMin >= 0.0;
  if (!symmetric && nonNegative) {
    std::vector<uint64_t> counts = h.getPositive();
    counts[0] += h.getZeros();
    auto levels = static_cast<int>(storage.max - storage.min + 1);
    levels = std::min(levels, Histogram::kBins);
    int i = entropyThresholdBin(counts, levels);
    return {0.0, std::min((i + 0.5) * w, exactMax)};
  }
  auto levels = static_cast<int>((storage.max - storage.min + 1) / 2);
  levels = std::max(1, std::min(levels, Histogram::kBins));
  int i = entropyThresholdBin(h.getAbsolute(), levels);
  double t = (i + 0.5) * w;
  if (symmetric)
    return {-t, t};
  return clampTo({-t, t}, exactMin, exactMax);
}

RealRange chooseMseRange(const Histogram &h, IntRange storage, bool symmetric,
                         double exactMin, double exactMax) {
  exactMin = std::min(exactMin, 0.0);
  exactMax = std::max(exactMax, 0.0);
  if (h.getLimit() == 0.0 || h.getTotal() == 0)
    return {exactMin, exactMax};
  double w = h.getBinWidth();
  double amax = std::max(-exactMin, exactMax);
  RealRange best{exactMin, exactMax};
  double bestErr = std::numeric_limits<double>::infinity();
  for (int k = 1; k <= 100; ++k) {
    double f = k / 100.0;
    RealRange r = symmetric ? RealRange{-f * amax, f * amax}
                            : RealRange{f * exactMin, f * exactMax};
    std::optional<QuantParams> p =
        chooseQuantParams(static_cast<float>(r.min), static_cast<float>(r.max),
                          storage, symmetric);
    if (!p)
      continue;
    auto scale = static_cast<float>(p->scale);
    double err = 0.0;
    auto addBins = [&](const std::vector<uint64_t> &counts, double sign) {
      for (int b = 0; b < Histogram::kBins; ++b) {
        if (!counts[b])
          continue;
        double c = sign * (b + 0.5) * w;
        int64_t q = quantize(static_cast<float>(c), scale, p->zeroPoint,
                             storage, Rounding::HalfToEven);
        double d = c - dequantize(q, scale, p->zeroPoint);
        err += static_cast<double>(counts[b]) * d * d;
      }
    };
    addBins(h.getNegative(), -1.0);
    addBins(h.getPositive(), 1.0);
    if (err <= bestErr) {
      bestErr = err;
      best = r;
    }
  }
  return best;
}

} // namespace numerics
} // namespace slim
