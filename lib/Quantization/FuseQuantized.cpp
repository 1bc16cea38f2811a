//===- FuseQuantized.cpp - Dequantize -> matmul -> quantize to integers ---===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#include "slim/Quantization/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "slim/Dialect/Slim/IR/QuantLayout.h"
#include "slim/Dialect/Slim/IR/SlimOps.h"
#include "slim/Numerics/Quantization.h"
#include "slim/Layers/Matchers.h"
#include "slim/Layers/Report.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMFUSEQUANTIZEDPASS
#include "slim/Quantization/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;
using namespace mlir::slim;
namespace num = ::slim::numerics;

namespace {

/// What follows a matmul before it is quantized, as one function of the
/// accumulator's real value x: clamp(scale * (x + bias) + offset, lo, hi),
/// with an optional bias vector added first (ReLU is lo = 0; hard-sigmoid
/// is scale 1/6, offset 1/2, lo 0, hi 1). Every step keeps this form:
/// adding k to a clamp moves its bounds by k, multiplying by k > 0 scales
/// them.
struct Epilogue {
  std::optional<std::vector<double>> bias;
  double scale = 1.0;
  double offset = 0.0;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  SmallVector<Operation *> ops;
  QuantizeOp quantize;

  /// max(clamp(x, lo, hi), c) and min(clamp(x, lo, hi), c) are clamps
  /// again: both bounds move (min(max(x, 6), 0) is 0 everywhere).
  void max(double c) { lo = std::max(lo, c), hi = std::max(hi, c); }
  void min(double c) { hi = std::min(hi, c), lo = std::min(lo, c); }
  void add(double k) { offset += k, lo += k, hi += k; }
  void multiply(double k) { scale *= k, offset *= k, lo *= k, hi *= k; }
  /// Whether only a bias add may come next (nothing has been applied yet).
  bool isIdentity() const {
    return !bias && scale == 1.0 && offset == 0.0 && !std::isfinite(lo) &&
           !std::isfinite(hi);
  }
  bool isAffine() const { return scale != 1.0 || offset != 0.0; }
};

/// A scalar float constant.
std::optional<double> constantScalar(Value v) {
  APFloat f(0.0);
  if (matchPattern(v, m_ConstantFloat(&f)))
    return f.convertToDouble();
  return std::nullopt;
}

/// A splat float tensor constant: arith.constant splat or a fill of one.
std::optional<double> constantSplat(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return constantScalar(fill.getInputs()[0]);
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)) && attr.isSplat() &&
      isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().convertToDouble();
  return std::nullopt;
}

/// One float value that a tensor constant holds everywhere: a 0-d or splat
/// tensor constant (as importers pass Clip's bounds), or a fill of a scalar
/// constant.
std::optional<double> constantTensorScalar(Value v) {
  if (std::optional<double> splat = constantSplat(v))
    return splat;
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getNumElements() != 1 ||
      !v.getDefiningOp<arith::ConstantOp>())
    return std::nullopt;
  std::optional<std::vector<float>> values = readConstantValues(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return values->front();
}

/// A value in a few words for a diagnostic: the op that makes it and its
/// type ("linalg.broadcast, tensor<4x96xf32>"), or "an argument".
std::string describeValue(Value v) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (Operation *def = v.getDefiningOp())
    os << def->getName().getStringRef();
  else
    os << "an argument";
  os << ", " << v.getType();
  return text;
}

/// A constant vector: a 1-D float constant (dense or dense_resource).
std::optional<std::vector<double>> constantVector(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() != 1 || !v.getDefiningOp<arith::ConstantOp>())
    return std::nullopt;
  std::optional<std::vector<float>> values = readConstantValues(v);
  if (!values)
    return std::nullopt;
  return std::vector<double>(values->begin(), values->end());
}

/// What a matched compute op contributes to the fused form.
struct ComputeMatch {
  DequantizeOp input, weight;
  /// The weight's output-channel axis (1 for matmul, 2 for batch_matmul, 0
  /// for FCHW filters).
  int64_t weightAxis = 1;
  /// The result's channel axis (2 for batch_matmul, 1 otherwise).
  int64_t channelAxis = 1;
  /// A bias found in the init (the importer broadcasts it there).
  std::optional<std::vector<double>> initBias;
  /// Where the compute's value continues when that is not its result (a
  /// grouped convolution's collapse_shape), and the ops in between, to
  /// erase with it.
  Value result;
  SmallVector<Operation *> between;
  /// Ops that only fed the compute (a grouped convolution's
  /// expand_shapes), erased with it once dead.
  SmallVector<Operation *> feeding;
  /// Builds the integer op: (builder, loc, accumulator type, bias or null).
  std::function<Value(OpBuilder &, Location, Type, Value)> build;
};

/// A bias broadcast into every dimension but the channel `axis`.
std::optional<std::vector<double>> channelBroadcast(Value v, int64_t rank,
                                                    int64_t axis) {
  auto bc = v.getDefiningOp<linalg::BroadcastOp>();
  if (!bc)
    return std::nullopt;
  SmallVector<int64_t> want;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      want.push_back(d);
  if (bc.getDimensions() != ArrayRef<int64_t>(want))
    return std::nullopt;
  return constantVector(bc.getInput());
}

class Fuser {
public:
  Fuser(bool remarks, bool floatOutputs)
      : remarks(remarks), floatOutputs(floatOutputs) {}

  /// Fuses one matmul or convolution, or says why not.
  LogicalResult fuse(linalg::MatmulOp mm) { return fuseContraction(mm); }
  LogicalResult fuse(linalg::BatchMatmulOp bmm) { return fuseContraction(bmm); }
  template <typename ConvOp>
  LogicalResult fuseConv(ConvOp conv);
  /// Fuses an add of two dequantized tensors whose sum is quantized into
  /// slim.qadd, or says why not.
  LogicalResult fuseAdd(Operation *add, Value lhs, Value rhs);
  /// Fuses a concatenation of dequantized tensors whose result is
  /// quantized: each piece requantized to the result's type, then
  /// concatenated as stored.
  LogicalResult fuseConcat(tensor::ConcatOp concat);

