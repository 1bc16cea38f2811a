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

std::vector<uint64_t> resampleHistogram(const Histogram &h, RealRange range,
                                        int bins) {
  if (bins <= 0)
    return {};
  std::vector<uint64_t> out(bins, 0);
  double span = range.max - range.min;
  if (!(span > 0.0))
    return out;
  // A source bin [lo, hi] counts where its centre falls, clamped into the
  // range; wholly outside the range, nowhere.
  auto add = [&](double lo, double hi, uint64_t count) {
    if (!count || hi < range.min || lo > range.max)
      return;
    double centre = std::clamp(0.5 * (lo + hi), range.min, range.max);
    auto bin = static_cast<int>((centre - range.min) / span * bins);
    out[std::clamp(bin, 0, bins - 1)] += count;
  };
  add(0.0, 0.0, h.getZeros());
  double w = h.getBinWidth();
  for (int b = 0; b < Histogram::kBins; ++b) {
    add(b * w, (b + 1) * w, h.getPositive()[b]);
    add(-(b + 1) * w, -b * w, h.getNegative()[b]);
  }
  return out;
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

namespace {
/// KL(P || Q) for clipping the values to the bins [a, b) of `counts` (one
/// row of bins in increasing value order) and quantizing them to `levels`
/// evenly spaced levels, as TensorRT scores a threshold: P is the window with
/// the mass below a added to its first bin and the mass above b to its last;
/// Q merges the window into `levels` groups and spreads each group's count
/// evenly over the group's non-empty bins.
class WindowKl {
public:
  explicit WindowKl(std::vector<uint64_t> counts) : counts(std::move(counts)) {
    prefix.assign(this->counts.size() + 1, 0.0);
    for (size_t b = 0; b < this->counts.size(); ++b)
      prefix[b + 1] = prefix[b] + static_cast<double>(this->counts[b]);
  }

  double operator()(int a, int b, int levels) const {
    const int width = b - a;
    p.assign(counts.begin() + a, counts.begin() + b);
    p.front() += prefix[a];
    p.back() += prefix.back() - prefix[b];
    q.assign(width, 0.0);
    for (int g = 0; g < levels; ++g) {
      int start =
          a + static_cast<int>(static_cast<int64_t>(g) * width / levels);
      int end =
          a + static_cast<int>(static_cast<int64_t>(g + 1) * width / levels);
      int nonEmpty = 0;
      for (int j = start; j < end; ++j)
        nonEmpty += counts[j] != 0;
      if (nonEmpty == 0)
        continue;
      double share = (prefix[end] - prefix[start]) / nonEmpty;
      for (int j = start; j < end; ++j)
        if (counts[j])
          q[j - a] = share;
    }
    return klDivergence(p, q);
  }

  /// The first and one past the last non-empty bin.
  std::pair<int, int> occupied() const {
    int first = static_cast<int>(counts.size()), last = -1;
    for (int b = 0; b < static_cast<int>(counts.size()); ++b)
      if (counts[b]) {
        first = std::min(first, b);
        last = b;
      }
    return {first, last + 1};
  }

private:
  std::vector<uint64_t> counts;
  std::vector<double> prefix;
  mutable std::vector<double> p, q;
};
} // namespace

/// The TensorRT search on one-sided counts (bin 0 starts at 0): the window
/// [0, i) with the smallest KL over i in [levels, n]; returns that i. Past the
/// last non-empty bin only the grouping changes: stop one group beyond it.
static int entropyThresholdBin(const std::vector<uint64_t> &counts,
                               int levels) {
  const int n = static_cast<int>(counts.size());
  WindowKl kl(counts);
  int last = std::max(kl.occupied().second, 1);
  int stop = std::min(n, std::max(levels, last) + n / levels + 1);
  int best = n;
  double bestKl = std::numeric_limits<double>::infinity();
  for (int i = std::min(levels, n); i <= stop; ++i) {
    double d = kl(0, i, levels);
    if (d < bestKl) {
      bestKl = d;
      best = i;
    }
  }
  return best;
}

/// Two-sided search for values of both signs quantized asymmetrically: from
/// the occupied bins of the signed row, shrink one end at a time, whichever
/// gives the smaller KL, down to `levels` bins; the best window seen wins.
/// Returns the window [a, b).
static std::pair<int, int> entropyWindow(const std::vector<uint64_t> &row,
                                         int levels) {
  WindowKl kl(row);
  auto [a, b] = kl.occupied();
  std::pair<int, int> best{a, b};
  double bestKl = kl(a, b, levels);
  // At most ~1024 steps: the search costs O(steps * bins) per observer.
  const int step = std::max(1, (b - a) / 1024);
  while (b - a - step >= levels) {
    double left = kl(a + step, b, levels), right = kl(a, b - step, levels);
    if (left < right)
      a += step;
    else
      b -= step;
    double d = std::min(left, right);
    if (d < bestKl) {
      bestKl = d;
      best = {a, b};
    }
  }
  return best;
}

RealRange chooseEntropyRange(const Histogram &h, IntRange storage,
                             bool symmetric, double exactMin, double exactMax) {
  // Exact zeros are left out: the zero point represents 0 exactly, so they
  // cost nothing at any threshold, but as a spike in the first bin they would
  // make every coarse grid look bad and pull the threshold in (post-ReLU
  // activations are often half zeros).
  if (h.getLimit() == 0.0)
    return {std::min(exactMin, 0.0), std::max(exactMax, 0.0)};
  const int n = Histogram::kBins;
  double w = h.getBinWidth();
  auto allLevels =
      static_cast<int>(std::min<int64_t>(storage.max - storage.min + 1, 2 * n));
  if (symmetric) {
    std::vector<uint64_t> abs(n);
    for (int b = 0; b < n; ++b)
      abs[b] = h.getNegative()[b] + h.getPositive()[b];
    int i = entropyThresholdBin(abs, std::max(1, allLevels / 2));
    double t = std::min(i * w, std::max(-exactMin, exactMax));
    return {-t, t};
  }
  if (exactMin >= 0.0) {
    int i = entropyThresholdBin(h.getPositive(), std::min(allLevels, n));
    return {0.0, std::min(i * w, exactMax)};
  }
  // Signed row: negative bins from the most negative up, then positive ones.
  std::vector<uint64_t> row(h.getNegative().rbegin(), h.getNegative().rend());
  row.insert(row.end(), h.getPositive().begin(), h.getPositive().end());
  auto [a, b] = entropyWindow(row, allLevels);
  return clampTo({(a - n) * w, (b - n) * w}, exactMin, exactMax);
}

/// The candidate of the MSE searches with the smallest `error(range,
/// params)`: the exact range (widened to include 0) scaled by k / 100,
/// k = 1..100; ties go to the wider range.
template <typename ErrorFn>
static RealRange searchMseRange(IntRange storage, bool symmetric,
                                double exactMin, double exactMax,
                                ErrorFn error) {
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
    double err = error(*p);
    if (err <= bestErr) {
      bestErr = err;
      best = r;
    }
  }
  return best;
}

