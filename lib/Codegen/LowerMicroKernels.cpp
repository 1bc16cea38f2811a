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
  args.pointer = LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), toI64(address));
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

/// The runtime function `prefix` + the suffix of `isa`, taking `numArgs`
/// arguments (pointers where `pointerArgs` says, i64 elsewhere), declared
/// once in `module`.
static func::FuncOp getOrDeclare(ModuleOp module, StringRef prefix,
                                 KernelIsa isa, ArrayRef<unsigned> pointerArgs,
                                 unsigned numArgs) {
  std::string name =
      (prefix + rt::isaSymbolSuffix(codegen::toRuntimeIsa(isa))).str();
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  SmallVector<Type> args(numArgs, b.getI64Type());
  for (unsigned i : pointerArgs)
    args[i] = LLVM::LLVMPointerType::get(b.getContext());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
  fn->setAttr("slim.isa", KernelIsaAttr::get(b.getContext(), isa));
  return fn;
}

static Value constantI64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, v, 64).getResult();
}

/// What both kernel calls pass for the activation A and the result C: A's
/// pointer, offset, batch and row strides (A copied first when its rows are
/// strided), C's the same, and the batch count and M.
struct GemmOperands {
  Value batch, m;
  SmallVector<Value> a, c;

  /// How the batched calls begin: (batch, m, n, k, a, aOffset,
  /// aBatchStride, aRowStride).
  SmallVector<Value> leading(OpBuilder &b, Location loc, int64_t n,
                             int64_t k) const {
    SmallVector<Value> args = {batch, m, constantI64(b, loc, n),
                               constantI64(b, loc, k)};
    llvm::append_range(args, a);
    return args;
  }
};

static GemmOperands gemmOperands(OpBuilder &b, Location loc, Value lhs,
                                 Value init, SmallVectorImpl<Value> &frees) {
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  BufferArgs a = bufferArgs(b, loc, contiguous(b, loc, lhs, frees));
  BufferArgs c = bufferArgs(b, loc, init);
  size_t rank = a.sizes.size();
  bool batched = rank == 3;
  GemmOperands g;
  g.batch = batched ? a.sizes[0] : i64(1);
  g.m = a.sizes[rank - 2];
  g.a = {a.pointer, a.offset, batched ? a.strides[0] : i64(0),
         a.strides[rank - 2]};
  g.c = {c.pointer, c.offset, batched ? c.strides[0] : i64(0),
         c.strides[rank - 2]};
  return g;
}

/// Calls `fn` with `args` in place of `op`, then frees the copies.
static void replaceWithCall(Operation *op, OpBuilder &b, func::FuncOp fn,
                            ArrayRef<Value> args, ArrayRef<Value> frees) {
  func::CallOp::create(b, op->getLoc(), fn, args);
  for (Value copy : frees)
    memref::DeallocOp::create(b, op->getLoc(), copy);
  op->erase();
}

/// A buffer's pointer and offset, or null and 0 for an absent operand; a
/// strided buffer is copied first.
static std::pair<Value, Value> optionalPointer(OpBuilder &b, Location loc,
                                               Value memref,
                                               SmallVectorImpl<Value> &frees) {
  if (!memref)
    return {LLVM::ZeroOp::create(b, loc,
                                 LLVM::LLVMPointerType::get(b.getContext())),
            constantI64(b, loc, 0)};
  BufferArgs args = bufferArgs(b, loc, contiguous(b, loc, memref, frees));
  return {args.pointer, args.offset};
}

