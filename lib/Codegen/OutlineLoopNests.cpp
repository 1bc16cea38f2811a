//===- OutlineLoopNests.cpp - One function per top-level loop nest --------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Moves each loop nest at the top level of a function into a private
// function of its own (upstream's scf::outlineSingleBlockRegion does the
// moving), so that LLVM's per-function loop analyses see one nest at a time
// instead of a whole model. See the pass description.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMOUTLINELOOPNESTSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

bool isLoopNest(Operation &op) {
  return isa<scf::ForOp, scf::ParallelOp, scf::ForallOp>(op);
}

/// Whether the outlined function can make the value itself instead of
/// taking it as an argument: constants and references to globals (the
/// weights), so that LLVM still sees what they are.
bool rematerializable(Value v) {
  Operation *def = v.getDefiningOp();
  return def && def->getNumOperands() == 0 &&
         (matchPattern(def, m_Constant()) || isa<memref::GetGlobalOp>(def));
}

/// Clones the operands of `call` that `rematerializable` accepts into
/// `callee` (called from there only) and drops them from both signatures.
void sinkConstants(RewriterBase &rewriter, func::FuncOp callee,
                   func::CallOp call) {
  Block &entry = callee.getBody().front();
  llvm::BitVector dropped(callee.getNumArguments());
  for (unsigned i = 0, e = callee.getNumArguments(); i < e; ++i) {
    Value operand = call.getOperand(i);
    if (!rematerializable(operand))
      continue;
    rewriter.setInsertionPointToStart(&entry);
    Operation *clone = rewriter.clone(*operand.getDefiningOp());
    rewriter.replaceAllUsesWith(entry.getArgument(i), clone->getResult(0));
    dropped.set(i);
  }
  if (dropped.none())
    return;
  if (failed(callee.eraseArguments(dropped)))
    return;
  rewriter.modifyOpInPlace(call, [&] {
    for (int i = static_cast<int>(dropped.size()) - 1; i >= 0; --i)
      if (dropped.test(i))
        call->eraseOperand(i);
  });
}

struct SlimOutlineLoopNestsPass
    : mlir::slim::impl::SlimOutlineLoopNestsPassBase<SlimOutlineLoopNestsPass> {
  using SlimOutlineLoopNestsPassBase::SlimOutlineLoopNestsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    IRRewriter rewriter(&getContext());
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp fn : functions) {
      if (fn.isDeclaration() || !fn.getBody().hasOneBlock())
        continue;
      SmallVector<Operation *> nests;
      for (Operation &op : fn.getBody().front())
        if (isLoopNest(op))
          nests.push_back(&op);
      if (static_cast<int64_t>(nests.size()) < minNests)
        continue;
      unsigned counter = 0;
      for (Operation *nest : nests) {
        // The nest alone in a region, which upstream outlines whole.
        rewriter.setInsertionPoint(nest);
        auto region = scf::ExecuteRegionOp::create(rewriter, nest->getLoc(),
                                                   nest->getResultTypes());
        rewriter.replaceAllUsesWith(nest->getResults(), region.getResults());
        Block *body = rewriter.createBlock(&region.getRegion());
        rewriter.moveOpBefore(nest, body, body->end());
        rewriter.setInsertionPointToEnd(body);
        scf::YieldOp::create(rewriter, nest->getLoc(), nest->getResults());

        std::string name;
        do
          name = (fn.getSymName() + "__nest" + Twine(counter++)).str();
        while (symbols.lookup(name));
        func::CallOp call;
        FailureOr<func::FuncOp> outlined = outlineSingleBlockRegion(
            rewriter, nest->getLoc(), region.getRegion(), name, &call);
        if (failed(outlined)) {
          region.emitOpError("could not be outlined");
          return signalPassFailure();
        }
        symbols.insert(*outlined);
        outlined->setPrivate();
        // LLVM's own function attribute, which convert-func-to-llvm
        // passes through (a func.func `no_inline` would be dropped).
        (*outlined)->setAttr(
            "passthrough",
            rewriter.getArrayAttr({rewriter.getStringAttr("noinline")}));
        sinkConstants(rewriter, *outlined, call);
        // The region now holds the call and a yield of its results.
        rewriter.moveOpBefore(call, region);
        rewriter.replaceOp(region, call.getResults());
      }
    }
  }
};
} // namespace