  /// Why the last op that was not fused was not.
  const std::string &getLastReason() const { return lastReason; }
  /// Whether a fusion erased `op` (an add in another add's epilogue).
  bool wasErased(Operation *op) const { return erased.contains(op); }

private:
  LogicalResult decline(Operation *op, const Twine &why) {
    lastReason = why.str();
    if (remarks)
      op->emitRemark("left in float: ") << why;
    return failure();
  }
  LogicalResult parseEpilogue(Value v, Epilogue &e, Operation *mm,
                              int64_t channelAxis);
  void parseFloatEpilogue(Value v, Epilogue &e, int64_t channelAxis);
  LogicalResult fuseMatched(Operation *compute, ComputeMatch &m);
  template <typename MatmulLike>
  LogicalResult fuseContraction(MatmulLike mm);
  LogicalResult parseGenericBody(linalg::GenericOp op, unsigned chainInput,
                                 std::optional<unsigned> biasInput,
                                 const std::vector<double> &biasValues,
                                 const llvm::DenseMap<unsigned, double> &scalars,
                                 Epilogue &e, std::string &why);
  /// Replaces what a fused form computes: every use of `old` reads `out`;
  /// then `replaced` (the quantize the form took over, or null), the
  /// epilogue `ops` (last first), `compute` and each distinct op of
  /// `inputs` (its dequantizes: an add may read one twice) are erased when
  /// nothing reads them any more, and remembered as erased.
  LogicalResult replaceFused(Value old, Value out, Operation *replaced,
                             ArrayRef<Operation *> ops, Operation *compute,
                             ArrayRef<Operation *> inputs = {}) {
    old.replaceAllUsesWith(out);
    SmallVector<Operation *> candidates;
    if (replaced)
      candidates.push_back(replaced);
    candidates.append(ops.rbegin(), ops.rend());
    candidates.push_back(compute);
    candidates.append(inputs.begin(), inputs.end());
    llvm::SmallPtrSet<Operation *, 8> seen;
    for (Operation *op : candidates)
      if (seen.insert(op).second && op->use_empty()) {
        erased.insert(op);
        op->erase();
      }
    return success();
  }
  bool remarks;
  bool floatOutputs;
  std::string lastReason;
  llvm::DenseSet<Operation *> erased;
};
} // namespace

