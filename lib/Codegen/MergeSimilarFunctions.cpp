//===- MergeSimilarFunctions.cpp - One function per nest shape ------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// Private functions whose bodies are the same up to the values of scalar or
// splat constants and the globals they read (the outlined nests of the
// layers of a quantized model, each with its own scales) become one
// function that takes the differing values as arguments. See the pass
// description.
//
//===----------------------------------------------------------------------===//

#include "slim/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace slim {
#define GEN_PASS_DEF_SLIMMERGESIMILARFUNCTIONSPASS
#include "slim/Codegen/Passes.h.inc"
} // namespace slim
} // namespace mlir

using namespace mlir;

namespace {

/// How a leaf (an op without operands that makes one value: a constant or
/// a global's address) may differ between two functions that are merged.
enum class Param {
  None,   // must be identical
  Scalar, // arith.constant of an integer or float: passed as is
  Splat,  // arith.constant splat vector: its element passed, broadcast inside
  Global, // memref.get_global: the memref passed
};

bool isLeaf(Operation *op) {
  return op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         op->getNumResults() == 1 &&
         (op->hasTrait<OpTrait::ConstantLike>() ||
          isa<memref::GetGlobalOp>(op));
}

Param paramKind(Operation *op) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    Type type = constant.getType();
    if (isa<IntegerType, FloatType>(type))
      return Param::Scalar;
    auto vector = dyn_cast<VectorType>(type);
    if (vector && !vector.isScalable() &&
        isa<IntegerType, FloatType>(vector.getElementType()) &&
        isa<SplatElementsAttr>(constant.getValue()))
      return Param::Splat;
    return Param::None;
  }
  if (isa<memref::GetGlobalOp>(op))
    return Param::Global;
  return Param::None;
}

/// Whether two ops have the same attributes and properties (properties that
/// are not attributes, such as unit flags, included).
bool sameAttributes(Operation *a, Operation *b) {
  return a->getRawDictionaryAttrs() == b->getRawDictionaryAttrs() &&
         a->getName().compareOpProperties(a->getPropertiesStorage(),
                                          b->getPropertiesStorage());
}

/// The ops of a block that are compared in order: leaves are compared where
/// they are used instead, so that their order and copies do not matter.
SmallVector<Operation *> nonLeaves(Block &block) {
  SmallVector<Operation *> ops;
  for (Operation &op : block)
    if (!isLeaf(&op))
      ops.push_back(&op);
  return ops;
}

/// The hash of a function's structure: what must be equal for two functions
/// to merge (the ops but leaves, their types and attributes, regions).
llvm::hash_code structureHash(func::FuncOp fn) {
  llvm::hash_code hash =
      llvm::hash_value(fn.getFunctionType().getAsOpaquePointer());
  fn.getBody().walk([&](Operation *op) {
    if (isLeaf(op))
      return;
    hash = llvm::hash_combine(hash, op->getName().getAsOpaquePointer(),
                              op->getNumOperands(), op->getNumRegions(),
                              op->getRawDictionaryAttrs().getAsOpaquePointer(),
                              op->hashProperties());
    for (Type type : op->getResultTypes())
      hash = llvm::hash_combine(hash, type.getAsOpaquePointer());
  });
  return hash;
}

/// Leaves of the representative whose values differ in a member, each with
/// the member's leaf.
using Differences = llvm::MapVector<Operation *, Operation *>;

/// Compares a representative and a member function, leaves where they are
/// used.
class Comparison {
public:
  Comparison(func::FuncOp rep, Differences &diffs) : rep(rep), diffs(diffs) {}

  bool regions(Region &a, Region &b) {
    if (a.getBlocks().size() != b.getBlocks().size())
      return false;
    for (auto [ba, bb] : llvm::zip(a, b)) {
      if (ba.getArgumentTypes() != bb.getArgumentTypes())
        return false;
      map.map(ba.getArguments(), bb.getArguments());
      SmallVector<Operation *> oa = nonLeaves(ba), ob = nonLeaves(bb);
      if (oa.size() != ob.size())
        return false;
      for (auto [x, y] : llvm::zip(oa, ob))
        if (!ops(x, y))
          return false;
    }
    return true;
  }

private:
  bool ops(Operation *a, Operation *b) {
    if (a->getName() != b->getName() ||
        a->getNumOperands() != b->getNumOperands() ||
        a->getNumRegions() != b->getNumRegions() ||
        a->getNumSuccessors() != 0 || b->getNumSuccessors() != 0 ||
        a->getResultTypes() != b->getResultTypes() || !sameAttributes(a, b))
      return false;
    for (auto [x, y] : llvm::zip(a->getOperands(), b->getOperands()))
      if (!operands(x, y))
        return false;
    for (auto [ra, rb] : llvm::zip(a->getRegions(), b->getRegions()))
      if (!regions(ra, rb))
        return false;
    map.map(a->getResults(), b->getResults());
    return true;
  }

