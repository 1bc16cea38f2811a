//===- OpenMPThreads.cpp - Parallel regions on the runtime's threads ------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Gives every omp.parallel that names no thread count the runtime's
// (slim_rt_get_num_threads), so that generated loops and the micro-kernels
// run on the threads one setting chooses. See the pass description.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMOPENMPTHREADSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

/// The runtime's query, `() -> i32` (runtime/Model.cpp).
constexpr llvm::StringLiteral kThreadsFunction = "slim_rt_get_num_threads";

/// Replaces a result-less `memref.alloca_scope` by its body, which can
/// then hold several blocks (scf-to-cf turns its loops into branches, which
/// the scope's single block cannot hold). Allocas inside still get freed
/// at the end of each run of the body: the stack pointer is saved before
/// and restored after, as the scope's own lowering does.
void inlineAllocaScope(OpBuilder &b, memref::AllocaScopeOp scope) {
  bool allocas = false;
  scope.getBodyRegion().walk([&](memref::AllocaOp) { allocas = true; });
  b.setInsertionPoint(scope);
  Value stack;
  if (allocas)
    stack = LLVM::StackSaveOp::create(
        b, scope.getLoc(), LLVM::LLVMPointerType::get(b.getContext()));
  Block &body = scope.getBodyRegion().front();
  body.getTerminator()->erase();
  scope->getBlock()->getOperations().splice(scope->getIterator(),
                                            body.getOperations());
  if (allocas) {
    b.setInsertionPoint(scope);
    LLVM::StackRestoreOp::create(b, scope.getLoc(), stack);
  }
  scope.erase();
}

struct SlimOpenMPThreadsPass
    : mlir::slim::impl::SlimOpenMPThreadsPassBase<SlimOpenMPThreadsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b(&getContext());
    // The scopes upstream puts around each iteration's body, in every
    // parallel region (also those that name a thread count); the walk is
    // post-order, so a nested region's scopes go before its parent's and
    // each goes once.
    SmallVector<memref::AllocaScopeOp> scopes;
    module.walk([&](memref::AllocaScopeOp scope) {
      if (scope->getNumResults() == 0 &&
          scope->getParentOfType<omp::ParallelOp>())
        scopes.push_back(scope);
    });
    for (memref::AllocaScopeOp scope : scopes)
      inlineAllocaScope(b, scope);
    SmallVector<omp::ParallelOp> regions;
    module.walk([&](omp::ParallelOp op) {
      if (!op.getNumThreads())
        regions.push_back(op);
    });
    if (regions.empty())
      return;
    FunctionType type = b.getFunctionType({}, {b.getI32Type()});
    auto fn = module.lookupSymbol<func::FuncOp>(kThreadsFunction);
    if (fn && fn.getFunctionType() != type) {
      fn.emitError() << "'" << kThreadsFunction
                     << "' is the runtime's thread count, () -> i32; this "
                        "module declares it as "
                     << fn.getFunctionType();
      return signalPassFailure();
    }
    if (!fn) {
      b.setInsertionPointToEnd(module.getBody());
      fn = func::FuncOp::create(b, module.getLoc(), kThreadsFunction, type);
      fn.setPrivate();
    }
    for (omp::ParallelOp op : regions) {
      b.setInsertionPoint(op);
      Value threads = func::CallOp::create(b, op.getLoc(), fn).getResult(0);
      op.getNumThreadsMutable().assign(threads);
    }
  }
};

} // namespace
