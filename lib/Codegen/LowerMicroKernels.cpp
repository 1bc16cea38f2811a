//===- LowerMicroKernels.cpp - Micro-kernel ops to runtime calls ----------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"
#include "slim/Codegen/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Runtime/Kernels.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMLOWERMICROKERNELSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace rt = ::slim::runtime;

namespace {

/// A memref's aligned base pointer, offset and strides, as the runtime's C
/// entry points take them.
struct BufferArgs {
  Value pointer;
  Value offset;
  SmallVector<Value> sizes, strides;
};

static BufferArgs bufferArgs(OpBuilder &b, Location loc, Value memref) {
  Type i64 = b.getI64Type();
  auto toI64 = [&](Value index) {
    return arith::IndexCastOp::create(b, loc, i64, index).getResult();
  };
  BufferArgs args;
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  args.pointer = LLVM::IntToPtrOp::create(b, loc,
                                          LLVM::LLVMPointerType::get(
                                              b.getContext()),
                                          toI64(address));
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  args.offset = toI64(meta.getOffset());
  for (Value s : meta.getSizes())
    args.sizes.push_back(toI64(s));
  for (Value s : meta.getStrides())
    args.strides.push_back(toI64(s));
  return args;
}

/// `memref` itself when its rows are contiguous; otherwise a contiguous copy
/// (memref.alloc + memref.copy, freed after the call: appended to `frees`).
static Value contiguous(OpBuilder &b, Location loc, Value memref,
                        SmallVectorImpl<Value> &frees);

static bool hasUnitInnerStride(Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides.empty() || strides.back() == 1;
}

static Value contiguous(OpBuilder &b, Location loc, Value memref,
                        SmallVectorImpl<Value> &frees) {
  if (hasUnitInnerStride(memref))
    return memref;
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(b, loc, memref, d));
  auto plain = MemRefType::get(type.getShape(), type.getElementType());
  Value copy = memref::AllocOp::create(b, loc, plain, dynamicSizes);
  memref::CopyOp::create(b, loc, memref, copy);
  frees.push_back(copy);
  return copy;
}

/// The runtime function of `isa` for the int8 or f32 kernel, declared once
/// in `module`.
static func::FuncOp getOrDeclare(ModuleOp module, KernelIsa isa, bool isF32) {
  std::string name =
      std::string(isF32 ? "slim_uk_sgemm_f32_" : "slim_uk_qgemm_s8_") +
      rt::isaSymbolSuffix(codegen::toRuntimeIsa(isa));
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Type i64 = b.getI64Type();
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  // (batch, m, n, k, a, aOffset, aBatchStride, aRowStride, packed,
  //  packedOffset, c, cOffset, cBatchStride, cRowStride, bias, biasOffset,
  //  flags)
  SmallVector<Type> args = {i64, i64, i64, i64, ptr, i64, i64, i64, ptr,
                            i64, ptr, i64, i64, i64, ptr, i64, i64};
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
  fn->setAttr("slim.isa", KernelIsaAttr::get(b.getContext(), isa));
  return fn;
}

struct SlimLowerMicroKernelsPass
    : mlir::slim::impl::SlimLowerMicroKernelsPassBase<SlimLowerMicroKernelsPass> {
  using SlimLowerMicroKernelsPassBase::SlimLowerMicroKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<PackedMatmulOp> ops;
    bool failedAny = false;
    module.walk([&](PackedMatmulOp op) {
      if (op.getNumResults() != 0) {
        op.emitOpError("must be bufferized before slim-lower-micro-kernels");
        failedAny = true;
      } else if (!hasUnitInnerStride(op.getInit())) {
        op.emitOpError("needs contiguous rows (innermost stride 1) in init");
        failedAny = true;
      }
      ops.push_back(op);
    });
    if (failedAny)
      return signalPassFailure();
    for (PackedMatmulOp op : ops) {
      bool isF32 =
          cast<MemRefType>(op.getInit().getType()).getElementType().isF32();
      func::FuncOp fn = getOrDeclare(module, op.getIsa(), isF32);
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto i64 = [&](int64_t v) {
        return arith::ConstantIntOp::create(b, loc, v, 64).getResult();
      };
      // Read-only operands with strided rows are copied first.
      SmallVector<Value> frees;
      BufferArgs a = bufferArgs(b, loc, contiguous(b, loc, op.getLhs(), frees));
      BufferArgs p = bufferArgs(b, loc, op.getPacked());
      BufferArgs c = bufferArgs(b, loc, op.getInit());
      bool batched = a.sizes.size() == 3;
      Value biasPointer, biasOffset;
      if (Value bias = op.getBias()) {
        BufferArgs bb = bufferArgs(b, loc, contiguous(b, loc, bias, frees));
        biasPointer = bb.pointer;
        biasOffset = bb.offset;
      } else {
        biasPointer = LLVM::ZeroOp::create(
            b, loc, LLVM::LLVMPointerType::get(b.getContext()));
        biasOffset = i64(0);
      }
      int64_t flags = (isF32 || op.getLhsUnsigned() ? 0 : 1) |
                      (op.getAccumulate() ? 2 : 0);
      SmallVector<Value> args = {
          batched ? a.sizes[0] : i64(1),
          a.sizes[a.sizes.size() - 2],
          i64(op.getN()),
          i64(op.getK()),
          a.pointer,
          a.offset,
          batched ? a.strides[0] : i64(0),
          a.strides[a.strides.size() - 2],
          p.pointer,
          p.offset,
          c.pointer,
          c.offset,
          batched ? c.strides[0] : i64(0),
          c.strides[c.strides.size() - 2],
          biasPointer,
          biasOffset,
          i64(flags)};
      func::CallOp::create(b, loc, fn, args);
      for (Value copy : frees)
        memref::DeallocOp::create(b, loc, copy);
      op.erase();
    }
  }
};

} // namespace