  bool operands(Value x, Value y) {
    Operation *la = x.getDefiningOp();
    Operation *lb = y.getDefiningOp();
    bool leafA = la && isLeaf(la), leafB = lb && isLeaf(lb);
    if (leafA != leafB)
      return false;
    if (!leafA)
      return map.lookupOrNull(x) == y;
    if (la->getName() != lb->getName() || x.getType() != y.getType())
      return false;
    // A leaf seen before must stand for the same value each time.
    auto [it, inserted] = leaves.try_emplace(la, lb);
    if (!inserted)
      return sameAttributes(it->second, lb);
    if (sameAttributes(la, lb))
      return true;
    Param kind = paramKind(la);
    if (kind == Param::None || paramKind(lb) != kind)
      return false;
    // An argument of the function is visible only where the function's
    // own region is (not inside a region isolated from above; the member
    // has the same regions).
    if (la->getParentWithTrait<OpTrait::IsIsolatedFromAbove>() !=
        rep.getOperation())
      return false;
    diffs.insert({la, lb});
    return true;
  }

  func::FuncOp rep;
  IRMapping map;
  llvm::DenseMap<Operation *, Operation *> leaves;
  Differences &diffs;
};

/// Whether `member` is `rep` up to the values of parameterizable leaves;
/// those that differ go to `diffs`.
bool equivalent(func::FuncOp rep, func::FuncOp member, Differences &diffs) {
  if (rep.getFunctionType() != member.getFunctionType())
    return false;
  // The functions' own attributes but the name.
  NamedAttrList repAttrs(rep->getAttrDictionary());
  NamedAttrList memberAttrs(member->getAttrDictionary());
  repAttrs.erase(rep.getSymNameAttrName());
  memberAttrs.erase(member.getSymNameAttrName());
  if (repAttrs.getDictionary(rep.getContext()) !=
      memberAttrs.getDictionary(member.getContext()))
    return false;
  return Comparison(rep, diffs).regions(rep.getBody(), member.getBody());
}

/// The value a call passes for the parameter `op` stands for.
Value materialize(OpBuilder &builder, Location loc, Operation *op) {
  if (paramKind(op) == Param::Splat) {
    auto splat =
        cast<SplatElementsAttr>(cast<arith::ConstantOp>(op).getValue());
    return arith::ConstantOp::create(builder, loc,
                                     splat.getSplatValue<TypedAttr>());
  }
  return builder.clone(*op)->getResult(0);
}

/// A representative and the functions that merge into it, each with the
/// representative's parameterized ops mapped to its own.
struct MergeClass {
  func::FuncOp rep;
  SmallVector<std::pair<func::FuncOp, Differences>> members;
  llvm::SetVector<Operation *> params; // the representative's ops
};