/// The call of slim.packed_matmul: (batch, m, n, k, a, aOffset,
/// aBatchStride, aRowStride, packed, packedOffset, c, cOffset, cBatchStride,
/// cRowStride, bias, biasOffset, flags).
static void lowerPacked(ModuleOp module, PackedMatmulOp op) {
  bool isF32 =
      cast<MemRefType>(op.getInit().getType()).getElementType().isF32();
  func::FuncOp fn =
      getOrDeclare(module, isF32 ? "slim_uk_sgemm_f32_" : "slim_uk_qgemm_s8_",
                   op.getIsa(), {4, 8, 10, 14}, 17);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  // Read-only operands with strided rows are copied first.
  SmallVector<Value> frees;
  GemmOperands g = gemmOperands(b, loc, op.getLhs(), op.getInit(), frees);
  BufferArgs p = bufferArgs(b, loc, op.getPacked());
  auto [biasPointer, biasOffset] = optionalPointer(b, loc, op.getBias(), frees);
  int64_t flags = (isF32 || op.getLhsUnsigned() ? 0 : 1) |
                  (op.getAccumulate() ? 2 : 0) | (op.getSparse() ? 4 : 0);
  SmallVector<Value> args = g.leading(b, loc, op.getN(), op.getK());
  args.append({p.pointer, p.offset});
  llvm::append_range(args, g.c);
  args.append({biasPointer, biasOffset, i64(flags)});
  replaceWithCall(op, b, fn, args, frees);
}

/// The call of slim.activation_matmul: (batch, m, n, k, a, aOffset,
/// aBatchStride, aRowStride, b, bOffset, bBatchStride, bRowStride,
/// bColStride, c, cOffset, cBatchStride, cRowStride, flags).
static void lowerActivation(ModuleOp module, ActivationMatmulOp op) {
  func::FuncOp fn = getOrDeclare(module, "slim_uk_qgemm_act_s8_", op.getIsa(),
                                 {4, 8, 13}, 18);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  SmallVector<Value> frees;
  GemmOperands g = gemmOperands(b, loc, op.getLhs(), op.getInit(), frees);
  // The right-hand side goes with all its strides: no copy.
  BufferArgs w = bufferArgs(b, loc, op.getRhs());
  size_t wRank = w.sizes.size();
  int64_t flags = (op.getLhsUnsigned() ? 0 : 1) | (op.getAccumulate() ? 2 : 0) |
                  (op.getRhsUnsigned() ? 0 : 4);
  SmallVector<Value> args = {g.batch, g.m, w.sizes[wRank - 1],
                             w.sizes[wRank - 2]};
  llvm::append_range(args, g.a);
  args.append({w.pointer, w.offset, wRank == 3 ? w.strides[0] : i64(0),
               w.strides[wRank - 2], w.strides[wRank - 1]});
  llvm::append_range(args, g.c);
  args.push_back(i64(flags));
  replaceWithCall(op, b, fn, args, frees);
}

/// The call of slim.dynamic_packed_matmul: (m, n, k, a, aOffset,
/// aRowStride, packed, packedOffset, c, cOffset, cRowStride, scales,
/// scalesOffset, zeros, zerosOffset, bias, biasOffset, flags).
static void lowerDynamic(ModuleOp module, DynamicPackedMatmulOp op) {
  func::FuncOp fn = getOrDeclare(module, "slim_uk_dqgemm_", op.getIsa(),
                                 {3, 6, 8, 11, 13, 15}, 18);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  SmallVector<Value> frees;
  GemmOperands g = gemmOperands(b, loc, op.getLhs(), op.getInit(), frees);
  BufferArgs p = bufferArgs(b, loc, op.getPacked());
  SmallVector<Value> args = {g.m,    i64(op.getN()), i64(op.getK()), g.a[0],
                             g.a[1], g.a[3],         p.pointer,      p.offset,
                             g.c[0], g.c[1],         g.c[3]};
  for (Value v : {op.getScales(), op.getZeroPoints(), op.getBias()}) {
    auto [pointer, offset] = optionalPointer(b, loc, v, frees);
    args.append({pointer, offset});
  }
  args.push_back(i64(op.getPerRow() ? 1 : 0));
  replaceWithCall(op, b, fn, args, frees);
}