/// Reads a generic's body as bias add (of the operand `biasInput`, whose
/// values are `biasValues`) then clamps; fills `e`, or says in `why` which
/// op of the body does not fit. `scalars` are the inputs that hold one
/// constant value (0-d or splat tensors: Clip's bounds as importers pass
/// them).
///
/// A clamp may be written as max/min (maximumf, maxnumf, minimumf, minnumf)
/// by a constant, or as cmpf + select with the constant on either side of
/// the comparison and either order of the select's operands: select(x > c,
/// x, c) and select(x < c, c, x) are max(x, c); select(x < c, x, c) and
/// select(x > c, c, x) are min(x, c), for the ordered and unordered forms
/// of <, <=, >, >= alike. Their behaviours differ only for NaN (maximumf
/// propagates it, maxnumf returns the constant, a select returns whichever
/// operand its false side names when an ordered compare is false, or its
/// true side when an unordered one is true), and the value clamped here is
/// the float of an integer accumulator, never NaN: the fused clamp computes
/// every form exactly. A bound of NaN or infinity is not read as a clamp.
LogicalResult Fuser::parseGenericBody(
    linalg::GenericOp op, unsigned chainInput,
    std::optional<unsigned> biasInput, const std::vector<double> &biasValues,
    const llvm::DenseMap<unsigned, double> &scalars, Epilogue &e,
    std::string &why) {
  Block &body = op.getRegion().front();
  Value cur = body.getArgument(chainInput);
  Value bias = biasInput ? body.getArgument(*biasInput) : Value();
  // A finite constant (a bound of NaN or infinity is not read as a clamp).
  auto scalarOf = [&](Value v) -> std::optional<double> {
    std::optional<double> c;
    if (auto arg = dyn_cast<BlockArgument>(v);
        arg && arg.getOwner() == &body) {
      auto it = scalars.find(arg.getArgNumber());
      if (it != scalars.end())
        c = it->second;
    } else {
      c = constantScalar(v);
    }
    if (c && !std::isfinite(*c))
      return std::nullopt;
    return c;
  };
  auto unfit = [&](Operation &inner, const Twine &what) {
    why = ("'" + inner.getName().getStringRef() + "' " + what).str();
    return failure();
  };
  Operation *consumed = nullptr; // a select read with its cmpf
  for (Operation &inner : body.without_terminator()) {
    // Constants defined in the body are read where they are used.
    if (&inner == consumed || isa<arith::ConstantOp>(inner))
      continue;
    auto isCur = [&](Value v) { return v == cur; };
    if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(
            inner)) {
      Value a = inner.getOperand(0), b = inner.getOperand(1);
      bool commutes = isa<arith::AddFOp, arith::MulFOp>(inner);
      // x op k, or k op x for + and *.
      std::optional<double> k =
          isCur(a) ? scalarOf(b)
                   : (commutes && isCur(b) ? scalarOf(a) : std::nullopt);
      if (k) {
        if (isa<arith::AddFOp>(inner)) {
          e.add(*k);
        } else if (isa<arith::SubFOp>(inner)) {
          e.add(-*k);
        } else {
          double factor = isa<arith::MulFOp>(inner) ? *k : 1.0 / *k;
          if (!(factor > 0.0) || !std::isfinite(factor))
            return unfit(inner, "scales by a factor that is not positive "
                                "and finite");
          e.multiply(factor);
        }
        cur = inner.getResult(0);
        continue;
      }
      auto add = dyn_cast<arith::AddFOp>(inner);
      if (!add || !bias || !e.isIdentity() ||
          !((isCur(add.getLhs()) && add.getRhs() == bias) ||
            (isCur(add.getRhs()) && add.getLhs() == bias)))
        return unfit(inner, "is not the one bias add before the clamps, nor "
                            "an addition, subtraction, multiplication or "
                            "division of the value by a constant");
      e.bias = biasValues;
      cur = add.getResult();
      continue;
    }
    if (isa<arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp,
            arith::MinNumFOp>(inner)) {
      Value a = inner.getOperand(0), b = inner.getOperand(1);
      std::optional<double> c =
          isCur(a) ? scalarOf(b) : (isCur(b) ? scalarOf(a) : std::nullopt);
      if (!c)
        return unfit(inner, "is not by a constant");
      if (isa<arith::MaximumFOp, arith::MaxNumFOp>(inner))
        e.max(*c);
      else
        e.min(*c);
      cur = inner.getResult(0);
      continue;
    }
    if (auto cmp = dyn_cast<arith::CmpFOp>(inner)) {
      using P = arith::CmpFPredicate;
      P pred = cmp.getPredicate();
      bool greater = llvm::is_contained({P::OGT, P::UGT, P::OGE, P::UGE}, pred);
      bool less = llvm::is_contained({P::OLT, P::ULT, P::OLE, P::ULE}, pred);
      if (!greater && !less)
        return unfit(inner, "compares with a predicate that is not <, <=, "
                            ">, >=");
      // x on the right: c > x is x < c.
      std::optional<double> c;
      if (isCur(cmp.getLhs())) {
        c = scalarOf(cmp.getRhs());
      } else if (isCur(cmp.getRhs())) {
        c = scalarOf(cmp.getLhs());
        std::swap(greater, less);
      }
      if (!c)
        return unfit(inner, "does not compare the value with a constant");
      auto select = dyn_cast_or_null<arith::SelectOp>(inner.getNextNode());
      if (!select || select.getCondition() != cmp.getResult() ||
          !cmp.getResult().hasOneUse())
        return unfit(inner, "is not followed by the select it decides");
      Value t = select.getTrueValue(), f = select.getFalseValue();
      bool keepOnTrue = isCur(t) && scalarOf(f) == c;
      bool keepOnFalse = isCur(f) && scalarOf(t) == c;
      if (!keepOnTrue && !keepOnFalse)
        return unfit(*select, "does not choose between the value and the "
                              "constant it was compared with");
      // select(x > c, x, c) = max; select(x > c, c, x) = min; < mirrors.
      if (greater == keepOnTrue)
        e.max(*c);
      else
        e.min(*c);
      cur = select.getResult();
      consumed = select;
      continue;
    }
    return unfit(inner, "is not a bias add, a clamp, or an affine step by a "
                        "constant");
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1 || yield.getOperand(0) != cur) {
    why = "it yields something else than the clamped value";
    return failure();
  }
  if (biasInput && !e.bias) {
    why = "it reads a bias it does not add";
    return failure();
  }
  return success();
}

LogicalResult Fuser::parseEpilogue(Value v, Epilogue &e, Operation *mm,
                                   int64_t channelAxis) {
  auto type = cast<RankedTensorType>(v.getType());
  while (true) {
    if (!v.hasOneUse())
      return decline(mm, "a value between the matmul and its quantize has "
                         "more than one use");
    Operation *user = *v.getUsers().begin();
    if (auto q = dyn_cast<QuantizeOp>(user)) {
      e.quantize = q;
      return success();
    }
    if (user->getNumResults() != 1)
      return decline(mm, Twine("the epilogue has '") +
                             user->getName().getStringRef() +
                             "', which does not fuse");
    if (user->getResult(0).getType() != type)
      return decline(mm, "the epilogue changes the type");
    if (auto generic = dyn_cast<linalg::GenericOp>(user)) {
      if (generic.getNumLoops() != generic.getNumParallelLoops() ||
          generic.getNumDpsInits() != 1 ||
          !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
               .isIdentity())
        return decline(mm, "an epilogue generic is not elementwise (its "
                           "loops or its output map)");
      std::optional<unsigned> chain, biasIndex;
      std::vector<double> biasValues;
      llvm::DenseMap<unsigned, double> scalars;
      for (OpOperand *in : generic.getDpsInputOperands()) {
        unsigned i = in->getOperandNumber();
        AffineMap map = generic.getMatchingIndexingMap(in);
        if (in->get() == v && map.isIdentity()) {
          chain = i;
        } else if (auto vec = constantVector(in->get());
                   vec && map.getNumResults() == 1 &&
                   map.getResult(0) ==
                       getAffineDimExpr(channelAxis, map.getContext())) {
          if (biasIndex || e.bias)
            return decline(mm, "more than one bias");
          biasIndex = i;
          biasValues = *vec;
        } else if (std::optional<double> c = constantTensorScalar(in->get())) {
          scalars[i] = *c;
        } else {
          return decline(mm, Twine("an epilogue generic reads operand ") +
                                 Twine(i) + " (" +
                                 describeValue(in->get()) +
                                 "), which is neither the result nor a "
                                 "constant bias or bound");
        }
      }
      std::string why;
      if (!chain)
        return decline(mm, "an epilogue generic does not read the result "
                           "with an identity map");
      if (failed(parseGenericBody(generic, *chain, biasIndex, biasValues,
                                  scalars, e, why)))
        return decline(mm, "an epilogue generic's body is not bias add, "
                           "clamps and affine steps: " +
                               why);
    } else if (auto add = dyn_cast<arith::AddFOp>(user)) {
      Value other = add.getLhs() == v ? add.getRhs() : add.getLhs();
      std::optional<std::vector<double>> vec =
          channelBroadcast(other, type.getRank(), channelAxis);
      if (!vec || !e.isIdentity())
        return decline(mm, "an epilogue add is not a bias add");
      e.bias = *vec;
    } else if (isa<arith::MaximumFOp, arith::MaxNumFOp, arith::MinimumFOp,
                   arith::MinNumFOp>(user)) {
      Value other =
          user->getOperand(0) == v ? user->getOperand(1) : user->getOperand(0);
      std::optional<double> c = constantTensorScalar(other);
      if (c && !std::isfinite(*c))
        c = std::nullopt;
      if (!c)
        return decline(mm, Twine("an epilogue '") +
                               user->getName().getStringRef() +
                               "' is not by a constant (its other operand: " +
                               describeValue(other) + ")");
      if (isa<arith::MaximumFOp, arith::MaxNumFOp>(user))
        e.max(*c);
      else
        e.min(*c);
    } else {
      return decline(mm, Twine("the epilogue has '") +
                             user->getName().getStringRef() +
                             "', which does not fuse");
    }
    e.ops.push_back(user);
    v = user->getResult(0);
  }
}