struct SlimMergeSimilarFunctionsPass
    : mlir::slim::impl::SlimMergeSimilarFunctionsPassBase<
          SlimMergeSimilarFunctionsPass> {
  using SlimMergeSimilarFunctionsPassBase::SlimMergeSimilarFunctionsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (maxParameters < 0) {
      module.emitError("slim-merge-similar-functions: max-parameters must "
                       "be at least 0, got " +
                       std::to_string(maxParameters));
      return signalPassFailure();
    }
    // Candidates: private definitions whose every use is a direct call
    // (one without argument or result attributes, which would have to
    // grow with the operands) in this module's symbol table.
    llvm::DenseMap<func::FuncOp, SmallVector<func::CallOp>> calls;
    llvm::DenseSet<func::FuncOp> usable;
    for (auto fn : module.getOps<func::FuncOp>())
      if (fn.isPrivate() && !fn.isDeclaration())
        usable.insert(fn);
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      // A nested symbol table's calls name its own symbols.
      if (op != module.getOperation() && op->hasTrait<OpTrait::SymbolTable>())
        return WalkResult::skip();
      auto call = dyn_cast<func::CallOp>(op);
      if (call && (call.getArgAttrsAttr() || call.getResAttrsAttr())) {
        if (auto fn = module.lookupSymbol<func::FuncOp>(call.getCalleeAttr()))
          usable.erase(fn);
        return WalkResult::advance();
      }
      // Any other reference to a candidate (an address taken, a
      // symbol in an attribute) keeps it as it is.
      op->getAttrDictionary().walk([&](SymbolRefAttr ref) {
        if (call && ref == call.getCalleeAttr())
          return;
        if (auto fn = module.lookupSymbol<func::FuncOp>(ref.getRootReference()))
          usable.erase(fn);
      });
      if (call)
        if (auto fn = module.lookupSymbol<func::FuncOp>(call.getCalleeAttr()))
          calls[fn].push_back(call);
      return WalkResult::advance();
    });

    // Classes: functions grouped by structure, then each compared with
    // the representatives of its group in module order.
    llvm::MapVector<llvm::hash_code, SmallVector<MergeClass>> groups;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (!usable.contains(fn))
        continue;
      SmallVector<MergeClass> &group = groups[structureHash(fn)];
      bool placed = false;
      for (MergeClass &cls : group) {
        Differences diffs;
        if (!equivalent(cls.rep, fn, diffs))
          continue;
        llvm::SetVector<Operation *> params = cls.params;
        for (auto &entry : diffs)
          params.insert(entry.first);
        if (static_cast<int64_t>(params.size()) > maxParameters)
          continue;
        cls.params = std::move(params);
        cls.members.push_back({fn, std::move(diffs)});
        placed = true;
        break;
      }
      if (!placed)
        group.push_back(MergeClass{fn, {}, {}});
    }

    OpBuilder builder(&getContext());
    SmallVector<func::FuncOp> erased;
    for (auto &entry : groups) {
      for (MergeClass &cls : entry.second) {
        if (cls.members.empty())
          continue;
        // The representative takes the parameters as trailing arguments
        // (a splat as its element), before any of its calls changes.
        unsigned first = cls.rep.getNumArguments();
        SmallVector<unsigned> indices;
        SmallVector<Type> types;
        SmallVector<DictionaryAttr> attrs;
        SmallVector<Location> locs;
        for (Operation *param : cls.params) {
          Type type = param->getResult(0).getType();
          if (paramKind(param) == Param::Splat)
            type = cast<VectorType>(type).getElementType();
          indices.push_back(first);
          types.push_back(type);
          attrs.push_back(DictionaryAttr());
          locs.push_back(param->getLoc());
        }
        if (failed(cls.rep.insertArguments(indices, types, attrs, locs))) {
          cls.rep.emitOpError("could not take its parameters");
          return signalPassFailure();
        }

        // Every call, of the representative or a member, passes its
        // function's values of the parameters.
        auto rewriteCalls = [&](func::FuncOp fn, const Differences *diffs) {
          for (func::CallOp call : calls.lookup(fn)) {
            builder.setInsertionPoint(call);
            SmallVector<Value> operands(call.getOperands());
            for (Operation *param : cls.params) {
              Operation *own = param;
              if (diffs)
                if (Operation *other = diffs->lookup(param))
                  own = other;
              // An op equal to the representative's: its own copy
              // of the representative's op (same value).
              operands.push_back(materialize(builder, call.getLoc(), own));
            }
            call.setCallee(cls.rep.getSymName());
            call->setOperands(operands);
          }
        };
        rewriteCalls(cls.rep, nullptr);
        for (auto &[member, diffs] : cls.members)
          rewriteCalls(member, &diffs);

        // Inside, the arguments replace the representative's leaves.
        for (auto [i, param] : llvm::enumerate(cls.params)) {
          Value old = param->getResult(0);
          Value arg = cls.rep.getArgument(first + i);
          if (paramKind(param) == Param::Splat) {
            builder.setInsertionPoint(param);
            arg = vector::BroadcastOp::create(builder, param->getLoc(),
                                              old.getType(), arg);
          }
          old.replaceAllUsesWith(arg);
          param->erase();
        }
        for (auto &member : cls.members)
          erased.push_back(member.first);
        ++numMerged;
        numErased += cls.members.size();
      }
    }
    // Only now: a merged function may hold calls of a later class.
    for (func::FuncOp fn : erased)
      fn.erase();
  }
};
} // namespace
