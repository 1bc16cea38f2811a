//===- BudgetTest.cpp - Model-level budgets over layers' choices ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// The allocators of Numerics/Budget.h against exhaustive search over every
// combination of choices of a few layers: allocateSaving meets its target
// (and its sum of errors is within the Lagrangian's reach), allocateMinimax
// meets its target at the least possible largest error, allocateWithinError
// stays within its bound, chooseUnderCap keeps every error under the cap.
//
//===----------------------------------------------------------------------===//

#include "slim/Numerics/Budget.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <functional>
#include <random>

using namespace slim::numerics;

namespace {

/// Layers of 2 to 5 choices: savings rising, errors rising faster or
/// slower from layer to layer.
std::vector<BudgetChoices> randomLayers(std::mt19937 &rng, int count) {
  std::uniform_real_distribution<double> u(0.1, 1.0);
  std::vector<BudgetChoices> layers(count);
  for (BudgetChoices &l : layers) {
    int n = 2 + static_cast<int>(rng() % 4);
    double saved = 0, error = 0, steep = u(rng) * 4;
    l.saved.push_back(0);
    l.errors.push_back(0);
    for (int i = 1; i < n; ++i) {
      saved += u(rng);
      error += steep * u(rng) * i;
      l.saved.push_back(saved);
      l.errors.push_back(error);
    }
  }
  return layers;
}

/// Every combination: f(choices).
void forEachCombination(const std::vector<BudgetChoices> &layers,
                        const std::function<void(const std::vector<size_t> &)> &f) {
  std::vector<size_t> c(layers.size(), 0);
  while (true) {
    f(c);
    size_t i = 0;
    while (i < c.size() && ++c[i] == layers[i].saved.size())
      c[i++] = 0;
    if (i == c.size())
      return;
  }
}

double total(const std::vector<BudgetChoices> &layers,
             const std::vector<size_t> &c, bool errors) {
  double s = 0;
  for (size_t i = 0; i < c.size(); ++i)
    s += errors ? layers[i].errors[c[i]] : layers[i].saved[c[i]];
  return s;
}

double largest(const std::vector<BudgetChoices> &layers,
               const std::vector<size_t> &c) {
  double m = 0;
  for (size_t i = 0; i < c.size(); ++i)
    m = std::max(m, layers[i].errors[c[i]]);
  return m;
}

TEST(Budget, AgainstExhaustiveSearch) {
  std::mt19937 rng(17);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<BudgetChoices> layers = randomLayers(rng, 4);
    double most = 0;
    for (const BudgetChoices &l : layers)
      most += l.saved.back();
    double target = most * (0.2 + 0.6 * (trial % 5) / 4.0);
    // The best largest error and the best sum that reach the target.
    double bestMax = 1e300, bestSum = 1e300;
    forEachCombination(layers, [&](const std::vector<size_t> &c) {
      if (total(layers, c, false) >= target) {
        bestMax = std::min(bestMax, largest(layers, c));
        bestSum = std::min(bestSum, total(layers, c, true));
      }
    });
    std::vector<size_t> m = allocateMinimax(layers, target);
    EXPECT_GE(total(layers, m, false), target * (1 - 1e-12));
    EXPECT_DOUBLE_EQ(largest(layers, m), bestMax) << "trial " << trial;
    std::vector<size_t> s = allocateSaving(layers, target);
    EXPECT_GE(total(layers, s, false), target * (1 - 1e-12));
    EXPECT_GE(total(layers, s, true), bestSum * (1 - 1e-12));
    // allocateWithinError: never above its bound, and no single layer
    // could move one choice higher within it.
    double bound = bestSum;
    std::vector<size_t> w = allocateWithinError(layers, bound);
    double e = total(layers, w, true);
    EXPECT_LE(e, bound * (1 + 1e-12));
    for (size_t i = 0; i < w.size(); ++i)
      if (w[i] + 1 < layers[i].saved.size())
        EXPECT_GT(e + layers[i].errors[w[i] + 1] - layers[i].errors[w[i]],
                  bound * (1 + 1e-12))
            << "trial " << trial << " layer " << i;
  }
}

TEST(Budget, UnderCap) {
  std::vector<BudgetChoices> layers = {{{0, 1, 2}, {0, 0.1, 0.5}},
                                       {{0, 3}, {0, 0.4}},
                                       {{0, 1}, {0, 0.05}}};
  std::vector<size_t> c = chooseUnderCap(layers, 0.2);
  EXPECT_EQ(c, (std::vector<size_t>{1, 0, 1}));
  // Nothing fits a zero cap but the dense choices.
  EXPECT_EQ(chooseUnderCap(layers, 0.0), (std::vector<size_t>{0, 0, 0}));
  // A target no choice can reach: every layer saves all it can.
  std::vector<size_t> all = allocateMinimax(layers, 100.0);
  EXPECT_EQ(all, (std::vector<size_t>{2, 1, 1}));
}

} // namespace