/// Whether the single-use elementwise chain after `v` ends in a
/// slim.quantize (the output is quantized).
static bool reachesQuantize(Value v) {
  auto type = v.getType();
  while (v.hasOneUse()) {
    Operation *user = *v.getUsers().begin();
    if (isa<QuantizeOp>(user))
      return true;
    if (!isElementwiseTensorOp(user) || user->getResult(0).getType() != type)
      return false;
    v = user->getResult(0);
  }
  return false;
}

/// With a float output only a bias add right after the compute op joins the
/// integer op (as its int32 bias); everything else stays in float.
void Fuser::parseFloatEpilogue(Value v, Epilogue &e, int64_t channelAxis) {
  if (!v.hasOneUse())
    return;
  Operation *user = *v.getUsers().begin();
  if (user->getNumResults() != 1 || user->getResult(0).getType() != v.getType())
    return;
  auto rank = cast<RankedTensorType>(v.getType()).getRank();
  if (auto add = dyn_cast<arith::AddFOp>(user)) {
    Value other = add.getLhs() == v ? add.getRhs() : add.getLhs();
    if (std::optional<std::vector<double>> vec =
            channelBroadcast(other, rank, channelAxis)) {
      e.bias = *vec;
      e.ops.push_back(user);
    }
    return;
  }
  auto generic = dyn_cast<linalg::GenericOp>(user);
  if (!generic)
    return;
  if (Value bias = matchBiasAdd(generic, v, channelAxis))
    if (std::optional<std::vector<double>> vec = constantVector(bias)) {
      e.bias = *vec;
      e.ops.push_back(user);
    }
}

/// The epilogue's clamp in the storage units of the output `y` (per
/// tensor), or null when it clamps nothing the storage range does not.
static DenseI64ArrayAttr clampInStorage(OpBuilder &b, const Epilogue &e,
                                        const QuantLayout &y) {
  num::IntRange range = y.range;
  auto sy = static_cast<float>(y.scales.front());
  int64_t zy = y.zeroPoints.front();
  int64_t lo = std::isfinite(e.lo)
                   ? num::quantize(static_cast<float>(e.lo), sy, zy, range,
                                   num::Rounding::HalfToEven)
                   : range.min;
  int64_t hi = std::isfinite(e.hi)
                   ? num::quantize(static_cast<float>(e.hi), sy, zy, range,
                                   num::Rounding::HalfToEven)
                   : range.max;
  if (lo == range.min && hi == range.max)
    return {};
  return b.getDenseI64ArrayAttr({lo, std::max(lo, hi)});
}

