//===- AttentionAvx2.cpp - The attention kernel's body for Avx2
//---------------===//
//
// Part of the Slim project: an MLIR-based model-compression compiler.
//
//===----------------------------------------------------------------------===//
//
// AttentionImpl.h compiled with this width's flags.
//
//===----------------------------------------------------------------------===//

#include "AttentionImpl.h"

void slim::runtime::detail::attentionRowsAvx2(
    const slim::runtime::AttentionArgs &args, int64_t b, int64_t h, int64_t r0,
    int64_t r1, AttentionScratch &scratch) {
  attentionRows(args, b, h, r0, r1, scratch);
}
