//===- Budget.cpp - Spending a model-level budget over layers -------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Budget.h"

#include <optional>

using namespace slim::numerics;

namespace {
/// Each layer's choice at price `lambda`, with the totals saved and of
/// errors.
std::vector<size_t> pick(const std::vector<BudgetChoices> &layers,
                         double lambda, double &saved, double &error) {
  std::vector<size_t> chosen;
  saved = error = 0;
  for (const BudgetChoices &l : layers) {
    size_t best = 0;
    for (size_t i = 1; i < l.errors.size(); ++i)
      if (l.errors[i] - lambda * l.saved[i] <
          l.errors[best] - lambda * l.saved[best])
        best = i;
    chosen.push_back(best);
    saved += l.saved[best];
    error += l.errors[best];
  }
  return chosen;
}
} // namespace

std::vector<size_t>
slim::numerics::allocateSaving(const std::vector<BudgetChoices> &layers,
                               double target) {
  double saved = 0, error = 0, lo = 0, hi = 1.0;
  // A price high enough that every layer saves the most it can.
  while (pick(layers, hi, saved, error), saved < target && hi < 1e30)
    hi *= 16;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    pick(layers, mid, saved, error);
    (saved >= target ? hi : lo) = mid;
  }
  std::vector<size_t> chosen = pick(layers, hi, saved, error);
  while (true) {
    std::optional<size_t> best;
    double gain = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
      const BudgetChoices &l = layers[i];
      size_t c = chosen[i];
      if (c == 0 || saved - (l.saved[c] - l.saved[c - 1]) < target)
        continue;
      double g = l.errors[c] - l.errors[c - 1];
      if (!best || g > gain) {
        best = i;
        gain = g;
      }
    }
    if (!best)
      break;
    size_t &c = chosen[*best];
    saved -= layers[*best].saved[c] - layers[*best].saved[c - 1];
    --c;
  }
  return chosen;
}

std::vector<size_t>
slim::numerics::allocateWithinError(const std::vector<BudgetChoices> &layers,
                                    double maxError) {
  double saved = 0, error = 0, lo = 0, hi = 1.0;
  // Raise the ceiling until it breaks the bound (or every layer saves all
  // it can within it).
  while (pick(layers, hi, saved, error), error <= maxError * (1 + 1e-12) &&
                                         hi < 1e30)
    hi *= 16;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    pick(layers, mid, saved, error);
    (error <= maxError * (1 + 1e-12) ? lo : hi) = mid;
  }
  std::vector<size_t> chosen = pick(layers, lo, saved, error);
  while (true) {
    std::optional<size_t> best;
    double rate = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
      const BudgetChoices &l = layers[i];
      size_t c = chosen[i];
      if (c + 1 >= l.saved.size())
        continue;
      double de = l.errors[c + 1] - l.errors[c];
      double ds = l.saved[c + 1] - l.saved[c];
      // (A step landing on the bound, up to rounding, fits.)
      if (error + de > maxError * (1 + 1e-12) || ds <= 0)
        continue;
      double r = de > 0 ? ds / de : 1e300;
      if (!best || r > rate) {
        best = i;
        rate = r;
      }
    }
    if (!best)
      break;
    size_t &c = chosen[*best];
    error += layers[*best].errors[c + 1] - layers[*best].errors[c];
    ++c;
  }
  return chosen;
}

std::vector<size_t>
slim::numerics::chooseUnderCap(const std::vector<BudgetChoices> &layers,
                               double cap) {
  std::vector<size_t> chosen;
  for (const BudgetChoices &l : layers) {
    size_t best = 0;
    for (size_t i = 1; i < l.errors.size(); ++i)
      if (l.errors[i] <= cap && l.saved[i] > l.saved[best])
        best = i;
    chosen.push_back(best);
  }
  return chosen;
}

std::vector<size_t>
slim::numerics::allocateMinimax(const std::vector<BudgetChoices> &layers,
                                double target) {
  auto savedAt = [&](double cap) {
    std::vector<size_t> chosen = chooseUnderCap(layers, cap);
    double saved = 0;
    for (size_t i = 0; i < layers.size(); ++i)
      saved += layers[i].saved[chosen[i]];
    return saved;
  };
  double hi = 0;
  for (const BudgetChoices &l : layers)
    for (double e : l.errors)
      hi = e > hi ? e : hi;
  double lo = 0;
  if (savedAt(lo) >= target)
    return chooseUnderCap(layers, lo);
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    (savedAt(mid) >= target ? hi : lo) = mid;
  }
  return chooseUnderCap(layers, hi);
}