LogicalResult Fuser::fuseMatched(Operation *compute, ComputeMatch &m) {
  Value result = m.result ? m.result : compute->getResult(0);
  auto resultType = cast<RankedTensorType>(result.getType());
  if (!resultType.getElementType().isF32())
    return decline(compute, "the op does not compute in f32");
  FailureOr<QuantLayout> x = QuantLayout::tryGet(m.input.getInput().getType());
  FailureOr<QuantLayout> w = QuantLayout::tryGet(m.weight.getInput().getType());
  if (failed(x) || failed(w))
    return decline(compute, "invalid quantized operand types");
  if (!x->isPerTensor())
    return decline(compute, "the activation is not quantized per tensor");
  bool perChannel = !w->isPerTensor();
  if (!w->isPerTensorOrAxis(m.weightAxis))
    return decline(compute, "the weight is not quantized per tensor or per "
                            "output channel");

  Epilogue e;
  bool floatOutput = floatOutputs && !reachesQuantize(result);
  if (floatOutput)
    parseFloatEpilogue(result, e, m.channelAxis);
  else if (failed(parseEpilogue(result, e, compute, m.channelAxis)))
    return failure();
  if (m.initBias) {
    if (e.bias)
      return decline(compute, "a bias in the init and another after");
    e.bias = m.initBias;
  }
  RankedTensorType yType =
      floatOutput ? RankedTensorType() : e.quantize.getResult().getType();
  FailureOr<QuantLayout> y = floatOutput ? FailureOr<QuantLayout>(failure())
                                         : QuantLayout::tryGet(yType);
  if (!floatOutput && (failed(y) || !y->isPerTensor()))
    return decline(compute, "the output is not quantized per tensor");
  int64_t n = resultType.getDimSize(m.channelAxis);
  if (ShapedType::isDynamic(n) ||
      (e.bias && static_cast<int64_t>(e.bias->size()) != n))
    return decline(compute, "the bias does not have one value per channel");
  // scale * (x + bias) + offset is scale * (x + bias + offset / scale): the
  // offset joins the bias, the scale the accumulator's scales.
  if (e.offset != 0.0) {
    if (!e.bias)
      e.bias = std::vector<double>(n, 0.0);
    for (double &v : *e.bias)
      v += e.offset / e.scale;
  }

  // Accumulator scales S_x * S_w[n].
  SmallVector<double> accScales;
  for (double sc : w->scales)
    accScales.push_back(x->scales.front() * sc);
  MLIRContext *ctx = compute->getContext();
  StorageSpec i32Spec;
  i32Spec.bits = 32;
  i32Spec.isSigned = true;
  Type f32 = Float32Type::get(ctx);
  SmallVector<int64_t> zeros(accScales.size(), 0);
  auto accElem = [&](int32_t axis, double factor = 1.0) -> Type {
    SmallVector<double> scales;
    for (double sc : accScales)
      scales.push_back(sc * factor);
    if (!perChannel)
      return getUniformType(i32Spec, f32, scales.front(), 0);
    return getUniformPerAxisType(i32Spec, f32, scales, zeros, axis);
  };
  // The bias in accumulator steps: it must leave the int32 sum room (a
  // bias near 2^31 would wrap it), which a tiny epilogue factor can break.
  SmallVector<int64_t> biasSteps;
  if (e.bias)
    for (int64_t j = 0; j < n; ++j) {
      double q = std::nearbyint((*e.bias)[j] / accScales[perChannel ? j : 0]);
      if (!(std::abs(q) < 0x1p30))
        return decline(compute, "the bias (with the epilogue's offset) is "
                                "not below 2^30 accumulator steps");
      biasSteps.push_back(static_cast<int64_t>(q));
    }
  if (!floatOutput)
    for (double sc : accScales)
      if (!num::decomposeMultiplier(sc * e.scale / y->scales.front()))
        return decline(compute, "the requantize multiplier (with the "
                                "epilogue's factor) is not below 2^31");

  OpBuilder b(compute);
  if (floatOutput)
    b.setInsertionPointAfter(e.ops.empty() ? compute : e.ops.back());
  else
    b.setInsertionPoint(e.quantize);
  Location loc = compute->getLoc();
  Value bias;
  if (e.bias) {
    SmallVector<APInt> values;
    for (int64_t q : biasSteps)
      values.push_back(APInt(32, q, /*isSigned=*/true));
    auto storage = RankedTensorType::get({n}, IntegerType::get(ctx, 32));
    Value c = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(storage, values));
    bias = quant::StorageCastOp::create(
        b, loc, RankedTensorType::get({n}, accElem(0)), c);
  }
  Value acc = m.build(
      b, loc, resultType.clone(accElem(static_cast<int32_t>(m.channelAxis))),
      bias);
  // Replaces what the fused form computes and erases what it made dead.
  auto finish = [&](Value old, Value out, Operation *replaced = nullptr) {
    SmallVector<Operation *> ops(m.between);
    ops.append(e.ops.begin(), e.ops.end());
    return replaceFused(old, out, replaced, ops, compute, m.feeding);
  };
  if (floatOutput) {
    // The accumulator (bias included) dequantized: S_x * S_w[n] * acc.
    return finish(e.ops.empty() ? result : e.ops.back()->getResult(0),
                  DequantizeOp::create(b, loc, resultType, acc));
  }

  // The epilogue's scale: the same integers read with scales times it.
  if (e.scale != 1.0) {
    auto accType = cast<RankedTensorType>(acc.getType());
    Value raw = quant::StorageCastOp::create(
        b, loc, accType.clone(IntegerType::get(ctx, 32)), acc);
    acc = quant::StorageCastOp::create(
        b, loc,
        accType.clone(accElem(static_cast<int32_t>(m.channelAxis), e.scale)),
        raw);
  }

  Value out = RequantizeOp::create(
      b, loc, yType, acc, RequantModeAttr::get(ctx, RequantMode::FixedPoint),
      /*rounding=*/RoundingModeAttr(), clampInStorage(b, e, *y));

  return finish(e.quantize.getResult(), out, e.quantize);
}

/// linalg.matmul and linalg.batch_matmul: both become slim.qmatmul; the
/// output channel is the last dimension of the weight and of the result.
template <typename MatmulLike>
LogicalResult Fuser::fuseContraction(MatmulLike mm) {
  if (mm.hasUserDefinedMaps())
    return decline(mm, "the matmul has non-default indexing maps");
  ComputeMatch m;
  m.input = mm.getInputs()[0].template getDefiningOp<DequantizeOp>();
  m.weight = mm.getInputs()[1].template getDefiningOp<DequantizeOp>();
  if (!m.input || !m.weight)
    return decline(mm, "an operand is not dequantized");
  std::optional<double> init = constantSplat(mm.getOutputs()[0]);
  if (!init || *init != 0.0)
    return decline(mm, "the matmul's init is not zero");
  m.weightAxis = m.channelAxis =
      cast<RankedTensorType>(mm.getInputs()[1].getType()).getRank() - 1;
  Value xq = m.input.getInput(), wq = m.weight.getInput();
  m.build = [xq, wq](OpBuilder &b, Location loc, Type type, Value bias) {
    return QMatmulOp::create(b, loc, type, xq, wq, bias).getResult();
  };
  return fuseMatched(mm, m);
}

