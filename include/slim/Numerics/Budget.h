//===- Budget.h - Spending a model-level budget over layers -----*- C++ -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Each layer has a few choices (dense, or compressed more and more), each
// saving some resource (weights removed, parameters) at some error (the
// layer's relative output error on the calibration inputs). The passes
// with a model-level target (slim-prune scope=global, slim-factorize) pick
// one choice per layer by a Lagrange multiplier: at a price lambda per
// unit saved, each layer takes the choice minimizing error - lambda *
// saved, which spends the budget where the error grows least per unit.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_NUMERICS_BUDGET_H
#define SLIM_NUMERICS_BUDGET_H

#include <cstddef>
#include <vector>

namespace slim {
namespace numerics {

/// One layer's choices, in order of `saved` (choice 0: dense, saving 0 at
/// error 0).
struct BudgetChoices {
  std::vector<double> saved, errors;
};

/// The choice per layer that saves at least `target` in all with the least
/// sum of errors: the smallest price that reaches the target (bisection),
/// then, since the choices are discrete and a layer whose error stays flat
/// jumps several steps at once, steps back while the target still holds:
/// each time the layer one choice lower whose error falls most.
std::vector<size_t> allocateSaving(const std::vector<BudgetChoices> &layers,
                                   double target);

/// The choice per layer that saves the most while the sum of errors stays
/// at most `maxError`: the largest price within it (bisection), then,
/// greedily, one choice higher for the layer whose next step saves most
/// per unit of error while the sum still fits.
std::vector<size_t> allocateWithinError(const std::vector<BudgetChoices> &layers,
                                        double maxError);

/// The choice per layer under one cap on every layer's error: the choice
/// saving the most among those whose error is at most `cap` (dense when
/// none is).
std::vector<size_t> chooseUnderCap(const std::vector<BudgetChoices> &layers,
                                   double cap);

/// The smallest cap on every layer's error (chooseUnderCap) whose choices
/// save at least `target` in all (bisection: the saving grows with the
/// cap), and those choices: the allocation that minimizes the largest
/// layer error rather than their sum.
std::vector<size_t> allocateMinimax(const std::vector<BudgetChoices> &layers,
                                    double target);

} // namespace numerics
} // namespace slim

#endif // SLIM_NUMERICS_BUDGET_H