/// The call of slim.dequant_matmul: (batch, m, n, k, a, aOffset,
/// aBatchStride, aRowStride, packed, packedOffset, bits, groupSize, scales,
/// scalesOffset, offsets, offsetsOffset, c, cOffset, cBatchStride,
/// cRowStride, bias, biasOffset, flags: 2 accumulate, 4 int8 activations,
/// 8 the 2:4 form).
static void lowerWeightOnly(ModuleOp module, DequantMatmulOp op) {
  func::FuncOp fn = getOrDeclare(module, "slim_uk_wgemm_", op.getIsa(),
                                 {4, 8, 12, 14, 16, 20}, 23);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  SmallVector<Value> frees;
  GemmOperands g = gemmOperands(b, loc, op.getLhs(), op.getInit(), frees);
  SmallVector<Value> args = g.leading(b, loc, op.getN(), op.getK());
  BufferArgs p = bufferArgs(b, loc, op.getPacked());
  args.append({p.pointer, p.offset, i64(op.getBits()), i64(op.getGroupSize())});
  for (Value v : {op.getScales(), op.getOffsets()}) {
    auto [pointer, offset] = optionalPointer(b, loc, v, frees);
    args.append({pointer, offset});
  }
  llvm::append_range(args, g.c);
  auto [biasPointer, biasOffset] = optionalPointer(b, loc, op.getBias(), frees);
  args.append(
      {biasPointer, biasOffset,
       i64((op.getAccumulate() ? 2 : 0) | (op.getInt8Activations() ? 4 : 0) |
           (op.getSparse() ? 8 : 0))});
  replaceWithCall(op, b, fn, args, frees);
}

/// The call of slim.sign_matmul: (batch, m, n, k, a, aOffset,
/// aBatchStride, aRowStride, signs, signsOffset, scales, scalesOffset, c,
/// cOffset, cBatchStride, cRowStride, bias, biasOffset, flags: 2
/// accumulate).
static void lowerSign(ModuleOp module, SignMatmulOp op) {
  func::FuncOp fn = getOrDeclare(module, "slim_uk_signgemm_", *op.getIsa(),
                                 {4, 8, 10, 12, 16}, 19);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  SmallVector<Value> frees;
  GemmOperands g = gemmOperands(b, loc, op.getLhs(), op.getInit(), frees);
  SmallVector<Value> args = g.leading(b, loc, op.getN(), op.getK());
  BufferArgs p = bufferArgs(b, loc, contiguous(b, loc, op.getSigns(), frees));
  args.append({p.pointer, p.offset});
  auto [scalesPointer, scalesOffset] =
      optionalPointer(b, loc, op.getScales(), frees);
  args.append({scalesPointer, scalesOffset});
  llvm::append_range(args, g.c);
  auto [biasPointer, biasOffset] = optionalPointer(b, loc, op.getBias(), frees);
  args.append({biasPointer, biasOffset, i64(op.getAccumulate() ? 2 : 0)});
  replaceWithCall(op, b, fn, args, frees);
}