/// linalg's four 2-D convolutions that have an integer form, each one of
/// slim.qconv2d's forms (whose layout helpers say where its dimensions are),
/// and the grouped convolution of isGroupedConv, slim.qconv2d's NCHW form
/// with `groups`: read through the expand_shapes of its input, filter
/// (dequantized as F x C/G x KH x KW) and init, and the collapse_shape of
/// its result.
template <typename ConvOp>
LogicalResult Fuser::fuseConv(ConvOp conv) {
  constexpr bool nhwc =
      llvm::is_one_of<ConvOp, linalg::Conv2DNhwcHwcfOp,
                      linalg::DepthwiseConv2DNhwcHwcOp>::value;
  constexpr bool depthwise =
      llvm::is_one_of<ConvOp, linalg::DepthwiseConv2DNchwChwOp,
                      linalg::DepthwiseConv2DNhwcHwcOp>::value;
  constexpr bool grouped = std::is_same_v<ConvOp, linalg::Conv2DNgchwGfchwOp>;
  int64_t channelAxis = QConv2DOp::channelDim(nhwc);
  int64_t heightAxis = QConv2DOp::spatialDim(nhwc);
  ComputeMatch m;
  Value input = layerInput(conv);
  // A static padding of H and W with 0.0: [top, left, bottom, right].
  auto zeroPadding =
      [&](tensor::PadOp pad) -> std::optional<SmallVector<int64_t>> {
    std::optional<double> value =
        pad.getConstantPaddingValue()
            ? constantScalar(pad.getConstantPaddingValue())
            : std::nullopt;
    ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
    auto spatial = [&](int64_t d) {
      return d == heightAxis || d == heightAxis + 1;
    };
    bool ok = value && *value == 0.0 && low.size() == 4;
    for (int64_t d = 0; ok && d < 4; ++d)
      ok = spatial(d) ? !ShapedType::isDynamic(low[d]) &&
                            !ShapedType::isDynamic(high[d])
                      : low[d] == 0 && high[d] == 0;
    if (!ok)
      return std::nullopt;
    return SmallVector<int64_t>{low[heightAxis], low[heightAxis + 1],
                                high[heightAxis], high[heightAxis + 1]};
  };
  // quantize(pad(dequantize(x))) under x's own parameters, with a zero
  // padding, is x padded with its zero point (the observer of a padded
  // input quantizes the pad's result): the padding joins the integer
  // convolution.
  if (auto dq = input.getDefiningOp<DequantizeOp>())
    if (auto q = dq.getInput().getDefiningOp<QuantizeOp>())
      if (auto pad = q.getInput().getDefiningOp<tensor::PadOp>())
        if (auto source = pad.getSource().getDefiningOp<DequantizeOp>();
            source && zeroPadding(pad) &&
            source.getInput().getType().getElementType() ==
                q.getResult().getType().getElementType() &&
            QuantizeOp::isRoundTripExact(q.getResult().getType(),
                                         pad.getType().getElementType()))
          input = pad.getResult();
  SmallVector<int64_t> padding{0, 0, 0, 0};
  if (auto pad = input.getDefiningOp<tensor::PadOp>()) {
    std::optional<SmallVector<int64_t>> zero = zeroPadding(pad);
    if (!zero)
      return decline(conv, "the input padding is not a static zero padding "
                           "of H and W");
    padding = *zero;
    input = pad.getSource();
  }
  m.input = input.template getDefiningOp<DequantizeOp>();
  m.weight = layerWeight(conv).template getDefiningOp<DequantizeOp>();
  if (!m.input || !m.weight)
    return decline(conv, "an operand is not dequantized");
  // A grouped filter: the F x C/G x KH x KW one that slim-quantize-weights
  // writes behind an expand_shape.
  if (grouped && m.weight.getResult().getType().getRank() != 4)
    return decline(conv, "the grouped filter is not the expand_shape of a "
                         "dequantized F x C/G x KH x KW filter");
  // A grouped convolution's init: the 4-D tensor its expand_shape splits.
  Value init = conv.getOutputs()[0];
  if (auto expand = init.template getDefiningOp<tensor::ExpandShapeOp>();
      grouped && expand)
    init = expand.getSrc();
  std::optional<double> zero = constantSplat(init);
  if (!zero || *zero != 0.0) {
    m.initBias = channelBroadcast(init, 4, channelAxis);
    if (!m.initBias)
      return decline(conv, "the convolution's init is neither zero nor a "
                           "broadcast bias");
  }
  m.weightAxis = QConv2DOp::filterChannelDim(nhwc, depthwise);
  m.channelAxis = channelAxis;
  Value xq = m.input.getInput(), wq = m.weight.getInput();
  auto strides = llvm::to_vector(conv.getStrides().template getValues<int64_t>());
  auto dilations =
      llvm::to_vector(conv.getDilations().template getValues<int64_t>());
  int64_t groups = 1;
  if constexpr (grouped) {
    groups = cast<RankedTensorType>(conv.getInputs()[1].getType())
                 .getDimSize(0);
    m.result = layerResult(conv);
    m.between.push_back(m.result.getDefiningOp());
    for (Value operand : conv->getOperands())
      if (auto expand = operand.template getDefiningOp<tensor::ExpandShapeOp>())
        m.feeding.push_back(expand);
  }
  // linalg accepts an output that covers only part of the input;
  // slim.qconv2d's is the whole extent.
  auto inType = cast<RankedTensorType>(input.getType());
  auto filterType = cast<RankedTensorType>(m.weight.getResult().getType());
  auto outType = cast<RankedTensorType>(layerResult(conv).getType());
  int64_t kernelDim = QConv2DOp::filterSpatialDim(nhwc, depthwise);
  for (int64_t k = 0; k < 2; ++k) {
    int64_t in = inType.getDimSize(heightAxis + k);
    int64_t kernel = filterType.getDimSize(kernelDim + k);
    int64_t out = outType.getDimSize(heightAxis + k);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel) ||
        ShapedType::isDynamic(out))
      continue;
    int64_t full = (in + padding[k] + padding[k + 2] -
                    dilations[k] * (kernel - 1) - 1) /
                       strides[k] +
                   1;
    if (out != full)
      return decline(conv, Twine("the output's ") + (k ? "width " : "height ") +
                               Twine(out) +
                               " is not the convolution's full extent " +
                               Twine(full));
  }
  m.build = [=](OpBuilder &b, Location loc, Type type, Value bias) {
    return QConv2DOp::create(b, loc, type, xq, wq, bias,
                             b.getDenseI64ArrayAttr(strides),
                             b.getDenseI64ArrayAttr(dilations),
                             b.getDenseI64ArrayAttr(padding),
                             nhwc ? b.getUnitAttr() : UnitAttr(),
                             depthwise ? b.getUnitAttr() : UnitAttr(),
                             b.getI64IntegerAttr(groups))
        .getResult();
  };
  return fuseMatched(conv, m);
}