/// Squared error of quantize-then-dequantize of `x` with `p`.
static double roundTripError(double x, const QuantParams &p, IntRange storage) {
  auto scale = static_cast<float>(p.scale);
  int64_t q = quantize(static_cast<float>(x), scale, p.zeroPoint, storage,
                       Rounding::HalfToEven);
  double d = x - dequantize(q, scale, p.zeroPoint);
  return d * d;
}

RealRange chooseMseRange(const Histogram &h, IntRange storage, bool symmetric,
                         double exactMin, double exactMax) {
  exactMin = std::min(exactMin, 0.0);
  exactMax = std::max(exactMax, 0.0);
  if (h.getLimit() == 0.0 || h.getTotal() == 0)
    return {exactMin, exactMax};
  double w = h.getBinWidth();
  return searchMseRange(
      storage, symmetric, exactMin, exactMax, [&](const QuantParams &p) {
        double err = 0.0;
        auto addBins = [&](const std::vector<uint64_t> &counts, double sign) {
          for (int b = 0; b < Histogram::kBins; ++b)
            if (counts[b])
              err += static_cast<double>(counts[b]) *
                     roundTripError(sign * (b + 0.5) * w, p, storage);
        };
        addBins(h.getNegative(), -1.0);
        addBins(h.getPositive(), 1.0);
        return err;
      });
}

RealRange chooseMseRange(const float *values, size_t count, IntRange storage,
                         bool symmetric) {
  const float *end = values + count;
  double lo = 0.0, hi = 0.0;
  for (const float *v = values; v != end; ++v) {
    lo = std::min(lo, static_cast<double>(*v));
    hi = std::max(hi, static_cast<double>(*v));
  }
  if (lo == hi)
    return {lo, hi};
  return searchMseRange(storage, symmetric, lo, hi, [&](const QuantParams &p) {
    double err = 0.0;
    for (const float *v = values; v != end; ++v)
      err += roundTripError(*v, p, storage);
    return err;
  });
}

} // namespace numerics
} // namespace slim