/// The call of slim.packed_conv2d (slim_uk_sconv2d_ for f32,
/// slim_uk_qconv2d_s8_ for int8, whose flags add bit 3 for a signed input
/// and bit 4 for a requantize epilogue): (n, c, h, w, f, oh, ow, kh, kw,
/// strideH, strideW, dilationH, dilationW, 4 x padding, padValue, x,
/// xOffset, 4 x strides, packed, packedOffset, y, yOffset, 4 y strides,
/// bias, biasOffset, flags), and for int8 (multipliers, offset, shifts,
/// offset, zeroOut, lo, hi). Bits 8 and up of the flags hold the groups
/// when there are more than one.
static void lowerConvolution(ModuleOp module, PackedConv2DOp op) {
  bool int8 = cast<MemRefType>(op.getInput().getType())
                  .getElementType()
                  .isSignlessInteger(8);
  // int8 adds the requantize epilogue: multipliers, shifts (pointers and
  // offsets), zeroOut, lo, hi.
  func::FuncOp fn =
      int8 ? getOrDeclare(module, "slim_uk_qconv2d_s8_", op.getIsa(),
                          {18, 24, 26, 32, 35, 37}, 42)
           : getOrDeclare(module, "slim_uk_sconv2d_", op.getIsa(),
                          {18, 24, 26, 32}, 35);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  SmallVector<Value> frees;
  BufferArgs x = bufferArgs(b, loc, op.getInput());
  BufferArgs p = bufferArgs(b, loc, op.getPacked());
  BufferArgs y = bufferArgs(b, loc, op.getInit());
  bool nhwc = op.getNhwc();
  // Sizes in the layout's order: (n, c, h, w) or (n, h, w, c).
  Value n = x.sizes[0], c = nhwc ? x.sizes[3] : x.sizes[1];
  Value h = nhwc ? x.sizes[1] : x.sizes[2], w = nhwc ? x.sizes[2] : x.sizes[3];
  Value f = nhwc ? y.sizes[3] : y.sizes[1];
  Value oh = nhwc ? y.sizes[1] : y.sizes[2],
        ow = nhwc ? y.sizes[2] : y.sizes[3];
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                    dilations = op.getDilations();
  SmallVector<Value> args = {n,
                             c,
                             h,
                             w,
                             f,
                             oh,
                             ow,
                             i64(kernel[0]),
                             i64(kernel[1]),
                             i64(strides[0]),
                             i64(strides[1]),
                             i64(dilations[0]),
                             i64(dilations[1])};
  SmallVector<int64_t> padding(4, 0);
  if (std::optional<ArrayRef<int64_t>> given = op.getPadding())
    padding.assign(given->begin(), given->end());
  for (int64_t rows : padding)
    args.push_back(i64(rows));
  args.append({i64(op.getPadValue().value_or(0)), x.pointer, x.offset});
  llvm::append_range(args, x.strides);
  args.append({p.pointer, p.offset, y.pointer, y.offset});
  llvm::append_range(args, y.strides);
  auto [biasPointer, biasOffset] = optionalPointer(b, loc, op.getBias(), frees);
  bool requantize = op.getMultipliers() != nullptr;
  args.append(
      {biasPointer, biasOffset,
       i64((nhwc ? 1 : 0) | (op.getAccumulate() ? 2 : 0) |
           (op.getDepthwise() ? 4 : 0) |
           (int8 && !op.getInputUnsigned() ? 8 : 0) | (requantize ? 16 : 0) |
           (op.getGroups() > 1 ? op.getGroups() << 8 : 0))});
  if (int8) {
    for (Value v : {op.getMultipliers(), op.getShifts()}) {
      auto [pointer, offset] = optionalPointer(b, loc, v, frees);
      args.append({pointer, offset});
    }
    SmallVector<int64_t> range = {0, 0, 0};
    if (std::optional<ArrayRef<int64_t>> given = op.getOutputRange())
      range.assign(given->begin(), given->end());
    for (int64_t v : range)
      args.push_back(i64(v));
  }
  replaceWithCall(op, b, fn, args, frees);
}

