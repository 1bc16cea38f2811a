//===- SlimDialect.cpp - Slim dialect
//---------------------------------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Dialect/Slim/IR/SlimDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::slim;

#include "slim/Dialect/Slim/IR/SlimOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "slim/Dialect/Slim/IR/SlimAttrs.cpp.inc"

LogicalResult mlir::slim::LowRankAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, LowRankMethod method,
    int64_t rank, int64_t factor, LowRankForm form) {
  if (rank < 1)
    return emitError() << "low_rank: rank must be at least 1, got " << rank;
  if (method == LowRankMethod::OneBit &&
      (rank != 1 || form != LowRankForm::Matmul))
    return emitError() << "low_rank: onebit (sign x rank-1) has rank 1 and "
                          "the matmul form, got rank "
                       << rank << ", form " << stringifyLowRankForm(form);
  int64_t factors = form == LowRankForm::Tucker2 ? 3 : 2;
  if (factor < 0 || factor >= factors)
    return emitError() << "low_rank: a " << stringifyLowRankForm(form)
                       << " factorization has factors 0 to " << factors - 1
                       << ", got " << factor;
  return success();
}

void SlimDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "slim/Dialect/Slim/IR/SlimAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "slim/Dialect/Slim/IR/SlimOps.cpp.inc"
      >();
  attachKernelOpInterfaces(getContext());
}

Operation *SlimDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}
