//===- Passes.td - Passes on the layers ---------------------*- tablegen -*-===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//

#ifndef SLIM_LAYERS_PASSES_TD
#define SLIM_LAYERS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SlimNameLayersPass : Pass<"slim-name-layers", "ModuleOp"> {
  let summary = "Fix every layer's name in a `slim.layer` attribute";
  let description = [{
    Slim's passes name the layers they work on (the quantizable compute ops:
    `linalg.matmul`, `linalg.batch_matmul`, 2-D convolutions and depthwise
    convolutions) `func/op#k`, k counting the ops of that name in the
    function in walk order; `skip=` patterns and the per-layer report use
    these names. A pass that replaces some layers (the fusion into integer
    ops, a low-rank factorization into two matmuls) shifts the numbers of
    the layers after them for the passes that follow.

    This pass sets the discardable string attribute `slim.layer` on every
    layer that has none to the name it has now. Every pass then names a
    layer by its attribute, and a factorized layer's new ops inherit it
    with a suffix (`main/linalg.matmul#3/factor0`, `.../factor1`), so that
    a sequence of passes (as `slim-compress` runs a recipe) reports and
    selects the layers by the names of the input model. A layer that
    already has the attribute keeps it; a name two layers share stays with
    the first and the second gets a prime (`'`) appended. The attribute
    changes no computation; `slim-name-layers=clear=true` removes it.
  }];
  let options = [
    Option<"clear", "clear", "bool", /*default=*/"false",
           "Remove the attributes instead of setting them">,
  ];
}

#endif // SLIM_LAYERS_PASSES_TD