/// The call of slim.attention: (batch, heads, m, n, d, dv, then q, k, v,
/// mask and out each as pointer, offset and 4 strides, the scale's f32
/// bits, flags: the scale's use). Size-1 dimensions of the mask get stride
/// 0 (broadcast); an absent mask is a null pointer.
static void lowerAttention(ModuleOp module, AttentionOp op) {
  func::FuncOp fn = getOrDeclare(module, "slim_uk_attention_f32_", op.getIsa(),
                                 {6, 12, 18, 24, 30}, 38);
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t v) { return constantI64(b, loc, v); };
  BufferArgs q = bufferArgs(b, loc, op.getQuery());
  BufferArgs k = bufferArgs(b, loc, op.getKey());
  BufferArgs v = bufferArgs(b, loc, op.getValue());
  BufferArgs out = bufferArgs(b, loc, op.getInit());
  SmallVector<Value> args = {q.sizes[0], q.sizes[1], q.sizes[2],
                             k.sizes[2], q.sizes[3], v.sizes[3]};
  for (BufferArgs *buffer : {&q, &k, &v}) {
    args.append({buffer->pointer, buffer->offset});
    llvm::append_range(args, buffer->strides);
  }
  if (Value maskValue = op.getMask()) {
    BufferArgs mask = bufferArgs(b, loc, maskValue);
    auto type = cast<MemRefType>(maskValue.getType());
    args.append({mask.pointer, mask.offset});
    for (int64_t d = 0; d < 4; ++d)
      args.push_back(type.getDimSize(d) == 1 ? i64(0) : mask.strides[d]);
  } else {
    args.push_back(LLVM::ZeroOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext())));
    for (int i = 0; i < 5; ++i)
      args.push_back(i64(0));
  }
  args.append({out.pointer, out.offset});
  llvm::append_range(args, out.strides);
  float scale = op.getScale() ? op.getScale()->convertToFloat() : 1.0f;
  using Scale = ::slim::runtime::AttentionArgs::Scale;
  Scale use = !op.getScale()         ? Scale::None
              : op.getScaleDivides() ? Scale::Divide
                                     : Scale::Multiply;
  args.push_back(i64(llvm::bit_cast<uint32_t>(scale)));
  args.push_back(i64(static_cast<int64_t>(use)));
  replaceWithCall(op, b, fn, args, {});
}

struct SlimLowerMicroKernelsPass
    : mlir::slim::impl::SlimLowerMicroKernelsPassBase<
          SlimLowerMicroKernelsPass> {
  using SlimLowerMicroKernelsPassBase::SlimLowerMicroKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    bool failedAny = false;
    module.walk([&](Operation *op) {
      Value init;
      if (auto packed = dyn_cast<PackedMatmulOp>(op))
        init = packed.getInit();
      else if (auto act = dyn_cast<ActivationMatmulOp>(op))
        init = act.getInit();
      else if (auto dynamic = dyn_cast<DynamicPackedMatmulOp>(op))
        init = dynamic.getInit();
      else if (auto wo = dyn_cast<DequantMatmulOp>(op))
        init = wo.getInit();
      else if (auto conv = dyn_cast<PackedConv2DOp>(op))
        init = conv.getInit();
      else if (auto attention = dyn_cast<AttentionOp>(op))
        init = attention.getInit();
      else if (auto sign = dyn_cast<SignMatmulOp>(op)) {
        init = sign.getInit();
        if (!sign.getIsa()) {
          op->emitOpError("needs an isa (slim-pack-contractions sets it) "
                          "before slim-lower-micro-kernels");
          failedAny = true;
        }
      } else
        return;
      if (op->getNumResults() != 0) {
        op->emitOpError("must be bufferized before slim-lower-micro-kernels");
        failedAny = true;
      } else if (!isa<PackedConv2DOp, AttentionOp>(op) &&
                 !hasUnitInnerStride(init)) {
        op->emitOpError("needs contiguous rows (innermost stride 1) in init");
        failedAny = true;
      }
      ops.push_back(op);
    });
    if (failedAny)
      return signalPassFailure();
    for (Operation *op : ops) {
      if (auto packed = dyn_cast<PackedMatmulOp>(op))
        lowerPacked(module, packed);
      else if (auto dynamic = dyn_cast<DynamicPackedMatmulOp>(op))
        lowerDynamic(module, dynamic);
      else if (auto wo = dyn_cast<DequantMatmulOp>(op))
        lowerWeightOnly(module, wo);
      else if (auto conv = dyn_cast<PackedConv2DOp>(op))
        lowerConvolution(module, conv);
      else if (auto sign = dyn_cast<SignMatmulOp>(op))
        lowerSign(module, sign);
      else if (auto attention = dyn_cast<AttentionOp>(op))
        lowerAttention(module, attention);
      else
        lowerActivation(module, cast<ActivationMatmulOp>(op));
    }
  }
};

} // namespace
