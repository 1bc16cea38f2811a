//===- ApproximateMath.cpp - Polynomial math functions --------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Upstream's polynomial approximations of math functions, applied to the
// functions the pass's option names. See the pass description.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMAPPROXIMATEMATHPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

struct SlimApproximateMathPass
    : mlir::slim::impl::SlimApproximateMathPassBase<SlimApproximateMathPass> {
  using SlimApproximateMathPassBase::SlimApproximateMathPassBase;

  /// The functions approximated when the option names none.
  static constexpr StringLiteral kDefaults[] = {"exp", "expm1", "erf", "tanh",
                                                "log", "log1p", "log2"};

  LogicalResult initialize(MLIRContext *ctx) override {
    SmallVector<std::string> names(functions.begin(), functions.end());
    if (names.empty())
      names.assign(std::begin(kDefaults), std::end(kDefaults));
    RewritePatternSet patterns(ctx);
    // Upstream asks with the op's full name ("math.exp").
    auto selected = [&](StringRef name) {
      name.consume_front("math.");
      return llvm::is_contained(names, name);
    };
    // Half-precision operands computed in f32, then approximated.
    populateMathF32ExpansionPatterns(patterns, selected);
    populateMathPolynomialApproximationPatterns(patterns, selected);
    frozen = FrozenRewritePatternSet(std::move(patterns));
    return success();
  }

  void runOnOperation() override {
    if (failed(applyPatternsGreedily(getOperation(), frozen)))
      signalPassFailure();
  }

  FrozenRewritePatternSet frozen;
};
} // namespace