/// The two addends of an elementwise add of two tensors of the result's
/// type: a linalg.generic whose two inputs are read through identity maps
/// and whose body adds them, linalg.add, or arith.addf on tensors.
static std::optional<std::pair<Value, Value>> matchTensorAdd(Operation *op) {
  if (op->getNumResults() != 1)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || type.getRank() == 0)
    return std::nullopt;
  auto sameType = [&](Value a,
                      Value b) -> std::optional<std::pair<Value, Value>> {
    if (a.getType() != type || b.getType() != type)
      return std::nullopt;
    return std::make_pair(a, b);
  };
  if (auto add = dyn_cast<arith::AddFOp>(op))
    return sameType(add.getLhs(), add.getRhs());
  if (auto add = dyn_cast<linalg::AddOp>(op))
    return sameType(add.getInputs()[0], add.getInputs()[1]);
  auto g = dyn_cast<linalg::GenericOp>(op);
  if (!g || g.getNumDpsInputs() != 2 || g.getNumDpsInits() != 1 ||
      g.getNumLoops() != g.getNumParallelLoops() ||
      !llvm::all_of(g.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  Block &body = g.getRegion().front();
  auto add = dyn_cast<arith::AddFOp>(body.front());
  if (!add || std::next(body.begin()) != std::prev(body.end()) ||
      body.getTerminator()->getOperand(0) != add.getResult())
    return std::nullopt;
  Value a0 = body.getArgument(0), a1 = body.getArgument(1);
  if (!((add.getLhs() == a0 && add.getRhs() == a1) ||
        (add.getLhs() == a1 && add.getRhs() == a0)))
    return std::nullopt;
  return sameType(g.getDpsInputs()[0], g.getDpsInputs()[1]);
}

LogicalResult Fuser::fuseAdd(Operation *add, Value lhs, Value rhs) {
  auto dl = lhs.getDefiningOp<DequantizeOp>();
  auto dr = rhs.getDefiningOp<DequantizeOp>();
  if (!dl || !dr)
    return decline(add, Twine("addend ") + (dl ? "1" : "0") + " (" +
                            describeValue(dl ? rhs : lhs) +
                            ") is not dequantized");
  SmallVector<QuantLayout> l;
  for (DequantizeOp d : {dl, dr}) {
    FailureOr<QuantLayout> layout = QuantLayout::tryGet(d.getInput().getType());
    if (failed(layout) || !layout->isPerTensor() || layout->storageWidth > 8)
      return decline(add, "an addend is not quantized per tensor in at most "
                          "8 bits");
    l.push_back(*layout);
  }
  Epilogue e;
  auto type = cast<RankedTensorType>(add->getResult(0).getType());
  if (failed(parseEpilogue(add->getResult(0), e, add, type.getRank() - 1)))
    return failure();
  if (e.bias || e.isAffine())
    return decline(add, "the sum is scaled, offset or biased before it is "
                        "quantized");
  RankedTensorType yType = e.quantize.getResult().getType();
  FailureOr<QuantLayout> y = QuantLayout::tryGet(yType);
  if (failed(y) || !y->isPerTensor() || y->storageWidth > 16)
    return decline(add, "the sum is not quantized per tensor in at most 16 "
                        "bits");
  Type expressed = y->type.getExpressedType();
  if (l[0].type.getExpressedType() != expressed ||
      l[1].type.getExpressedType() != expressed)
    return decline(add, "the addends and the sum have different expressed "
                        "types");
  std::array<double, 3> m = QAddOp::getMultipliers(
      l[0].scales.front(), l[1].scales.front(), y->scales.front());
  if (!num::decomposeMultiplier(m[2]))
    return decline(add, "the sum's scale is too fine for the addends' (the "
                        "output multiplier exceeds 2^31)");

  OpBuilder b(e.quantize);
  Value sum = QAddOp::create(b, add->getLoc(), yType, dl.getInput(),
                             dr.getInput(), clampInStorage(b, e, *y));
  return replaceFused(e.quantize.getResult(), sum, e.quantize, e.ops, add,
                      {dl, dr});
}

LogicalResult Fuser::fuseConcat(tensor::ConcatOp concat) {
  SmallVector<DequantizeOp> pieces;
  for (auto [i, in] : llvm::enumerate(concat.getInputs())) {
    auto d = in.getDefiningOp<DequantizeOp>();
    if (!d)
      return decline(concat, Twine("input ") + Twine(i) + " (" +
                                 describeValue(in) + ") is not dequantized");
    pieces.push_back(d);
  }
  Value result = concat.getResult();
  auto quantize = result.hasOneUse()
                      ? dyn_cast<QuantizeOp>(*result.getUsers().begin())
                      : QuantizeOp();
  if (!quantize)
    return decline(concat, "the result is not quantized (and only that)");
  RankedTensorType yType = quantize.getResult().getType();
  FailureOr<QuantLayout> y = QuantLayout::tryGet(yType);
  if (failed(y) || !y->isPerTensor())
    return decline(concat, "the result is not quantized per tensor");
  for (DequantizeOp d : pieces) {
    FailureOr<QuantLayout> in = QuantLayout::tryGet(d.getInput().getType());
    FailureOr<RequantLayout> r =
        failed(in) ? FailureOr<RequantLayout>(failure())
                   : RequantLayout::tryGet(*in, *y);
    if (failed(r) || !llvm::all_of(r->multipliers, [](double m) {
          return num::decomposeMultiplier(m).has_value();
        }))
      return decline(concat, "an input cannot be requantized to the "
                             "result's type");
  }

  OpBuilder b(quantize);
  Location loc = concat.getLoc();
  SmallVector<Value> stored;
  for (DequantizeOp d : pieces) {
    Value in = d.getInput();
    auto inType = cast<RankedTensorType>(in.getType());
    if (inType.getElementType() != yType.getElementType())
      in = RequantizeOp::create(
          b, loc, inType.clone(yType.getElementType()), in,
          RequantModeAttr::get(b.getContext(), RequantMode::FixedPoint),
          /*rounding=*/RoundingModeAttr(), /*clamp=*/DenseI64ArrayAttr());
    stored.push_back(in);
  }
  Value joined =
      tensor::ConcatOp::create(b, loc, yType, concat.getDim(), stored);
  SmallVector<Operation *> inputs(pieces.begin(), pieces.end());
  return replaceFused(quantize.getResult(), joined, quantize, {}, concat,
                      inputs);
}

namespace {
struct SlimFuseQuantizedPass
    : mlir::slim::impl::SlimFuseQuantizedPassBase<SlimFuseQuantizedPass> {
  using SlimFuseQuantizedPassBase::SlimFuseQuantizedPassBase;

  void runOnOperation() override {
    // Named before anything is replaced: the names of the report.
    llvm::MapVector<Operation *, std::string> computes =
        nameLayers(getOperation());
    if (layers)
      layers->addLayers(computes);
    FailureOr<llvm::DenseMap<Operation *, std::string>> skipped =
        skippedLayers(computes, skip, getOperation(), "slim-fuse-quantized");
    if (failed(skipped))
      return signalPassFailure();
    Fuser fuser(reportUnfused, floatOutputs);
    // With strict: the layers left in float, and why.
    SmallVector<std::tuple<Operation *, std::string, std::string>> floats;
    for (auto &[op, name] : computes) {
      if (skipped->count(op))
        continue;
      StringRef integerOp;
      std::optional<LogicalResult> attempt =
          TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
              .Case<linalg::MatmulOp, linalg::BatchMatmulOp>([&](auto mm) {
                integerOp = QMatmulOp::getOperationName();
                return fuser.fuse(mm);
              })
              .Case<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp,
                    linalg::DepthwiseConv2DNchwChwOp,
                    linalg::DepthwiseConv2DNhwcHwcOp,
                    linalg::Conv2DNgchwGfchwOp>([&](auto conv) {
                integerOp = QConv2DOp::getOperationName();
                return fuser.fuseConv(conv);
              })
              .Default([](Operation *) { return std::nullopt; });
      if (!attempt) {
        std::string why =
            ("no integer form for " + op->getName().getStringRef()).str();
        if (layers)
          layers->set(name, "unfused", why);
        floats.push_back({op, name, why});
        continue;
      }
      LogicalResult fused = *attempt;
      if (failed(fused))
        floats.push_back({op, name, fuser.getLastReason()});
      if (!layers)
        continue;
      if (succeeded(fused))
        layers->set(name, "integer_op", integerOp);
      else
        layers->set(name, "unfused", fuser.getLastReason());
    }
    // Residual adds and concatenations: integer where their inputs are
    // dequantized and their result is quantized. With strict, one whose
    // result is quantized must become integer.
    SmallVector<std::pair<Operation *, std::string>> floatJoins;
    SmallVector<std::pair<Operation *, std::pair<Value, Value>>> adds;
    SmallVector<tensor::ConcatOp> concats;
    getOperation().walk([&](Operation *op) {
      if (auto concat = dyn_cast<tensor::ConcatOp>(op))
        concats.push_back(concat);
      else if (std::optional<std::pair<Value, Value>> addends =
                   matchTensorAdd(op))
        adds.push_back({op, *addends});
    });
    auto anyDequantized = [](ValueRange values) {
      return llvm::any_of(values, [](Value v) {
        return v.getDefiningOp<DequantizeOp>() != nullptr;
      });
    };
    for (auto &[op, addends] : adds) {
      if (fuser.wasErased(op) ||
          !anyDequantized({addends.first, addends.second}))
        continue;
      if (failed(fuser.fuseAdd(op, addends.first, addends.second)) &&
          reachesQuantize(op->getResult(0)))
        floatJoins.push_back({op, fuser.getLastReason()});
    }
    for (tensor::ConcatOp concat : concats) {
      if (fuser.wasErased(concat) || !anyDequantized(concat.getInputs()))
        continue;
      if (failed(fuser.fuseConcat(concat)) &&
          reachesQuantize(concat.getResult()))
        floatJoins.push_back({concat, fuser.getLastReason()});
    }
    if (!strict || (floats.empty() && floatJoins.empty()))
      return;
    for (auto &[op, name, why] : floats)
      op->emitError("slim-fuse-quantized strict: layer '")
          << name << "' stays in float: " << why;
    for (auto &[op, why] : floatJoins)
      op->emitError("slim-fuse-quantized strict: this ")
          << (isa<tensor::ConcatOp>(op) ? "concatenation" : "add")
          << " of quantized tensors stays in float: " << why;
    signalPassFailure();
  }

  std::shared_ptr<LayerReport> layers;
};
} // namespace

std::unique_ptr<Pass> mlir::slim::createSlimFuseQuantizedPass(
    const SlimFuseQuantizedPassOptions &options,
    std::shared_ptr<LayerReport> layers) {
  auto pass = std::make_unique<SlimFuseQuantizedPass>(options);
  pass->layers = std::move(layers);
  return pass;
}
